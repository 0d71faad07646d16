"""Forms of the violations pages; every message is Vietnamese."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from cases.forms import REQUIRED, DateField, GroupedAgencyField
from cases.models import Agency
from violations.models import Action, Violation

STATE_CHOICES = [
    ("open", "Chưa xử lý xong"),
    ("", "Tất cả"),
    *Violation.State.choices,
]


class ViolationFilterForm(forms.Form):
    """The violations page's filters; a bad value drops that filter only."""

    agency = forms.ModelChoiceField(
        label="Cơ quan",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Tất cả cơ quan",
    )
    rule = forms.ChoiceField(label="Quy tắc", required=False)
    state = forms.ChoiceField(
        label="Trạng thái", choices=STATE_CHOICES, required=False, initial="open"
    )
    source = forms.ChoiceField(
        label="Cách phát hiện",
        choices=[("", "Tất cả"), *Violation.Source.choices],
        required=False,
    )
    date_from = DateField(label="Hạn từ ngày", required=False, allow_future=True)
    date_to = DateField(label="đến ngày", required=False, allow_future=True)
    repeated = forms.BooleanField(label="Chỉ vi phạm lặp lại", required=False)
    unit = forms.ChoiceField(label="Đơn vị", required=False)

    def __init__(self, *args, agencies=None, units=(), rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Tất cả")] + [
            (code, code) for code in rules
        ]
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["unit"].choices = [("", "Tất cả đơn vị")] + [
            (str(unit.pk), unit.name) for unit in units
        ]

    def clean_rule(self):
        return self.cleaned_data["rule"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class ManualViolationForm(forms.Form):
    agency = GroupedAgencyField(
        label="Cơ quan vi phạm", error_messages=REQUIRED, empty_label="Chọn cơ quan"
    )
    title = forms.CharField(
        label="Nội dung vi phạm",
        max_length=300,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"placeholder": "Quyết định thi hành án ghi sai thời hạn chấp hành"}
        ),
    )
    basis = forms.CharField(
        label="Điều luật bị vi phạm",
        max_length=300,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"placeholder": "Luật THAHS 2019, Điều 22 khoản 2"}
        ),
    )
    description = forms.CharField(
        label="Mô tả, chứng cứ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    found_on = DateField(label="Ngày phát hiện")
    due = DateField(label="Hạn phải thực hiện (nếu có)", required=False)
    done = DateField(label="Ngày đã thực hiện (nếu có)", required=False)
    rule = forms.ChoiceField(
        label="Thời hạn bị vi phạm (nếu có)",
        required=False,
        help_text="Để nhận biết vi phạm lặp lại của cùng cơ quan trong năm.",
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["rule"].choices = [("", "Không gắn với thời hạn")] + [
            (rule.code, f"{rule.code}: {rule.title}") for rule in _rules()
        ]
        if case is not None:
            self.fields["agency"].queryset = _agencies_for(case)

    def clean(self):
        data = super().clean()
        due, done = data.get("due"), data.get("done")
        if due and done and done < due:
            self.add_error("done", "Ngày thực hiện trước hạn thì không phải vi phạm.")
        if self.case is not None:
            pronounced = self.case.judgment.pronounced_on
            wording = {
                "found_on": "Ngày phát hiện",
                "due": "Hạn phải thực hiện",
                "done": "Ngày thực hiện",
            }
            for name, label in wording.items():
                day = data.get(name)
                if day and day < pronounced and name not in self.errors:
                    self.add_error(
                        name, f"{label} trước ngày tuyên án {pronounced:%d/%m/%Y}."
                    )
        return data


def _rules():
    """The rules of the set in force today, in the rulebook's order."""
    from django.utils import timezone

    from monitoring.rulebook import set_in_force
    from monitoring.rules import get_rule_sets

    rule_set = set_in_force(get_rule_sets(), timezone.localdate())
    return [rule for rule in rule_set.rules if rule.responsible_kind != "convict"]


def _agencies_for(case):
    """Bodies of the case's area (its unit and the province above), and any
    named on its judgment or events: the ones that can have breached."""
    from django.db.models import Q

    unit = case.unit
    area = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    named = set(case.events.exclude(agency=None).values_list("agency_id", flat=True))
    named |= {case.judgment.court_id, case.judgment.executing_court.pk}
    return Agency.objects.filter(Q(province_id__in=area) | Q(pk__in=named))


class ActionCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại văn bản",
        choices=Action.Kind.choices,
        initial=Action.Kind.RECOMMENDATION,
    )
    target = forms.ChoiceField(
        label="Đối tượng kháng nghị",
        choices=[("", "—"), *Action.Target.choices],
        required=False,
        help_text="Chỉ với kháng nghị.",
    )
    self_inspection = forms.BooleanField(
        label="Yêu cầu tự kiểm tra và báo cáo kết quả (Điều 169 khoản 1)",
        required=False,
    )
    violations = forms.ModelMultipleChoiceField(
        queryset=Violation.objects.none(),
        error_messages={
            "required": "Chọn ít nhất một vi phạm để đưa vào văn bản.",
            "invalid_choice": "Có vi phạm không còn trong danh sách; tải lại trang.",
            "invalid_pk_value": "Danh sách vi phạm đã chọn không hợp lệ.",
        },
    )

    def __init__(self, *args, violations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if violations is not None:
            self.fields["violations"].queryset = violations

    def clean(self):
        data = super().clean()
        if data.get("kind") == Action.Kind.PROTEST and not data.get("target"):
            self.add_error("target", "Chọn đối tượng của kháng nghị.")
        return data


class ActionEditForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["addressee", "content"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"addressee": REQUIRED}


class IssueForm(forms.Form):
    number = forms.CharField(
        label="Số, ký hiệu văn bản",
        max_length=64,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"placeholder": "05/KN-VKSKV1"}),
    )
    issued_on = DateField(label="Ngày ban hành")
    received_on = DateField(
        label="Ngày cơ quan nhận",
        required=False,
        help_text="Để trống nếu chưa biết; hạn trả lời tạm tính từ ngày ban hành.",
    )
    signer = forms.CharField(label="Người ký", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        issued, received = data.get("issued_on"), data.get("received_on")
        if issued and received and received < issued:
            self.add_error(
                "received_on", "Ngày cơ quan nhận không được trước ngày ban hành."
            )
        return data


class ReceivedForm(forms.Form):
    received_on = DateField(label="Ngày cơ quan nhận")


class ReplyForm(forms.Form):
    reply_on = DateField(label="Ngày trả lời")
    outcome = forms.ChoiceField(
        label="Kết quả",
        choices=[("", "Chọn kết quả"), *Action.Outcome.choices],
        error_messages=REQUIRED,
    )
    note = forms.CharField(
        label="Nội dung trả lời",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Lý do, kết quả",
        max_length=500,
        error_messages=REQUIRED,
        widget=forms.TextInput(),
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError("Cần ghi lý do.")
        return note
