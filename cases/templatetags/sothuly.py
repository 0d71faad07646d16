"""Vietnamese formats for dates, numbers and statuses in templates."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from monitoring.engine import STATUS_LABELS

register = template.Library()


@register.filter
def vndate(value) -> str:
    """dd/mm/yyyy, or a dash when there is no date."""
    if isinstance(value, str) and value:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        # Stored in UTC; shown in Vietnam's time, as the users read a clock.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "—"


@register.filter
def vnnumber(value) -> str:
    """1234567 → 1.234.567 (Vietnamese thousands separator)."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.simple_tag
def status_badge(code: str, late_days: int = 0):
    label = STATUS_LABELS.get(code, code)
    if code in {"overdue", "met_late"} and late_days:
        label = f"{label} {late_days} ngày"
    return format_html('<span class="badge badge-{}">{}</span>', code, label)


@register.filter
def vnduration(value) -> str:
    """A timedelta as "90 phút" (the lockout page's cool-off)."""
    if not isinstance(value, dt.timedelta):
        return ""
    return f"{int(value.total_seconds() // 60)} phút"


@register.simple_tag
def month_select(name: str, value: str = "", id: str = ""):  # noqa: A002 - the HTML attribute
    """A month chosen from a list ("Tháng 01/2026", value 2026-01), newest
    first: a browser's own month picker names the months in the browser's
    language, English on many of the procuracy's machines."""
    this_year = timezone.localdate().year
    values = [
        f"{year}-{month:02d}"
        for year in range(this_year + 1, this_year - 11, -1)
        for month in range(12, 0, -1)
    ]
    if value and value not in values:
        values.insert(0, value)
    options = format_html_join(
        "",
        '<option value="{}"{}>Tháng {}/{}</option>',
        ((v, " selected" if v == value else "", v[5:], v[:4]) for v in values),
    )
    return format_html(
        '<select name="{}" id="{}">{}</select>', name, id or name, options
    )
