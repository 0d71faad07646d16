"""The kept tallies behind the dashboards: closed deadlines, and cases.

Two tallies, kept the same way (below): ``DeadlineTally`` for the period's
closed deadlines, and ``CaseTally`` for the open cases and the cases with
problems per unit and prosecutor (the "now" figures that would otherwise
count every case of the units on each request: linear in the register,
docs/performance.md, "Dashboards").

The deadline tally

A deadline met, met late or no longer owed keeps that fate whatever the day
of reading, so the dashboards read it from ``DeadlineTally``: per unit, due
month, prosecutor of the case, answering agency and its kind, the counts
and the days late. A few hundred rows a year for a unit, where the
deadlines themselves are tens of thousands (docs/performance.md,
"Dashboards"). Open deadlines are never tallied: they are read live and
judged against the day of reading.

The tally is kept by difference, in the transaction of the write that
changes it: what the case's closed deadlines counted before, taken away,
what they count after, added. The writes that do so:

- ``services.recompute_case`` (the rows it replaces, read after locking
  the case) and ``batch.recompute_cases`` (the rows its DELETE returns,
  the cases it writes locked first);
- a case's change of prosecutor, unit, or cancellation, and its deletion
  (the signal handlers below; the case row locked before the reading);
- a single deadline saved or deleted through the model (``Deadline.save``).

A difference is exact only if nothing rewrites the same case's deadlines
between its two readings: hence the lock on the case row that every one of
these writers takes first (a nightly run that changes nothing locks
nothing). Cancelled cases count nowhere, as in every dashboard figure.
``rebuild`` computes a unit's tally again from its deadlines: for the
migration, and to repair it should a write bypass all of the above (a raw
UPDATE, an agency or user deleted: their SET_NULL is an UPDATE that the
dashboard makes up for when reading).

The case tally
    Per unit and prosecutor (0: none) of the case, the cases not cancelled
    whose status is not closed (``open_cases``) and the cases not cancelled
    with problems, whatever their status (``problems``): the conditions of
    ``CLOSED_STATUSES`` below and of the case list's filters. Kept by
    difference by the writers of a case's status, problems, prosecutor,
    unit or cancellation, in the same transaction:

    - every ``ExecutionCase.save`` (its creation too) and deletion, through
      the signal handlers below: ``cases.services`` (``open_case``, the
      status of ``recompute_case``, ``cancel_case``, ``assign_case``),
      ``monitoring.services.recompute_case`` (the problems), the import,
      forms and the admin. The stored row is read locked before the save
      and read again after it, so a stale instance or ``update_fields``
      cannot make the difference wrong;
    - ``batch.recompute_cases``, whose problems are written by
      ``bulk_update`` (no signal): ``_save_problems`` locks the cases and
      adds the difference itself.

    What bypasses both (a queryset ``update()``, ``bulk_create`` or COPY of
    cases, such as ``bench/generate.py``'s, a fixture loaded raw, a user
    deleted: SET_NULL) must call ``rebuild_cases``, or, for the SET_NULL,
    is made up for by the dashboard when reading (an unknown prosecutor
    counts as none).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from cases.models import CaseStatus, ExecutionCase

# unit, month, prosecutor (0: none), agency (0: none), responsible kind
Key = tuple[int, dt.date, int, int, str]
# met, met late, lapsed, days late (of those met late)
COUNTS = ("met", "met_late", "lapsed", "late_days")
KEY_COLUMNS = ("unit_id", "month", "prosecutor_key", "agency_key", "responsible_kind")

# The case fields a tally row depends on besides its deadlines.
CASE_FIELDS = {"prosecutor", "prosecutor_id", "cancelled_on", "unit", "unit_id"}

# The case tally: unit, prosecutor (0: none); open cases, cases with problems.
CaseKey = tuple[int, int]
CASE_KEY_COLUMNS = ("unit_id", "prosecutor_key")
CASE_COUNTS = ("open_cases", "problems")
# The case fields the case tally depends on.
CASE_TALLY_FIELDS = CASE_FIELDS | {"status", "problems"}
# A case in one of these is no longer open (as cases.views and lists).
CLOSED_STATUSES = frozenset(
    {CaseStatus.COMPLETED, CaseStatus.TERMINATED, CaseStatus.TRANSFERRED}
)
# What the case tally reads of a case, in this order.
CASE_ROW = ("unit_id", "prosecutor_id", "status", "problems", "cancelled_on")


def counts(rows: Iterable[tuple]) -> dict[Key, list[int]]:
    """The tally of deadline rows given as ``(unit_id, prosecutor_id,
    agency_id, responsible_kind, due, done, lapsed_on)``; open rows count
    nothing. The conditions are the dashboard's (``dashboard.MET`` …)."""
    tally: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for unit_id, prosecutor_id, agency_id, kind, due, done, lapsed_on in rows:
        if done is None and lapsed_on is None:
            continue
        item = tally[
            (unit_id, due.replace(day=1), prosecutor_id or 0, agency_id or 0, kind)
        ]
        if done is None:
            item[2] += 1
        elif done <= due:
            item[0] += 1
        else:
            item[1] += 1
            item[3] += (done - due).days
    return tally


