"""Recomputing many cases at once: the nightly run and rule or calendar edits.

``recompute_cases`` gives exactly what ``services.recompute_case`` gives case
by case (the same deadline and eligibility rows, problems, moved-date records
and manual overrides), but reads the facts of a whole chunk of cases with a
fixed number of queries and writes each chunk with bulk statements in one
transaction. On PostgreSQL the new rows go in through COPY.

No explanation is stored (``engine.compute(..., explain=False)``): a page
that shows one computes the case again (``services.explain``). A case whose
rows are already exactly the computed ones is left alone: the nightly run,
when no rule, calendar day or fact changed, rewrites nothing.

On PostgreSQL each chunk's transaction commits with ``synchronous_commit``
off (``SET LOCAL``): a crash of the server may lose the last chunks'
commits, never make them half done, and the run is idempotent.

A case changed by a user while its chunk is being computed keeps the dates
its own change computed only if that change commits before the chunk reads
its facts; otherwise the chunk's dates stand until the case's next change or
the next run. Both runs are idempotent, so the nightly run repairs it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cases.models import (
    Endings,
    EventKind,
    ExecutionCase,
    agency_endings,
)
from monitoring import engine, tally, terms
from monitoring.calendar import get_calendar
from monitoring.dates import WorkCalendar
from monitoring.models import DateChange, Deadline, DeadlineOverride, EligibilityDate
from monitoring.rulebook import RuleSetDef
from monitoring.rules import get_rule_sets
from monitoring.services import DEFAULT_REASON, known_agencies, responsible_agency_id
from monitoring.signals import deadlines_changed

logger = logging.getLogger(__name__)

EVENT_LABELS = dict(EventKind.choices)
OVERRIDE_REASONS = dict(DeadlineOverride.Reason.choices)

_DEADLINE_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "rule_set",
    "title",
    "start",
    "due",
    "warn_from",
    "done",
    "lapsed_on",
    "shifted",
    "verified",
    "responsible",
    "responsible_kind",
    "agency_id",
    "basis",
    "warn_days",
    "computed_due",
    "override_reason",
)
_ELIGIBILITY_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "title",
    "date",
    "basis",
)
_CHANGE_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "old_date",
    "new_date",
    "reason",
    "changed_at",
    "seen",
)


@dataclass
class BatchResult:
    """What a run did; the counts add up over chunks and worker processes."""

    cases: int = 0
    failed: int = 0
    deadlines: int = 0
    eligibility: int = 0
    changes: int = 0
    problem_cases: int = 0
    # Cases whose stored rows were already the computed ones (not rewritten).
    unchanged: int = 0
    chunks: int = 0
    seconds: float = 0.0
    failed_ids: list[int] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        for item in fields(self):
            if item.name != "seconds":
                setattr(
                    self,
                    item.name,
                    getattr(self, item.name) + getattr(other, item.name),
                )


@dataclass
class _Case:
    """One case's row of the chunk query, and what its deadlines need."""

    pk: int
    unit_id: int
    problems: list
    court_id: int  # the court that pronounced the judgment
    executing_court_id: int
    facts: engine.CaseFacts


def recompute_cases(
    case_ids_or_queryset: QuerySet | Iterable[int],
    reason: str = DEFAULT_REASON,
    chunk_size: int = 2000,
    workers: int = 1,
    progress=None,
    rewrite: bool = False,
) -> BatchResult:
    """Recompute the given cases, ``chunk_size`` at a time.

    With ``workers`` > 1 the chunks are shared out between that many
    processes, each with its own database connection. ``progress`` is
    called with the running totals after each chunk. ``rewrite`` writes
    every case's rows again even where they are already the computed ones
    (the benchmark's "every row replaced").
    """
    began = time.perf_counter()
    ids = _ids_of(case_ids_or_queryset)
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    # Read once here: forked workers inherit both caches.
    cal, rule_sets = get_calendar(), get_rule_sets()

    total = BatchResult()
    if workers > 1 and len(chunks) > 1:
        results = _in_processes(chunks, reason, cal, rule_sets, workers, rewrite)
    else:
        agencies: dict[str, tuple[int, str]] = {}
        results = (
            _recompute_chunk(chunk, reason, cal, rule_sets, agencies, rewrite, index)
            for index, chunk in enumerate(chunks)
        )
    for result in results:
        total.add(result)
        if progress is not None:
            progress(total)
    total.seconds = time.perf_counter() - began
    logger.info(
        "Recomputed %d cases in %d chunks (%d failed) in %.1f s",
        total.cases,
        total.chunks,
        total.failed,
        total.seconds,
    )
    return total


