from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Sổ thụ lý điện tử KSTHAHS - Quản trị"
admin.site.site_title = "Quản trị Sổ thụ lý"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("", include("cases.urls")),
]
