"""Sign-ins, failed sign-ins and sign-outs, from Django's own signals."""

from __future__ import annotations

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from audit.models import AuditLog
from audit.services import record_audit
from sothuly import reauth


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender, request, user, **kwargs):
    record_audit(AuditLog.Action.SIGN_IN, request=request, user=user)
    # Signing in is itself a confirmation of identity for the sensitive
    # actions guarded by sothuly.reauth.
    reauth.mark_fresh(request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in ``credentials``; only the
    # name typed is kept.
    record_audit(
        AuditLog.Action.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_audit(AuditLog.Action.SIGN_OUT, request=request, user=user)
