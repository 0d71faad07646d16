"""The benchmarks' shared data generator: a register of any size on PostgreSQL.

    python bench/generate.py --cases 1000000 --units 50 \\
        --database-url postgresql://postgres@127.0.0.1:5432/sothuly_bench \\
        [--province-units N] [--big-unit-cases 50000] [--seed 1] [--reset]

Creates the database when it is missing, migrates it, loads the reference
data (``load_reference``: Hải Phòng's units and agencies) and adds the units
the size needs, then writes the cases with COPY. The cases are drawn by the
demo seed's planner (``seed_demo.Planner``), so that penalties, crimes,
custody, late courts, postponements, escapes, community supervision and the
rest keep the demo's proportions; the planner's dates run from 2023 to the
demo day (3 December 2026), so the windows of many deadlines cross a Tết.
Everything comes from ``random.Random(seed)``: one seed, one database.

Left out on purpose: history tables stay empty (a bulk load has no history
to show), and no deadline is computed: that is what ``bench/recompute.py``
times. The synthetic provinces reuse Hải Phòng's communes and its
province-level bodies (provincial court, execution agency, detention
centre); their regional courts and pre-2025 district bodies are their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import os
import queue
import random
import sys
import threading
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/sothuly_bench"
BIG_UNIT = "HP-KV1"
# Regional units per synthetic province (Hải Phòng has seven).
UNITS_PER_PROVINCE = 8
# Rows are written every this many cases (one transaction each).
FLUSH_EVERY = 5000
STAMP_TIME = dt.time(9, 0)


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def setup_django(database_url: str) -> None:
    """Point the project's settings at ``database_url`` and start Django."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sothuly.settings")
    # DEBUG would keep every query of a long run in memory.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database(database_url: str, reset: bool) -> None:
    """Create the database named by the URL (dropping it first on reset)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and reset:
            admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
            )
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"Created database {name}.")


# Units and agencies ------------------------------------------------------------


def add_units(document: dict, regional_total: int, province_units: int | None):
    """Units beyond Hải Phòng's, each regional one with a court and a copy
    of one of Hải Phòng's districts for the planner; returns the districts
    to draw from and the regional courts of the new units."""
    from cases.models import Agency, Unit

    hp_regional = [u["code"] for u in document["units"] if u["level"] == "regional"]
    extra = max(regional_total - len(hp_regional), 0)
    provinces = province_units or math.ceil(extra / UNITS_PER_PROVINCE)
    districts = list(document["districts"])
    courts: dict[str, str] = {}
    if not extra:
        return districts, courts

    existing = {unit.code: unit for unit in Unit.objects.all()}
    names = set(Agency.objects.values_list("name", flat=True))
    new_agencies = []
    for index in range(extra):
        number = index % provinces + 1
        province_code = f"TN{number:02d}"
        province_name = f"tỉnh Thử Nghiệm {number:02d}"
        if province_code not in existing:
            existing[province_code] = Unit.objects.create(
                code=province_code,
                name=f"VKSND {province_name}",
                header_name=f"VIỆN KIỂM SÁT NHÂN DÂN {province_name.upper()}",
                place_name=f"Thử Nghiệm {number:02d}",
                level=Unit.Level.PROVINCE,
            )
        seat = index // provinces + 1
        code = f"{province_code}-KV{seat}"
        if code not in existing:
            existing[code] = Unit.objects.create(
                code=code,
                name=f"VKSND khu vực {seat} - Thử Nghiệm {number:02d}",
                header_name=(
                    f"VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC {seat} - THỬ NGHIỆM {number:02d}"
                ),
                place_name=f"Thử Nghiệm {number:02d}",
                level=Unit.Level.REGIONAL,
                parent=existing[province_code],
                valid_from=dt.date(2025, 7, 1),
            )
        unit = existing[code]
        court = f"Tòa án nhân dân khu vực {seat} - {province_name}"
        old_court = f"Tòa án nhân dân huyện Thử Nghiệm {seat}, {province_name}"
        old_agency = (
            f"Cơ quan Thi hành án hình sự Công an huyện Thử Nghiệm {seat}, "
            f"{province_name}"
        )
        for kind, name, valid_to in (
            (Agency.Kind.COURT, court, None),
            (Agency.Kind.COURT, old_court, dt.date(2025, 6, 30)),
            (Agency.Kind.EXECUTION_AGENCY, old_agency, dt.date(2025, 2, 28)),
        ):
            if name not in names:
                names.add(name)
                new_agencies.append(
                    Agency(kind=kind, name=name, province=unit, valid_to=valid_to)
                )
        model = document["districts"][index % len(document["districts"])]
        districts.append(
            {
                "unit": code,
                "weight": model["weight"],
                "periods": [
                    {
                        "name": f"huyện Thử Nghiệm {seat}",
                        "valid_from": None,
                        "valid_to": "2025-06-30",
                        "court": old_court,
                        "execution_agency": old_agency,
                    }
                ],
                "wards": model["wards"],
            }
        )
        courts[code] = court
    Agency.objects.bulk_create(new_agencies)
    return districts, courts


def kind_of_agency(name: str) -> str:
    """An agency first met in the planner's output, by its name."""
    prefixes = [
        ("Tòa án", "court"),
        ("Cơ quan Thi hành án", "execution_agency"),
        ("Trại tạm giam", "detention_centre"),
        ("Trại giam", "prison"),
        ("UBND", "commune"),
        ("Công an", "commune_police"),
    ]
    return next((kind for prefix, kind in prefixes if name.startswith(prefix)), "other")


