"""The ``sothuly/1`` interchange format: validate, import and export.

The contract is ``shared/domain/interchange.md``. A document is validated
as a whole before anything is written; every error carries its path
(``cases[3].events[1].date``) and a Vietnamese message, and an import with
any error writes nothing. Warnings (an unknown agency created on the fly,
an identity number that disagrees with the person, an entered legal-effect
date other than the proposed one, a court named outside its validity
dates, ...) are reported and do not stop the import.

Imports go through :mod:`cases.services`; exports recompute every
deadline in memory at the export's ``as_of`` with the same engine the
register uses, so that an export followed by an import into an empty unit
reproduces every case, event and computed date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from cases import services
from cases.models import (
    Agency,
    Crime,
    Custody,
    Event,
    EventKind,
    ExecutionCase,
    Instance,
    Judgment,
    RegisterSequence,
    SentenceCrime,
    SentenceKind,
    Sex,
    SupplementaryKind,
    SupplementaryPenalty,
    Unit,
    User,
)

FORMAT = "sothuly/1"

# Keys of each object of the document (interchange.md, "Document").
DOCUMENT_KEYS = {"format", "unit", "as_of", "cases"}
CASE_KEYS = {
    "ref",
    "register",
    "judgment",
    "person",
    "custody",
    "sentence",
    "events",
    # export: computed by the product, ignored on import
    "deadlines",
    "eligibility",
    "violations",
}
REGISTER_KEYS = {"number", "date", "prosecutor"}
JUDGMENT_KEYS = {
    "number",
    "court",
    "instance",
    "pronounced_on",
    "effective_on",
    "first_instance",
}
FIRST_INSTANCE_KEYS = {"number", "court", "pronounced_on"}
PERSON_KEYS = {"full_name", "birth_date", "birth_year", "sex", "id_number", "residence"}
CUSTODY_KEYS = {"at_judgment", "detention"}
DETENTION_KEYS = {"from", "to"}
SENTENCE_KEYS = {"kind", "term", "probation", "fine", "crimes", "supplementary"}
TERM_KEYS = {"years", "months", "days"}
CRIME_KEYS = {"article", "clause", "name"}
SUPPLEMENTARY_KEYS = {"kind", "term", "fine"}
EVENT_KEYS = {"kind", "date", "number", "agency", "details"}

RECIPIENTS = ("procuracy", "convict", "agency", "commune")
OUTCOMES = ("accepted", "partly", "rejected")
CANCELLATION_OF = ("postponement", "suspension")
# Supplementary penalties with a term (the others have a fine or nothing).
SUPPLEMENTARY_WITH_TERM = {
    SupplementaryKind.RESIDENCE_BAN,
    SupplementaryKind.PROBATION_CONTROL,
    SupplementaryKind.RIGHTS_DEPRIVATION,
    SupplementaryKind.JOB_BAN,
}

# details keys each event kind may carry (interchange.md, event table), and
# how each value is read.
_DETAIL_KEYS: dict[str, set[str]] = {
    EventKind.ENTRUSTMENT_ISSUED: {"to_court"},
    EventKind.EXECUTION_DECISION_SENT: {"recipient"},
    EventKind.POSTPONEMENT_REQUESTED: {"ground"},
    EventKind.POSTPONEMENT_GRANTED: {"until"},
    EventKind.CANCELLATION_PROPOSED: {"of"},
    EventKind.SUSPENSION_GRANTED: {"from", "until"},
    EventKind.SUSPENSION_REFUSED: {"from", "until"},
    EventKind.BREACH_RECORDED: {"second"},
    EventKind.PROBATION_SHORTENED: {"by"},
    EventKind.REDUCTION_GRANTED: {"by"},
    EventKind.TRANSFERRED_OUT: {"unit"},
    EventKind.TRANSFERRED_IN: {"unit"},
    EventKind.REQUEST_ISSUED: {"rule", "self_inspection"},
    EventKind.RECOMMENDATION_ISSUED: {"agency", "received_on"},
    EventKind.PROTEST_ISSUED: {"agency", "received_on"},
    EventKind.RECOMMENDATION_ANSWERED: {"outcome"},
    EventKind.PROTEST_ANSWERED: {"outcome"},
}
_DETAIL_DATES = {"until", "from", "received_on"}
_DETAIL_FLAGS = {"second", "self_inspection"}
_DETAIL_TEXTS = {"to_court", "ground", "of", "unit", "rule", "agency"}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AUTO_NUMBER = re.compile(r"^(\d+)/(\d{4})$")

# Column widths of the models, so that a long value is an error here and
# not a database failure half-way through an import.
_MAX = {
    "register_number": 32,
    "judgment_number": 64,
    "agency": 255,
    "full_name": 150,
    "id_number": 20,
    "residence": 300,
    "clause": 8,
    "event_number": 64,
}


# Report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """An error or a warning, at a path of the document."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass
class Report:
    """What a validation or an import found and did."""

    unit_code: str | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    imported: int = 0
    updated: int = 0
    agencies_created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(Issue(path, message))

    def warning(self, path: str, message: str) -> None:
        self.warnings.append(Issue(path, message))


# Parsed document --------------------------------------------------------------


@dataclass
class _Term:
    years: int = 0
    months: int = 0
    days: int = 0

    @property
    def is_zero(self) -> bool:
        return not (self.years or self.months or self.days)


@dataclass
class _Event:
    path: str
    kind: str
    date: dt.date
    number: str
    agency: str
    details: dict


@dataclass
class _Manual:
    """A violation a prosecutor recorded by hand (``source: "manual"``)."""

    path: str
    rule: str
    agency: str
    title: str
    article: str
    description: str
    found_on: dt.date | None
    due: dt.date | None
    done: dt.date | None


@dataclass
class _Supplementary:
    kind: str
    term: _Term
    fine: int | None


@dataclass
class _Case:
    """One case of the document, read into Python values."""

    index: int
    path: str
    ref: str = ""
    register_number: str = ""
    register_date: dt.date | None = None
    prosecutor: str = ""
    judgment_number: str = ""
    court: str = ""
    instance: str = ""
    pronounced_on: dt.date | None = None
    effective_on: dt.date | None = None
    first_instance_number: str = ""
    first_instance_court: str = ""
    first_instance_pronounced_on: dt.date | None = None
    full_name: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: str = ""
    id_number: str = ""
    residence: str = ""
    custody: str = Custody.AT_LIBERTY
    detention: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    kind: str = ""
    term: _Term = field(default_factory=_Term)
    probation: _Term = field(default_factory=_Term)
    fine: int | None = None
    crimes: list[tuple[str, str]] = field(default_factory=list)
    supplementary: list[_Supplementary] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    manual: list[_Manual] = field(default_factory=list)
    # The existing case this one updates (``update=True``).
    existing: ExecutionCase | None = None


