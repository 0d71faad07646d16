"""Entry forms of the register, with Vietnamese messages next to each field."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone

from cases import services
from cases.models import (
    Agency,
    CaseStatus,
    Cover,
    Crime,
    Custody,
    Event,
    EventKind,
    Instance,
    Obligations,
    SentenceKind,
    Sex,
    SupplementaryKind,
    User,
)
from cases.services import CrimeInput, SupplementaryInput

DATE_HELP = "ngày/tháng/năm"
DATE_ERRORS = {"invalid": "Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 05/02/2026."}
REQUIRED = {"required": "Trường này là bắt buộc."}
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
MAX_FINE = 1_000_000_000_000


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def not_a_calendar_day(text) -> str | None:
    """Why a date written the right way is still no day of the calendar
    (31/02/2026), for a message that does not blame the format."""
    match = _DAY_MONTH_YEAR.fullmatch(str(text or "").strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    last = calendar.monthrange(year, month)[1]
    if day > last:
        return f"Tháng {month:02d}/{year} chỉ có {last} ngày."
    return None


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy, never after today."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": DATE_HELP, "inputmode": "numeric", "autocomplete": "off"},
    )

    def __init__(self, *args, allow_future: bool = False, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        self.allow_future = allow_future
        messages = {**DATE_ERRORS, **REQUIRED, **kwargs.pop("error_messages", {})}
        super().__init__(*args, error_messages=messages, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            problem = not_a_calendar_day(value)
            if problem:
                raise ValidationError(problem) from None
            raise

    def clean(self, value):
        day = super().clean(value)
        if day and not self.allow_future and day > timezone.localdate():
            raise ValidationError("Ngày này chưa đến: không được sau ngày hôm nay.")
        if day and day.year < 1900:
            raise ValidationError("Năm không hợp lệ.")
        # No term, postponement or review reaches this far: a mistyped year.
        if day and day.year > timezone.localdate().year + 30:
            raise ValidationError("Ngày quá xa trong tương lai: kiểm tra lại năm.")
        return day


# Supplementary penalties with a term: (least years, most years, BLHS
# article). Fines and confiscation have none.
SUPPLEMENTARY_TERMS = {
    SupplementaryKind.JOB_BAN: (1, 5, 41),
    SupplementaryKind.RESIDENCE_BAN: (1, 5, 42),
    SupplementaryKind.PROBATION_CONTROL: (1, 5, 43),
    SupplementaryKind.RIGHTS_DEPRIVATION: (1, 5, 44),
}


def _int_field(label: str, max_value: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=max_value,
        error_messages={
            "invalid": "Nhập một số nguyên.",
            "min_value": "Không được là số âm.",
            "max_value": f"Không được lớn hơn {max_value}.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "num"}),
    )


_ARTICLE = re.compile(r"(?:điều|đ\.)\s*(\d{1,3}[a-zđ]?)\b")
_LEADING_ARTICLE = re.compile(r"^(\d{1,3}[a-zđ]?)(?:\s*[.\-]\s*(\d{1,2}))?\b")
_CLAUSE = re.compile(r"(?:khoản|k\.)\s*(\d{1,2})\b")
_NOISE = re.compile(r"\b(?:bộ luật hình sự|blhs|năm 2015|2015|sửa đổi|bổ sung|2017)\b")


def _crime_item(item: str) -> CrimeInput | None:
    """One citation: "173 khoản 1", "khoản 1 Điều 173", "Điều 173 BLHS",
    "điểm a khoản 2 Điều 173", "173.2"."""
    text = " ".join(_NOISE.sub(" ", item.lower()).split())
    article = _ARTICLE.search(text)
    clause = _CLAUSE.search(text)
    if article:
        return CrimeInput(article[1], clause[1] if clause else "")
    leading = _LEADING_ARTICLE.match(text)
    if leading:
        return CrimeInput(leading[1], leading[2] or (clause[1] if clause else ""))
    return None


def parse_crimes(text: str) -> list[CrimeInput]:
    """'173 khoản 1; 174' → crimes of the Penal Code, known articles only."""
    items = [
        item.strip() for item in re.split(r"[;,\n]|\s+và\s+", text) if item.strip()
    ]
    if not items:
        raise ValidationError("Nhập ít nhất một tội danh (điều luật BLHS).")
    parsed, malformed = [], []
    for item in items:
        crime = _crime_item(item)
        if crime is None:
            malformed.append(item)
        else:
            parsed.append(crime)
    if malformed:
        raise ValidationError(
            "Không hiểu: %(items)s. Ghi theo dạng «173 khoản 1; 174» hoặc "
            "«khoản 1 Điều 173».",
            params={"items": ", ".join(malformed)},
        )
    bad_clause = [c for c in parsed if c.clause and not 1 <= int(c.clause) <= 9]
    if bad_clause:
        raise ValidationError(
            "Khoản %(clauses)s không có trong điều luật (một điều có từ khoản 1 "
            "đến khoản 9).",
            params={"clauses": ", ".join(c.clause for c in bad_clause)},
        )
    known = set(
        Crime.objects.filter(article__in=[c.article for c in parsed]).values_list(
            "article", flat=True
        )
    )
    unknown = [c.article for c in parsed if c.article not in known]
    if unknown:
        raise ValidationError(
            "Điều %(articles)s chưa có trong danh mục tội danh của BLHS.",
            params={"articles": ", ".join(unknown)},
        )
    return parsed


def agency_choices(kinds: list[str] | None = None):
    queryset = Agency.objects.all()
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.order_by("kind", "name")


# The order a prosecutor looks for a body in: courts first, communes last.
_AGENCY_KIND_ORDER = [
    Agency.Kind.COURT,
    Agency.Kind.EXECUTION_AGENCY,
    Agency.Kind.DETENTION_CENTRE,
    Agency.Kind.PRISON,
    Agency.Kind.COMMUNE_POLICE,
    Agency.Kind.COMMUNE,
    Agency.Kind.OTHER,
]


class GroupedAgencyField(forms.ModelChoiceField):
    """Agencies grouped by kind, each group in Vietnamese alphabetical order,
    the bodies no longer in existence after the current ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(Agency.objects.all(), *args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.choices = self.grouped_choices()

    def grouped_choices(self):
        from cases.vnsort import name_key

        today = timezone.localdate()
        groups = {kind: [] for kind in _AGENCY_KIND_ORDER}
        for agency in self.queryset:
            groups.setdefault(agency.kind, []).append(agency)
        choices = [("", self.empty_label or "")]
        labels = dict(Agency.Kind.choices)
        for kind, agencies in groups.items():
            if not agencies:
                continue
            agencies.sort(
                key=lambda a: (
                    a.valid_to is not None and a.valid_to < today,
                    name_key(a.name),
                )
            )
            choices.append(
                (
                    labels[kind],
                    [
                        (
                            agency.pk,
                            agency.name
                            + (
                                f" (đến {agency.valid_to:%d/%m/%Y})"
                                if agency.valid_to and agency.valid_to < today
                                else ""
                            ),
                        )
                        for agency in agencies
                    ],
                )
            )
        return choices


class JudgmentForm(forms.Form):
    number = forms.CharField(
        label="Số bản án / quyết định",
        max_length=64,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"placeholder": "45/2025/HS-ST"}),
    )
    court = forms.ModelChoiceField(
        label="Tòa án xét xử",
        queryset=Agency.objects.none(),
        empty_label="— Chọn Tòa án —",
        error_messages={**REQUIRED, "invalid_choice": "Chọn Tòa án trong danh sách."},
    )
    instance = forms.ChoiceField(
        label="Cấp xét xử", choices=Instance.choices, initial=Instance.FIRST
    )
    pronounced_on = DateField(label="Ngày tuyên án")
    effective_on = DateField(
        label="Ngày có hiệu lực pháp luật",
        required=False,
        help_text="Theo giấy tờ của Tòa án. Để trống: hệ thống đề xuất.",
    )
    first_instance_number = forms.CharField(
        label="Số bản án sơ thẩm", max_length=64, required=False
    )
    first_instance_court = forms.ModelChoiceField(
        label="Tòa án xét xử sơ thẩm",
        queryset=Agency.objects.none(),
        empty_label="— Chọn Tòa án —",
        required=False,
        error_messages={"invalid_choice": "Chọn Tòa án trong danh sách."},
    )
    first_instance_pronounced_on = DateField(
        label="Ngày tuyên án sơ thẩm", required=False
    )
    register_date = DateField(label="Ngày thụ lý", help_text="Ngày vào sổ thụ lý.")
    judgment_received_on = DateField(
        label="Ngày VKS nhận bản án",
        required=False,
        help_text="Ngày Viện kiểm sát nhận bản án do Tòa án gửi (thời hạn 10 ngày "
        "của Tòa án, Điều 262 BLTTHS); ghi cho mọi người bị kết án của bản án.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        courts = agency_choices([Agency.Kind.COURT])
        self.fields["court"].queryset = courts
        self.fields["first_instance_court"].queryset = courts
        if not self.is_bound:
            self.initial.setdefault("register_date", timezone.localdate())

    def clean(self):
        data = super().clean()
        pronounced = data.get("pronounced_on")
        effective = data.get("effective_on")
        if pronounced and effective and effective < pronounced:
            self.add_error(
                "effective_on", "Ngày có hiệu lực không được trước ngày tuyên án."
            )
        received = data.get("judgment_received_on")
        if pronounced and received and received < pronounced:
            self.add_error(
                "judgment_received_on",
                "Ngày VKS nhận bản án không được trước ngày tuyên án "
                f"({pronounced:%d/%m/%Y}).",
            )
        register_date = data.get("register_date")
        if pronounced and register_date and register_date < pronounced:
            self.add_error(
                "register_date", "Ngày thụ lý không được trước ngày tuyên án."
            )
        if data.get("instance") and data["instance"] != Instance.FIRST:
            if not data.get("first_instance_court"):
                self.add_error(
                    "first_instance_court",
                    "Bản án phúc thẩm, giám đốc thẩm, tái thẩm: chọn Tòa án đã xét xử "
                    "sơ thẩm (Tòa án này ra quyết định thi hành án).",
                )
            first_day = data.get("first_instance_pronounced_on")
            if first_day and pronounced and first_day > pronounced:
                self.add_error(
                    "first_instance_pronounced_on",
                    "Ngày tuyên án sơ thẩm không được sau ngày tuyên án "
                    "của bản án này.",
                )
        court = data.get("court")
        if court and pronounced and not court.valid_on(pronounced):
            self.add_error(
                "court",
                "Tòa án này không còn (hoặc chưa) hoạt động vào ngày tuyên án; "
                "kiểm tra lại tên Tòa án.",
            )
        return data


class ConvictForm(forms.Form):
    full_name = forms.CharField(
        label="Họ và tên", max_length=150, error_messages=REQUIRED
    )
    sex = forms.ChoiceField(
        label="Giới tính",
        choices=[("", "— Chọn —"), *Sex.choices],
        error_messages=REQUIRED,
    )
    birth_date = DateField(label="Ngày sinh", required=False)
    birth_year = forms.IntegerField(
        label="Năm sinh (nếu không rõ ngày)",
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": "Nhập năm bằng số.",
            "min_value": "Năm sinh không hợp lệ.",
            "max_value": "Năm sinh không hợp lệ.",
        },
    )
    id_number = forms.CharField(
        label="Số định danh cá nhân / CCCD", max_length=20, required=False
    )
    residence = forms.CharField(label="Nơi cư trú", max_length=300, required=False)
    custody = forms.ChoiceField(
        label="Tình trạng khi xét xử",
        choices=Custody.choices,
        initial=Custody.AT_LIBERTY,
    )
    crimes = forms.CharField(
        label="Tội danh (điều BLHS)",
        max_length=300,
        error_messages=REQUIRED,
        help_text="Ví dụ: 173 khoản 1; 174",
        widget=forms.TextInput(attrs={"list": "crime-articles"}),
    )
    sentence_kind = forms.ChoiceField(
        label="Hình phạt chính", choices=SentenceKind.choices, error_messages=REQUIRED
    )
    term_years = _int_field("Mức án: năm", 30)
    term_months = _int_field("Mức án: tháng", 11)
    term_days = _int_field("Mức án: ngày", 30)
    probation_years = _int_field("Thử thách: năm", 99)
    probation_months = _int_field("Thử thách: tháng", 11)
    fine_amount = forms.CharField(
        label="Số tiền phạt (đồng)",
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "5.000.000"}
        ),
    )
    detention_from = DateField(label="Tạm giữ, tạm giam từ ngày", required=False)
    detention_to = DateField(
        label="đến ngày",
        required=False,
        help_text="Để trống nếu vẫn bị tạm giam đến khi xét xử.",
    )
    supplementary_kind = forms.ChoiceField(
        label="Hình phạt bổ sung",
        choices=[("", "— Không có —"), *SupplementaryKind.choices],
        required=False,
    )
    supplementary_years = _int_field("Bổ sung: năm", 30)
    supplementary_months = _int_field("Bổ sung: tháng", 11)
    supplementary_amount = forms.CharField(
        label="Bổ sung: số tiền (đồng)", required=False, max_length=30
    )
    prosecutor = forms.ModelChoiceField(
        label="Kiểm sát viên được phân công",
        queryset=User.objects.none(),
        empty_label="— Chưa phân công —",
        required=False,
    )
    qdtha_number = forms.CharField(
        label="Số QĐTHA (nếu đã có)", max_length=64, required=False
    )
    qdtha_date = DateField(label="Ngày ra QĐTHA", required=False)
    qdtha_received_on = DateField(label="Ngày VKS nhận QĐTHA", required=False)

    def __init__(self, *args, prosecutors=None, judgment_day=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.judgment_day = judgment_day
        self.unit = unit
        # The person already in the unit's register under the same identity
        # number, name and birth: the new case is theirs too.
        self.known_person = None
        if prosecutors is not None:
            self.fields["prosecutor"].queryset = prosecutors

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise ValidationError("Nhập đủ họ và tên (ít nhất họ và tên gọi).")
        if any(ch.isdigit() for ch in name):
            raise ValidationError("Họ và tên không được chứa chữ số.")
        return name

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip()
        if value and not (value.isdigit() and len(value) in (9, 12)):
            raise ValidationError("Số định danh gồm 12 chữ số (hoặc CMND cũ 9 chữ số).")
        return value

    def clean_crimes(self):
        return parse_crimes(self.cleaned_data["crimes"])

    def clean_fine_amount(self):
        return _money(self.cleaned_data["fine_amount"])

    def clean_supplementary_amount(self):
        return _money(self.cleaned_data["supplementary_amount"])

    def clean(self):
        data = super().clean()
        term_fields = (
            "term_years",
            "term_months",
            "term_days",
            "probation_years",
            "probation_months",
            "supplementary_years",
            "supplementary_months",
        )
        if any(name in self.errors for name in term_fields):
            # A figure already refused; checking the total would only add a
            # second, contradictory message.
            return data
        for name in term_fields:
            data[name] = data.get(name) or 0
        self._check_people_and_periods(data)
        self._check_id_number(data)
        kind = data.get("sentence_kind")
        term_days = (
            data["term_years"] * 360 + data["term_months"] * 30 + data["term_days"]
        )
        if kind in SentenceKind.with_term() and term_days == 0:
            self.add_error(
                "term_years", "Mức án phải lớn hơn 0 (nhập năm, tháng hoặc ngày)."
            )
        if kind and kind not in SentenceKind.with_term() and term_days:
            # Life imprisonment and death have no term either (BLHS Art. 39,
            # 40): "Tù chung thân 2 năm" is a typing slip, not a sentence.
            self.add_error("term_years", "Hình phạt này không có thời hạn.")
        if kind == SentenceKind.SUSPENDED:
            probation = data["probation_years"] * 12 + data["probation_months"]
            if term_days > 3 * 360:
                self.add_error(
                    "term_years",
                    "Án treo chỉ áp dụng với mức phạt tù không quá 03 năm "
                    "(BLHS Điều 65).",
                )
            if not 12 <= probation <= 60:
                self.add_error(
                    "probation_years",
                    "Thời gian thử thách của án treo từ 01 năm đến 05 năm "
                    "(BLHS Điều 65).",
                )
        elif data["probation_years"] or data["probation_months"]:
            self.add_error("probation_years", "Chỉ án treo mới có thời gian thử thách.")
        if (
            kind == SentenceKind.NON_CUSTODIAL_REFORM
            and term_days
            and not (180 <= term_days <= 3 * 360)
        ):
            self.add_error(
                "term_years",
                "Cải tạo không giam giữ từ 06 tháng đến 03 năm (BLHS Điều 36).",
            )
        if kind == SentenceKind.FINE and not data.get("fine_amount"):
            self.add_error("fine_amount", "Nhập số tiền phạt.")
        qdtha_date = data.get("qdtha_date")
        if qdtha_date and self.judgment_day and qdtha_date < self.judgment_day:
            self.add_error(
                "qdtha_date", "Ngày ra QĐTHA không được trước ngày tuyên án."
            )
        received = data.get("qdtha_received_on")
        if received and not qdtha_date:
            self.add_error("qdtha_date", "Nhập ngày ra QĐTHA trước ngày VKS nhận.")
        if received and qdtha_date and received < qdtha_date:
            self.add_error(
                "qdtha_received_on", "Ngày VKS nhận không được trước ngày ra QĐTHA."
            )
        if data.get("qdtha_number") and not qdtha_date:
            self.add_error("qdtha_date", "Nhập ngày ra QĐTHA.")
        return data

    def _check_people_and_periods(self, data) -> None:
        birth = data.get("birth_date")
        year = birth.year if birth else data.get("birth_year")
        if not birth and not year:
            # A birth date refused on its own (a day to come) has said why.
            if "birth_date" not in self.errors:
                self.add_error("birth_year", "Nhập ngày sinh hoặc ít nhất năm sinh.")
        elif self.judgment_day:
            # Criminal responsibility starts at 14 (BLHS Art. 12).
            age = self.judgment_day.year - year
            if birth:
                age -= (self.judgment_day.month, self.judgment_day.day) < (
                    birth.month,
                    birth.day,
                )
            field = "birth_date" if birth else "birth_year"
            if age < 14:
                self.add_error(
                    field,
                    "Người bị kết án chưa đủ 14 tuổi vào ngày tuyên án: kiểm tra lại "
                    "ngày, năm sinh.",
                )
            elif age > 110:
                self.add_error(field, "Năm sinh không hợp lệ.")
        start, end = data.get("detention_from"), data.get("detention_to")
        if end and not start:
            self.add_error("detention_from", "Nhập ngày bắt đầu tạm giữ, tạm giam.")
        if start and end and end < start:
            self.add_error(
                "detention_to", "Ngày kết thúc tạm giam không được trước ngày bắt đầu."
            )
        if start and self.judgment_day and start > self.judgment_day:
            self.add_error(
                "detention_from",
                "Tạm giữ, tạm giam trước khi xét xử: trước ngày tuyên án.",
            )
        kind = data.get("supplementary_kind")
        if kind in {SupplementaryKind.FINE} and not data.get("supplementary_amount"):
            self.add_error("supplementary_amount", "Nhập số tiền phạt bổ sung.")
        months = data["supplementary_years"] * 12 + data["supplementary_months"]
        if kind in SUPPLEMENTARY_TERMS and not months:
            self.add_error(
                "supplementary_years", "Nhập thời hạn của hình phạt bổ sung."
            )
        elif kind in SUPPLEMENTARY_TERMS:
            low, high, article = SUPPLEMENTARY_TERMS[kind]
            if not low * 12 <= months <= high * 12:
                self.add_error(
                    "supplementary_years",
                    f"{SupplementaryKind(kind).label} từ {low:02d} năm đến "
                    f"{high:02d} năm (BLHS Điều {article}).",
                )
        elif kind and months:
            self.add_error(
                "supplementary_years", "Hình phạt bổ sung này không có thời hạn."
            )

    def _check_id_number(self, data) -> None:
        """One identity number is one person: refuse it for someone of
        another name or birth already in the unit's register.

        Only the unit's own register is searched: another unit's people are
        not the user's to see (and row-level security hides them anyway).
        """
        number = data.get("id_number")
        if not number or self.unit is None or not data.get("full_name"):
            return
        if any(name in self.errors for name in ("birth_date", "birth_year", "sex")):
            return
        known = services.cases_with_id_number(self.unit, number)
        if not known:
            return
        for case in known:
            if same_identity(case.person, data):
                if data.get("sex") and case.person.sex != data["sex"]:
                    self.add_error(
                        "sex",
                        f"Số định danh này là của {case.person.full_name} (hồ sơ "
                        f"{case.register_number}), giới tính "
                        f"{case.person.get_sex_display()}: kiểm tra lại giới tính.",
                    )
                else:
                    self.known_person = case.person
                return
        case = known[0]
        birth = case.person.birth_display
        self.add_error(
            "id_number",
            f"Số định danh này đã được dùng cho {case.person.full_name}"
            f"{f', sinh {birth}' if birth else ''} (hồ sơ {case.register_number}): "
            "kiểm tra lại số định danh, họ tên và ngày sinh.",
        )

    def detention(self) -> list[tuple]:
        data = self.cleaned_data
        if not data.get("detention_from"):
            return []
        return [(data["detention_from"], data.get("detention_to"))]

    def supplementary(self) -> list[SupplementaryInput]:
        data = self.cleaned_data
        if not data.get("supplementary_kind"):
            return []
        return [
            SupplementaryInput(
                kind=data["supplementary_kind"],
                years=data["supplementary_years"],
                months=data["supplementary_months"],
                fine_amount=data.get("supplementary_amount"),
            )
        ]


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def same_identity(person, data) -> bool:
    """Whether what was typed names this stored person: the same name (case
    and spacing aside) and the same birth, as far as both know it (a full
    date against a date, otherwise the year)."""
    if _name_key(person.full_name) != _name_key(data["full_name"]):
        return False
    birth = data.get("birth_date")
    if birth and person.birth_date:
        return birth == person.birth_date
    year = birth.year if birth else data.get("birth_year")
    return year == person.birth_year


def _money(value: str) -> int | None:
    """'5.000.000', '5 000 000' or '5000000' đồng."""
    text = (value or "").strip().replace(".", "").replace(" ", "").replace(",", "")
    text = text.removesuffix("đồng").removesuffix("đ")
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError("Nhập số tiền bằng chữ số, ví dụ 5.000.000.")
    amount = int(text)
    if not 0 < amount <= MAX_FINE:
        raise ValidationError("Số tiền phải lớn hơn 0 và không quá 1.000 tỷ đồng.")
    return amount


class BaseConvictFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "Biểu mẫu không đầy đủ; tải lại trang và nhập lại.",
        "too_many_forms": "Mỗi lần nhập tối đa %(num)d người bị kết án.",
        "too_few_forms": "Nhập ít nhất %(num)d người bị kết án.",
    }

    def __init__(self, *args, prosecutors=None, judgment_day=None, unit=None, **kwargs):
        self.prosecutors = prosecutors
        self.judgment_day = judgment_day
        self.unit = unit
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            "prosecutors": self.prosecutors,
            "judgment_day": self.judgment_day,
            "unit": self.unit,
        }

    def clean(self):
        if any(self.errors):
            return
        filled = [form for form in self.forms if form.has_changed()]
        if not filled:
            raise ValidationError("Nhập ít nhất một người bị kết án.")
        # One identity number twice in one judgment: the same person entered
        # twice, or two people under one number; either way a slip.
        seen: dict[str, int] = {}
        for position, form in enumerate(self.forms, start=1):
            if not form.has_changed():
                continue
            number = form.cleaned_data.get("id_number")
            if not number:
                continue
            if number in seen:
                form.add_error(
                    "id_number",
                    f"Số định danh này trùng với người bị kết án thứ {seen[number]} "
                    "của bản án này.",
                )
            else:
                seen[number] = position


