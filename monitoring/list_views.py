"""List screens: review-round sweeps, coming ends, the monthly
reconciliation with a court, and the user's notification settings.

Each list reads only the units of the reader's scope (``cases.scoping``),
is sortable, filterable, paginated, and exports exactly its filtered rows to
.xlsx through ``sothuly.tables``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from cases import scoping
from cases.models import Agency, Unit, User
from monitoring import lists, sweeps
from monitoring.dates import add_months
from sothuly import tables
from sothuly.params import as_id
from sothuly.reauth import reauth_required
from sothuly.tables import Column, Table

# Exports of personal data need a recent confirmation of identity; reading
# the page does not.
_reauth = reauth_required(when=tables.wants_export)


def _units(unit_ids) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=unit_ids).order_by("level", "code"))


def _chosen_unit(request, unit_ids: list[int]) -> list[int]:
    """``?unit=`` narrows a list to one unit of the scope; anything else is a
    404, never another unit's rows."""
    chosen = request.GET.get("unit", "")
    if not chosen:
        return unit_ids
    if as_id(chosen) not in unit_ids:
        raise Http404("Không tìm thấy đơn vị.")
    return [int(chosen)]


def _chosen_prosecutor(request, unit_ids: list[int]) -> User | None:
    chosen = request.GET.get("ksv", "")
    if not chosen:
        return None
    prosecutor = (
        User.objects.filter(pk=as_id(chosen), unit_id__in=unit_ids).first()
        if as_id(chosen)
        else None
    )
    if prosecutor is None:
        raise Http404("Không tìm thấy kiểm sát viên.")
    return prosecutor


def _colleagues(unit_ids):
    return User.objects.filter(
        unit_id__in=unit_ids,
        role__in=[User.Role.PROSECUTOR, User.Role.LEADER],
        is_active=True,
    ).order_by("full_name")


def _filters(request, units, unit_ids=None) -> dict:
    """The unit filter of a list, and the prosecutor filter when the list
    has one (``unit_ids``: whose prosecutors to offer)."""
    chosen = {
        "units": units,
        "chosen_unit": request.GET.get("unit", ""),
        "many_units": len(units) > 1,
    }
    if unit_ids is not None:
        chosen["colleagues"] = _colleagues(unit_ids)
        chosen["chosen_ksv"] = request.GET.get("ksv", "")
    return chosen


def _record_admin_read(request, unit_ids: list[int]) -> None:
    if request.user.is_administrator:
        scoping.record_admin_read(request, unit_ids[0] if len(unit_ids) == 1 else None)


def _unit_line(units: list[Unit]) -> str:
    return "Đơn vị: " + ", ".join(unit.name for unit in units)


def _prosecutor_line(prosecutor) -> list[str]:
    """The export's heading says when only one prosecutor's cases are in it."""
    return [f"Kiểm sát viên: {prosecutor}"] if prosecutor is not None else []


# Sweeps ---------------------------------------------------------------------


def sweep_list(request):
    """The review rounds the user may read, newest cut-off first."""
    rounds = sweeps.rounds_for(request.user)
    kind = request.GET.get("loai", "")
    if kind in sweeps.SweepRound.Kind.values:
        rounds = rounds.filter(kind=kind)
    return render(
        request,
        "monitoring/sweep_list.html",
        {
            **tables.paginate(request, rounds),
            "kinds": sweeps.SweepRound.Kind.choices,
            "kind": kind,
        },
    )


SWEEP_TABLE = Table(
    "Danh sách đợt xét",
    [
        Column("STT", 6, "int"),
        Column("Nhóm", 16),
        Column("Số thụ lý", 14),
        Column("Họ và tên", 26),
        Column("Ngày sinh / năm sinh", 12, "birth"),
        Column("Hình phạt", 26),
        Column("Ngày đủ điều kiện", 14, "date"),
        Column("Vướng mắc", 50),
        Column("Kiểm sát viên", 22),
        Column("Đơn vị", 30),
    ],
    row=lambda item: [
        item[0],
        "Có vướng mắc" if item[1].obstacles else "Đủ điều kiện về thời gian",
        item[1].case.register_number,
        item[1].case.person.full_name,
        item[1].case.person.birth_date or item[1].case.person.birth_year,
        str(item[1].case.sentence),
        item[1].date,
        "; ".join(item[1].obstacles),
        str(item[1].case.prosecutor or ""),
        item[1].case.unit.name,
    ],
)

SECTIONS = {"du-dieu-kien": "Đủ điều kiện về thời gian", "vuong-mac": "Có vướng mắc"}


