"""The leaders' dashboards (Giám sát): who may read them, and their figures.

Decision: a prosecutor or a clerk gets 403 on every dashboard page (their
morning view is the work list of their own cases); a unit leader reads their
unit only; a provincial leader reads every unit of the province (read-only);
an administrator reads every unit and each read is logged.
"""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import AdminAccessLog, Agency, EventKind
from cases.services import add_event
from monitoring import dashboard, dashboard_views
from monitoring.models import Deadline
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

PERIOD = "tu=2025-01&den=2025-06"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(dashboard_views, "today", lambda: TODAY)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Who reads what -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/giam-sat/", "/giam-sat/toan-tinh/", "/giam-sat/thoi-han/"]
)
def test_a_prosecutor_and_a_clerk_cannot_open_the_dashboards(
    client_for, prosecutor_a, clerk_a, url
):
    assert client_for(prosecutor_a).get(url).status_code == 403
    assert client_for(clerk_a).get(url).status_code == 403


def test_a_regional_leader_reads_their_own_unit_only(
    client_for, leader_a, unit_b, make_case
):
    make_case(leader_a.unit, full_name="Đặng Văn Của Mình")
    make_case(unit_b, full_name="Trịnh Thị Đơn Vị Khác")
    client = client_for(leader_a)

    page = _page(client, "/giam-sat/")

    assert "Đặng Văn Của Mình" in page
    assert "Trịnh Thị Đơn Vị Khác" not in page
    assert client.get(f"/giam-sat/?unit={unit_b.pk}").status_code == 404
    assert client.get("/giam-sat/?unit=abc").status_code == 404
    assert client.get(f"/giam-sat/thoi-han/?unit={unit_b.pk}").status_code == 404
    assert client.get("/giam-sat/toan-tinh/").status_code == 403


def test_a_provincial_leader_reads_every_child_unit(
    client_for, province_leader, unit_a, unit_b, make_case
):
    make_case(unit_a, full_name="Đặng Văn Khu Vực Một")
    make_case(unit_b, full_name="Trịnh Thị Khu Vực Hai")
    client = client_for(province_leader)

    first = _page(client, f"/giam-sat/?unit={unit_a.pk}")
    second = _page(client, f"/giam-sat/?unit={unit_b.pk}")
    province = _page(client, "/giam-sat/toan-tinh/")

    assert "Đặng Văn Khu Vực Một" in first and "Trịnh Thị Khu Vực Hai" not in first
    assert "Trịnh Thị Khu Vực Hai" in second
    assert unit_a.name in province and unit_b.name in province
    assert f'href="/giam-sat/?unit={unit_a.pk}&amp;' in province
    assert f'href="/giam-sat/?unit={unit_b.pk}&amp;' in province


def test_a_provincial_leader_cannot_read_another_province(
    client_for, province_leader, make_case
):
    from cases.models import Unit

    other = Unit.objects.create(
        code="T-KHAC", name="VKSND tỉnh Khác", level=Unit.Level.PROVINCE
    )
    client = client_for(province_leader)

    assert client.get(f"/giam-sat/?unit={other.pk}").status_code == 404
    assert client.get(f"/giam-sat/toan-tinh/?unit={other.pk}").status_code == 404


def test_an_administrators_reads_are_logged(client_for, administrator, unit_a):
    client = client_for(administrator)

    _page(client, f"/giam-sat/?unit={unit_a.pk}")
    _page(client, "/giam-sat/toan-tinh/")

    assert AdminAccessLog.objects.filter(user=administrator, unit=unit_a).exists()
    assert AdminAccessLog.objects.filter(path="/giam-sat/toan-tinh/").exists()


# Figures on a hand-built register ---------------------------------------------------


def _deadline(case, rule, due, done=None, agency=None, kind="court"):
    return Deadline.objects.create(
        unit_id=case.unit_id,
        case=case,
        rule=rule,
        rule_set="LTHAHS-2019",
        title=f"Thời hạn {rule}",
        start=due - dt.timedelta(days=7),
        due=due,
        warn_from=due - dt.timedelta(days=2),
        done=done,
        responsible="Cơ quan",
        responsible_kind=kind,
        agency=agency,
        basis="Thử nghiệm",
    )


