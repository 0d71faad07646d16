from django.contrib import admin

from audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "username", "unit", "ip_address", "target"]
    list_filter = ["action", "unit"]
    search_fields = ["username", "target", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["unit"]

    # The log is written by the system only: nobody adds, edits or deletes.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
