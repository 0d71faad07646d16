from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("viec-cua-toi/", views.work_list, name="work_list"),
    path("thong-bao/", views.notifications, name="notifications"),
    path("lich-lam-viec/", views.work_calendar, name="calendar"),
    path("lich-lam-viec/<int:year>/", views.work_calendar, name="calendar_year"),
    path(
        "ho-so/<int:pk>/thoi-han/<int:deadline_pk>/an-dinh/",
        views.override,
        name="override",
    ),
    path(
        "ho-so/<int:pk>/thoi-han/<int:deadline_pk>/bo-an-dinh/",
        views.clear_override,
        name="clear_override",
    ),
]