@pytest.fixture
def register(unit_a, prosecutor_a, make_case):
    """Two agencies: the court late twice (4 and 2 days) and once on time;
    the execution agency once on time and once still overdue (18 days on
    02/06/2025); a convict overdue too (A10, no agency's fault)."""
    court = Agency.objects.create(kind=Agency.Kind.COURT, name="Tòa án Thử A")
    police = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY, name="Cơ quan THAHS Thử B"
    )
    mine = make_case(
        unit_a, full_name="Lý Văn Một", prosecutor=prosecutor_a, recompute=False
    )
    nobody = make_case(
        unit_a, number="13/2025/HS-ST", full_name="Mai Thị Hai", recompute=False
    )
    d = dt.date
    _deadline(mine, "A4", d(2025, 3, 10), d(2025, 3, 14), court)
    _deadline(mine, "A5", d(2025, 4, 20), d(2025, 4, 22), court)
    _deadline(mine, "A7", d(2025, 5, 5), d(2025, 5, 5), court)
    _deadline(nobody, "B7b", d(2025, 5, 15), None, police, "execution_agency")
    _deadline(nobody, "A9a", d(2025, 4, 1), d(2025, 3, 31), police, "execution_agency")
    _deadline(nobody, "A10", d(2025, 5, 20), None, None, "convict")
    # Outside the period (due July): counted nowhere in the period.
    _deadline(nobody, "A8", d(2025, 7, 1), None, police, "execution_agency")
    return {"court": court, "police": police, "mine": mine, "nobody": nobody}


def test_the_period_tiles_account_for_every_deadline_due_in_it(
    unit_a, register, client_for, leader_a
):
    """Met, met late and overdue leave out a deadline due later in the
    period (20/06/2025, read on 02/06/2025): the page says how many."""
    _deadline(register["nobody"], "D4", dt.date(2025, 6, 20), None, register["police"])
    period, _ = dashboard.parse_period("2025-01", "2025-06", TODAY)

    totals = dashboard.unit_dashboard(unit_a, period, TODAY).totals
    page = client_for(leader_a).get("/giam-sat/?tu=2025-01&den=2025-06")

    assert (totals.period_due, totals.period_other) == (7, 1)
    assert "Còn 1 thời hạn đến hạn trong kỳ chưa đến ngày hạn" in page.content.decode()


def test_the_figures_of_a_hand_built_register(unit_a, prosecutor_a, register):
    period, _ = dashboard.parse_period("2025-01", "2025-06", TODAY)

    data = dashboard.unit_dashboard(unit_a, period, TODAY)

    totals = data.totals
    assert (totals.overdue, totals.period_due) == (2, 6)
    assert (totals.period_met, totals.period_met_late, totals.period_overdue) == (
        2,
        2,
        2,
    )
    assert totals.orphan_a10 == 1
    court, police = data.agencies
    assert (court.name, court.due, court.met_late, court.overdue) == (
        "Tòa án Thử A",
        3,
        2,
        0,
    )
    assert court.average_late_days == 3.0  # (4 + 2) / 2
    assert court.late_share == 67
    assert (police.name, police.due, police.met_late, police.overdue) == (
        "Cơ quan THAHS Thử B",
        2,
        0,
        1,
    )
    assert police.average_late_days == 18.0
    months = {row.month: (row.met, row.met_late, row.overdue) for row in data.months}
    assert len(months) == 6
    assert months[dt.date(2025, 3, 1)] == (0, 1, 0)
    assert months[dt.date(2025, 4, 1)] == (1, 1, 0)
    assert months[dt.date(2025, 5, 1)] == (1, 0, 2)
    by_name = {row.name: row for row in data.prosecutors}
    assert (
        by_name[str(prosecutor_a)].open_cases,
        by_name[str(prosecutor_a)].met_late,
    ) == (
        1,
        2,
    )
    assert by_name["Chưa phân công"].overdue == 2


