"""The tally of closed deadlines (``monitoring.tally``) behind the
dashboards' period figures stays exactly what a direct count of the stored
deadlines gives, whatever changed them: a recomputation that moves a date,
an event corrected or deleted, a reassignment, a cancellation, the batch
run, a deadline saved by hand."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from cases.models import Agency, EventKind, User
from cases.services import (
    add_event,
    assign_case,
    cancel_case,
    change_event,
    delete_event,
)
from cases.services import recompute_case as recompute_after_edit
from monitoring import batch, dashboard, tally
from monitoring.models import Deadline, DeadlineTally
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _stored() -> dict:
    """The tally as stored, rows fallen to zero left out."""
    return {
        (
            row.unit_id,
            row.month,
            row.prosecutor_key,
            row.agency_key,
            row.responsible_kind,
        ): [row.met, row.met_late, row.lapsed, row.late_days]
        for row in DeadlineTally.objects.all()
        if row.met or row.met_late or row.lapsed
    }


def _direct() -> dict:
    """The same figures counted from the deadlines themselves, one by one."""
    counted: dict = defaultdict(lambda: [0, 0, 0, 0])
    for row in Deadline.objects.select_related("case"):
        if row.case.cancelled_on is not None:
            continue
        if row.done is None and row.lapsed_on is None:
            continue
        key = (
            row.unit_id,
            row.due.replace(day=1),
            row.case.prosecutor_id or 0,
            row.agency_id or 0,
            row.responsible_kind,
        )
        if row.done is not None and row.done <= row.due:
            counted[key][0] += 1
        elif row.done is not None:
            counted[key][1] += 1
            counted[key][3] += (row.done - row.due).days
        else:
            counted[key][2] += 1
    return dict(counted)


def _exact() -> dict:
    stored = _stored()
    assert stored == _direct()
    return stored


@pytest.fixture
def court(unit_a) -> Agency:
    return Agency.objects.create(
        kind=Agency.Kind.COURT, name="Tòa án Thử Tổng Hợp", province=unit_a
    )


@pytest.fixture
def served(make_case, unit_a, prosecutor_a, court):
    """A case whose QĐTHA came late (A5 met late) and was served (A6)."""
    case = make_case(
        unit_a,
        court=court,
        prosecutor=prosecutor_a,
        effective_on=dt.date(2025, 1, 10),
        pronounced_on=dt.date(2024, 12, 1),
    )
    issued = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 2, 20),
        agency=court,
    )
    add_event(case, kind=EventKind.EXECUTION_DECISION_SERVED, date=dt.date(2025, 3, 10))
    return case, issued


def test_the_tally_follows_an_event_correction(served):
    case, issued = served
    late = _exact()
    assert any(counts[1] for counts in late.values())  # A5 met late

    change_event(issued, date=dt.date(2025, 1, 12))  # corrected: on time after all
    on_time = _exact()
    assert on_time != late

    delete_event(issued)
    assert _exact() != on_time


def test_the_tally_follows_a_recomputation_that_moves_a_date(served):
    case, _ = served
    before = _exact()

    # The judgment took effect later than entered: every due date moves.
    judgment = case.judgment
    judgment.effective_on = dt.date(2025, 2, 15)
    judgment.save()
    recompute_after_edit(case)

    assert _exact() != before


def test_the_tally_follows_a_reassignment_and_a_cancellation(served, unit_a):
    case, _ = served
    mine = _exact()
    other = User.objects.create_user(
        "ksv.khac", password="x", full_name="Đỗ Văn Khác", unit=unit_a
    )

    assign_case(case, other)
    moved = _exact()
    assert {key[2] for key in moved} == {other.pk}
    assign_case(case, None)
    assert {key[2] for key in _exact()} == {0}
    # Through a plain save too (a form, the admin).
    case.refresh_from_db()
    case.prosecutor = other
    case.save()
    assert _exact() == moved

    cancel_case(case, on=TODAY, reason="Vào sổ nhầm")
    assert _exact() == {}
    assert mine


def test_the_batch_run_keeps_the_tally(served, make_case, unit_a, court):
    case, _ = served
    quiet = make_case(
        unit_a,
        number="99/2025/HS-ST",
        court=court,
        pronounced_on=dt.date(2025, 2, 1),
        effective_on=dt.date(2025, 3, 3),
    )
    # Facts entered without recomputing: only the batch run sees them.
    add_event(
        quiet,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 1),
        agency=court,
        recompute=False,
    )
    before = _stored()

    batch.recompute_cases([case.pk, quiet.pk])
    after = _exact()
    assert after != before
    batch.recompute_cases([case.pk, quiet.pk], rewrite=True)
    assert _exact() == after


def test_a_deadline_saved_or_deleted_by_hand(served):
    case, _ = served
    row = Deadline.objects.filter(case=case, done__isnull=True).first()
    before = _exact()

    row.done = row.due + dt.timedelta(days=3)
    row.save()
    assert _exact() != before
    row.delete()
    _exact()


def test_rebuilding_gives_the_tally_kept_by_difference(served, make_case, unit_a):
    make_case(unit_a, number="77/2025/HS-ST")
    kept = _exact()

    DeadlineTally.objects.all().delete()
    tally.rebuild()

    assert _stored() == kept


def test_the_dashboard_figures_equal_a_direct_count(served, unit_a, court):
    """The period figures read through the tally, against the conditions
    the dashboard used to count the deadlines with."""
    case, issued = served
    period, _ = dashboard.parse_period("2025-01", "2025-12", TODAY)

    data = dashboard.unit_dashboard(unit_a, period, TODAY)

    due = Deadline.objects.filter(
        unit=unit_a, due__gte=period.start, due__lte=period.end
    )
    totals = data.totals
    assert totals.period_due == due.exclude(dashboard.LAPSED).count()
    assert totals.period_met == due.filter(dashboard.MET).count()
    assert totals.period_met_late == due.filter(dashboard.MET_LATE).count()
    assert totals.period_overdue == due.filter(dashboard.overdue_q(TODAY)).count()
    assert totals.period_met_late > 0
    by_agency = {row.agency_id: row for row in data.agencies}
    late = due.filter(dashboard.late_q(TODAY), agency=court)
    assert by_agency[court.pk].late == late.count()
    assert by_agency[court.pk].late_days_total == sum(
        ((row.done or TODAY) - row.due).days for row in late
    )