def _ids_of(case_ids_or_queryset) -> list[int]:
    if isinstance(case_ids_or_queryset, QuerySet):
        return list(case_ids_or_queryset.order_by("pk").values_list("pk", flat=True))
    return sorted(set(case_ids_or_queryset))


# Worker processes -------------------------------------------------------------

_worker_state: dict = {}


def _in_processes(chunks, reason, cal, rule_sets, workers, rewrite=False):
    # A forked child must not share the parent's socket to the database:
    # every process opens its own connection on first use.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(
        workers,
        initializer=_start_worker,
        initargs=(reason, cal, rule_sets, rewrite),
    ) as pool:
        yield from pool.imap_unordered(_run_in_worker, enumerate(chunks))


def _start_worker(reason, cal, rule_sets, rewrite=False) -> None:
    _worker_state.update(
        reason=reason, cal=cal, rule_sets=rule_sets, agencies={}, rewrite=rewrite
    )


def _run_in_worker(numbered: tuple[int, list[int]]) -> BatchResult:
    index, chunk = numbered
    state = _worker_state
    return _recompute_chunk(
        chunk,
        state["reason"],
        state["cal"],
        state["rule_sets"],
        state["agencies"],
        state["rewrite"],
        index,
    )


# A register's first computation, or a rewrite after a rule edit, fills the
# deadline tables in bulk. Until the planner's statistics count the new rows,
# each chunk's read of its stored rows is planned as for a nearly empty table
# (a sequential scan of all of it), and the run slows down as the table grows:
# a first 1,000,000-case run measured 130 cases/s after 13 minutes with
# autovacuum off (docs/performance.md), and autovacuum's ANALYZE can be a
# minute or more behind. So the chunk that ends each doubling of the run
# (the 4th, 8th, 16th…) analyses the tables itself when it wrote most of its
# cases: a handful of ANALYZEs in a bulk run, none in a night that changes
# little.
def _analyzes_after(index: int) -> bool:
    done = index + 1
    return done >= 4 and done & (done - 1) == 0


def _analyze_deadline_tables() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_deadline, monitoring_eligibilitydate")
    except DatabaseError:
        # Only statistics: the run goes on with the planner's old ones.
        logger.warning("ANALYZE of the deadline tables failed", exc_info=True)


# One chunk --------------------------------------------------------------------


def _recompute_chunk(
    ids: list[int],
    reason: str,
    cal: WorkCalendar,
    rule_sets: Sequence[RuleSetDef],
    agencies: dict[str, tuple[int, str]],
    rewrite: bool = False,
    index: int | None = None,
) -> BatchResult:
    result = BatchResult(chunks=1)
    written: list[int] = []
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            written = _write_chunk(
                ids, reason, cal, rule_sets, agencies, result, rewrite
            )
            # Violations follow the deadlines: a case whose rows stand as
            # they were has its violations as they were too. What lateness
            # a new day brings to unchanged rows is the nightly job's
            # (``run_monitoring`` syncs every case).
            if written:
                deadlines_changed.send(
                    sender=ExecutionCase, case_ids=written, as_of=None, reason=reason
                )
    except Exception:  # noqa: BLE001 - one broken chunk must not stop the rest
        logger.exception(
            "Recomputing a chunk of %d cases failed (first id %s); "
            "recomputing them one by one",
            len(ids),
            ids[0] if ids else None,
        )
        return _one_by_one(ids, reason)
    if (
        index is not None
        and _analyzes_after(index)
        and 2 * len(written) > len(ids)
        and connection.vendor == "postgresql"
    ):
        _analyze_deadline_tables()
    return result


def _one_by_one(ids: list[int], reason: str) -> BatchResult:
    from monitoring.services import recompute_case

    result = BatchResult(chunks=1)
    for case in ExecutionCase.objects.filter(pk__in=ids).order_by("pk"):
        try:
            recompute_case(case, reason)
        except Exception:  # noqa: BLE001 - one broken case must not stop the rest
            logger.exception("Recomputing case %s failed", case.pk)
            result.failed += 1
            result.failed_ids.append(case.pk)
            continue
        result.cases += 1
    return result


