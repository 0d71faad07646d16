"""Administration of the rules and the working calendar.

Every edit is kept in history (django-simple-history) and is followed, once
committed, by a recomputation of every case, which records each date it
moves with the edit as its reason.
"""

from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from cases.forms import RECIPIENT_CHOICES
from cases.models import Agency, Custody, EventKind, Instance, SentenceKind
from monitoring import calendar, rules
from monitoring.models import (
    CalendarOverride,
    DigestSent,
    Rule,
    RuleSet,
    SweepRound,
)
from monitoring.tasks import recompute_all_cases
from sothuly.reauth import ReauthAdminMixin


def _recompute_after_commit(request, reason: str) -> None:
    transaction.on_commit(partial(recompute_all_cases.delay, reason))
    messages.info(
        request,
        "Các hồ sơ được tính lại theo thay đổi này; ngày nào thay đổi sẽ được ghi "
        "lại và báo cho kiểm sát viên được phân công.",
    )


class RecomputingAdmin(ReauthAdminMixin, SimpleHistoryAdmin):
    # ReauthAdminMixin: a rule or calendar edit moves every case's dates, so
    # it needs a recent password entry.
    invalidate = staticmethod(lambda: None)

    def reason(self, obj, form=None, change=True) -> str:
        """The reason every moved date records: which object, and what
        changed in it ("thời hạn 3 → 5"), so a prosecutor sees why."""
        verb = "sửa" if change else "thêm"
        text = f"Quản trị {verb} {obj._meta.verbose_name} {obj}"
        if form is None or not change or not form.changed_data:
            return text
        changes = []
        for name in form.changed_data:
            field = form.fields[name]
            old = form.initial.get(name)
            new = form.cleaned_data.get(name)
            if isinstance(old, list | dict) or isinstance(new, list | dict):
                changes.append(str(field.label).lower())
            else:
                changes.append(f"{str(field.label).lower()} {old} → {new}")
        return f"{text}: {'; '.join(changes)}"[:200]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.invalidate()
        _recompute_after_commit(request, self.reason(obj, form, change))

    def delete_model(self, request, obj):
        reason = f"Quản trị xóa {obj._meta.verbose_name} {obj}"
        super().delete_model(request, obj)
        self.invalidate()
        _recompute_after_commit(request, reason)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(RecomputingAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    invalidate = staticmethod(calendar.invalidate)


class RuleInline(admin.TabularInline):
    model = Rule
    fields = ["code", "title", "duration", "unit", "before", "verified", "enabled"]
    readonly_fields = ["code", "title"]
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(RuleSet)
class RuleSetAdmin(RecomputingAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "basis_checked"]
    inlines = [RuleInline]
    invalidate = staticmethod(rules.invalidate)


# Vietnamese names of the codes a rule's JSON fields hold, shown beside them
# ("prison" is a sentence in ``kinds`` but a body in ``responsible_kind``).
RESPONSIBLE_KINDS = [*Agency.Kind.choices, ("convict", "Người bị kết án")]
RECIPIENTS = [choice for choice in RECIPIENT_CHOICES if choice[0]]
DETAIL_LABELS = {"recipient": ("Gửi cho", dict(RECIPIENTS))}
CODE_FIELDS = {
    "start_events": ("Sự kiện bắt đầu (tên)", dict(EventKind.choices)),
    "start_details": ("Điều kiện của sự kiện bắt đầu (tên)", None),
    "stop_events": ("Sự kiện hoàn thành (tên)", dict(EventKind.choices)),
    "stop_details": ("Điều kiện của sự kiện hoàn thành (tên)", None),
    "fallback_stop_events": ("Sự kiện thay thế (tên)", dict(EventKind.choices)),
    "lapse_events": ("Sự kiện làm chấm dứt nghĩa vụ (tên)", dict(EventKind.choices)),
    "kinds": ("Loại hình phạt (tên)", dict(SentenceKind.choices)),
    "custody": ("Áp dụng khi (tên)", dict(Custody.choices)),
    "instances": ("Cấp xét xử (tên)", dict(Instance.choices)),
    "responsible_kind": ("Loại chủ thể (tên)", dict(RESPONSIBLE_KINDS)),
}
UNKNOWN = "(mã không có trong danh mục)"


def _named(codes, labels) -> str:
    if not codes:
        return "—"
    if isinstance(codes, dict):
        rows = []
        for key, value in codes.items():
            name, values = DETAIL_LABELS.get(key, (key, {}))
            rows.append((name, values.get(value, value), key, value))
        return format_html_join("", "<div>{}: {} <code>{}={}</code></div>", rows)
    if isinstance(codes, str):
        codes = [codes]
    return format_html_join(
        "",
        "<div>{} <code>{}</code></div>",
        ((labels.get(code, UNKNOWN), code) for code in codes),
    )


def _names_of(field: str):
    label, labels = CODE_FIELDS[field]

    def display(self, obj):
        return _named(getattr(obj, field), labels) if obj else "—"

    display.__name__ = f"{field}_named"
    return admin.display(description=label)(display)


@admin.register(Rule)
class RuleAdmin(RecomputingAdmin):
    list_display = [
        "code",
        "title",
        "rule_set",
        "duration",
        "unit",
        "before",
        "responsible",
        "verified",
        "enabled",
    ]
    list_filter = ["rule_set", "verified", "enabled", "unit", "trigger"]
    search_fields = ["code", "title", "basis"]
    invalidate = staticmethod(rules.invalidate)
    fieldsets = [
        (None, {"fields": ["rule_set", "code", "title", "enabled", "order"]}),
        (
            "Thời hạn",
            {
                "fields": [
                    "trigger",
                    ("start_events", "start_events_named"),
                    ("start_details", "start_details_named"),
                    "start_offset_days",
                    "duration",
                    "unit",
                    "before",
                    ("stop_events", "stop_events_named"),
                    ("stop_details", "stop_details_named"),
                    ("fallback_stop_events", "fallback_stop_events_named"),
                    ("lapse_events", "lapse_events_named"),
                    "repeat",
                    "warn_days",
                ],
                "description": "Các ô sự kiện, loại hình phạt, cấp xét xử ghi mã "
                "(dạng JSON); tên tiếng Việt của từng mã hiện bên cạnh sau khi lưu. "
                "Danh mục mã sự kiện: xem cuối trang.",
            },
        ),
        (
            "Áp dụng",
            {
                "fields": [
                    ("kinds", "kinds_named"),
                    ("custody", "custody_named"),
                    ("instances", "instances_named"),
                    "needs_supplementary",
                ]
            },
        ),
        (
            "Trách nhiệm và căn cứ",
            {
                "fields": [
                    "responsible",
                    ("responsible_kind", "responsible_kind_named"),
                    "basis",
                    "verified",
                    "action",
                    "note",
                ]
            },
        ),
        (
            "Danh mục mã",
            {
                "classes": ["collapse"],
                "fields": ["code_catalogue"],
            },
        ),
    ]
    readonly_fields = [f"{field}_named" for field in CODE_FIELDS] + ["code_catalogue"]

    start_events_named = _names_of("start_events")
    start_details_named = _names_of("start_details")
    stop_events_named = _names_of("stop_events")
    stop_details_named = _names_of("stop_details")
    fallback_stop_events_named = _names_of("fallback_stop_events")
    lapse_events_named = _names_of("lapse_events")
    kinds_named = _names_of("kinds")
    custody_named = _names_of("custody")
    instances_named = _names_of("instances")
    responsible_kind_named = _names_of("responsible_kind")

    @admin.display(description="Mã và tên")
    def code_catalogue(self, obj):
        groups = [
            ("Sự kiện", EventKind.choices),
            ("Loại hình phạt", SentenceKind.choices),
            ("Cấp xét xử", Instance.choices),
            ("Áp dụng khi", Custody.choices),
            ("Loại chủ thể", RESPONSIBLE_KINDS),
            ("Gửi cho (recipient)", RECIPIENTS),
        ]
        return format_html_join(
            "",
            "<p><strong>{}</strong></p><div>{}</div>",
            (
                (
                    title,
                    format_html_join("", "<div><code>{}</code> — {}</div>", choices),
                )
                for title, choices in groups
            ),
        )


# Review rounds and digests (cohort sweeps, e-mail digest) ---------------------


@admin.register(SweepRound)
class SweepRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "cut_off", "scope", "created_by"]
    list_filter = ["kind", "scope"]
    search_fields = ["name"]
    date_hierarchy = "cut_off"
    fieldsets = [
        (None, {"fields": ["name", "kind", "scope", "cut_off", "obstacles_from"]}),
        (
            "Đặc xá",
            {
                "fields": ["fraction_numerator", "fraction_denominator"],
                "description": "Thời gian đã chấp hành án phạt tù để được đề nghị "
                "đặc xá do Quyết định về đặc xá của từng đợt quy định: nhập tỷ lệ "
                "(ví dụ 1/3) theo quyết định và hướng dẫn của đợt đó.",
            },
        ),
        ("Căn cứ", {"fields": ["basis", "note"]}),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "alerts", "sent_at"]
    list_filter = ["day"]
    readonly_fields = ["user", "day", "alerts", "sent_at"]

    def has_add_permission(self, request):
        return False
