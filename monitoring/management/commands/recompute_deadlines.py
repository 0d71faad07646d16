"""Recompute the deadlines and eligibility dates of every case, or of one
unit's cases, in chunks (``monitoring.batch``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cases.models import ExecutionCase, Unit
from monitoring import batch
from monitoring.services import DEFAULT_REASON


class Command(BaseCommand):
    help = (
        "Tính lại thời hạn và ngày đủ điều kiện của mọi hồ sơ (hoặc của một "
        "đơn vị và các đơn vị cấp dưới)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--unit", help="Mã đơn vị (gồm cả các đơn vị cấp dưới của đơn vị đó)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Số tiến trình tính song song, mỗi tiến trình một kết nối CSDL.",
        )
        parser.add_argument(
            "--reason",
            default=DEFAULT_REASON,
            help="Lý do ghi vào các thay đổi ngày (mặc định: %(default)s).",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Số hồ sơ mỗi lượt đọc, tính và ghi (một giao dịch).",
        )

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["chunk_size"] < 1:
            raise CommandError("Số tiến trình và số hồ sơ mỗi lượt phải lớn hơn 0.")
        cases = ExecutionCase.objects.all()
        scope = "mọi đơn vị"
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}.")
            cases = cases.filter(unit_id__in=unit.descendant_ids())
            scope = unit.name

        verbose = options["verbosity"] > 1

        def progress(total: batch.BatchResult) -> None:
            if verbose:
                self.stdout.write(f"  … {total.cases} hồ sơ")

        result = batch.recompute_cases(
            cases,
            reason=options["reason"],
            chunk_size=options["chunk_size"],
            workers=options["workers"],
            progress=progress,
        )

        rate = result.cases / result.seconds if result.seconds else 0
        self.stdout.write(
            f"Đã tính lại {result.cases} hồ sơ ({scope}) trong "
            f"{result.seconds:.1f} giây ({rate:.0f} hồ sơ/giây, "
            f"{options['workers']} tiến trình)."
        )
        self.stdout.write(
            f"Thời hạn: {result.deadlines}; ngày đủ điều kiện: "
            f"{result.eligibility}; ngày thay đổi: {result.changes}; hồ sơ có "
            f"mâu thuẫn dữ liệu: {result.problem_cases}."
        )
        if result.failed:
            shown = ", ".join(str(pk) for pk in result.failed_ids[:20])
            more = " …" if len(result.failed_ids) > 20 else ""
            self.stderr.write(
                f"Không tính được {result.failed} hồ sơ (mã: {shown}{more}); "
                "xem nhật ký."
            )
