from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monitoring.calendar import invalidate
from monitoring.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        invalidate()