@dataclass
class _Plan:
    unit_code: str | None
    unit: Unit | None
    cases: list[_Case]
    # agency name -> (first path naming it, guessed kind) for unknown names
    new_agencies: dict[str, tuple[str, str]]
    agencies: dict[str, Agency]
    prosecutors: dict[str, User]


# Reading values ---------------------------------------------------------------


def _choices_text(values) -> str:
    return ", ".join(str(value) for value in values)


class _Reader:
    """Reads values of the document, reporting what is wrong at its path."""

    def __init__(self, report: Report):
        self.report = report

    def error(self, path: str, message: str) -> None:
        self.report.error(path, message)

    def object(
        self,
        value: Any,
        path: str,
        allowed: set[str],
        required: tuple[str, ...] = (),
    ) -> dict | None:
        """A JSON object with only ``allowed`` keys and every ``required``
        one (a null value counts as missing)."""
        if not isinstance(value, dict):
            self.error(path, "Phải là một đối tượng JSON ({...}).")
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    f"{path}.{key}" if path else str(key),
                    f"Khóa «{key}» không có trong định dạng {FORMAT}.",
                )
        for key in required:
            if value.get(key) is None:
                self.error(f"{path}.{key}" if path else key, "Thiếu trường bắt buộc.")
        return value

    def list(self, value: Any, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, "Phải là một danh sách JSON ([...]).")
            return []
        return value

    def text(self, value: Any, path: str, max_length: int | None = None) -> str:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(path, "Phải là một chuỗi ký tự.")
            return ""
        text = str(value).strip()
        if max_length is not None and len(text) > max_length:
            self.error(path, f"Dài quá {max_length} ký tự.")
        return text

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(path, f"Ngày «{value}» không hợp lệ (định dạng YYYY-MM-DD).")
        return None

    def choice(self, value: Any, path: str, choices, label: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or value not in choices:
            self.error(
                path,
                f"Giá trị «{value}» không có trong danh mục {label} "
                f"({_choices_text(choices)}).",
            )
            return ""
        return value

    def integer(self, value: Any, path: str, minimum: int = 0) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(path, f"Phải là một số nguyên không nhỏ hơn {minimum}.")
            return None
        return value

    def term(self, value: Any, path: str) -> _Term | None:
        if value is None:
            return None
        data = self.object(value, path, TERM_KEYS)
        if data is None:
            return None
        parts = [
            self.integer(data.get(key), f"{path}.{key}") or 0
            for key in ("years", "months", "days")
        ]
        return _Term(*parts)


# Agencies ---------------------------------------------------------------------


def guess_agency_kind(name: str) -> str:
    """The kind of a body from its name, for one created by an import."""
    lower = name.lower()
    if "tòa án" in lower:
        return Agency.Kind.COURT
    if "trại tạm giam" in lower:
        return Agency.Kind.DETENTION_CENTRE
    if "trại" in lower:
        return Agency.Kind.PRISON
    if "cơ quan thi hành án" in lower or "thahs" in lower:
        return Agency.Kind.EXECUTION_AGENCY
    if "ubnd" in lower or "ủy ban nhân dân" in lower:
        return Agency.Kind.COMMUNE
    if re.search(r"công an (xã|phường|thị trấn|đặc khu)", lower):
        return Agency.Kind.COMMUNE_POLICE
    return Agency.Kind.OTHER


# Identity numbers ---------------------------------------------------------------


def id_digit_problem(id_number: str, sex: str, birth_year: int | None) -> str:
    """Why a 12-digit identity number's 4th digit (century and sex: 0 male
    1900s, 1 female 1900s, 2 male 2000s, 3 female 2000s, ...) disagrees
    with the person; empty when it agrees or cannot be checked."""
    if len(id_number) != 12 or not id_number.isdigit():
        return ""
    digit = int(id_number[3])
    digit_sex = Sex.MALE if digit % 2 == 0 else Sex.FEMALE
    century = 1900 + 100 * (digit // 2)
    problems = []
    if sex in (Sex.MALE, Sex.FEMALE) and digit_sex != sex:
        problems.append(
            f"chữ số thứ 4 ({digit}) là của người {Sex(digit_sex).label.lower()}, "
            f"hồ sơ ghi giới tính {Sex(sex).label.lower()}"
        )
    if birth_year and not century <= birth_year < century + 100:
        problems.append(
            f"chữ số thứ 4 ({digit}) chỉ người sinh năm {century}-{century + 99}, "
            f"hồ sơ ghi năm sinh {birth_year}"
        )
    if not problems:
        return ""
    return f"Số định danh {id_number}: " + "; ".join(problems) + "."


# Validation ---------------------------------------------------------------------


def _resolve_unit_code(doc: Any, unit_code: str | None, report: Report) -> str | None:
    document_unit = doc.get("unit") if isinstance(doc, dict) else None
    if document_unit is not None and not isinstance(document_unit, str):
        report.error("unit", "Phải là một chuỗi ký tự (mã đơn vị).")
        document_unit = None
    if unit_code and document_unit and unit_code != document_unit:
        report.warning(
            "unit",
            f"Tệp ghi đơn vị «{document_unit}», nhưng lệnh chỉ định --unit "
            f"«{unit_code}»: nhập vào đơn vị «{unit_code}».",
        )
    code = unit_code or document_unit
    if not code:
        report.error("unit", "Không rõ đơn vị nhận: thiếu «unit» trong tệp và --unit.")
    return code or None


def _read_case(reader: _Reader, raw: Any, index: int) -> _Case | None:
    path = f"cases[{index}]"
    data = reader.object(
        raw,
        path,
        CASE_KEYS,
        required=("ref", "judgment", "person", "sentence", "events"),
    )
    if data is None:
        return None
    case = _Case(index=index, path=path)
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str) or not ref.strip()):
        reader.error(f"{path}.ref", "Phải là một chuỗi ký tự khác rỗng.")
    else:
        case.ref = (ref or "").strip()

    register = data.get("register")
    if register is not None:
        register = reader.object(register, f"{path}.register", REGISTER_KEYS) or {}
        case.register_number = reader.text(
            register.get("number"),
            f"{path}.register.number",
            _MAX["register_number"],
        )
        case.register_date = reader.date(register.get("date"), f"{path}.register.date")
        case.prosecutor = reader.text(
            register.get("prosecutor"), f"{path}.register.prosecutor"
        )

    _read_judgment(reader, data.get("judgment"), case)
    _read_person(reader, data.get("person"), case)
    _read_custody(reader, data.get("custody"), case)
    _read_sentence(reader, data.get("sentence"), case)
    for number, event in enumerate(reader.list(data.get("events"), f"{path}.events")):
        parsed = _read_event(reader, event, f"{path}.events[{number}]")
        if parsed is not None:
            case.events.append(parsed)

    # Export-only fields: ignored, except what they cannot silently drop.
    reader.list(data.get("deadlines"), f"{path}.deadlines")
    reader.list(data.get("eligibility"), f"{path}.eligibility")
    for number, violation in enumerate(
        reader.list(data.get("violations"), f"{path}.violations")
    ):
        where = f"{path}.violations[{number}]"
        if not isinstance(violation, dict):
            reader.error(where, "Phải là một đối tượng JSON ({...}).")
            continue
        source = reader.choice(
            violation.get("source"),
            f"{where}.source",
            ("automatic", "manual"),
            "nguồn vi phạm",
        )
        if source == "manual":
            manual = _read_manual(reader, violation, where)
            if manual is not None:
                case.manual.append(manual)
    return case