ConvictFormSet = formset_factory(
    ConvictForm,
    formset=BaseConvictFormSet,
    extra=0,
    min_num=1,
    max_num=20,
    absolute_max=20,
    validate_max=True,
)

# Event kinds a prosecutor records by hand, grouped as on paper.
EVENT_GROUPS = [
    (
        "Bản án, quyết định thi hành án",
        [
            EventKind.JUDGMENT_DELIVERED,
            EventKind.APPEAL_RULING_RECEIVED_BY_COURT,
            EventKind.ENTRUSTMENT_ISSUED,
            EventKind.ENTRUSTMENT_RECEIVED,
            EventKind.EXECUTION_DECISION_ISSUED,
            EventKind.EXECUTION_DECISION_SENT,
            EventKind.EXECUTION_DECISION_RECEIVED,
            EventKind.EXECUTION_DECISION_SERVED,
            EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        ],
    ),
    (
        "Chấp hành án phạt tù",
        [
            EventKind.CONVICT_REPORTED_TO_PROVINCE,
            EventKind.PROVINCIAL_FILE_COMPLETED,
            EventKind.PLACE_OF_SERVING_DECIDED,
            EventKind.REPORTED_TO_SERVE,
            EventKind.ESCORT_DECISION_ISSUED,
            EventKind.ESCORTED,
            EventKind.ADMITTED_TO_PRISON,
            EventKind.ABSCONDED,
            EventKind.WANTED_NOTICE_ISSUED,
            EventKind.RECAPTURED,
            EventKind.PRISON_RELEASE_NOTICE,
        ],
    ),
    (
        "Hoãn, tạm đình chỉ",
        [
            EventKind.POSTPONEMENT_REQUESTED,
            EventKind.POSTPONEMENT_GRANTED,
            EventKind.POSTPONEMENT_REFUSED,
            EventKind.POSTPONEMENT_DECISION_RECEIVED,
            EventKind.AGENCY_RECEIVED_POSTPONEMENT_DECISION,
            EventKind.POSTPONEMENT_EXPIRY_NOTIFIED,
            EventKind.CANCELLATION_PROPOSED,
            EventKind.POSTPONEMENT_CANCELLED,
            EventKind.SUSPENSION_FILE_RECEIVED_BY_COURT,
            EventKind.SUSPENSION_GRANTED,
            EventKind.SUSPENSION_REFUSED,
            EventKind.SUSPENSION_ENDED,
            EventKind.SUSPENSION_CANCELLED,
            EventKind.CANCELLATION_SENT,
        ],
    ),
    (
        "Án treo, cải tạo không giam giữ",
        [
            EventKind.SUMMONED_TO_COMMUNE,
            EventKind.SUPERVISION_FILE_OPENED,
            EventKind.COMMUNE_POLICE_RECEIVED_DECISION,
            EventKind.INTAKE_REPORTED,
            EventKind.SUPERVISION_PLAN_ISSUED,
            EventKind.MONTHLY_REPORT_SIGNED,
            EventKind.REVIEW_MEETING_HELD,
            EventKind.BREACH_RECORDED,
            EventKind.REVOCATION_PROPOSED,
            EventKind.REVOCATION_DECIDED,
            EventKind.REVOCATION_SENT,
            EventKind.COMMUNE_REPORT_RECEIVED,
            EventKind.SHORTENING_PROPOSED,
            EventKind.PROBATION_SHORTENED,
            EventKind.SHORTENING_SENT,
            EventKind.EXEMPTION_FILE_PREPARED,
            EventKind.EXEMPTED,
        ],
    ),
    (
        "Giảm án, tha tù trước thời hạn",
        [
            EventKind.REDUCTION_PROPOSED,
            EventKind.REDUCTION_GRANTED,
            EventKind.REDUCTION_SENT,
            EventKind.RELEASE_FILE_RECEIVED,
            EventKind.RELEASE_OPINION_GIVEN,
            EventKind.CONDITIONAL_RELEASE_GRANTED,
            EventKind.RELEASE_DECISION_SENT,
            EventKind.AMNESTY,
        ],
    ),
    (
        "Hình phạt bổ sung",
        [EventKind.SUPPLEMENTARY_FILE_RECEIVED, EventKind.SUPPLEMENTARY_FILE_OPENED],
    ),
    (
        "Kết thúc, chuyển hồ sơ",
        [
            EventKind.NEW_CRIME,
            EventKind.DEATH,
            EventKind.TERMINATION_DECISION_ISSUED,
            EventKind.TRANSFERRED_OUT,
            EventKind.TRANSFERRED_IN,
            EventKind.COMPLETED,
            EventKind.COMPLETION_CERTIFICATE_ISSUED,
            EventKind.COMPLETION_CERTIFICATE_RECEIVED,
            EventKind.EXECUTION_STARTED,
        ],
    ),
    ("Hoạt động của VKS", list(services.PROCURACY_ACTS)),
]

