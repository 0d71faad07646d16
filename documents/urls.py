from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("ho-so/<int:pk>/van-ban/<str:code>/moi/", views.draft_new, name="new"),
    path(
        "ho-so/<int:pk>/van-ban/<str:code>/moi/su-kien/<int:event_pk>/",
        views.draft_new,
        name="new_for_event",
    ),
    path("van-ban/", views.document_list, name="index"),
    path("van-ban/<int:pk>/", views.document_detail, name="detail"),
    path("van-ban/<int:pk>/sua/", views.document_edit, name="edit"),
    path("van-ban/<int:pk>/tai-ve.docx", views.download_docx, name="docx"),
    path("van-ban/<int:pk>/tai-ve.pdf", views.download_pdf, name="pdf"),
    path("van-ban/<int:pk>/trinh-ky/", views.document_submit, name="submit"),
    path("van-ban/<int:pk>/duyet/", views.document_approve, name="approve"),
    path("van-ban/<int:pk>/tra-lai/", views.document_return, name="return"),
    path("van-ban/<int:pk>/phat-hanh/", views.document_issue, name="issue"),
    path("van-ban/mau/", views.template_list, name="templates"),
    path("van-ban/mau/<str:code>/", views.template_detail, name="template"),
    path(
        "van-ban/mau/<str:code>/v<int:version>.docx",
        views.template_download,
        name="template_download",
    ),
]
