"""Project-wide middleware: sign-in required everywhere, security headers."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

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