@_reauth
def sweep_detail(request, round_pk: int):
    sweep_round = sweeps.rounds_for(request.user).filter(pk=round_pk).first()
    if sweep_round is None:
        raise Http404("Không tìm thấy đợt xét.")
    unit_ids = sweeps.scope_of(sweep_round, request.user)
    units = _units(unit_ids)
    shown_ids = _chosen_unit(request, unit_ids)
    prosecutor = _chosen_prosecutor(request, unit_ids)
    _record_admin_read(request, shown_ids)

    result = sweeps.sweep(sweep_round, shown_ids)
    sort = request.GET.get("sort", "ten")
    sort = sort if sort in sweeps.SORTS else "ten"
    prosecutor_id = prosecutor.pk if prosecutor else None
    eligible = sweeps.sort_rows(
        sweeps.filter_rows(result.eligible, prosecutor_id=prosecutor_id), sort
    )
    obstacles = sweeps.sort_rows(
        sweeps.filter_rows(result.obstacles, prosecutor_id=prosecutor_id), sort
    )
    if tables.wants_export(request):
        rows = list(enumerate(eligible + obstacles, start=1))
        return tables.xlsx_response(
            request,
            SWEEP_TABLE,
            rows,
            filename="dot-xet",
            heading=[
                f"Đợt xét: {sweep_round.name} — "
                f"{sweep_round.get_kind_display()}, mốc {sweep_round.cut_off:%d/%m/%Y}",
                _unit_line([u for u in units if u.pk in shown_ids]),
                *_prosecutor_line(prosecutor),
            ],
            target=f"đợt xét #{sweep_round.pk}",
        )
    section = request.GET.get("muc", "du-dieu-kien")
    if section not in SECTIONS:
        section = "du-dieu-kien"
    rows = eligible if section == "du-dieu-kien" else obstacles
    return render(
        request,
        "monitoring/sweep_detail.html",
        {
            "round": sweep_round,
            "fraction": (
                f"{sweep_round.fraction_numerator}/{sweep_round.fraction_denominator}"
                if sweep_round.kind == sweep_round.Kind.AMNESTY
                else ""
            ),
            **tables.paginate(request, rows),
            "export_query": tables.export_query(request),
            "section": section,
            "sections": [
                ("du-dieu-kien", SECTIONS["du-dieu-kien"], len(eligible)),
                ("vuong-mac", SECTIONS["vuong-mac"], len(obstacles)),
            ],
            "sorts": {key: label for key, (label, _) in sweeps.SORTS.items()},
            "sort": sort,
            **_filters(request, units, unit_ids),
        },
    )


# Coming ends ----------------------------------------------------------------

COMING = {
    "postponements": (
        "Hoãn, tạm đình chỉ sắp hết",
        "Quyết định hoãn hoặc tạm đình chỉ chấp hành án phạt tù có ngày hết hạn "
        "trong khoảng đã chọn và chưa có sự kiện kết thúc (B7a, B7b).",
    ),
    "terms": (
        "Thử thách, CTKGG sắp hết",
        "Thời gian thử thách án treo và thời hạn cải tạo không giam giữ kết thúc "
        "trong khoảng đã chọn: cơ quan THAHS cấp giấy chứng nhận vào ngày cuối "
        "(D6, E5).",
    ),
    "releases": (
        "Sắp chấp hành xong án phạt tù",
        "Người chấp hành án phạt tù hết hạn tù trong 02 tháng tới: trại giam phải "
        "thông báo trước 02 tháng (F2).",
    ),
}

COMING_SORTS = {
    "ngay": ("Ngày hết hạn", lambda row: (row.end, row.case.person.name_sort_key)),
    "ten": ("Tên (A–Z)", lambda row: (row.case.person.name_sort_key, row.end)),
}

COMING_TABLE = Table(
    "Sắp hết hạn",
    [
        Column("Nội dung", 30),
        Column("Ngày hết hạn", 14, "date"),
        Column("Còn (ngày)", 10, "int"),
        Column("Số thụ lý", 14),
        Column("Họ và tên", 26),
        Column("Ghi chú", 44),
        Column("Kiểm sát viên", 22),
        Column("Đơn vị", 30),
    ],
    row=lambda row: [
        row.what,
        row.end,
        row.days_left,
        row.case.register_number,
        row.case.person.full_name,
        row.note,
        str(row.case.prosecutor or ""),
        row.case.unit.name,
    ],
)


def _days(request) -> int:
    value = request.GET.get("ngay", "")
    if value.isdigit() and 1 <= int(value) <= lists.MAX_DAYS:
        return int(value)
    return lists.DEFAULT_DAYS


@_reauth
def coming_ends(request, kind: str):
    unit_ids = scoping.readable_unit_ids(request.user)
    units = _units(unit_ids)
    shown_ids = _chosen_unit(request, unit_ids)
    prosecutor = _chosen_prosecutor(request, unit_ids)
    _record_admin_read(request, shown_ids)
    today = timezone.localdate()
    days = _days(request)
    if kind == "postponements":
        rows = lists.postponements_ending(shown_ids, today, days)
    elif kind == "terms":
        rows = lists.terms_ending(shown_ids, today, days)
    else:
        rows = lists.releases_due(shown_ids, today)
    if prosecutor is not None:
        rows = [row for row in rows if row.case.prosecutor_id == prosecutor.pk]
    sort = request.GET.get("sort", "ngay")
    sort = sort if sort in COMING_SORTS else "ngay"
    rows = sorted(rows, key=COMING_SORTS[sort][1])
    title, description = COMING[kind]
    if tables.wants_export(request):
        return tables.xlsx_response(
            request,
            COMING_TABLE,
            rows,
            filename="sap-het-han",
            heading=[
                f"{title} — tính đến ngày {today:%d/%m/%Y}",
                _unit_line([u for u in units if u.pk in shown_ids]),
                *_prosecutor_line(prosecutor),
            ],
            target=title,
        )
    return render(
        request,
        "monitoring/coming_ends.html",
        {
            **tables.paginate(request, rows),
            "export_query": tables.export_query(request),
            "kind": kind,
            "title": title,
            "description": description,
            "kinds": {key: value[0] for key, value in COMING.items()},
            "days": days,
            "today": today,
            "sorts": {key: label for key, (label, _) in COMING_SORTS.items()},
            "sort": sort,
            **_filters(request, units, unit_ids),
        },
    )


