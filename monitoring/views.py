"""Deadline screens: manual overrides of a due date, the working calendar."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import scoping
from cases.models import Cover, Unit, User
from documents import services as document_services
from monitoring import jobs, services, worklist
from monitoring.calendar import get_calendar
from monitoring.forms import OverrideForm, start_of
from monitoring.models import Alert, CalendarOverride, Deadline
from sothuly import tables
from sothuly.params import as_id
from sothuly.reauth import reauth_required


def _deadline(request, pk: int, deadline_pk: int) -> Deadline:
    case = scoping.get_case(request, pk, write=True)
    if case.is_cancelled:
        raise PermissionDenied(
            f"Số thụ lý {case.register_number} đã hủy: không ấn định hạn."
        )
    deadlines = Deadline.objects.filter(case=case, unit_id=case.unit_id)
    deadline = deadlines.filter(pk=deadline_pk).first()
    if deadline is None:
        # A recomputation writes the case's deadlines again under new ids,
        # so a page loaded before a colleague's change (or in another tab)
        # names its deadline by rule and start as well.
        start = start_of(request.POST.get("start"))
        rule = request.POST.get("rule", "")[:8]
        if start is not None and rule:
            deadline = deadlines.filter(rule=rule, start=start).first()
    if deadline is None:
        raise Http404("Không tìm thấy thời hạn.")
    return deadline


@require_POST
def override(request, pk: int, deadline_pk: int):
    deadline = _deadline(request, pk, deadline_pk)
    form = OverrideForm(request.POST, deadline=deadline)
    back = reverse("cases:detail", args=[deadline.case_id]) + "#thoi-han"
    if not form.is_valid():
        # On a page of its own: on the case page the form sits folded in the
        # deadline's explanation, where neither the errors nor what was
        # typed would be seen.
        return render(
            request,
            "monitoring/override.html",
            {"case": deadline.case, "deadline": deadline, "form": form},
        )
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


def _work_row(item) -> list:
    """One row of the work list's export, whatever the section."""
    title, row = item
    case = row if hasattr(row, "problems") and hasattr(row, "person") else row.case
    if hasattr(row, "due"):
        status = {"overdue": "Quá hạn", "due_soon": "Sắp đến hạn"}.get(
            row.status_code, ""
        )
        return [
            title,
            row.due,
            status,
            row.late_days or None,
            row.rule,
            row.title,
            case.register_number,
            case.person.full_name,
            row.action if row.status_code == "overdue" else "",
        ]
    if hasattr(row, "new_date"):
        return [
            title,
            row.new_date,
            "",
            None,
            row.rule,
            f"Ngày cũ {row.old_date:%d/%m/%Y}: {row.reason}",
            case.register_number,
            case.person.full_name,
            "",
        ]
    if hasattr(row, "date"):
        return [
            title,
            row.date,
            "",
            None,
            row.rule,
            row.title,
            case.register_number,
            case.person.full_name,
            "",
        ]
    return [
        title,
        None,
        "",
        None,
        "",
        "; ".join(problem.get("message", "") for problem in case.problems),
        case.register_number,
        case.person.full_name,
        "",
    ]


WORK_TABLE = tables.Table(
    "Việc cần làm",
    [
        tables.Column("Mục", 24),
        tables.Column("Hạn / ngày", 12, "date"),
        tables.Column("Tình trạng", 14),
        tables.Column("Số ngày chậm", 10, "int"),
        tables.Column("Quy tắc", 8),
        tables.Column("Nội dung", 44),
        tables.Column("Số thụ lý", 14),
        tables.Column("Người bị kết án", 26),
        tables.Column("Việc cần làm", 36),
    ],
    row=_work_row,
)
WORK_SORTS = {"ngay": "Ngày (sớm trước)", "ten": "Tên người bị kết án"}


def _row_sort_key(row):
    case = row if hasattr(row, "person") else row.case
    day = getattr(row, "due", None) or getattr(row, "date", None)
    return (case.person.name_sort_key, day or dt.date.min)


# Exports of personal data need a recent confirmation of identity.
@reauth_required(when=tables.wants_export)
def work_list(request):
    """The morning list: a prosecutor's own cases; a leader chooses whose.

    ``?muc=`` shows one section in full, paginated and sortable; ``?xuat=xlsx``
    exports every row of the chosen sections."""
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
        prosecutor = (
            colleagues.filter(pk=as_id(chosen)).first() if as_id(chosen) else None
        )
        if prosecutor is None:
            raise Http404("Không tìm thấy kiểm sát viên.")
    if user.is_administrator:
        scoping.record_admin_read(request, None)
    today = timezone.localdate()
    section_key = request.GET.get("muc", "")
    whole = bool(section_key) or tables.wants_export(request)
    sections = worklist.build(
        unit_ids, today, prosecutor, limit=None if whole else worklist.SECTION_LIMIT
    )
    if section_key:
        sections = [s for s in sections if s.key == section_key] or sections[:1]
    if tables.wants_export(request):
        return tables.xlsx_response(
            request,
            WORK_TABLE,
            [(s.title, row) for s in sections for row in s.rows],
            filename="viec-can-lam",
            heading=[
                f"Việc cần làm — ngày {today:%d/%m/%Y}"
                + (f" — {prosecutor}" if prosecutor else "")
            ],
            target="việc cần làm",
        )
    listing = {}
    sort = request.GET.get("sort", "ngay")
    if section_key:
        if sort == "ten":
            sections[0].rows.sort(key=_row_sort_key)
        listing = tables.paginate(request, sections[0].rows)
        sections[0].rows = list(listing["page"].object_list)
    return render(
        request,
        "monitoring/work_list.html",
        {
            "sections": sections,
            "section_key": section_key,
            **listing,
            "sorts": WORK_SORTS,
            "sort": sort,
            "export_query": tables.export_query(request),
            "today": today,
            "colleagues": colleagues,
            "chosen": chosen,
            "prosecutor": prosecutor,
            "many_units": Unit.objects.filter(pk__in=unit_ids).count() > 1,
            "covering": list(
                Cover.objects.filter(
                    cover=prosecutor, start__lte=today, end__gte=today
                ).select_related("absent")
            )
            if prosecutor is not None
            else [],
            "can_draft": user.unit_id is not None
            and document_services.can_draft(user, user.unit_id),
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
        .select_related("case__person", "action__agency")
        .order_by("-day", "due")[:200]
    )
    unread = [alert.pk for alert in alerts if alert.read_at is None]
    Alert.objects.filter(pk__in=unread).update(read_at=timezone.now())
    # An alert tells what stood on its day; a deadline met since is said so,
    # the date it was met read from the deadline now stored.
    met = {
        (case_id, rule, due): done
        for case_id, rule, due, done in Deadline.objects.filter(
            case_id__in={alert.case_id for alert in alerts if alert.case_id},
            done__isnull=False,
        ).values_list("case_id", "rule", "due", "done")
    }
    for alert in alerts:
        alert.met_on = met.get((alert.case_id, alert.rule, alert.due))
    return render(
        request,
        "monitoring/notifications.html",
        {"alerts": alerts, "unread": set(unread), "last_run": jobs.last_run()},
    )


def lists_hub(request):
    """Every list of the register in one place, so the menu stays short."""
    return render(request, "monitoring/lists.html")
