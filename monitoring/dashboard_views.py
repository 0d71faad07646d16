"""The leaders' dashboards (Giám sát) and the deadline lists behind them.

Who may open them: a unit leader (their unit), a provincial leader (their
province and every unit below it, read-only) and an administrator (every
unit; each read logged). A prosecutor or a clerk gets 403: their morning
view is the work list ("Việc cần làm"), which shows their own cases.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases import scoping
from cases.models import Agency, Unit, User
from monitoring import charts, dashboard
from monitoring.dashboard import KIND_LABELS, Period
from sothuly.params import as_id

PAGE_SIZE = 50
NOT_A_LEADER = (
    "Trang giám sát dành cho lãnh đạo đơn vị; kiểm sát viên xem mục «Việc cần làm»."
)

STATUS_TITLES = {
    "overdue": "Thời hạn đang quá hạn",
    "due_soon": "Thời hạn sắp đến",
    "met": "Thời hạn thực hiện đúng hạn",
    "met_late": "Thời hạn thực hiện muộn",
    "late": "Thời hạn thực hiện muộn hoặc còn quá hạn",
    "any": "Thời hạn",
}


def today() -> dt.date:
    """The day figures are judged on (a function, so tests can fix it)."""
    return timezone.localdate()


def _require_leader(user: User) -> None:
    if not (user.is_administrator or user.role == User.Role.LEADER):
        raise PermissionDenied(NOT_A_LEADER)


def _readable_units(user: User) -> list[Unit]:
    return list(
        Unit.objects.filter(pk__in=scoping.readable_unit_ids(user)).order_by(
            "level", "code"
        )
    )


def _chosen_unit(request, units: list[Unit]) -> Unit:
    """The unit of ``?unit=``, or the user's own; 404 outside the scope."""
    chosen = request.GET.get("unit", "")
    by_id = {unit.pk: unit for unit in units}
    if chosen:
        unit = by_id.get(as_id(chosen))
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    elif request.user.unit_id in by_id:
        unit = by_id[request.user.unit_id]
    elif units:
        unit = units[0]
    else:
        raise Http404("Tài khoản chưa thuộc đơn vị nào.")
    scoping.record_admin_read(request, unit.pk)
    return unit


def _period(request, now: dt.date) -> Period:
    period, problem = dashboard.parse_period(
        request.GET.get("tu", ""), request.GET.get("den", ""), now
    )
    if problem:
        messages.warning(request, problem)
    return period


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value != ""})
    return reverse(name) + (f"?{query}" if query else "")


def _drill(unit: Unit, period: Period | None = None, **params) -> str:
    """The deadline list behind a figure."""
    if period is not None:
        params.update(tu=period.from_param, den=period.to_param)
    return _url("monitoring:dashboard_deadlines", unit=unit.pk, **params)


def _month_label(month: dt.date) -> str:
    return f"{month:%m/%Y}"


# The unit dashboard ----------------------------------------------------------


