"""The nightly monitoring job: a plain, idempotent function.

Celery beat, ``manage.py run_monitoring`` and the tests all call
``run_monitoring``. Running it twice for a day gives the same alerts; a
failure on one case is recorded and the others are processed; two runs at
once are refused.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import ExecutionCase
from monitoring.digest import send_digests
from monitoring.models import Alert, JobLock, MonitoringRun
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


def run_monitoring(as_of: dt.date | None = None, unit_ids: list[int] | None = None):
    """Materialise the day's alerts for every open case; returns the run."""
    as_of = as_of or timezone.localdate()
    _acquire()
    run = MonitoringRun.objects.create(as_of=as_of)
    try:
        cases = (
            ExecutionCase.objects.filter(cancelled_on__isnull=True)
            .exclude(status__in=["completed", "terminated", "transferred"])
            .prefetch_related("deadlines", "eligibility_dates")
            .order_by("pk")
        )
        if unit_ids is not None:
            cases = cases.filter(unit_id__in=unit_ids)
        before = Alert.objects.filter(day=as_of).count()
        for case in cases.iterator(chunk_size=500):
            run.cases += 1
            try:
                Alert.objects.bulk_create(
                    _alerts_for(case, as_of), ignore_conflicts=True
                )
            except Exception as error:  # noqa: BLE001 - one case must not stop the run
                logger.exception("Monitoring case %s failed", case.pk)
                run.errors.append({"case": case.pk, "error": type(error).__name__})
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
