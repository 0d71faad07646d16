"""The tally of closed deadlines behind the dashboards' period figures.

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

from cases.models import ExecutionCase

# unit, month, prosecutor (0: none), agency (0: none), responsible kind
Key = tuple[int, dt.date, int, int, str]
# met, met late, lapsed, days late (of those met late)
COUNTS = ("met", "met_late", "lapsed", "late_days")
KEY_COLUMNS = ("unit_id", "month", "prosecutor_key", "agency_key", "responsible_kind")

# The case fields a tally row depends on besides its deadlines.
CASE_FIELDS = {"prosecutor", "prosecutor_id", "cancelled_on", "unit", "unit_id"}


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


def difference(before: dict, after: dict) -> dict[Key, list[int]]:
    """``after`` less ``before``, keys with no change left out."""
    changes = {}
    for key in before.keys() | after.keys():
        old = before.get(key, (0, 0, 0, 0))
        new = after.get(key, (0, 0, 0, 0))
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
    """Add ``changes`` to the stored tally (no query when there are none).

    One INSERT … ON CONFLICT DO UPDATE adding to the counts: concurrent
    writers of the same row each add their own difference, so no lock
    beyond the row's is needed. Rows that fall to zero stay (a zero adds
    nothing to a figure; the readers skip them)."""
    if not changes:
        return
    from monitoring.models import DeadlineTally

    table = DeadlineTally._meta.db_table
    columns = (*KEY_COLUMNS, *COUNTS)
    per_statement = max(1, (connection.features.max_query_params or 9000) // 9 - 1)
    items = sorted(changes.items())
    updates = ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in COUNTS)
    with connection.cursor() as cursor:
        for start in range(0, len(items), per_statement):
            part = items[start : start + per_statement]
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            values = ", ".join([row] * len(part))
            params = [value for key, delta in part for value in (*key, *delta)]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "  # noqa: S608 - our names
                f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {updates}",
                params,
            )


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
# one tally row to another (or out of the tally). Signals, so that every
# path that saves a case (services, forms, the admin, an import) keeps it.


def _tracks(instance, update_fields) -> bool:
    if instance.pk is None:
        return False
    return update_fields is None or bool(CASE_FIELDS & set(update_fields))


@receiver(pre_save, sender=ExecutionCase, dispatch_uid="tally_case_pre_save")
def _case_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not _tracks(instance, update_fields):
        return
    stored = ExecutionCase.objects.filter(pk=instance.pk)
    if connection.in_atomic_block:
        # Held to the commit, as the recomputations hold it: the case's
        # deadlines cannot be rewritten between the two readings.
        stored = stored.select_for_update()
    stored = stored.values_list("prosecutor_id", "unit_id", "cancelled_on").first()
    if stored is None:
        return
    prosecutor_id, unit_id, cancelled_on = stored
    if (
        prosecutor_id == instance.prosecutor_id
        and unit_id == instance.unit_id
        and (cancelled_on is None) == (instance.cancelled_on is None)
    ):
        return
    instance._tally_before = of_cases([instance.pk])


@receiver(post_save, sender=ExecutionCase, dispatch_uid="tally_case_post_save")
def _case_post_save(sender, instance, **kwargs):
    before = instance.__dict__.pop("_tally_before", None)
    if before is not None:
        apply(difference(before, of_cases([instance.pk])))


@receiver(pre_delete, sender=ExecutionCase, dispatch_uid="tally_case_pre_delete")
def _case_pre_delete(sender, instance, **kwargs):
    # The deadlines go with the case (CASCADE), after this.
    apply(difference(of_cases([instance.pk]), {}))