def _write_chunk(
    ids, reason, cal, rule_sets, agencies, result: BatchResult, rewrite=False
) -> list[int]:
    """Compute the cases and write what changed; returns the ids of the
    cases whose deadlines were written."""
    cases, unsentenced = _load_facts(ids)
    # A case without a sentence cannot be computed (facts_of fails on it).
    for pk in unsentenced:
        logger.error("Recomputing case %s failed: it has no sentence", pk)
        result.failed += 1
        result.failed_ids.append(pk)

    outcomes: dict[int, engine.Outcome] = {}
    for case in cases:
        try:
            outcomes[case.pk] = engine.compute(
                case.facts, cal, rule_sets=rule_sets, explain=False
            )
        except Exception:  # noqa: BLE001 - one broken case must not stop the rest
            logger.exception("Recomputing case %s failed", case.pk)
            result.failed += 1
            result.failed_ids.append(case.pk)
    cases = [case for case in cases if case.pk in outcomes]
    done_ids = [case.pk for case in cases]
    if not done_ids:
        return []

    # The rows being replaced (to write only what changed and to record
    # moved dates), and the hand-set dates that survive.
    old_deadlines: dict[int, list[tuple]] = defaultdict(list)
    for row in _select(
        f"SELECT {_names(_DEADLINE_COLUMNS)} FROM monitoring_deadline "  # noqa: S608 - our column names
        "WHERE {} ORDER BY case_id, start, due, rule, id",
        "case_id",
        done_ids,
    ):
        old_deadlines[row[1]].append(row)
    old_eligibility: dict[int, list[tuple]] = defaultdict(list)
    for row in _select(
        f"SELECT {_names(_ELIGIBILITY_COLUMNS)} FROM monitoring_eligibilitydate "  # noqa: S608 - our column names
        "WHERE {} ORDER BY case_id, date, id",
        "case_id",
        done_ids,
    ):
        old_eligibility[row[1]].append(row)
    overrides: dict[int, dict] = defaultdict(dict)
    for case_id, rule, start, due, why, note in DeadlineOverride.objects.filter(
        case_id__in=_ids(done_ids)
    ).values_list("case_id", "rule", "start", "due", "reason", "note"):
        overrides[case_id][(rule, start)] = (due, why, note)
    _learn_agencies(cases, outcomes, agencies)
    endings = agency_endings()

    now = timezone.now()
    deadline_rows, eligibility_rows, change_rows, new_problems = [], [], [], {}
    rewrite_deadlines, rewrite_eligibility = [], []
    computed_deadlines = computed_eligibility = 0
    for case in cases:
        outcome = outcomes[case.pk]
        problems = [{"code": p.code, "message": p.message} for p in outcome.problems]
        if problems != case.problems:
            new_problems[case.pk] = problems
        if problems:
            result.problem_cases += 1
        rows = _deadline_rows(case, outcome, overrides[case.pk], agencies, endings)
        eligible = [
            (case.unit_id, case.pk, item.rule, item.title, item.date, item.basis)
            for item in outcome.eligibility
        ]
        computed_deadlines += len(rows)
        computed_eligibility += len(eligible)
        old_rows = old_deadlines.get(case.pk, [])
        old_eligible = old_eligibility.get(case.pk, [])
        same_deadlines = not rewrite and _same_rows(rows, old_rows)
        same_eligibility = not rewrite and _same_rows(eligible, old_eligible)
        # Rows go (by case) only where there are some, and come in.
        if not same_deadlines:
            if old_rows:
                rewrite_deadlines.append(case.pk)
            deadline_rows += rows
        if not same_eligibility:
            if old_eligible:
                rewrite_eligibility.append(case.pk)
            eligibility_rows += eligible
        if same_deadlines and same_eligibility:
            # Nothing to write, and so no date that moved.
            result.unchanged += 1
            continue
        change_rows += [
            (case.unit_id, case.pk, rule, old, new, reason, now, False)
            for rule, old, new in _moved(
                outcome,
                # rule, start, the computed due (a hand-set one aside)
                [(row[2], row[5], row[17] or row[6]) for row in old_rows],
                {row[2]: row[4] for row in old_eligible},
            )
        ]

    written = sorted({row[1] for row in deadline_rows} | set(rewrite_deadlines))
    tally_before = _replace_deadlines(written, rewrite_deadlines)
    if rewrite_eligibility:
        EligibilityDate.objects.filter(case_id__in=_ids(rewrite_eligibility)).delete()
    insert_rows(Deadline, _DEADLINE_COLUMNS, deadline_rows)
    insert_rows(EligibilityDate, _ELIGIBILITY_COLUMNS, eligibility_rows)
    insert_rows(DateChange, _CHANGE_COLUMNS, change_rows)
    _save_problems(new_problems, now)
    if tally_before is not None:
        prosecutors, deleted = tally_before
        written_rows = (
            # unit, case, kind, agency, due, done, lapsed (as deleted)
            (row[0], row[1], row[13], row[14], row[6], row[8], row[9])
            for row in deadline_rows
        )
        tally.apply(
            tally.difference(
                tally.counts(_tally_rows(deleted, prosecutors)),
                tally.counts(_tally_rows(written_rows, prosecutors)),
            )
        )

    result.cases += len(cases)
    result.deadlines += computed_deadlines
    result.eligibility += computed_eligibility
    result.changes += len(change_rows)
    return written


