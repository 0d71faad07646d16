from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Sổ thụ lý điện tử KSTHAHS - Quản trị"
admin.site.site_title = "Quản trị Sổ thụ lý"
admin.site.index_title = "Quản trị hệ thống"


class PasswordChanged(auth_views.PasswordChangeView):
    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)


urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        PasswordChanged.as_view(success_url="/"),
        name="password_change",
    ),
    path("quan-tri/", admin.site.urls),
    path("", include("monitoring.urls")),
    path("", include("documents.urls")),
    path("", include("cases.urls")),
]
