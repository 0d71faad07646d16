"""Project-wide middleware: sign-in (and two-factor where required)
everywhere, security headers."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from sothuly import rls
from sothuly.twofactor import has_device, requires_two_factor

# Paths a signed-out visitor may reach: the sign-in page itself and the
# static files it needs.
_PUBLIC_PREFIXES = ("/dang-nhap/", "/static/", "/favicon.ico")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(
            _PUBLIC_PREFIXES
        ):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


# Where an account that still has to set up two-factor may go: the setup
# pages, signing out, and the static files they need.
_SETUP_PREFIXES = ("/xac-thuc-hai-buoc/cai-dat/", "/dang-xuat/", "/static/")


class TwoFactorRequiredMiddleware:
    """After django_otp's OTPMiddleware: a session that has not passed the
    second step is let through only where that is allowed.

    An account with an authenticator whose session was never verified (it
    was added during the session) is signed out and must sign in again
    with its code; an account whose role requires two-factor but has no
    authenticator yet is sent to the setup page and can do nothing else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_SETUP_PREFIXES)
        ):
            if has_device(user):
                logout(request)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if requires_two_factor(user):
                return redirect("two_factor:setup")
        return self.get_response(request)


# Scripts and styles come only from our own static files: no inline
# <script>, no on…= handlers, no style attributes (the templates have none;
# tests/test_security.py keeps it so). Django's admin needs no inline script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class RowLevelSecurityMiddleware:
    """Runs each request in one transaction with the signed-in user's unit
    scope set for PostgreSQL's row-level security (see sothuly.rls); right
    after AuthenticationMiddleware, so that everything after it, the view
    and its template included, is held by the policies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return rls.handle_request(request, self.get_response)
