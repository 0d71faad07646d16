"""The daily e-mail digest of each user's new alerts.

At most one digest a user a day: the ``DigestSent`` row of the day is
written in the same transaction as the sending, and its unique constraint
refuses a second one, so running the nightly job (or ``send_digests``) twice
sends nothing more. A user who opted out, has no e-mail address or has no
new alert gets nothing. Only the user's own alerts, in units the user may
still read, are listed.

The mail names cases by register number, rule and date, not by the
convict's name: mail leaves the application and may pass through servers
outside the procuracy's network.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cases.models import User
from cases.scoping import readable_unit_ids
from monitoring.models import Alert, DigestSent

logger = logging.getLogger(__name__)

# Alerts older than this are not mailed: a user who turns the digest back on
# gets today's news, not months of old ones.
LOOKBACK_DAYS = 7
# A mail lists this many alerts at most; the rest are counted and wait on
# the "Thông báo" page, so a bad morning does not produce an unreadable mail.
MAIL_LIST_LIMIT = 100


@dataclass
class DigestOutcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _path_of(alert: Alert) -> str:
    if alert.action_id:
        return reverse("violations:action", args=[alert.action_id])
    return reverse("cases:detail", args=[alert.case_id]) + "#thoi-han"


def _new_alerts(user: User, day: dt.date):
    return (
        Alert.objects.filter(
            user=user,
            emailed_at__isnull=True,
            unit_id__in=readable_unit_ids(user),
            day__gte=day - dt.timedelta(days=LOOKBACK_DAYS),
            day__lte=day,
        )
        .select_related("case", "action")
        .order_by("kind", "due", "pk")
    )


def _message(user: User, alerts: list[Alert], day: dt.date) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "day": day,
        "alerts": [
            {
                "alert": alert,
                "url": _link(_path_of(alert)),
            }
            for alert in alerts[:MAIL_LIST_LIMIT]
        ],
        "total": len(alerts),
        "more": max(len(alerts) - MAIL_LIST_LIMIT, 0),
        "notifications_url": _link(reverse("monitoring:notifications")),
        "settings_url": _link(reverse("monitoring:notification_settings")),
    }
    subject = f"[Sổ thụ lý] {len(alerts)} cảnh báo mới ngày {day:%d/%m/%Y}"
    message = EmailMultiAlternatives(
        subject,
        render_to_string("emails/digest.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    message.attach_alternative(
        render_to_string("emails/digest.html", context), "text/html"
    )
    return message


def send_digest(user: User, day: dt.date) -> bool:
    """Send the user's digest of the day; False when there was nothing to
    send or it had been sent already."""
    if not user.is_active or not user.receives_digest or not user.email:
        return False
    if DigestSent.objects.filter(user=user, day=day).exists():
        return False
    alerts = list(_new_alerts(user, day))
    if not alerts:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, day=day, alerts=len(alerts))
            Alert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(
                emailed_at=timezone.now()
            )
            # Inside the transaction: if the mail server refuses, the day's
            # record and the alerts' marks are undone and a later run retries.
            _message(user, alerts, day).send()
    except IntegrityError:
        return False  # another run sent it a moment ago
    return True


def send_digests(day: dt.date | None = None) -> DigestOutcome:
    """Send every user's digest of the day; one failure stops no other."""
    day = day or timezone.localdate()
    outcome = DigestOutcome()
    users = (
        User.objects.filter(
            is_active=True,
            receives_digest=True,
            alerts__emailed_at__isnull=True,
            alerts__day__gte=day - dt.timedelta(days=LOOKBACK_DAYS),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    for user in users:
        try:
            if send_digest(user, day):
                outcome.sent += 1
            else:
                outcome.skipped += 1
        except Exception:  # noqa: BLE001 - one user's mail must not stop the rest
            logger.exception("Digest for user %s failed", user.pk)
            outcome.failed += 1
    return outcome
