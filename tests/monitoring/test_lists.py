"""Coming ends (postponements, suspensions, terms, releases) and the monthly
reconciliation with a court."""

import datetime as dt
import re

import pytest

from cases.models import Custody, EventKind, SentenceKind
from cases.services import add_event
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


def _postponed(make_case, unit, name, until, kind=EventKind.POSTPONEMENT_GRANTED):
    case = make_case(unit, full_name=name)
    add_event(
        case, kind=kind, date=dt.date(2025, 5, 5), details={"until": until.isoformat()}
    )
    return case


def test_postponements_and_suspensions_ending_within_30_days(
    unit_a, unit_b, prosecutor_a, make_case, client_for
):
    """Today 02/06/2025: a postponement until 20/06/2025 has 18 days left; one
    until 10/07/2025 (38 days) is beyond 30 days; a cancelled one is over."""
    _postponed(make_case, unit_a, "Hoãn Sắp Hết", dt.date(2025, 6, 20))
    _postponed(
        make_case,
        unit_a,
        "Tạm Đình Chỉ Sắp Hết",
        dt.date(2025, 6, 15),
        EventKind.SUSPENSION_GRANTED,
    )
    _postponed(make_case, unit_a, "Hoãn Còn Xa", dt.date(2025, 7, 10))
    cancelled = _postponed(make_case, unit_a, "Hoãn Đã Hủy", dt.date(2025, 6, 18))
    add_event(
        cancelled, kind=EventKind.POSTPONEMENT_CANCELLED, date=dt.date(2025, 5, 20)
    )
    _postponed(make_case, unit_b, "Hoãn Đơn Vị Khác", dt.date(2025, 6, 20))
    client = client_for(prosecutor_a)

    page = client.get("/sap-het-han/hoan-tam-dinh-chi/").content.decode()
    wider = client.get("/sap-het-han/hoan-tam-dinh-chi/?ngay=60").content.decode()

    assert "Hoãn Sắp Hết" in page
    assert re.search(r"20/06/2025</td>\s*<td[^>]*>18 ngày", page)
    assert "Tạm Đình Chỉ Sắp Hết" in page
    assert "Hoãn Còn Xa" not in page
    assert "Hoãn Còn Xa" in wider
    assert "Hoãn Đã Hủy" not in wider
    assert "Hoãn Đơn Vị Khác" not in wider


def test_ctkgg_and_probation_terms_ending(unit_a, prosecutor_a, make_case, client_for):
    """E2: CTKGG runs from the agency's receipt of the QĐTHA, 20/06/2024; one
    year ends 20/06/2025 (E5: certificate on the last day), 18 days away."""
    case = make_case(
        unit_a,
        full_name="Cải Tạo Sắp Xong",
        sentence_kind=SentenceKind.NON_CUSTODIAL_REFORM,
        term_years=1,
        pronounced_on=dt.date(2024, 5, 2),
        effective_on=dt.date(2024, 6, 3),
    )
    add_event(
        case,
        kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        date=dt.date(2024, 6, 20),
    )

    page = (
        client_for(prosecutor_a).get("/sap-het-han/thu-thach-ctkgg/").content.decode()
    )

    assert "Cải Tạo Sắp Xong" in page
    assert re.search(r"20/06/2025</td>\s*<td[^>]*>18 ngày", page)
    assert "Hết thời hạn cải tạo không giam giữ" in page


