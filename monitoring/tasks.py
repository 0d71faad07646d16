"""Background work of the deadline engine (in-process in the demo)."""

from celery import shared_task

from monitoring import services


@shared_task
def recompute_all_cases(reason: str) -> int:
    """Recompute every case after a rule or calendar edit; the moved dates
    are recorded with this reason."""
    return services.recompute_all(reason)


@shared_task
def nightly_monitoring() -> int:
    """Celery beat's nightly entry point (see CELERY_BEAT_SCHEDULE)."""
    from monitoring.jobs import run_monitoring

    return run_monitoring().alerts_created
