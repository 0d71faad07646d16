import datetime as dt

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

    def __init__(self, *args, deadline=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def clean_due(self):
        due = self.cleaned_data["due"]
        deadline = self.deadline
        if deadline is None:
            return due
        pronounced = deadline.case.judgment.pronounced_on
        if due < pronounced:
            raise forms.ValidationError(
                f"Hạn không thể trước ngày tuyên án ({pronounced:%d/%m/%Y})."
            )
        computed = deadline.computed_due or deadline.due
        # A deadline counted back from its event ("at least 7 days before")
        # falls before its start; any other falls on or after it.
        if computed >= deadline.start and due < deadline.start:
            raise forms.ValidationError(
                f"Hạn không thể trước ngày bắt đầu tính hạn "
                f"({deadline.start:%d/%m/%Y})."
            )
        return due


def start_of(value: str) -> dt.date | None:
    """The start date a deadline form names (ISO), or None."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
