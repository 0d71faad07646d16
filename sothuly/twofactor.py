"""Two-factor sign-in: who must use it, and django-two-factor-auth's views
adapted to the register (Vietnamese messages, our issuer name, audit).

Leaders and administrators hold the keys to a whole unit's register (or all
of them), so for them a password alone is not enough; anyone else may turn
two-factor on, and ``SOTHULY_REQUIRE_2FA_FOR_ALL=1`` requires it of all.
Staff accounts (``is_staff``) are treated like administrators because the
admin site accepts only verified sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django_otp import devices_for_user
from two_factor import views as tf_views
from two_factor.utils import get_otpauth_url, totp_digits

from audit.models import AuditLog
from audit.services import record_audit

# Shown in the authenticator app beside the account name.
ISSUER = "Sổ thụ lý KSTHAHS"

# django-otp's own messages are English (its catalogue has no Vietnamese);
# these replace them on the token and backup-code steps.
OTP_ERRORS_VI = {
    "token_required": "Nhập mã xác thực gồm 6 chữ số.",
    "challenge_exception": "Không gửi được mã xác thực: {0}",
    "not_interactive": "Thiết bị này không gửi mã; nhập mã đang hiện trên ứng dụng.",
    "challenge_message": "{0}",
    "invalid_token": (
        "Mã xác thực không đúng hoặc đã hết hạn. Nhập mã đang hiện trên ứng dụng "
        "xác thực (mỗi mã dùng được khoảng 30 giây)."
    ),
    "n_failed_attempts": (
        "Đã nhập sai mã {failure_count} lần liên tiếp: chờ một lát rồi thử lại."
    ),
    "verification_not_allowed": "Tạm thời chưa thử lại được: chờ một lát.",
}


AUTH_ERRORS_VI = {
    "invalid_login": (
        "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ "
        "hoa, chữ thường."
    ),
    "inactive": "Tài khoản này đã bị khóa; liên hệ quản trị hệ thống.",
}
SETUP_ERRORS_VI = {
    "invalid_token": (
        "Mã không đúng. Nhập mã 6 chữ số đang hiện trên ứng dụng cho tài khoản "
        "này; nếu vẫn sai, kiểm tra giờ trên điện thoại."
    ),
}


def requires_two_factor(user) -> bool:
    """Whether this account may use the register only after a second step."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(settings, "SOTHULY_REQUIRE_2FA_FOR_ALL", False):
        return True
    return (
        user.role in (user.Role.LEADER, user.Role.ADMIN)
        or user.is_staff
        or user.is_superuser
    )


def has_device(user) -> bool:
    """A confirmed authenticator app (backup codes alone do not count)."""
    return any(
        device.__class__.__name__ == "TOTPDevice"
        for device in devices_for_user(user, confirmed=True)
    )


class LoginView(tf_views.LoginView):
    """Password, then (for an account with an authenticator) its code."""

    redirect_authenticated_user = True

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step=step, **kwargs)
        if (step or self.steps.current) == self.AUTH_STEP:
            form.error_messages = {**form.error_messages, **AUTH_ERRORS_VI}
        if hasattr(form, "otp_error_messages"):
            form.otp_error_messages = {**form.otp_error_messages, **OTP_ERRORS_VI}
        if self.show_timeout_error:
            form.errors.pop("__all__", None)
            form.add_error(
                None, "Quá thời gian xác thực: đăng nhập lại từ bước mật khẩu."
            )
        return form

    def render(self, form=None, **kwargs):
        # A wrong password is recorded through Django's user_login_failed
        # signal; a wrong code has no signal, so it is recorded here.
        if (
            form is not None
            and form.is_bound
            and form.errors
            and self.steps.current in (self.TOKEN_STEP, self.BACKUP_STEP)
            and self.get_user()
        ):
            record_audit(
                AuditLog.Action.SIGN_IN_FAILED,
                request=self.request,
                user=self.get_user(),
                detail="Sai mã xác thực hai bước"
                if self.steps.current == self.TOKEN_STEP
                else "Sai mã dự phòng",
            )
        return super().render(form, **kwargs)


class SetupView(tf_views.SetupView):
    def get_form(self, step=None, **kwargs):
        form = super().get_form(step=step, **kwargs)
        if "invalid_token" in getattr(form, "error_messages", {}):
            form.error_messages = {**form.error_messages, **SETUP_ERRORS_VI}
        return form

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if "secret_key" in context:
            context["issuer"] = ISSUER
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(),
                context["secret_key"],
                ISSUER,
                digits=totp_digits(),
            )
        context["required"] = requires_two_factor(self.request.user)
        return context


class QRGeneratorView(tf_views.QRGeneratorView):
    def get_issuer(self):
        return ISSUER


class ProfileView(tf_views.ProfileView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = requires_two_factor(self.request.user)
        return context


class DisableView(tf_views.DisableView):
    """Turning two-factor off, refused where the account requires it."""

    def dispatch(self, request, *args, **kwargs):
        if requires_two_factor(request.user):
            raise PermissionDenied(
                "Tài khoản của bạn bắt buộc xác thực hai bước: không tắt được."
            )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Đã tắt xác thực hai bước.")
        return response


class BackupTokensView(tf_views.BackupTokensView):
    def dispatch(self, request, *args, **kwargs):
        # The package sends an unverified user to the sign-in page, which
        # sends a signed-in user straight back here: a redirect loop.
        if request.user.is_authenticated and not request.user.is_verified():
            messages.info(
                request,
                "Mã dự phòng dùng khi mất thiết bị xác thực: hãy bật xác thực "
                "hai bước trước.",
            )
            return redirect("two_factor:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        super().form_valid(form)
        messages.success(
            self.request,
            "Đã tạo 10 mã dự phòng mới; các mã cũ không còn dùng được.",
        )
        return redirect("two_factor:backup_tokens")