MANUAL_KEYS = {"rule", "agency", "due", "done", "late_days", "source", "details"}
MANUAL_DETAILS = {"title", "description", "article", "found_on"}


def _read_manual(reader: _Reader, raw: dict, path: str) -> _Manual | None:
    """A manual violation; automatic ones are recomputed, never read."""
    data = reader.object(raw, path, MANUAL_KEYS, required=("agency", "details"))
    if data is None:
        return None
    details = reader.object(
        data.get("details"), f"{path}.details", MANUAL_DETAILS, required=("article",)
    )
    if details is None:
        return None
    agency = reader.text(data.get("agency"), f"{path}.agency", _MAX["agency"])
    article = reader.text(details.get("article"), f"{path}.details.article", 300)
    description = reader.text(
        details.get("description"), f"{path}.details.description", 4000
    )
    title = reader.text(details.get("title"), f"{path}.details.title", 300)
    due = reader.date(data.get("due"), f"{path}.due")
    done = reader.date(data.get("done"), f"{path}.done")
    found_on = reader.date(details.get("found_on"), f"{path}.details.found_on")
    if not agency or not article:
        return None
    return _Manual(
        path=path,
        rule=reader.text(data.get("rule"), f"{path}.rule", 8).upper(),
        agency=agency,
        title=title
        or (description.splitlines()[0][:300] if description else "")
        or "Vi phạm do kiểm sát viên phát hiện",
        article=article,
        description=description,
        found_on=found_on,
        due=due,
        done=done,
    )


def _read_judgment(reader: _Reader, raw: Any, case: _Case) -> None:
    path = f"{case.path}.judgment"
    if raw is None:
        return
    data = reader.object(
        raw,
        path,
        JUDGMENT_KEYS,
        required=("number", "court", "instance", "pronounced_on"),
    )
    if data is None:
        return
    case.judgment_number = reader.text(
        data.get("number"), f"{path}.number", _MAX["judgment_number"]
    )
    case.court = reader.text(data.get("court"), f"{path}.court", _MAX["agency"])
    case.instance = reader.choice(
        data.get("instance"), f"{path}.instance", Instance.values, "cấp xét xử"
    )
    case.pronounced_on = reader.date(data.get("pronounced_on"), f"{path}.pronounced_on")
    case.effective_on = reader.date(data.get("effective_on"), f"{path}.effective_on")
    first = data.get("first_instance")
    if first is None:
        if case.instance and case.instance != Instance.FIRST:
            reader.report.warning(
                f"{path}.first_instance",
                "Bản án, quyết định không phải sơ thẩm nhưng thiếu bản án sơ thẩm "
                "(first_instance): không xác định được Tòa án phải ra QĐTHA.",
            )
        return
    where = f"{path}.first_instance"
    if case.instance == Instance.FIRST:
        reader.error(where, "Bản án sơ thẩm không có bản án sơ thẩm gốc (để null).")
        return
    first = reader.object(first, where, FIRST_INSTANCE_KEYS)
    if first is None:
        return
    case.first_instance_number = reader.text(
        first.get("number"), f"{where}.number", _MAX["judgment_number"]
    )
    case.first_instance_court = reader.text(
        first.get("court"), f"{where}.court", _MAX["agency"]
    )
    case.first_instance_pronounced_on = reader.date(
        first.get("pronounced_on"), f"{where}.pronounced_on"
    )


def _read_person(reader: _Reader, raw: Any, case: _Case) -> None:
    path = f"{case.path}.person"
    if raw is None:
        return
    data = reader.object(raw, path, PERSON_KEYS, required=("full_name", "sex"))
    if data is None:
        return
    case.full_name = " ".join(
        reader.text(data.get("full_name"), f"{path}.full_name").split()
    )
    if len(case.full_name) > _MAX["full_name"]:
        reader.error(f"{path}.full_name", f"Dài quá {_MAX['full_name']} ký tự.")
    case.sex = reader.choice(data.get("sex"), f"{path}.sex", Sex.values, "giới tính")
    case.birth_date = reader.date(data.get("birth_date"), f"{path}.birth_date")
    case.birth_year = reader.integer(data.get("birth_year"), f"{path}.birth_year", 1)
    if data.get("birth_date") is None and data.get("birth_year") is None:
        reader.error(
            f"{path}.birth_date", "Thiếu ngày sinh (birth_date) hoặc năm sinh."
        )
    if case.birth_date and case.birth_year and case.birth_date.year != case.birth_year:
        reader.error(
            f"{path}.birth_year",
            f"Năm sinh {case.birth_year} khác năm của ngày sinh "
            f"{case.birth_date:%d/%m/%Y}.",
        )
    case.id_number = reader.text(
        data.get("id_number"), f"{path}.id_number", _MAX["id_number"]
    )
    case.residence = reader.text(
        data.get("residence"), f"{path}.residence", _MAX["residence"]
    )
    if case.id_number and not (
        case.id_number.isdigit() and len(case.id_number) in (9, 12)
    ):
        reader.report.warning(
            f"{path}.id_number",
            f"Số định danh «{case.id_number}» không gồm 12 chữ số (hoặc CMND cũ "
            "9 chữ số).",
        )
    problem = id_digit_problem(
        case.id_number,
        case.sex,
        case.birth_date.year if case.birth_date else case.birth_year,
    )
    if problem:
        reader.report.warning(f"{path}.id_number", problem)


