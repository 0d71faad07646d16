"""Administration of the rules and the working calendar.

Every edit is kept in history (django-simple-history) and is followed, once
committed, by a recomputation of every case, which records each date it
moves with the edit as its reason.
"""

from functools import partial

from django.contrib import admin, messages
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

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

    def reason(self, obj) -> str:
        return f"Quản trị sửa {obj._meta.verbose_name} {obj}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.invalidate()
        _recompute_after_commit(request, self.reason(obj))

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
                    "start_events",
                    "start_details",
                    "start_offset_days",
                    "duration",
                    "unit",
                    "before",
                    "stop_events",
                    "stop_details",
                    "fallback_stop_events",
                    "lapse_events",
                    "repeat",
                    "warn_days",
                ]
            },
        ),
        (
            "Áp dụng",
            {"fields": ["kinds", "custody", "instances", "needs_supplementary"]},
        ),
        (
            "Trách nhiệm và căn cứ",
            {
                "fields": [
                    "responsible",
                    "responsible_kind",
                    "basis",
                    "verified",
                    "action",
                    "note",
                ]
            },
        ),
    ]


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