def test_prisoners_due_for_release_within_two_months(
    unit_a, prosecutor_a, make_case, client_for
):
    """F2: 2 years from reporting to serve on 01/07/2023 ends 01/07/2025,
    within two months of 02/06/2025 (to 02/08/2025); a term ending
    01/09/2025 is not yet listed."""
    old_judgment = {
        "pronounced_on": dt.date(2023, 5, 2),
        "effective_on": dt.date(2023, 6, 3),
    }
    soon = make_case(unit_a, full_name="Sắp Ra Trại", **old_judgment)
    add_event(soon, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2023, 7, 1))
    later = make_case(unit_a, full_name="Còn Lâu Mới Ra", **old_judgment)
    add_event(later, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2023, 9, 1))

    page = client_for(prosecutor_a).get("/sap-het-han/ra-trai/").content.decode()

    assert "Sắp Ra Trại" in page
    assert re.search(r"01/07/2025</td>\s*<td[^>]*>29 ngày", page)
    assert "Còn Lâu Mới Ra" not in page

    # The prison's notice, given after its F2 due date, is flagged late.
    add_event(soon, kind=EventKind.PRISON_RELEASE_NOTICE, date=dt.date(2025, 5, 20))
    due = soon.deadlines.get(rule="F2").due
    page = client_for(prosecutor_a).get("/sap-het-han/ra-trai/").content.decode()
    assert (
        f"Trại giam thông báo ngày 20/05/2025, chậm "
        f"{(dt.date(2025, 5, 20) - due).days} ngày (hạn F2 {due:%d/%m/%Y})" in page
    )


def test_the_monthly_reconciliation_with_a_court(
    unit_a, court_a, prosecutor_a, make_case, client_for
):
    """A5 (BLTTHS 364): 7 days from legal effect.

    - effect 22/04/2025, due 29/04, QĐTHA 25/04: on time;
    - effect 10/04/2025, due 17/04, QĐTHA 21/04: 4 days late;
    - effect 15/04/2025, due 22/04, at liberty, no QĐTHA: still without one;
    - effect 16/03/2025, due 23/03, held in custody, no QĐTHA: listed apart,
      whatever the month;
    - effect 03/05/2025: another month.
    """
    on_time = make_case(unit_a, full_name="Đúng Hạn Tòa")
    add_event(
        on_time, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25)
    )
    late = make_case(
        unit_a,
        full_name="Chậm Bốn Ngày",
        pronounced_on=dt.date(2025, 3, 10),
        effective_on=dt.date(2025, 4, 10),
    )
    add_event(late, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 21))
    make_case(
        unit_a,
        full_name="Tại Ngoại Chưa Có",
        pronounced_on=dt.date(2025, 3, 14),
        effective_on=dt.date(2025, 4, 15),
        custody=Custody.AT_LIBERTY,
    )
    make_case(
        unit_a,
        full_name="Tạm Giam Chưa Có",
        pronounced_on=dt.date(2025, 2, 14),
        effective_on=dt.date(2025, 3, 16),
        custody=Custody.DETAINED,
    )
    make_case(
        unit_a,
        full_name="Tháng Khác",
        pronounced_on=dt.date(2025, 4, 2),
        effective_on=dt.date(2025, 5, 3),
    )

    page = (
        client_for(prosecutor_a)
        .get(f"/doi-chieu-toa-an/?thang=2025-04&toa={court_a.pk}")
        .content.decode()
    )
    effective, rest = page.split("tại ngoại chưa có QĐTHA")
    without, held = rest.split("đang bị tạm giam chưa có QĐTHA")

    assert "Đúng Hạn Tòa" in effective and "Đúng hạn" in effective
    assert "Chậm Bốn Ngày" in effective and "Chậm 4 ngày" in effective
    assert "Tháng Khác" not in page
    assert "Tại Ngoại Chưa Có" in without
    assert "Đúng Hạn Tòa" not in without
    assert "Tạm Giam Chưa Có" in held and "Tạm Giam Chưa Có" not in without
    assert "Tại Ngoại Chưa Có" not in held


def test_a_court_of_another_area_is_not_found(
    unit_b, prosecutor_a, make_case, client_for
):
    from cases.models import Agency

    court_b = Agency.objects.create(
        kind=Agency.Kind.COURT, name="Tòa án khu vực 2", province=unit_b
    )

    response = client_for(prosecutor_a).get(f"/doi-chieu-toa-an/?toa={court_b.pk}")

    assert response.status_code == 404


def test_a_month_beyond_the_calendar_shows_last_month_instead(
    prosecutor_a, court_a, client_for
):
    """?thang=9999-12 (typed by hand) is no month the register can hold."""
    response = client_for(prosecutor_a).get(
        f"/doi-chieu-toa-an/?thang=9999-12&toa={court_a.pk}"
    )

    assert response.status_code == 200
