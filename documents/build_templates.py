"""Build the default .docx templates of forms_mau/ with python-docx.

Run ``python -m documents.build_templates`` after changing a layout; the
generated files are committed. Every Jinja tag is written as one run, so
docxtpl never meets a tag split across runs, and every control tag
(``{%p … %}``) stands in its own paragraph, which docxtpl removes.

Layout: Nghị định 30/2020/NĐ-CP, Phụ lục I, with the procuracy variant
(two header lines, the superior unit upright and the issuing unit bold).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from documents.catalogue import FORMS, RECONSTRUCTED, FormSpec

OUT_DIR = Path(__file__).resolve().parent.parent / "forms_mau"
FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# A4 and the margins of NĐ 30/2020 (top/bottom 20-25, left 30-35, right
# 15-20 mm); the text column is 210 - 30 - 15 = 165 mm wide.
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]


def new_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width = Mm(PAGE["width"])
    section.page_height = Mm(PAGE["height"])
    section.top_margin = Mm(PAGE["top"])
    section.bottom_margin = Mm(PAGE["bottom"])
    section.left_margin = Mm(PAGE["left"])
    section.right_margin = Mm(PAGE["right"])
    section.header_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    page_numbers(section)
    return doc


PAGE_NUMBER_SIZE = 14


def page_numbers(section) -> None:
    """NĐ 30/2020: Arabic page numbers, 13-14 pt upright, centred in the top
    margin, none on the first page. A different first-page header (titlePg)
    left empty hides it on page one; the default header carries a PAGE
    field, which Word and LibreOffice compute for every later page."""
    section.different_first_page_header_footer = True
    # Touching the first-page header creates it (one empty paragraph), so a
    # reader never falls back to the numbered default header on page one.
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = CENTER
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    # A complex field (begin, instruction, separate, cached value, end): the
    # cached "2" shows until a reader updates fields; both update on open.
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = p.add_run()
        run.font.name = FONT
        run.font.size = Pt(PAGE_NUMBER_SIZE)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=None,
    indent: bool = False,
    after: float = 0,
    before: float = 0,
):
    """A paragraph of one run (so that a tag in ``text`` stays whole)."""
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    return p


def body(container, text: str, **kw):
    """A body paragraph: justified, first-line indent, 6 pt after."""
    kw.setdefault("after", 6)
    return para(container, text, align=JUSTIFY, indent=True, **kw)


def control(container, tag: str):
    """A paragraph holding only a docxtpl control tag (removed on render)."""
    return para(container, tag)


def short_rule(container, width_mm: float, cell_mm: float):
    """A solid rule of ``width_mm`` centred in a cell of ``cell_mm``: an empty
    paragraph with a bottom border, narrowed by its indents."""
    p = para(container, size=2, align=CENTER)
    side = Mm(max(0.0, (cell_mm - width_mm) / 2))
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)
    run = p.add_run("")
    run.font.size = Pt(2)
    return p


def table(doc, widths_mm: list[float]):
    """A borderless table of one row with fixed column widths."""
    return grid(doc, widths_mm, rows=1)[0]


def grid(doc, widths_mm: list[float], rows: int):
    """A borderless table with fixed column widths: the cells of each row."""
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    # A new cell holds one empty paragraph; the builders add their own.
    for row in t.rows:
        for cell in row.cells:
            cell._tc.remove(cell.paragraphs[0]._p)
    return [row.cells for row in t.rows]


def form_label(doc, spec: FormSpec):
    text = f"{spec.label} (Ban hành kèm theo {spec.instrument} - {RECONSTRUCTED})"
    para(doc, text, size=8, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, after=4)


LEFT_HEAD, RIGHT_HEAD = 70.0, TEXT_WIDTH - 70.0


def header(doc):
    left, right = table(doc, [LEFT_HEAD, RIGHT_HEAD])
    para(left, "{{ header_parent }}", size=12, align=CENTER)
    para(left, "{{ header_unit }}", size=12, bold=True, align=CENTER)
    short_rule(left, 25, LEFT_HEAD)
    para(left, "{{ number_line }}", size=13, align=CENTER, before=6)

    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=CENTER)
    para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align=CENTER)
    short_rule(right, 58, RIGHT_HEAD)
    para(right, "{{ place_date }}", size=14, italic=True, align=CENTER, before=6)


def title(doc, spec: FormSpec):
    para(doc, spec.title, size=14, bold=True, align=CENTER, before=18)
    para(doc, spec.subject, size=14, bold=True, align=CENTER)
    short_rule(doc, 40, TEXT_WIDTH)


def addressee(doc):
    para(doc, "Kính gửi: {{ addressee }}", size=14, align=CENTER, before=12, after=12)


def bases(doc):
    control(doc, "{%p for line in base_lines %}")
    body(doc, "{{ line }}", italic=True, after=3)
    control(doc, "{%p endfor %}")


def facts(doc, *, qdtha: bool = False, overdue: bool = False):
    """The convict, the judgment and (if any) the decision and the lateness,
    each optional part in a paragraph that disappears when it is blank."""
    # A document drafted from an action (several cases) has no one convict.
    control(doc, "{%p if person_line %}")
    body(doc, "Người bị kết án: {{ person_line }}.")
    control(doc, "{%p endif %}")
    control(doc, "{%p if person_residence %}")
    body(doc, "Nơi cư trú: {{ person_residence }}.")
    control(doc, "{%p endif %}")
    control(doc, "{%p if conviction %}")
    body(doc, "{{ conviction }}")
    control(doc, "{%p endif %}")
    control(doc, "{%p if judgment_effective %}")
    body(doc, "Bản án có hiệu lực pháp luật từ ngày {{ judgment_effective }}.")
    control(doc, "{%p endif %}")
    if qdtha:
        control(doc, "{%p if qdtha_ref %}")
        body(doc, "{{ qdtha_ref }}.")
        control(doc, "{%p endif %}")
    if overdue:
        control(doc, "{%p if overdue_line %}")
        body(doc, "{{ overdue_line }}")
        control(doc, "{%p endif %}")


def lines(doc, name: str, prefix: str = ""):
    control(doc, f"{{%p for line in {name} %}}")
    body(doc, prefix + "{{ line }}")
    control(doc, "{%p endfor %}")


def signer(doc, *, recipients: bool = True):
    left, right = table(doc, [75, TEXT_WIDTH - 75])
    if recipients:
        para(left, "Nơi nhận:", size=12, bold=True, italic=True, before=12)
        control(left, "{%p for line in recipient_lines %}")
        para(left, "{{ line }}", size=11)
        control(left, "{%p endfor %}")
    else:
        para(left)
    control(right, "{%p if signer_authority %}")
    para(right, "{{ signer_authority }}", size=14, bold=True, align=CENTER, before=12)
    control(right, "{%p endif %}")
    para(right, "{{ signer_title }}", size=14, bold=True, align=CENTER)
    for _ in range(4):
        para(right)
    para(right, "{{ signer_name }}", size=14, bold=True, align=CENTER)
    keep_together([left, right])


def build_request_or_notice(spec: FormSpec):
    """09, 10, 11, 13, 14, 26/TH, the request for files and for a
    self-inspection: header, title, addressee, bases, facts, body, signer."""
    doc = new_document()
    form_label(doc, spec)
    header(doc)
    title(doc, spec)
    addressee(doc)
    bases(doc)
    facts(doc, qdtha="qdtha_number" in spec.fields, overdue=bool(spec.rules))
    if "extra" in spec.fields:
        intro = {
            "10TH": "Tình trạng của người bị kết án:",
            "13TH": "Tòa án đã ủy thác thi hành án hình sự như sau:",
            "14TH": "Viện kiểm sát đã nhận thông báo về việc ủy thác thi hành án:",
            "26TH": "Cơ quan, tổ chức được giao giám sát, giáo dục và thời điểm "
            "bắt đầu:",
            "YCHS": "Hồ sơ, tài liệu cần cung cấp:",
            "YCTKT": "Nội dung cần tự kiểm tra:",
        }[spec.code]
        control(doc, "{%p if extra_lines %}")
        body(doc, intro)
        control(doc, "{%p endif %}")
        lines(doc, "extra_lines", "- ")
    lines(doc, "body_lines")
    signer(doc)
    return doc


def build_violations(spec: FormSpec):
    """The recommendation and the protest: the violations listed in turn."""
    doc = new_document()
    form_label(doc, spec)
    header(doc)
    title(doc, spec)
    addressee(doc)
    bases(doc)
    # One convict's case, or an action listing the cases of several.
    control(doc, "{%p if person_line %}")
    body(doc, "Qua kiểm sát việc thi hành án hình sự đối với:")
    facts(doc, qdtha=False)
    control(doc, "{%p else %}")
    body(doc, "Qua kiểm sát việc thi hành án hình sự{{ period_text }}:")
    control(doc, "{%p endif %}")
    body(doc, "{{ unit_name }} phát hiện các vi phạm sau:")
    control(doc, "{%p for v in violations %}")
    body(
        doc,
        "{{ loop.index }}. {% if v.person %}Đối với {{ v.person }}, {% endif %}"
        "{{ v.agency }}: {{ v.title }}"
        "{% if v.due %}, hạn {{ v.due }}; "
        "{% if v.done %}thực hiện ngày {{ v.done }}, chậm {{ v.late_days }} ngày"
        "{% else %}chưa thực hiện, quá hạn {{ v.late_days }} ngày{% endif %}"
        "{% endif %}"
        "{% if v.description %} ({{ v.description }}){% endif %}"
        "{% if v.basis %} (căn cứ: {{ v.basis }}){% endif %}.",
    )
    control(doc, "{%p endfor %}")
    lines(doc, "body_lines")
    signer(doc)
    return doc


def build_worksheet(spec: FormSpec):
    """71/TH: the supervision worksheet, signed by the prosecutor with the
    leadership's opinion; it has no addressee."""
    doc = new_document()
    form_label(doc, spec)
    header(doc)
    title(doc, spec)
    para(doc, after=6)
    body(
        doc,
        "1. Quyết định được kiểm sát: {% if decision_ref %}{{ decision_ref }}."
        "{% else %}……………………{% endif %}",
    )
    body(doc, "2. Người bị kết án: {{ person_line }}.")
    control(doc, "{%p if conviction %}")
    body(doc, "{{ conviction }}")
    control(doc, "{%p endif %}")
    body(
        doc,
        "3. Kết quả kiểm sát (thẩm quyền, thời hạn, căn cứ, nội dung, hình thức, "
        "việc gửi Viện kiểm sát):",
    )
    lines(doc, "check_lines", "- ")
    body(doc, "4. Đề xuất:")
    lines(doc, "proposal_lines", "- ")
    # The titles in one row and the names in the next, so that the names
    # stand level whatever the number of title lines on each side.
    (left, right), (left_name, right_name) = grid(
        doc, [TEXT_WIDTH / 2, TEXT_WIDTH / 2], rows=2
    )
    para(left, "Ý KIẾN CỦA LÃNH ĐẠO", size=13, bold=True, align=CENTER, before=12)
    control(left, "{%p if signer_authority %}")
    para(left, "{{ signer_authority }}", size=13, bold=True, align=CENTER)
    control(left, "{%p endif %}")
    para(left, "{{ signer_title }}", size=13, bold=True, align=CENTER)
    para(right, "KIỂM SÁT VIÊN", size=13, bold=True, align=CENTER, before=12)
    para(left_name, "{{ signer_name }}", size=14, bold=True, align=CENTER, before=48)
    para(right_name, "{{ assignee_name }}", size=14, bold=True, align=CENTER, before=48)
    keep_together([left, right, left_name, right_name])
    return doc


