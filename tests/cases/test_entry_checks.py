"""Checks of the entry and event forms that QA found missing: a term on a
sentence that has none, one identity number for two people, supplementary
terms outside the Penal Code's range, events after the convict's death, a
QĐTHA before the judgment took effect, and the birth year in the export."""

import datetime as dt
import io
import time

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import (
    CaseStatus,
    Event,
    EventKind,
    ExecutionCase,
    Person,
    Sex,
)
from cases.services import add_event, status_from_events
from sothuly.reauth import SESSION_KEY
from tests.cases.test_views import _entry_data
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

ID_NUMBER = "031191001201"  # the one _entry_data types


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def _page(response) -> str:
    return response.content.decode()


# 1. Life imprisonment and death have no term ----------------------------------


@pytest.mark.parametrize("kind", ["life", "death"])
def test_a_term_on_life_or_death_is_refused_keeping_what_was_typed(
    client_for, prosecutor_a, court_a, kind
):
    client = client_for(prosecutor_a)

    response = client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{
                "convict-0-sentence_kind": kind,
                "convict-0-term_years": "2",
                "convict-0-term_months": "",
            },
        ),
    )

    page = _page(response)
    assert response.status_code == 200
    assert "Hình phạt này không có thời hạn." in page
    assert "Nguyễn Thị Hạnh" in page  # nothing typed is lost
    assert not ExecutionCase.objects.exists()


@pytest.mark.parametrize(
    ("kind", "label"), [("life", "Tù chung thân"), ("death", "Tử hình")]
)
def test_life_or_death_without_a_term_is_entered_without_one(
    client_for, prosecutor_a, court_a, kind, label
):
    client = client_for(prosecutor_a)

    response = client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{
                "convict-0-sentence_kind": kind,
                "convict-0-term_years": "",
                "convict-0-term_months": "",
            },
        ),
        follow=True,
    )

    case = ExecutionCase.objects.get()
    assert str(case.sentence) == label
    assert f"{label} 2 năm" not in _page(response)


# 2. One identity number, one person -----------------------------------------


def test_an_id_number_of_another_person_of_the_unit_is_refused(
    client_for, prosecutor_a, court_a, make_case
):
    make_case(
        _unit(prosecutor_a),
        full_name="Trần Văn Bảy",
        birth_year=1985,
        id_number=ID_NUMBER,
    )
    client = client_for(prosecutor_a)

    response = client.post("/ho-so/moi/", _entry_data(court_a))

    page = _page(response)
    assert response.status_code == 200
    assert (
        "Số định danh này đã được dùng cho Trần Văn Bảy, sinh 1985 (hồ sơ 1/2025)"
    ) in page
    assert "Nguyễn Thị Hạnh" in page
    assert ExecutionCase.objects.count() == 1


def test_an_id_number_with_another_birth_date_is_refused(
    client_for, prosecutor_a, court_a, make_case
):
    make_case(
        _unit(prosecutor_a),
        full_name="Nguyễn Thị Hạnh",
        sex=Sex.FEMALE,
        birth_date=dt.date(1991, 3, 15),
        id_number=ID_NUMBER,
    )

    response = client_for(prosecutor_a).post("/ho-so/moi/", _entry_data(court_a))

    assert "Số định danh này đã được dùng cho Nguyễn Thị Hạnh, sinh 15/03/1991" in (
        _page(response)
    )
    assert ExecutionCase.objects.count() == 1


@pytest.mark.parametrize(
    "birth",
    [{"birth_date": dt.date(1991, 3, 14)}, {"birth_year": 1991}],
    ids=["same-date", "year-only-stored"],
)
def test_the_same_person_with_a_new_judgment_is_entered_and_linked(
    client_for, prosecutor_a, court_a, make_case, birth
):
    first = make_case(
        _unit(prosecutor_a),
        full_name="Nguyễn Thị  hạnh",  # spacing and case aside, the same name
        sex=Sex.FEMALE,
        id_number=ID_NUMBER,
        **birth,
    )

    response = client_for(prosecutor_a).post("/ho-so/moi/", _entry_data(court_a))

    assert response.status_code == 302
    second = ExecutionCase.objects.exclude(pk=first.pk).get()
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert person.birth_date == dt.date(1991, 3, 14)
    assert person.residence == "Thôn Đông, xã An Lão, thành phố Hải Phòng"


def test_the_same_id_number_in_another_unit_is_neither_refused_nor_named(
    client_for, prosecutor_a, court_a, make_case, unit_b
):
    make_case(unit_b, full_name="Trần Văn Bảy", id_number=ID_NUMBER)
    client = client_for(prosecutor_a)

    response = client.post("/ho-so/moi/", _entry_data(court_a), follow=True)

    assert ExecutionCase.objects.filter(unit=_unit(prosecutor_a)).count() == 1
    assert "Trần Văn Bảy" not in _page(response)


