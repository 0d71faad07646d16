from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from two_factor.admin import AdminSiteOTPRequired

from sothuly import twofactor
from sothuly.reauth import reauth_required, reauth_view


# The admin accepts only sessions that passed the second step (the way
# django-otp documents swapping the class of the default site, keeping
# every registration); its own login page sends to ours.
class AdminSite(AdminSiteOTPRequired):
    def login(self, request, extra_context=None):
        # Signed in already, but not an administrator past the second step:
        # our sign-in page would send them straight back here, round and
        # round.
        if request.user.is_authenticated:
            raise PermissionDenied(
                "Trang quản trị chỉ dành cho quản trị hệ thống đã xác thực hai bước."
            )
        return super().login(request, extra_context)


admin.site.__class__ = AdminSite
admin.site.site_header = "Sổ thụ lý điện tử KSTHAHS - Quản trị"
admin.site.site_title = "Quản trị Sổ thụ lý"
admin.site.index_title = "Quản trị hệ thống"


class PasswordChanged(auth_views.PasswordChangeView):
    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)


# django-two-factor-auth's views under Vietnamese paths, in the namespace
# its views reverse ("two_factor:setup", ...). Everything a user must reach
# before two-factor is set up lives under /xac-thuc-hai-buoc/cai-dat/
# (see TwoFactorRequiredMiddleware).
login_view = twofactor.LoginView.as_view()
two_factor_patterns = [
    path("dang-nhap/", login_view, name="login"),
    path(
        "xac-thuc-hai-buoc/cai-dat/",
        twofactor.SetupView.as_view(),
        name="setup",
    ),
    path(
        "xac-thuc-hai-buoc/cai-dat/ma-qr/",
        twofactor.QRGeneratorView.as_view(),
        name="qr",
    ),
    path(
        "xac-thuc-hai-buoc/cai-dat/xong/",
        twofactor.tf_views.SetupCompleteView.as_view(),
        name="setup_complete",
    ),
    path(
        "xac-thuc-hai-buoc/ma-du-phong/",
        twofactor.BackupTokensView.as_view(),
        name="backup_tokens",
    ),
    path("xac-thuc-hai-buoc/", twofactor.ProfileView.as_view(), name="profile"),
    path(
        "xac-thuc-hai-buoc/tat/",
        reauth_required(twofactor.DisableView.as_view()),
        name="disable",
    ),
]

urlpatterns = [
    path("dang-nhap/", login_view, name="login"),
    path("", include((two_factor_patterns, "two_factor"))),
    path("xac-nhan-lai/", reauth_view, name="reauth"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        PasswordChanged.as_view(success_url="/"),
        name="password_change",
    ),
    path("quan-tri/", admin.site.urls),
    # Browsers ask for it on pages that name no icon (error pages, files).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"))),
    path("", include("monitoring.urls")),
    path("", include("documents.urls")),
    path("", include("violations.urls")),
    path("", include("cases.urls")),
]