def add_prosecutors(unit_ids: list[int]) -> dict[int, list[int]]:
    """Two prosecutors per regional unit, as in the demo (no password)."""
    from cases.models import Unit, User

    wanted = []
    have = set(User.objects.values_list("username", flat=True))
    for unit in Unit.objects.filter(pk__in=unit_ids).order_by("pk"):
        suffix = unit.code.lower()
        for prefix in ("ksv", "ksv2"):
            username = f"{prefix}.{suffix}"
            if username not in have:
                wanted.append(
                    User(
                        username=username,
                        password="!",  # noqa: S106 - an unusable password
                        full_name=f"Kiểm sát viên {prefix[-1:]} {unit.code}",
                        unit=unit,
                        role=User.Role.PROSECUTOR,
                    )
                )
    User.objects.bulk_create(wanted)
    prosecutors: dict[int, list[int]] = defaultdict(list)
    for pk, unit_id in (
        User.objects.filter(unit_id__in=unit_ids, role=User.Role.PROSECUTOR)
        .order_by("username")
        .values_list("pk", "unit_id")
    ):
        prosecutors[unit_id].append(pk)
    return prosecutors


# Rows --------------------------------------------------------------------------

TABLES = {
    # Agencies the planner names that the reference data lacks (the
    # synthetic districts' communes), given ids like every other row.
    "cases_agency": "id kind name",
    "cases_judgment": (
        "id unit_id number court_id trial_stage pronounced_on effective_on "
        "first_instance_number first_instance_court_id first_instance_pronounced_on "
        "created_at"
    ),
    "cases_person": (
        "id unit_id full_name name_sort_key birth_date birth_year sex id_number "
        "residence"
    ),
    "cases_executioncase": (
        "id unit_id judgment_id person_id register_number register_year "
        "register_seq register_date prosecutor_id custody_at_judgment status "
        "problems cancelled_on cancel_reason created_at updated_at"
    ),
    "cases_sentence": (
        "id unit_id case_id kind term_years term_months term_days probation_years "
        "probation_months probation_days fine_amount"
    ),
    "cases_sentencecrime": "id unit_id sentence_id crime_id clause",
    "cases_supplementarypenalty": (
        "id unit_id sentence_id kind term_years term_months term_days fine_amount"
    ),
    "cases_detentionperiod": "id unit_id case_id start end",
    "cases_event": (
        "id unit_id case_id kind date number agency_id details note created_by_id "
        "created_at"
    ),
}


