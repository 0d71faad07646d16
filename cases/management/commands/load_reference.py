"""Load one province's procuracy units and counterpart agencies.

The data file holds the units, the agencies named explicitly (courts,
execution agencies, prisons) and the province's geography: the former
districts with their wards and communes, and the communes formed on
1 July 2025. Commune People's Committees and commune police are derived
from the geography, with the validity dates of the period they belong to.

Each body that ended names its successor, the body that took over its
duties: the file states it for courts and execution agencies; an old
commune's People's Committee is succeeded by the one of the same ward in
the district's next period, or by the new commune the ward joined.

Safe to run again: rows are matched by unit code and agency name, and only
missing rows are created; an existing row is never changed, so that an
administrator's corrections survive a reload, except that a successor is
filled in where none is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.models import Agency, ExecutionCase, Unit

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "reference_haiphong.json"


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def ward_prefix(ward: dict, period: dict) -> str:
    """A ward's kind (phường, xã, thị trấn) during one of its district's
    periods: Thủy Nguyên's and An Dương's communes became wards when the
    districts were upgraded on 1 January 2025."""
    renamed = ward.get("renamed")
    if renamed and period.get("valid_from") and period["valid_from"] >= renamed["from"]:
        return renamed["prefix"]
    return ward["prefix"]


def ward_label(ward: dict, period: dict) -> str:
    """'phường Dư Hàng Kênh, quận Lê Chân'."""
    return f"{ward_prefix(ward, period)} {ward['name']}, {period['name']}"


def old_commune_name(ward: dict, period: dict, city: str) -> str:
    return f"UBND {ward_label(ward, period)}, {city}"


def commune_name(commune: str, city: str) -> str:
    return f"UBND {commune}, {city}"


def commune_police_name(commune: str, city: str) -> str:
    return f"Công an {commune}, {city}"


@dataclass(frozen=True)
class AgencyRow:
    kind: str
    name: str
    unit: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor: str | None = None


def load_document(path: Path = DEFAULT_FILE) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Không đọc được tệp dữ liệu {path}: {error}") from error


def agency_rows(document: dict) -> list[AgencyRow]:
    """Every agency of the document, explicit and derived, in file order."""
    city = document["city"]
    communes_from = parse_date(document["communes_from"])
    rows = [
        AgencyRow(
            kind=item["kind"],
            name=item["name"],
            unit=item.get("unit"),
            valid_from=parse_date(item.get("valid_from")),
            valid_to=parse_date(item.get("valid_to")),
            successor=item.get("successor"),
        )
        for item in document["agencies"]
    ]
    for district in document["districts"]:
        periods = district["periods"]
        for index, period in enumerate(periods):
            following = periods[index + 1] if index + 1 < len(periods) else None
            for ward in district["wards"]:
                if following is not None:
                    successor = old_commune_name(ward, following, city)
                else:
                    successor = commune_name(ward["new"], city)
                rows.append(
                    AgencyRow(
                        kind=Agency.Kind.COMMUNE,
                        name=old_commune_name(ward, period, city),
                        unit=district["unit"],
                        valid_from=parse_date(period.get("valid_from")),
                        valid_to=parse_date(period.get("valid_to")),
                        successor=successor,
                    )
                )
    for commune in document["communes"]:
        for kind, name in (
            (Agency.Kind.COMMUNE, commune_name(commune["name"], city)),
            (Agency.Kind.COMMUNE_POLICE, commune_police_name(commune["name"], city)),
        ):
            rows.append(AgencyRow(kind, name, commune["unit"], communes_from, None))
    return rows


def check_document(document: dict, rows: list[AgencyRow]) -> None:
    """Fail before writing anything when the file contradicts itself."""
    counts = Counter(row.name for row in rows)
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise CommandError("Tên cơ quan bị trùng: " + "; ".join(duplicates))
    unit_codes = {unit["code"] for unit in document["units"]}
    known = set(counts)
    problems = [
        f"cơ quan {row.name}: không có đơn vị {row.unit}"
        for row in rows
        if row.unit and row.unit not in unit_codes
    ]
    problems.extend(
        f"cơ quan {row.name}: không có cơ quan kế thừa {row.successor}"
        for row in rows
        if row.successor and row.successor not in known
    )
    communes = {commune["name"] for commune in document["communes"]}
    for district in document["districts"]:
        for period in district["periods"]:
            for key in ("court", "execution_agency"):
                if period[key] not in known:
                    problems.append(f"{period['name']}: không có cơ quan {period[key]}")
        problems.extend(
            f"{ward['name']}: không có xã, phường mới {ward['new']}"
            for ward in district["wards"]
            if ward["new"] not in communes
        )
    if problems:
        raise CommandError("Dữ liệu tham chiếu không hợp lệ:\n" + "\n".join(problems))


@transaction.atomic
def load_reference(path: Path = DEFAULT_FILE) -> dict[str, int]:
    """Create the missing units and agencies; return what was created."""
    document = load_document(path)
    rows = agency_rows(document)
    check_document(document, rows)

    # Units: parents come before children in the file.
    units = {unit.code: unit for unit in Unit.objects.all()}
    created_units = 0
    for item in document["units"]:
        if item["code"] in units:
            continue
        units[item["code"]] = Unit.objects.create(
            code=item["code"],
            name=item["name"],
            header_name=item.get("header_name", ""),
            place_name=item.get("place_name", ""),
            level=item["level"],
            parent=units[item["parent"]] if item.get("parent") else None,
            valid_from=parse_date(item.get("valid_from")),
            valid_to=parse_date(item.get("valid_to")),
        )
        created_units += 1

    existing = set(Agency.objects.values_list("name", flat=True))
    new_agencies = [
        Agency(
            kind=row.kind,
            name=row.name,
            province=units[row.unit] if row.unit else None,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        for row in rows
        if row.name not in existing
    ]
    # bulk_create skips the history signal: the creation rows are written
    # alongside, as the admin would have left them.
    Agency.history.bulk_history_create(Agency.objects.bulk_create(new_agencies))

    # Successors, by name: filled in where none is recorded.
    ids = dict(Agency.objects.values_list("name", "pk"))
    successors = {row.name: row.successor for row in rows if row.successor}
    linked = []
    for agency in Agency.objects.filter(
        name__in=list(successors), successor__isnull=True
    ):
        agency.successor_id = ids[successors[agency.name]]
        linked.append(agency)
    Agency.objects.bulk_update(linked, ["successor"])
    Agency.history.bulk_history_create(
        linked, default_change_reason="Nạp dữ liệu tham chiếu: cơ quan kế thừa"
    )
    return {
        "units": created_units,
        "units_total": len(document["units"]),
        "agencies": len(new_agencies),
        "agencies_total": len(rows),
        "successors": len(linked),
    }


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị VKS và cơ quan liên quan của một tỉnh "
        "(mặc định: Hải Phòng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_FILE,
            help="Tệp JSON dữ liệu tham chiếu.",
        )

    def handle(self, *args, **options):
        result = load_reference(options["file"])
        self.stdout.write(
            f"Đơn vị: tạo mới {result['units']}/{result['units_total']}; "
            f"cơ quan: tạo mới {result['agencies']}/{result['agencies_total']} "
            "(số còn lại đã có sẵn, giữ nguyên)."
        )
        if result["successors"] and ExecutionCase.objects.exists():
            # Deadlines already stored name the bodies as they were charged
            # before the successors were known.
            self.stdout.write(
                f"Đã ghi cơ quan kế thừa cho {result['successors']} cơ quan: chạy "
                "'manage.py recompute_deadlines' để tính lại thời hạn và vi phạm "
                "theo cơ quan kế thừa."
            )
