"""Counting legal periods the way Vietnamese law counts them.

Pure: no Django imports. The conventions are those of
``shared/domain/legal-rules.md`` ("Conventions the engine uses"):

- the day of the triggering event is not counted (BLDS Art. 147);
- a forward calendar-day or month period ending on a rest day runs to the
  next working day (BLDS Art. 148(5); BLTTHS Art. 134);
- a working-day period counts working days only;
- a backward period ("at least 7 days before") ending on a rest day moves
  earlier, to the previous working day;
- months end on the corresponding date, or the month's last day when that
  date does not exist.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
]


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days.

    ``days_off`` are rest days that would otherwise be working days (public
    holidays, swapped days off), with their Vietnamese names;
    ``working_days`` are make-up working days on a weekend.
    """

    days_off: Mapping[dt.date, str] = field(default_factory=dict)
    working_days: Mapping[dt.date, str] = field(default_factory=dict)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def rest_reason(self, day: dt.date) -> str:
        """Why a rest day is one: the holiday's name, or the weekday."""
        if day in self.days_off:
            return self.days_off[day]
        return WEEKDAY_NAMES[day.weekday()]


@dataclass(frozen=True)
class Period:
    """A computed due date and how it was reached."""

    start: dt.date
    due: dt.date
    nominal: dt.date
    skipped: tuple[tuple[dt.date, str], ...] = ()

    @property
    def shifted(self) -> bool:
        return self.due != self.nominal


def _roll_forward(
    day: dt.date, cal: WorkCalendar
) -> tuple[dt.date, list[tuple[dt.date, str]]]:
    skipped = []
    while not cal.is_working_day(day):
        skipped.append((day, cal.rest_reason(day)))
        day += ONE_DAY
    return day, skipped


def after_days(
    start: dt.date, days: int, cal: WorkCalendar, *, roll: bool = True
) -> Period:
    """``days`` calendar days after ``start`` (start day not counted)."""
    nominal = start + dt.timedelta(days=days)
    if not roll:
        return Period(start, nominal, nominal)
    due, skipped = _roll_forward(nominal, cal)
    return Period(start, due, nominal, tuple(skipped))


def after_working_days(start: dt.date, days: int, cal: WorkCalendar) -> Period:
    """The ``days``-th working day after ``start``.

    Rest days are skipped by definition, not a shift: the nominal date is
    the due date itself, and ``skipped`` lists the rest days passed over.
    """
    day = start
    counted = 0
    skipped = []
    while counted < days:
        day += ONE_DAY
        if cal.is_working_day(day):
            counted += 1
        else:
            skipped.append((day, cal.rest_reason(day)))
    return Period(start, day, day, tuple(skipped))


def before_days(reference: dt.date, days: int, cal: WorkCalendar) -> Period:
    """At least ``days`` calendar days before ``reference``; rest days move it
    earlier."""
    nominal = reference - dt.timedelta(days=days)
    day = nominal
    skipped = []
    while not cal.is_working_day(day):
        skipped.append((day, cal.rest_reason(day)))
        day -= ONE_DAY
    return Period(reference, day, nominal, tuple(skipped))


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, clamped to the month's end."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def after_months(
    start: dt.date, months: int, cal: WorkCalendar, *, roll: bool = True
) -> Period:
    nominal = add_months(start, months)
    if not roll:
        return Period(start, nominal, nominal)
    due, skipped = _roll_forward(nominal, cal)
    return Period(start, due, nominal, tuple(skipped))


def describe_skipped(skipped: tuple[tuple[dt.date, str], ...]) -> str:
    """'27/01/2025 (29 Tết), 28/01/2025 (Giao thừa Tết Nguyên Đán), …'"""
    return ", ".join(f"{day:%d/%m/%Y} ({reason})" for day, reason in skipped)