def _read_custody(reader: _Reader, raw: Any, case: _Case) -> None:
    path = f"{case.path}.custody"
    if raw is None:
        return
    data = reader.object(raw, path, CUSTODY_KEYS)
    if data is None:
        return
    case.custody = (
        reader.choice(
            data.get("at_judgment"),
            f"{path}.at_judgment",
            Custody.values,
            "tình trạng khi xét xử",
        )
        or Custody.AT_LIBERTY
    )
    for number, period in enumerate(
        reader.list(data.get("detention"), f"{path}.detention")
    ):
        where = f"{path}.detention[{number}]"
        item = reader.object(period, where, DETENTION_KEYS, required=("from",))
        if item is None:
            continue
        start = reader.date(item.get("from"), f"{where}.from")
        end = reader.date(item.get("to"), f"{where}.to")
        if start is not None:
            case.detention.append((start, end))


def _read_sentence(reader: _Reader, raw: Any, case: _Case) -> None:
    path = f"{case.path}.sentence"
    if raw is None:
        return
    data = reader.object(raw, path, SENTENCE_KEYS, required=("kind",))
    if data is None:
        return
    kind = reader.choice(
        data.get("kind"), f"{path}.kind", SentenceKind.values, "loại hình phạt"
    )
    case.kind = kind
    label = SentenceKind(kind).label if kind else ""
    term = reader.term(data.get("term"), f"{path}.term")
    if kind in SentenceKind.with_term():
        if term is None:
            if data.get("term") is None:
                reader.error(f"{path}.term", f"Thiếu thời hạn của hình phạt {label}.")
        elif term.is_zero:
            reader.error(f"{path}.term", "Mức án phải lớn hơn 0.")
        else:
            case.term = term
    elif kind and term is not None and not term.is_zero:
        reader.error(f"{path}.term", f"Hình phạt {label} không có thời hạn (để null).")

    probation = reader.term(data.get("probation"), f"{path}.probation")
    if kind == SentenceKind.SUSPENDED:
        if probation is None or probation.is_zero:
            reader.report.warning(
                f"{path}.probation",
                "Án treo chưa có thời gian thử thách: không tính được ngày hết "
                "thử thách và ngày xét rút ngắn.",
            )
        else:
            case.probation = probation
    elif kind and probation is not None and not probation.is_zero:
        reader.error(f"{path}.probation", "Chỉ án treo mới có thời gian thử thách.")

    case.fine = reader.integer(data.get("fine"), f"{path}.fine")

    for number, crime in enumerate(reader.list(data.get("crimes"), f"{path}.crimes")):
        where = f"{path}.crimes[{number}]"
        item = reader.object(crime, where, CRIME_KEYS, required=("article",))
        if item is None:
            continue
        article = reader.text(item.get("article"), f"{where}.article")
        clause = reader.text(item.get("clause"), f"{where}.clause", _MAX["clause"])
        reader.text(item.get("name"), f"{where}.name")
        if article:
            case.crimes.append((article, clause))

    for number, penalty in enumerate(
        reader.list(data.get("supplementary"), f"{path}.supplementary")
    ):
        where = f"{path}.supplementary[{number}]"
        item = reader.object(penalty, where, SUPPLEMENTARY_KEYS, required=("kind",))
        if item is None:
            continue
        extra = reader.choice(
            item.get("kind"),
            f"{where}.kind",
            SupplementaryKind.values,
            "hình phạt bổ sung",
        )
        extra_term = reader.term(item.get("term"), f"{where}.term")
        fine = reader.integer(item.get("fine"), f"{where}.fine")
        if not extra:
            continue
        extra_label = SupplementaryKind(extra).label
        if extra in SUPPLEMENTARY_WITH_TERM:
            if item.get("term") is None:
                reader.error(
                    f"{where}.term", f"Thiếu thời hạn của hình phạt {extra_label}."
                )
        elif extra_term is not None and not extra_term.is_zero:
            reader.error(f"{where}.term", f"Hình phạt {extra_label} không có thời hạn.")
        case.supplementary.append(_Supplementary(extra, extra_term or _Term(), fine))


def _read_event(reader: _Reader, raw: Any, path: str) -> _Event | None:
    data = reader.object(raw, path, EVENT_KEYS, required=("kind", "date"))
    if data is None:
        return None
    kind = reader.choice(
        data.get("kind"), f"{path}.kind", EventKind.values, "loại sự kiện"
    )
    day = reader.date(data.get("date"), f"{path}.date")
    number = reader.text(data.get("number"), f"{path}.number", _MAX["event_number"])
    agency = reader.text(data.get("agency"), f"{path}.agency", _MAX["agency"])
    details = data.get("details")
    if details is None:
        details = {}
    elif not isinstance(details, dict):
        reader.error(f"{path}.details", "Phải là một đối tượng JSON ({...}).")
        details = {}
    allowed = _DETAIL_KEYS.get(kind, set())
    for key, value in details.items():
        where = f"{path}.details.{key}"
        if kind and key not in allowed:
            reader.error(
                where,
                f"Sự kiện «{kind}» không có chi tiết «{key}»"
                + (
                    f" (chỉ nhận: {_choices_text(sorted(allowed))})."
                    if allowed
                    else "."
                ),
            )
        elif key in _DETAIL_DATES:
            reader.date(value, where)
        elif key in _DETAIL_FLAGS:
            if not isinstance(value, bool):
                reader.error(where, "Phải là true hoặc false.")
        elif key == "recipient":
            reader.choice(value, where, RECIPIENTS, "nơi nhận QĐTHA")
        elif key == "outcome":
            reader.choice(value, where, OUTCOMES, "kết quả trả lời")
        elif key == "by":
            if value is None:
                reader.error(where, "Thiếu thời hạn được giảm, rút ngắn.")
            else:
                reader.term(value, where)
        elif key in _DETAIL_TEXTS:
            if not isinstance(value, str):
                reader.error(where, "Phải là một chuỗi ký tự.")
            elif key == "of" and value not in CANCELLATION_OF:
                reader.report.warning(
                    where,
                    f"Giá trị «{value}» không phải {_choices_text(CANCELLATION_OF)}: "
                    "không xác định được thời hạn B8a/C5.",
                )
    if not kind or day is None:
        return None
    return _Event(path, kind, day, number, agency, dict(details))


