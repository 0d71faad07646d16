"""Sentence arithmetic: ends of terms and fractions of them.

Pure: no Django imports. The conventions are those of legal-rules.md
("Terms"):

- a term and anything subtracted from it are months and days with 30-day
  months (BLTTHS Art. 134 counts custody months so);
- pre-trial detention is credited 1 day per day against prison and 3 days
  per day against CTKGG (BLHS Art. 38(1), 36(1)), never against probation;
- end = start + (term - credit): months added first by the corresponding-
  date rule, then days;
- a fraction = ceil(fraction x term in days) - credit, added the same way;
- time under postponement or suspension moves the end later by its length
  in days; reductions and shortenings move it earlier;
- ends and eligibility dates are facts of time served: they do not move
  for rest days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from monitoring.dates import add_months

DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Term:
    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def total_days(self) -> int:
        return (self.years * 12 + self.months) * DAYS_PER_MONTH + self.days

    @property
    def is_zero(self) -> bool:
        return self.total_days == 0

    @classmethod
    def of_days(cls, days: int) -> Term:
        months, rest = divmod(max(days, 0), DAYS_PER_MONTH)
        return cls(0, months, rest)

    def label(self) -> str:
        return term_label(self.total_days)


def term_label(days: int) -> str:
    """480 → '1 năm 4 tháng'; 160 → '5 tháng 10 ngày'."""
    months, rest = divmod(days, DAYS_PER_MONTH)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} năm")
    if months:
        parts.append(f"{months} tháng")
    if rest or not parts:
        parts.append(f"{rest} ngày")
    return " ".join(parts)


def add_days_as_months(start: dt.date, days: int) -> dt.date:
    """Add a span counted in 30-day months: whole months first by the
    corresponding-date rule, then the remaining days."""
    months, rest = divmod(days, DAYS_PER_MONTH)
    return add_months(start, months) + dt.timedelta(days=rest)


def detention_days(periods: Iterable[tuple[dt.date, dt.date]]) -> int:
    """Days of pre-trial detention; a period counts both its end days."""
    return sum((end - start).days + 1 for start, end in periods)


CREDIT_FACTOR = {"prison": 1, "life": 1, "non_custodial_reform": 3, "suspended": 0}


@dataclass(frozen=True)
class Step:
    text: str


@dataclass(frozen=True)
class Computation:
    """A date and the arithmetic that produced it, step by step."""

    date: dt.date
    steps: tuple[str, ...]


def term_end(
    start: dt.date,
    term: Term,
    *,
    credit_days: int = 0,
    gap_days: int = 0,
    reduction_days: int = 0,
    explain: bool = True,
) -> Computation:
    """Last day of a term served from ``start``.

    ``start`` + (term - credit - reductions), then + gaps (postponement,
    suspension) in days. Without ``explain``, no steps (the same date).
    """
    served = term.total_days - credit_days - reduction_days
    end = add_days_as_months(start, max(served, 0)) + dt.timedelta(days=gap_days)
    if not explain:
        return Computation(end, ())
    if credit_days or reduction_days:
        # Days are taken off a term counted in days, 30 to a month; what is
        # left is counted back in calendar months from the start.
        steps = [
            f"Mức: {term_label(term.total_days)}, quy đổi {term.total_days} ngày "
            "(mỗi tháng 30 ngày) để trừ."
        ]
    else:
        steps = [f"Mức: {term_label(term.total_days)}."]
    if credit_days:
        steps.append(
            f"Trừ thời gian tạm giữ, tạm giam được khấu trừ: {credit_days} ngày."
        )
    if reduction_days:
        steps.append(f"Trừ thời gian được giảm, rút ngắn: {reduction_days} ngày.")
    steps.append(
        f"Còn phải chấp hành {term_label(max(served, 0))} kể từ {start:%d/%m/%Y}: "
        f"đến {add_days_as_months(start, max(served, 0)):%d/%m/%Y}."
    )
    if gap_days:
        steps.append(
            f"Cộng {gap_days} ngày hoãn, tạm đình chỉ (không tính vào thời gian "
            f"chấp hành): {end:%d/%m/%Y}."
        )
    return Computation(end, tuple(steps))


def fraction_date(
    start: dt.date,
    term: Term,
    fraction: Fraction,
    *,
    credit_days: int = 0,
    gap_days: int = 0,
    explain: bool = True,
) -> Computation:
    """First day a fraction of the term has been served.

    ceil(fraction x term in days) - credit, added to ``start`` as months
    then days, then moved later by gaps. Without ``explain``, no steps.
    """
    needed = _ceil_fraction(fraction, term.total_days)
    remaining = max(needed - credit_days, 0)
    day = add_days_as_months(start, remaining) + dt.timedelta(days=gap_days)
    if not explain:
        return Computation(day, ())
    steps = [
        f"{_fraction_label(fraction)} của {term_label(term.total_days)} "
        f"({term.total_days} ngày) = {needed} ngày = {term_label(needed)}."
    ]
    if credit_days:
        steps.append(
            f"Trừ {credit_days} ngày tạm giữ, tạm giam được khấu trừ: còn "
            f"{remaining} ngày = {term_label(remaining)}."
        )
    steps.append(
        f"Kể từ {start:%d/%m/%Y}: {add_days_as_months(start, remaining):%d/%m/%Y}."
    )
    if gap_days:
        steps.append(f"Cộng {gap_days} ngày hoãn, tạm đình chỉ: {day:%d/%m/%Y}.")
    return Computation(day, tuple(steps))


def years_served_date(
    start: dt.date, years: int, *, credit_days: int = 0, explain: bool = True
) -> Computation:
    """First day ``years`` of a life term have been served."""
    total = years * 12 * DAYS_PER_MONTH
    remaining = max(total - credit_days, 0)
    day = add_days_as_months(start, remaining)
    if not explain:
        return Computation(day, ())
    steps = [f"Đã chấp hành {years} năm ({total} ngày)."]
    if credit_days:
        steps.append(f"Trừ {credit_days} ngày tạm giữ, tạm giam.")
    steps.append(f"Kể từ {start:%d/%m/%Y}: {day:%d/%m/%Y}.")
    return Computation(day, tuple(steps))


def _ceil_fraction(fraction: Fraction, days: int) -> int:
    """ceil(fraction x days) in integers (``Fraction`` arithmetic is slow)."""
    return -(-fraction.numerator * days // fraction.denominator)


_FRACTION_NAMES = {
    Fraction(1, 2): "Một phần hai",
    Fraction(1, 3): "Một phần ba",
    Fraction(1, 4): "Một phần tư",
    Fraction(3, 4): "Ba phần tư",
    Fraction(2, 5): "Hai phần năm",
}


def _fraction_label(fraction: Fraction) -> str:
    return _FRACTION_NAMES.get(fraction, f"{fraction.numerator}/{fraction.denominator}")


def age_on(birth: dt.date | None, birth_year: int | None, day: dt.date) -> int | None:
    """Age in whole years on ``day``; with only a year, the lowest possible."""
    if birth is not None:
        years = day.year - birth.year
        if (day.month, day.day) < (birth.month, birth.day):
            years -= 1
        return years
    if birth_year is not None:
        return day.year - birth_year - 1
    return None
