from django.urls import path

from monitoring import dashboard_views, list_views, views

app_name = "monitoring"
urlpatterns = [
    path("viec-cua-toi/", views.work_list, name="work_list"),
    path("danh-sach/", views.lists_hub, name="lists"),
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
    # The leaders' dashboards (Giám sát) and the deadline lists behind them.
    path("giam-sat/", dashboard_views.unit_dashboard, name="unit_dashboard"),
    path(
        "giam-sat/thoi-han/",
        dashboard_views.dashboard_deadlines,
        name="dashboard_deadlines",
    ),
    path(
        "giam-sat/toan-tinh/",
        dashboard_views.province_dashboard,
        name="province_dashboard",
    ),
    # Sweeps, coming ends, reconciliation, notification settings (list_views).
    path("dot-xet/", list_views.sweep_list, name="sweeps"),
    path("dot-xet/<int:round_pk>/", list_views.sweep_detail, name="sweep"),
    path(
        "sap-het-han/hoan-tam-dinh-chi/",
        list_views.coming_ends,
        {"kind": "postponements"},
        name="coming_postponements",
    ),
    path(
        "sap-het-han/thu-thach-ctkgg/",
        list_views.coming_ends,
        {"kind": "terms"},
        name="coming_terms",
    ),
    path(
        "sap-het-han/ra-trai/",
        list_views.coming_ends,
        {"kind": "releases"},
        name="coming_releases",
    ),
    path("doi-chieu-toa-an/", list_views.reconciliation, name="reconciliation"),
    path(
        "tuy-chon-thong-bao/",
        list_views.notification_settings,
        name="notification_settings",
    ),
]