# Monthly reconciliation -------------------------------------------------------

RECON_STATES = {
    "on_time": "Đúng hạn",
    "late": "Chậm",
    "missing": "Quá hạn, chưa có QĐTHA",
    "pending": "Chưa đến hạn / chưa tính được",
}

RECON_TABLE = Table(
    "Đối chiếu với Tòa án",
    [
        Column("Phần", 24),
        Column("Số thụ lý", 14),
        Column("Họ và tên", 26),
        Column("Bản án", 18),
        Column("Ngày có hiệu lực", 14, "date"),
        Column("Hạn ra QĐTHA (A5)", 14, "date"),
        Column("Ngày ra QĐTHA", 14, "date"),
        Column("Kết quả", 24),
        Column("Số ngày chậm", 10, "int"),
        Column("Đơn vị", 30),
    ],
    row=lambda item: [
        item[0],
        item[1].case.register_number,
        item[1].case.person.full_name,
        item[1].case.judgment.number,
        item[1].effective_on,
        item[1].due,
        item[1].issued,
        RECON_STATES[item[1].state],
        item[1].late_days or None,
        item[1].case.unit.name,
    ],
)


def _month(value: str, today: dt.date) -> dt.date:
    """``YYYY-MM`` as its first day; by default the month before this one."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if 2000 <= year <= 2100:
            return dt.date(year, month, 1)
    except ValueError:
        pass
    return add_months(today.replace(day=1), -1)


@_reauth
def reconciliation(request):
    unit_ids = scoping.readable_unit_ids(request.user)
    units = _units(unit_ids)
    shown_ids = _chosen_unit(request, unit_ids)
    today = timezone.localdate()
    courts = list(
        Agency.objects.filter(
            kind=Agency.Kind.COURT, province_id__in=unit_ids
        ).order_by("name")
    )
    month = _month(request.GET.get("thang", ""), today)
    court = None
    chosen = request.GET.get("toa", "")
    if chosen:
        court = next((c for c in courts if str(c.pk) == chosen), None)
        if court is None:
            raise Http404("Không tìm thấy Tòa án thuộc địa bàn.")
    elif courts:
        court = courts[0]
    _record_admin_read(request, shown_ids)
    result = (
        lists.reconciliation(shown_ids, court.pk, month, today)
        if court
        else {"effective": [], "without_decision": [], "held_without_decision": []}
    )
    effective = result["effective"]
    counts = {
        state: sum(1 for row in effective if row.state == state)
        for state in RECON_STATES
    }
    if tables.wants_export(request) and court is not None:
        rows = (
            [("Bản án có hiệu lực trong tháng", row) for row in effective]
            + [("Tại ngoại, chưa có QĐTHA", row) for row in result["without_decision"]]
            + [
                ("Đang bị tạm giam, chưa có QĐTHA", row)
                for row in result["held_without_decision"]
            ]
        )
        return tables.xlsx_response(
            request,
            RECON_TABLE,
            rows,
            filename="doi-chieu-toa-an",
            heading=[
                f"Đối chiếu với {court.name} — tháng {month:%m/%Y}",
                _unit_line([u for u in units if u.pk in shown_ids]),
                "Số ngày chậm: ngày lịch sau ngày hạn, tính đến hôm nay.",
            ],
            target=f"đối chiếu tòa #{court.pk} {month:%m/%Y}",
        )
    return render(
        request,
        "monitoring/reconciliation.html",
        {
            "courts": courts,
            "court": court,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "effective": effective,
            "without_decision": result["without_decision"],
            "held_without_decision": result["held_without_decision"],
            "counts": counts,
            "states": RECON_STATES,
            "export_query": tables.export_query(request),
            **_filters(request, units),
            "today": today,
        },
    )


# Notification settings ------------------------------------------------------


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["receives_digest"]


def notification_settings(request):
    """The user's own choice: receive the daily digest of new alerts or not."""
    # An unticked box sends an empty form: bind on the method, not the data.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save(update_fields=["receives_digest"])
        if form.cleaned_data["receives_digest"]:
            messages.success(request, "Đã lưu: bạn sẽ nhận thư tổng hợp cảnh báo.")
        else:
            messages.success(request, "Đã lưu: bạn không nhận thư tổng hợp cảnh báo.")
        return redirect("monitoring:notification_settings")
    return render(
        request,
        "monitoring/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
