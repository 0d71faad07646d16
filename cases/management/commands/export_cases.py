"""Export a unit's register as a ``sothuly/1`` document on standard output."""

from __future__ import annotations

import datetime as dt
import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditLog
from audit.services import record_audit
from cases.interchange import export_unit
from cases.models import Unit


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"Ngày «{value}» không hợp lệ (định dạng YYYY-MM-DD)."
        ) from error


class Command(BaseCommand):
    help = (
        "Xuất hồ sơ của một đơn vị ra JSON định dạng sothuly/1, kèm thời hạn, "
        "ngày đủ điều kiện và vi phạm tính tại ngày --as-of."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị.")
        parser.add_argument(
            "--as-of", help="Tính các thời hạn tại ngày này (mặc định: hôm nay)."
        )

    def handle(self, *args, **options):
        as_of = iso_date(options["as_of"]) if options["as_of"] else None
        try:
            document = export_unit(options["unit"], as_of=as_of)
        except Unit.DoesNotExist as error:
            raise CommandError(
                f"Không có đơn vị mã «{options['unit']}».", returncode=1
            ) from error
        record_audit(
            AuditLog.Action.EXPORT,
            unit=Unit.objects.get(code=options["unit"]),
            username=f"lệnh export_cases ({getpass.getuser()})",
            target=f"đơn vị {options['unit']}",
            detail=f"sothuly/1, {len(document.get('cases', []))} hồ sơ",
        )
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=1))
