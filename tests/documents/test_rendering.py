"""The twelve forms rendered for representative cases and read back."""

import datetime as dt
import io

import pytest
from docx import Document as Docx
from docx.shared import Mm

from cases.models import Agency, EventKind, SentenceKind, Sex
from cases.services import CrimeInput, add_event
from documents import services, vn
from documents.build_templates import OUT_DIR, build
from documents.catalogue import FORMS
from documents.context import initial_fields, render_context, unit_name
from documents.rendering import render_docx

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


def _text(docx_bytes: bytes) -> tuple[Docx, str, list[str]]:
    """The document, its whole text, and the texts of its table cells."""
    doc = Docx(io.BytesIO(docx_bytes))
    cells = [
        "\n".join(p.text for p in cell.paragraphs)
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
    ]
    body = "\n".join(p.text for p in doc.paragraphs)
    return doc, body + "\n" + "\n".join(cells), cells


@pytest.fixture
def rich_case(make_case, unit_a, court_a):
    """A case with a QĐTHA, an entrustment and a late court: every form has
    something to say about it."""
    case = make_case(
        unit_a,
        full_name="trần thị BÍCH",
        sex=Sex.FEMALE,
        birth_year=1988,
        residence="Tổ 3, phường Lê Chân, thành phố Thử Nghiệm",
        crimes=[CrimeInput("173", "1"), CrimeInput("174", "2")],
        term_years=2,
        term_months=6,
    )
    add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 5, 12),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    add_event(
        case,
        kind=EventKind.ENTRUSTMENT_ISSUED,
        date=dt.date(2025, 5, 13),
        number="03/2025/QĐ-UT",
        agency=court_a,
    )
    return case


def _render(code, case, user, **overrides):
    spec = FORMS[code]
    fields = initial_fields(spec, case, user, DAY)
    fields.update(overrides)
    template = services.active_template(code)
    context = render_context(spec, fields, number=7, symbol=f"{spec.doc_type}-VKSKV1")
    return render_docx(bytes(template.content), context)


@pytest.mark.parametrize("code", list(FORMS))
def test_it_renders_every_form_with_the_parts_where_they_belong(
    code, rich_case, prosecutor_a
):
    spec = FORMS[code]
    doc, text, cells = _text(
        _render(
            code,
            rich_case,
            prosecutor_a,
            signer_name="Lê Minh Châu",
            assignee_name="Phạm Thu Hà",
        )
    )

    # The form's own label and instrument.
    assert spec.label in text
    assert "mẫu dựng lại" in text
    # Header: the superior unit, the issuing unit, number and symbol (left);
    # the motto and the place and date line (right).
    left, right = cells[0], cells[1]
    assert left.splitlines()[0] == "VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ THỬ NGHIỆM"
    assert left.splitlines()[1] == "VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - THỬ NGHIỆM"
    assert f"Số: 07/{spec.doc_type}-VKSKV1" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Thử Nghiệm, ngày 05 tháng 02 năm 2026" in right
    # The issuing unit is bold, the superior one upright.
    header_cell = doc.tables[0].rows[0].cells[0]
    assert header_cell.paragraphs[1].runs[0].bold
    assert not header_cell.paragraphs[0].runs[0].bold
    # Title, the case's names, dates and articles.
    assert spec.title in text
    assert "Trần Thị Bích" in text
    if code not in {"QDPC"}:
        assert "sinh năm 1988" in text
    assert "Điều 173 khoản 1 BLHS" in text
    assert "Điều 174 khoản 2 BLHS" in text
    assert "02 năm 06 tháng tù" in text
    assert "12/2025/HS-ST ngày 20/03/2025" in text
    # Addressee where the form has one.
    if spec.addressee_kind != "none":
        assert "Kính gửi: " in text
    if code == "09TH":
        assert "Kính gửi: Chánh án Tòa án nhân dân khu vực 1 - Thử Nghiệm" in text
    if "qdtha_number" in spec.fields:
        assert "45/2025/QĐ-CA ngày 12/05/2025" in text
    # Signer block and recipients.
    if code == "71TH":
        # The leader's titles over their name (left); the names side by
        # side in one row, so that they stand level on the page.
        assert "PHÓ VIỆN TRƯỞNG" in cells[-4]
        assert "KIỂM SÁT VIÊN" in cells[-3]
        assert cells[-2].strip() == "Lê Minh Châu"
        assert cells[-1].strip() == "Phạm Thu Hà"
    else:
        assert "Lê Minh Châu" in cells[-1]
        assert "PHÓ VIỆN TRƯỞNG" in cells[-1]
    if code != "71TH":
        recipients = cells[-2]
        assert recipients.startswith("Nơi nhận:")
        assert recipients.rstrip().endswith(
            "Lưu: HSKS, VP."
        ) or recipients.rstrip().endswith("Lưu: HSKS.")
    # No template tag is left behind.
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("code", list(FORMS))
def test_every_template_is_a4_with_the_decree_margins(code):
    section = Docx(str(OUT_DIR / FORMS[code].filename)).sections[0]

    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) - Mm(0.5) <= section.top_margin <= Mm(25) + Mm(0.5)
    assert Mm(20) - Mm(0.5) <= section.bottom_margin <= Mm(25) + Mm(0.5)
    assert Mm(30) - Mm(0.5) <= section.left_margin <= Mm(35) + Mm(0.5)
    assert Mm(15) - Mm(0.5) <= section.right_margin <= Mm(20) + Mm(0.5)
    normal = Docx(str(OUT_DIR / FORMS[code].filename)).styles["Normal"]
    assert normal.font.name == "Times New Roman"