def _replace_deadlines(written: list[int], rewrite: list[int]):
    """Lock the cases whose deadlines are written, delete their old rows,
    and return what the tally needs: each case's prosecutor (None for a
    cancelled case, which counts nowhere) and the rows deleted, as
    ``(unit, case, kind, agency, due, done, lapsed)``; None when nothing is
    written.

    Only these cases are locked (a nightly run that changes nothing locks
    none), and the tally is taken from the rows the DELETE removed, not
    those read earlier: a user's recomputation of the same case (which
    locks it too, ``services.recompute_case``) that commits in between
    is then counted as it stands."""
    if not written:
        return None
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    prosecutors = {
        pk: (None if cancelled_on is not None else (prosecutor_id or 0))
        for pk, prosecutor_id, cancelled_on in _select(
            "SELECT id, prosecutor_id, cancelled_on FROM cases_executioncase "  # noqa: S608 - a constant statement
            "WHERE {} ORDER BY id" + lock,
            "id",
            written,
        )
    }
    deleted = []
    if rewrite:
        deleted = _select(
            "DELETE FROM monitoring_deadline WHERE {} RETURNING unit_id, case_id, "
            "responsible_kind, agency_id, due, done, lapsed_on",
            "case_id",
            rewrite,
        )
    return prosecutors, deleted


def _tally_rows(rows, prosecutors: dict[int, int | None]):
    """``(unit, case, kind, agency, due, done, lapsed)`` rows as
    ``tally.counts`` takes them; a cancelled case's left out."""
    for unit_id, case_id, kind, agency_id, due, done, lapsed_on in rows:
        prosecutor = prosecutors.get(case_id)
        if prosecutor is not None:
            yield (
                unit_id,
                prosecutor,
                agency_id,
                kind,
                _day(due),
                _day(done),
                _day(lapsed_on),
            )


def _day(value):
    # SQLite returns the dates of a RETURNING clause as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _same_rows(new: list[tuple], old: list[tuple]) -> bool:
    """Whether a case's computed rows are exactly its stored ones, in any
    order (usually the same order: both sorted the engine's way)."""
    if len(new) != len(old):
        return False
    return new == old or Counter(new) == Counter(old)


