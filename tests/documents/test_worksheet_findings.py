"""71/TH follows the register: a decision that kept its deadline reads as
clean; one issued late, or about which a violation is open, says so and
suggests the follow-up."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from cases.models import EventKind
from cases.services import add_event
from documents import services
from documents.catalogue import FORMS
from documents.context import initial_fields
from documents.models import Document
from violations.models import Violation

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


def _url(case, event):
    return reverse("documents:new_for_event", args=[case.pk, "71TH", event.pk])


@pytest.fixture
def late_case(make_case, unit_a, court_a):
    """Effective 22/04/2025: A5 due 29/04/2025; the QĐTHA came on
    27/06/2025, 59 days late."""
    case = make_case(unit_a, full_name="Lê Văn Bình")
    qdtha = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 6, 27),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    return case, qdtha


def test_a_late_decision_is_not_called_timely(late_case, prosecutor_a):
    case, qdtha = late_case
    deadline = case.deadlines.get(rule="A5")
    assert deadline.status(DAY).code == "met_late"
    assert deadline.status(DAY).late_days == 59

    fields = initial_fields(FORMS["71TH"], case, prosecutor_a, DAY, qdtha)

    check = fields["check_result"]
    assert "đúng thời hạn" not in check
    assert "Không có vi phạm" not in fields["proposal"]
    assert (
        "Về thời hạn: vi phạm. A5 - Tòa án ra quyết định thi hành án: hạn cuối "
        "ngày 29/04/2025, thực hiện ngày 27/06/2025, chậm 59 ngày (căn cứ: "
        "BLTTHS 2015, Điều 364 khoản 1-2)." in check
    )


def test_the_open_violation_is_proposed_for_a_recommendation(late_case, prosecutor_a):
    case, qdtha = late_case
    violation = Violation.objects.get(case=case, rule="A5")
    assert violation.state == Violation.State.FOUND

    fields = initial_fields(FORMS["71TH"], case, prosecutor_a, DAY, qdtha)

    assert (
        "Đề nghị tập hợp vi phạm (Tòa án nhân dân khu vực 1 - Thử Nghiệm: Tòa án "
        "ra quyết định thi hành án) cùng các vi phạm cùng loại để kiến nghị Tòa "
        "án nhân dân khu vực 1 - Thử Nghiệm khắc phục, phòng ngừa vi phạm tương "
        "tự." in fields["proposal"]
    )
    assert fields["proposal"].endswith("Lưu hồ sơ kiểm sát.")


def test_the_prosecutor_sees_the_lateness_on_the_page_and_the_printout(
    client_for, prosecutor_a, late_case
):
    case, qdtha = late_case
    client = client_for(prosecutor_a)
    page = client.get(_url(case, qdtha))

    html = page.content.decode()
    assert "chậm 59 ngày" in html
    assert "đúng thời hạn, đủ nội dung" not in html

    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if key in FORMS["71TH"].fields and isinstance(value, str)
    }
    client.post(_url(case, qdtha), data)
    document = Document.objects.get(case=case, form_code="71TH")
    text = "\n".join(
        p.text for p in Docx(io.BytesIO(services.document_docx(document))).paragraphs
    )
    assert "- Về thời hạn: vi phạm. A5 - Tòa án ra quyết định thi hành án" in text
    assert "- Đề nghị tập hợp vi phạm" in text
    assert "Không có vi phạm" not in text


def test_a_violation_already_in_a_recommendation_is_followed_up(
    late_case, prosecutor_a, court_a
):
    from violations.models import Action

    case, qdtha = late_case
    action = Action.objects.create(
        unit=case.unit,
        kind=Action.Kind.RECOMMENDATION,
        agency=court_a,
        addressee="Chánh án Tòa án nhân dân khu vực 1 - Thử Nghiệm",
        number="03/KN-VKSKV1",
        created_by=prosecutor_a,
    )
    Violation.objects.filter(case=case, rule="A5").update(
        state=Violation.State.INCLUDED, action=action
    )

    fields = initial_fields(FORMS["71TH"], case, prosecutor_a, DAY, qdtha)

    assert (
        "Vi phạm (Tòa án nhân dân khu vực 1 - Thử Nghiệm: Tòa án ra quyết định "
        "thi hành án) đã được đưa vào kiến nghị số 03/KN-VKSKV1 gửi Tòa án nhân "
        "dân khu vực 1 - Thử Nghiệm; đề nghị theo dõi kết quả trả lời."
        in fields["proposal"]
    )
    assert "chậm 59 ngày" in fields["check_result"]


def test_a_timely_decision_keeps_the_clean_lines(make_case, unit_a, court_a):
    case = make_case(unit_a)
    qdtha = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    assert case.deadlines.get(rule="A5").status(DAY).code == "met"

    fields = initial_fields(FORMS["71TH"], case, None, DAY, qdtha)

    assert fields["check_result"] == (
        "Quyết định đúng thẩm quyền, đúng thời hạn, đủ nội dung."
    )
    assert fields["proposal"] == "Không có vi phạm; lưu hồ sơ kiểm sát."


def test_another_decision_of_the_case_is_not_blamed_for_the_late_qdtha(
    late_case, court_a
):
    case, _ = late_case
    postponement = add_event(
        case,
        kind=EventKind.POSTPONEMENT_GRANTED,
        date=dt.date(2025, 7, 10),
        number="12/2025/QĐ-HPT",
        agency=court_a,
        details={"until": "2025-12-10"},
    )

    fields = initial_fields(FORMS["71TH"], case, None, DAY, postponement)

    assert "A5" not in fields["check_result"]
    assert "Tòa án ra quyết định thi hành án)" not in fields["proposal"]


def test_a_late_sending_of_a_timely_decision_is_a_finding_of_its_own(
    make_case, unit_a, court_a
):
    case = make_case(unit_a)
    qdtha = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_RECEIVED,
        date=dt.date(2025, 5, 20),
        agency=court_a,
    )
    a7 = case.deadlines.get(rule="A7")
    assert a7.status(DAY).code == "met_late"

    fields = initial_fields(FORMS["71TH"], case, None, DAY, qdtha)

    check = fields["check_result"]
    assert (
        "Về thời hạn: đúng thời hạn. A5 - Tòa án ra quyết định thi hành án: hạn "
        "cuối ngày 29/04/2025, thực hiện ngày 25/04/2025." in check
    )
    assert (
        "Về việc gửi, thi hành quyết định: vi phạm. A7 - Tòa án gửi quyết định thi "
        f"hành án phạt tù: hạn cuối ngày {a7.due:%d/%m/%Y}, thực hiện ngày "
        f"20/05/2025, chậm {a7.status(DAY).late_days:02d} ngày" in check
    )
    assert "Không có vi phạm" not in fields["proposal"]
