"""Background work of the deadline engine (in-process in the demo)."""

from celery import shared_task

from monitoring import services


@shared_task
def recompute_all_cases(reason: str) -> int:
    """Recompute every case after a rule or calendar edit; the moved dates
    are recorded with this reason."""
    return services.recompute_all(reason)
