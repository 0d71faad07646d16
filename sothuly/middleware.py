"""Project-wide middleware: sign-in required everywhere."""

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
