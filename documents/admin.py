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
    # The steps are the document's history: written by the workflow only.
    model = DocumentStep
    extra = 0
    can_delete = False
    readonly_fields = ["actor_name", "action", "comment", "at"]
    fields = readonly_fields

    @admin.display(description="người thực hiện")
    def actor_name(self, step):
        return str(step.actor)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    # A document is drafted from a case or an action and numbered when a
    # clerk issues it (documents.services): an admin-made row would have no
    # author, and could claim a state its steps never reached.
    list_display = ["pk", "unit", "form_code", "state", "number_text", "issued_on"]
    list_display_links = ["pk", "form_code"]
    list_filter = ["state", "form_code", "unit"]
    exclude = ["content"]
    readonly_fields = [
        "unit",
        "case",
        "form_code",
        "template",
        "state",
        "doc_type",
        "number",
        "number_year",
        "symbol",
        "issued_on",
        "created_by",
        "signer",
        "issued_by",
    ]
    inlines = [StepInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description="số, ký hiệu", ordering="number")
    def number_text(self, document):
        return document.number_text or "—"