def _check_against_register(
    reader: _Reader,
    cases: list[_Case],
    unit: Unit | None,
    update: bool,
) -> tuple[dict[str, tuple[str, str]], dict[str, Agency], dict[str, User]]:
    """The checks that need the database: crimes, agencies, prosecutors,
    duplicates of the unit's cases and register numbers, legal effect."""
    report = reader.report

    # Penal Code articles.
    articles = {article for case in cases for article, _ in case.crimes}
    known_articles = set(
        Crime.objects.filter(article__in=articles).values_list("article", flat=True)
    )
    for case in cases:
        for number, (article, _) in enumerate(case.crimes):
            if article not in known_articles:
                report.error(
                    f"{case.path}.sentence.crimes[{number}].article",
                    f"Điều {article} không có trong danh mục tội danh của BLHS.",
                )

    # Agencies: every name, where first met.
    named: dict[str, str] = {}
    for case in cases:
        for name, where in (
            (case.court, f"{case.path}.judgment.court"),
            (
                case.first_instance_court,
                f"{case.path}.judgment.first_instance.court",
            ),
            *((event.agency, f"{event.path}.agency") for event in case.events),
            *((item.agency, f"{item.path}.agency") for item in case.manual),
        ):
            if name:
                named.setdefault(name, where)
    agencies = {agency.name: agency for agency in Agency.objects.filter(name__in=named)}
    new_agencies = {}
    for name, where in named.items():
        if name not in agencies:
            kind = guess_agency_kind(name)
            new_agencies[name] = (where, kind)
            report.warning(
                where,
                f"Cơ quan «{name}» chưa có trong danh mục: sẽ được tạo mới với loại "
                f"«{Agency.Kind(kind).label}».",
            )

    # Courts named outside their validity dates.
    for case in cases:
        for name, day, where in (
            (case.court, case.pronounced_on, f"{case.path}.judgment.court"),
            (
                case.first_instance_court,
                case.first_instance_pronounced_on,
                f"{case.path}.judgment.first_instance.court",
            ),
        ):
            agency = agencies.get(name)
            if agency is not None and day is not None and not agency.valid_on(day):
                report.warning(
                    where,
                    f"«{name}» không có tên này vào ngày {day:%d/%m/%Y} (hiệu lực "
                    f"{_validity(agency)}).",
                )

    # Legal effect: the entered date against the proposed one.
    _check_legal_effect(report, cases)

    # Prosecutors of the unit.
    usernames = {case.prosecutor for case in cases if case.prosecutor}
    prosecutors = {}
    if usernames and unit is not None:
        prosecutors = {
            user.username: user
            for user in User.objects.filter(username__in=usernames, unit=unit)
        }
    for case in cases:
        if case.prosecutor and case.prosecutor not in prosecutors:
            report.warning(
                f"{case.path}.register.prosecutor",
                f"Không có tài khoản «{case.prosecutor}» trong đơn vị nhận: hồ sơ "
                "được nhập chưa phân công kiểm sát viên.",
            )

    _check_duplicates(report, cases, unit, update)
    return new_agencies, agencies, prosecutors


def _validity(agency: Agency) -> str:
    start = f"{agency.valid_from:%d/%m/%Y}" if agency.valid_from else "…"
    end = f"{agency.valid_to:%d/%m/%Y}" if agency.valid_to else "nay"
    return f"{start} – {end}"


def _check_legal_effect(report: Report, cases: list[_Case]) -> None:
    from monitoring import engine, rulebook
    from monitoring.calendar import get_calendar
    from monitoring.rules import get_rule_sets

    checked = [
        case
        for case in cases
        if case.instance == Instance.FIRST and case.effective_on and case.pronounced_on
    ]
    if not checked:
        return
    cal, rule_sets = get_calendar(), get_rule_sets()
    for case in checked:
        window = rulebook.set_in_force(
            rule_sets, case.pronounced_on
        ).legal_effect_window_days
        proposed = engine.propose_legal_effect(case.pronounced_on, cal, window).date
        if proposed != case.effective_on:
            report.warning(
                f"{case.path}.judgment.effective_on",
                f"Ngày có hiệu lực pháp luật {case.effective_on:%d/%m/%Y} khác ngày "
                f"hệ thống đề xuất {proposed:%d/%m/%Y} (tuyên án "
                f"{case.pronounced_on:%d/%m/%Y}, thời hạn kháng nghị {window} ngày).",
            )


def _check_duplicates(
    report: Report, cases: list[_Case], unit: Unit | None, update: bool
) -> None:
    # refs and register numbers unique in the document
    seen_refs: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    seen_people: dict[tuple[str, str], int] = {}
    for case in cases:
        if case.ref:
            if case.ref in seen_refs:
                report.error(
                    f"{case.path}.ref",
                    f"Mã «{case.ref}» trùng với cases[{seen_refs[case.ref]}].",
                )
            seen_refs.setdefault(case.ref, case.index)
        if case.register_number:
            if case.register_number in seen_numbers:
                report.error(
                    f"{case.path}.register.number",
                    f"Số thụ lý «{case.register_number}» trùng với "
                    f"cases[{seen_numbers[case.register_number]}].",
                )
            seen_numbers.setdefault(case.register_number, case.index)
        if case.judgment_number and case.id_number:
            key = (case.judgment_number, case.id_number)
            if key in seen_people:
                report.error(
                    f"{case.path}.person.id_number",
                    f"Người có số định danh {case.id_number} đã có trong "
                    f"cases[{seen_people[key]}] với cùng bản án "
                    f"{case.judgment_number}.",
                )
            seen_people.setdefault(key, case.index)

    if unit is None:
        return
    existing = defaultdict(list)
    for register_case in (
        ExecutionCase.objects.filter(
            unit=unit,
            cancelled_on__isnull=True,
            judgment__number__in={case.judgment_number for case in cases},
        )
        .exclude(person__id_number="")
        .select_related("judgment", "person")
    ):
        key = (register_case.judgment.number, register_case.person.id_number)
        existing[key].append(register_case)
    numbers = set(
        ExecutionCase.objects.filter(
            unit=unit, register_number__in=seen_numbers
        ).values_list("register_number", flat=True)
    )
    for case in cases:
        matches = existing.get((case.judgment_number, case.id_number), [])
        if case.id_number and matches:
            found = ", ".join(match.register_number for match in matches)
            if not update:
                report.error(
                    case.path,
                    f"Hồ sơ của bản án {case.judgment_number}, số định danh "
                    f"{case.id_number} đã có trong đơn vị (số thụ lý {found}); "
                    "dùng --update để thay thế các sự kiện của hồ sơ đó.",
                )
            elif len(matches) > 1:
                report.error(
                    case.path,
                    f"Có nhiều hồ sơ cùng bản án {case.judgment_number}, số định "
                    f"danh {case.id_number} (số thụ lý {found}): không xác định "
                    "được hồ sơ cần cập nhật.",
                )
            else:
                case.existing = matches[0]
            continue
        if case.register_number in numbers:
            report.error(
                f"{case.path}.register.number",
                f"Số thụ lý «{case.register_number}» đã được dùng trong đơn vị.",
            )