def test_the_committed_templates_are_what_the_builder_makes(tmp_path):
    """forms_mau/ is reproducible: rebuilding gives the same document text."""
    for code, spec in FORMS.items():
        built = build(spec)
        out = io.BytesIO()
        built.save(out)
        committed = Docx(str(OUT_DIR / spec.filename))
        rebuilt = Docx(io.BytesIO(out.getvalue()))
        assert [p.text for p in committed.paragraphs] == [
            p.text for p in rebuilt.paragraphs
        ], code


def test_it_keeps_ampersands_and_angle_brackets(rich_case, prosecutor_a):
    _, text, _ = _text(
        _render("09TH", rich_case, prosecutor_a, person_residence="Khu A & B <C>")
    )

    assert "Nơi cư trú: Khu A & B <C>." in text


def test_empty_optional_fields_leave_no_stray_punctuation(make_case, unit_a):
    case = make_case(unit_a, residence="", birth_year=None, crimes=[])
    _, text, _ = _text(
        _render(
            "09TH",
            case,
            None,
            judgment_effective="",
            signer_authority="",
            signer_title="VIỆN TRƯỞNG",
        )
    )

    assert "Nơi cư trú" not in text
    assert "sinh năm" not in text
    assert "hiệu lực pháp luật từ ngày" not in text
    assert "KT." not in text
    assert "Người bị kết án: Nguyễn Văn An." in text
    for stray in (", ,", " ,", " .", ",.", ";;", "  ", "về tội ."):
        assert stray not in text, stray


def test_it_cites_the_overdue_deadline_on_09th(make_case, unit_a):
    case = make_case(unit_a)  # effective 22/04/2025, no QĐTHA: A5 due 29/04
    _, text, _ = _text(_render("09TH", case, None))

    assert (
        "Đến ngày 05/02/2026, việc Tòa án ra quyết định thi hành án đã quá hạn "
        "282 ngày (hạn cuối ngày 29/04/2025)." in text
    )


def test_a_recommendation_lists_the_agencies_violations(make_case, unit_a, court_a):
    case = make_case(unit_a)
    _, text, _ = _text(_render("KN", case, None))

    assert "phát hiện các vi phạm sau:" in text
    assert (
        "1. Tòa án nhân dân khu vực 1 - Thử Nghiệm: Tòa án sơ thẩm giao bản án cho "
        "VKS cùng cấp, hạn 31/03/2025; chưa thực hiện, quá hạn 311 ngày" in text
    )
    assert (
        "2. Tòa án nhân dân khu vực 1 - Thử Nghiệm: Tòa án ra quyết định thi hành "
        "án, hạn 29/04/2025; chưa thực hiện, quá hạn 282 ngày" in text
    )
    assert "BLTTHS 2015, Điều 364" in text
    assert "Kính gửi: Tòa án nhân dân khu vực 1 - Thử Nghiệm" in text


def test_a_suspended_sentence_reads_with_its_probation(make_case, unit_a):
    case = make_case(
        unit_a,
        sentence_kind=SentenceKind.SUSPENDED,
        term_years=1,
        probation_years=2,
    )
    _, text, _ = _text(_render("26TH", case, None))

    assert "01 năm tù nhưng cho hưởng án treo, thời gian thử thách 02 năm" in text


def test_the_escort_request_goes_to_the_execution_agency(make_case, unit_a):
    agency = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY,
        name="Cơ quan thi hành án hình sự Công an thành phố Thử Nghiệm",
        province=unit_a,
    )
    case = make_case(unit_a)
    _, text, _ = _text(_render("11TH", case, None))

    assert f"Kính gửi: Thủ trưởng {agency.name}" in text


# Vietnamese wording ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
        (dt.date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (dt.date(2025, 12, 31), "ngày 31 tháng 12 năm 2025"),
    ],
)
def test_date_words_pad_days_below_ten_and_the_first_two_months(day, expected):
    assert vn.date_words(day) == expected


def test_the_place_and_date_line():
    assert (
        vn.place_date_line("Hải Phòng", dt.date(2026, 2, 5))
        == "Hải Phòng, ngày 05 tháng 02 năm 2026"
    )


def test_lists_end_with_semicolons_and_a_full_stop():
    assert vn.listed(["Như trên;", "", "Lưu: HSKS, VP"]) == [
        "Như trên;",
        "Lưu: HSKS, VP.",
    ]


def test_names_are_written_in_title_case():
    assert vn.name_case("  NGUYỄN   văn an ") == "Nguyễn Văn An"
    assert vn.name_case("ĐỖ THỊ ÁNH") == "Đỗ Thị Ánh"


@pytest.mark.parametrize(
    ("header", "symbol"),
    [
        ("VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - HẢI PHÒNG", "VKSKV1"),
        ("VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "VKSHP"),
        ("VIỆN KIỂM SÁT NHÂN DÂN TỈNH ĐỒNG NAI", "VKSDN"),
    ],
)
def test_unit_symbols(header, symbol):
    assert vn.unit_symbol(header) == symbol


def test_unit_names_inside_a_sentence():
    assert (
        unit_name("VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - HẢI PHÒNG")
        == "Viện kiểm sát nhân dân khu vực 1 - Hải Phòng"
    )
    assert (
        unit_name("VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ HẢI PHÒNG")
        == "Viện kiểm sát nhân dân thành phố Hải Phòng"
    )
