from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.case_list, name="list"),
    path("thoi-han/", views.deadline_list, name="deadlines"),
    path("ho-so/moi/", views.case_create, name="create"),
    path("ho-so/<int:pk>/", views.case_detail, name="detail"),
    path("ho-so/<int:pk>/huy/", views.case_cancel, name="cancel"),
    path("ho-so/<int:pk>/phan-cong/", views.case_assign, name="assign"),
    path(
        "ho-so/<int:pk>/nghia-vu-tai-san/",
        views.case_obligations,
        name="obligations",
    ),
    path("phan-cong-lam-thay/", views.covers, name="covers"),
    path("phan-cong-lam-thay/<int:pk>/ket-thuc/", views.cover_end, name="cover_end"),
    path("ho-so/<int:pk>/su-kien/", views.event_add, name="event_add"),
    path("ho-so/<int:pk>/su-kien/<int:event_pk>/", views.event_edit, name="event_edit"),
    path(
        "ho-so/<int:pk>/su-kien/<int:event_pk>/xoa/",
        views.event_delete,
        name="event_delete",
    ),
]
