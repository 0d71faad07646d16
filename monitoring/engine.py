"""Deadlines and eligibility dates of one case, from its facts and the rules.

Pure: no Django imports. A case's facts come in as plain dataclasses, the
rules as ``rulebook`` rows, and out come deadlines and eligibility dates,
each with an explanation in Vietnamese that names the start event, the
rule and rule set, the legal basis, every rest day that moved the date and
the settings that applied. Facts that contradict each other are reported
as problems and no date is computed (``Outcome.problems``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from monitoring import dates, rulebook, terms
from monitoring.rulebook import RuleDef, RuleSetDef

BASE_RULE_SET = "LTHAHS-2019"
UNCHECKED_MARK = rulebook.UNCHECKED
DEFAULT_RULE_SETS = rulebook.default_rule_sets()
RULES = {rule.code: rule for rule in DEFAULT_RULE_SETS[1].rules}
KINDS_WITH_QDTHA = set(rulebook.QDTHA_KINDS)

# Chapters of the Penal Code without a limitation period (BLHS Art. 60(3)):
# national security (Arts. 108-122) and war crimes, genocide (421-425).
NO_LIMITATION_ARTICLES = {str(n) for n in range(108, 123)} | {
    str(n) for n in range(421, 426)
}


@dataclass(frozen=True)
class EventFact:
    kind: str
    date: dt.date
    label: str = ""
    details: dict = field(default_factory=dict)
    agency: str = ""


@dataclass(frozen=True)
class CaseFacts:
    sentence_kind: str
    custody: str  # "at_liberty" or "detained"
    instance: str
    pronounced_on: dt.date
    effective_on: dt.date | None
    events: Sequence[EventFact] = ()
    term: terms.Term = terms.Term()
    probation: terms.Term = terms.Term()
    detention: Sequence[tuple[dt.date, dt.date | None]] = ()
    first_instance_pronounced_on: dt.date | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    has_supplementary: bool = False
    crime_articles: Sequence[str] = ()


@dataclass
class DeadlineResult:
    rule: str
    rule_set: str
    title: str
    start: dt.date
    due: dt.date
    done: dt.date | None
    shifted: bool
    responsible: str
    responsible_kind: str
    basis: str
    warn_days: int
    explanation: list[str]
    lapsed_on: dt.date | None = None
    verified: bool = True
    start_agency: str = ""
    # The body recorded on the event that fulfilled the duty.
    done_agency: str = ""
    # What started the clock (rulebook.PRONOUNCED: the judgment's own duty,
    # borne by the court that pronounced it).
    trigger: str = ""
    lateness_in_working_days: bool = False
    # The day the duty became known: only duties known by ``as_of`` are
    # listed in an export at that date.
    known_on: dt.date | None = None


@dataclass
class EligibilityResult:
    rule: str
    title: str
    date: dt.date
    basis: str
    explanation: list[str]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


@dataclass
class Outcome:
    deadlines: list[DeadlineResult]
    eligibility: list[EligibilityResult]
    problems: list[Problem]


@dataclass(frozen=True)
class LegalEffect:
    date: dt.date
    proposed: bool
    explanation: list[str]


def rule_set_for(day: dt.date, rule_sets: Sequence[RuleSetDef] | None = None) -> str:
    return rulebook.set_in_force(list(rule_sets or DEFAULT_RULE_SETS), day).code


# Legal effect ---------------------------------------------------------------


def propose_legal_effect(
    pronounced_on: dt.date,
    cal: dates.WorkCalendar,
    window_days: int = 30,
    *,
    explain: bool = True,
) -> LegalEffect:
    """Legal effect of an unappealed first-instance judgment (A2, A3, Q3).

    The superior procuracy's protest window runs from the pronouncement
    (start day not counted), rolls forward over rest days, and the judgment
    takes effect the day after it ends.
    """
    window = dates.after_days(pronounced_on, window_days, cal)
    if not explain:
        return LegalEffect(window.due + dates.ONE_DAY, True, [])
    lines = [
        f"Ngày tuyên án sơ thẩm {pronounced_on:%d/%m/%Y}; thời hạn kháng nghị của "
        f"VKS cấp trên trực tiếp {window_days} ngày (BLTTHS Điều 337, 343; số ngày "
        f"là thiết lập của bộ quy tắc) kết thúc {window.nominal:%d/%m/%Y}.",
    ]
    if window.shifted:
        lines.append(
            f"Ngày cuối rơi vào ngày nghỉ ({dates.describe_skipped(window.skipped)}), "
            f"chuyển sang ngày làm việc tiếp theo {window.due:%d/%m/%Y}."
        )
    effect = window.due + dates.ONE_DAY
    lines.append(
        f"Bản án có hiệu lực pháp luật từ {effect:%d/%m/%Y} (ngày đề xuất, "
        "chưa có ngày theo giấy tờ của Tòa án)."
    )
    return LegalEffect(effect, True, lines)


def legal_effect(
    facts: CaseFacts,
    cal: dates.WorkCalendar,
    window_days: int = 30,
    *,
    explain: bool = True,
) -> LegalEffect:
    if facts.effective_on:
        return LegalEffect(
            facts.effective_on,
            False,
            [f"Bản án có hiệu lực pháp luật ngày {facts.effective_on:%d/%m/%Y}."]
            if explain
            else [],
        )
    if facts.instance == "first":
        return propose_legal_effect(
            facts.pronounced_on, cal, window_days, explain=explain
        )
    # Appeal judgments take effect when pronounced, cassation and reopening
    # decisions when issued (BLTTHS Art. 355(2), 361(2), 395(1)).
    if not explain:
        return LegalEffect(facts.pronounced_on, True, [])
    return LegalEffect(
        facts.pronounced_on,
        True,
        [
            f"Bản án/quyết định {facts.pronounced_on:%d/%m/%Y} có hiệu lực ngay "
            "(BLTTHS Điều 355 khoản 2, 361 khoản 2, 395 khoản 1)."
        ],
    )


# Validation -----------------------------------------------------------------


def _name(event: EventFact) -> str:
    return event.label or event.kind


# (later, earlier): an event of the first kind cannot precede every event of
# the second, since it answers it.
_ANSWERS = [
    ("execution_decision_sent", "execution_decision_issued"),
    ("execution_decision_received", "execution_decision_issued"),
    ("execution_decision_served", "execution_decision_issued"),
    ("agency_received_execution_decision", "execution_decision_issued"),
    ("postponement_decision_received", "postponement_granted"),
    ("agency_received_postponement_decision", "postponement_granted"),
    ("postponement_expiry_notified", "postponement_granted"),
    ("postponement_cancelled", "postponement_granted"),
    ("suspension_ended", "suspension_granted"),
    ("suspension_cancelled", "suspension_granted"),
    ("cancellation_sent", "cancellation_proposed"),
    ("revocation_decided", "revocation_proposed"),
    ("revocation_sent", "revocation_decided"),
    ("shortening_sent", "probation_shortened"),
    ("reduction_sent", "reduction_granted"),
    ("release_decision_sent", "conditional_release_granted"),
    ("recaptured", "absconded"),
    ("supplementary_file_opened", "supplementary_file_received"),
    ("self_inspection_reported", "request_issued"),
    ("recommendation_answered", "recommendation_issued"),
    ("protest_answered", "protest_issued"),
    ("convict_reported_to_province", "agency_received_execution_decision"),
    ("provincial_file_completed", "convict_reported_to_province"),
    ("place_of_serving_decided", "provincial_file_completed"),
]
_CLOSING = {"death", "termination_decision_issued", "exempted"}
# What may still be recorded after a case closed: the paperwork of closing.
_AFTER_CLOSE = {
    "death",
    "termination_decision_issued",
    "completion_certificate_issued",
    "completion_certificate_received",
    "exempted",
    "request_issued",
    "self_inspection_reported",
    "recommendation_issued",
    "recommendation_answered",
    "protest_issued",
    "protest_answered",
    "transferred_out",
    "judgment_delivered",
}
_KIND_RANGES = {
    # kind: (minimum days, maximum days, message)
    "non_custodial_reform": (
        180,
        3 * 360,
        "Cải tạo không giam giữ phải từ 06 tháng đến 03 năm (BLHS Điều 36).",
    ),
    "prison": (
        90,
        30 * 360,
        "Tù có thời hạn từ 03 tháng đến 20 năm, tổng hợp nhiều tội không quá 30 năm "
        "(BLHS Điều 38, 55).",
    ),
    "suspended": (
        1,
        3 * 360,
        "Án treo chỉ áp dụng với mức phạt tù không quá 03 năm (BLHS Điều 65).",
    ),
}


def validate(facts: CaseFacts) -> list[Problem]:
    """Every inconsistency of the facts, each with a reason code."""
    problems = []
    kind = facts.sentence_kind
    days = facts.term.total_days
    # A zero term is one not given: the entry form and the import require
    # it where the kind has one, and the engine then computes no term date.
    if kind in _KIND_RANGES and days:
        low, high, message = _KIND_RANGES[kind]
        if not low <= days <= high:
            problems.append(Problem("term_out_of_range", message))
    probation = facts.probation.total_days
    if kind == "suspended" and probation and not 360 <= probation <= 5 * 360:
        problems.append(
            Problem(
                "probation_out_of_range",
                "Thời gian thử thách của án treo từ 01 năm đến 05 năm (BLHS Điều 65).",
            )
        )
    if facts.effective_on and facts.effective_on < facts.pronounced_on:
        problems.append(
            Problem(
                "effect_before_pronouncement",
                "Ngày có hiệu lực pháp luật trước ngày tuyên án.",
            )
        )

    periods = sorted(facts.detention, key=lambda period: period[0])
    for start, end in periods:
        if end is not None and end < start:
            problems.append(
                Problem(
                    "period_reversed",
                    f"Thời gian tạm giam kết thúc ({end:%d/%m/%Y}) trước khi bắt đầu "
                    f"({start:%d/%m/%Y}).",
                )
            )
    for (start_a, end_a), (start_b, _) in zip(periods, periods[1:], strict=False):
        if end_a is None or start_b <= end_a:
            problems.append(
                Problem(
                    "detention_overlap",
                    f"Hai thời gian tạm giam chồng lên nhau (từ {start_a:%d/%m/%Y} và "
                    f"từ {start_b:%d/%m/%Y}).",
                )
            )

    for event in facts.events:
        if event.date < facts.pronounced_on:
            problems.append(
                Problem(
                    "event_before_pronouncement",
                    f"{_name(event)} ngày {event.date:%d/%m/%Y} trước ngày "
                    f"tuyên án {facts.pronounced_on:%d/%m/%Y}.",
                )
            )
        until = _detail_date(event, "until")
        if until is not None and until < event.date:
            problems.append(
                Problem(
                    "period_reversed",
                    f"{_name(event)} ngày {event.date:%d/%m/%Y} có ngày hết "
                    f"hạn {until:%d/%m/%Y} trước ngày quyết định.",
                )
            )

    by_kind: dict[str, list[EventFact]] = {}
    for event in facts.events:
        by_kind.setdefault(event.kind, []).append(event)
    for later, earlier in _ANSWERS:
        later_events = by_kind.get(later, [])
        earlier_events = by_kind.get(earlier, [])
        if later_events and earlier_events:
            first_later = min(later_events, key=lambda event: event.date)
            first_earlier = min(earlier_events, key=lambda event: event.date)
            if first_later.date < first_earlier.date:
                problems.append(
                    Problem(
                        "stop_before_start",
                        f"{_name(first_later)} ngày {first_later.date:%d/%m/%Y} "
                        f"trước sự kiện mà nó trả lời ({_name(first_earlier)} "
                        f"ngày {first_earlier.date:%d/%m/%Y}).",
                    )
                )

    closed = [event.date for event in facts.events if event.kind in _CLOSING]
    if closed:
        close_day = min(closed)
        for event in facts.events:
            if event.date > close_day and event.kind not in _AFTER_CLOSE:
                problems.append(
                    Problem(
                        "event_after_close",
                        f"{_name(event)} ngày {event.date:%d/%m/%Y} sau khi "
                        f"hồ sơ đã kết thúc ngày {close_day:%d/%m/%Y}.",
                    )
                )
    return problems


# Terms ----------------------------------------------------------------------


def _detail_date(event: EventFact, key: str) -> dt.date | None:
    value = event.details.get(key)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _detail_term(event: EventFact, key: str = "by") -> terms.Term:
    value = event.details.get(key) or {}
    if isinstance(value, dict):
        return terms.Term(
            int(value.get("years") or 0),
            int(value.get("months") or 0),
            int(value.get("days") or 0),
        )
    return terms.Term()


def _credit_days(facts: CaseFacts) -> int:
    periods = [(start, end) for start, end in facts.detention if end is not None]
    return terms.detention_days(periods)


_SERVING_STARTS = {"reported_to_serve", "escorted", "admitted_to_prison"}


@dataclass(frozen=True)
class ServedTerm:
    start: dt.date
    start_line: str
    credit_days: int
    credit_line: str


def term_start(facts: CaseFacts) -> ServedTerm | None:
    """Where the main term starts (legal-rules.md, "Where terms start")."""
    kind = facts.sentence_kind
    events = sorted(facts.events, key=lambda event: event.date)
    if kind == "suspended":
        if facts.instance != "first" and facts.first_instance_pronounced_on:
            day = facts.first_instance_pronounced_on
        else:
            day = facts.pronounced_on
        return ServedTerm(
            day,
            f"Thời gian thử thách tính từ ngày tuyên án sơ thẩm {day:%d/%m/%Y} (D2; "
            "không khấu trừ thời gian tạm giam).",
            0,
            "",
        )
    if kind == "non_custodial_reform":
        received = next(
            (e for e in events if e.kind == "agency_received_execution_decision"), None
        )
        if received is None:
            return None
        credit = _credit_days(facts)
        return ServedTerm(
            received.date,
            f"Thời hạn CTKGG tính từ ngày cơ quan THAHS nhận QĐTHA "
            f"{received.date:%d/%m/%Y} (E2).",
            credit * 3,
            f"Tạm giữ, tạm giam {credit} ngày, 01 ngày bằng 03 ngày CTKGG: "
            f"khấu trừ {credit * 3} ngày (BLHS Điều 36 khoản 1)."
            if credit
            else "",
        )
    if kind in ("prison", "life"):
        if facts.custody == "detained" and facts.detention:
            # The term runs from the first day of the custody that lasted
            # until the judgment; an earlier, separate detention (released
            # in between) is credited, not counted as served.
            runs = _custody_runs(facts.detention)
            first = runs[-1][0]
            credit = terms.detention_days(
                (start, end) for start, end in runs[:-1] if end is not None
            )
            return ServedTerm(
                first,
                f"Bị tạm giam liên tục đến khi xét xử: thời hạn tù tính từ ngày bắt "
                f"đầu tạm giữ, tạm giam {first:%d/%m/%Y}.",
                credit,
                f"Khấu trừ {credit} ngày tạm giữ, tạm giam trước đó (BLHS Điều 38)."
                if credit
                else "",
            )
        began = next((e for e in events if e.kind in _SERVING_STARTS), None)
        if began is None:
            return None
        credit = _credit_days(facts)
        return ServedTerm(
            began.date,
            f"Thời hạn tù tính từ ngày bắt đầu chấp hành án {began.date:%d/%m/%Y} "
            f"({_name(began)}).",
            credit,
            f"Khấu trừ {credit} ngày tạm giữ, tạm giam (BLHS Điều 38)."
            if credit
            else "",
        )
    return None


def _custody_runs(periods) -> list[tuple[dt.date, dt.date | None]]:
    """Detention periods joined where one follows the other without a day at
    liberty (tạm giữ then tạm giam), in order; the last may be open."""
    runs: list[tuple[dt.date, dt.date | None]] = []
    for start, end in sorted(periods, key=lambda period: period[0]):
        last = runs[-1][1] if runs else None
        if runs and last is not None and start <= last + dates.ONE_DAY:
            runs[-1] = (runs[-1][0], None if end is None else max(end, last))
        else:
            runs.append((start, end))
    return runs


def _gap_periods(facts: CaseFacts) -> list[tuple[dt.date, dt.date]]:
    """Periods of suspension of serving, first and last day (BLHS Art. 68)."""
    periods = []
    events = sorted(facts.events, key=lambda event: event.date)
    for index, event in enumerate(events):
        if event.kind != "suspension_granted":
            continue
        begin = _detail_date(event, "from") or event.date
        end = next(
            (
                later.date
                for later in events[index + 1 :]
                if later.kind in ("suspension_ended", "suspension_cancelled")
            ),
            _detail_date(event, "until"),
        )
        if end is None or end < begin:
            continue
        periods.append((begin, end))
    return periods


def _gaps_by(periods, day: dt.date, *, explain: bool = True) -> tuple[int, list[str]]:
    """Days of the suspensions begun by ``day``, which is moved later by each
    one counted: a suspension after a fraction was served does not move it."""
    total, lines = 0, []
    for begin, end in sorted(periods):
        if begin > day + dt.timedelta(days=total):
            continue
        days = (end - begin).days + 1
        total += days
        if explain:
            lines.append(
                f"Tạm đình chỉ từ {begin:%d/%m/%Y} đến {end:%d/%m/%Y}: {days} ngày."
            )
    return total, lines


def _gap_days(facts: CaseFacts, *, explain: bool = True) -> tuple[int, list[str]]:
    """Days of suspension of serving, which do not count (BLHS Art. 68)."""
    total, lines = 0, []
    for begin, end in _gap_periods(facts):
        days = (end - begin).days + 1
        total += days
        if explain:
            lines.append(
                f"Tạm đình chỉ từ {begin:%d/%m/%Y} đến {end:%d/%m/%Y}: {days} ngày."
            )
    return total, lines


def _reductions(
    facts: CaseFacts, kinds: set[str], *, explain: bool = True
) -> tuple[int, list[str]]:
    total, lines = 0, []
    for event in facts.events:
        if event.kind in kinds:
            by = _detail_term(event)
            total += by.total_days
            if by.total_days and explain:
                lines.append(
                    f"{_name(event)} ngày {event.date:%d/%m/%Y}: {by.label()}."
                )
    return total, lines


_UNKNOWN = object()


def term_end(
    facts: CaseFacts, *, explain: bool = True, served=_UNKNOWN
) -> terms.Computation | None:
    """Last day of probation, of CTKGG or of a prison term (``served``: the
    ``term_start`` of the facts, when the caller has it already)."""
    if served is _UNKNOWN:
        served = term_start(facts)
    if served is None:
        return None
    kind = facts.sentence_kind
    if kind == "suspended":
        term = facts.probation
        reduction, reduction_lines = _reductions(
            facts, {"probation_shortened"}, explain=explain
        )
        gap, gap_lines = 0, []
    elif kind in ("non_custodial_reform", "prison"):
        term = facts.term
        reduction, reduction_lines = _reductions(
            facts, {"reduction_granted"}, explain=explain
        )
        gap, gap_lines = (
            _gap_days(facts, explain=explain) if kind == "prison" else (0, [])
        )
    else:
        return None
    if term.is_zero:
        return None
    computed = terms.term_end(
        served.start,
        term,
        credit_days=served.credit_days,
        gap_days=gap,
        reduction_days=reduction,
        explain=explain,
    )
    if not explain:
        return computed
    steps = [served.start_line]
    if served.credit_line:
        steps.append(served.credit_line)
    steps += reduction_lines + gap_lines + list(computed.steps)
    return terms.Computation(computed.date, tuple(steps))


# Eligibility ----------------------------------------------------------------


# After these a reduction or shortening is no longer to be considered.
_ENDS_ELIGIBILITY = {
    "completed",
    "completion_certificate_issued",
    "death",
    "termination_decision_issued",
    "exempted",
    "amnesty",
    "revocation_decided",
}


def eligibility(
    facts: CaseFacts, *, explain: bool = True, served=_UNKNOWN
) -> list[EligibilityResult]:
    """Eligibility dates; ``served`` as for :func:`term_end`."""
    results = []
    if served is _UNKNOWN:
        served = term_start(facts)
    if served is None or any(e.kind in _ENDS_ELIGIBILITY for e in facts.events):
        return results
    gaps = _gap_periods(facts) if facts.sentence_kind == "prison" else []
    for rule in rulebook.ELIGIBILITY:
        if facts.sentence_kind not in rule.kinds:
            continue
        lines = [served.start_line] if explain else []
        if served.credit_line and explain:
            lines.append(served.credit_line)
        if facts.sentence_kind == "life":
            if rule.life_years is None:
                continue
            computed = terms.years_served_date(
                served.start,
                rule.life_years,
                credit_days=served.credit_days,
                explain=explain,
            )
        else:
            term = facts.probation if facts.sentence_kind == "suspended" else facts.term
            if term.is_zero:
                continue
            fraction = Fraction(rule.numerator, rule.denominator)
            age = terms.age_on(facts.birth_date, facts.birth_year, served.start)
            if rule.minor_numerator and age is not None and age < 18:
                fraction = Fraction(rule.minor_numerator, rule.minor_denominator)
                if explain:
                    lines.append(
                        f"Người chấp hành án dưới 18 tuổi ({age} tuổi) khi bắt đầu "
                        "chấp hành: áp dụng mức dành cho người dưới 18 tuổi."
                    )
            reached = terms.fraction_date(
                served.start,
                term,
                fraction,
                credit_days=served.credit_days,
                explain=False,
            )
            if gaps:
                gap, gap_lines = _gaps_by(gaps, reached.date, explain=explain)
                lines += gap_lines
            else:
                gap = 0
            computed = (
                terms.fraction_date(
                    served.start,
                    term,
                    fraction,
                    credit_days=served.credit_days,
                    gap_days=gap,
                    explain=explain,
                )
                if gap or explain
                else reached
            )
        if explain:
            lines += list(computed.steps)
            lines.append(
                "Ngày đủ điều kiện về thời gian là sự kiện về thời gian đã chấp "
                "hành: không lùi theo ngày nghỉ. Các điều kiện khác (cải tạo tốt, "
                "nghĩa vụ dân sự…) do cán bộ kiểm tra."
            )
        results.append(
            EligibilityResult(rule.code, rule.title, computed.date, rule.basis, lines)
        )
    return results


# Deadlines ------------------------------------------------------------------


def _matches(event: EventFact, wanted: dict) -> bool:
    for key, value in wanted.items():
        actual = event.details.get(key)
        if isinstance(value, bool):
            if bool(actual) is not value:
                return False
        elif actual != value:
            return False
    return True


def _first_after(events, kinds, day, wanted=None):
    for event in events:
        if (
            event.kind in kinds
            and event.date >= day
            and (wanted is None or _matches(event, wanted))
        ):
            return event
    return None


def _applies(rule: RuleDef, facts: CaseFacts) -> bool:
    if rule.kinds and facts.sentence_kind not in rule.kinds:
        return False
    if rule.custody and facts.custody != rule.custody:
        return False
    if rule.instances and facts.instance not in rule.instances:
        return False
    return not (rule.needs_supplementary and not facts.has_supplementary)


@dataclass(frozen=True)
class _Start:
    day: dt.date
    line: str
    event: EventFact | None = None


def _limitation_years(facts: CaseFacts) -> int | None:
    """BLHS Art. 60(2): 5, 10, 15 or 20 years by the penalty."""
    if any(article in NO_LIMITATION_ARTICLES for article in facts.crime_articles):
        return None
    kind = facts.sentence_kind
    days = facts.term.total_days
    if kind in ("life", "death"):
        return 20
    if kind == "prison" and days > 15 * 360:
        return 15
    if kind == "prison" and days > 3 * 360:
        return 10
    return 5


def _starts(
    rule: RuleDef,
    facts: CaseFacts,
    cal,
    settings: RuleSetDef,
    explain: bool = True,
    served=_UNKNOWN,
) -> list[_Start]:
    """Where the rule's clock starts; without ``explain`` the lines are
    empty (the same days)."""
    events = facts.events
    if rule.trigger == rulebook.PRONOUNCED:
        return [
            _Start(
                facts.pronounced_on,
                f"Tuyên án ngày {facts.pronounced_on:%d/%m/%Y}." if explain else "",
            )
        ]
    if rule.trigger == rulebook.LEGAL_EFFECT:
        if facts.instance == "first":
            effect = legal_effect(
                facts, cal, settings.legal_effect_window_days, explain=explain
            )
            return [
                _Start(
                    effect.date,
                    " ".join(effect.explanation) + " Thời hạn tính từ ngày này."
                    if explain
                    else "",
                )
            ]
        received = _first_after(
            events, {"appeal_ruling_received_by_court"}, dt.date.min
        )
        if received is None:
            return []
        return [
            _Start(
                received.date,
                f"Tòa án cấp sơ thẩm nhận bản án/quyết định ngày "
                f"{received.date:%d/%m/%Y}."
                if explain
                else "",
                received,
            )
        ]
    if rule.trigger == rulebook.UNTIL:
        starts = []
        for event in events:
            if event.kind in rule.start_events:
                until = _detail_date(event, "until")
                if until is not None:
                    starts.append(
                        _Start(
                            until,
                            f"{_name(event)} ngày {event.date:%d/%m/%Y}, "
                            f"hết thời hạn ngày {until:%d/%m/%Y}."
                            if explain
                            else "",
                            event,
                        )
                    )
        return starts
    if rule.trigger in (rulebook.TERM_END, rulebook.PRISON_END):
        end = term_end(facts, explain=explain, served=served)
        if end is None:
            return []
        return [
            _Start(
                end.date,
                " ".join(end.steps) + f" Ngày cuối: {end.date:%d/%m/%Y}."
                if explain
                else "",
            )
        ]
    if rule.trigger == rulebook.LIMITATION:
        years = _limitation_years(facts)
        if years is None:
            return []
        effect = legal_effect(
            facts, cal, settings.legal_effect_window_days, explain=explain
        )
        return [
            _Start(
                effect.date,
                " ".join(effect.explanation)
                + f" Thời hiệu thi hành bản án {years} năm (BLHS Điều 60)."
                if explain
                else "",
            )
        ]
    starts = []
    for event in events:
        if event.kind in rule.start_events and _matches(event, rule.start_details):
            day = _detail_date(event, "received_on") or event.date
            line = ""
            if explain:
                line = f"{_name(event)} ngày {event.date:%d/%m/%Y}"
                if day != event.date:
                    line += f", nơi nhận nhận được ngày {day:%d/%m/%Y}"
            if rule.start_offset_days:
                # D8b: the clock starts when a period of its own ends (the
                # second 7 days to appear), and that forward period runs to
                # the next working day like any other (BLDS Art. 148(5)).
                offset = rule.start_offset_days
                if not settings.exclude_start_day:
                    offset -= 1
                first = dates.after_days(day, offset, cal, roll=settings.roll_forward)
                day = first.due
                if explain:
                    line += (
                        f"; sau {rule.start_offset_days} ngày là "
                        f"{first.nominal:%d/%m/%Y}"
                    )
                    if first.shifted:
                        line += (
                            f", ngày nghỉ ({dates.describe_skipped(first.skipped)}), "
                            "thời hạn đó kết thúc ngày làm việc tiếp theo "
                            f"{day:%d/%m/%Y} (BLDS Điều 148 khoản 5)"
                        )
            starts.append(_Start(day, line + "." if explain else "", event))
            if not rule.repeat:
                break
    return starts


def _count(
    rule: RuleDef, start: dt.date, cal, settings: RuleSetDef, years: int | None = None
) -> dates.Period:
    if rule.trigger == rulebook.LIMITATION:
        return dates.after_months(start, 12 * (years or 0), cal, roll=False)
    if rule.trigger == rulebook.TERM_END:
        # The certificate is due on the last day; a deadline on a rest day
        # rolls forward like any other (legal-rules.md, "Terms").
        return dates.after_days(start, 0, cal, roll=settings.roll_forward)
    if rule.before:
        if rule.unit == "mo":
            nominal = dates.add_months(start, -rule.duration)
            period = dates.before_days(nominal, 0, cal)
            return dates.Period(start, period.due, nominal, period.skipped)
        return dates.before_days(start, rule.duration, cal)
    duration = rule.duration if settings.exclude_start_day else rule.duration - 1
    if rule.unit == "wd":
        return dates.after_working_days(start, duration, cal)
    if rule.unit in ("mo", "yr"):
        months = rule.duration * (12 if rule.unit == "yr" else 1)
        return dates.after_months(start, months, cal, roll=settings.roll_forward)
    return dates.after_days(start, duration, cal, roll=settings.roll_forward)


def _period_lines(
    rule: RuleDef, period: dates.Period, settings: RuleSetDef
) -> list[str]:
    if rule.unit == "wd":
        lines = [
            f"{rule.duration:02d} ngày làm việc kể từ ngày tiếp theo: hạn "
            f"{period.due:%d/%m/%Y}."
        ]
        if period.skipped:
            lines.append(
                "Không tính các ngày nghỉ: "
                + dates.describe_skipped(period.skipped)
                + "."
            )
        return lines
    if rule.before:
        lines = [f"{rule.duration_label} ngày trên: {period.nominal:%d/%m/%Y}."]
        if period.shifted:
            lines.append(
                "Rơi vào ngày nghỉ (" + dates.describe_skipped(period.skipped) + "), "
                f"chuyển lên ngày làm việc liền trước {period.due:%d/%m/%Y}."
            )
        return lines
    if rule.trigger in (rulebook.TERM_END, rulebook.LIMITATION):
        lines = [f"Hạn: {period.nominal:%d/%m/%Y}."]
    else:
        start_rule = (
            "không tính ngày bắt đầu (BLDS Điều 147)"
            if settings.exclude_start_day
            else "tính cả ngày bắt đầu (theo thiết lập của bộ quy tắc)"
        )
        lines = [
            f"{rule.duration_label}, {start_rule}: ngày cuối {period.nominal:%d/%m/%Y}."
        ]
    if period.shifted:
        lines.append(
            "Ngày cuối rơi vào ngày nghỉ ("
            + dates.describe_skipped(period.skipped)
            + f"), chuyển sang ngày làm việc tiếp theo {period.due:%d/%m/%Y} "
            "(BLDS Điều 148 khoản 5)."
        )
    return lines


def _done(
    rule: RuleDef,
    facts: CaseFacts,
    start: _Start,
    day_from: dt.date,
    explain: bool = True,
):
    """The act that stops the clock, and how the explanation names it
    (without ``explain``, not named)."""
    events = facts.events
    after = start.event.date if start.event else day_from
    if rule.trigger in (rulebook.TERM_END, rulebook.PRISON_END, rulebook.LIMITATION):
        after = dt.date.min
    elif rule.trigger in (rulebook.LEGAL_EFFECT, rulebook.PRONOUNCED):
        # A QĐTHA issued before a proposed effect date still answers A5.
        after = facts.pronounced_on
    done = _first_after(events, set(rule.stop_events), after, rule.stop_details or None)
    if done is not None:
        if not explain:
            return done, ""
        if rule.fallback_stop_events:
            return done, (
                f"{_name(done)} ngày {done.date:%d/%m/%Y} (xét theo ngày gửi)."
            )
        return done, f"Thực hiện: {_name(done)} ngày {done.date:%d/%m/%Y}."
    if rule.fallback_stop_events:
        done = _first_after(events, set(rule.fallback_stop_events), after)
        if done is not None:
            if not explain:
                return done, ""
            return done, (
                f"{_name(done)} ngày {done.date:%d/%m/%Y} (không rõ ngày "
                "gửi, xét theo ngày VKS nhận)."
            )
    return None, ""


def _lapse(rule: RuleDef, facts: CaseFacts, start: _Start) -> EventFact | None:
    after = start.event.date if start.event else start.day
    if rule.trigger in (rulebook.TERM_END, rulebook.PRISON_END, rulebook.LIMITATION):
        after = facts.pronounced_on
    for event in facts.events:
        if event.kind not in rule.lapse_events or event is start.event:
            continue
        if event.date < after or (event.date == after and start.event is None):
            continue
        # Only a second breach record ends the duty to appear after a first.
        if event.kind == "breach_recorded" and not event.details.get("second"):
            continue
        return event
    return None


def _known_on(rule: RuleDef, facts: CaseFacts, start: _Start) -> dt.date:
    """The day a duty becomes known, for listing at an ``as_of`` date.

    A duty started by an event is known from that event. F2 (due two
    months *before* a term's end) is known as soon as the end can be
    computed, that is from the judgment: listing it only from the end
    itself would hide it while it is due soon or already overdue.
    """
    if start.event is not None:
        return start.event.date
    if rule.before:
        return min(facts.pronounced_on, start.day)
    return start.day


def _evaluate_rule(
    rule: RuleDef,
    settings: RuleSetDef,
    facts: CaseFacts,
    cal,
    rule_sets,
    memo: dict | None = None,
    explain: bool = True,
    served=_UNKNOWN,
) -> list[DeadlineResult]:
    """``memo`` (one per case) keeps what every rule set would compute
    again: the starts that depend on the facts alone, and the set in force
    on a day. Without ``explain`` the explanations are empty (the same
    dates); ``served`` as for :func:`term_end`."""
    memo = {} if memo is None else memo
    if rule.trigger in _EVENT_TRIGGERS:
        key = _start_key(rule)
        if key is None:
            starts = _starts(rule, facts, cal, settings, explain)
        else:
            starts = memo.get(key)
            if starts is None:
                starts = memo[key] = _starts(rule, facts, cal, settings, explain)
    else:
        key = (rule.trigger, settings.legal_effect_window_days)
        starts = memo.get(key)
        if starts is None:
            starts = memo[key] = _starts(rule, facts, cal, settings, explain, served)
    results = []
    for start in starts:
        in_force = memo.get(start.day)
        if in_force is None:
            in_force = memo[start.day] = rulebook.set_in_force(rule_sets, start.day)
        if in_force.code != settings.code:
            continue
        years = (
            _limitation_years(facts) if rule.trigger == rulebook.LIMITATION else None
        )
        period = _count(rule, start.day, cal, settings, years)
        done, done_line = _done(rule, facts, start, start.day, explain)
        lapse = _lapse(rule, facts, start)
        if done and lapse and lapse.date < done.date:
            # A duty ended by a later event (postponement, death) is not met
            # by an act that comes after that event (interchange.md, lapsed).
            done = None
        verified = rule.verified and settings.basis_checked
        lapsed_on = lapse.date if done is None and lapse else None
        results.append(
            DeadlineResult(
                rule=rule.code,
                rule_set=settings.code,
                title=rule.title,
                start=start.day,
                due=period.due,
                done=done.date if done else None,
                shifted=period.shifted,
                responsible=rule.responsible,
                responsible_kind=rule.responsible_kind,
                basis=rule.basis,
                warn_days=rule.warning_days,
                explanation=(
                    _explanation(
                        rule,
                        settings,
                        start,
                        period,
                        verified,
                        done_line,
                        lapsed_on,
                        lapse,
                    )
                    if explain
                    else []
                ),
                lapsed_on=lapsed_on,
                verified=verified,
                start_agency=start.event.agency if start.event else "",
                done_agency=done.agency if done else "",
                trigger=rule.trigger,
                lateness_in_working_days=settings.lateness_in_working_days,
                known_on=_known_on(rule, facts, start),
            )
        )
    return results


def _explanation(
    rule: RuleDef,
    settings: RuleSetDef,
    start: _Start,
    period,
    verified: bool,
    done_line: str,
    lapsed_on: dt.date | None,
    lapse: EventFact | None,
) -> list[str]:
    """The lines that explain one deadline: its start, the counting, the
    basis and its check, how it was met or why it is no longer owed."""
    lines = [start.line, *_period_lines(rule, period, settings)]
    lines.append(f"Căn cứ: {rule.basis} (bộ quy tắc {settings.code}).")
    if not verified:
        lines.append(f"Lưu ý: {UNCHECKED_MARK}. {rule.note or settings.note}".strip())
    elif rule.note:
        lines.append(f"Ghi chú: {rule.note}")
    if done_line:
        lines.append(done_line)
    if lapsed_on is not None:
        lines.append(
            f"Không còn phải thực hiện từ {lapse.date:%d/%m/%Y}: {_name(lapse)}."
        )
    lateness = "ngày làm việc" if settings.lateness_in_working_days else "ngày lịch"
    lines.append(
        f"Số ngày chậm tính theo {lateness} sau ngày hạn (cách tính là thiết "
        "lập của bộ quy tắc: báo cáo ở một số nơi tính khác)."
    )
    return lines


_EVENT_TRIGGERS = frozenset({rulebook.EVENT, rulebook.UNTIL})


def deadline_from(
    code: str, start: dt.date, start_line: str, cal, rule_sets
) -> tuple[RuleDef, dt.date, list[str]] | None:
    """A rule's due date counted from a start that is not a case event (the
    reply to a recommendation counts from its receipt), explained as the
    case deadlines are; ``None`` when the set in force has no such rule."""
    settings = rulebook.set_in_force(list(rule_sets), start)
    rule = settings.rule(code)
    if rule is None:
        return None
    period = _count(rule, start, cal, settings)
    lines = [start_line, *_period_lines(rule, period, settings)]
    lines.append(f"Căn cứ: {rule.basis} (bộ quy tắc {settings.code}).")
    if not (rule.verified and settings.basis_checked):
        lines.append(f"Lưu ý: {UNCHECKED_MARK}. {rule.note or settings.note}".strip())
    return rule, period.due, lines


# id(rule) → (rule, key): see _start_key.
_start_keys: dict[int, tuple[RuleDef, tuple | None]] = {}


def _start_key(rule: RuleDef) -> tuple | None:
    """What the starts of an event-started rule depend on, when they do not
    depend on its rule set's settings (no start offset): the same rule in
    another set, or another rule with the same start, has the same starts,
    computed once per case."""
    entry = _start_keys.get(id(rule))
    if entry is not None and entry[0] is rule:
        return entry[1]
    key = None
    if not rule.start_offset_days:
        try:
            key = (
                "starts",
                rule.trigger,
                tuple(rule.start_events),
                tuple(sorted(rule.start_details.items())),
                rule.repeat,
            )
            hash(key)
        except TypeError:  # a detail whose value is a list or a dict
            key = None
    if len(_start_keys) > 4096:
        _start_keys.clear()
    _start_keys[id(rule)] = (rule, key)
    return key


@dataclass
class _RuleIndex:
    """A rule set's rules by what can start them: most rules wait for an
    event that a given case does not have. ``chosen`` keeps, by the kinds
    of events a case has and what ``_applies`` reads, the rules to
    evaluate: cases repeat the same few hundred combinations."""

    by_event: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    chosen: dict = field(default_factory=dict)


# id(rule set) → (rule set, index); the rule set is kept so that its id is
# not reused while the entry lives.
_indexes: dict[int, tuple[RuleSetDef, _RuleIndex]] = {}


def _index_of(settings: RuleSetDef) -> _RuleIndex:
    entry = _indexes.get(id(settings))
    if entry is not None and entry[0] is settings:
        return entry[1]
    by_event: dict[str, list[int]] = {}
    always = []
    for position, rule in enumerate(settings.rules):
        if rule.trigger in _EVENT_TRIGGERS:
            for kind in set(rule.start_events):
                by_event.setdefault(kind, []).append(position)
        else:
            always.append(position)
    index = _RuleIndex({k: tuple(v) for k, v in by_event.items()}, tuple(always))
    if len(_indexes) > 64:
        _indexes.clear()
    _indexes[id(settings)] = (settings, index)
    return index


def _candidates(settings: RuleSetDef, present: set[str]) -> list[RuleDef]:
    """The rules of ``settings`` that can start for a case with events of
    the ``present`` kinds, in the set's order."""
    index = _index_of(settings)
    positions = set(index.always)
    for kind in present:
        positions.update(index.by_event.get(kind, ()))
    rules = settings.rules
    return [rules[position] for position in sorted(positions)]