def _load_facts(ids: list[int]) -> tuple[list[_Case], list[int]]:
    """The engine's view of each case of the chunk (as ``facts_of``), and
    the ids of the cases without a sentence.

    Plain SQL on the connection's cursor: the ORM's per-row work (model
    iterables, converters, a JSON decode of every event's details, mostly
    ``{}``) cost more than the queries.
    """
    events: dict[int, list[engine.EventFact]] = defaultdict(list)
    for case_id, kind, day, details, agency in _select(
        "SELECT e.case_id, e.kind, e.date, e.details, a.name "
        "FROM cases_event e LEFT JOIN cases_agency a ON a.id = e.agency_id "
        # A deleted event is kept for its history and counts for nothing.
        "WHERE {} AND e.deleted_at IS NULL ORDER BY e.case_id, e.date, e.id",
        "e.case_id",
        ids,
    ):
        events[case_id].append(
            engine.EventFact(
                kind=kind,
                date=day,
                label=EVENT_LABELS.get(kind, kind),
                details=_json(details) or {},
                agency=agency or "",
            )
        )
    detention: dict[int, list] = defaultdict(list)
    for case_id, start, end in _select(
        'SELECT case_id, start, "end" FROM cases_detentionperiod '
        "WHERE {} ORDER BY case_id, start, id",
        "case_id",
        ids,
    ):
        detention[case_id].append((start, end))
    supplementary = {
        case_id
        for (case_id,) in _select(
            "SELECT DISTINCT s.case_id FROM cases_supplementarypenalty p "
            "JOIN cases_sentence s ON s.id = p.sentence_id WHERE {}",
            "s.case_id",
            ids,
        )
    }
    articles: dict[int, list[str]] = defaultdict(list)
    for case_id, article in _select(
        "SELECT s.case_id, c.article FROM cases_sentencecrime sc "
        "JOIN cases_sentence s ON s.id = sc.sentence_id "
        "JOIN cases_crime c ON c.id = sc.crime_id WHERE {} ORDER BY sc.id",
        "s.case_id",
        ids,
    ):
        articles[case_id].append(article)

    cases, unsentenced = [], []
    for row in _select(
        "SELECT c.id, c.unit_id, c.custody_at_judgment, c.problems, "
        "j.trial_stage, j.pronounced_on, j.effective_on, "
        "j.first_instance_pronounced_on, j.court_id, j.first_instance_court_id, "
        "p.birth_date, p.birth_year, s.kind, s.term_years, s.term_months, "
        "s.term_days, s.probation_years, s.probation_months, s.probation_days "
        "FROM cases_executioncase c "
        "JOIN cases_judgment j ON j.id = c.judgment_id "
        "JOIN cases_person p ON p.id = c.person_id "
        "LEFT JOIN cases_sentence s ON s.case_id = c.id "
        "WHERE {} ORDER BY c.id",
        "c.id",
        ids,
    ):
        (
            pk,
            unit_id,
            custody,
            problems,
            instance,
            pronounced_on,
            effective_on,
            first_pronounced_on,
            court_id,
            first_court_id,
            birth_date,
            birth_year,
            kind,
            *term,
        ) = row
        if kind is None:
            unsentenced.append(pk)
            continue
        facts = engine.CaseFacts(
            sentence_kind=kind,
            custody=custody,
            instance=instance,
            pronounced_on=pronounced_on,
            effective_on=effective_on,
            events=events.get(pk, []),
            term=terms.Term(term[0], term[1], term[2]),
            probation=terms.Term(term[3], term[4], term[5]),
            detention=detention.get(pk, []),
            first_instance_pronounced_on=first_pronounced_on,
            birth_date=birth_date,
            birth_year=birth_year,
            has_supplementary=pk in supplementary,
            crime_articles=articles.get(pk, []),
        )
        cases.append(
            _Case(
                pk,
                unit_id,
                _json(problems),
                court_id,
                first_court_id or court_id,
                facts,
            )
        )
    return cases, unsentenced


def _select(sql: str, column: str, ids: list[int]) -> list[tuple]:
    """Rows of ``sql`` whose ``column`` is one of ``ids`` (put at ``{}``).

    On PostgreSQL one array parameter instead of thousands: psycopg parses
    a statement's placeholders on every execution, and 2,000 of them cost
    more than the query. The statements name only our own tables; dates
    come back as dates on both databases (SQLite converts declared types),
    JSON as text (``_json``).
    """
    if connection.vendor == "postgresql":
        where, params = f"{column} = ANY(%s)", [list(ids)]
    else:
        where, params = f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(where), params)
        return cursor.fetchall()


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{name}"' for name in columns)


def _json(value):
    """A JSON column read by ``_select``: text, or already decoded."""
    if value == "{}":
        return {}
    if value == "[]":
        return []
    return json.loads(value) if isinstance(value, str) else value


def _ids(ids: list[int]):
    """The right-hand side of an ``__in`` filter on the chunk's ids (one
    array parameter on PostgreSQL, as ``_select``)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))  # noqa: S611 - a constant statement
    return ids


def _learn_agencies(cases, outcomes, agencies: dict[str, tuple[int, str]]) -> None:
    """Add to ``agencies`` (name → (id, kind), kept for the run) every body
    named on the events of this chunk's deadlines."""
    agencies.update(
        known_agencies(
            name
            for case in cases
            for result in outcomes[case.pk].deadlines
            for name in (result.done_agency, result.start_agency)
            if name not in agencies
        )
    )


