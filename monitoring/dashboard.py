"""Figures of the leaders' dashboards (Giám sát): a unit's, and a province's.

Every figure is read from the stored deadlines against the day the page is
opened, in a fixed number of aggregate queries whatever the number of cases,
prosecutors or agencies (the tests pin the counts). Two kinds of figure:

- *now*: deadlines overdue or due soon today, open cases, cases whose dates
  could not be computed. The chosen period does not change these.
- *in the period*: the deadlines that fell due in the chosen months, and
  what became of them: met on time, met late, or still overdue today. The
  monthly trend and the agencies' record count this way, by due month, so a
  month's bar never changes meaning as time passes (a deadline met late
  next month stays in the month it was due).

Lateness counts calendar days after the due date, as ``engine.status_of``
does (legal-rules.md Q15 default).

The period's deadlines already met, met late or no longer owed are read
from their tally (``monitoring.tally``: a few hundred rows a year for a
unit); those still open from the deadlines themselves, in the same scan as
the *now* figures, and judged against the day the page is opened. The open
cases and the cases with problems are read from the case tally (a few rows
per unit), not counted over the units' cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth

from cases.models import Agency, ExecutionCase, Unit, User
from monitoring.dates import add_months
from monitoring.models import CaseTally, Deadline, DeadlineTally

# Longest period a dashboard shows: three years of monthly bars stay legible.
MAX_MONTHS = 36
DEFAULT_MONTHS = 12
# Rows listed in full on the dashboard; the rest through the linked list.
LIST_LIMIT = 50
AGENCY_LIMIT = 30
# The limitation watch of rule L1 (BLHS Điều 60; legal-rules.md: warn 12, 6
# and 3 months before a judgment can no longer be executed).
WATCH_MONTHS = (3, 6, 12)

# Who answers for a deadline with no agency recorded on it.
KIND_LABELS = {
    "court": "Tòa án",
    "execution_agency": "Cơ quan thi hành án hình sự",
    "prison": "Trại giam",
    "detention_centre": "Trại tạm giam",
    "commune": "UBND cấp xã",
    "commune_police": "Công an cấp xã",
    "procuracy": "Viện kiểm sát",
    "convict": "Người chấp hành án",
}


# Periods -----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole months, from the first day of one to the last day of another."""

    start: dt.date
    end: dt.date

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def from_param(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def to_param(self) -> str:
        return f"{self.end:%Y-%m}"

    @property
    def label(self) -> str:
        if self.start.replace(day=1) == self.end.replace(day=1):
            return f"tháng {self.start:%m/%Y}"
        return f"tháng {self.start:%m/%Y} đến tháng {self.end:%m/%Y}"


def month_period(first: dt.date, last: dt.date) -> Period:
    end = add_months(last.replace(day=1), 1) - dt.timedelta(days=1)
    return Period(first.replace(day=1), end)


def default_period(today: dt.date) -> Period:
    """The last twelve months, this one included."""
    return month_period(add_months(today.replace(day=1), 1 - DEFAULT_MONTHS), today)


def _month(text: str) -> dt.date | None:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return None


def parse_period(
    from_text: str, to_text: str, today: dt.date
) -> tuple[Period, str | None]:
    """The period of ``?tu=YYYY-MM&den=YYYY-MM``; on bad input the default
    period and a message saying why it was used instead."""
    default = default_period(today)
    if not from_text and not to_text:
        return default, None
    first = _month(from_text) if from_text else default.start
    last = _month(to_text) if to_text else default.end
    if first is None or last is None or not 2000 <= first.year <= 2100:
        return default, (
            "Tháng không hợp lệ (cần dạng năm-tháng, ví dụ 2026-01); "
            "đang hiển thị 12 tháng gần nhất."
        )
    if last.year > 2100:
        return default, "Tháng không hợp lệ; đang hiển thị 12 tháng gần nhất."
    if first > last:
        return default, (
            "Tháng bắt đầu sau tháng kết thúc; đang hiển thị 12 tháng gần nhất."
        )
    period = month_period(first, last)
    if len(period.months) > MAX_MONTHS:
        return month_period(add_months(last, 1 - MAX_MONTHS), last), (
            f"Chỉ hiển thị tối đa {MAX_MONTHS} tháng: đang hiển thị "
            f"{MAX_MONTHS} tháng đến tháng {last:%m/%Y}."
        )
    return period, None


# Conditions --------------------------------------------------------------------

OPEN = Q(done__isnull=True, lapsed_on__isnull=True)
MET = Q(done__isnull=False, done__lte=F("due"))
MET_LATE = Q(done__isnull=False, done__gt=F("due"))
# No longer owed (a lapse event) and never met: counted nowhere.
LAPSED = Q(done__isnull=True, lapsed_on__isnull=False)


def overdue_q(today: dt.date) -> Q:
    return OPEN & Q(due__lt=today)


def due_soon_q(today: dt.date) -> Q:
    # As DeadlineQuerySet.due_soon: inside the rule's warning window.
    return OPEN & Q(due__gte=today, warn_from__lte=today)


def period_q(period: Period) -> Q:
    return Q(due__gte=period.start, due__lte=period.end)


def late_q(today: dt.date) -> Q:
    """Met late, or not met and already past due."""
    return MET_LATE | overdue_q(today)


def status_q(status: str, today: dt.date) -> Q | None:
    """The condition behind a drill-down list's ``?status=``."""
    return {
        "overdue": overdue_q(today),
        "due_soon": due_soon_q(today),
        "met": MET,
        "met_late": MET_LATE,
        "late": late_q(today),
        "any": Q(),
    }.get(status)


def watch_q(today: dt.date, months: int = 12) -> Q:
    """L1 not yet met, the limitation running out within ``months``."""
    return OPEN & Q(rule="L1", due__lte=add_months(today, months))


def _days(value) -> int:
    """A Sum of date differences: a timedelta (or microseconds on SQLite
    before Django converts it; None for no rows)."""
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return value.days
    return int(value) // 86_400_000_000


def live_deadlines(unit_ids: list[int]):
    """Deadlines of the units' cases that are not cancelled.

    Cancelled cases are few: excluding them by a small subquery, rather
    than joining every deadline to its case, lets PostgreSQL answer the
    aggregates from the covering indexes alone (monitoring migration
    ``dashboard_indexes``)."""
    cancelled = ExecutionCase.objects.filter(
        unit_id__in=unit_ids, cancelled_on__isnull=False
    ).values("pk")
    return Deadline.objects.filter(unit_id__in=unit_ids).exclude(case_id__in=cancelled)


# The unit dashboard --------------------------------------------------------------


@dataclass
class ProsecutorRow:
    prosecutor_id: int | None
    name: str
    open_cases: int = 0
    problems: int = 0
    overdue: int = 0
    due_soon: int = 0
    met_late: int = 0


@dataclass
class AgencyRow:
    agency_id: int | None
    name: str
    kind: str
    kind_label: str
    due: int = 0
    met_late: int = 0
    overdue: int = 0
    late_days_total: int = 0

    @property
    def late(self) -> int:
        return self.met_late + self.overdue

    @property
    def average_late_days(self) -> float:
        return self.late_days_total / self.late if self.late else 0.0

    @property
    def late_share(self) -> int:
        """Per cent of the deadlines due that were late."""
        return round(100 * self.late / self.due) if self.due else 0


@dataclass
class MonthRow:
    month: dt.date
    met: int = 0
    met_late: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.met + self.met_late + self.overdue


@dataclass
class Totals:
    open_cases: int = 0
    problems: int = 0
    overdue: int = 0
    due_soon: int = 0
    period_due: int = 0
    period_met: int = 0
    period_met_late: int = 0
    period_overdue: int = 0
    orphan_a5: int = 0
    orphan_a10: int = 0
    watch: dict[int, int] = field(default_factory=dict)
    expired: int = 0

    @property
    def period_late(self) -> int:
        return self.period_met_late + self.period_overdue

    @property
    def period_other(self) -> int:
        """Due in the period but neither met nor overdue: not yet due
        (later this month). Lapsed deadlines are in no period figure."""
        return (
            self.period_due
            - self.period_met
            - self.period_met_late
            - self.period_overdue
        )

    @property
    def watch_all(self) -> int:
        """Every L1 deadline of the watch list: 12 months or fewer left, or
        already run out."""
        return self.watch.get(12, 0) + self.expired


@dataclass
class UnitDashboard:
    unit: Unit
    period: Period
    today: dt.date
    totals: Totals
    prosecutors: list[ProsecutorRow]
    agencies: list[AgencyRow]
    agencies_total: int
    months: list[MonthRow]
    orphans_a5: list[Deadline]
    orphans_a10: list[Deadline]
    watch: list[Deadline]


NOW_FIELDS = ("overdue", "due_soon", "orphan_a5", "orphan_a10", "expired")


def _grouped(unit_ids: list[int], keys):
    if any(key.startswith("case__") for key in keys):
        # Joined to the cases for the prosecutor: only the units' cases
        # not cancelled, which their partial covering index lists
        # (monitoring migration ``deadline_tally``) without the wide rows.
        return Deadline.objects.filter(
            unit_id__in=unit_ids,
            case__unit_id__in=unit_ids,
            case__cancelled_on__isnull=True,
        )
    return live_deadlines(unit_ids)


def _open_by(unit_ids: list[int], keys, period: Period, today: dt.date):
    """Open deadlines grouped by ``keys`` and, for those due in the period,
    their due month (``period_month``, None for the rest): what is overdue
    or due today, and the period's deadlines not yet met, judged against
    today (``overdue`` and ``late_days`` of a row with a month are the
    period's)."""
    # Most open deadlines fall due years ahead (the limitation, the end of
    # a term) and count in no figure: leave them out before the join and
    # the grouping rather than after.
    counted = (
        Q(due__lte=max(period.end, today))
        | Q(warn_from__lte=today)
        | Q(rule="L1", due__lte=add_months(today, max(WATCH_MONTHS)))
    )
    return (
        _grouped(unit_ids, keys)
        .filter(OPEN, counted)
        .annotate(
            period_month=Case(
                When(period_q(period), then=Cast(TruncMonth("due"), DateField())),
                default=None,
                output_field=DateField(),
            )
        )
        .values(*keys, "period_month")
        .annotate(
            period_open=Count("due"),
            overdue=Count("due", filter=Q(due__lt=today)),
            # Not met: late to today. (Naming ``done`` would take the
            # row out of the open deadlines' index, which lacks it.)
            late_days=Sum(
                ExpressionWrapper(
                    Value(today) - F("due"), output_field=DurationField()
                ),
                filter=Q(due__lt=today),
            ),
            due_soon=Count("due", filter=Q(due__gte=today, warn_from__lte=today)),
            orphan_a5=Count("due", filter=Q(rule="A5", due__lt=today)),
            orphan_a10=Count("due", filter=Q(rule="A10", due__lt=today)),
            expired=Count("due", filter=Q(rule="L1", due__lt=today)),
            **{
                f"watch_{months}": Count(
                    "due",
                    filter=Q(
                        rule="L1", due__gte=today, due__lte=add_months(today, months)
                    ),
                )
                for months in WATCH_MONTHS
            },
        )
        .order_by()
    )


def _tally_of(unit_ids: list[int], period: Period):
    """The tallied (closed) deadlines due in the period; rows fallen to
    zero left out."""
    return (
        DeadlineTally.objects.filter(
            unit_id__in=unit_ids, month__gte=period.start, month__lte=period.end
        )
        .exclude(met=0, met_late=0, lapsed=0)
        .order_by()
    )


TALLY_FIELDS = (
    "month",
    "prosecutor_key",
    "agency_key",
    "responsible_kind",
    "met",
    "met_late",
    "late_days",
)


def _add_open(totals: Totals, row: dict, months: dict | None = None) -> None:
    """A row of :func:`_open_by` into ``totals`` (and the monthly trend)."""
    _apply_totals(totals, row)
    if row["period_month"] is not None:
        totals.period_due += row["period_open"]
        totals.period_overdue += row["overdue"]
        if months is not None:
            months[row["period_month"]].overdue += row["overdue"]


def _add_tallied(totals: Totals, met: int, met_late: int) -> None:
    totals.period_due += met + met_late
    totals.period_met += met
    totals.period_met_late += met_late


def _cases_by(unit_ids: list[int], key: str):
    """Open cases and cases with problems (closed ones too: the case list's
    "problems" filter, which the figure links to, lists them) by ``key``
    (``unit_id`` or ``prosecutor_key``, 0 for none), from their tally
    (``monitoring.tally``): a few rows per unit, where the cases are tens
    of thousands."""
    return (
        CaseTally.objects.filter(unit_id__in=unit_ids)
        .values(key)
        .annotate(open_cases=Sum("open_cases"), problems=Sum("problems"))
        .order_by()
    )


def _apply_totals(totals: Totals, row: dict) -> None:
    for name in NOW_FIELDS:
        if name in row:
            setattr(totals, name, getattr(totals, name) + row[name])
    for months in WATCH_MONTHS:
        if f"watch_{months}" in row:
            totals.watch[months] = totals.watch.get(months, 0) + row[f"watch_{months}"]


def _prosecutor_rows(
    unit: Unit,
    open_rows: list[dict],
    tallied: list[dict],
    totals: Totals,
    months: dict,
):
    """One row per prosecutor of the unit (and per other assignee), adding
    each figure to the unit's ``totals`` and ``months`` as it goes."""
    key = "case__prosecutor_id"
    rows: dict[int | None, ProsecutorRow] = {}
    people = User.objects.filter(
        unit_id=unit.pk, role=User.Role.PROSECUTOR, is_active=True
    ).order_by("full_name")
    for person in people:
        rows[person.pk] = ProsecutorRow(person.pk, str(person))
    for row in _cases_by([unit.pk], "prosecutor_key"):
        if not row["open_cases"] and not row["problems"]:
            continue
        pk = row["prosecutor_key"] or None
        item = rows.setdefault(pk, ProsecutorRow(pk, ""))
        item.open_cases += row["open_cases"]
        item.problems += row["problems"]
    for row in open_rows:
        item = rows.setdefault(row[key], ProsecutorRow(row[key], ""))
        item.overdue += row["overdue"]
        item.due_soon += row["due_soon"]
        _add_open(totals, row, months)
    for row in tallied:
        pk = row["prosecutor_key"] or None
        item = rows.setdefault(pk, ProsecutorRow(pk, ""))
        item.met_late += row["met_late"]
        _add_tallied(totals, row["met"], row["met_late"])
        month = months[row["month"]]
        month.met += row["met"]
        month.met_late += row["met_late"]
    # Cases assigned to someone who has left or to a leader: name them too.
    unnamed = [pk for pk, row in rows.items() if pk is not None and not row.name]
    if unnamed:
        found = User.objects.in_bulk(unnamed)
        for pk in unnamed:
            if pk in found:
                rows[pk].name = str(found[pk])
                continue
            # Deleted since (its cases' prosecutor became NULL, which the
            # tallies, keyed by id, cannot see): counted as unassigned.
            gone = rows.pop(pk)
            none = rows.setdefault(None, ProsecutorRow(None, ""))
            none.met_late += gone.met_late
            none.open_cases += gone.open_cases
            none.problems += gone.problems
    if None in rows:
        rows[None].name = "Chưa phân công"
    return sorted(
        (
            row
            for row in rows.values()
            if row.prosecutor_id is not None
            or row.open_cases
            or row.overdue
            or row.due_soon
        ),
        key=lambda row: (row.prosecutor_id is None, -row.overdue, row.name),
    )


def _agency_rows(open_rows: list[dict], tallied: list[dict]):
    """Who answers for the deadlines due in the period, worst first. A
    convict's own duty (A10) is no agency's: it is listed apart. Deadlines
    no longer owed count nowhere."""
    # (agency id or None, kind) -> due, met late, overdue, days late
    raw: dict[tuple, list[int]] = {}

    def add(agency_id, kind, due, met_late, overdue, late_days):
        if kind == "convict" or not due:
            return
        item = raw.setdefault((agency_id or None, kind), [0, 0, 0, 0])
        for index, value in enumerate((due, met_late, overdue, late_days)):
            item[index] += value

    for row in open_rows:
        if row["period_month"] is not None:
            add(
                row["agency_id"],
                row["responsible_kind"],
                row["period_open"],
                0,
                row["overdue"],
                _days(row["late_days"]),
            )
    for row in tallied:
        add(
            row["agency_key"],
            row["responsible_kind"],
            row["met"] + row["met_late"],
            row["met_late"],
            0,
            row["late_days"],
        )
    agencies = Agency.objects.in_bulk([key[0] for key in raw if key[0]])
    rows: dict[tuple, AgencyRow] = {}
    for (agency_id, kind), (due, met_late, overdue, late_days) in raw.items():
        # An agency deleted since (SET_NULL) counts as none recorded.
        agency = agencies.get(agency_id)
        key = (agency_id, "") if agency else (None, kind)
        item = rows.get(key)
        if item is None:
            if agency:
                item = AgencyRow(
                    agency_id, agency.name, agency.kind, agency.get_kind_display()
                )
            else:
                label = KIND_LABELS.get(kind, kind)
                item = AgencyRow(None, f"{label} (chưa ghi tên cơ quan)", kind, label)
            rows[key] = item
        item.due += due
        item.met_late += met_late
        item.overdue += overdue
        item.late_days_total += late_days
    ordered = sorted(
        rows.values(),
        key=lambda row: (-row.late, -row.average_late_days, row.name),
    )
    return [row for row in ordered if row.late], len(ordered)


# What the dashboard's lists show of a deadline and its case: the rows are
# wide (titles, legal bases), and reading only these is a third faster.
LISTED_FIELDS = (
    "due",
    "rule",
    "case_id",
    "agency_id",
    "agency__name",
    "case__register_number",
    "case__person__full_name",
    "case__judgment__number",
    "case__judgment__effective_on",
    "case__judgment__court__name",
    "case__prosecutor__full_name",
    "case__prosecutor__username",
)


def _listed(queryset, limit: int = LIST_LIMIT) -> list[Deadline]:
    return list(
        queryset.select_related(
            "case__person", "case__judgment__court", "case__prosecutor", "agency"
        )
        .only(*LISTED_FIELDS)
        .order_by("due", "pk")[:limit]
    )


def watch_level(due: dt.date, today: dt.date) -> int:
    """The smallest of 3, 6, 12 months left before ``due`` (0: expired)."""
    if due < today:
        return 0
    return next(months for months in WATCH_MONTHS if due <= add_months(today, months))


def unit_dashboard(unit: Unit, period: Period, today: dt.date) -> UnitDashboard:
    totals = Totals()
    months = {month: MonthRow(month) for month in period.months}
    open_rows = list(
        _open_by(
            [unit.pk],
            ("case__prosecutor_id", "agency_id", "responsible_kind"),
            period,
            today,
        )
    )
    tallied = list(_tally_of([unit.pk], period).values(*TALLY_FIELDS))
    prosecutors = _prosecutor_rows(unit, open_rows, tallied, totals, months)
    totals.open_cases = sum(row.open_cases for row in prosecutors)
    totals.problems = sum(row.problems for row in prosecutors)
    agencies, agencies_total = _agency_rows(open_rows, tallied)
    deadlines = live_deadlines([unit.pk])
    watch = _listed(deadlines.filter(watch_q(today)), limit=100)
    for deadline in watch:
        deadline.watch_level = watch_level(deadline.due, today)
        deadline.days_left = (deadline.due - today).days
        deadline.days_expired = -deadline.days_left
    orphans = []
    for rule in ("A5", "A10"):
        rows = _listed(deadlines.filter(overdue_q(today), rule=rule))
        for deadline in rows:
            deadline.late_days = (today - deadline.due).days
        orphans.append(rows)
    return UnitDashboard(
        unit=unit,
        period=period,
        today=today,
        totals=totals,
        prosecutors=prosecutors,
        agencies=agencies[:AGENCY_LIMIT],
        agencies_total=len(agencies),
        months=list(months.values()),
        orphans_a5=orphans[0],
        orphans_a10=orphans[1],
        watch=watch,
    )


# The province dashboard ---------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    totals: Totals

    @property
    def watch(self) -> int:
        return self.totals.watch.get(12, 0)


def province_dashboard(
    units: list[Unit], period: Period, today: dt.date
) -> tuple[list[UnitRow], Totals]:
    """The key figures of each unit side by side, and their sum."""
    unit_ids = [unit.pk for unit in units]
    rows = {unit.pk: UnitRow(unit, Totals()) for unit in units}
    for row in _open_by(unit_ids, ("unit_id",), period, today):
        _add_open(rows[row["unit_id"]].totals, row)
    for row in (
        _tally_of(unit_ids, period)
        .values("unit_id")
        .annotate(met=Sum("met"), met_late=Sum("met_late"))
    ):
        _add_tallied(rows[row["unit_id"]].totals, row["met"], row["met_late"])
    for row in _cases_by(unit_ids, "unit_id"):
        totals = rows[row["unit_id"]].totals
        totals.open_cases, totals.problems = row["open_cases"], row["problems"]
    overall = Totals()
    for row in rows.values():
        for name, value in vars(row.totals).items():
            if name == "watch":
                for months, count in value.items():
                    overall.watch[months] = overall.watch.get(months, 0) + count
            else:
                setattr(overall, name, getattr(overall, name) + value)
    return list(rows.values()), overall