def test_the_page_links_each_figure_to_the_deadlines_behind_it(
    client_for, leader_a, unit_a, register
):
    client = client_for(leader_a)
    page = _page(client, f"/giam-sat/?{PERIOD}")
    court = register["court"].pk
    late_url = (
        f"/giam-sat/thoi-han/?unit={unit_a.pk}&amp;status=late&amp;agency={court}"
        "&amp;tu=2025-01&amp;den=2025-06"
    )

    assert "Tòa án Thử A" in page
    assert "3.0 ngày" in page or "3,0 ngày" in page
    assert f"status=met_late&amp;agency={court}" in page
    behind = _page(client, late_url.replace("&amp;", "&"))
    assert "2 thời hạn" in behind
    assert "Lý Văn Một" in behind and "Mai Thị Hai" not in behind
    overdue = _page(client, f"/giam-sat/thoi-han/?unit={unit_a.pk}&status=overdue")
    assert "2 thời hạn" in overdue


def test_a_bad_period_says_why_and_shows_the_last_twelve_months(client_for, leader_a):
    page = _page(client_for(leader_a), "/giam-sat/?tu=2025-13&den=xyz")

    assert "Tháng không hợp lệ" in page
    assert "tháng 07/2024 đến tháng 06/2025" in page


def test_the_months_are_chosen_from_a_list_named_in_vietnamese(client_for, leader_a):
    """No browser month picker, which names the months in the browser's
    own language: a list of 'Tháng mm/yyyy' with the period's two chosen."""
    page = _page(client_for(leader_a), "/giam-sat/?tu=2025-01&den=2025-06")

    assert 'type="month"' not in page
    assert '<option value="2025-01" selected>Tháng 01/2025</option>' in page
    assert '<option value="2025-06" selected>Tháng 06/2025</option>' in page


def test_a_period_longer_than_three_years_is_cut(client_for, leader_a):
    page = _page(client_for(leader_a), "/giam-sat/?tu=2000-01&den=2025-06")

    assert "tối đa 36 tháng" in page
    assert "tháng 07/2022 đến tháng 06/2025" in page


# Orphan judgments and the limitation watch ------------------------------------------


def test_orphan_judgments_and_convicts_are_listed_first(
    client_for, leader_a, unit_a, make_case
):
    """A5 (BLTTHS 364): effect 22/04/2025 + 7 days = 29/04/2025, no QĐTHA:
    34 days overdue on 02/06/2025. A10 (LTHAHS 22): QĐTHA served 02/05/2025
    + 7 days = 09/05/2025, not reported: 24 days overdue."""
    make_case(unit_a, full_name="Cao Văn Chưa Có Quyết Định")
    decided = make_case(unit_a, number="14/2025/HS-ST", full_name="Lâm Thị Tại Ngoại")
    add_event(
        decided, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25)
    )
    add_event(
        decided, kind=EventKind.EXECUTION_DECISION_SERVED, date=dt.date(2025, 5, 2)
    )

    page = _page(client_for(leader_a), "/giam-sat/")
    urgent = page[page.index('id="can-xu-ly"') : page.index('id="thoi-hieu"')]
    a5, a10 = urgent.split("(A10)")

    assert "Cao Văn Chưa Có Quyết Định" in a5 and "Lâm Thị Tại Ngoại" not in a5
    assert "29/04/2025" in a5 and "34 ngày" in a5
    assert "Lâm Thị Tại Ngoại" in a10 and "09/05/2025" in a10 and "24 ngày" in a10
    assert page.index('id="can-xu-ly"') < page.index('id="xu-huong"')