def _plan(
    doc: Any,
    *,
    unit_code: str | None,
    create_unit: bool,
    update: bool,
    report: Report,
) -> _Plan:
    reader = _Reader(report)
    code = _resolve_unit_code(doc, unit_code, report)
    report.unit_code = code
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None and not create_unit:
        report.error(
            "unit",
            f"Không có đơn vị mã «{code}» (dùng --create-unit để tạo đơn vị mới).",
        )
    data = reader.object(doc, "", DOCUMENT_KEYS, required=("format", "cases"))
    cases: list[_Case] = []
    if data is None:
        return _Plan(code, unit, cases, {}, {}, {})
    if data.get("format") is not None and data.get("format") != FORMAT:
        report.error(
            "format", f"Định dạng «{data.get('format')}» không phải «{FORMAT}»."
        )
    reader.date(data.get("as_of"), "as_of")
    for index, raw in enumerate(reader.list(data.get("cases"), "cases")):
        case = _read_case(reader, raw, index)
        if case is not None:
            cases.append(case)
    new_agencies, agencies, prosecutors = _check_against_register(
        reader, cases, unit, update
    )
    return _Plan(code, unit, cases, new_agencies, agencies, prosecutors)


def validate_document(
    doc: Any,
    *,
    unit_code: str | None = None,
    create_unit: bool = False,
    update: bool = False,
) -> Report:
    """Check a whole document without writing anything.

    ``unit_code`` is the ``--unit`` of the command (it wins over the
    document's ``unit``). Every error and warning is in the report.
    """
    report = Report()
    _plan(
        doc, unit_code=unit_code, create_unit=create_unit, update=update, report=report
    )
    return report


# Import -------------------------------------------------------------------------


class _Abort(Exception):
    """Rolls the import's transaction back."""


def import_document(
    doc: Any,
    *,
    unit_code: str | None = None,
    create_unit: bool = False,
    update: bool = False,
) -> Report:
    """Validate, then import every case of the document, or nothing.

    With ``update``, a case whose judgment number and identity number match
    a case of the unit replaces that case's events (the rest of the existing
    case is kept); without it such a case is an error.
    """
    report = Report()
    try:
        with transaction.atomic():
            plan = _plan(
                doc,
                unit_code=unit_code,
                create_unit=create_unit,
                update=update,
                report=report,
            )
            if report.errors:
                raise _Abort
            _write(plan, report)
            if report.errors:
                raise _Abort
    except _Abort:
        report.imported = report.updated = 0
        report.agencies_created = []
    return report


def _write(plan: _Plan, report: Report) -> None:
    unit = plan.unit
    if unit is None:
        unit = Unit.objects.create(
            code=plan.unit_code, name=plan.unit_code, level=Unit.Level.REGIONAL
        )
    agencies = dict(plan.agencies)
    for name, (_, kind) in plan.new_agencies.items():
        agencies[name] = Agency.objects.create(kind=kind, name=name, province=unit)
        report.agencies_created.append(name)

    _reserve_register_numbers(unit, plan.cases)
    judgments: dict[tuple, Judgment] = {}
    for case in plan.cases:
        try:
            with transaction.atomic():
                if case.existing is not None:
                    _replace_events(case, agencies)
                    written = case.existing
                    report.updated += 1
                else:
                    written = _create_case(
                        unit, case, agencies, judgments, plan, report
                    )
                    report.imported += 1
                services.recompute_case(written)
        except (IntegrityError, ValueError) as error:
            report.error(case.path, f"Không ghi được hồ sơ: {error}")
            continue
        for problem in written.problems:
            report.warning(
                case.path,
                "Dữ liệu mâu thuẫn, hệ thống chưa tính thời hạn: "
                f"{problem.get('message', '')}",
            )


def _reserve_register_numbers(unit: Unit, cases: list[_Case]) -> None:
    """Move each year's sequence past the imported numbers of the form
    ``N/YYYY``, so that numbers given later by the product never collide
    with imported ones."""
    highest: dict[int, int] = {}
    for case in cases:
        match = _AUTO_NUMBER.match(case.register_number)
        if case.existing is None and match:
            year, seq = int(match[2]), int(match[1])
            highest[year] = max(highest.get(year, 0), seq)
    for year, seq in highest.items():
        sequence, _ = RegisterSequence.objects.select_for_update().get_or_create(
            unit=unit, year=year
        )
        if sequence.last_number < seq:
            sequence.last_number = seq
            sequence.save(update_fields=["last_number"])


def _judgment_key(case: _Case, agencies: dict[str, Agency]) -> tuple:
    first_court = agencies.get(case.first_instance_court)
    return (
        case.judgment_number,
        agencies[case.court].pk,
        case.instance,
        case.pronounced_on,
        case.effective_on,
        case.first_instance_number,
        first_court.pk if first_court else None,
        case.first_instance_pronounced_on,
    )


def _judgment_for(
    unit: Unit,
    case: _Case,
    agencies: dict[str, Agency],
    judgments: dict[tuple, Judgment],
    report: Report,
) -> Judgment:
    """The unit's judgment with this number and court (several convicts of
    one judgment arrive as separate cases), or a new one. A judgment of the
    same number and court whose other facts differ is not reused: the
    case keeps exactly the facts of the document."""
    key = _judgment_key(case, agencies)
    if key in judgments:
        return judgments[key]
    candidates = Judgment.objects.filter(
        unit=unit, number=case.judgment_number, court=agencies[case.court]
    ).order_by("pk")
    for candidate in candidates:
        candidate_key = (
            candidate.number,
            candidate.court_id,
            candidate.trial_stage,
            candidate.pronounced_on,
            candidate.effective_on,
            candidate.first_instance_number,
            candidate.first_instance_court_id,
            candidate.first_instance_pronounced_on,
        )
        if candidate_key == key:
            judgments[key] = candidate
            return candidate
    if candidates:
        report.warning(
            f"{case.path}.judgment",
            f"Bản án {case.judgment_number} của {case.court} đã có trong đơn vị với "
            "thông tin khác (cấp xét xử, ngày tuyên án, ngày hiệu lực hoặc bản án "
            "sơ thẩm): hồ sơ này được gắn với một bản ghi bản án riêng theo tệp.",
        )
    judgment = services.create_judgment(
        unit=unit,
        number=case.judgment_number,
        court=agencies[case.court],
        instance=case.instance,
        pronounced_on=case.pronounced_on,
        effective_on=case.effective_on,
        first_instance_number=case.first_instance_number,
        first_instance_court=agencies.get(case.first_instance_court),
        first_instance_pronounced_on=case.first_instance_pronounced_on,
    )
    judgments[key] = judgment
    return judgment


