from django.urls import path

from violations import views

app_name = "violations"
urlpatterns = [
    path("vi-pham/", views.violation_list, name="list"),
    path(
        "vi-pham/nguoi-chap-hanh-an/",
        views.noncompliance,
        name="noncompliance",
    ),
    path("vi-pham/<int:violation_pk>/", views.violation_detail, name="detail"),
    path("vi-pham/<int:violation_pk>/ket-thuc/", views.violation_close, name="close"),
    path("ho-so/<int:pk>/vi-pham/them/", views.violation_add, name="add"),
    path("van-ban-kien-nghi/", views.action_list, name="actions"),
    path("van-ban-kien-nghi/lap/", views.action_new, name="action_new"),
    path("van-ban-kien-nghi/<int:action_pk>/", views.action_detail, name="action"),
    path(
        "van-ban-kien-nghi/<int:action_pk>/in/", views.action_print, name="action_print"
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/sua/", views.action_edit, name="action_edit"
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/ban-hanh/",
        views.action_issue,
        name="action_issue",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/ngay-nhan/",
        views.action_received,
        name="action_received",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/tra-loi/",
        views.action_reply,
        name="action_reply",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/ket-thuc/",
        views.action_close,
        name="action_close",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/soan/",
        views.action_document,
        name="action_document",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/huy/",
        views.action_discard,
        name="action_discard",
    ),
    path(
        "van-ban-kien-nghi/<int:action_pk>/bo/<int:violation_pk>/",
        views.action_remove,
        name="action_remove",
    ),
]
