"""Sign-ins, failed sign-ins and sign-outs, from Django's own signals; and
every change made in the admin (rules, calendar, agencies, accounts, review
rounds, lifted lockouts), from the admin's own log."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import post_save
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


_VERBS = {ADDITION: "thêm", CHANGE: "sửa", DELETION: "xóa"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def _admin_changed(sender, instance: LogEntry, created: bool, **kwargs):
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type else None
    name = model._meta.verbose_name if model is not None else "dữ liệu"
    # The object's own text could be a person's name: the log keeps the
    # kind, the id and which fields changed, never the values.
    record_audit(
        AuditLog.Action.ADMIN_CHANGE,
        user=instance.user,
        target=f"{instance.content_type.app_label}.{instance.content_type.model} "
        f"#{instance.object_id}"
        if instance.content_type
        else "",
        detail=f"{_VERBS.get(instance.action_flag, 'sửa')} {name}: "
        f"{instance.get_change_message()}"[:300],
    )
