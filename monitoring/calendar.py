"""The working-day calendar: the ``holidays`` package plus local overrides."""

from __future__ import annotations

import datetime as dt
import re
import time
from functools import lru_cache

import holidays

from monitoring.dates import WorkCalendar

FIRST_YEAR = 2009
LAST_YEAR = 2035


# The package names a swapped day off "Ngày nghỉ (thay cho ngày 26/04/2025)"
# but does not list the weekend day worked in exchange; it is read back
# from that name.
_SWAPPED_FOR = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@lru_cache(maxsize=1)
def _package_days() -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    package = holidays.country_holidays(
        "VN", years=range(FIRST_YEAR, LAST_YEAR + 1), language="vi"
    )
    days_off = {}
    working_days = {}
    for day, name in package.items():
        # Weekend holidays are kept too: they change nothing in the count
        # but let an explanation name the Tết day rather than "Thứ Bảy".
        days_off[day] = name
        for match in _SWAPPED_FOR.finditer(name):
            swapped = dt.date(int(match[3]), int(match[2]), int(match[1]))
            if swapped.weekday() >= 5:
                working_days[swapped] = f"Làm bù cho ngày nghỉ {day:%d/%m/%Y}"
    return days_off, working_days


def package_days_off() -> dict[dt.date, str]:
    """The days off the ``holidays`` package gives, with their names."""
    return _package_days()[0]


def build_calendar(overrides) -> WorkCalendar:
    """A calendar from the package and ``(date, kind, name)`` overrides."""
    package_off, package_working = _package_days()
    days_off = dict(package_off)
    working_days = dict(package_working)
    for day, kind, name in overrides:
        if kind == "day_off":
            days_off[day] = name
            working_days.pop(day, None)
        elif kind == "working_day":
            working_days[day] = name
            days_off.pop(day, None)
        elif kind == "cancel_holiday":
            days_off.pop(day, None)
    return WorkCalendar(days_off=days_off, working_days=working_days)


# Each process keeps the calendar; an override saved through another
# process reaches this one within the time below.
_MAX_AGE_SECONDS = 60
_cached: WorkCalendar | None = None
_built_at = 0.0


def get_calendar() -> WorkCalendar:
    """The calendar in force, rebuilt after any override changes."""
    global _cached, _built_at
    if _cached is None or time.monotonic() - _built_at > _MAX_AGE_SECONDS:
        from monitoring.models import CalendarOverride

        _cached = build_calendar(
            CalendarOverride.objects.values_list("date", "kind", "name")
        )
        _built_at = time.monotonic()
    return _cached


def invalidate() -> None:
    global _cached
    _cached = None
