"""The signature block (the signer's titles, the space for the signature,
the name, and "Nơi nhận") never parts across a page break: its table rows
may not split and each of its paragraphs keeps with the next, in every
form, as rendered, as issued and as LibreOffice lays out a long one."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from documents import services
from documents.build_templates import OUT_DIR, build
from documents.catalogue import FORMS
from documents.context import render_context, sample_fields
from documents.rendering import docx_to_pdf, pdf_available, render_docx

NAME = "Lê Minh Châu"


def _fields(code: str) -> dict:
    fields = sample_fields(FORMS[code])
    fields["signer_name"] = NAME
    return fields


def _rendered(code: str, fields: dict | None = None) -> Docx:
    spec = FORMS[code]
    docx = render_docx(
        (OUT_DIR / spec.filename).read_bytes(),
        render_context(spec, fields or _fields(code), number=5),
    )
    return Docx(io.BytesIO(docx))


def _block(doc: Docx):
    """The table holding the signer's name."""
    return next(
        table
        for table in doc.tables
        if any(NAME in cell.text for row in table.rows for cell in row.cells)
    )


def _check_kept_together(doc: Docx, fields: dict, *, spacers: bool) -> None:
    table = _block(doc)
    rows = table.rows
    for row in rows:
        tr_pr = row._tr.trPr
        assert tr_pr is not None
        assert tr_pr.find(qn("w:cantSplit")) is not None

    kept = []
    for index, row in enumerate(rows):
        for cell in row.cells:
            paragraphs = cell.paragraphs
            for paragraph in paragraphs:
                fmt = paragraph.paragraph_format
                assert fmt.keep_together, paragraph.text
                if index < len(rows) - 1 or paragraph is not paragraphs[-1]:
                    assert fmt.keep_with_next, paragraph.text
                if fmt.keep_with_next:
                    kept.append(paragraph.text)

    # Named: the titles keep with the name, and so does the blank space under
    # them (71/TH spaces its names by the paragraph's space before instead).
    assert fields["signer_title"] in kept
    assert fields["signer_authority"] in kept
    assert spacers == ("" in kept)
    assert NAME not in kept


def _check_recipients_kept(doc: Docx) -> None:
    left = [p for row in _block(doc).rows for p in row.cells[0].paragraphs]
    texts = [p.text for p in left]
    assert "Nơi nhận:" in texts
    for paragraph in left[:-1]:
        assert paragraph.paragraph_format.keep_with_next, paragraph.text


@pytest.mark.parametrize("code", list(FORMS))
def test_every_forms_signature_block_is_kept_together_when_rendered(code):
    fields = _fields(code)
    doc = _rendered(code, fields)

    _check_kept_together(doc, fields, spacers=code != "71TH")
    if code != "71TH":
        _check_recipients_kept(doc)


def test_the_committed_templates_are_what_the_builder_makes():
    for spec in FORMS.values():
        out = io.BytesIO()
        build(spec).save(out)
        with zipfile.ZipFile(out) as rebuilt:
            expected = rebuilt.read("word/document.xml")
        with zipfile.ZipFile(OUT_DIR / spec.filename) as committed:
            assert committed.read("word/document.xml") == expected, spec.code


@pytest.mark.django_db
def test_an_issued_recommendation_keeps_its_signature_block_together(
    make_case, unit_a, court_a, prosecutor_a, leader_a, clerk_a
):
    day = dt.date(2026, 2, 5)
    case = make_case(unit_a)
    fields = services.draft_fields("KN", case, prosecutor_a, day)
    fields["signer_name"] = NAME
    document = services.create_document(case, "KN", fields, prosecutor_a)
    services.submit_document(document, prosecutor_a, check_basis=True)
    services.approve_document(document, leader_a, check_basis=True)

    issued = services.issue_document(document, clerk_a, day)

    doc = Docx(io.BytesIO(bytes(issued.content)))
    _check_kept_together(doc, issued.fields, spacers=True)
    _check_recipients_kept(doc)


def _pages(pdf_bytes: bytes, tmp_path) -> list[str]:
    pdf = tmp_path / "van-ban.pdf"
    pdf.write_bytes(pdf_bytes)
    text = subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftotext", str(pdf), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.rstrip("\f").split("\f")


@pytest.mark.skipif(
    not pdf_available() or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and pdftotext",
)
@pytest.mark.parametrize("violations", [2, 3, 18])
def test_a_long_recommendation_prints_its_signature_block_on_one_page(
    tmp_path, violations
):
    """With the templates before the fix, 2 and 3 violations left the name
    alone on page two and 18 left it alone on page three."""
    fields = _fields("KN")
    fields["violations"] = [
        dict(fields["violations"][0], title=f"Vi phạm thứ {i}")
        for i in range(violations)
    ]
    spec = FORMS["KN"]
    docx = render_docx(
        (OUT_DIR / spec.filename).read_bytes(),
        render_context(spec, fields, number=5),
    )

    pages = _pages(docx_to_pdf(docx), tmp_path)

    assert len(pages) >= 2
    block = [
        fields["signer_authority"],
        fields["signer_title"],
        NAME,
        "Nơi nhận:",
        "Lưu: HSKS, VP",
    ]
    on = {text: [n for n, page in enumerate(pages) if text in page] for text in block}
    assert on[NAME] == [len(pages) - 1]
    assert all(found == on[NAME] for found in on.values()), on
