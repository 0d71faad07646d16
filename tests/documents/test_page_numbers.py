"""Page numbers as Nghị định 30/2020 wants them: Arabic numerals, 13-14 pt,
upright, centred in the top margin, from the second page on, none on the
first. Read from the section's XML of every template and of a rendered
document, and from a long document converted to PDF."""

import io
import shutil
import subprocess

import pytest
from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from documents.build_templates import OUT_DIR, build
from documents.catalogue import FORMS
from documents.context import render_context, sample_fields
from documents.rendering import docx_to_pdf, pdf_available, render_docx


def _fields(header) -> list[str]:
    """The field instructions in a header: complex fields and simple ones."""
    element = header._element
    complex_ = [t.text.strip() for t in element.iter(qn("w:instrText"))]
    simple = [f.get(qn("w:instr")).strip() for f in element.iter(qn("w:fldSimple"))]
    return complex_ + simple


def _check_page_numbers(doc: Docx) -> None:
    section = doc.sections[0]
    sect_pr = section._sectPr
    # A different first page (w:titlePg) with its own, empty header.
    assert sect_pr.find(qn("w:titlePg")) is not None
    assert section.different_first_page_header_footer
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "".join(p.text for p in first.paragraphs).strip() == ""
    assert _fields(first) == []
    # Later pages: a PAGE field, centred, Times New Roman 13-14 pt upright.
    default = section.header
    assert not default.is_linked_to_previous
    assert _fields(default) == ["PAGE"]
    numbered = [p for p in default.paragraphs if _fields_in(p)]
    assert len(numbered) == 1
    paragraph = numbered[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph.runs:
        assert run.font.name == "Times New Roman"
        assert Pt(13) <= run.font.size <= Pt(14)
        assert not run.font.bold and not run.font.italic
    kinds = [c.get(qn("w:fldCharType")) for c in paragraph._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    # The header sits inside the top margin.
    assert section.header_distance < section.top_margin


def _fields_in(paragraph) -> list[str]:
    return [t.text for t in paragraph._p.iter(qn("w:instrText"))]


@pytest.mark.parametrize("code", list(FORMS))
def test_every_template_numbers_its_pages_from_the_second(code):
    _check_page_numbers(Docx(str(OUT_DIR / FORMS[code].filename)))


@pytest.mark.parametrize("code", list(FORMS))
def test_the_page_numbers_survive_rendering(code):
    spec = FORMS[code]
    rendered = render_docx(
        (OUT_DIR / spec.filename).read_bytes(),
        render_context(spec, sample_fields(spec), number=5),
    )

    _check_page_numbers(Docx(io.BytesIO(rendered)))


def test_the_committed_headers_are_what_the_builder_makes():
    for spec in FORMS.values():
        out = io.BytesIO()
        build(spec).save(out)
        rebuilt = Docx(io.BytesIO(out.getvalue())).sections[0]
        committed = Docx(str(OUT_DIR / spec.filename)).sections[0]
        assert _fields(committed.header) == _fields(rebuilt.header), spec.code
        assert (
            committed.different_first_page_header_footer
            == rebuilt.different_first_page_header_footer
        ), spec.code


@pytest.mark.skipif(
    not pdf_available() or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and pdftotext",
)
def test_a_long_recommendation_shows_the_number_from_page_two(tmp_path):
    """Thirty violations fill three pages: page 1 starts with the form's
    label, pages 2 and 3 with their numbers."""
    spec = FORMS["KN"]
    fields = sample_fields(spec)
    fields["violations"] = [
        dict(fields["violations"][0], title=f"Vi phạm thứ {i}") for i in range(30)
    ]
    docx = render_docx(
        (OUT_DIR / spec.filename).read_bytes(),
        render_context(spec, fields, number=5),
    )
    pdf = tmp_path / "kn.pdf"
    pdf.write_bytes(docx_to_pdf(docx))

    def first_line(page: int) -> str:
        text = subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return next(line.strip() for line in text.splitlines() if line.strip())

    assert first_line(1).startswith("Mẫu kiến nghị")
    assert first_line(2) == "2"
    assert first_line(3) == "3"


@pytest.mark.skipif(
    not pdf_available() or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and pdftotext",
)
@pytest.mark.parametrize("findings", [6, 7, 8, 12])
def test_a_long_worksheet_keeps_the_signers_titles_with_their_names(tmp_path, findings):
    """Findings that fill page one move the signature titles over with the
    names: "KIỂM SÁT VIÊN" is never on one page and its name on the next."""
    spec = FORMS["71TH"]
    fields = sample_fields(spec)
    fields["signer_name"] = "Lê Minh Châu"
    fields["assignee_name"] = "Phạm Thu Hà"
    fields["check_result"] = "\n".join(
        f"Về thời hạn: vi phạm thứ {i}, hạn cuối ngày 29/04/2025, thực hiện ngày "
        "27/06/2025, chậm 59 ngày (căn cứ: BLTTHS 2015, Điều 364 khoản 1-2)."
        for i in range(findings)
    )
    docx = render_docx(
        (OUT_DIR / spec.filename).read_bytes(), render_context(spec, fields)
    )
    pdf = tmp_path / "71th.pdf"
    pdf.write_bytes(docx_to_pdf(docx))
    pages = (
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftotext", str(pdf), "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.rstrip("\f")
        .split("\f")
    )

    with_title = [n for n, page in enumerate(pages) if "KIỂM SÁT VIÊN" in page]
    with_name = [n for n, page in enumerate(pages) if "Phạm Thu Hà" in page]
    assert with_title == with_name