RECIPIENT_CHOICES = [
    ("", "—"),
    ("procuracy", "Viện kiểm sát"),
    ("convict", "Người bị kết án"),
    ("agency", "Cơ quan THAHS"),
    ("commune", "UBND cấp xã"),
]
# Events that may lie before the pronouncement (the law's facts of custody).
_EVENTS_BEFORE_JUDGMENT: set[str] = set()


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Sự kiện",
        choices=[("", "— Chọn sự kiện —")]
        + [
            (group, [(kind.value, kind.label) for kind in kinds])
            for group, kinds in EVENT_GROUPS
        ],
        error_messages={**REQUIRED, "invalid_choice": "Chọn sự kiện trong danh sách."},
    )
    date = DateField(label="Ngày")
    number = forms.CharField(label="Số văn bản", max_length=64, required=False)
    agency = GroupedAgencyField(
        label="Cơ quan",
        empty_label="— Không ghi —",
        required=False,
        error_messages={"invalid_choice": "Chọn cơ quan trong danh sách."},
    )
    recipient = forms.ChoiceField(
        label="Gửi cho",
        choices=RECIPIENT_CHOICES,
        required=False,
        help_text="Với sự kiện «Tòa án gửi QĐTHA».",
    )
    until = DateField(
        label="Đến ngày",
        required=False,
        allow_future=True,
        help_text="Với quyết định hoãn, tạm đình chỉ: ngày cuối cùng.",
    )
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *args, case=None, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        # The event being corrected, left out of the checks against the
        # case's other events.
        self.event = event

    @staticmethod
    def values_of(event: Event) -> dict:
        """The form's values for a recorded event (its details' dates as
        dates), to show it for correction or check it again."""
        details = event.details or {}
        until = details.get("until")
        try:
            until = dt.date.fromisoformat(until) if until else None
        except (TypeError, ValueError):
            until = None
        return {
            "kind": event.kind,
            "date": event.date,
            "number": event.number,
            "agency": event.agency_id,
            "recipient": details.get("recipient", ""),
            "until": until,
            "note": event.note,
        }

    def _other_events(self):
        events = self.case.events.all()
        if self.event is not None:
            events = events.exclude(pk=self.event.pk)
        return events

    def _check_death(self, kind: str, day) -> None:
        """Nothing happens to a dead convict but the termination of the
        execution (LTHAHS Art. 85(5), 97(5), 107(6))."""
        events = self._other_events()
        death = events.filter(kind=EventKind.DEATH).order_by("date").first()
        if (
            death is not None
            and kind not in services.AFTER_DEATH
            and (day > death.date or kind == EventKind.DEATH)
        ):
            if kind == EventKind.DEATH:
                message = (
                    f"Đã ghi người chấp hành án chết ngày {death.date:%d/%m/%Y}: "
                    "sửa sự kiện đó nếu ngày chưa đúng."
                )
            else:
                message = (
                    f"Người chấp hành án đã chết ngày {death.date:%d/%m/%Y}: chỉ "
                    "ghi được quyết định đình chỉ thi hành án (và hoạt động của "
                    "VKS) sau ngày này."
                )
            self.add_error("date" if kind != EventKind.DEATH else "kind", message)
            return
        if kind == EventKind.DEATH:
            later = (
                events.filter(date__gt=day)
                .exclude(kind__in=services.AFTER_DEATH)
                .order_by("date", "pk")
                .first()
            )
            if later is not None:
                self.add_error(
                    "date",
                    f"Hồ sơ đã có sự kiện sau ngày này ({later.get_kind_display()} "
                    f"ngày {later.date:%d/%m/%Y}): kiểm tra lại ngày chết, hoặc "
                    "sửa, xóa sự kiện ghi sai trước.",
                )

    def clean(self):
        data = super().clean()
        day = data.get("date")
        kind = data.get("kind")
        case = self.case
        if case and day and kind:
            self._check_death(kind, day)
        if case and day and kind not in _EVENTS_BEFORE_JUDGMENT:
            pronounced = case.judgment.pronounced_on
            if day < pronounced:
                self.add_error(
                    "date",
                    f"Ngày sự kiện không được trước ngày tuyên án "
                    f"({pronounced:%d/%m/%Y}).",
                )
        if case and day and kind:
            issued = self._other_events().filter(
                kind=EventKind.EXECUTION_DECISION_ISSUED
            )
            if kind == EventKind.EXECUTION_DECISION_ISSUED and not issued.exists():
                # The case's only QĐTHA: what follows it cannot come first.
                earlier = (
                    self._other_events()
                    .filter(kind__in=services.FOLLOWS_QDTHA, date__lt=day)
                    .order_by("date", "pk")
                    .first()
                )
                if earlier is not None:
                    self.add_error(
                        "date",
                        f"Hồ sơ đã ghi «{earlier.get_kind_display()}» ngày "
                        f"{earlier.date:%d/%m/%Y}, trước ngày này: QĐTHA phải có "
                        "trước khi được gửi, nhận, tống đạt.",
                    )
            if kind in services.FOLLOWS_QDTHA:
                first = issued.order_by("date").first()
                if first is None:
                    self.add_error(
                        "kind", "Chưa có QĐTHA: ghi sự kiện «Tòa án ra QĐTHA» trước."
                    )
                elif day < first.date:
                    self.add_error(
                        "date",
                        f"Ngày này trước ngày ra QĐTHA ({first.date:%d/%m/%Y}).",
                    )
        if kind in {EventKind.POSTPONEMENT_GRANTED, EventKind.SUSPENSION_GRANTED}:
            until = data.get("until")
            if not until:
                self.add_error("until", "Nhập ngày hết thời hạn hoãn / tạm đình chỉ.")
            elif day and until <= day:
                self.add_error("until", "Ngày hết hạn phải sau ngày ra quyết định.")
        if kind == EventKind.EXECUTION_DECISION_SENT and not data.get("recipient"):
            self.add_error("recipient", "Chọn nơi nhận QĐTHA.")
        agency = data.get("agency")
        if agency and day and not agency.valid_on(day):
            self.add_error(
                "agency",
                f"{agency.name} không hoạt động vào ngày {day:%d/%m/%Y}; chọn cơ quan "
                "kế thừa.",
            )
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        details = {}
        if data.get("recipient") and data["kind"] == EventKind.EXECUTION_DECISION_SENT:
            details["recipient"] = data["recipient"]
        if data.get("until") and data["kind"] in {
            EventKind.POSTPONEMENT_GRANTED,
            EventKind.SUSPENSION_GRANTED,
        }:
            details["until"] = data["until"].isoformat()
        return details


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[
            ("", "Tất cả"),
            ("open", "Đang thụ lý (chưa kết thúc)"),
            *CaseStatus.choices,
            ("problems", "Chưa tính được ngày (dữ liệu mâu thuẫn)"),
            ("cancelled", "Đã hủy số thụ lý"),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label="Hình phạt",
        choices=[("", "Tất cả"), *SentenceKind.choices],
        required=False,
    )
    prosecutor = forms.ModelChoiceField(
        label="Kiểm sát viên",
        queryset=User.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    unit = forms.ChoiceField(label="Đơn vị", required=False)
    order = forms.ChoiceField(
        label="Sắp xếp",
        choices=[
            ("name", "Theo tên"),
            ("register", "Theo số thụ lý (mới nhất trước)"),
            ("newest", "Mới nhất"),
        ],
        required=False,
    )

    def __init__(self, *args, prosecutors=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if prosecutors is not None:
            self.fields["prosecutor"].queryset = prosecutors
        self.fields["unit"].choices = [("", "Tất cả")] + [
            (str(unit.pk), unit.name) for unit in (units or [])
        ]


class CancelCaseForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy",
        max_length=300,
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"placeholder": "Ví dụ: vào sổ nhầm, trùng hồ sơ"}
        ),
    )


