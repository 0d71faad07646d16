"""Deadline screens: manual overrides of a due date, the working calendar."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import scoping
from cases.models import Unit, User
from monitoring import jobs, services, worklist
from monitoring.calendar import get_calendar
from monitoring.forms import OverrideForm
from monitoring.models import Alert, CalendarOverride, Deadline


def _deadline(request, pk: int, deadline_pk: int) -> Deadline:
    case = scoping.get_case(request, pk, write=True)
    deadline = Deadline.objects.filter(
        pk=deadline_pk, case=case, unit_id=case.unit_id
    ).first()
    if deadline is None:
        raise Http404("Không tìm thấy thời hạn.")
    return deadline


@require_POST
def override(request, pk: int, deadline_pk: int):
    deadline = _deadline(request, pk, deadline_pk)
    form = OverrideForm(request.POST)
    back = reverse("cases:detail", args=[deadline.case_id]) + "#thoi-han"
    if not form.is_valid():
        errors = "; ".join(
            str(error) for field in form.errors.values() for error in field
        )
        messages.error(request, f"Chưa ấn định hạn {deadline.rule}: {errors}")
        return redirect(back)
    data = form.cleaned_data
    services.set_override(
        deadline.case,
        rule=deadline.rule,
        start=deadline.start,
        due=data["due"],
        reason=data["reason"],
        note=data["note"],
        user=request.user,
    )
    messages.success(
        request,
        f"Đã ấn định hạn {deadline.rule} là {data['due']:%d/%m/%Y}; hạn tính theo "
        "quy tắc vẫn được lưu và hiển thị.",
    )
    return redirect(back)


@require_POST
def clear_override(request, pk: int, deadline_pk: int):
    deadline = _deadline(request, pk, deadline_pk)
    services.clear_override(deadline.case, rule=deadline.rule, start=deadline.start)
    messages.success(request, f"Đã bỏ hạn ấn định của {deadline.rule}.")
    return redirect(reverse("cases:detail", args=[deadline.case_id]) + "#thoi-han")


MONTH_NAMES = [f"Tháng {n}" for n in range(1, 13)]
WEEKDAY_HEADERS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]


def work_calendar(request, year: int | None = None):
    """A year's working days, holidays and swapped days, as the engine
    counts them."""
    year = year or timezone.localdate().year
    if not 2009 <= year <= 2035:
        raise Http404("Ngoài phạm vi lịch (2009-2035).")
    cal = get_calendar()
    overrides = {
        row.date: row for row in CalendarOverride.objects.filter(date__year=year)
    }
    months = []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar().monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                working = cal.is_working_day(day)
                name = cal.working_days.get(day) or cal.days_off.get(day, "")
                cells.append(
                    {
                        "day": day,
                        "working": working,
                        "holiday": not working and day in cal.days_off,
                        "makeup": working and day.weekday() >= 5,
                        "override": day in overrides,
                        "name": name,
                    }
                )
            weeks.append(cells)
        months.append({"name": MONTH_NAMES[month - 1], "weeks": weeks})
    special = sorted(
        [(day, name, "nghỉ") for day, name in cal.days_off.items() if day.year == year]
        + [
            (day, name, "làm việc")
            for day, name in cal.working_days.items()
            if day.year == year
        ]
    )
    return render(
        request,
        "monitoring/calendar.html",
        {
            "year": year,
            "months": months,
            "weekdays": WEEKDAY_HEADERS,
            "special": [
                {
                    "day": day,
                    "name": name,
                    "kind": kind,
                    "source": overrides[day].source if day in overrides else "",
                    "override": day in overrides,
                }
                for day, name, kind in special
            ],
            "today": timezone.localdate(),
            "previous": year - 1,
            "next": year + 1,
        },
    )


def work_list(request):
    """The morning list: a prosecutor's own cases; a leader chooses whose."""
    user = request.user
    unit_ids = scoping.readable_unit_ids(user)
    colleagues = User.objects.filter(
        unit_id__in=unit_ids,
        role__in=[User.Role.PROSECUTOR, User.Role.LEADER],
        is_active=True,
    ).order_by("full_name")
    chosen = request.GET.get("ksv", "mine" if user.role == User.Role.PROSECUTOR else "")
    prosecutor = None
    if chosen == "mine":
        prosecutor = user
    elif chosen:
        prosecutor = colleagues.filter(pk=chosen).first() if chosen.isdigit() else None
        if prosecutor is None:
            raise Http404("Không tìm thấy kiểm sát viên.")
    if user.is_administrator:
        scoping.record_admin_read(request, None)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/work_list.html",
        {
            "sections": worklist.build(unit_ids, today, prosecutor),
            "today": today,
            "colleagues": colleagues,
            "chosen": chosen,
            "prosecutor": prosecutor,
            "many_units": Unit.objects.filter(pk__in=unit_ids).count() > 1,
        },
    )


def notifications(request):
    """The signed-in user's alerts of the last 30 days, newest first; opening
    the page marks them read."""
    alerts = list(
        Alert.objects.filter(
            user=request.user,
            unit_id__in=scoping.readable_unit_ids(request.user),
            day__gte=timezone.localdate() - dt.timedelta(days=30),
        )
        .select_related("case__person")
        .order_by("-day", "due")[:200]
    )
    unread = [alert.pk for alert in alerts if alert.read_at is None]
    Alert.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(
        request,
        "monitoring/notifications.html",
        {"alerts": alerts, "unread": set(unread), "last_run": jobs.last_run()},
    )