def _extra_columns(table: str, given: list[str]) -> tuple[list[str], tuple]:
    """Columns a model gained since this script was written, with their
    defaults, so that a new field with a default does not break the load."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given:
            continue
        default = field.get_default()
        if default is None and not field.null:
            raise SystemExit(
                f"{table}.{field.column} has no default: teach bench/generate.py "
                "how to fill it."
            )
        names.append(field.column)
        values.append(default)
    return names, tuple(values)


class Writer:
    """Row buffers, one per table, written with COPY every few thousand
    cases; ids are given here, so rows can refer to each other."""

    def __init__(self, tables: dict[str, str]):
        self.columns = {}
        self.extras = {}
        for table, columns in tables.items():
            given = columns.split()
            extra, defaults = _extra_columns(table, given)
            self.columns[table] = given + extra
            self.extras[table] = defaults
        self.rows: dict[str, list[tuple]] = {table: [] for table in tables}
        self.next_id = dict.fromkeys(tables, 1)
        self.written = dict.fromkeys(tables, 0)
        # Two batches at most wait for the writing thread.
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.thread: threading.Thread | None = None
        self.error: Exception | None = None

    def add(self, table: str, *values) -> int:
        pk = self.next_id[table]
        self.next_id[table] = pk + 1
        self.rows[table].append((pk, *values))
        return pk

    def flush(self) -> None:
        """Hand the buffered rows to the writing thread, which COPYs them
        while the next batch is drawn: drawing and PostgreSQL each keep a
        core busy."""
        if self.thread is None:
            self.thread = threading.Thread(target=self._write_loop, daemon=True)
            self.thread.start()
        batch = {table: rows for table, rows in self.rows.items() if rows}
        self.rows = {table: [] for table in self.rows}
        self.queue.put(batch)
        if self.error is not None:
            raise self.error

    def _write_loop(self) -> None:
        from django.db import connection

        try:
            while (batch := self.queue.get()) is not None:
                self._copy(batch)
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            self.error = error
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()

    def _copy(self, batch: dict[str, list[tuple]]) -> None:
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            # The rows refer to each other correctly by construction: the
            # foreign-key triggers would double the load time (superuser).
            cursor.execute("SET LOCAL session_replication_role = replica")
            for table, rows in batch.items():
                names = ", ".join(f'"{name}"' for name in self.columns[table])
                extras = self.extras[table]
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + extras if extras else row)
                self.written[table] += len(rows)

    def finish(self) -> None:
        """Write what is left, then move each id sequence past the ids
        given here."""
        from django.db import connection

        self.flush()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        with connection.cursor() as cursor:
            for table in self.columns:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - table names are constants
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


@lru_cache(maxsize=200_000)
def name_key(full_name: str) -> str:
    from cases import vnsort

    return vnsort.name_key(full_name)


@lru_cache(maxsize=200_000)
def search_key(full_name: str) -> str:
    from cases import vnsort

    return vnsort.search_key(full_name)


@lru_cache(maxsize=10_000)
def stamp(day: dt.date) -> dt.datetime:
    """A fixed time of day on ``day``, so that a seed gives one database."""
    from django.utils import timezone

    return dt.datetime.combine(day, STAMP_TIME, tzinfo=timezone.get_current_timezone())


class Numbers:
    """Court and document numbers per issuer and year, with small gaps
    (in drawing order, not date order as in the demo: the demo sorts its
    whole plan, which a streamed load cannot)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counters: dict[tuple, int] = defaultdict(int)

    def next(self, issuer: str, year: int, suffix: str, with_year: bool) -> str:
        key = (issuer, year, suffix, with_year)
        self.counters[key] += 1 + self.rng.choice((0, 0, 0, 1, 1, 2))
        value = self.counters[key]
        return f"{value:02d}/{year}/{suffix}" if with_year else f"{value:02d}/{suffix}"


