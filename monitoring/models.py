"""Computed deadlines and the working-day calendar's local corrections."""

from __future__ import annotations

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Agency, ExecutionCase, TenantModel
from monitoring import engine


class CalendarOverride(models.Model):
    """A correction to the ``holidays`` package's Vietnamese calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Thêm ngày nghỉ"
        WORKING_DAY = "working_day", "Thêm ngày làm việc (làm bù)"
        CANCEL_HOLIDAY = "cancel_holiday", "Bỏ ngày nghỉ của gói holidays"

    date = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    name = models.CharField("tên / lý do", max_length=200)
    source = models.CharField("căn cứ", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done__isnull=True, lapsed_on__isnull=True)

    def overdue(self, as_of: dt.date):
        return self.open().filter(due__lt=as_of)

    def due_soon(self, as_of: dt.date):
        return self.open().filter(due__gte=as_of, warn_from__lte=as_of)


class Deadline(TenantModel):
    """A deadline of one case, as computed by the engine.

    Statuses are not stored: they are judged against the day of reading, so
    a missed nightly run never shows a wrong one.
    """

    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="deadlines"
    )
    rule = models.CharField("quy tắc", max_length=8)
    rule_set = models.CharField("bộ quy tắc", max_length=16)
    title = models.CharField("nội dung", max_length=200)
    start = models.DateField("bắt đầu tính")
    due = models.DateField("hạn")
    warn_from = models.DateField("cảnh báo từ")
    done = models.DateField("ngày thực hiện", null=True, blank=True)
    lapsed_on = models.DateField("không còn phải thực hiện từ", null=True, blank=True)
    shifted = models.BooleanField("lùi do ngày nghỉ", default=False)
    verified = models.BooleanField("căn cứ đã đối chiếu", default=True)
    responsible = models.CharField("trách nhiệm", max_length=200)
    responsible_kind = models.CharField(max_length=24)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    basis = models.CharField("căn cứ pháp lý", max_length=300)
    warn_days = models.PositiveSmallIntegerField(default=2)
    explanation = models.JSONField(default=list)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "thời hạn"
        verbose_name_plural = "thời hạn"
        ordering = ["due"]
        indexes = [
            models.Index(fields=["unit", "due"]),
            models.Index(fields=["unit", "case"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.due:%d/%m/%Y}"

    def status(self, as_of: dt.date) -> engine.Status:
        return engine.status_of(
            self.due, self.done, as_of, self.warn_days, self.lapsed_on
        )