def _create_case(
    unit: Unit,
    case: _Case,
    agencies: dict[str, Agency],
    judgments: dict[tuple, Judgment],
    plan: _Plan,
    report: Report,
) -> ExecutionCase:
    judgment = _judgment_for(unit, case, agencies, judgments, report)
    register_date = case.register_date or case.effective_on or case.pronounced_on
    written = services.open_case(
        judgment,
        services.ConvictInput(
            full_name=case.full_name,
            sex=case.sex,
            sentence_kind=case.kind,
            birth_date=case.birth_date,
            birth_year=case.birth_year,
            id_number=case.id_number,
            residence=case.residence,
            custody=case.custody,
            term_years=case.term.years,
            term_months=case.term.months,
            term_days=case.term.days,
            probation_years=case.probation.years,
            probation_months=case.probation.months,
            probation_days=case.probation.days,
            fine_amount=case.fine,
            crimes=[
                services.CrimeInput(article, clause) for article, clause in case.crimes
            ],
            supplementary=[
                services.SupplementaryInput(
                    item.kind,
                    item.term.years,
                    item.term.months,
                    item.term.days,
                    item.fine,
                )
                for item in case.supplementary
            ],
            detention=list(case.detention),
            register_number=case.register_number,
            prosecutor=plan.prosecutors.get(case.prosecutor),
        ),
        register_date=register_date,
        recompute=False,
    )
    match = _AUTO_NUMBER.match(written.register_number)
    if (
        written.register_seq is None
        and match
        and int(match[2]) == written.register_year
    ):
        # An imported number of the product's own form keeps its place in
        # the year's sequence (reserved by _reserve_register_numbers).
        written.register_seq = int(match[1])
        written.save(update_fields=["register_seq"])
    _add_events(written, case, agencies)
    _add_manual(written, case, agencies)
    return written


def _add_events(written: ExecutionCase, case: _Case, agencies: dict[str, Agency]):
    for event in case.events:
        services.add_event(
            written,
            kind=event.kind,
            date=event.date,
            number=event.number,
            agency=agencies.get(event.agency) if event.agency else None,
            details=event.details,
            recompute=False,
        )


def _add_manual(written: ExecutionCase, case: _Case, agencies: dict[str, Agency]):
    """The document's manual violations; one already on the case (same body,
    text and dates) is not added twice."""
    from violations.models import Violation

    for item in case.manual:
        agency = agencies[item.agency]
        found_on = item.found_on or item.done or item.due or timezone.localdate()
        Violation.objects.get_or_create(
            unit_id=written.unit_id,
            case=written,
            source=Violation.Source.MANUAL,
            agency=agency,
            title=item.title,
            due=item.due,
            done=item.done,
            defaults={
                "responsible": agency.name,
                "responsible_kind": agency.kind,
                "rule": item.rule,
                "basis": item.article,
                "description": item.description,
                "found_on": found_on,
            },
        )


def _replace_events(case: _Case, agencies: dict[str, Agency]) -> None:
    """--update: the existing case's events become the document's. The old
    ones are marked deleted (never erased) in one go, so that the
    recomputation afterwards records only the net change of each date."""
    existing = case.existing
    now = timezone.now()
    for event in Event.objects.filter(case=existing):
        event.deleted_at = now
        event.save(update_fields=["deleted_at"])
    _add_events(existing, case, agencies)
    _add_manual(existing, case, agencies)


# Export -------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _term(years: int, months: int, days: int) -> dict:
    return {"years": years, "months": months, "days": days}


def _register_key(case: ExecutionCase) -> tuple:
    """Register order that survives a round trip: year, then the number's
    sequence when it has the product's form, then the number."""
    match = _AUTO_NUMBER.match(case.register_number)
    if match:
        return (case.register_year, 0, int(match[1]), case.register_number)
    return (case.register_year, 1, 0, case.register_number)


def _manual_queryset():
    from violations.models import Violation

    return (
        Violation.objects.filter(source=Violation.Source.MANUAL)
        .exclude(state=Violation.State.WITHDRAWN)
        .select_related("agency")
        .order_by("found_on", "pk")
    )


def _cases_for_export(unit: Unit):
    return (
        ExecutionCase.objects.filter(unit=unit, cancelled_on__isnull=True)
        .select_related(
            "judgment__court",
            "judgment__first_instance_court",
            "person",
            "sentence",
            "prosecutor",
        )
        .prefetch_related(
            "detention_periods",
            "deadline_overrides",
            Prefetch(
                "events",
                queryset=Event.objects.select_related("agency").order_by("date", "pk"),
                to_attr="export_events",
            ),
            Prefetch(
                "violations",
                queryset=_manual_queryset(),
                to_attr="export_manual",
            ),
            Prefetch(
                "sentence__crimes",
                queryset=SentenceCrime.objects.select_related("crime").order_by("pk"),
            ),
            Prefetch(
                "sentence__supplementary",
                queryset=SupplementaryPenalty.objects.order_by("pk"),
            ),
        )
    )


def export_unit(unit_code: str, as_of: dt.date | str | None = None) -> dict:
    """The unit's register as a ``sothuly/1`` document at ``as_of`` (today
    by default).

    Cancelled register entries are left out. Deadlines, eligibility dates
    and automatic violations are recomputed in memory at ``as_of`` (events
    after it are treated as not yet happened), with a due date set by hand
    (``DeadlineOverride``) taking the place of the computed one.

    Raises ``Unit.DoesNotExist`` for an unknown unit.
    """
    from monitoring.calendar import get_calendar
    from monitoring.rules import get_rule_sets

    unit = Unit.objects.get(code=unit_code)
    if as_of is None:
        as_of = timezone.localdate()
    elif isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    cal, rule_sets = get_calendar(), get_rule_sets()
    cases = sorted(_cases_for_export(unit), key=_register_key)
    return {
        "format": FORMAT,
        "unit": unit.code,
        "as_of": as_of.isoformat(),
        "cases": [_export_case(case, as_of, cal, rule_sets) for case in cases],
    }