def generate(args) -> dict:
    from django.core.management import call_command

    from cases import vnsort
    from cases.management.commands import seed_demo
    from cases.management.commands.load_reference import load_document
    from cases.models import Agency, Crime, ExecutionCase, Person, Unit
    from cases.services import _STATUS_AFTER, procuracy_year

    if ExecutionCase.objects.exists():
        raise SystemExit(
            "The database already holds cases: pass --reset to start it anew."
        )
    began = time.perf_counter()
    call_command("load_reference", stdout=io.StringIO())
    document = load_document()
    districts, courts = add_units(document, args.units, args.province_units)
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    regional = sorted({district["unit"] for district in districts})
    prosecutors = add_prosecutors([unit_ids[code] for code in regional])
    agencies = dict(Agency.objects.values_list("name", "pk"))
    crimes = dict(Crime.objects.values_list("article", "pk"))
    say(
        f"Reference data: {len(unit_ids)} units ({len(regional)} regional), "
        f"{len(agencies)} agencies, in {time.perf_counter() - began:.1f} s."
    )

    planner = seed_demo.Planner(args.seed, document)
    planner.districts = districts
    planner.regional_court.update(courts)
    rng = planner.rng
    numbers = Numbers(random.Random(f"{args.seed}:numbers"))  # noqa: S311 - test data
    tables = dict(TABLES)
    person_search = hasattr(vnsort, "search_key") and any(
        field.column == "search_name" for field in Person._meta.concrete_fields
    )
    if person_search:
        tables["cases_person"] += " search_name"
    writer = Writer(tables)
    writer.next_id["cases_agency"] = max(agencies.values(), default=0) + 1
    big = min(args.big_unit_cases, args.cases)
    big_districts = [(d, d["weight"]) for d in districts if d["unit"] == BIG_UNIT]
    other_districts = [(d, d["weight"]) for d in districts if d["unit"] != BIG_UNIT]
    if not big:
        other_districts = [(d, d["weight"]) for d in districts]
    sequences: dict[tuple[int, int], int] = defaultdict(int)

    def agency_id(name: str | None) -> int | None:
        if not name:
            return None
        if name not in agencies:
            agencies[name] = writer.add("cases_agency", kind_of_agency(name), name)
        return agencies[name]

    made = big_made = 0
    judgment_index = 0
    planning = time.perf_counter()
    last_report = planning
    while made < args.cases:
        remaining = args.cases - made
        size = min(
            seed_demo.weighted(rng, [(1, 80), (2, 14), (3, 6)]),
            remaining,
        )
        if (
            big
            and big_made + size <= big
            and rng.random() < (big - big_made) / remaining
        ):
            district = seed_demo.weighted(rng, big_districts)
            big_made += size
        else:
            district = seed_demo.weighted(rng, other_districts)
        kind = seed_demo.weighted(rng, seed_demo.KIND_WEIGHTS)
        article = seed_demo.weighted(rng, seed_demo.KIND_CRIMES[kind])
        kinds = [kind]
        for _ in range(size - 1):
            other = (
                kind
                if rng.random() < 0.6
                else seed_demo.weighted(rng, seed_demo.KIND_WEIGHTS)
            )
            if article not in dict(seed_demo.KIND_CRIMES[other]):
                other = kind
            kinds.append(other)
        sentences = [planner.sentence(kind, article) for kind in kinds]
        serious = any(sentence.get("serious") for sentence in sentences)
        plan = planner.judgment(judgment_index, district, serious)
        judgment_index += 1
        unit_id = unit_ids[district["unit"]]

        suffix = "HS-PT" if plan.instance == "appeal" else "HS-ST"
        first_number = ""
        if plan.first_instance_court:
            day = plan.first_instance_pronounced_on
            first_number = numbers.next(
                plan.first_instance_court, day.year, "HS-ST", True
            )
        judgment_id = writer.add(
            "cases_judgment",
            unit_id,
            numbers.next(plan.court, plan.pronounced_on.year, suffix, True),
            agency_id(plan.court),
            plan.instance,
            plan.pronounced_on,
            plan.effective_on,
            first_number,
            agency_id(plan.first_instance_court),
            plan.first_instance_pronounced_on,
            stamp(plan.pronounced_on),
        )
        for sentence in sentences:
            convict = planner.convict(plan, sentence, article)
            timeline = planner.events(plan, convict)
            register = planner.register_date(plan, timeline)
            convict["residence"] = planner.residence(
                district, convict["ward"], register
            )
            prosecutor = prosecutors[unit_id][0 if rng.random() < 0.55 else 1]
            cancelled = rng.random() < 1 / 400 and register < seed_demo.DEMO_TODAY

            full_name = convict["full_name"]
            person = (
                unit_id,
                full_name,
                name_key(full_name),
                convict["birth_date"],
                convict["birth_date"].year,
                convict["sex"],
                convict["id_number"],
                convict["residence"],
            )
            if person_search:
                person += (search_key(full_name),)
            person_id = writer.add("cases_person", *person)
            year = procuracy_year(register)
            sequences[(unit_id, year)] += 1
            seq = sequences[(unit_id, year)]
            events = sorted(timeline.events, key=lambda event: event.date)
            case_id = writer.add(
                "cases_executioncase",
                unit_id,
                judgment_id,
                person_id,
                f"{seq}/{year}",
                year,
                seq,
                register,
                prosecutor,
                convict["custody"],
                status_after(events, convict, _STATUS_AFTER),
                "[]",
                register + dt.timedelta(days=3) if cancelled else None,
                rng.choice(seed_demo.CANCEL_REASONS) if cancelled else "",
                stamp(register),
                stamp(register),
            )
            sentence_id = writer.add(
                "cases_sentence",
                unit_id,
                case_id,
                convict["sentence_kind"],
                convict["term_years"],
                convict["term_months"],
                0,
                convict.get("probation_years", 0),
                convict.get("probation_months", 0),
                0,
                convict.get("fine_amount"),
            )
            for crime in convict["crimes"]:
                writer.add(
                    "cases_sentencecrime",
                    unit_id,
                    sentence_id,
                    crimes[crime.article],
                    crime.clause,
                )
            for item in convict["supplementary"]:
                writer.add(
                    "cases_supplementarypenalty",
                    unit_id,
                    sentence_id,
                    item.kind,
                    item.years,
                    item.months,
                    item.days,
                    item.fine_amount,
                )
            for start, end in convict["detention"]:
                writer.add("cases_detentionperiod", unit_id, case_id, start, end)
            for event in events:
                number = ""
                if event.doc:
                    issuer, doc_suffix, with_year = event.doc
                    number = numbers.next(
                        issuer, event.date.year, doc_suffix, with_year
                    )
                writer.add(
                    "cases_event",
                    unit_id,
                    case_id,
                    event.kind,
                    event.date,
                    number,
                    agency_id(event.agency),
                    json.dumps(event.details, ensure_ascii=False)
                    if event.details
                    else "{}",
                    "",
                    prosecutor,
                    stamp(max(event.date, register)),
                )
            made += 1
        if writer.rows["cases_executioncase"] and (
            len(writer.rows["cases_executioncase"]) >= FLUSH_EVERY
        ):
            writer.flush()
            now = time.perf_counter()
            if now - last_report > 30:
                last_report = now
                say(f"  {made} cases, {made / (now - planning):.0f} cases/s")
    writer.finish()
    write_sequences(sequences)
    # The cases went in by COPY, past the signals that keep the case tally.
    from monitoring import tally

    tally.rebuild_cases()
    elapsed = time.perf_counter() - planning

    analyze_began = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "cases": made,
        "big_unit_cases": big_made,
        "rows": dict(writer.written),
        "seconds": elapsed,
        "analyze_seconds": time.perf_counter() - analyze_began,
        "total_seconds": time.perf_counter() - began,
    }


