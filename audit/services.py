"""Writing the audit log; every caller goes through ``record_audit``."""

from __future__ import annotations

import logging

from audit.models import AuditLog

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The client's address as the server saw it (a proxy in front sets
    REMOTE_ADDR through its own configuration, not a header we trust)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_audit(
    action: str,
    *,
    request=None,
    user=None,
    username: str = "",
    unit=None,
    unit_id: int | None = None,
    target: str = "",
    detail: str = "",
) -> AuditLog:
    """Record one action. ``detail`` must hold no personal data: ids and
    codes, never a convict's name (it is shown to administrators and kept
    for years)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if user is not None:
        username = username or user.get_username()
        if unit is None and unit_id is None:
            unit_id = user.unit_id
    entry = AuditLog.objects.create(
        action=action,
        user=user,
        username=username[:150],
        unit=unit,
        unit_id=unit.pk if unit is not None else unit_id,
        ip_address=client_address(request),
        target=target[:100],
        detail=detail[:300],
    )
    logger.info("audit %s user=%s target=%s", action, getattr(user, "pk", None), target)
    return entry
