"""A prosecutor's morning work list: what is due, overdue or newly eligible.

Everything is read against today's date when the page is opened, from the
stored dates of the register, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cases.models import Cover, ExecutionCase
from documents.offers import OVERDUE_FORMS
from monitoring.models import DateChange, Deadline, EligibilityDate
from monitoring.rules import get_rule_sets

ELIGIBILITY_LOOKBACK_DAYS = 60
ELIGIBILITY_LOOKAHEAD_DAYS = 30
SECTION_LIMIT = 50


@dataclass
class Section:
    key: str
    title: str
    rows: list = field(default_factory=list)
    total: int = 0
    empty: str = ""


def _actions() -> dict[str, tuple[str, str]]:
    """Rule code → (what the procuracy does when it is missed, the event
    that records it done), from the rules in force."""
    actions: dict[str, tuple[str, str]] = {}
    for rule_set in get_rule_sets():
        for rule in rule_set.rules:
            stop = (rule.stop_events or rule.fallback_stop_events or ("",))[0]
            actions.setdefault(rule.code, (rule.action, stop))
    return actions


def build(
    unit_ids: list[int],
    today: dt.date,
    prosecutor=None,
    limit: int | None = SECTION_LIMIT,
) -> list[Section]:
    """The sections of the list, each cut to ``limit`` rows (``None``: all,
    for the .xlsx export and a section's own paginated page)."""
    cases = ExecutionCase.objects.filter(
        unit_id__in=unit_ids, cancelled_on__isnull=True
    )
    if prosecutor is not None:
        # Cases of a colleague this prosecutor covers today come along.
        covered = Cover.objects.filter(
            cover=prosecutor, start__lte=today, end__gte=today
        ).values("absent")
        cases = cases.filter(Q(prosecutor=prosecutor) | Q(prosecutor__in=covered))
    # The unit too (a deadline's copy of its case's): the open deadlines'
    # index starts with it, where the case ids alone read the whole table.
    deadlines = Deadline.objects.filter(
        unit_id__in=unit_ids, case__in=cases
    ).select_related("case__person", "agency")
    actions = _actions()

    def with_actions(queryset: QuerySet) -> list:
        rows = list(queryset[:limit])
        for row in rows:
            status = row.status(today)
            row.status_code, row.late_days = status.code, status.late_days
            row.action, row.stop_event = actions.get(row.rule, ("", ""))
            row.form_code = OVERDUE_FORMS.get(row.rule)
        return rows

    overdue = deadlines.overdue(today).order_by("due", "pk")
    due_today = deadlines.open().filter(due=today).order_by("rule", "pk")
    due_soon = deadlines.due_soon(today).exclude(due=today).order_by("due", "pk")
    eligible = (
        EligibilityDate.objects.filter(
            unit_id__in=unit_ids,
            case__in=cases,
            date__gte=today - dt.timedelta(days=ELIGIBILITY_LOOKBACK_DAYS),
            date__lte=today + dt.timedelta(days=ELIGIBILITY_LOOKAHEAD_DAYS),
        )
        .select_related("case__person")
        .order_by("date", "pk")
    )
    problems = cases.exclude(problems=[]).select_related("person").order_by("pk")
    moved = (
        DateChange.objects.filter(unit_id__in=unit_ids, case__in=cases, seen=False)
        .select_related("case__person")
        .order_by("-changed_at")
    )
    return [
        Section(
            "overdue",
            "Quá hạn",
            with_actions(overdue),
            overdue.count(),
            "Không có thời hạn nào quá hạn.",
        ),
        Section(
            "today",
            "Đến hạn hôm nay",
            with_actions(due_today),
            due_today.count(),
            "Không có thời hạn nào đến hạn hôm nay.",
        ),
        Section(
            "soon",
            "Sắp đến hạn",
            with_actions(due_soon),
            due_soon.count(),
            "Không có thời hạn nào sắp đến.",
        ),
        Section(
            "eligible",
            "Đủ điều kiện xét (đã đến hoặc trong 30 ngày tới)",
            list(eligible[:limit]),
            eligible.count(),
            "Không có người nào sắp đủ điều kiện về thời gian.",
        ),
        Section(
            "problems",
            "Chưa tính được ngày (dữ liệu mâu thuẫn)",
            list(problems[:limit]),
            problems.count(),
            "Không có hồ sơ nào có dữ liệu mâu thuẫn.",
        ),
        Section(
            "moved",
            "Ngày thay đổi khi tính lại (chưa xem)",
            list(moved[:limit]),
            moved.count(),
            "Không có ngày nào thay đổi.",
        ),
    ]