def _applicable(settings: RuleSetDef, facts: CaseFacts) -> list[RuleDef]:
    """``_candidates`` that ``_applies`` to the case, in the set's order,
    remembered by everything the two read."""
    index = _index_of(settings)
    present = frozenset(event.kind for event in facts.events)
    key = (
        present,
        facts.sentence_kind,
        facts.custody,
        facts.instance,
        facts.has_supplementary,
    )
    rules = index.chosen.get(key)
    if rules is None:
        rules = [
            rule for rule in _candidates(settings, present) if _applies(rule, facts)
        ]
        if len(index.chosen) > 4096:
            index.chosen.clear()
        index.chosen[key] = rules
    return rules


def _clip(facts: CaseFacts, as_of: dt.date | None) -> CaseFacts:
    events = facts.events
    in_order = all(a.date <= b.date for a, b in zip(events, events[1:], strict=False))
    if as_of is None and in_order and isinstance(events, list):
        return facts  # nothing to sort or drop (the bulk run reads them so)
    events = sorted(events, key=lambda event: event.date)
    if as_of is not None:
        events = [event for event in events if event.date <= as_of]
    return replace(facts, events=events)


def compute(
    facts: CaseFacts,
    cal: dates.WorkCalendar,
    *,
    as_of: dt.date | None = None,
    rule_sets: Sequence[RuleSetDef] | None = None,
    explain: bool = True,
) -> Outcome:
    """Deadlines, eligibility dates and problems of a case.

    Events dated after ``as_of`` are treated as not yet happened, and only
    deadlines that have started by then are listed. With ``explain`` false
    every date, flag and problem is the same but the explanations are empty
    lists: the bulk recomputation stores no explanation, and a page that
    shows one computes that case again (``monitoring.services.explain``).
    """
    rule_sets = list(rule_sets or DEFAULT_RULE_SETS)
    facts = _clip(facts, as_of)
    problems = validate(facts)
    if problems:
        return Outcome([], [], problems)
    deadlines = []
    # A rule started by an event gives nothing without that event: skipping
    # it saves most of the work (about 50 rules in each of 3 sets).
    memo: dict = {}
    served = term_start(facts)
    for settings in rule_sets:
        for rule in _applicable(settings, facts):
            deadlines.extend(
                _evaluate_rule(
                    rule, settings, facts, cal, rule_sets, memo, explain, served
                )
            )
    if as_of is not None:
        deadlines = [d for d in deadlines if d.known_on is None or d.known_on <= as_of]
    deadlines.sort(key=lambda d: (d.start, d.due, d.rule))
    return Outcome(deadlines, eligibility(facts, explain=explain, served=served), [])


