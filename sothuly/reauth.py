"""Re-authentication before sensitive actions.

Changing accounts and roles, editing the deadline rules, replacing a
document template and exporting personal data each require that the user
typed their password (and their two-factor code, if they have a device)
within the last ``SOTHULY_REAUTH_MINUTES`` minutes. A session left open on
an unattended desk therefore cannot be used for them. Signing in counts as
such a confirmation.

``reauth_required`` guards a view, ``ReauthAdminMixin`` a ModelAdmin; both
send a stale session to the "Xác nhận lại danh tính" page, which returns to
where the user was.
"""

from __future__ import annotations

import time
from functools import wraps

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, authenticate
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user

SESSION_KEY = "sothuly_reauth_at"


def window_seconds() -> int:
    return int(getattr(settings, "SOTHULY_REAUTH_MINUTES", 10)) * 60


def mark_fresh(request) -> None:
    """Record that the user has just proved who they are."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())


def is_fresh(request) -> bool:
    confirmed = request.session.get(SESSION_KEY)
    return confirmed is not None and time.time() - confirmed <= window_seconds()


def reauth_url(request) -> str:
    query = QueryDict(mutable=True)
    query[REDIRECT_FIELD_NAME] = request.get_full_path()
    return f"{reverse('reauth')}?{query.urlencode(safe='/')}"


def _send_to_reauth(request):
    if request.method == "POST":
        messages.warning(
            request,
            "Chưa lưu: đã quá thời gian xác nhận danh tính. Xác nhận lại rồi "
            "thực hiện lại thao tác.",
        )
    return redirect(reauth_url(request))


def reauth_required(view=None, *, when=None):
    """Require a recent confirmation of identity for this view.

    ``when(request)`` narrows it to some requests, e.g. only administrators
    on a page that everyone else merely reads.
    """

    def decorate(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if (when is None or when(request)) and not is_fresh(request):
                return _send_to_reauth(request)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


class ReauthAdminMixin:
    """For ModelAdmins of sensitive data: adding, changing (including a
    password or reverting to a historical version), deleting and bulk
    actions need a recent confirmation; the list itself stays readable."""

    def _stale(self, request) -> bool:
        return not is_fresh(request)

    def changeform_view(self, request, *args, **kwargs):
        if self._stale(request):
            return _send_to_reauth(request)
        return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        if self._stale(request):
            return _send_to_reauth(request)
        return super().delete_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # A POST on the list runs an action (delete selected, ...) or saves
        # list_editable fields.
        if request.method == "POST" and self._stale(request):
            return _send_to_reauth(request)
        return super().changelist_view(request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        # django-simple-history's "revert to this version" page.
        if self._stale(request):
            return _send_to_reauth(request)
        return super().history_form_view(request, *args, **kwargs)

    def user_change_password(self, request, *args, **kwargs):
        if self._stale(request):
            return _send_to_reauth(request)
        return super().user_change_password(request, *args, **kwargs)


class ReauthForm(forms.Form):
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="Mã xác thực",
        required=False,
        max_length=16,
        help_text="6 chữ số trên ứng dụng xác thực, hoặc một mã dự phòng.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        self.devices = list(devices_for_user(self.user, confirmed=True))
        if self.devices:
            self.fields["otp_token"].required = True
            self.fields["otp_token"].error_messages["required"] = (
                "Nhập mã xác thực trên ứng dụng (hoặc một mã dự phòng)."
            )
        else:
            del self.fields["otp_token"]
        self.device = None

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password is None:
            return data
        # Through authenticate(), so that django-axes counts wrong passwords
        # here exactly as on the sign-in page and locks the account out.
        user = authenticate(
            self.request, username=self.user.get_username(), password=password
        )
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError("Mật khẩu không đúng.")
        token = (data.get("otp_token") or "").replace(" ", "")
        if self.devices:
            if not token:
                return data
            self.device = django_otp.match_token(self.user, token)
            if self.device is None:
                self.add_error(
                    "otp_token",
                    "Mã xác thực không đúng hoặc đã hết hạn.",
                )
        return data


@never_cache
@sensitive_post_parameters("password", "otp_token")
def reauth_view(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    if request.method == "POST":
        form = ReauthForm(request.POST, request=request)
        if form.is_valid():
            mark_fresh(request)
            if form.device is not None:
                django_otp.login(request, form.device)
            return redirect(target or settings.LOGIN_REDIRECT_URL)
    else:
        form = ReauthForm(request=request)
    return render(
        request,
        "registration/reauth.html",
        {
            "form": form,
            "next": target,
            "minutes": window_seconds() // 60,
        },
    )
