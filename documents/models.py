"""Official documents drafted from the register, their templates and the
numbering of issued documents.

File contents live in the database (``BinaryField``): a template version
and an issued document are small, must never change after the fact, and
travel with a backup of the database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import ExecutionCase, TenantModel, User


class FormTemplate(models.Model):
    """One version of a form's .docx template; the newest active one is
    used for new drafts, older ones stay for the documents made with them."""

    code = models.CharField("mã mẫu", max_length=16, db_index=True)
    title = models.CharField("tên mẫu", max_length=200)
    instrument = models.CharField("văn bản ban hành mẫu", max_length=200, blank=True)
    version = models.PositiveIntegerField("phiên bản")
    content = models.BinaryField("tệp .docx")
    filename = models.CharField("tên tệp", max_length=200)
    uploaded_by = models.ForeignKey(
        User,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)
    active = models.BooleanField("đang dùng", default=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "mẫu văn bản"
        verbose_name_plural = "mẫu văn bản"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="uniq_form_template_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class NumberingScheme(models.Model):
    """Which year a document type's numbers run in (QĐ 393/QĐ-VKSTC Điều 9:
    procedural documents from 1 December, administrative ones from 1
    January); a type without a row uses the procuracy year."""

    class Year(models.TextChoices):
        PROCURACY = "procuracy", "Năm công tác (01/12 - 30/11)"
        CALENDAR = "calendar", "Năm dương lịch (01/01 - 31/12)"

    doc_type = models.CharField("loại văn bản", max_length=8, unique=True)
    year = models.CharField(
        "năm đánh số", max_length=16, choices=Year.choices, default=Year.PROCURACY
    )

    class Meta:
        verbose_name = "cách đánh số văn bản"
        verbose_name_plural = "cách đánh số văn bản"

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.get_year_display()}"


class Document(TenantModel):
    """A document drafted from a case, through review to issue."""

    class State(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SUBMITTED = "submitted", "Đã trình ký"
        RETURNED = "returned", "Trả lại để sửa"
        APPROVED = "approved", "Đã duyệt ký"
        ISSUED = "issued", "Đã phát hành"

    case = models.ForeignKey(
        ExecutionCase,
        verbose_name="hồ sơ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    form_code = models.CharField("mẫu", max_length=16)
    template = models.ForeignKey(
        FormTemplate,
        verbose_name="phiên bản mẫu",
        on_delete=models.PROTECT,
        related_name="documents",
    )
    state = models.CharField(
        "trạng thái", max_length=16, choices=State.choices, default=State.DRAFT
    )
    fields = models.JSONField("nội dung đã rà soát", default=dict)
    doc_type = models.CharField("loại văn bản", max_length=8)
    number = models.PositiveIntegerField("số", null=True, blank=True)
    number_year = models.PositiveSmallIntegerField("năm đánh số", null=True, blank=True)
    symbol = models.CharField("ký hiệu", max_length=64, blank=True)
    issued_on = models.DateField("ngày phát hành", null=True, blank=True)
    content = models.BinaryField("tệp đã phát hành", null=True, blank=True)
    filename = models.CharField("tên tệp", max_length=200, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name="người soạn",
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    signer = models.ForeignKey(
        User,
        verbose_name="người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_documents",
    )
    issued_by = models.ForeignKey(
        User,
        verbose_name="văn thư phát hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    comments = models.TextField("ý kiến gần nhất", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "doc_type", "number_year", "number"],
                condition=Q(number__isnull=False),
                name="uniq_document_number",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["unit", "case"]),
            models.Index(fields=["unit", "issued_on"]),
        ]

    def __str__(self) -> str:
        return self.number_text or f"Dự thảo {self.form_code} #{self.pk}"

    @property
    def number_text(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def form_name(self) -> str:
        from documents.catalogue import FORMS

        spec = FORMS.get(self.form_code)
        return f"{spec.label}: {spec.name}" if spec else self.form_code

    @property
    def summary(self) -> str:
        """Trích yếu of the outgoing register: what the document is about.

        'V/v yêu cầu ra quyết định thi hành án hình sự đối với Nguyễn Văn
        An'; a worksheet names the decision it checks, a document drafted
        from several cases the period of their violations. The forms have no
        "V/v" line of their own: their subject line under the title stands
        for it.
        """
        from documents.catalogue import FORMS

        spec = FORMS.get(self.form_code)
        if spec is None:
            return self.form_code
        fields = self.fields or {}
        decision = " ".join(str(fields.get("decision_ref") or "").split())
        if not spec.subject.strip():
            return spec.name
        if self.form_code == "71TH" and decision:
            about = f"kiểm sát {decision[:1].lower()}{decision[1:]}"
        else:
            about = spec.about
        person = " ".join(str(fields.get("person_name") or "").split())
        if person:
            about += f" đối với {person}"
        else:
            about += str(fields.get("period_text") or "").rstrip()
        return f"V/v {about}"

    @property
    def editable(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.RETURNED}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:detail", args=[self.pk])


class DocumentStep(TenantModel):
    """One step of a document's life: drafted, submitted, returned, …"""

    class Action(models.TextChoices):
        CREATED = "created", "Soạn dự thảo"
        EDITED = "edited", "Sửa dự thảo"
        SUBMITTED = "submitted", "Trình ký"
        RETURNED = "returned", "Trả lại"
        APPROVED = "approved", "Duyệt ký"
        ISSUED = "issued", "Vào sổ, phát hành"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="steps"
    )
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("bước", max_length=16, choices=Action.choices)
    comment = models.TextField("ý kiến", blank=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "bước xử lý văn bản"
        verbose_name_plural = "bước xử lý văn bản"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["unit", "document"])]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"{self.get_action_display()} {at:%d/%m/%Y %H:%M}"


class DocumentSequence(TenantModel):
    """The last number a unit gave a document type in a numbering year."""

    doc_type = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "doc_type", "year"], name="uniq_document_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.doc_type}/{self.year}: {self.last_number}"
