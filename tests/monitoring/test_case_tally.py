"""The case tally (``monitoring.tally``, ``CaseTally``) behind the
dashboards' "open cases" and "problems" figures stays exactly what a count
of the cases gives, whatever wrote them: a case opened, its status changed
by an event, its problems found by a recomputation (one case or the batch
run), a reassignment (through the service or a plain save of a stale
instance), a move to another unit, a cancellation, a deletion."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from cases.models import (
    CaseStatus,
    DetentionPeriod,
    EventKind,
    ExecutionCase,
    User,
)
from cases.services import add_event, assign_case, cancel_case
from cases.services import recompute_case as recompute_after_edit
from monitoring import batch, dashboard, tally
from monitoring.models import CaseTally
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

CLOSED = [CaseStatus.COMPLETED, CaseStatus.TERMINATED, CaseStatus.TRANSFERRED]


def _stored() -> dict:
    """The tally as stored, rows fallen to zero left out."""
    return {
        (row.unit_id, row.prosecutor_key): [row.open_cases, row.problems]
        for row in CaseTally.objects.all()
        if row.open_cases or row.problems
    }


def _direct() -> dict:
    """The same figures counted from the cases themselves, one by one."""
    counted: dict = defaultdict(lambda: [0, 0])
    for case in ExecutionCase.objects.all():
        if case.cancelled_on is not None:
            continue
        key = (case.unit_id, case.prosecutor_id or 0)
        if case.status not in CLOSED:
            counted[key][0] += 1
        if case.problems:
            counted[key][1] += 1
    return {key: value for key, value in counted.items() if any(value)}


def _exact() -> dict:
    stored = _stored()
    assert stored == _direct()
    return stored


def _figures(unit) -> tuple[int, int]:
    """The unit dashboard's "open cases" and "problems"."""
    period, _ = dashboard.parse_period("", "", TODAY)
    totals = dashboard.unit_dashboard(unit, period, TODAY).totals
    return totals.open_cases, totals.problems


def _conflict(case) -> DetentionPeriod:
    # A detention period that ends before it starts: the engine computes no
    # date and names the problem.
    return DetentionPeriod.objects.create(
        unit=case.unit,
        case=case,
        start=dt.date(2025, 1, 10),
        end=dt.date(2025, 1, 1),
    )


def test_opening_and_closing_a_case_moves_the_open_figure(
    make_case, unit_a, prosecutor_a
):
    first = make_case(unit_a, prosecutor=prosecutor_a)
    make_case(unit_a, number="2/2025/HS-ST")
    assert _exact() == {(unit_a.pk, prosecutor_a.pk): [1, 0], (unit_a.pk, 0): [1, 0]}
    assert _figures(unit_a) == (2, 0)

    # Served to the end: the event's recomputation saves the new status.
    add_event(first, kind=EventKind.COMPLETED, date=dt.date(2025, 5, 20))
    first.refresh_from_db()
    assert first.status == CaseStatus.COMPLETED
    assert _exact() == {(unit_a.pk, 0): [1, 0]}
    assert _figures(unit_a) == (1, 0)


def test_a_recomputation_that_finds_or_clears_a_problem(make_case, unit_a):
    case = make_case(unit_a)
    wrong = _conflict(case)

    recompute_after_edit(case)
    assert ExecutionCase.objects.get(pk=case.pk).problems
    assert _exact() == {(unit_a.pk, 0): [1, 1]}
    assert _figures(unit_a) == (1, 1)

    wrong.delete()
    case.refresh_from_db()
    recompute_after_edit(case)
    assert _exact() == {(unit_a.pk, 0): [1, 0]}
    assert _figures(unit_a) == (1, 0)


def test_the_batch_run_keeps_the_tally(make_case, unit_a, prosecutor_a):
    conflicting = make_case(unit_a, prosecutor=prosecutor_a)
    _conflict(conflicting)
    corrected = make_case(unit_a, number="2/2025/HS-ST", full_name="Vũ Thị Giang")
    wrong = _conflict(corrected)
    recompute_after_edit(corrected)
    wrong.delete()
    before = _exact()
    assert before == {(unit_a.pk, prosecutor_a.pk): [1, 0], (unit_a.pk, 0): [1, 1]}

    batch.recompute_cases([conflicting.pk, corrected.pk])

    assert _exact() == {(unit_a.pk, prosecutor_a.pk): [1, 1], (unit_a.pk, 0): [1, 0]}
    assert _figures(unit_a) == (2, 1)
    # A rewrite changes no problem: nothing moves.
    batch.recompute_cases([conflicting.pk, corrected.pk], rewrite=True)
    assert _exact() == {(unit_a.pk, prosecutor_a.pk): [1, 1], (unit_a.pk, 0): [1, 0]}