class ObligationsForm(forms.Form):
    """The convict's property obligations as the civil-judgment execution
    agency last reported them; review rounds name them as an obstacle."""

    obligations = forms.ChoiceField(
        label="Nghĩa vụ tài sản",
        choices=[("", "Chưa ghi nhận"), *Obligations.choices],
        required=False,
        help_text="Tiền phạt, án phí, bồi thường, theo thông tin của cơ quan thi "
        "hành án dân sự.",
    )
    obligations_on = DateField(label="Theo thông tin ngày", required=False)
    obligations_note = forms.CharField(
        label="Ghi chú",
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "Ví dụ: còn 5.000.000 đồng án phí, CV số 12/THADS"}
        ),
    )

    def clean(self):
        data = super().clean()
        state = data.get("obligations")
        if state and state != Obligations.NONE and not data.get("obligations_on"):
            self.add_error(
                "obligations_on",
                "Ghi ngày của thông tin (ngày công văn hoặc ngày xác minh).",
            )
        return data


class AssignForm(forms.Form):
    prosecutor = forms.ModelChoiceField(
        label="Kiểm sát viên được phân công",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Chưa phân công —",
        error_messages={"invalid_choice": "Chọn kiểm sát viên của đơn vị."},
    )

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["prosecutor"].queryset = colleagues


