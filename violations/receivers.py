"""Keeps the automatic violations in step with the deadlines."""

from __future__ import annotations

import contextlib
import threading

from violations import services, sync

_deferred = threading.local()


def follow_deadlines(
    sender, case_ids=None, unit_ids=None, as_of=None, reason="", **kwargs
) -> None:
    if case_ids is None:
        sync.sync_all(as_of, unit_ids=unit_ids, reason=reason)
        if as_of is not None:
            services.reply_alerts(as_of, unit_ids)
        return
    pending = getattr(_deferred, "case_ids", None)
    if pending is not None:
        pending.update(case_ids)
        return
    sync.sync_cases(list(case_ids), as_of, reason=reason)


@contextlib.contextmanager
def deferred(reason: str = ""):
    """Bulk loads (seed_demo, imports) recompute case by case; their
    violations are brought in step once, in batches, at the end."""
    _deferred.case_ids = set()
    try:
        yield
        case_ids = sorted(_deferred.case_ids)
    finally:
        _deferred.case_ids = None
    sync.sync_cases(case_ids, reason=reason)