def unit_dashboard(request):
    user = request.user
    _require_leader(user)
    units = _readable_units(user)
    unit = _chosen_unit(request, units)
    now = today()
    period = _period(request, now)
    data = dashboard.unit_dashboard(unit, period, now)

    for row in data.prosecutors:
        ksv = row.prosecutor_id or "none"
        row.overdue_url = _drill(unit, status="overdue", ksv=ksv)
        row.due_soon_url = _drill(unit, status="due_soon", ksv=ksv)
        row.met_late_url = _drill(unit, period, status="met_late", ksv=ksv)
        if row.prosecutor_id:
            row.cases_url = _url(
                "cases:list", unit=unit.pk, status="open", prosecutor=ksv
            )
            row.problems_url = _url(
                "cases:list", unit=unit.pk, status="problems", prosecutor=ksv
            )
    for row in data.agencies:
        where = (
            {"agency": row.agency_id}
            if row.agency_id
            else {"agency": "none", "kind": row.kind}
        )
        row.late_url = _drill(unit, period, status="late", **where)
        row.met_late_url = _drill(unit, period, status="met_late", **where)
        row.overdue_url = _drill(unit, period, status="overdue", **where)
        row.due_url = _drill(unit, period, status="any", **where)
    for row in data.months:
        month = dashboard.month_period(row.month, row.month)
        row.label = _month_label(row.month)
        row.met_url = _drill(unit, month, status="met")
        row.met_late_url = _drill(unit, month, status="met_late")
        row.overdue_url = _drill(unit, month, status="overdue")

    trend = charts.columns(
        charts.Chart(
            title=f"Thời hạn đến hạn theo tháng, {period.label}",
            description=(
                "Mỗi cột là các thời hạn đến hạn trong tháng: đúng hạn, thực "
                "hiện muộn, còn quá hạn đến hôm nay."
            ),
            bars=[
                charts.Bar(
                    label=f"Tháng {row.label}",
                    short_label=f"{row.month:%m/%y}",
                    segments=[
                        charts.Segment(row.met, "met", "Đúng hạn", row.met_url),
                        charts.Segment(
                            row.met_late, "late", "Thực hiện muộn", row.met_late_url
                        ),
                        charts.Segment(
                            row.overdue, "overdue", "Còn quá hạn", row.overdue_url
                        ),
                    ],
                )
                for row in data.months
            ],
            legend=[
                ("met", "Đúng hạn"),
                ("late", "Thực hiện muộn"),
                ("overdue", "Còn quá hạn"),
            ],
            uid="xu-huong",
        )
    )
    agency_chart = charts.rows(
        charts.Chart(
            title="Cơ quan chậm thực hiện nhiều nhất",
            description=(
                f"Số thời hạn đến hạn {period.label} mà cơ quan thực hiện muộn "
                "hoặc còn quá hạn; 10 cơ quan nhiều nhất."
            ),
            bars=[
                charts.Bar(
                    label=row.name,
                    segments=[
                        charts.Segment(
                            row.met_late, "late", "Thực hiện muộn", row.met_late_url
                        ),
                        charts.Segment(
                            row.overdue, "overdue", "Còn quá hạn", row.overdue_url
                        ),
                    ],
                )
                for row in data.agencies[:10]
            ],
            legend=[("late", "Thực hiện muộn"), ("overdue", "Còn quá hạn")],
            uid="co-quan",
        )
    )
    province = user.is_administrator or (
        user.role == User.Role.LEADER
        and user.unit is not None
        and user.unit.level == Unit.Level.PROVINCE
    )
    return render(
        request,
        "monitoring/dashboard_unit.html",
        {
            "data": data,
            "unit": unit,
            "units": units,
            "many_units": len(units) > 1,
            "period": period,
            "today": now,
            "trend": trend,
            "agency_chart": agency_chart,
            "watch_months": dashboard.WATCH_MONTHS,
            "links": {
                "overdue": _drill(unit, status="overdue"),
                "due_soon": _drill(unit, status="due_soon"),
                "period_met_late": _drill(unit, period, status="met_late"),
                "period_overdue": _drill(unit, period, status="overdue"),
                "period_met": _drill(unit, period, status="met"),
                "period_any": _drill(unit, period, status="any"),
                "open_cases": _url("cases:list", unit=unit.pk, status="open"),
                "problems": _url("cases:list", unit=unit.pk, status="problems"),
                "a5": _drill(unit, status="overdue", rule="A5"),
                "a10": _drill(unit, status="overdue", rule="A10"),
                "l1": _drill(unit, status="any", rule="L1", watch="12"),
                "province": reverse("monitoring:province_dashboard")
                if province
                else "",
            },
        },
    )


# The deadline list behind a figure -------------------------------------------


def _describe_filters(request, unit: Unit, units: list[Unit]) -> tuple[Q, list[str]]:
    """The filters of ``?ksv=&agency=&kind=&rule=&watch=`` as a condition,
    and their description for the page's heading."""
    condition, words = Q(), []
    ksv = request.GET.get("ksv", "")
    if ksv == "none":
        condition &= Q(case__prosecutor__isnull=True)
        words.append("hồ sơ chưa phân công")
    elif as_id(ksv):
        condition &= Q(case__prosecutor_id=as_id(ksv))
        person = User.objects.filter(
            pk=as_id(ksv), unit_id__in=[u.pk for u in units]
        ).first()
        words.append(f"kiểm sát viên {person}" if person else "kiểm sát viên đã chọn")
    agency = request.GET.get("agency", "")
    if agency == "none":
        kind = request.GET.get("kind", "")
        condition &= Q(agency__isnull=True, responsible_kind=kind)
        words.append(f"{KIND_LABELS.get(kind, kind)} (chưa ghi tên cơ quan)")
    elif as_id(agency):
        condition &= Q(agency_id=as_id(agency))
        found = Agency.objects.filter(pk=as_id(agency)).first()
        words.append(found.name if found else "cơ quan đã chọn")
    rule = request.GET.get("rule", "")[:8]
    if rule:
        condition &= Q(rule=rule)
        words.append(f"quy tắc {rule}")
    if request.GET.get("watch") == "12":
        condition &= dashboard.watch_q(today())
        words.append("thời hiệu còn dưới 12 tháng hoặc đã hết")
    return condition, words


