"""Cohort sweeps for review rounds (đợt xét giảm, rút ngắn, tha tù, đặc xá).

For a round, everyone in the reader's scope who will have served the part of
the term the law requires by the cut-off: the eligibility dates the engine
stored (D10, E7, C7, G2; legal-rules.md) on or before the cut-off, on cases
neither closed nor cancelled. Those with a recorded obstacle are listed apart
with the obstacle named, so that none is forgotten and none is proposed
without a look at the record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from cases.models import (
    CaseStatus,
    Event,
    EventKind,
    ExecutionCase,
    Obligations,
    SentenceKind,
    Unit,
    User,
)
from cases.scoping import readable_unit_ids
from monitoring import batch, engine, terms
from monitoring.models import EligibilityDate, SweepRound

CLOSED_STATUSES = (
    CaseStatus.COMPLETED,
    CaseStatus.TERMINATED,
    CaseStatus.TRANSFERRED,
)

# Round kind → the engine's eligibility rule and the sentences it covers.
RULE_OF_KIND = {
    SweepRound.Kind.PROBATION_SHORTENING: "D10",
    SweepRound.Kind.CTKGG_REDUCTION: "E7",
    SweepRound.Kind.PRISON_REDUCTION: "C7",
    SweepRound.Kind.CONDITIONAL_RELEASE: "G2",
}
# Special amnesty counts a fraction of a fixed prison term, entered per round.
AMNESTY_KINDS = ("prison",)

# The law allows one reduction or shortening a year (BLHS Art. 63, 65(4);
# LTHAHS 2019 Art. 89, 102): a decision within the year before the cut-off is
# named as an obstacle.
_REDUCTION_KINDS = {EventKind.REDUCTION_GRANTED, EventKind.PROBATION_SHORTENED}
_WHEREABOUTS_KINDS = {EventKind.ABSCONDED, EventKind.WANTED_NOTICE_ISSUED}
_OBSTACLE_KINDS = {
    EventKind.BREACH_RECORDED,
    EventKind.NEW_CRIME,
    EventKind.REVOCATION_PROPOSED,
    EventKind.RECAPTURED,
    *_WHEREABOUTS_KINDS,
    *_REDUCTION_KINDS,
}


# Only a person serving the sentence is proposed (for probation: under the
# commune's supervision, which needs the QĐTHA).
_NOT_SERVING = {
    CaseStatus.NOT_STARTED: "Chưa chấp hành án: chưa có QĐTHA hoặc chưa có mặt",
    CaseStatus.POSTPONED: "Đang được hoãn chấp hành án",
}
# Property obligations (fine, court fees, compensation) that stand in a
# round's way: none paid is an obstacle to every round; paid in part is
# enough for a CTKGG reduction (legal-rules.md E7: "part of any civil
# obligation paid") but not for conditional release (G2: "fine, compensation
# and court fees paid"), nor, by the Law on Special Amnesty 2018 (not in the
# domain files), for an amnesty.
_OBLIGATIONS_IN_THE_WAY = {
    Obligations.OUTSTANDING: set(SweepRound.Kind),
    Obligations.PARTLY: {SweepRound.Kind.CONDITIONAL_RELEASE, SweepRound.Kind.AMNESTY},
}
# What "not yet serving" means for a sentence served in the community.
_NOT_SUPERVISED = ", chưa được giao giám sát, giáo dục"


@dataclass
class SweepRow:
    case: ExecutionCase
    rule: str
    date: dt.date
    obstacles: list[str] = field(default_factory=list)


@dataclass
class SweepResult:
    eligible: list[SweepRow]
    obstacles: list[SweepRow]


def rounds_for(user: User):
    """The rounds a user may read: those of a unit in the user's scope and
    the province-wide ones of the province above the user's unit."""
    unit_ids = set(readable_unit_ids(user))
    if user.unit_id is not None:
        parent = Unit.objects.filter(pk=user.unit_id).values_list("parent", flat=True)
        unit_ids |= {pk for pk in parent if pk}
    return SweepRound.objects.filter(scope_id__in=unit_ids).select_related("scope")


def scope_of(sweep_round: SweepRound, user: User) -> list[int]:
    """The units whose people the user sees in this round: those the round
    covers that the user may read."""
    covered = set(sweep_round.scope.descendant_ids())
    return sorted(covered & set(readable_unit_ids(user)))


def _fraction(sweep_round: SweepRound) -> Fraction:
    return Fraction(sweep_round.fraction_numerator, sweep_round.fraction_denominator)


