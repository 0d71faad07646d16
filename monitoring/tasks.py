"""Background work of the deadline engine (in-process in the demo)."""

from celery import shared_task

from monitoring import services
from sothuly.rls import system_scope


@shared_task
def recompute_all_cases(reason: str) -> int:
    """Recompute every case after a rule or calendar edit; the moved dates
    are recorded with this reason."""
    # Work across every unit: a worker (or, in the demo, the request that
    # queued it after its commit) otherwise sees no tenant rows.
    with system_scope():
        return services.recompute_all(reason)


@shared_task
def nightly_monitoring() -> int:
    """Celery beat's nightly entry point (see CELERY_BEAT_SCHEDULE)."""
    from monitoring.jobs import run_monitoring

    with system_scope():
        return run_monitoring().alerts_created