def _deadline_rows(
    case: _Case, outcome, overrides: dict, agencies, endings: Endings
) -> list[tuple]:
    """The rows of ``_DEADLINE_COLUMNS``, as ``services.recompute_case``
    writes them."""
    rows = []
    for result in outcome.deadlines:
        override = overrides.get((result.rule, result.start))
        due, computed_due, override_reason = result.due, None, ""
        if override is not None:
            override_due, why, note = override
            due, computed_due = override_due, result.due
            override_reason = f"{OVERRIDE_REASONS.get(why, why)}: {note}"
        agency_id = responsible_agency_id(
            result,
            court_id=case.court_id,
            executing_court_id=case.executing_court_id,
            known=agencies,
            endings=endings,
            due=due,
        )
        rows.append(
            (
                case.unit_id,
                case.pk,
                result.rule,
                result.rule_set,
                result.title,
                result.start,
                due,
                due - dt.timedelta(days=result.warn_days),
                result.done,
                result.lapsed_on,
                result.shifted,
                result.verified,
                result.responsible,
                result.responsible_kind,
                agency_id,
                result.basis,
                result.warn_days,
                computed_due,
                override_reason,
            )
        )
    return rows


def _by_occurrence(rows) -> dict[tuple[str, int], dt.date]:
    """As ``services._by_occurrence``: due dates keyed by rule and
    occurrence, so that a corrected start still meets its old date."""
    keyed: dict[tuple[str, int], dt.date] = {}
    counts: dict[str, int] = {}
    for rule, _start, due in sorted(rows, key=lambda row: (row[0], row[1])):
        counts[rule] = counts.get(rule, 0) + 1
        keyed[(rule, counts[rule])] = due
    return keyed


def _moved(outcome, old_rows, old_eligible) -> list[tuple[str, dt.date, dt.date]]:
    """(rule, old date, new date) of every date that moved, in the order
    ``services.recompute_case`` records them."""
    if not old_rows and not old_eligible:
        return []
    old_due = _by_occurrence(old_rows)
    new_due = _by_occurrence(
        (result.rule, result.start, result.due) for result in outcome.deadlines
    )
    moved = [
        (key[0], old_due[key], due)
        for key, due in new_due.items()
        if key in old_due and old_due[key] != due
    ]
    moved += [
        (result.rule, old_eligible[result.rule], result.date)
        for result in outcome.eligibility
        if result.rule in old_eligible and old_eligible[result.rule] != result.date
    ]
    return moved


def _save_problems(new_problems: dict[int, list], now) -> None:
    """Store changed problem lists, with the history rows ``save`` leaves,
    and the difference they make to the case tally (``bulk_update`` sends
    no signal). The cases are locked before they are read, so the tally's
    "before" is what is stored, whatever another writer did since the
    chunk's facts were read."""
    if not new_problems:
        return
    cases = list(
        ExecutionCase.objects.filter(pk__in=new_problems)
        .select_for_update()
        .order_by("pk")
    )
    before = tally.case_counts(tally.case_row(case) for case in cases)
    for case in cases:
        case.problems = new_problems[case.pk]
        case.updated_at = now
    ExecutionCase.objects.bulk_update(cases, ["problems", "updated_at"])
    tally.apply_cases(
        tally.difference(
            before, tally.case_counts(tally.case_row(case) for case in cases)
        )
    )
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        ExecutionCase.history.bulk_history_create(cases, update=True)


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows: COPY on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            batch_size=500,
        )
        return
    table = model._meta.db_table
    names = _names(columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if not _row_security_active(raw, table):
            # A role that row-level security does not hold (a superuser,
            # BYPASSRLS): straight in.
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
            return
        # PostgreSQL refuses COPY FROM into a table under row-level security
        # (every tenant table, sothuly/rls.py): the rows go into a temporary
        # table first and on with one INSERT, which the policy checks (about
        # a quarter more time for the deadline rows). The staging statements
        # take the COPY's raw cursor: with it they are one bulk write, a
        # constant three round trips per table and chunk.
        staging = f'pg_temp."_copy_{table}"'
        # The names come from the model's metadata, never from input. A
        # staging table is left behind only by a failed call outside a
        # transaction, hence the DROP first.
        raw.execute(
            f"DROP TABLE IF EXISTS {staging}; "  # noqa: S608
            f"CREATE TEMPORARY TABLE {staging} AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        with raw.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)
        raw.execute(
            f"INSERT INTO {table} ({names}) "  # noqa: S608
            f"SELECT {names} FROM {staging}; DROP TABLE {staging}"
        )


def _row_security_active(raw_cursor, table: str) -> bool:
    """Whether row-level security holds this connection's role on ``table``
    (one short query: a per-connection cache would make the number of
    statements of a chunk depend on what ran before it)."""
    raw_cursor.execute("SELECT row_security_active(%s::regclass)", [table])
    return bool(raw_cursor.fetchone()[0])
