"""The review form of a document's fields, and the template upload."""

from __future__ import annotations

from django import forms
from django.conf import settings

from cases.forms import DATE_HELP, DateField, not_a_calendar_day
from documents import services, vn
from documents.catalogue import FIELDS, FORMS, FormSpec
from documents.models import Document
from sothuly import uploads

# Long one-line values get a wide input on the review form.
WIDE = {
    "header_parent",
    "header_unit",
    "addressee",
    "person_residence",
    "judgment_court",
    "crimes",
    "qdtha_court",
    "decision_ref",
}
REQUIRED = {
    "header_unit",
    "place",
    "person_name",
    "addressee",
    "signer_title",
    "decision_ref",
}
# An addressee ending here names no procuracy ("Kính gửi: Viện trưởng Viện
# kiểm sát nhân dân").
BARE_PROCURACY = "viện kiểm sát nhân dân"
DATE_FIELDS = {key for key, spec in FIELDS.items() if spec.widget == "date"}


class DocumentFieldsForm(forms.Form):
    """One input per field of the form, pre-filled from the case."""

    def __init__(self, *args, spec: FormSpec, of_one_case: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        # A kiến nghị drafted from an action can cover several convicts: it
        # lists each under its violations and names nobody in the opening.
        required = REQUIRED if of_one_case else REQUIRED - {"person_name"}
        for key in spec.fields:
            field_spec = FIELDS[key]
            label = field_spec.label
            if key == "extra" and spec.extra_label:
                label = spec.extra_label
            if field_spec.widget == "text":
                widget = forms.Textarea(attrs={"rows": 4})
                max_length = 4000
            else:
                widget = forms.TextInput(
                    attrs={"placeholder": DATE_HELP, "inputmode": "numeric"}
                    if key in DATE_FIELDS
                    else {}
                )
                max_length = 500
            self.fields[key] = forms.CharField(
                label=label,
                required=key in required,
                max_length=max_length,
                widget=widget,
                help_text=field_spec.help,
                strip=True,
            )

    def rows(self):
        """(bound field, wide?) in order, for the template."""
        for name in self.fields:
            field = self[name]
            yield field, name in WIDE or FIELDS[name].widget == "text"

    def clean(self):
        data = super().clean()
        addressee = " ".join((data.get("addressee") or "").split()).rstrip(" .;:")
        if addressee and addressee.lower().endswith(BARE_PROCURACY):
            self.add_error(
                "addressee",
                "Ghi rõ tên Viện kiểm sát nhận văn bản, ví dụ: Viện trưởng Viện kiểm "
                "sát nhân dân khu vực 2 - Hải Phòng.",
            )
        for key in DATE_FIELDS & set(self.fields):
            value = data.get(key)
            if value and vn.parse_short_date(value) is None:
                self.add_error(
                    key,
                    not_a_calendar_day(value)
                    or "Ngày phải theo dạng ngày/tháng/năm, ví dụ 05/02/2026.",
                )
            elif value:
                data[key] = vn.short_date(vn.parse_short_date(value))
        return data

    def field_values(self, previous: dict) -> dict:
        """The reviewed values, keeping the non-editable parts (violations,
        the addressee's agency) of the previous fields."""
        values = {
            key: value for key, value in previous.items() if key not in self.fields
        }
        values.update({key: self.cleaned_data.get(key, "") for key in self.fields})
        return values


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IssueForm(forms.Form):
    # A number is given on the day the document leaves: never a later day,
    # never before the approval or the thread's previous number.
    issued_on = DateField(label="Ngày phát hành")

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["issued_on"].help_text = services.issue_date_hint(document)

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        problem = services.issue_date_problem(self.document, day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="Tệp mẫu .docx")
    note = forms.CharField(label="Ghi chú", required=False, max_length=300)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("Chỉ nhận tệp Word .docx.")
        # Size and content (a real .docx archive), whatever the name says.
        uploads.check_docx(upload, settings.SOTHULY_TEMPLATE_MAX_BYTES)
        return upload


def spec_or_none(code: str) -> FormSpec | None:
    return FORMS.get(code)
