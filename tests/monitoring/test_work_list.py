"""The morning work list of a prosecutor, and of a leader choosing whose."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import EventKind
from cases.services import add_event

pytestmark = pytest.mark.django_db


def test_a_prosecutor_sees_their_own_overdue_deadlines_with_the_action(
    client_for, prosecutor_a, leader_a, make_case
):
    """A5 (BLTTHS 364): effect 22/04/2025 + 7 days = Tue 29/04/2025, no QĐTHA:
    overdue; the action is the request of Mẫu 09/TH, one click from drafting."""
    mine = make_case(
        prosecutor_a.unit, full_name="Đinh Văn Của Tôi", prosecutor=prosecutor_a
    )
    make_case(prosecutor_a.unit, full_name="Hồ Văn Người Khác", prosecutor=leader_a)

    page = client_for(prosecutor_a).get("/viec-cua-toi/").content.decode()

    assert "Đinh Văn Của Tôi" in page
    assert "Hồ Văn Người Khác" not in page
    assert "29/04/2025" in page
    assert "Mẫu 09/TH" in page
    assert f'<a href="/ho-so/{mine.pk}/van-ban/09TH/moi/">' in page
    assert "?kind=execution_decision_issued#ghi-su-kien" in page


def test_a_leader_chooses_whose_list_to_read(
    client_for, prosecutor_a, leader_a, make_case
):
    make_case(prosecutor_a.unit, full_name="Đinh Văn Của Tôi", prosecutor=prosecutor_a)

    client = client_for(leader_a)

    assert "Đinh Văn Của Tôi" in client.get("/viec-cua-toi/").content.decode()
    chosen = client.get(f"/viec-cua-toi/?ksv={leader_a.pk}").content.decode()
    assert "Đinh Văn Của Tôi" not in chosen


def test_nobody_reads_the_list_of_another_units_prosecutor(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    make_case(prosecutor_a.unit, full_name="Lê Văn Bí Mật", prosecutor=prosecutor_a)

    response = client_for(prosecutor_b).get(f"/viec-cua-toi/?ksv={prosecutor_a.pk}")
    own = client_for(prosecutor_b).get("/viec-cua-toi/?ksv=").content.decode()

    assert response.status_code == 404
    assert "Bí Mật" not in own


def test_eligibility_reached_is_listed(client_for, prosecutor_a, make_case):
    """D10: 2-year probation from 20/03/2025, one half = 20/03/2026, reached
    within the last 60 days on 01/04/2026."""
    make_case(
        prosecutor_a.unit,
        full_name="Vũ Thị Đủ Điều Kiện",
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
        prosecutor=prosecutor_a,
    )
    from monitoring import worklist

    sections = {
        s.key: s
        for s in worklist.build(
            [prosecutor_a.unit_id], dt.date(2026, 4, 1), prosecutor_a
        )
    }

    assert [e.rule for e in sections["eligible"].rows] == ["D10"]
    assert sections["eligible"].rows[0].date == dt.date(2026, 3, 20)


def test_the_work_list_reads_in_a_constant_number_of_queries(
    client_for, prosecutor_a, make_case
):
    client = client_for(prosecutor_a)

    def queries_for(count: int) -> int:
        for index in range(count):
            case = make_case(
                prosecutor_a.unit,
                number=f"{index}/2025/HS-ST",
                prosecutor=prosecutor_a,
            )
            add_event(
                case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 5, 5)
            )
        with CaptureQueriesContext(connection) as context:
            assert client.get("/viec-cua-toi/").status_code == 200
        return len(context)

    assert queries_for(2) == queries_for(8)
