"""Render each form for a demo case, as .docx, PDF and a PNG per page.

Usage: manage.py render_form_samples docs/forms [--unit CODE] [--dpi 70]
For each form the first case of the unit for which the form is offered is
used (any case otherwise), with the offer's event (the decision a 71/TH
checks); a recommendation, protest or self-inspection request takes the case
with the most violations, so that its sample runs onto a numbered second
page. Page one is CODE.png, later pages CODE-2.png, CODE-3.png…
Needs LibreOffice (soffice) and pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from PIL import Image

from cases.models import EventKind, ExecutionCase, User
from documents import services
from documents.catalogue import FORMS
from documents.context import (
    event_ref,
    initial_fields,
    render_context,
    violations_of,
)
from documents.offers import offers_for
from documents.rendering import docx_to_pdf, render_docx


def _plain_qdtha(event) -> bool:
    return event is not None and event.kind == EventKind.EXECUTION_DECISION_ISSUED


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
        cases = list(cases.order_by("unit__code", "pk"))
        if not cases:
            raise CommandError("Chưa có hồ sơ nào (chạy seed_demo trước).")
        today = timezone.localdate()
        offered: dict[str, tuple[ExecutionCase, object]] = {}
        most: dict[str, int] = {}
        for scanned, case in enumerate(cases):
            # The first 400 cases give a long recommendation; a rarer form
            # (an entrustment received) may need the rest of the register.
            if scanned >= 400 and len(offered) == len(FORMS):
                break
            for offer in offers_for(case, today):
                code = offer.spec.code
                if offer.spec.uses_violations:
                    count = len(violations_of(case, today))
                    if count > most.get(code, -1):
                        most[code] = count
                        offered[code] = (case, offer.event)
                elif code not in offered or (
                    # A worksheet on a postponement or a reduction shows what
                    # the chosen decision adds better than one on a QĐTHA.
                    _plain_qdtha(offered[code][1]) and not _plain_qdtha(offer.event)
                ):
                    offered[code] = (case, offer.event)

        for code, spec in FORMS.items():
            case, event = offered.get(code, (cases[0], None))
            leader = User.objects.filter(unit=case.unit, role=User.Role.LEADER).first()
            fields = initial_fields(spec, case, case.prosecutor, today, event)
            if leader and not fields.get("signer_name"):
                fields["signer_name"] = str(leader)
            template = services.active_template(code)
            context = render_context(spec, fields, number=5)
            docx = render_docx(bytes(template.content), context)
            pdf = docx_to_pdf(docx)
            if keep_docx:
                (out / f"{code}.docx").write_bytes(docx)
            for stale in out.glob(f"{code}-*.png"):
                stale.unlink()
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
                        str(source),
                        str(Path(tmp) / "page"),
                    ],
                    check=True,
                    capture_output=True,
                )
                # pdftoppm names pages page-1.png or page-01.png by count.
                pages = sorted(
                    Path(tmp).glob("page-*.png"),
                    key=lambda p: int(p.stem.rsplit("-", 1)[1]),
                )
                names = []
                for index, page in enumerate(pages, start=1):
                    png = out / (f"{code}.png" if index == 1 else f"{code}-{index}.png")
                    # Pillow comes with WeasyPrint; an optimised greyscale PNG
                    # is half the size of pdftoppm's.
                    Image.open(page).convert("L").save(png, optimize=True)
                    names.append(png.name)
            about = f" ({event_ref(event, content=False)})" if event else ""
            self.stdout.write(
                f"{code}: hồ sơ {case.register_number}{about} → {', '.join(names)}"
            )