@pytest.mark.parametrize(
    ("day", "level"),
    [
        # L1 (BLHS 60): prison of 2 years, effect 22/04/2025 + 5 years:
        # the judgment can no longer be executed after 22/04/2030.
        (dt.date(2029, 4, 21), None),  # 12 months and a day left: not yet
        (dt.date(2029, 4, 22), 12),
        (dt.date(2029, 10, 21), 12),
        (dt.date(2029, 10, 22), 6),
        (dt.date(2030, 1, 21), 6),
        (dt.date(2030, 1, 22), 3),
        (dt.date(2030, 4, 22), 3),  # the last day
        (dt.date(2030, 4, 23), 0),  # run out
    ],
)
def test_the_limitation_watch_warns_12_6_and_3_months_ahead(
    unit_a, make_case, day, level
):
    make_case(unit_a, full_name="Tô Văn Thời Hiệu")
    period = dashboard.default_period(day)

    data = dashboard.unit_dashboard(unit_a, period, day)

    levels = [deadline.watch_level for deadline in data.watch]
    assert levels == ([] if level is None else [level])
    if level:
        assert data.totals.watch[level] == 1
        assert all(data.totals.watch[m] == (1 if m >= level else 0) for m in (3, 6, 12))
    if level == 0:
        assert data.totals.expired == 1


def test_the_limitation_watch_on_the_page(
    client_for, leader_a, unit_a, make_case, monkeypatch
):
    make_case(unit_a, full_name="Tô Văn Thời Hiệu")
    monkeypatch.setattr(dashboard_views, "today", lambda: dt.date(2030, 2, 1))

    page = _page(client_for(leader_a), "/giam-sat/")
    watch = page[page.index('id="thoi-hieu"') :]

    assert "Tô Văn Thời Hiệu" in watch
    assert "22/04/2030" in watch
    assert "Còn dưới 3 tháng" in watch
    assert "còn 80 ngày" in watch  # 01/02/2030 → 22/04/2030


# The province dashboard --------------------------------------------------------------


def test_the_province_dashboard_sums_its_units(
    client_for, province_leader, unit_a, unit_b, make_case
):
    make_case(unit_a, full_name="Một")
    make_case(unit_a, number="2/2025/HS-ST", full_name="Hai")
    make_case(unit_b, full_name="Ba")

    rows, overall = dashboard.province_dashboard(
        [unit_a, unit_b], dashboard.default_period(TODAY), TODAY
    )

    assert [row.totals.orphan_a5 for row in rows] == [2, 1]
    assert [row.totals.open_cases for row in rows] == [2, 1]
    assert overall.orphan_a5 == 3 and overall.open_cases == 3
    page = _page(client_for(province_leader), "/giam-sat/toan-tinh/")
    assert "Cộng các đơn vị" in page
    assert "<svg" in page and 'role="img"' in page


@pytest.mark.parametrize(
    "path", ["/giam-sat/", "/giam-sat/thoi-han/", "/giam-sat/toan-tinh/"]
)
def test_another_units_leader_reads_nothing_of_unit_a(
    client_for, unit_a, unit_b, prosecutor_a, make_case, path
):
    from cases.models import User

    make_case(unit_a, full_name="Trịnh Thị Bí Mật", prosecutor=prosecutor_a)
    leader_b = User.objects.create_user(
        "lanhdao.b", password="x", full_name="Đinh Văn Nam", unit=unit_b, role="leader"
    )
    client = client_for(leader_b)

    for query in ("", f"?unit={unit_a.pk}", f"?unit={unit_a.pk}&status=any", "?ksv=1"):
        for method in ("get", "post"):
            response = getattr(client, method)(path + query)
            assert response.status_code in (200, 403, 404, 405)
            assert "Bí Mật" not in response.content.decode()
    assert client.get(f"{path}?unit={unit_a.pk}").status_code in (403, 404)


def test_the_home_page_leads_a_leader_to_the_dashboards(
    client_for, leader_a, province_leader, prosecutor_a
):
    leader = _page(client_for(leader_a), "/")
    province = _page(client_for(province_leader), "/")
    prosecutor = _page(client_for(prosecutor_a), "/")

    assert 'href="/giam-sat/"' in leader and "/giam-sat/toan-tinh/" not in leader
    assert 'href="/giam-sat/toan-tinh/"' in province
    assert "/giam-sat/" not in prosecutor