def test_a_reassignment_moves_the_case_between_prosecutors(
    make_case, unit_a, prosecutor_a
):
    case = make_case(unit_a, prosecutor=prosecutor_a)
    _conflict(case)
    recompute_after_edit(case)
    other = User.objects.create_user(
        "ksv.khac", password="x", full_name="Đỗ Văn Khác", unit=unit_a
    )

    assign_case(case, other)
    assert _exact() == {(unit_a.pk, other.pk): [1, 1]}
    assign_case(case, None)
    assert _exact() == {(unit_a.pk, 0): [1, 1]}

    # A plain save of an instance read before the problems were cleared
    # (a form, the admin): the row as stored counts, not the stale copy.
    stale = ExecutionCase.objects.get(pk=case.pk)
    ExecutionCase.objects.get(pk=case.pk).save(update_fields=["problems"])
    fresh = ExecutionCase.objects.get(pk=case.pk)
    fresh.problems = []
    fresh.save(update_fields=["problems", "updated_at"])
    assert _exact() == {(unit_a.pk, 0): [1, 0]}
    stale.prosecutor = prosecutor_a
    stale.save(update_fields=["prosecutor", "updated_at"])
    assert _exact() == {(unit_a.pk, prosecutor_a.pk): [1, 0]}
    # Without update_fields every field is written: the stale problems too.
    stale.save()
    assert _exact() == {(unit_a.pk, prosecutor_a.pk): [1, 1]}


def test_a_move_to_another_unit_a_cancellation_and_a_deletion(
    make_case, unit_a, unit_b, prosecutor_a
):
    moved = make_case(unit_a, prosecutor=prosecutor_a)
    cancelled = make_case(unit_a, number="2/2025/HS-ST")
    # Entered by mistake before anything was computed from it (a case with
    # violations recorded cannot be deleted).
    deleted = make_case(unit_a, number="3/2025/HS-ST", recompute=False)
    assert _figures(unit_a) == (3, 0)

    moved.unit = unit_b
    moved.prosecutor = None
    moved.save()
    cancel_case(cancelled, on=TODAY, reason="Vào sổ nhầm")
    deleted.delete()

    assert _exact() == {(unit_b.pk, 0): [1, 0]}
    assert _figures(unit_a) == (0, 0)
    assert _figures(unit_b) == (1, 0)


def test_rebuilding_gives_the_tally_kept_by_difference(
    make_case, unit_a, unit_b, prosecutor_a
):
    make_case(unit_a, prosecutor=prosecutor_a)
    closed = make_case(unit_a, number="2/2025/HS-ST")
    add_event(closed, kind=EventKind.COMPLETED, date=dt.date(2025, 5, 20))
    conflicting = make_case(unit_b)
    _conflict(conflicting)
    recompute_after_edit(conflicting)
    kept = _exact()

    CaseTally.objects.all().delete()
    assert tally.rebuild_cases() == 2

    assert _stored() == kept


def test_the_province_dashboard_counts_each_unit_from_the_tally(
    make_case, unit_a, unit_b, province, prosecutor_a
):
    make_case(unit_a, prosecutor=prosecutor_a)
    make_case(unit_a, number="2/2025/HS-ST")
    conflicting = make_case(unit_b)
    _conflict(conflicting)
    recompute_after_edit(conflicting)
    closed = make_case(unit_b, number="3/2025/HS-ST")
    add_event(closed, kind=EventKind.COMPLETED, date=dt.date(2025, 5, 20))
    period, _ = dashboard.parse_period("", "", TODAY)

    rows, overall = dashboard.province_dashboard(
        [unit_a, unit_b, province], period, TODAY
    )

    figures = {
        row.unit.pk: (row.totals.open_cases, row.totals.problems) for row in rows
    }
    assert figures == {unit_a.pk: (2, 0), unit_b.pk: (1, 1), province.pk: (0, 0)}
    assert (overall.open_cases, overall.problems) == (3, 1)


def test_a_deleted_prosecutors_cases_count_as_unassigned(
    make_case, unit_a, prosecutor_a
):
    """Deleting a user sets their cases' prosecutor to NULL by an UPDATE
    that no signal sees; the dashboard counts the tally's row of an id that
    no longer exists as unassigned."""
    leaving = User.objects.create_user(
        "ksv.nghi", password="x", full_name="Lý Văn Nghỉ", unit=unit_a
    )
    make_case(unit_a, prosecutor=leaving)
    make_case(unit_a, number="2/2025/HS-ST", prosecutor=prosecutor_a)
    leaving.delete()
    period, _ = dashboard.parse_period("", "", TODAY)

    data = dashboard.unit_dashboard(unit_a, period, TODAY)

    by_person = {row.name: row.open_cases for row in data.prosecutors}
    assert by_person == {str(prosecutor_a): 1, "Chưa phân công": 1}
    assert data.totals.open_cases == 2
