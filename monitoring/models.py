"""Computed deadlines and the working-day calendar's local corrections."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import (
    Agency,
    Custody,
    EventKind,
    ExecutionCase,
    Instance,
    SentenceKind,
    TenantModel,
    Unit,
)
from monitoring import engine


class CalendarOverride(models.Model):
    """A correction to the ``holidays`` package's Vietnamese calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Thêm ngày nghỉ"
        WORKING_DAY = "working_day", "Thêm ngày làm việc (làm bù)"
        CANCEL_HOLIDAY = "cancel_holiday", "Bỏ một ngày nghỉ lễ có sẵn trong lịch"

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

    def clean(self):
        # Each kind changes the package's calendar; one that would change
        # nothing is a mistaken date, and would sit unnoticed in the list.
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        day = f"{self.date:%d/%m/%Y}"
        other = (
            CalendarOverride.objects.filter(date=self.date).exclude(pk=self.pk).first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "date": f"Ngày {day} đã có điều chỉnh ({other.get_kind_display()}"
                    f"{': ' + other.name if other.name else ''}): sửa hoặc xóa điều "
                    "chỉnh đó thay vì thêm điều chỉnh mới."
                }
            )
        if self.kind == self.Kind.WORKING_DAY and not weekend:
            raise ValidationError(
                {
                    "date": f"Ngày {day} đã là ngày làm việc: ngày làm bù là một "
                    "ngày thứ Bảy hoặc Chủ nhật được chuyển thành ngày làm việc."
                }
            )
        if self.kind == self.Kind.DAY_OFF and weekend:
            raise ValidationError(
                {"date": f"Ngày {day} là ngày nghỉ cuối tuần sẵn có."}
            )
        if self.kind == self.Kind.CANCEL_HOLIDAY:
            from monitoring.calendar import package_days_off

            if self.date not in package_days_off():
                raise ValidationError(
                    {
                        "date": f"Lịch của gói holidays không có ngày nghỉ {day}: "
                        "không có gì để bỏ."
                    }
                )


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
    a missed nightly run never shows a wrong one. Nor are explanations: the
    case page computes the case again to explain its dates
    (``services.explain``), which keeps the rows narrow for the nightly run.
    """

    # The nightly run pays for every index and every foreign-key check on
    # each row it writes (docs/performance.md). The unit needs no index of
    # its own (every index below starts with it) and no constraint in the
    # database: it is the case's unit, copied, and units are never deleted
    # (PROTECT, which Django enforces). The same holds for the agency
    # (SET_NULL is Django's too). The case keeps its constraint.
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
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
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    basis = models.CharField("căn cứ pháp lý", max_length=300)
    warn_days = models.PositiveSmallIntegerField(default=2)
    computed_due = models.DateField(
        "hạn tính theo quy tắc",
        null=True,
        blank=True,
        help_text="Chỉ có khi hạn được ấn định thủ công.",
    )
    override_reason = models.CharField("lý do ấn định", max_length=600, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = "thời hạn"
        verbose_name_plural = "thời hạn"
        ordering = ["due"]
        # (unit, due) is on PostgreSQL the covering index
        # monitoring_deadline_due_cover (migration 0007).
        indexes = [models.Index(fields=["unit", "case"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.due:%d/%m/%Y}"

    def status(self, as_of: dt.date) -> engine.Status:
        return engine.status_of(
            self.due, self.done, as_of, self.warn_days, self.lapsed_on
        )

    # The recomputations write in bulk and keep the tally themselves; a
    # single row saved or deleted (by hand, in the admin, in a test) keeps
    # it here.
    def save(self, *args, **kwargs):
        from monitoring import tally

        with tally.tracking([self.case_id]):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from monitoring import tally

        with tally.tracking([self.case_id]):
            return super().delete(*args, **kwargs)


class DeadlineTally(TenantModel):
    """What became of the closed deadlines due in one month, per unit, the
    case's prosecutor, the answering agency and its kind: the dashboards'
    period figures (``monitoring.tally``).

    Only deadlines whose fate no longer depends on the day of reading are
    counted here (met, met late, no longer owed): a deadline still open is
    read live and judged against the day the page is opened, so no figure
    waits for a nightly job. Every write of a case's deadlines, and every
    change of its prosecutor or cancellation, adds the difference it makes
    in the same transaction.
    """

    # The unique constraint starts with the unit: no index of its own.
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, db_index=False
    )
    month = models.DateField("tháng đến hạn")
    # Ids, 0 for none: a NULL would make every "no prosecutor" row distinct
    # to the unique constraint that the increments (ON CONFLICT) rely on.
    prosecutor_key = models.IntegerField("kiểm sát viên", default=0)
    agency_key = models.IntegerField("cơ quan", default=0)
    responsible_kind = models.CharField(max_length=24)
    met = models.IntegerField("đúng hạn", default=0)
    met_late = models.IntegerField("trễ hạn", default=0)
    lapsed = models.IntegerField("không còn phải thực hiện", default=0)
    late_days = models.BigIntegerField("tổng số ngày trễ", default=0)

    class Meta:
        verbose_name = "tổng hợp thời hạn"
        verbose_name_plural = "tổng hợp thời hạn"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "unit",
                    "month",
                    "prosecutor_key",
                    "agency_key",
                    "responsible_kind",
                ],
                name="uniq_deadline_tally",
            )
        ]


class CaseTally(TenantModel):
    """Per unit and prosecutor of the case, the cases still open and the
    cases whose dates could not be computed: the dashboards' "open cases"
    and "problems" figures (``monitoring.tally``), which would otherwise
    count the unit's every case on each request.

    Cancelled cases count in neither figure; problems count whatever the
    case's status (the case list's "problems" filter, which the figure
    links to, lists closed cases too). Every write of a case's status,
    problems, prosecutor, unit or cancellation, and its creation and
    deletion, adds the difference it makes in the same transaction.
    """

    # The unique constraint starts with the unit: no index of its own.
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, db_index=False
    )
    # An id, 0 for none (as DeadlineTally.prosecutor_key).
    prosecutor_key = models.IntegerField("kiểm sát viên", default=0)
    open_cases = models.IntegerField("hồ sơ đang thụ lý", default=0)
    problems = models.IntegerField("hồ sơ có mâu thuẫn dữ liệu", default=0)

    class Meta:
        verbose_name = "tổng hợp hồ sơ"
        verbose_name_plural = "tổng hợp hồ sơ"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "prosecutor_key"], name="uniq_case_tally"
            )
        ]


class RuleSet(models.Model):
    """A set of rules in force for a period, with the settings that answer
    legal-rules.md's open questions (Q1, Q2, Q3, Q15)."""

    code = models.CharField("mã", max_length=16, unique=True)
    name = models.CharField("tên", max_length=200)
    valid_from = models.DateField("áp dụng từ")
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)
    basis_checked = models.BooleanField(
        "căn cứ đã đối chiếu",
        default=False,
        help_text="Bỏ chọn khi thời hạn chưa đối chiếu với văn bản luật tương ứng.",
    )
    exclude_start_day = models.BooleanField(
        "không tính ngày bắt đầu (Q1)", default=True, help_text="BLDS Điều 147."
    )
    roll_forward = models.BooleanField(
        "hạn rơi vào ngày nghỉ chuyển sang ngày làm việc tiếp theo (Q2)",
        default=True,
        help_text="BLDS Điều 148 khoản 5.",
    )
    lateness_in_working_days = models.BooleanField(
        "đếm số ngày chậm theo ngày làm việc (Q15)",
        default=False,
        help_text="Mặc định: ngày lịch sau ngày hạn.",
    )
    legal_effect_window_days = models.PositiveSmallIntegerField(
        "thời hạn kháng nghị quyết định ngày có hiệu lực đề xuất (Q3)", default=30
    )
    note = models.TextField("ghi chú", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bộ quy tắc"
        verbose_name_plural = "bộ quy tắc"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.code


class Rule(models.Model):
    """One deadline rule of a rule set; the engine evaluates these rows."""

    class Trigger(models.TextChoices):
        EVENT = "event", "Sự kiện"
        LEGAL_EFFECT = "legal_effect", "Bản án có hiệu lực / Tòa sơ thẩm nhận bản án"
        PRONOUNCED = "pronounced", "Ngày tuyên án"
        UNTIL = "until", "Ngày hết thời hạn hoãn"
        TERM_END = "term_end", "Ngày cuối thời hạn thử thách / CTKGG"
        PRISON_END = "prison_end", "Ngày hết hạn tù"
        LIMITATION = "limitation", "Thời hiệu thi hành bản án"

    class Unit(models.TextChoices):
        CALENDAR = "cal", "ngày"
        WORKING = "wd", "ngày làm việc"
        MONTHS = "mo", "tháng"
        YEARS = "yr", "năm"

    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name="bộ quy tắc",
        on_delete=models.CASCADE,
        related_name="rules",
    )
    code = models.CharField("mã", max_length=8)
    title = models.CharField("nội dung", max_length=200)
    enabled = models.BooleanField("đang áp dụng", default=True)
    trigger = models.CharField(
        "bắt đầu tính từ", max_length=16, choices=Trigger.choices
    )
    start_events = models.JSONField("sự kiện bắt đầu", default=list, blank=True)
    start_details = models.JSONField(
        "điều kiện của sự kiện bắt đầu", default=dict, blank=True
    )
    start_offset_days = models.SmallIntegerField("cộng thêm (ngày)", default=0)
    stop_events = models.JSONField("sự kiện hoàn thành", default=list, blank=True)
    stop_details = models.JSONField(
        "điều kiện của sự kiện hoàn thành", default=dict, blank=True
    )
    fallback_stop_events = models.JSONField(
        "sự kiện thay thế khi không rõ ngày gửi", default=list, blank=True
    )
    lapse_events = models.JSONField(
        "sự kiện làm chấm dứt nghĩa vụ", default=list, blank=True
    )
    duration = models.PositiveSmallIntegerField("thời hạn")
    unit = models.CharField("đơn vị", max_length=4, choices=Unit.choices)
    before = models.BooleanField("tính lùi (trước ngày mốc)", default=False)
    kinds = models.JSONField("áp dụng cho loại hình phạt", default=list, blank=True)
    custody = models.CharField("áp dụng khi", max_length=16, blank=True)
    instances = models.JSONField("áp dụng cho cấp xét xử", default=list, blank=True)
    needs_supplementary = models.BooleanField(
        "chỉ khi có hình phạt bổ sung", default=False
    )
    repeat = models.BooleanField("mỗi lần sự kiện là một thời hạn", default=False)
    responsible = models.CharField("trách nhiệm", max_length=200)
    responsible_kind = models.CharField(
        "loại chủ thể",
        max_length=24,
        help_text="Mã loại chủ thể chịu trách nhiệm: court (Tòa án), "
        "execution_agency (Cơ quan thi hành án hình sự), prison (Trại giam), "
        "detention_centre (Trại tạm giam), commune (UBND cấp xã), "
        "commune_police (Công an cấp xã), convict (Người bị kết án).",
    )
    basis = models.CharField("căn cứ pháp lý", max_length=300)
    action = models.CharField(
        "biện pháp của VKS khi vi phạm", max_length=200, blank=True
    )
    warn_days = models.PositiveSmallIntegerField(
        "cảnh báo trước (ngày)",
        null=True,
        blank=True,
        help_text="Để trống: theo mặc định — thời hạn tính bằng tháng, năm hoặc "
        "trên 30 ngày: 30 ngày; đến 3 ngày: 1 ngày; đến 7 ngày: 2 ngày; "
        "đến 30 ngày: 5 ngày.",
    )
    verified = models.BooleanField("căn cứ đã đối chiếu", default=True)
    note = models.TextField("ghi chú", blank=True)
    order = models.PositiveSmallIntegerField(
        "thứ tự", default=0, help_text="Thứ tự hiển thị trong bộ quy tắc."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "quy tắc thời hạn"
        verbose_name_plural = "quy tắc thời hạn"
        ordering = ["rule_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "code"], name="uniq_rule_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title} ({self.rule_set.code})"

    # The longest period any rule of legal-rules.md counts, with room to
    # spare: a typo of a few more digits is caught, a real edit is not.
    LONGEST = {"cal": 3650, "wd": 1000, "mo": 600, "yr": 50}

    def clean(self):
        """Refuse what the engine could not count or would silently ignore:
        an edit saved here recomputes every case of every unit."""
        errors = {}
        longest = self.LONGEST.get(self.unit)
        if longest is not None and (self.duration or 0) > longest:
            label = dict(self.Unit.choices)[self.unit]
            errors["duration"] = (
                f"Thời hạn tối đa {longest} {label}: kiểm tra lại số đã nhập."
            )
        if self.start_offset_days is not None and abs(self.start_offset_days) > 3650:
            errors["start_offset_days"] = "Số ngày cộng thêm từ -3650 đến 3650."
        if self.warn_days is not None and self.warn_days > 3650:
            errors["warn_days"] = "Số ngày báo trước tối đa 3650."
        known = {
            "start_events": set(EventKind.values),
            "stop_events": set(EventKind.values),
            "fallback_stop_events": set(EventKind.values),
            "lapse_events": set(EventKind.values),
            "kinds": set(SentenceKind.values),
            "instances": set(Instance.values),
        }
        for name, codes in known.items():
            value = getattr(self, name)
            if not isinstance(value, list) or not all(
                isinstance(code, str) for code in value
            ):
                errors[name] = 'Ghi danh sách mã, ví dụ ["execution_decision_issued"].'
                continue
            unknown = [code for code in value if code not in codes]
            if unknown:
                errors[name] = (
                    f"Mã không có trong danh mục: {', '.join(unknown)} (xem danh "
                    "mục mã cuối trang)."
                )
        for name in ("start_details", "stop_details"):
            if not isinstance(getattr(self, name), dict):
                errors[name] = 'Ghi điều kiện dạng {"mã": "giá trị"}, hoặc {}.'
        if self.custody and self.custody not in Custody.values:
            errors["custody"] = (
                "Mã không có trong danh mục (xem danh mục mã cuối trang)."
            )
        if errors:
            raise ValidationError(errors)


class EligibilityDate(TenantModel):
    """A date from which a person may be considered for a reduction,
    shortening or conditional release (D10, E7, C7, G2); explained, as a
    deadline, when read (``services.explain``)."""

    # As for Deadline.unit.
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="eligibility_dates"
    )
    rule = models.CharField("quy tắc", max_length=8)
    title = models.CharField("nội dung", max_length=200)
    date = models.DateField("ngày đủ điều kiện về thời gian")
    basis = models.CharField("căn cứ", max_length=300)

    class Meta:
        verbose_name = "ngày đủ điều kiện"
        verbose_name_plural = "ngày đủ điều kiện"
        ordering = ["date"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.date:%d/%m/%Y}"