def test_a_cancelled_entrys_id_number_does_not_block_a_new_person(
    client_for, prosecutor_a, court_a, make_case
):
    wrong = make_case(
        _unit(prosecutor_a), full_name="Trần Văn Bảy", id_number=ID_NUMBER
    )
    client = client_for(prosecutor_a)
    client.post(reverse("cases:cancel", args=[wrong.pk]), {"reason": "Vào sổ nhầm"})

    response = client.post("/ho-so/moi/", _entry_data(court_a))

    assert response.status_code == 302
    assert ExecutionCase.objects.count() == 2


def test_one_id_number_for_two_convicts_of_one_entry_is_refused(
    client_for, prosecutor_a, court_a
):
    data = _entry_data(court_a, **{"convict-TOTAL_FORMS": "2"})
    for name, value in list(data.items()):
        if name.startswith("convict-0-"):
            data[name.replace("convict-0-", "convict-1-")] = value
    data["convict-1-full_name"] = "Lê Văn Tám"
    data["convict-1-sex"] = "male"

    response = client_for(prosecutor_a).post("/ho-so/moi/", data)

    page = _page(response)
    assert "Số định danh này trùng với người bị kết án thứ 1 của bản án này." in page
    assert "Lê Văn Tám" in page
    assert not ExecutionCase.objects.exists()


# 3. Supplementary penalties within the Penal Code's range -------------------


def _with_supplementary(court, kind, years, months=""):
    return _entry_data(
        court,
        **{
            "convict-0-supplementary_kind": kind,
            "convict-0-supplementary_years": years,
            "convict-0-supplementary_months": months,
            "convict-0-supplementary_amount": "",
        },
    )


@pytest.mark.parametrize(
    ("kind", "years", "months", "message"),
    [
        ("residence_ban", "25", "", "Cấm cư trú từ 01 năm đến 05 năm (BLHS Điều 42)."),
        (
            "probation_control",
            "5",
            "6",
            "Quản chế từ 01 năm đến 05 năm (BLHS Điều 43).",
        ),
        (
            "job_ban",
            "",
            "6",
            "Cấm đảm nhiệm chức vụ, hành nghề từ 01 năm đến 05 năm (BLHS Điều 41).",
        ),
        (
            "rights_deprivation",
            "6",
            "",
            "Tước một số quyền công dân từ 01 năm đến 05 năm (BLHS Điều 44).",
        ),
        ("confiscation", "2", "", "Hình phạt bổ sung này không có thời hạn."),
    ],
)
def test_a_supplementary_term_outside_the_law_is_refused(
    client_for, prosecutor_a, court_a, kind, years, months, message
):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/", _with_supplementary(court_a, kind, years, months)
    )

    page = _page(response)
    assert message in page
    assert "Nguyễn Thị Hạnh" in page
    assert not ExecutionCase.objects.exists()


@pytest.mark.parametrize(("years", "months"), [("1", ""), ("5", ""), ("4", "6")])
def test_a_supplementary_term_within_the_law_is_entered(
    client_for, prosecutor_a, court_a, years, months
):
    response = client_for(prosecutor_a).post(
        "/ho-so/moi/", _with_supplementary(court_a, "residence_ban", years, months)
    )

    assert response.status_code == 302
    penalty = ExecutionCase.objects.get().sentence.supplementary.get()
    assert penalty.term_years * 12 + penalty.term_months in {12, 54, 60}


# 4. Nothing but the termination follows a death ------------------------------


@pytest.fixture
def dead(make_case, prosecutor_a):
    """A convict serving from 25/04/2025 who died on 01/05/2025."""
    case = make_case(_unit(prosecutor_a), prosecutor=prosecutor_a)
    add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2025, 4, 25))
    add_event(case, kind=EventKind.DEATH, date=dt.date(2025, 5, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED
    return case


def test_an_event_after_the_death_is_refused_and_the_status_stays(
    client_for, prosecutor_a, dead
):
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_add", args=[dead.pk]),
        {"kind": "reported_to_serve", "date": "04/05/2025"},
    )

    page = _page(response)
    assert response.status_code == 200
    assert (
        "Người chấp hành án đã chết ngày 01/05/2025: chỉ ghi được quyết định đình "
        "chỉ thi hành án"
    ) in page
    assert dead.events.count() == 2
    dead.refresh_from_db()
    assert dead.status == CaseStatus.TERMINATED


def test_the_termination_decision_after_the_death_is_recorded(
    client_for, prosecutor_a, dead
):
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_add", args=[dead.pk]),
        {"kind": "termination_decision_issued", "date": "05/05/2025"},
    )

    assert response.status_code == 302
    assert dead.events.filter(kind=EventKind.TERMINATION_DECISION_ISSUED).exists()


def test_an_event_cannot_be_moved_after_the_death(client_for, prosecutor_a, dead):
    event = dead.events.get(kind=EventKind.REPORTED_TO_SERVE)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_edit", args=[dead.pk, event.pk]),
        {"kind": "reported_to_serve", "date": "04/05/2025"},
    )

    assert "Người chấp hành án đã chết ngày 01/05/2025" in _page(response)
    event.refresh_from_db()
    assert event.date == dt.date(2025, 4, 25)


