"""Lists a prosecutor checks ahead of time and with the court each month.

Coming ends: postponements and suspensions ending (B7, C6), probation and
CTKGG terms ending with the certificate due on the last day (D6, E5), and
prisoners due for release within two months (F2). Monthly reconciliation
with a court: judgments that took legal effect, QĐTHA issued on time or
late (A5), convicts at liberty still without a decision.

Every list reads the stored dates and events in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from cases.models import (
    CaseStatus,
    Custody,
    Event,
    EventKind,
    ExecutionCase,
)
from monitoring.dates import add_months
from monitoring.models import Deadline

CLOSED_STATUSES = (CaseStatus.COMPLETED, CaseStatus.TERMINATED, CaseStatus.TRANSFERRED)
DEFAULT_DAYS = 30
MAX_DAYS = 366
# F2: the prison notifies two months before the term ends (LTHAHS 2019
# Art. 46(1), 107(1), 112(1), 125(1), 129(1)).
RELEASE_MONTHS = 2

_GRANTED = {
    EventKind.POSTPONEMENT_GRANTED: "Hoãn chấp hành án phạt tù",
    EventKind.SUSPENSION_GRANTED: "Tạm đình chỉ chấp hành án phạt tù",
}
# After one of these the postponement or suspension no longer runs.
_ENDED = {
    EventKind.POSTPONEMENT_GRANTED: {
        EventKind.POSTPONEMENT_CANCELLED,
        EventKind.REPORTED_TO_SERVE,
        EventKind.ESCORTED,
        EventKind.ADMITTED_TO_PRISON,
    },
    EventKind.SUSPENSION_GRANTED: {
        EventKind.SUSPENSION_ENDED,
        EventKind.SUSPENSION_CANCELLED,
        EventKind.ESCORTED,
        EventKind.ADMITTED_TO_PRISON,
    },
}
_ENDINGS = {kind for kinds in _ENDED.values() for kind in kinds}
_ENDING_CASE = {EventKind.DEATH, EventKind.TERMINATION_DECISION_ISSUED}


@dataclass
class EndRow:
    case: ExecutionCase
    what: str
    end: dt.date
    days_left: int
    note: str = ""
    due: dt.date | None = None


def _open_cases(unit_ids):
    return ExecutionCase.objects.filter(
        unit_id__in=unit_ids, cancelled_on__isnull=True
    ).exclude(status__in=CLOSED_STATUSES)


def _until(event: Event) -> dt.date | None:
    value = (event.details or {}).get("until")
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def postponements_ending(unit_ids, today: dt.date, days: int) -> list[EndRow]:
    """Postponements and suspensions whose last day (the decision's
    ``until``) falls within ``days`` from today and that nothing has ended."""
    last = today + dt.timedelta(days=days)
    events = (
        Event.objects.filter(
            unit_id__in=unit_ids,
            case__in=_open_cases(unit_ids),
            kind__in=[*_GRANTED, *_ENDINGS, *_ENDING_CASE],
        )
        .select_related("case__person", "case__unit", "case__prosecutor")
        .order_by("case_id", "date", "pk")
    )
    by_case: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(event)
    rows = []
    for case_events in by_case.values():
        for index, event in enumerate(case_events):
            if event.kind not in _GRANTED:
                continue
            until = _until(event)
            if until is None or not today <= until <= last:
                continue
            later = case_events[index + 1 :]
            if any(
                e.kind in _ENDED[event.kind] | _ENDING_CASE or e.kind == event.kind
                for e in later
            ):
                continue
            rows.append(
                EndRow(
                    event.case,
                    _GRANTED[event.kind],
                    until,
                    (until - today).days,
                    f"Quyết định ngày {event.date:%d/%m/%Y}"
                    + (f", số {event.number}" if event.number else ""),
                )
            )
    return sorted(rows, key=lambda row: (row.end, row.case.pk))


def _term_deadlines(unit_ids, rules, first: dt.date, last: dt.date):
    return (
        Deadline.objects.filter(
            unit_id__in=unit_ids,
            rule__in=rules,
            start__gte=first,
            start__lte=last,
            lapsed_on__isnull=True,
            case__in=_open_cases(unit_ids),
        )
        .select_related("case__person", "case__unit", "case__prosecutor")
        .order_by("start", "case_id")
    )


def terms_ending(unit_ids, today: dt.date, days: int) -> list[EndRow]:
    """Probation (D6) and CTKGG (E5) terms ending within ``days``: the
    execution agency issues the certificate on the last day."""
    last = today + dt.timedelta(days=days)
    rows = []
    for deadline in _term_deadlines(unit_ids, ("D6", "E5"), today, last):
        what = (
            "Hết thời gian thử thách án treo"
            if deadline.rule == "D6"
            else "Hết thời hạn cải tạo không giam giữ"
        )
        note = (
            f"Đã cấp giấy chứng nhận ngày {deadline.done:%d/%m/%Y}"
            if deadline.done
            else "Cơ quan THAHS cấp giấy chứng nhận vào ngày cuối"
        )
        rows.append(
            EndRow(
                deadline.case,
                what,
                deadline.start,
                (deadline.start - today).days,
                note,
                deadline.due,
            )
        )
    return rows


def releases_due(unit_ids, today: dt.date) -> list[EndRow]:
    """Prisoners whose term ends within two months (F2): the prison must
    already have given notice."""
    last = add_months(today, RELEASE_MONTHS)
    rows = []
    for deadline in _term_deadlines(unit_ids, ("F2",), today, last):
        if deadline.done and deadline.done > deadline.due:
            note = (
                f"Trại giam thông báo ngày {deadline.done:%d/%m/%Y}, chậm "
                f"{(deadline.done - deadline.due).days} ngày (hạn F2 "
                f"{deadline.due:%d/%m/%Y})"
            )
        elif deadline.done:
            note = f"Trại giam đã thông báo ngày {deadline.done:%d/%m/%Y}"
        elif deadline.due < today:
            note = f"Trại giam chưa thông báo: quá hạn F2 (hạn {deadline.due:%d/%m/%Y})"
        else:
            note = (
                f"Trại giam phải thông báo chậm nhất ngày {deadline.due:%d/%m/%Y} (F2)"
            )
        rows.append(
            EndRow(
                deadline.case,
                "Hết hạn tù",
                deadline.start,
                (deadline.start - today).days,
                note,
                deadline.due,
            )
        )
    return rows


# Monthly reconciliation with a court ------------------------------------------


@dataclass
class ReconRow:
    case: ExecutionCase
    effective_on: dt.date | None
    due: dt.date | None
    issued: dt.date | None
    late_days: int
    state: str  # "on_time", "late", "missing", "pending"


def _a5_rows(cases, today: dt.date) -> list[ReconRow]:
    a5 = {
        deadline.case_id: deadline
        for deadline in Deadline.objects.filter(case__in=cases, rule="A5")
    }
    rows = []
    for case in cases:
        deadline = a5.get(case.pk)
        effective = case.judgment.effective_on
        if deadline is None:
            rows.append(ReconRow(case, effective, None, None, 0, "pending"))
            continue
        status = deadline.status(today)
        if deadline.done is not None:
            state = "late" if deadline.done > deadline.due else "on_time"
        else:
            state = "missing" if deadline.due < today else "pending"
        rows.append(
            ReconRow(
                case,
                effective,
                deadline.due,
                deadline.done,
                status.late_days,
                state,
            )
        )
    return rows


def reconciliation(
    unit_ids, court_id: int, month: dt.date, today: dt.date
) -> dict[str, list[ReconRow]]:
    """The month's check with one court (``month`` is its first day).

    ``effective``: judgments of the court (as the court that must issue the
    QĐTHA) that took legal effect in the month, each with its A5 outcome;
    ``without_decision``: convicts at liberty at judgment time whose A5
    deadline has passed with no QĐTHA, whatever the month of the judgment;
    ``held_without_decision``: the same for convicts held in custody, whom
    the camp keeps but no decision yet sends to serve.
    """
    next_month = add_months(month, 1)
    base = (
        _open_cases(unit_ids)
        .select_related("person", "judgment", "unit", "prosecutor", "sentence")
        .order_by("judgment__effective_on", "person__name_sort_key", "pk")
    )
    of_court = base.filter(
        Q(judgment__first_instance_court_id=court_id)
        | Q(judgment__first_instance_court__isnull=True, judgment__court_id=court_id)
    )
    effective = list(
        of_court.filter(
            judgment__effective_on__gte=month, judgment__effective_on__lt=next_month
        )
    )
    missing_ids = Deadline.objects.filter(
        unit_id__in=unit_ids,
        rule="A5",
        done__isnull=True,
        lapsed_on__isnull=True,
        due__lt=min(today, next_month),
    ).values("case_id")
    missing = of_court.filter(pk__in=missing_ids)
    at_liberty = list(missing.filter(custody_at_judgment=Custody.AT_LIBERTY))
    held = list(missing.exclude(custody_at_judgment=Custody.AT_LIBERTY))
    return {
        "effective": _a5_rows(effective, today),
        "without_decision": _a5_rows(at_liberty, today),
        "held_without_decision": _a5_rows(held, today),
    }
