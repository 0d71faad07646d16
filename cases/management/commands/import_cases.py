"""Import a ``sothuly/1`` document into a unit's register (all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.interchange import import_document


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ từ tệp JSON định dạng sothuly/1. Tệp được kiểm tra toàn bộ "
        "trước; có lỗi thì không nhập hồ sơ nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Tệp JSON sothuly/1.")
        parser.add_argument(
            "--unit", help="Mã đơn vị nhận (ưu tiên hơn «unit» trong tệp)."
        )
        parser.add_argument(
            "--create-unit",
            action="store_true",
            help="Tạo đơn vị nhận nếu chưa có.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Hồ sơ đã có (cùng số bản án và số định danh): thay thế các sự kiện.",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {path}: {error}") from error
        except ValueError as error:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ: {error}") from error

        report = import_document(
            document,
            unit_code=options["unit"],
            create_unit=options["create_unit"],
            update=options["update"],
        )
        for warning in report.warnings:
            self.stderr.write(f"CẢNH BÁO {warning}")
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"LỖI {error}")
            raise CommandError(
                f"Tệp có {len(report.errors)} lỗi: không nhập hồ sơ nào.",
                returncode=1,
            )
        message = f"Đã nhập {report.imported} hồ sơ vào đơn vị {report.unit_code}"
        if report.updated:
            message += f"; thay thế sự kiện của {report.updated} hồ sơ đã có"
        if report.agencies_created:
            message += f"; tạo mới {len(report.agencies_created)} cơ quan"
        if report.warnings:
            message += f"; {len(report.warnings)} cảnh báo"
        self.stdout.write(message + ".")