def _open_cases(unit_ids: list[int]):
    return (
        ExecutionCase.objects.filter(unit_id__in=unit_ids, cancelled_on__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("person", "sentence", "unit", "prosecutor")
    )


def _stored_dates(rule: str, unit_ids: list[int], cut_off: dt.date) -> list[SweepRow]:
    dates = (
        EligibilityDate.objects.filter(
            unit_id__in=unit_ids,
            rule=rule,
            date__lte=cut_off,
            case__in=_open_cases(unit_ids),
        )
        .select_related(
            "case__person", "case__sentence", "case__unit", "case__prosecutor"
        )
        .order_by("case_id", "date")
    )
    rows: dict[int, SweepRow] = {}
    for eligible in dates:
        rows.setdefault(
            eligible.case_id, SweepRow(eligible.case, eligible.rule, eligible.date)
        )
    return list(rows.values())


def _amnesty_dates(
    sweep_round: SweepRound, unit_ids: list[int], cut_off: dt.date
) -> list[SweepRow]:
    """The day each fixed-term prisoner has served the round's fraction,
    by the engine's arithmetic (credit, suspensions), for this round only."""
    fraction = _fraction(sweep_round)
    cases = {
        case.pk: case
        for case in _open_cases(unit_ids).filter(sentence__kind__in=AMNESTY_KINDS)
    }
    loaded, _ = batch._load_facts(sorted(cases))
    rows = []
    for item in loaded:
        facts = item.facts
        served = engine.term_start(facts)
        if served is None or facts.term.is_zero:
            continue
        if any(event.kind in engine._ENDS_ELIGIBILITY for event in facts.events):
            continue
        reached = terms.fraction_date(
            served.start, facts.term, fraction, credit_days=served.credit_days
        )
        gap, _lines = engine._gaps_by(engine._gap_periods(facts), reached.date)
        day = terms.fraction_date(
            served.start,
            facts.term,
            fraction,
            credit_days=served.credit_days,
            gap_days=gap,
        ).date
        if day <= cut_off:
            rows.append(SweepRow(cases[item.pk], "ĐX", day))
    return rows


def _name_obstacles(
    rows: list[SweepRow], sweep_round: SweepRound, cut_off: dt.date
) -> None:
    """Fill each row's obstacles from the events recorded up to the cut-off
    (one query for every row)."""
    events: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(
        case_id__in=[row.case.pk for row in rows],
        kind__in=_OBSTACLE_KINDS,
        date__lte=cut_off,
    ).order_by("case_id", "date", "pk"):
        events[event.case_id].append(event)
    year_before = cut_off - dt.timedelta(days=365)
    for row in rows:
        found = []
        missing_since = None
        for event in events.get(row.case.pk, []):
            day = f"{event.date:%d/%m/%Y}"
            if event.kind == EventKind.BREACH_RECORDED:
                start = sweep_round.obstacles_from
                if start is None or event.date >= start:
                    found.append(f"Biên bản vi phạm nghĩa vụ ngày {day}")
            elif event.kind == EventKind.NEW_CRIME:
                found.append(f"Phạm tội mới / bị khởi tố ngày {day}")
            elif event.kind == EventKind.REVOCATION_PROPOSED:
                found.append(f"Đang bị đề nghị hủy án treo (ngày {day})")
            elif event.kind in _WHEREABOUTS_KINDS:
                missing_since = missing_since or event
            elif event.kind == EventKind.RECAPTURED:
                missing_since = None
            elif event.kind in _REDUCTION_KINDS and event.date > year_before:
                found.append(
                    f"Đã có {event.get_kind_display().lower()} ngày {day} "
                    "(mỗi năm chỉ xét một lần)"
                )
        if missing_since is not None:
            found.append(
                f"Không rõ nơi ở: {missing_since.get_kind_display().lower()} ngày "
                f"{missing_since.date:%d/%m/%Y}, chưa ghi nhận bắt lại"
            )
        elif row.case.status == CaseStatus.ABSCONDED:
            found.append("Không rõ nơi ở: hồ sơ đang ở tình trạng bỏ trốn")
        if sweep_round.kind in _OBLIGATIONS_IN_THE_WAY.get(row.case.obligations, ()):
            found.append(_obligations_text(row.case))
        if row.case.status in _NOT_SERVING:
            reason = _NOT_SERVING[row.case.status]
            if row.case.status == CaseStatus.NOT_STARTED and row.case.sentence.kind in {
                SentenceKind.SUSPENDED,
                SentenceKind.NON_CUSTODIAL_REFORM,
            }:
                reason += _NOT_SUPERVISED
            found.append(reason)
        row.obstacles = found


def _obligations_text(case: ExecutionCase) -> str:
    text = f"Nghĩa vụ tài sản: {case.get_obligations_display().lower()}"
    if case.obligations_on:
        text += f" (theo thông tin ngày {case.obligations_on:%d/%m/%Y})"
    if case.obligations_note:
        text += f": {case.obligations_note}"
    return text


def sweep(sweep_round: SweepRound, unit_ids: list[int]) -> SweepResult:
    """Everyone eligible by the round's cut-off in these units, split into
    those without and those with a recorded obstacle."""
    cut_off = sweep_round.cut_off
    if sweep_round.kind == SweepRound.Kind.AMNESTY:
        rows = _amnesty_dates(sweep_round, unit_ids, cut_off)
    else:
        rows = _stored_dates(RULE_OF_KIND[sweep_round.kind], unit_ids, cut_off)
    _name_obstacles(rows, sweep_round, cut_off)
    return SweepResult(
        eligible=[row for row in rows if not row.obstacles],
        obstacles=[row for row in rows if row.obstacles],
    )


def filter_rows(rows: list[SweepRow], *, prosecutor_id=None, unit_id=None) -> list:
    return [
        row
        for row in rows
        if (prosecutor_id is None or row.case.prosecutor_id == prosecutor_id)
        and (unit_id is None or row.case.unit_id == unit_id)
    ]


SORTS = {
    "ten": ("Tên (A–Z)", lambda row: (row.case.person.name_sort_key, row.case.pk)),
    "ngay": (
        "Ngày đủ điều kiện",
        lambda row: (row.date, row.case.person.name_sort_key),
    ),
    "so": (
        "Số thụ lý",
        lambda row: (
            row.case.unit_id,
            row.case.register_year,
            row.case.register_seq or 0,
        ),
    ),
}


def sort_rows(rows: list[SweepRow], key: str) -> list[SweepRow]:
    return sorted(rows, key=SORTS.get(key, SORTS["ten"])[1])
