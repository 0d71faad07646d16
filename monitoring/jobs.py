"""The nightly monitoring job: a plain, idempotent function.

It reads only the cases that have something to alert about on the day (a
deadline overdue or due soon, an eligibility date that day), found from
the deadlines: the alerts' part of its time grows with the day's alerts,
not with the register. (The automatic violations' pass it triggers at the
end, ``violations.sync.sync_all``, still judges every case with a late
deadline: most of the job's time at 1,000,000 cases, docs/performance.md.)

Celery beat, ``manage.py run_monitoring`` and the tests all call
``run_monitoring``. Running it twice for a day gives the same alerts; a
failure on one case is recorded and the others are processed; two runs at
once are refused.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from cases.models import ExecutionCase
from monitoring.digest import send_digests
from monitoring.models import (
    Alert,
    Deadline,
    EligibilityDate,
    JobLock,
    MonitoringRun,
)
from monitoring.signals import deadlines_changed

logger = logging.getLogger(__name__)

LOCK_NAME = "run_monitoring"
# A lock older than this was left by a process that died.
STALE_LOCK = dt.timedelta(hours=6)


class AlreadyRunning(Exception):
    pass


def _acquire() -> None:
    JobLock.objects.filter(
        name=LOCK_NAME, acquired_at__lt=timezone.now() - STALE_LOCK
    ).delete()
    try:
        with transaction.atomic():
            JobLock.objects.create(name=LOCK_NAME)
    except IntegrityError as error:
        raise AlreadyRunning("Một lần chạy giám sát khác đang diễn ra.") from error


def _release() -> None:
    JobLock.objects.filter(name=LOCK_NAME).delete()


def _alerts_for(case: ExecutionCase, as_of: dt.date) -> list[Alert]:
    alerts = []
    for deadline in case.deadlines.all():
        status = deadline.status(as_of)
        if status.code == "overdue":
            kind = Alert.Kind.OVERDUE
        elif status.code == "due_soon":
            kind = (
                Alert.Kind.DUE_TODAY if deadline.due == as_of else Alert.Kind.DUE_SOON
            )
        else:
            continue
        alerts.append((kind, deadline.rule, deadline.title, deadline.due))
    for eligible in case.eligibility_dates.all():
        if eligible.date == as_of:
            alerts.append(
                (Alert.Kind.ELIGIBLE, eligible.rule, eligible.title, eligible.date)
            )
    return [
        Alert(
            unit_id=case.unit_id,
            case=case,
            user_id=case.prosecutor_id,
            kind=kind,
            rule=rule,
            title=title,
            due=due,
            day=as_of,
        )
        for kind, rule, title, due in alerts
    ]


# A case that is no longer open is not monitored.
CLOSED_STATUSES = ["completed", "terminated", "transferred"]
# Cases fetched, with their alerting rows, at a time.
CHUNK = 500
# What ``_alerts_for`` reads of a deadline (the rows are wide).
DEADLINE_FIELDS = (
    "id",
    "case_id",
    "rule",
    "title",
    "due",
    "done",
    "lapsed_on",
    "warn_days",
)


def _alerting(as_of: dt.date) -> Q:
    """The deadlines that could alert on ``as_of`` (``_alerts_for``): past
    due or inside their warning window (``warn_from`` is the due date less
    the warning days, as ``engine.status_of`` counts them), and neither met
    nor lapsed on or before ``as_of``. A date after ``as_of`` does not
    count yet (``status_of``): a run for a past day sees the deadline as it
    stood that day."""
    return (
        (Q(warn_from__lte=as_of) | Q(due__lt=as_of))
        & (Q(done__isnull=True) | Q(done__gt=as_of))
        & (Q(lapsed_on__isnull=True) | Q(lapsed_on__gt=as_of))
    )


def _candidates(as_of: dt.date, unit_ids: list[int] | None) -> list[int]:
    """The cases with something to alert about on ``as_of``: a deadline
    of :func:`_alerting`, or an eligibility date that day. Read from the
    deadlines, not the cases, so the run is proportional to the day's
    alerts, not to the register (docs/performance.md, "Dashboards")."""
    deadlines = Deadline.objects.order_by()
    eligible = EligibilityDate.objects.order_by()
    if unit_ids is not None:
        deadlines = deadlines.filter(unit_id__in=unit_ids)
        eligible = eligible.filter(unit_id__in=unit_ids)
    window = Q(warn_from__lte=as_of) | Q(due__lt=as_of)
    # Still open: from the open deadlines' partial covering index
    # (monitoring migration 0009), without reading a row.
    open_now = deadlines.filter(window, done__isnull=True, lapsed_on__isnull=True)
    # Met or lapsed only after ``as_of``: none on an ordinary night, some
    # when a past day is run again (``--as-of``). No index serves it: a
    # sequential scan of the deadlines (0.6 s at 1,000,000 cases), cheaper
    # than indexing every closed deadline for the nightly writes to keep.
    closed_later = deadlines.filter(_alerting(as_of)).exclude(
        done__isnull=True, lapsed_on__isnull=True
    )
    ids: set[int] = set()
    for queryset in (open_now, closed_later, eligible.filter(date=as_of)):
        ids.update(queryset.values_list("case_id", flat=True).distinct())
    return sorted(ids)


def _failed(run: MonitoringRun, case_id: int, error: Exception) -> None:
    logger.exception("Monitoring case %s failed", case_id)
    run.errors.append({"case": case_id, "error": type(error).__name__})


def _store(found: list[tuple[int, list[Alert]]], run: MonitoringRun) -> None:
    """Insert a chunk's alerts in one statement (one commit, not one per
    case); should it fail, case by case, so that the failure is recorded
    against its case and the others' alerts still go in."""
    try:
        with transaction.atomic():
            Alert.objects.bulk_create(
                [alert for _pk, alerts in found for alert in alerts],
                ignore_conflicts=True,
            )
    except Exception:  # noqa: BLE001 - retried case by case below
        for case_id, alerts in found:
            try:
                with transaction.atomic():
                    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
            except Exception as error:  # noqa: BLE001 - one case must not stop the run
                _failed(run, case_id, error)