class DateChange(TenantModel):
    """A due or eligibility date moved by a recomputation."""

    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="date_changes"
    )
    rule = models.CharField("quy tắc", max_length=8)
    old_date = models.DateField("ngày cũ")
    new_date = models.DateField("ngày mới")
    reason = models.CharField("lý do", max_length=300)
    changed_at = models.DateTimeField(auto_now_add=True)
    seen = models.BooleanField("kiểm sát viên đã xem", default=False)

    class Meta:
        verbose_name = "thay đổi ngày"
        verbose_name_plural = "thay đổi ngày"
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["unit", "seen"])]

    def __str__(self) -> str:
        return f"{self.rule}: {self.old_date:%d/%m/%Y} → {self.new_date:%d/%m/%Y}"


class DeadlineOverride(TenantModel):
    """A due date set by hand, kept beside the computed one."""

    class Reason(models.TextChoices):
        COURT_PAPERS = "court_papers", "Theo giấy tờ của Tòa án / cơ quan"
        FORCE_MAJEURE = "force_majeure", "Trở ngại khách quan, bất khả kháng"
        CALENDAR = "calendar", "Lịch nghỉ của địa phương khác lịch chung"
        LEGAL_OPINION = "legal_opinion", "Theo ý kiến của lãnh đạo / cấp trên"
        OTHER = "other", "Lý do khác"

    case = models.ForeignKey(
        ExecutionCase, on_delete=models.CASCADE, related_name="deadline_overrides"
    )
    rule = models.CharField("quy tắc", max_length=8)
    start = models.DateField("bắt đầu tính của thời hạn")
    due = models.DateField("hạn ấn định")
    reason = models.CharField("lý do", max_length=24, choices=Reason.choices)
    note = models.CharField("giải thích", max_length=500)
    created_by = models.ForeignKey(
        "cases.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hạn ấn định thủ công"
        verbose_name_plural = "hạn ấn định thủ công"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule", "start"], name="uniq_deadline_override"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.due:%d/%m/%Y}"


class MonitoringRun(models.Model):
    """One run of the nightly monitoring job."""

    as_of = models.DateField("ngày theo dõi")
    started_at = models.DateTimeField("bắt đầu", auto_now_add=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    # The open cases that had something to alert about on ``as_of`` (a
    # deadline overdue or due soon, an eligibility date that day): the
    # cases the job examined, not every open case (``jobs.run_monitoring``).
    cases = models.PositiveIntegerField("số hồ sơ cần cảnh báo", default=0)
    alerts_created = models.PositiveIntegerField("cảnh báo mới", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)

    class Meta:
        verbose_name = "lần chạy giám sát"
        verbose_name_plural = "lần chạy giám sát"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        started = timezone.localtime(self.started_at)
        return f"{self.as_of:%d/%m/%Y} ({started:%d/%m/%Y %H:%M})"


class JobLock(models.Model):
    """A named lock held by a running job (guards against two at once)."""

    name = models.CharField(max_length=64, unique=True)
    acquired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Alert(TenantModel):
    """What a prosecutor is told about on a day: a deadline due or overdue,
    an eligibility date reached."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", "Quá hạn"
        DUE_TODAY = "due_today", "Đến hạn hôm nay"
        DUE_SOON = "due_soon", "Sắp đến hạn"
        ELIGIBLE = "eligible", "Đủ điều kiện xét"

    # A case's deadline, or an action's reply (which covers many cases).
    case = models.ForeignKey(
        ExecutionCase,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    action = models.ForeignKey(
        "violations.Action",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    user = models.ForeignKey(
        "cases.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    rule = models.CharField("quy tắc", max_length=8)
    title = models.CharField("nội dung", max_length=200)
    due = models.DateField("hạn / ngày đủ điều kiện")
    day = models.DateField("ngày cảnh báo")
    read_at = models.DateTimeField("đã xem lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    class Meta:
        verbose_name = "cảnh báo"
        verbose_name_plural = "cảnh báo"
        ordering = ["-day", "due"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "rule", "due", "day"], name="uniq_alert_per_day"
            ),
            models.UniqueConstraint(
                fields=["action", "kind", "rule", "due", "day"],
                condition=models.Q(action__isnull=False),
                name="uniq_action_alert_per_day",
            ),
        ]
        indexes = [models.Index(fields=["unit", "user", "day"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rule} {self.due:%d/%m/%Y}"


class SweepRound(models.Model):
    """A review round (đợt xét): everyone who will have served the required
    part of a term by the cut-off, for one unit or, when ``scope`` is the
    provincial procuracy, for every unit below it.

    Defined by an administrator; read by the leaders and prosecutors of the
    units it covers, each seeing only their own scope. Not tenant data (its
    key is ``scope``, not ``unit``, so row-level security leaves it alone): a
    province-wide round must be readable from the regional units, and the
    people it lists are read under each reader's own scope.
    """

    class Kind(models.TextChoices):
        PROBATION_SHORTENING = "probation_shortening", "Rút ngắn thời gian thử thách"
        CTKGG_REDUCTION = "ctkgg_reduction", "Giảm thời hạn chấp hành án CTKGG"
        PRISON_REDUCTION = "prison_reduction", "Giảm thời hạn chấp hành án phạt tù"
        CONDITIONAL_RELEASE = (
            "conditional_release",
            "Tha tù trước thời hạn có điều kiện",
        )
        AMNESTY = "amnesty", "Đặc xá"

    name = models.CharField("tên đợt xét", max_length=200)
    kind = models.CharField("loại đợt xét", max_length=24, choices=Kind.choices)
    scope = models.ForeignKey(
        "cases.Unit",
        verbose_name="phạm vi",
        on_delete=models.PROTECT,
        related_name="sweep_rounds",
        help_text="Một đơn vị khu vực, hoặc VKSND tỉnh/thành phố để xét toàn tỉnh.",
    )
    cut_off = models.DateField(
        "mốc thời gian",
        help_text="Người đã chấp hành đủ thời gian theo quy định tính đến hết "
        "ngày này.",
    )
    obstacles_from = models.DateField(
        "xét vi phạm từ ngày",
        null=True,
        blank=True,
        help_text="Biên bản vi phạm từ ngày này đến mốc thời gian được nêu là vướng "
        "mắc. Để trống: mọi biên bản vi phạm đã ghi.",
    )
    # legal-rules.md gives no fraction for special amnesty: each amnesty
    # decision of the President sets its own conditions, so a legal officer
    # enters it per round.
    fraction_numerator = models.PositiveSmallIntegerField(
        "tỷ lệ đã chấp hành: tử số",
        null=True,
        blank=True,
        help_text="Chỉ cho đợt đặc xá: phần thời hạn tù đã chấp hành theo quyết định "
        "đặc xá (ví dụ 1/3). Cán bộ pháp chế nhập theo văn bản của đợt.",
    )
    fraction_denominator = models.PositiveSmallIntegerField(
        "tỷ lệ đã chấp hành: mẫu số", null=True, blank=True
    )
    basis = models.CharField("căn cứ", max_length=300, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        "cases.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt xét"
        verbose_name_plural = "đợt xét"
        ordering = ["-cut_off", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cut_off:%d/%m/%Y})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.AMNESTY:
            num, den = self.fraction_numerator, self.fraction_denominator
            if not num or not den or num >= den:
                raise ValidationError(
                    "Đợt đặc xá cần tỷ lệ thời hạn tù đã chấp hành (tử số nhỏ hơn "
                    "mẫu số, ví dụ 1/3) theo quyết định đặc xá."
                )


class DigestSent(models.Model):
    """The one e-mail digest of new alerts a user got on a day."""

    user = models.ForeignKey(
        "cases.User", on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField("ngày")
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    alerts = models.PositiveIntegerField("số cảnh báo", default=0)

    class Meta:
        verbose_name = "thư tổng hợp đã gửi"
        verbose_name_plural = "thư tổng hợp đã gửi"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="uniq_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day:%d/%m/%Y}"
