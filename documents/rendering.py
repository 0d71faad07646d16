"""Turn a template and a context into a .docx (and a PDF where LibreOffice
is installed), and check an uploaded template before it is accepted."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx import Document as DocxDocument
from docx.shared import Mm
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from documents.catalogue import FormSpec, known_names
from documents.context import render_context, sample_fields

logger = logging.getLogger(__name__)

PDF_TIMEOUT_SECONDS = 60


class TemplateRejected(ValueError):
    """An uploaded template that cannot be used, with the reason in Vietnamese."""


def render_docx(template_bytes: bytes, context: dict) -> bytes:
    """Fill a docxtpl template. Autoescaping keeps 'A & B <C>' intact."""
    template = DocxTemplate(io.BytesIO(template_bytes))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx_bytes: bytes) -> bytes:
    """Convert with a headless LibreOffice in a private profile directory,
    so that two conversions at once do not share (and lock) one profile."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="sothuly-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "van-ban.docx"
        source.write_bytes(docx_bytes)
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                soffice,
                f"-env:UserInstallation=file://{folder / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
        )
        return (folder / "van-ban.pdf").read_bytes()


def _syntax_problem(exc: TemplateError) -> str:
    """A Jinja syntax error told in Vietnamese; its own (English) words only
    as a pointer for whoever edits the template."""
    return (
        "Mẫu có lỗi cú pháp ở trường trộn: mỗi trường phải viết "
        "{{ tên_trường }}, mỗi lệnh {% … %} phải đủ cặp (if … endif, for … "
        f"endfor). Chi tiết kỹ thuật: {exc.message or exc}."
    )


def check_template(spec: FormSpec, template_bytes: bytes) -> list[str]:
    """Render the template against sample data; raise TemplateRejected with
    the reason when it cannot be used. Returns warnings (not blocking)."""
    if not zipfile.is_zipfile(io.BytesIO(template_bytes)):
        raise TemplateRejected("Tệp không phải là tệp Word .docx hợp lệ.")
    try:
        template = DocxTemplate(io.BytesIO(template_bytes))
        names = template.get_undeclared_template_variables()
    except TemplateError as exc:
        raise TemplateRejected(_syntax_problem(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any parse failure means refuse
        logger.info("Template refused, unreadable: %s", exc)
        raise TemplateRejected(
            "Không đọc được tệp mẫu: tệp .docx bị hỏng hoặc không do Word "
            "(LibreOffice) lưu đúng cách. Mở tệp bằng Word, lưu lại dạng .docx "
            "rồi tải lên lần nữa."
        ) from exc
    unknown = sorted(set(names) - known_names())
    if unknown:
        raise TemplateRejected(
            "Mẫu dùng trường không có trong danh sách: " + ", ".join(unknown)
        )
    try:
        rendered = render_docx(
            template_bytes, render_context(spec, sample_fields(spec), number=1)
        )
        DocxDocument(io.BytesIO(rendered))
    except TemplateError as exc:
        raise TemplateRejected(_syntax_problem(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any render failure means refuse
        logger.info("Template refused, sample data did not render: %s", exc)
        raise TemplateRejected(
            "Không điền được dữ liệu mẫu vào tệp: kiểm tra các trường trộn "
            "({{ tên_trường }}) và các lệnh {% if %}, {% for %} trong mẫu."
        ) from exc

    warnings = []
    section = DocxDocument(io.BytesIO(template_bytes)).sections[0]
    if abs(section.page_width - Mm(210)) > Mm(1) or abs(
        section.page_height - Mm(297)
    ) > Mm(1):
        warnings.append("Khổ giấy của mẫu không phải A4.")
    return warnings