def dashboard_deadlines(request):
    """Every deadline behind a dashboard figure, paginated."""
    user = request.user
    _require_leader(user)
    units = _readable_units(user)
    unit = _chosen_unit(request, units)
    now = today()
    status = request.GET.get("status", "overdue")
    if status not in STATUS_TITLES:
        status = "overdue"
    deadlines = dashboard.live_deadlines([unit.pk]).filter(
        dashboard.status_q(status, now)
    )
    period = None
    if request.GET.get("tu") or request.GET.get("den"):
        period = _period(request, now)
        deadlines = deadlines.filter(dashboard.period_q(period))
    condition, words = _describe_filters(request, unit, units)
    deadlines = (
        deadlines.filter(condition)
        .select_related("case__person", "case__unit", "agency")
        .order_by("due", "pk")
    )
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for deadline in rows:
        status_now = deadline.status(now)
        deadline.status_code, deadline.late_days = status_now.code, status_now.late_days
    page.object_list = rows
    query = request.GET.copy()
    query.pop("page", None)
    if period is not None:
        words.insert(0, f"đến hạn {period.label}")
    back = {"unit": unit.pk}
    if period is not None:
        back.update(tu=period.from_param, den=period.to_param)
    return render(
        request,
        "monitoring/dashboard_deadlines.html",
        {
            "title": STATUS_TITLES[status],
            "filters": words,
            "unit": unit,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
            "today": now,
            "back": _url("monitoring:unit_dashboard", **back),
        },
    )


# The province dashboard ------------------------------------------------------


def _province_of(request) -> Unit:
    user = request.user
    if user.is_administrator:
        provinces = list(
            Unit.objects.filter(level=Unit.Level.PROVINCE).order_by("code")
        )
    elif (
        user.role == User.Role.LEADER
        and user.unit is not None
        and user.unit.level == Unit.Level.PROVINCE
    ):
        provinces = [user.unit]
    else:
        raise PermissionDenied(
            "Trang giám sát cấp tỉnh dành cho lãnh đạo VKSND cấp tỉnh; lãnh đạo đơn vị "
            "xem trang giám sát của đơn vị mình."
        )
    chosen = request.GET.get("unit", "")
    if chosen:
        province = next((p for p in provinces if str(p.pk) == chosen), None)
        if province is None:
            raise Http404("Không tìm thấy đơn vị cấp tỉnh.")
    elif user.unit in provinces:
        province = user.unit
    elif provinces:
        province = provinces[0]
    else:
        raise Http404("Chưa có đơn vị cấp tỉnh.")
    request.provinces = provinces
    # A read across the province's units (None: the log's "many units").
    scoping.record_admin_read(request, None)
    return province


def province_dashboard(request):
    province = _province_of(request)
    now = today()
    period = _period(request, now)
    units = list(
        Unit.objects.filter(pk__in=province.descendant_ids())
        .exclude(pk=province.pk)
        .order_by("code")
    )
    units.append(province)
    rows, overall = dashboard.province_dashboard(units, period, now)
    # The province's own register is listed only when it holds something.
    rows = [
        row
        for row in rows
        if row.unit.pk != province.pk
        or row.totals.open_cases
        or row.totals.overdue
        or row.totals.period_due
    ]
    for row in rows:
        unit = row.unit
        row.dashboard_url = _url(
            "monitoring:unit_dashboard",
            unit=unit.pk,
            tu=period.from_param,
            den=period.to_param,
        )
        row.overdue_url = _drill(unit, status="overdue")
        row.due_soon_url = _drill(unit, status="due_soon")
        row.met_late_url = _drill(unit, period, status="met_late")
        row.period_overdue_url = _drill(unit, period, status="overdue")
        row.a5_url = _drill(unit, status="overdue", rule="A5")
        row.a10_url = _drill(unit, status="overdue", rule="A10")
        row.watch_url = _drill(unit, status="any", rule="L1", watch="12")
        row.cases_url = _url("cases:list", unit=unit.pk, status="open")
        row.problems_url = _url("cases:list", unit=unit.pk, status="problems")
    chart = charts.rows(
        charts.Chart(
            title=(
                f"Thời hạn đến hạn {period.label} chưa thực hiện đúng hạn, theo đơn vị"
            ),
            description=(
                "Mỗi thanh: số thời hạn thực hiện muộn và số còn quá hạn đến hôm "
                "nay, trong các thời hạn đến hạn trong kỳ."
            ),
            bars=[
                charts.Bar(
                    label=row.unit.name,
                    segments=[
                        charts.Segment(
                            row.totals.period_met_late,
                            "late",
                            "Thực hiện muộn",
                            row.met_late_url,
                        ),
                        charts.Segment(
                            row.totals.period_overdue,
                            "overdue",
                            "Còn quá hạn",
                            row.period_overdue_url,
                        ),
                    ],
                )
                for row in rows
            ],
            legend=[("late", "Thực hiện muộn"), ("overdue", "Còn quá hạn")],
            uid="don-vi",
        )
    )
    return render(
        request,
        "monitoring/dashboard_province.html",
        {
            "province": province,
            "provinces": request.provinces,
            "rows": rows,
            "overall": overall,
            "period": period,
            "today": now,
            "chart": chart,
        },
    )