class CoverForm(forms.Form):
    absent = forms.ModelChoiceField(
        label="Kiểm sát viên vắng mặt",
        queryset=User.objects.none(),
        empty_label="— Chọn kiểm sát viên —",
        error_messages={**REQUIRED, "invalid_choice": "Chọn kiểm sát viên của đơn vị."},
    )
    cover = forms.ModelChoiceField(
        label="Người làm thay",
        queryset=User.objects.none(),
        empty_label="— Chọn người làm thay —",
        error_messages={**REQUIRED, "invalid_choice": "Chọn kiểm sát viên của đơn vị."},
    )
    start = DateField(label="Từ ngày", allow_future=True)
    end = DateField(label="Đến ngày", allow_future=True)

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            self.fields["absent"].queryset = colleagues
            self.fields["cover"].queryset = colleagues

    def clean(self):
        data = super().clean()
        absent, cover = data.get("absent"), data.get("cover")
        start, end = data.get("start"), data.get("end")
        if absent and absent == cover:
            self.add_error("cover", "Người làm thay phải là người khác.")
        if start and end and end < start:
            self.add_error("end", "Ngày kết thúc không được trước ngày bắt đầu.")
        elif end and end < timezone.localdate():
            # A cover only moves today's and later work lists.
            self.add_error(
                "end", "Thời gian vắng mặt đã qua: không cần phân công làm thay."
            )
        if absent and cover and start and end and absent != cover and end >= start:
            # A cover chain leaves cases with nobody: refuse the one that
            # would make it.
            overlapping = Cover.objects.filter(start__lte=end, end__gte=start)
            if other := overlapping.filter(absent=cover).first():
                self.add_error(
                    "cover",
                    f"{cover} vắng mặt từ {other.start:%d/%m/%Y} đến "
                    f"{other.end:%d/%m/%Y}: không thể làm thay.",
                )
            if other := overlapping.filter(cover=absent).first():
                self.add_error(
                    "absent",
                    f"{absent} đang làm thay {other.absent} từ "
                    f"{other.start:%d/%m/%Y} đến {other.end:%d/%m/%Y}: phân công "
                    f"người khác làm thay {other.absent} trước.",
                )
            if other := overlapping.filter(absent=absent).first():
                self.add_error(
                    "absent",
                    f"{absent} đã có {other.cover} làm thay từ "
                    f"{other.start:%d/%m/%Y} đến {other.end:%d/%m/%Y}.",
                )
        return data