def _export_case(case: ExecutionCase, as_of: dt.date, cal, rule_sets) -> dict:
    judgment, person, sentence = case.judgment, case.person, case.sentence
    first_instance = None
    if judgment.trial_stage != Instance.FIRST:
        first_instance = {
            "number": judgment.first_instance_number or None,
            "court": judgment.first_instance_court.name
            if judgment.first_instance_court
            else None,
            "pronounced_on": _iso(judgment.first_instance_pronounced_on),
        }
    has_probation = sentence.kind == SentenceKind.SUSPENDED and any(
        (sentence.probation_years, sentence.probation_months, sentence.probation_days)
    )
    deadlines, eligibility, violations = _computed(case, as_of, cal, rule_sets)
    return {
        "ref": case.register_number,
        "register": {
            "number": case.register_number,
            "date": _iso(case.register_date),
            "prosecutor": case.prosecutor.username if case.prosecutor else None,
        },
        "judgment": {
            "number": judgment.number,
            "court": judgment.court.name,
            "instance": judgment.trial_stage,
            "pronounced_on": _iso(judgment.pronounced_on),
            "effective_on": _iso(judgment.effective_on),
            "first_instance": first_instance,
        },
        "person": {
            "full_name": person.full_name,
            "birth_date": _iso(person.birth_date),
            "birth_year": person.birth_year,
            "sex": person.sex,
            "id_number": person.id_number,
            "residence": person.residence,
        },
        "custody": {
            "at_judgment": case.custody_at_judgment,
            "detention": [
                {"from": _iso(period.start), "to": _iso(period.end)}
                for period in case.detention_periods.all()
            ],
        },
        "sentence": {
            "kind": sentence.kind,
            "term": _term(sentence.term_years, sentence.term_months, sentence.term_days)
            if sentence.has_term
            else None,
            "probation": _term(
                sentence.probation_years,
                sentence.probation_months,
                sentence.probation_days,
            )
            if has_probation
            else None,
            "fine": sentence.fine_amount,
            "crimes": [
                {
                    "article": item.crime.article,
                    "clause": item.clause,
                    "name": item.crime.name,
                }
                for item in sentence.crimes.all()
            ],
            "supplementary": [
                {
                    "kind": item.kind,
                    "term": _term(item.term_years, item.term_months, item.term_days)
                    if item.kind in SUPPLEMENTARY_WITH_TERM
                    else None,
                    "fine": item.fine_amount,
                }
                for item in sentence.supplementary.all()
            ],
        },
        "events": [
            {
                "kind": event.kind,
                "date": _iso(event.date),
                "number": event.number or None,
                "agency": event.agency.name if event.agency_id else None,
                "details": event.details or {},
            }
            for event in case.export_events
        ],
        "deadlines": deadlines,
        "eligibility": eligibility,
        "violations": violations + _manual_violations(case, as_of),
    }


def _manual_violations(case: ExecutionCase, as_of: dt.date) -> list[dict]:
    """The violations prosecutors recorded by hand, found by ``as_of``."""
    rows = []
    for violation in case.export_manual:
        if violation.found_on > as_of:
            continue
        done = violation.done if violation.done and violation.done <= as_of else None
        rows.append(
            {
                "rule": violation.rule or None,
                "agency": violation.agency_name,
                "due": _iso(violation.due),
                "done": _iso(done),
                "late_days": violation.late_days(as_of),
                "source": "manual",
                "details": {
                    "title": violation.title,
                    "description": violation.description,
                    "article": violation.basis,
                    "found_on": _iso(violation.found_on),
                },
            }
        )
    return rows


def _computed(case: ExecutionCase, as_of: dt.date, cal, rule_sets):
    """Deadlines, eligibility and automatic violations at ``as_of``."""
    from monitoring import engine
    from monitoring.services import facts_of

    facts = facts_of(case)
    outcome = engine.compute(facts, cal, as_of=as_of, rule_sets=rule_sets)
    overrides = {
        (override.rule, override.start): override.due
        for override in case.deadline_overrides.all()
    }
    deadlines, violations = [], []
    for result in outcome.deadlines:
        due = overrides.get((result.rule, result.start), result.due)
        status = engine.status_of(
            due, result.done, as_of, result.warn_days, result.lapsed_on
        )
        done = result.done  # events after as_of are not seen by compute()
        deadlines.append(
            {
                "rule": result.rule,
                "rule_set": result.rule_set,
                "start": _iso(result.start),
                "due": _iso(due),
                "done": _iso(done),
                "status": status.code,
                "late_days": status.late_days,
                "shifted": result.shifted,
                "basis": result.basis,
            }
        )
        if result.responsible_kind != "convict" and status.code in (
            "met_late",
            "overdue",
        ):
            violations.append(
                {
                    "rule": result.rule,
                    "agency": _violating_body(case, result, facts, rule_sets),
                    "due": _iso(due),
                    "done": _iso(done),
                    "late_days": status.late_days,
                    "source": "automatic",
                }
            )
    eligibility = [
        {"rule": result.rule, "date": _iso(result.date), "basis": result.basis}
        for result in outcome.eligibility
    ]
    return deadlines, eligibility, violations


def _violating_body(case: ExecutionCase, result, facts, rule_sets) -> str:
    """The body a late deadline names: for a court's duty the court that
    bears it (``monitoring.services.named_court_id``), or its successor when
    it had ended by the due date, as stored deadlines are charged; for the
    addressee of a request, recommendation or protest, the body named in
    the start event's details; otherwise the body recorded on the start
    event, or the rule's text."""
    if result.responsible_kind == "court":
        from monitoring.services import named_court_id

        judgment = case.judgment
        named = named_court_id(result, judgment.court_id, judgment.executing_court_id)
        court = (
            judgment.court if named == judgment.court_id else judgment.executing_court
        )
        return court.successor_on(result.due).name
    if result.responsible_kind == "addressee":
        rule = next(
            (
                rule_set.rule(result.rule)
                for rule_set in rule_sets
                if rule_set.code == result.rule_set
            ),
            None,
        )
        for event in facts.events:
            if rule is None or event.kind not in rule.start_events:
                continue
            received = event.details.get("received_on") or event.date.isoformat()
            if received == result.start.isoformat() and event.details.get("agency"):
                return event.details["agency"]
    return result.start_agency or result.responsible