def evaluate(
    facts: CaseFacts,
    cal: dates.WorkCalendar,
    *,
    as_of: dt.date | None = None,
    rule_sets: Sequence[RuleSetDef] | None = None,
) -> list[DeadlineResult]:
    """The deadlines of :func:`compute` (none when the facts conflict)."""
    return compute(facts, cal, as_of=as_of, rule_sets=rule_sets).deadlines


# Statuses -------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    code: str
    late_days: int


STATUS_LABELS = {
    "pending": "Trong hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "met": "Đúng hạn",
    "met_late": "Thực hiện muộn",
    "lapsed": "Không còn phải thực hiện",
}


def status_of(
    due: dt.date,
    done: dt.date | None,
    as_of: dt.date,
    warn_days: int,
    lapsed_on: dt.date | None = None,
) -> Status:
    """Status and days late, judged on ``as_of`` (interchange.md semantics).

    Lateness counts calendar days after the due date (Q15 default).
    """
    if done is not None and done <= as_of:
        if done <= due:
            return Status("met", 0)
        return Status("met_late", (done - due).days)
    if lapsed_on is not None and lapsed_on <= as_of:
        return Status("lapsed", max(0, (lapsed_on - due).days))
    if as_of > due:
        return Status("overdue", (as_of - due).days)
    if (due - as_of).days <= warn_days:
        return Status("due_soon", 0)
    return Status("pending", 0)