def run_monitoring(as_of: dt.date | None = None, unit_ids: list[int] | None = None):
    """Materialise the day's alerts for the open cases; returns the run.

    Only the open cases with something to alert about are read
    (``_candidates``), each with only its alerting rows; ``run.cases``
    counts them: the open cases that had an alert that day (created by
    this run or an earlier one of the same day), not every open case."""
    as_of = as_of or timezone.localdate()
    _acquire()
    run = MonitoringRun.objects.create(as_of=as_of)
    try:
        candidates = _candidates(as_of, unit_ids)
        before = Alert.objects.filter(day=as_of).count()
        for first in range(0, len(candidates), CHUNK):
            cases = (
                ExecutionCase.objects.filter(
                    pk__in=candidates[first : first + CHUNK],
                    cancelled_on__isnull=True,
                )
                .exclude(status__in=CLOSED_STATUSES)
                .prefetch_related(
                    Prefetch(
                        "deadlines",
                        queryset=Deadline.objects.filter(_alerting(as_of))
                        .only(*DEADLINE_FIELDS)
                        .order_by("due", "pk"),
                    ),
                    Prefetch(
                        "eligibility_dates",
                        queryset=EligibilityDate.objects.filter(date=as_of),
                    ),
                )
                .order_by("pk")
            )
            found = []
            for case in cases:
                run.cases += 1
                try:
                    found.append((case.pk, _alerts_for(case, as_of)))
                except Exception as error:  # noqa: BLE001 - one case must not stop the run
                    _failed(run, case.pk, error)
            _store(found, run)
        run.alerts_created = Alert.objects.filter(day=as_of).count() - before
        try:
            # Deadlines that passed overnight become violations of their agency.
            with transaction.atomic():
                deadlines_changed.send(
                    sender=ExecutionCase,
                    case_ids=None,
                    unit_ids=unit_ids,
                    as_of=as_of,
                    reason="Giám sát hằng ngày",
                )
        except Exception as error:  # noqa: BLE001 - recorded on the run
            logger.exception("Updating violations failed")
            run.errors.append({"case": None, "error": type(error).__name__})
    finally:
        run.finished_at = timezone.now()
        run.save()
        _release()
    # After the lock is released: mail is slow and must not hold the job, and
    # a mail failure must not mark the run failed (each digest retries later).
    send_digests(as_of)
    return run


def last_run() -> MonitoringRun | None:
    return MonitoringRun.objects.filter(finished_at__isnull=False).first()


def missed_last_night(today: dt.date | None = None) -> bool:
    """True when no run finished for today or yesterday."""
    today = today or timezone.localdate()
    run = last_run()
    return run is None or run.as_of < today - dt.timedelta(days=1)