def difference(before: dict, after: dict) -> dict:
    """``after`` less ``before``, keys with no change left out (either
    tally's counts)."""
    changes = {}
    for key in before.keys() | after.keys():
        old = before.get(key)
        new = after.get(key)
        old = old if old is not None else [0] * len(new)
        new = new if new is not None else [0] * len(old)
        delta = [b - a for a, b in zip(old, new, strict=True)]
        if any(delta):
            changes[key] = delta
    return changes


def of_cases(case_ids: list[int]) -> dict[Key, list[int]]:
    """The tally of the cases' stored closed deadlines, as it stands (one
    query; cancelled cases count nothing)."""
    from monitoring.models import Deadline

    rows = (
        Deadline.objects.filter(case_id__in=case_ids, case__cancelled_on__isnull=True)
        .exclude(done__isnull=True, lapsed_on__isnull=True)
        .order_by()
        .values_list(
            "unit_id",
            "case__prosecutor_id",
            "agency_id",
            "responsible_kind",
            "due",
            "done",
            "lapsed_on",
        )
    )
    return counts(rows)


def apply(changes: dict[Key, list[int]]) -> None:
    """Add ``changes`` to the stored deadline tally (no query when there
    are none).

    One INSERT … ON CONFLICT DO UPDATE adding to the counts: concurrent
    writers of the same row each add their own difference, so no lock
    beyond the row's is needed. Rows that fall to zero stay (a zero adds
    nothing to a figure; the readers skip them)."""
    from monitoring.models import DeadlineTally

    _add(DeadlineTally, KEY_COLUMNS, COUNTS, changes)


def apply_cases(changes: dict[CaseKey, list[int]]) -> None:
    """Add ``changes`` to the stored case tally, as :func:`apply`."""
    from monitoring.models import CaseTally

    _add(CaseTally, CASE_KEY_COLUMNS, CASE_COUNTS, changes)


def _add(model, key_columns: tuple, count_columns: tuple, changes: dict) -> None:
    if not changes:
        return
    table = model._meta.db_table
    columns = (*key_columns, *count_columns)
    items = sorted(changes.items())
    updates = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}" for name in count_columns
    )
    conflict = f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}"
    rows = [(*key, *delta) for key, delta in items]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: a statement of fixed text whatever the
            # number of rows. A VALUES list of a chunk's thousands of rows
            # cost more to build and parse on the client than to run.
            types = {
                field.column: field.db_type(connection)
                for field in model._meta.concrete_fields
            }
            arrays = ", ".join(f"%s::{types[name]}[]" for name in columns)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our names
                f"SELECT * FROM unnest({arrays}) {conflict}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        per_statement = max(
            1, (connection.features.max_query_params or 9000) // len(columns) - 1
        )
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our names
                f"VALUES {', '.join([row] * len(part))} {conflict}",
                [value for values in part for value in values],
            )


# The case tally ----------------------------------------------------------------


