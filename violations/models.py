"""Violations of the courts and execution agencies, and the procuracy's
formal actions (yêu cầu, kiến nghị, kháng nghị) that cite them."""

from __future__ import annotations

import datetime as dt

from django.db import models
from simple_history.models import HistoricalRecords

from cases.models import Agency, ExecutionCase, TenantModel, User
from cases.services import procuracy_year


class Violation(TenantModel):
    """One breach of a duty by a court, an execution agency, a prison or a
    commune, found automatically from a deadline or entered by a prosecutor."""

    class Source(models.TextChoices):
        AUTO = "auto", "Tự động (từ thời hạn)"
        MANUAL = "manual", "Kiểm sát viên phát hiện"

    class State(models.TextChoices):
        FOUND = "found", "Mới phát hiện"
        INCLUDED = "included", "Đã đưa vào văn bản"
        REMEDIED = "remedied", "Đã khắc phục"
        CLOSED = "closed", "Đã kết thúc"
        WITHDRAWN = "withdrawn", "Không còn vi phạm (dữ liệu đã sửa)"

    case = models.ForeignKey(
        ExecutionCase,
        verbose_name="hồ sơ",
        on_delete=models.PROTECT,
        related_name="violations",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan vi phạm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    responsible = models.CharField("chủ thể có trách nhiệm", max_length=200)
    responsible_kind = models.CharField(max_length=24, blank=True)
    source = models.CharField(
        "cách phát hiện", max_length=8, choices=Source.choices, default=Source.AUTO
    )
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.FOUND
    )
    rule = models.CharField("quy tắc", max_length=8, blank=True)
    rule_set = models.CharField("bộ quy tắc", max_length=16, blank=True)
    # Which occurrence of a repeating rule (1st B4, 2nd B4 …): a corrected
    # start date still maps to the violation it already produced.
    occurrence = models.PositiveSmallIntegerField(default=1)
    title = models.CharField("nội dung vi phạm", max_length=300)
    basis = models.CharField("điều luật bị vi phạm", max_length=300)
    description = models.TextField("mô tả", blank=True)
    due = models.DateField("hạn", null=True, blank=True)
    done = models.DateField("ngày thực hiện", null=True, blank=True)
    found_on = models.DateField("ngày phát hiện")
    action = models.ForeignKey(
        "violations.Action",
        verbose_name="văn bản đã nêu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violations",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_note = models.CharField("ghi chú khi kết thúc", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vi phạm"
        verbose_name_plural = "vi phạm"
        ordering = ["-found_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["unit", "agency", "rule"]),
            models.Index(fields=["unit", "case"]),
        ]

    def __str__(self) -> str:
        return f"{self.rule or 'Vi phạm'}: {self.title}"

    @property
    def open(self) -> bool:
        return self.state in {self.State.FOUND, self.State.INCLUDED}

    @property
    def is_agency_late(self) -> bool:
        return self.due is not None

    def late_days(self, as_of: dt.date) -> int:
        """Calendar days after the due date (Q15 default), until done."""
        if self.due is None:
            return 0
        end = self.done if self.done is not None and self.done <= as_of else as_of
        return max(0, (end - self.due).days)

    @property
    def year(self) -> int:
        """The procuracy year (1 December - 30 November) it counts in."""
        return procuracy_year(self.due or self.found_on)

    @property
    def agency_name(self) -> str:
        return self.agency.name if self.agency_id else self.responsible


class Action(TenantModel):
    """A request, recommendation or protest addressed to one agency."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Yêu cầu"
        RECOMMENDATION = "recommendation", "Kiến nghị"
        PROTEST = "protest", "Kháng nghị"

    class Target(models.TextChoices):
        AGENCY_ACT = "agency_act", "Hành vi, quyết định của cơ quan (Điều 167 khoản 5)"
        COURT_DECISION = (
            "court_decision",
            "Quyết định của Tòa án (theo thủ tục phúc thẩm)",
        )

    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"
        ANSWERED = "answered", "Đã có trả lời"
        CLOSED = "closed", "Đã kết thúc"

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Chấp nhận"
        PARTLY = "partly", "Chấp nhận một phần"
        REJECTED = "rejected", "Không chấp nhận"

    kind = models.CharField(
        "loại văn bản",
        max_length=16,
        choices=Kind.choices,
        default=Kind.RECOMMENDATION,
    )
    target = models.CharField(
        "đối tượng kháng nghị",
        max_length=16,
        choices=Target.choices,
        blank=True,
    )
    self_inspection = models.BooleanField(
        "yêu cầu tự kiểm tra và báo cáo (Điều 169 khoản 1)", default=False
    )
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.DRAFT
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan nhận",
        on_delete=models.PROTECT,
        related_name="actions",
    )
    addressee = models.CharField("kính gửi", max_length=300)
    period_from = models.DateField("vi phạm từ ngày", null=True, blank=True)
    period_to = models.DateField("đến ngày", null=True, blank=True)
    content = models.TextField(
        "nội dung yêu cầu, kiến nghị",
        blank=True,
        help_text="Các việc cơ quan phải làm; mỗi dòng một ý.",
    )
    number = models.CharField("số văn bản", max_length=64, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    received_on = models.DateField(
        "ngày cơ quan nhận",
        null=True,
        blank=True,
        help_text="Thời hạn trả lời tính từ ngày nhận; để trống thì tạm tính từ "
        "ngày ban hành.",
    )
    signer = models.CharField("người ký", max_length=200, blank=True)
    reply_due = models.DateField("hạn trả lời", null=True, blank=True)
    reply_rule = models.CharField("quy tắc hạn trả lời", max_length=8, blank=True)
    reply_explanation = models.JSONField("cách tính hạn trả lời", default=list)
    reply_on = models.DateField("ngày trả lời", null=True, blank=True)
    reply_outcome = models.CharField(
        "kết quả trả lời", max_length=10, choices=Outcome.choices, blank=True
    )
    reply_note = models.TextField("nội dung trả lời", blank=True)
    appeal_outcome = models.TextField(
        "kết quả xét kháng nghị (thủ tục phúc thẩm)", blank=True
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name="văn bản soạn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violation_action",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name="người lập",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "văn bản yêu cầu, kiến nghị, kháng nghị"
        verbose_name_plural = "văn bản yêu cầu, kiến nghị, kháng nghị"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return (
            f"{label} số {self.number}" if self.number else f"Dự thảo {label.lower()}"
        )

    @property
    def tracks_reply(self) -> bool:
        return self.reply_due is not None

    @property
    def reply_start(self) -> dt.date | None:
        return self.received_on or self.issued_on