def test_the_death_itself_can_be_corrected(client_for, prosecutor_a, dead):
    death = dead.events.get(kind=EventKind.DEATH)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_edit", args=[dead.pk, death.pk]),
        {"kind": "death", "date": "02/05/2025"},
    )

    assert response.status_code == 302
    death.refresh_from_db()
    assert death.date == dt.date(2025, 5, 2)


def test_a_death_before_events_already_recorded_is_refused(
    client_for, prosecutor_a, make_case
):
    case = make_case(_unit(prosecutor_a), prosecutor=prosecutor_a)
    add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2025, 5, 4))
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "death", "date": "01/05/2025"},
    )

    assert "Hồ sơ đã có sự kiện sau ngày này" in _page(response)
    assert not case.events.filter(kind=EventKind.DEATH).exists()


def test_an_event_stored_after_a_death_does_not_revive_the_case(dead):
    # As older entries or an import may hold.
    Event.objects.create(
        unit=dead.unit,
        case=dead,
        kind=EventKind.REPORTED_TO_SERVE,
        date=dt.date(2025, 5, 4),
    )

    assert status_from_events(dead) == CaseStatus.TERMINATED


# 5. A QĐTHA before the judgment took effect: saved, with a warning ------------


def test_a_qdtha_before_the_effective_date_is_saved_with_a_warning(
    client_for, prosecutor_a, make_case
):
    case = make_case(_unit(prosecutor_a), prosecutor=prosecutor_a)  # effect 22/04
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_issued", "date": "10/04/2025"},
        follow=True,
    )

    assert case.events.filter(kind=EventKind.EXECUTION_DECISION_ISSUED).exists()
    assert (
        "QĐTHA ngày 10/04/2025 trước ngày bản án có hiệu lực pháp luật "
        "(22/04/2025): kiểm tra lại ngày."
    ) in _page(response)


def test_a_qdtha_typed_at_entry_before_the_proposed_effect_warns(
    client_for, prosecutor_a, court_a
):
    """Pronounced 20/12/2024 without a date of effect: the proposed effect is
    21/01/2025 (the worked example of legal-rules.md)."""
    client = client_for(prosecutor_a)

    response = client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{"convict-0-qdtha_date": "10/01/2025", "convict-0-qdtha_number": "1"},
        ),
        follow=True,
    )

    assert ExecutionCase.objects.count() == 1
    assert (
        "QĐTHA ngày 10/01/2025 trước ngày bản án có hiệu lực pháp luật "
        "(21/01/2025, ngày hệ thống đề xuất): kiểm tra lại ngày."
    ) in _page(response)


def test_a_qdtha_after_the_effective_date_gives_no_warning(
    client_for, prosecutor_a, make_case
):
    case = make_case(_unit(prosecutor_a), prosecutor=prosecutor_a)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "execution_decision_issued", "date": "24/04/2025"},
        follow=True,
    )

    assert "trước ngày bản án có hiệu lực pháp luật" not in _page(response)


# 6. The export's "Năm sinh" is a year --------------------------------------


def test_the_case_export_gives_the_birth_year_as_a_number(
    client_for, prosecutor_a, make_case
):
    unit = _unit(prosecutor_a)
    make_case(unit, full_name="Bùi Văn Ba", birth_date=dt.date(1988, 7, 9))
    make_case(unit, full_name="Cao Văn Hai", birth_year=1979, number="2/2025/HS-ST")
    client = client_for(prosecutor_a)
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()

    response = client.get("/ho-so/?xuat=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows() if any(c.value for c in row)]
    header = next(i for i, row in enumerate(rows) if row[0].value == "Số thụ lý")
    column = [c.value for c in rows[header]].index("Năm sinh")
    cells = {row[2].value: row[column] for row in rows[header + 1 :]}
    assert cells["Bùi Văn Ba"].value == 1988
    assert cells["Cao Văn Hai"].value == 1979
    assert cells["Bùi Văn Ba"].number_format == "General"  # "1988", not "1,988"


def _unit(user):
    return user.unit


def test_a_birth_date_to_come_is_told_once_and_why(client_for, prosecutor_a, court_a):
    """A birth date after today is refused beside the date, without the
    misleading 'enter a birth date or at least a year' beside the year."""
    client = client_for(prosecutor_a)
    day = TODAY + dt.timedelta(days=30)

    response = client.post(
        "/ho-so/moi/",
        _entry_data(
            court_a,
            **{
                "convict-0-birth_date": f"{day:%d/%m/%Y}",
                "convict-0-birth_year": "",
            },
        ),
    )

    page = _page(response)
    assert "Ngày này chưa đến: không được sau ngày hôm nay." in page
    assert "Nhập ngày sinh hoặc ít nhất năm sinh." not in page
    assert not ExecutionCase.objects.exists()