def status_after(events, convict, status_after_kind) -> str:
    """The case's state after its events (as ``status_from_events``)."""
    status = "not_started"
    community = convict["sentence_kind"] in {"suspended", "non_custodial_reform"}
    for event in events:
        after = status_after_kind.get(event.kind)
        if event.kind == "agency_received_execution_decision" and (
            community or convict["custody"] == "detained"
        ):
            after = "serving"
        if after is not None:
            status = after
    return str(status)


def write_sequences(sequences: dict[tuple[int, int], int]) -> None:
    from cases.models import RegisterSequence

    RegisterSequence.objects.bulk_create(
        RegisterSequence(unit_id=unit_id, year=year, last_number=last)
        for (unit_id, year), last in sorted(sequences.items())
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument(
        "--units", type=int, default=50, help="regional units in all (≥ 7)"
    )
    parser.add_argument(
        "--province-units",
        type=int,
        default=None,
        help=f"synthetic provinces (default: one per {UNITS_PER_PROVINCE} units)",
    )
    parser.add_argument(
        "--big-unit-cases",
        type=int,
        default=None,
        help=(
            f"cases of the first regional unit ({BIG_UNIT}); default 5 %% of "
            "--cases (50000 of 1000000); 0: by district weight"
        ),
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reset", action="store_true", help="drop and recreate the database"
    )
    args = parser.parse_args(argv)
    if args.big_unit_cases is None:
        args.big_unit_cases = args.cases // 20

    create_database(args.database_url, args.reset)
    setup_django(args.database_url)
    from django.core.management import call_command

    migrate_began = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"Migrated in {time.perf_counter() - migrate_began:.1f} s.")

    result = generate(args)
    rows = sum(result["rows"].values())
    say(
        f"Generated {result['cases']} cases ({result['big_unit_cases']} in "
        f"{BIG_UNIT}) in {result['seconds']:.1f} s: "
        f"{result['cases'] / result['seconds']:.0f} cases/s, "
        f"{rows} rows, {rows / result['seconds']:.0f} rows/s "
        f"(seed {args.seed})."
    )
    for table, count in result["rows"].items():
        say(f"  {table:<28} {count:>10}")
    say(
        f"ANALYZE {result['analyze_seconds']:.1f} s; total with reference data "
        f"{result['total_seconds']:.1f} s. History tables left empty."
    )


if __name__ == "__main__":
    main()
