"""Administration of reference data and accounts (not of cases: a case is
read through the register's own screens, where every read is scoped and an
administrator's reads are recorded)."""

import datetime as dt
from functools import partial

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from audit.models import AuditLog
from audit.services import record_audit
from cases import services
from cases.models import AdminAccessLog, Agency, Crime, Event, Unit, User
from monitoring.tasks import recompute_all_cases
from sothuly.reauth import ReauthAdminMixin
from sothuly.signin_admin import AccessAttemptAdminVietnamese, DeviceAdminVietnamese


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


# Fields that decide which body a deadline is charged to.
ATTRIBUTION_FIELDS = {"valid_from", "valid_to", "successor"}


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "province", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", "province"]
    search_fields = ["name"]
    autocomplete_fields = ["successor"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and ATTRIBUTION_FIELDS & set(form.changed_data):
            # The body a deadline is charged to follows the validity dates
            # and successors: recompute every case once this is committed.
            reason = f"Quản trị sửa cơ quan {obj} (thời hạn hiệu lực, kế thừa)"
            transaction.on_commit(partial(recompute_all_cases.delay, reason))
            self.message_user(
                request,
                "Các hồ sơ được tính lại để thời hạn và vi phạm được tính cho "
                "đúng cơ quan theo thay đổi này.",
                messages.INFO,
            )


@admin.register(Crime)
class CrimeAdmin(admin.ModelAdmin):
    list_display = ["article", "name"]
    search_fields = ["article", "name"]


# Accounts, roles (groups) and two-factor devices change who can read and
# sign for a unit's register: each change needs a recent password entry.
admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Group)
class RoleGroupAdmin(ReauthAdminMixin, GroupAdmin):
    pass


@admin.register(TOTPDevice)
class ReauthTOTPDeviceAdmin(ReauthAdminMixin, DeviceAdminVietnamese, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class ReauthStaticDeviceAdmin(
    ReauthAdminMixin, DeviceAdminVietnamese, StaticDeviceAdmin
):
    pass


# django-axes: the lockouts, titled and labelled in Vietnamese.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdminVietnamese)


@admin.register(User)
class AccountAdmin(ReauthAdminMixin, UserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Thông tin",
            {"fields": ["full_name", "email", "unit", "role", "receives_digest"]},
        ),
        (
            "Quyền",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        ("Thời gian", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "unit",
                    "role",
                    "password1",
                    "password2",
                ],
            },
        )
    ]


@admin.register(AdminAccessLog)
class AdminAccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "unit", "case", "path"]
    list_filter = ["unit", "user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def restore_problem(event: Event) -> str | None:
    """Why ``event`` cannot come back as it was, by the checks a user's
    own entry of it would meet today (the case's other events may have
    changed since it was deleted), or None."""
    from cases.forms import EventForm

    if event.case.is_cancelled:
        return "hồ sơ đã bị hủy số."
    data = {
        name: f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value or ""
        for name, value in EventForm.values_of(event).items()
    }
    form = EventForm(data=data, case=event.case, event=event)
    if form.is_valid():
        return None
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@admin.register(Event)
class DeletedEventAdmin(admin.ModelAdmin):
    """Events users deleted: kept, and restorable by an administrator.

    Only deleted events are listed, by case id and register number (no
    convict's name): live events are read and changed on the case page.
    """

    list_display = ["pk", "case_number", "unit", "kind", "date", "deleted_at"]
    list_filter = ["unit", "kind"]
    date_hierarchy = "deleted_at"
    search_fields = ["case__register_number"]
    list_select_related = ["case", "unit"]
    actions = ["restore"]
    fields = ["case", "kind", "date", "number", "note", "deleted_at", "deleted_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return Event.all_objects.filter(deleted_at__isnull=False)

    @admin.display(description="số thụ lý", ordering="case__register_number")
    def case_number(self, event):
        return event.case.register_number

    @admin.action(description="Khôi phục các sự kiện đã chọn")
    def restore(self, request, queryset):
        restored = 0
        for event in queryset.select_related("case"):
            problem = restore_problem(event)
            if problem:
                self.message_user(
                    request,
                    f"Không khôi phục sự kiện #{event.pk} ({event.get_kind_display()} "
                    f"ngày {event.date:%d/%m/%Y}, hồ sơ {event.case.register_number})"
                    f": {problem}",
                    messages.ERROR,
                )
                continue
            services.restore_event(event)
            restored += 1
            record_audit(
                AuditLog.Action.EVENT_RESTORED,
                request=request,
                unit_id=event.unit_id,
                target=f"sự kiện #{event.pk} của hồ sơ #{event.case_id}",
            )
        if restored:
            self.message_user(
                request,
                f"Đã khôi phục {restored} sự kiện; thời hạn đã được tính lại.",
                messages.SUCCESS,
            )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The restore action needs it; the form itself is read-only.
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False