def keep_together(cells):
    """A signature block that a page break never enters: no row of it
    splits across pages, no paragraph splits its lines, and every paragraph
    keeps with the next one down to the name, so that a long document moves
    the titles and "Nơi nhận" to the name's page rather than leave the name
    alone on it (or the titles alone on the next).

    Both the row and the paragraph properties are set: LibreOffice honours
    the row's cantSplit, Word both; an uploaded template may carry either.
    """
    rows = list(dict.fromkeys(cell._tc.getparent() for cell in cells))
    for row in rows:
        row.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in cells:
        last_row = cell._tc.getparent() is rows[-1]
        paragraphs = cell.paragraphs
        for paragraph in paragraphs:
            fmt = paragraph.paragraph_format
            fmt.keep_together = True
            # The block's very last paragraph has nothing of it to keep with.
            if not (last_row and paragraph is paragraphs[-1]):
                fmt.keep_with_next = True


def build_assignment(spec: FormSpec):
    """The decision assigning a prosecutor: articles instead of a request."""
    doc = new_document()
    form_label(doc, spec)
    header(doc)
    title(doc, spec)
    para(doc, "VIỆN TRƯỞNG {{ header_unit }}", bold=True, align=CENTER, before=12)
    para(doc, after=6)
    bases(doc)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, before=6, after=6)
    body(
        doc,
        "Điều 1. Phân công Kiểm sát viên {{ assignee_name }} kiểm sát việc thi "
        "hành án hình sự đối với người bị kết án {{ person_line }}.",
    )
    control(doc, "{%p if conviction %}")
    body(doc, "{{ conviction }}")
    control(doc, "{%p endif %}")
    body(
        doc,
        "Điều 2. Kiểm sát viên {{ assignee_name }} có nhiệm vụ, quyền hạn theo quy "
        "định của Luật Tổ chức Viện kiểm sát nhân dân, Luật Thi hành án hình sự và "
        "Quy chế công tác kiểm sát việc tạm giữ, tạm giam và thi hành án hình sự.",
    )
    body(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Kiểm sát viên có tên tại "
        "Điều 1 và các bộ phận có liên quan chịu trách nhiệm thi hành Quyết định "
        "này.",
    )
    signer(doc)
    return doc


def build(spec: FormSpec):
    if spec.code == "71TH":
        return build_worksheet(spec)
    if spec.code == "QDPC":
        return build_assignment(spec)
    if spec.uses_violations and spec.code != "YCTKT":
        return build_violations(spec)
    return build_request_or_notice(spec)


def main(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in FORMS.values():
        path = out_dir / spec.filename
        build(spec).save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        sys.stdout.write(f"{path}\n")
