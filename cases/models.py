"""The register: units, agencies, judgments, convicts, sentences and events.

Every tenant-owned row carries ``unit`` (NOT NULL, indexed, leading its
composite indexes), so that a query can always be scoped to one procuracy
unit and the tables can later be distributed by it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases import vnsort


class Unit(models.Model):
    """A procuracy unit (VKSND tỉnh / khu vực); a tree through ``parent``."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Cấp tỉnh"
        REGIONAL = "regional", "Cấp khu vực"

    code = models.CharField("mã đơn vị", max_length=32, unique=True)
    name = models.CharField("tên đơn vị", max_length=200)
    header_name = models.CharField(
        "tên trên tiêu đề văn bản",
        max_length=200,
        blank=True,
        help_text="Ví dụ: VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1 - HẢI PHÒNG",
    )
    place_name = models.CharField("địa danh ghi ngày tháng", max_length=100, blank=True)
    level = models.CharField(
        "cấp", max_length=16, choices=Level.choices, default=Level.REGIONAL
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return self.name

    def descendant_ids(self) -> list[int]:
        """This unit and every unit below it (the tree is shallow)."""
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            frontier = list(
                Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class User(AbstractUser):
    """A person signing in: belongs to one unit and has one role."""

    class Role(models.TextChoices):
        PROSECUTOR = "prosecutor", "Kiểm sát viên"
        CLERK = "clerk", "Văn thư"
        LEADER = "leader", "Lãnh đạo đơn vị"
        ADMIN = "admin", "Quản trị hệ thống"

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(
        "vai trò", max_length=16, choices=Role.choices, default=Role.PROSECUTOR
    )
    receives_digest = models.BooleanField(
        "nhận thư tổng hợp cảnh báo hằng ngày",
        default=True,
        help_text="Mỗi ngày tối đa một thư liệt kê các cảnh báo mới của mình.",
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_administrator(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser


class Agency(models.Model):
    """A counterpart body: court, execution agency, prison, commune."""

    class Kind(models.TextChoices):
        COURT = "court", "Tòa án"
        EXECUTION_AGENCY = "execution_agency", "Cơ quan thi hành án hình sự"
        PRISON = "prison", "Trại giam"
        DETENTION_CENTRE = "detention_centre", "Trại tạm giam"
        COMMUNE = "commune", "UBND cấp xã"
        COMMUNE_POLICE = "commune_police", "Công an cấp xã"
        OTHER = "other", "Cơ quan khác"

    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    name = models.CharField("tên", max_length=255, unique=True)
    province = models.ForeignKey(
        Unit,
        verbose_name="thuộc địa bàn đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agencies",
        help_text="Đơn vị VKS có địa bàn tương ứng (để gợi ý khi nhập liệu).",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    # Reorganisations (legal-rules.md §0: district police abolished
    # 01/03/2025, district courts replaced by regional courts 01/07/2025)
    # hand a body's duties to another; a duty falling due after valid_to is
    # that body's.
    successor = models.ForeignKey(
        "self",
        verbose_name="cơ quan kế thừa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        help_text="Cơ quan tiếp nhận nhiệm vụ khi cơ quan này chấm dứt hoạt động "
        "(sau ngày hiệu lực đến). Thời hạn đến hạn sau ngày đó được tính cho cơ "
        "quan kế thừa.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def successor_on(self, day: dt.date) -> Agency:
        """This body, or the one that took over its duties by ``day``."""
        pk = bearer_on(self.pk, day, agency_endings())
        return self if pk == self.pk else Agency.objects.get(pk=pk)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": "Ngày hết hiệu lực không được trước ngày có hiệu lực."}
            )
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": "Cơ quan không thể kế thừa chính nó."})
        seen, agency = {self.pk}, self.successor
        while agency is not None:
            if agency.pk in seen:
                raise ValidationError(
                    {"successor": "Cơ quan kế thừa tạo thành vòng lặp."}
                )
            seen.add(agency.pk)
            agency = agency.successor


# Bodies that ended: id → (valid_to, successor id or None).
Endings = dict[int, tuple[dt.date, int | None]]


def agency_endings() -> Endings:
    """Every body with an end date, and its successor (one small query)."""
    return {
        pk: (valid_to, successor_id)
        for pk, valid_to, successor_id in Agency.objects.filter(
            valid_to__isnull=False
        ).values_list("pk", "valid_to", "successor_id")
    }


def bearer_on(agency_id: int | None, day: dt.date, endings: Endings) -> int | None:
    """The body that answers on ``day`` for the duties of ``agency_id``:
    itself while it exists, otherwise its successor on that day, following
    the chain (a district court of 2024 → the town court of 2025 → the
    regional court). A body that ended without a recorded successor keeps
    its duties: nothing better is known."""
    seen: set[int] = set()
    while agency_id in endings and agency_id not in seen:
        seen.add(agency_id)
        valid_to, successor_id = endings[agency_id]
        if day <= valid_to or successor_id is None:
            break
        agency_id = successor_id
    return agency_id


class Crime(models.Model):
    """A crime of the Penal Code (BLHS 2015), by article."""

    article = models.CharField("điều", max_length=8, unique=True)
    name = models.CharField("tội danh", max_length=255)

    class Meta:
        verbose_name = "tội danh"
        verbose_name_plural = "tội danh"
        ordering = ["article"]

    def __str__(self) -> str:
        return f"Điều {self.article} - {self.name}"

    @staticmethod
    def sort_key(article: str) -> tuple[int, str]:
        digits = "".join(ch for ch in article if ch.isdigit())
        return (int(digits or 0), article)


class Sex(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class Instance(models.TextChoices):
    FIRST = "first", "Sơ thẩm"
    APPEAL = "appeal", "Phúc thẩm"
    CASSATION = "cassation", "Giám đốc thẩm"
    REOPENING = "reopening", "Tái thẩm"


class Custody(models.TextChoices):
    AT_LIBERTY = "at_liberty", "Tại ngoại"
    DETAINED = "detained", "Đang bị tạm giam"


class SentenceKind(models.TextChoices):
    PRISON = "prison", "Tù có thời hạn"
    LIFE = "life", "Tù chung thân"
    DEATH = "death", "Tử hình"
    SUSPENDED = "suspended", "Tù cho hưởng án treo"
    NON_CUSTODIAL_REFORM = "non_custodial_reform", "Cải tạo không giam giữ"
    WARNING = "warning", "Cảnh cáo"
    FINE = "fine", "Phạt tiền"
    EXPULSION = "expulsion", "Trục xuất"

    @classmethod
    def with_term(cls) -> set[str]:
        return {cls.PRISON, cls.SUSPENDED, cls.NON_CUSTODIAL_REFORM}


class SupplementaryKind(models.TextChoices):
    RESIDENCE_BAN = "residence_ban", "Cấm cư trú"
    PROBATION_CONTROL = "probation_control", "Quản chế"
    RIGHTS_DEPRIVATION = "rights_deprivation", "Tước một số quyền công dân"
    JOB_BAN = "job_ban", "Cấm đảm nhiệm chức vụ, hành nghề"
    FINE = "fine", "Phạt tiền (bổ sung)"
    CONFISCATION = "confiscation", "Tịch thu tài sản"


class TenantModel(models.Model):
    """A row owned by one procuracy unit."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, db_index=True
    )

    class Meta:
        abstract = True


class Judgment(TenantModel):
    """A judgment or decision (bản án / quyết định) as entered by a unit."""

    number = models.CharField("số bản án", max_length=64)
    court = models.ForeignKey(
        Agency,
        verbose_name="Tòa án xét xử",
        on_delete=models.PROTECT,
        related_name="judgments",
    )
    # Not named "instance": django-simple-history's historical rows use
    # that attribute for the tracked object.
    trial_stage = models.CharField(
        "cấp xét xử", max_length=16, choices=Instance.choices, default=Instance.FIRST
    )
    pronounced_on = models.DateField("ngày tuyên án")
    effective_on = models.DateField(
        "ngày có hiệu lực pháp luật",
        null=True,
        blank=True,
        help_text="Theo giấy tờ của Tòa án. Để trống nếu chưa rõ: hệ thống đề xuất.",
    )
    first_instance_number = models.CharField(
        "số bản án sơ thẩm", max_length=64, blank=True
    )
    first_instance_court = models.ForeignKey(
        Agency,
        verbose_name="Tòa án xét xử sơ thẩm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_instance_judgments",
    )
    first_instance_pronounced_on = models.DateField(
        "ngày tuyên án sơ thẩm", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bản án"
        verbose_name_plural = "bản án"
        indexes = [models.Index(fields=["unit", "pronounced_on"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.court})"

    @property
    def executing_court(self) -> Agency:
        """The court that must issue the QĐTHA: the first-instance court."""
        return self.first_instance_court or self.court

    @property
    def executing_court_id(self) -> int:
        return self.first_instance_court_id or self.court_id


class Person(TenantModel):
    """A convict (người bị kết án) as known to one unit."""

    full_name = models.CharField("họ và tên", max_length=150)
    name_sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    search_name = models.CharField(max_length=150, editable=False, blank=True)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    sex = models.CharField("giới tính", max_length=8, choices=Sex.choices)
    id_number = models.CharField("số định danh cá nhân", max_length=20, blank=True)
    residence = models.CharField("nơi cư trú", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "người bị kết án"
        verbose_name_plural = "người bị kết án"
        indexes = [models.Index(fields=["unit", "name_sort_key"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        # Unikey's "tổ hợp" mode types decomposed letters; store one form.
        self.full_name = unicodedata.normalize("NFC", " ".join(self.full_name.split()))
        self.name_sort_key = vnsort.name_key(self.full_name)
        self.search_name = vnsort.search_key(self.full_name)
        if self.birth_date:
            self.birth_year = self.birth_date.year
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_sort_key", "search_name"}
        super().save(*args, **kwargs)

    @property
    def birth_display(self) -> str:
        if self.birth_date:
            return self.birth_date.strftime("%d/%m/%Y")
        return str(self.birth_year or "")


class CaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa chấp hành"
    SERVING = "serving", "Đang chấp hành"
    POSTPONED = "postponed", "Hoãn chấp hành"
    SUSPENDED = "suspended", "Tạm đình chỉ"
    ENTRUSTED = "entrusted", "Ủy thác"
    ABSCONDED = "absconded", "Bỏ trốn"
    TRANSFERRED = "transferred", "Chuyển đi nơi khác"
    COMPLETED = "completed", "Chấp hành xong"
    TERMINATED = "terminated", "Đình chỉ thi hành án"


class Obligations(models.TextChoices):
    """What the register knows of the convict's property obligations (fine,
    court fees, compensation): the civil-judgment execution agency's matter,
    which the procuracy records as reported to it. Blank: nothing recorded."""

    NONE = "none", "Không có nghĩa vụ tài sản"
    OUTSTANDING = "outstanding", "Chưa thi hành"
    PARTLY = "partly", "Đã thi hành một phần"
    SETTLED = "settled", "Đã thi hành xong"


class ExecutionCase(TenantModel):
    """The register entry (hồ sơ thụ lý): one convict on one judgment."""

    judgment = models.ForeignKey(
        Judgment, verbose_name="bản án", on_delete=models.PROTECT, related_name="cases"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="người bị kết án",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    register_number = models.CharField("số thụ lý", max_length=32)
    register_year = models.PositiveSmallIntegerField("năm thụ lý")
    register_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    register_date = models.DateField("ngày thụ lý")
    prosecutor = models.ForeignKey(
        User,
        verbose_name="kiểm sát viên được phân công",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    custody_at_judgment = models.CharField(
        "tình trạng khi xét xử",
        max_length=16,
        choices=Custody.choices,
        default=Custody.AT_LIBERTY,
    )
    status = models.CharField(
        "tình trạng thi hành",
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.NOT_STARTED,
    )
    problems = models.JSONField(
        "mâu thuẫn trong dữ liệu",
        default=list,
        blank=True,
        help_text="Khi có mâu thuẫn, hệ thống không tính ngày và nêu lý do.",
    )
    cancelled_on = models.DateField("ngày hủy số thụ lý", null=True, blank=True)
    cancel_reason = models.CharField("lý do hủy", max_length=300, blank=True)
    # A database default too: the benchmark generator writes cases by COPY.
    obligations = models.CharField(
        "nghĩa vụ tài sản (tiền phạt, án phí, bồi thường)",
        max_length=16,
        choices=Obligations.choices,
        blank=True,
        default="",
        db_default="",
    )
    obligations_on = models.DateField("theo thông tin ngày", null=True, blank=True)
    obligations_note = models.CharField(
        "ghi chú về nghĩa vụ tài sản",
        max_length=300,
        blank=True,
        default="",
        db_default="",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hồ sơ thụ lý"
        verbose_name_plural = "hồ sơ thụ lý"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "register_number"], name="uniq_register_number"
            ),
            models.UniqueConstraint(
                fields=["unit", "register_year", "register_seq"],
                condition=Q(register_seq__isnull=False),
                name="uniq_register_seq",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "register_year", "register_seq"]),
        ]

    def __str__(self) -> str:
        return f"{self.register_number} - {self.person.full_name}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_on is not None


class Sentence(TenantModel):
    """The main penalty of a case, with its crimes and supplementary ones."""

    case = models.OneToOneField(
        ExecutionCase, on_delete=models.CASCADE, related_name="sentence"
    )
    kind = models.CharField(
        "loại hình phạt", max_length=24, choices=SentenceKind.choices
    )
    term_years = models.PositiveSmallIntegerField("năm", default=0)
    term_months = models.PositiveSmallIntegerField("tháng", default=0)
    term_days = models.PositiveSmallIntegerField("ngày", default=0)
    probation_years = models.PositiveSmallIntegerField("thử thách (năm)", default=0)
    probation_months = models.PositiveSmallIntegerField("thử thách (tháng)", default=0)
    probation_days = models.PositiveSmallIntegerField("thử thách (ngày)", default=0)
    fine_amount = models.PositiveBigIntegerField(
        "số tiền phạt (đồng)", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hình phạt"
        verbose_name_plural = "hình phạt"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.term_display}".strip()

    @property
    def has_term(self) -> bool:
        return self.kind in SentenceKind.with_term()

    @property
    def term_display(self) -> str:
        return format_term(self.term_years, self.term_months, self.term_days)

    @property
    def probation_display(self) -> str:
        return format_term(
            self.probation_years, self.probation_months, self.probation_days
        )


def format_term(years: int, months: int, days: int) -> str:
    parts = []
    if years:
        parts.append(f"{years} năm")
    if months:
        parts.append(f"{months} tháng")
    if days:
        parts.append(f"{days} ngày")
    return " ".join(parts)


class SentenceCrime(TenantModel):
    sentence = models.ForeignKey(
        Sentence, on_delete=models.CASCADE, related_name="crimes"
    )
    crime = models.ForeignKey(Crime, verbose_name="tội danh", on_delete=models.PROTECT)
    clause = models.CharField("khoản", max_length=8, blank=True)

    class Meta:
        verbose_name = "tội danh của bản án"
        verbose_name_plural = "tội danh của bản án"

    def __str__(self) -> str:
        clause = f" khoản {self.clause}" if self.clause else ""
        return f"{self.crime.name} (Điều {self.crime.article}{clause} BLHS)"


class SupplementaryPenalty(TenantModel):
    sentence = models.ForeignKey(
        Sentence, on_delete=models.CASCADE, related_name="supplementary"
    )
    kind = models.CharField(
        "hình phạt bổ sung", max_length=24, choices=SupplementaryKind.choices
    )
    term_years = models.PositiveSmallIntegerField("năm", default=0)
    term_months = models.PositiveSmallIntegerField("tháng", default=0)
    term_days = models.PositiveSmallIntegerField("ngày", default=0)
    fine_amount = models.PositiveBigIntegerField(
        "số tiền (đồng)", null=True, blank=True
    )

    class Meta:
        verbose_name = "hình phạt bổ sung"
        verbose_name_plural = "hình phạt bổ sung"

    def __str__(self) -> str:
        term = format_term(self.term_years, self.term_months, self.term_days)
        return f"{self.get_kind_display()} {term}".strip()


class DetentionPeriod(TenantModel):
    """Pre-trial detention (tạm giữ, tạm giam); both end days count."""

    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="detention_periods"
    )
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "thời gian tạm giam"
        verbose_name_plural = "thời gian tạm giam"
        ordering = ["start"]

    def __str__(self) -> str:
        end = f"{self.end:%d/%m/%Y}" if self.end else "nay"
        return f"{self.start:%d/%m/%Y} – {end}"


class EventKind(models.TextChoices):
    """The event catalogue of the ``sothuly/1`` interchange format."""

    JUDGMENT_DELIVERED = "judgment_delivered", "Tòa án giao bản án cho VKS"
    APPEAL_RULING_RECEIVED_BY_COURT = (
        "appeal_ruling_received_by_court",
        "Tòa sơ thẩm nhận bản án/quyết định phúc thẩm, GĐT, TT",
    )
    ENTRUSTMENT_ISSUED = "entrustment_issued", "Quyết định ủy thác thi hành án"
    ENTRUSTMENT_RECEIVED = "entrustment_received", "Tòa án được ủy thác nhận ủy thác"
    EXECUTION_DECISION_ISSUED = "execution_decision_issued", "Tòa án ra QĐTHA"
    EXECUTION_DECISION_SENT = "execution_decision_sent", "Tòa án gửi QĐTHA"
    EXECUTION_DECISION_RECEIVED = (
        "execution_decision_received",
        "VKS nhận được QĐTHA",
    )
    EXECUTION_DECISION_SERVED = (
        "execution_decision_served",
        "Người bị kết án nhận QĐTHA",
    )
    AGENCY_RECEIVED_EXECUTION_DECISION = (
        "agency_received_execution_decision",
        "Cơ quan THAHS/trại tạm giam nhận QĐTHA",
    )
    CONVICT_REPORTED_TO_PROVINCE = (
        "convict_reported_to_province",
        "Trại tạm giam tống đạt và báo cáo cơ quan THAHS tỉnh",
    )
    PROVINCIAL_FILE_COMPLETED = (
        "provincial_file_completed",
        "Cơ quan THAHS tỉnh hoàn chỉnh hồ sơ",
    )
    PLACE_OF_SERVING_DECIDED = (
        "place_of_serving_decided",
        "Quyết định nơi chấp hành án",
    )
    REPORTED_TO_SERVE = "reported_to_serve", "Người chấp hành án có mặt chấp hành án"
    ESCORT_DECISION_ISSUED = "escort_decision_issued", "Quyết định áp giải thi hành án"
    ESCORTED = "escorted", "Đã áp giải thi hành án"
    ABSCONDED = "absconded", "Bỏ trốn"
    WANTED_NOTICE_ISSUED = "wanted_notice_issued", "Quyết định truy nã"
    RECAPTURED = "recaptured", "Bắt lại"
    ADMITTED_TO_PRISON = "admitted_to_prison", "Đến trại giam chấp hành án"
    SUMMONED_TO_COMMUNE = "summoned_to_commune", "Triệu tập đến UBND xã, cam kết"
    SUPERVISION_FILE_OPENED = "supervision_file_opened", "UBND xã lập hồ sơ giám sát"
    COMMUNE_POLICE_RECEIVED_DECISION = (
        "commune_police_received_decision",
        "Công an xã nhận quyết định",
    )
    INTAKE_REPORTED = "intake_reported", "Công an xã báo cáo tiếp nhận"
    SUPERVISION_PLAN_ISSUED = "supervision_plan_issued", "Công an xã ban hành kế hoạch"
    MONTHLY_REPORT_SIGNED = "monthly_report_signed", "Ký báo cáo nhận xét hằng tháng"
    REVIEW_MEETING_HELD = "review_meeting_held", "Tổ chức kiểm điểm"
    POSTPONEMENT_REQUESTED = "postponement_requested", "Tòa án nhận đơn đề nghị hoãn"
    POSTPONEMENT_GRANTED = "postponement_granted", "Quyết định hoãn chấp hành án"
    POSTPONEMENT_REFUSED = "postponement_refused", "Từ chối hoãn chấp hành án"
    POSTPONEMENT_DECISION_RECEIVED = (
        "postponement_decision_received",
        "VKS nhận quyết định hoãn",
    )
    AGENCY_RECEIVED_POSTPONEMENT_DECISION = (
        "agency_received_postponement_decision",
        "Cơ quan THAHS nhận quyết định hoãn",
    )
    POSTPONEMENT_EXPIRY_NOTIFIED = (
        "postponement_expiry_notified",
        "Tòa án thông báo hết thời hạn hoãn",
    )
    CANCELLATION_PROPOSED = (
        "cancellation_proposed",
        "Đề nghị hủy quyết định hoãn/tạm đình chỉ",
    )
    POSTPONEMENT_CANCELLED = "postponement_cancelled", "Hủy quyết định hoãn"
    SUSPENSION_CANCELLED = "suspension_cancelled", "Hủy quyết định tạm đình chỉ"
    CANCELLATION_SENT = "cancellation_sent", "Gửi quyết định hủy"
    SUSPENSION_FILE_RECEIVED_BY_COURT = (
        "suspension_file_received_by_court",
        "Tòa án nhận hồ sơ đề nghị tạm đình chỉ",
    )
    SUSPENSION_GRANTED = "suspension_granted", "Quyết định tạm đình chỉ"
    SUSPENSION_REFUSED = "suspension_refused", "Từ chối tạm đình chỉ"
    SUSPENSION_ENDED = "suspension_ended", "Hết thời hạn tạm đình chỉ"
    BREACH_RECORDED = "breach_recorded", "Lập biên bản vi phạm nghĩa vụ"
    REVOCATION_PROPOSED = "revocation_proposed", "Đề nghị hủy án treo"
    REVOCATION_DECIDED = "revocation_decided", "Quyết định hủy án treo"
    REVOCATION_SENT = "revocation_sent", "Gửi quyết định hủy án treo"
    NEW_CRIME = "new_crime", "Phạm tội mới"
    COMMUNE_REPORT_RECEIVED = (
        "commune_report_received",
        "Cơ quan THAHS nhận báo cáo đề nghị của UBND xã",
    )
    SHORTENING_PROPOSED = "shortening_proposed", "Đề nghị rút ngắn thời gian thử thách"
    REDUCTION_PROPOSED = "reduction_proposed", "Đề nghị giảm thời hạn chấp hành án"
    PROBATION_SHORTENED = (
        "probation_shortened",
        "Quyết định rút ngắn thời gian thử thách",
    )
    REDUCTION_GRANTED = "reduction_granted", "Quyết định giảm thời hạn chấp hành án"
    SHORTENING_SENT = "shortening_sent", "Gửi quyết định rút ngắn"
    REDUCTION_SENT = "reduction_sent", "Gửi quyết định giảm"
    RELEASE_FILE_RECEIVED = "release_file_received", "Nhận hồ sơ tha tù trước thời hạn"
    RELEASE_OPINION_GIVEN = (
        "release_opinion_given",
        "VKS có ý kiến về tha tù trước thời hạn",
    )
    CONDITIONAL_RELEASE_GRANTED = (
        "conditional_release_granted",
        "Quyết định tha tù trước thời hạn có điều kiện",
    )
    RELEASE_DECISION_SENT = (
        "release_decision_sent",
        "Gửi quyết định tha tù trước thời hạn",
    )
    EXEMPTION_FILE_PREPARED = "exemption_file_prepared", "Lập hồ sơ miễn chấp hành án"
    EXEMPTED = "exempted", "Quyết định miễn chấp hành án"
    DEATH = "death", "Người chấp hành án chết"
    TERMINATION_DECISION_ISSUED = (
        "termination_decision_issued",
        "Quyết định đình chỉ thi hành án",
    )
    AMNESTY = "amnesty", "Đặc xá"
    PRISON_RELEASE_NOTICE = (
        "prison_release_notice",
        "Trại giam thông báo sắp chấp hành xong",
    )
    SUPPLEMENTARY_FILE_RECEIVED = (
        "supplementary_file_received",
        "Nhận tài liệu thi hành hình phạt bổ sung",
    )
    SUPPLEMENTARY_FILE_OPENED = (
        "supplementary_file_opened",
        "Lập hồ sơ thi hành hình phạt bổ sung",
    )
    TRANSFERRED_OUT = "transferred_out", "Chuyển đi nơi khác"
    TRANSFERRED_IN = "transferred_in", "Nơi khác chuyển đến"
    COMPLETED = "completed", "Chấp hành xong"
    COMPLETION_CERTIFICATE_ISSUED = (
        "completion_certificate_issued",
        "Cấp giấy chứng nhận chấp hành xong",
    )
    COMPLETION_CERTIFICATE_RECEIVED = (
        "completion_certificate_received",
        "VKS nhận giấy chứng nhận chấp hành xong",
    )
    REQUEST_ISSUED = "request_issued", "VKS ban hành yêu cầu"
    SELF_INSPECTION_REPORTED = "self_inspection_reported", "Báo cáo kết quả tự kiểm tra"
    RECOMMENDATION_ISSUED = "recommendation_issued", "VKS ban hành kiến nghị"
    RECOMMENDATION_ANSWERED = "recommendation_answered", "Trả lời kiến nghị"
    PROTEST_ISSUED = "protest_issued", "VKS ban hành kháng nghị"
    PROTEST_ANSWERED = "protest_answered", "Trả lời kháng nghị"
    EXECUTION_STARTED = "execution_started", "Đã bắt đầu thi hành án (hồ sơ cũ)"


class LiveEventManager(models.Manager):
    """Events not deleted: what the register, the engine and every list
    read (``case.events`` and prefetches use it too)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Event(TenantModel):
    """A dated fact on a case, of a kind from the fixed catalogue.

    A user never erases an event: deleting one stamps ``deleted_at`` and
    ``deleted_by``, the default manager hides it, and an administrator can
    restore it in the admin (``all_objects`` sees every row).
    """

    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("loại sự kiện", max_length=48, choices=EventKind.choices)
    date = models.DateField("ngày")
    number = models.CharField("số văn bản", max_length=64, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="cơ quan ban hành / thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    details = models.JSONField("chi tiết", default=dict, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField("xóa lúc", null=True, blank=True)
    deleted_by = models.ForeignKey(
        User,
        verbose_name="người xóa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    all_objects = models.Manager()
    objects = LiveEventManager()

    class Meta:
        verbose_name = "sự kiện"
        # Related managers (``case.events``) and the admin start from it.
        default_manager_name = "objects"
        verbose_name_plural = "sự kiện"
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["unit", "case", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class RegisterSequence(TenantModel):
    """The last register number a unit issued in a procuracy year."""

    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="uniq_register_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_number}"


class AdminAccessLog(models.Model):
    """Every read of a unit's cases by an administrator outside their unit."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="người dùng"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Trống: đọc danh sách của mọi đơn vị.",
    )
    path = models.CharField("đường dẫn", max_length=500)
    case = models.ForeignKey(
        ExecutionCase,
        verbose_name="vụ việc",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "nhật ký truy cập của quản trị"
        verbose_name_plural = "nhật ký truy cập của quản trị"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.user} {self.path}"


class Cover(TenantModel):
    """A colleague covering an absent prosecutor's cases for a period: the
    absent prosecutor's cases appear on the covering one's work list."""

    absent = models.ForeignKey(
        User,
        verbose_name="kiểm sát viên vắng mặt",
        on_delete=models.CASCADE,
        related_name="covers_given",
    )
    cover = models.ForeignKey(
        User,
        verbose_name="người làm thay",
        on_delete=models.CASCADE,
        related_name="covers_taken",
    )
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    created_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "phân công làm thay"
        verbose_name_plural = "phân công làm thay"
        ordering = ["-start"]

    def __str__(self) -> str:
        period = f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
        return f"{self.cover} thay {self.absent} ({period})"