def case_counts(rows: Iterable[tuple]) -> dict[CaseKey, list[int]]:
    """The case tally of cases given as ``CASE_ROW`` tuples ``(unit_id,
    prosecutor_id, status, problems, cancelled_on)``. The conditions are
    the dashboard's: cancelled cases count nowhere; problems count
    whatever the status."""
    tally: dict[CaseKey, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, prosecutor_id, status, problems, cancelled_on in rows:
        if cancelled_on is not None:
            continue
        is_open = status not in CLOSED_STATUSES
        if not is_open and not problems:
            continue
        item = tally[(unit_id, prosecutor_id or 0)]
        item[0] += int(is_open)
        item[1] += int(bool(problems))
    return tally


def case_row(case) -> tuple:
    """A case (an instance) as :func:`case_counts` takes it."""
    return tuple(getattr(case, name) for name in CASE_ROW)


def _stored_case(pk: int) -> tuple | None:
    """The case's row as stored, locked to the end of the transaction when
    there is one (as the recomputations lock it): no other writer of the
    case can come between this reading and the write that follows."""
    stored = ExecutionCase.objects.filter(pk=pk)
    if connection.in_atomic_block:
        stored = stored.select_for_update()
    return stored.values_list(*CASE_ROW).first()


def rebuild_cases(unit_ids: list[int] | None = None, models=None) -> int:
    """Count the units' case tally (every unit's by default) again from
    their cases; returns the number of rows written. ``models`` are the
    (ExecutionCase, CaseTally) classes, a migration's historical ones."""
    if models is None:
        from monitoring.models import CaseTally

        Case = ExecutionCase
    else:
        Case, CaseTally = models
    stored = CaseTally.objects.all()
    cases = Case.objects.filter(cancelled_on__isnull=True)
    if unit_ids is not None:
        stored = stored.filter(unit_id__in=unit_ids)
        cases = cases.filter(unit_id__in=unit_ids)
    stored.delete()
    grouped = (
        cases.annotate(tally_prosecutor=Coalesce("prosecutor_id", Value(0)))
        .values("unit_id", "tally_prosecutor")
        .annotate(
            n_open=Count("pk", filter=~Q(status__in=CLOSED_STATUSES)),
            n_problems=Count("pk", filter=~Q(problems=[])),
        )
        .values_list("unit_id", "tally_prosecutor", "n_open", "n_problems")
        .order_by()
    )
    rows = [
        CaseTally(
            unit_id=unit_id,
            prosecutor_key=prosecutor,
            open_cases=open_count,
            problems=problem_count,
        )
        for unit_id, prosecutor, open_count, problem_count in grouped
        if open_count or problem_count
    ]
    CaseTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@contextmanager
def tracking(case_ids: list[int]) -> Iterator[None]:
    """Keep the tally of ``case_ids`` through whatever the block writes:
    their tally read before and after, the difference added (three
    queries). For the occasional write; the recomputations compute both
    sides from rows they hold anyway."""
    case_ids = [pk for pk in case_ids if pk is not None]
    before = of_cases(case_ids) if case_ids else {}
    yield
    if case_ids:
        apply(difference(before, of_cases(case_ids)))


def rebuild(unit_ids: list[int] | None = None, models=None) -> int:
    """Compute the units' tally (every unit's by default) again from their
    deadlines; returns the number of rows written. ``models`` are the
    (Deadline, DeadlineTally) classes, a migration's historical ones."""
    if models is None:
        from monitoring.models import Deadline, DeadlineTally
    else:
        Deadline, DeadlineTally = models
    stored = DeadlineTally.objects.all()
    deadlines = Deadline.objects.filter(case__cancelled_on__isnull=True).exclude(
        done__isnull=True, lapsed_on__isnull=True
    )
    if unit_ids is not None:
        stored = stored.filter(unit_id__in=unit_ids)
        deadlines = deadlines.filter(unit_id__in=unit_ids)
    stored.delete()
    met = Q(done__isnull=False, done__lte=F("due"))
    late = Q(done__isnull=False, done__gt=F("due"))
    grouped = (
        deadlines.annotate(
            tally_month=TruncMonth("due"),
            tally_prosecutor=Coalesce("case__prosecutor_id", Value(0)),
            tally_agency=Coalesce("agency_id", Value(0)),
        )
        .values(
            "unit_id",
            "tally_month",
            "tally_prosecutor",
            "tally_agency",
            "responsible_kind",
        )
        .annotate(
            n_met=Count("pk", filter=met),
            n_late=Count("pk", filter=late),
            n_lapsed=Count("pk", filter=Q(done__isnull=True)),
            days=Sum(
                ExpressionWrapper(F("done") - F("due"), output_field=DurationField()),
                filter=late,
            ),
        )
        .values_list(
            "unit_id",
            "tally_month",
            "tally_prosecutor",
            "tally_agency",
            "responsible_kind",
            "n_met",
            "n_late",
            "n_lapsed",
            "days",
        )
        .order_by()
    )
    rows = [
        DeadlineTally(
            unit_id=unit_id,
            month=month.date() if isinstance(month, dt.datetime) else month,
            prosecutor_key=prosecutor,
            agency_key=agency,
            responsible_kind=kind,
            met=met_count,
            met_late=late_count,
            lapsed=lapsed_count,
            late_days=_days(days),
        )
        for (
            unit_id,
            month,
            prosecutor,
            agency,
            kind,
            met_count,
            late_count,
            lapsed_count,
            days,
        ) in grouped
    ]
    DeadlineTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _days(value) -> int:
    # A Sum of date differences: a timedelta, or microseconds on SQLite.
    if value is None:
        return 0
    if isinstance(value, dt.timedelta):
        return value.days
    return int(value) // 86_400_000_000


# A case's prosecutor, unit or cancellation moves its closed deadlines from
# one tally row to another (or out of the tally), and with its status and
# problems the case itself in the case tally. Signals, so that every path
# that saves a case (services, forms, the admin, an import) keeps both.


def _written(update_fields) -> set[str] | None:
    return None if update_fields is None else set(update_fields)


@receiver(pre_save, sender=ExecutionCase, dispatch_uid="tally_case_pre_save")
def _case_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Left by a save that failed: never to be added by a later one.
    instance.__dict__.pop("_tally_before", None)
    instance.__dict__.pop("_case_tally_before", None)
    if raw or instance.pk is None:
        return
    written = _written(update_fields)
    if written is not None and not CASE_TALLY_FIELDS & written:
        return
    stored = _stored_case(instance.pk)
    if stored is None:
        return
    instance._case_tally_before = case_counts([stored])
    unit_id, prosecutor_id, _status, _problems, cancelled_on = stored
    if written is not None and not CASE_FIELDS & written:
        return
    if (
        prosecutor_id == instance.prosecutor_id
        and unit_id == instance.unit_id
        and (cancelled_on is None) == (instance.cancelled_on is None)
    ):
        return
    instance._tally_before = of_cases([instance.pk])


@receiver(post_save, sender=ExecutionCase, dispatch_uid="tally_case_post_save")
def _case_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_tally_before", None)
    if before is not None:
        apply(difference(before, of_cases([instance.pk])))
    case_before = instance.__dict__.pop("_case_tally_before", None)
    if created:
        # Every field was written: the instance is what is stored.
        apply_cases(difference(case_before or {}, case_counts([case_row(instance)])))
    elif case_before is not None:
        # Read again: with ``update_fields`` the instance's other fields
        # may be older than the row.
        stored = _stored_case(instance.pk)
        apply_cases(difference(case_before, case_counts([stored] if stored else [])))


@receiver(pre_delete, sender=ExecutionCase, dispatch_uid="tally_case_pre_delete")
def _case_pre_delete(sender, instance, **kwargs):
    # The deadlines go with the case (CASCADE), after this.
    apply(difference(of_cases([instance.pk]), {}))
    stored = _stored_case(instance.pk)
    if stored is not None:
        apply_cases(difference(case_counts([stored]), {}))
