"""The audit log: sign-ins, failed sign-ins, exports, issued documents.

Changes to register data are kept separately, row by row, by
django-simple-history; this log holds the actions that change no row of the
register but must be answerable for. It names accounts, units and object
ids, never a convict's name or identity number, and never a password.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Đăng nhập"
        SIGN_IN_FAILED = "sign_in_failed", "Đăng nhập không thành công"
        SIGN_OUT = "sign_out", "Đăng xuất"
        EXPORT = "export", "Xuất dữ liệu"
        DOCUMENT_ISSUED = "document_issued", "Phát hành văn bản"
        EVENT_DELETED = "event_deleted", "Xóa sự kiện"
        EVENT_RESTORED = "event_restored", "Khôi phục sự kiện"
        ADMIN_CHANGE = "admin_change", "Quản trị thay đổi dữ liệu"
        TEMPLATE_UPLOADED = "template_uploaded", "Thay mẫu văn bản"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("hành động", max_length=24, choices=Action.choices)
    user = models.ForeignKey(
        "cases.User",
        verbose_name="tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # As typed at a failed sign-in, or the account's name when it is later
    # renamed or removed.
    username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    unit = models.ForeignKey(
        "cases.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    target = models.CharField(
        "đối tượng", max_length=100, blank=True, help_text="Ví dụ: hồ sơ #12."
    )
    detail = models.CharField("chi tiết", max_length=300, blank=True)

    class Meta:
        verbose_name = "nhật ký hệ thống"
        verbose_name_plural = "nhật ký hệ thống"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.username}"
