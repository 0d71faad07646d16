"""Render each form for a demo case, as .docx, PDF and a PNG of page one.

Usage: manage.py render_form_samples docs/forms [--unit CODE] [--dpi 70]
For each form the first case of the unit for which the form is offered is
used (any case otherwise). Needs LibreOffice (soffice) and pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from PIL import Image

from cases.models import ExecutionCase, User
from documents import services
from documents.catalogue import FORMS
from documents.context import initial_fields, render_context
from documents.offers import offers_for
from documents.rendering import docx_to_pdf, render_docx


class Command(BaseCommand):
    help = "Vẽ mười hai mẫu cho một hồ sơ mẫu (docx, PDF, PNG trang đầu)."

    def add_arguments(self, parser):
        parser.add_argument("out_dir")
        parser.add_argument(
            "--unit", default="", help="Mã đơn vị (mặc định: đầu tiên)."
        )
        parser.add_argument("--dpi", type=int, default=70)
        parser.add_argument("--keep-docx", action="store_true")

    def handle(self, *args, out_dir, unit, dpi, keep_docx, **options):
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise CommandError("Cần pdftoppm (gói poppler-utils).")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        cases = ExecutionCase.objects.filter(cancelled_on__isnull=True).select_related(
            "unit", "unit__parent", "person", "judgment__court", "sentence"
        )
        if unit:
            cases = cases.filter(unit__code=unit)
        cases = list(cases.order_by("unit__code", "pk")[:400])
        if not cases:
            raise CommandError("Chưa có hồ sơ nào (chạy seed_demo trước).")
        today = timezone.localdate()
        offered: dict[str, ExecutionCase] = {}
        for case in cases:
            for offer in offers_for(case, today):
                offered.setdefault(offer.spec.code, case)
            if len(offered) == len(FORMS):
                break

        for code, spec in FORMS.items():
            case = offered.get(code, cases[0])
            leader = User.objects.filter(unit=case.unit, role=User.Role.LEADER).first()
            fields = initial_fields(spec, case, case.prosecutor, today)
            if leader and not fields.get("signer_name"):
                fields["signer_name"] = str(leader)
            template = services.active_template(code)
            context = render_context(spec, fields, number=5)
            docx = render_docx(bytes(template.content), context)
            pdf = docx_to_pdf(docx)
            if keep_docx:
                (out / f"{code}.docx").write_bytes(docx)
            with tempfile.TemporaryDirectory() as tmp:
                source = Path(tmp) / "page.pdf"
                source.write_bytes(pdf)
                subprocess.run(  # noqa: S603 - fixed argument list, no shell
                    [
                        pdftoppm,
                        "-png",
                        "-gray",
                        "-r",
                        str(dpi),
                        "-f",
                        "1",
                        "-l",
                        "1",
                        "-singlefile",
                        str(source),
                        str(out / code),
                    ],
                    check=True,
                    capture_output=True,
                )
            # Pillow comes with WeasyPrint; an optimised greyscale PNG is
            # half the size of pdftoppm's.
            png = out / f"{code}.png"
            Image.open(png).convert("L").save(png, optimize=True)
            self.stdout.write(f"{code}: hồ sơ {case.register_number} → {code}.png")
