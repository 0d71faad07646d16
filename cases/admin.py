"""Administration of reference data and accounts (not of cases: a case is
read through the register's own screens, where every read is scoped and an
administrator's reads are recorded)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import AdminAccessLog, Agency, Crime, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "province", "valid_from", "valid_to"]
    list_filter = ["kind", "province"]
    search_fields = ["name"]


@admin.register(Crime)
class CrimeAdmin(admin.ModelAdmin):
    list_display = ["article", "name"]
    search_fields = ["article", "name"]


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Thông tin", {"fields": ["full_name", "email", "unit", "role"]}),
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
