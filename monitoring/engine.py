"""Deadline rules evaluated on the facts of one case.

Pure: no Django imports. A case's facts come in as plain dataclasses, the
rules as ``RuleDef`` data, and out come ``DeadlineResult`` rows with an
explanation in Vietnamese that names the start event, the rule, its legal
basis and every rest day that moved the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from monitoring import dates

# The law in force on the day a clock starts decides the rule set
# (legal-rules.md, "Which rule set applies").
RULE_SETS = [
    ("LTHAHS-2010", dt.date(2011, 7, 1)),
    ("LTHAHS-2019", dt.date(2020, 1, 1)),
    ("LTHAHS-2025", dt.date(2026, 7, 1)),
]
BASE_RULE_SET = "LTHAHS-2019"
UNCHECKED_MARK = "căn cứ chưa đối chiếu"

# Kinds whose execution starts with a court's QĐTHA within A5's 7 days. A
# warning is executed in the courtroom, a fine by civil enforcement, and a
# death sentence's QĐTHA waits for the review of BLTTHS Art. 367 (H1).
KINDS_WITH_QDTHA = {
    "prison",
    "life",
    "suspended",
    "non_custodial_reform",
    "expulsion",
}
CUSTODIAL_KINDS = {"prison", "life"}
COMMUNITY_KINDS = {"suspended", "non_custodial_reform", "death"}

LEGAL_EFFECT_WINDOW_DAYS = 30  # Q3: the superior procuracy's window decides


@dataclass(frozen=True)
class RuleDef:
    code: str
    title: str
    duration: int
    unit: str  # "cal", "wd", "mo", "before"
    responsible: str
    responsible_kind: str  # "court", "execution_agency", "prison", "commune", "convict"
    basis: str
    action: str
    verified: bool = True

    @property
    def warn_days(self) -> int:
        """Default warning period of legal-rules.md ("Warning period")."""
        if self.unit == "mo":
            return 30
        if self.duration <= 3:
            return 1
        if self.duration <= 7:
            return 2
        if self.duration <= 30:
            return 5
        return 30

    @property
    def duration_label(self) -> str:
        unit = {
            "cal": "ngày",
            "wd": "ngày làm việc",
            "mo": "tháng",
            "before": "ngày trước",
        }[self.unit]
        return f"{self.duration:02d} {unit}"


RULES = {
    rule.code: rule
    for rule in [
        RuleDef(
            "A5",
            "Tòa án ra quyết định thi hành án",
            7,
            "cal",
            "Chánh án Tòa án đã xét xử sơ thẩm",
            "court",
            "BLTTHS 2015, Điều 364 khoản 1-2",
            "Yêu cầu Tòa án ra quyết định thi hành án (Mẫu 09/TH)",
        ),
        RuleDef(
            "A7",
            "Tòa án gửi quyết định thi hành án phạt tù",
            3,
            "wd",
            "Tòa án đã ra quyết định thi hành án",
            "court",
            "Luật THAHS 2019, Điều 22 khoản 2",
            "Kiến nghị Tòa án",
        ),
        RuleDef(
            "A8",
            "Tòa án gửi quyết định thi hành án treo, CTKGG, tử hình",
            3,
            "wd",
            "Tòa án đã ra quyết định thi hành án",
            "court",
            "Luật THAHS 2019, Điều 84 khoản 2, Điều 96 khoản 2, Điều 77 khoản 2",
            "Kiến nghị Tòa án",
        ),
        RuleDef(
            "A10",
            "Người bị kết án tại ngoại có mặt để chấp hành án",
            7,
            "cal",
            "Người bị kết án",
            "convict",
            "Luật THAHS 2019, Điều 22 khoản 1, Điều 23 khoản 4; "
            "BLTTHS Điều 364 khoản 3",
            "Yêu cầu áp giải thi hành án (Mẫu 11/TH)",
        ),
    ]
}


@dataclass(frozen=True)
class EventFact:
    kind: str
    date: dt.date
    label: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CaseFacts:
    sentence_kind: str
    custody: str  # "at_liberty" or "detained"
    instance: str
    pronounced_on: dt.date
    effective_on: dt.date | None
    events: Sequence[EventFact] = ()


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


@dataclass(frozen=True)
class LegalEffect:
    date: dt.date
    proposed: bool
    explanation: list[str]


def rule_set_for(day: dt.date) -> str:
    chosen = RULE_SETS[0][0]
    for name, start in RULE_SETS:
        if day >= start:
            chosen = name
    return chosen


def propose_legal_effect(
    pronounced_on: dt.date, cal: dates.WorkCalendar
) -> LegalEffect:
    """Legal effect of an unappealed first-instance judgment (A2, A3, Q3).

    The superior procuracy's 30-day protest window runs from the
    pronouncement (start day not counted), rolls forward over rest days,
    and the judgment takes effect the day after it ends.
    """
    window = dates.after_days(pronounced_on, LEGAL_EFFECT_WINDOW_DAYS, cal)
    lines = [
        f"Ngày tuyên án sơ thẩm {pronounced_on:%d/%m/%Y}; thời hạn kháng nghị của "
        f"VKS cấp trên trực tiếp {LEGAL_EFFECT_WINDOW_DAYS} ngày "
        "(BLTTHS Điều 337, 343) "
        f"kết thúc {window.nominal:%d/%m/%Y}.",
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


def legal_effect(facts: CaseFacts, cal: dates.WorkCalendar) -> LegalEffect:
    if facts.effective_on:
        return LegalEffect(
            facts.effective_on,
            False,
            [f"Bản án có hiệu lực pháp luật ngày {facts.effective_on:%d/%m/%Y}."],
        )
    if facts.instance == "first":
        return propose_legal_effect(facts.pronounced_on, cal)
    # Appeal judgments take effect when pronounced, cassation and reopening
    # decisions when issued (BLTTHS Art. 355(2), 361(2), 395(1)).
    return LegalEffect(
        facts.pronounced_on,
        True,
        [
            f"Bản án/quyết định {facts.pronounced_on:%d/%m/%Y} có hiệu lực ngay "
            "(BLTTHS Điều 355 khoản 2, 361 khoản 2, 395 khoản 1)."
        ],
    )


def _first(events: Iterable[EventFact], kinds: set[str], on_or_after: dt.date):
    for event in events:
        if event.kind in kinds and event.date >= on_or_after:
            return event
    return None


def _count(rule: RuleDef, start: dt.date, cal: dates.WorkCalendar) -> dates.Period:
    if rule.unit == "wd":
        return dates.after_working_days(start, rule.duration, cal)
    if rule.unit == "mo":
        return dates.after_months(start, rule.duration, cal)
    if rule.unit == "before":
        return dates.before_days(start, rule.duration, cal)
    return dates.after_days(start, rule.duration, cal)


def _period_lines(rule: RuleDef, period: dates.Period) -> list[str]:
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
    lines = [
        f"{rule.duration_label} (không tính ngày bắt đầu): ngày cuối "
        f"{period.nominal:%d/%m/%Y}."
    ]
    if period.shifted:
        lines.append(
            "Ngày cuối rơi vào ngày nghỉ ("
            + dates.describe_skipped(period.skipped)
            + f"), chuyển sang ngày làm việc tiếp theo {period.due:%d/%m/%Y} "
            "(BLDS Điều 148 khoản 5)."
        )
    return lines


def _make(
    rule: RuleDef,
    start: dt.date,
    start_line: str,
    done_event: EventFact | None,
    done_line: str,
    lapse_event: EventFact | None,
    cal: dates.WorkCalendar,
) -> DeadlineResult:
    if done_event and lapse_event and lapse_event.date < done_event.date:
        # The duty ended before the act: an act after the ending event answers
        # the duty that took over (a report after a postponement ends B7b, not
        # A10), so this one lapsed (interchange.md, "lapsed").
        done_event = None
    period = _count(rule, start, cal)
    rule_set = rule_set_for(start)
    verified = rule.verified and rule_set == BASE_RULE_SET
    lines = [start_line, *_period_lines(rule, period)]
    lines.append(f"Căn cứ: {rule.basis} (bộ quy tắc {rule_set}).")
    if not verified:
        lines.append(
            f"Lưu ý: {UNCHECKED_MARK} với luật áp dụng cho bộ quy tắc {rule_set}; "
            f"đang dùng thời hạn của {BASE_RULE_SET}."
        )
    if done_event:
        lines.append(done_line)
    lapsed_on = None
    if done_event is None and lapse_event is not None:
        lapsed_on = lapse_event.date
        lines.append(
            f"Không còn phải thực hiện từ {lapse_event.date:%d/%m/%Y}: "
            f"{lapse_event.label or lapse_event.kind}."
        )
    return DeadlineResult(
        rule=rule.code,
        rule_set=rule_set,
        title=rule.title,
        start=start,
        due=period.due,
        done=done_event.date if done_event else None,
        shifted=period.shifted,
        responsible=rule.responsible,
        responsible_kind=rule.responsible_kind,
        basis=rule.basis,
        warn_days=rule.warn_days,
        explanation=lines,
        lapsed_on=lapsed_on,
        verified=verified,
    )


def _a5(facts: CaseFacts, cal, rules) -> list[DeadlineResult]:
    if facts.sentence_kind not in KINDS_WITH_QDTHA:
        return []
    rule = rules["A5"]
    events = facts.events
    if facts.instance == "first":
        effect = legal_effect(facts, cal)
        start = effect.date
        start_line = " ".join(effect.explanation) + " Thời hạn tính từ ngày này."
    else:
        received = _first(events, {"appeal_ruling_received_by_court"}, dt.date.min)
        if received is None:
            return []
        start = received.date
        start_line = f"Tòa án cấp sơ thẩm nhận bản án/quyết định ngày {start:%d/%m/%Y}."
    done = _first(events, {"execution_decision_issued", "entrustment_issued"}, start)
    done_line = ""
    if done:
        done_line = f"Thực hiện: {done.label or done.kind} ngày {done.date:%d/%m/%Y}."
    lapse = _first(events, {"death", "termination_decision_issued"}, start)
    return [_make(rule, start, start_line, done, done_line, lapse, cal)]


def _a7_a8(facts: CaseFacts, cal, rules) -> list[DeadlineResult]:
    if facts.sentence_kind in CUSTODIAL_KINDS:
        rule = rules["A7"]
    elif facts.sentence_kind in COMMUNITY_KINDS:
        rule = rules["A8"]
    else:
        return []
    issued = _first(facts.events, {"execution_decision_issued"}, dt.date.min)
    if issued is None:
        return []
    start_line = f"Tòa án ra QĐTHA ngày {issued.date:%d/%m/%Y}."
    # The duty is to send: the sending date decides when it is known,
    # otherwise the procuracy's receipt (legal-rules.md, "Judgments and
    # lateness").
    sent = next(
        (
            event
            for event in facts.events
            if event.kind == "execution_decision_sent"
            and event.date >= issued.date
            and event.details.get("recipient", "procuracy") == "procuracy"
        ),
        None,
    )
    if sent:
        done_line = (
            f"Tòa án gửi QĐTHA cho VKS ngày {sent.date:%d/%m/%Y} (xét theo ngày gửi)."
        )
        done = sent
    else:
        done = _first(facts.events, {"execution_decision_received"}, issued.date)
        done_line = (
            f"VKS nhận QĐTHA ngày {done.date:%d/%m/%Y} (không rõ ngày gửi, "
            "xét theo ngày VKS nhận)."
            if done
            else ""
        )
    return [_make(rule, issued.date, start_line, done, done_line, None, cal)]


def _a10(facts: CaseFacts, cal, rules) -> list[DeadlineResult]:
    if facts.sentence_kind not in CUSTODIAL_KINDS or facts.custody != "at_liberty":
        return []
    served = _first(facts.events, {"execution_decision_served"}, dt.date.min)
    if served is None:
        return []
    rule = rules["A10"]
    start_line = f"Người bị kết án nhận QĐTHA ngày {served.date:%d/%m/%Y}."
    done = _first(
        facts.events,
        {"reported_to_serve", "escorted", "admitted_to_prison"},
        served.date,
    )
    done_line = f"{done.label or done.kind} ngày {done.date:%d/%m/%Y}." if done else ""
    lapse = _first(
        facts.events,
        {"postponement_granted", "death", "termination_decision_issued"},
        served.date,
    )
    return [_make(rule, served.date, start_line, done, done_line, lapse, cal)]


EVALUATORS = [_a5, _a7_a8, _a10]


def evaluate(
    facts: CaseFacts,
    cal: dates.WorkCalendar,
    *,
    as_of: dt.date | None = None,
    rules: dict[str, RuleDef] | None = None,
) -> list[DeadlineResult]:
    """Every deadline of the case that has started (by ``as_of`` if given).

    Events dated after ``as_of`` are treated as not yet happened.
    """
    rules = rules or RULES
    if as_of is not None:
        facts = CaseFacts(
            sentence_kind=facts.sentence_kind,
            custody=facts.custody,
            instance=facts.instance,
            pronounced_on=facts.pronounced_on,
            effective_on=facts.effective_on,
            events=[event for event in facts.events if event.date <= as_of],
        )
    facts = CaseFacts(
        sentence_kind=facts.sentence_kind,
        custody=facts.custody,
        instance=facts.instance,
        pronounced_on=facts.pronounced_on,
        effective_on=facts.effective_on,
        events=sorted(facts.events, key=lambda event: event.date),
    )
    results = []
    for evaluator in EVALUATORS:
        results.extend(evaluator(facts, cal, rules))
    if as_of is not None:
        results = [result for result in results if result.start <= as_of]
    return results


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
