from django.contrib import admin

from documents.models import Document, DocumentStep, FormTemplate, NumberingScheme


@admin.register(NumberingScheme)
class NumberingSchemeAdmin(admin.ModelAdmin):
    list_display = ["doc_type", "year"]


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    # Replacements go through the checked upload page, never raw here.
    list_display = ["code", "version", "active", "uploaded_at", "uploaded_by"]
    list_filter = ["code", "active"]
    exclude = ["content"]
    readonly_fields = [
        "code",
        "title",
        "instrument",
        "version",
        "filename",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False


class StepInline(admin.TabularInline):
    model = DocumentStep
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "action", "comment", "at"]
    fields = readonly_fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["pk", "unit", "form_code", "state", "number", "issued_on"]
    list_filter = ["state", "form_code", "unit"]
    exclude = ["content"]
    readonly_fields = [
        "unit",
        "case",
        "template",
        "number",
        "number_year",
        "symbol",
        "issued_on",
        "created_by",
        "signer",
        "issued_by",
    ]
    inlines = [StepInline]
