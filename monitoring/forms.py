from django import forms

from cases.forms import DateField
from monitoring.models import DeadlineOverride


class OverrideForm(forms.Form):
    due = DateField(label="Hạn ấn định", allow_future=True)
    reason = forms.ChoiceField(
        label="Lý do",
        choices=[("", "— Chọn lý do —"), *DeadlineOverride.Reason.choices],
        error_messages={"required": "Chọn lý do.", "invalid_choice": "Chọn lý do."},
    )
    note = forms.CharField(
        label="Giải thích",
        max_length=500,
        error_messages={"required": "Ghi rõ căn cứ của hạn ấn định."},
    )
