"""State changes of the register: every write goes through these functions.

Views, commands and imports call them; each runs in one transaction and
recomputes the deadlines of the cases it touches before it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from cases.models import (
    Agency,
    CaseStatus,
    Crime,
    Custody,
    DetentionPeriod,
    Event,
    EventKind,
    ExecutionCase,
    Judgment,
    Person,
    RegisterSequence,
    Sentence,
    SentenceCrime,
    SupplementaryPenalty,
    Unit,
    User,
)


def procuracy_year(day: dt.date) -> int:
    """The procuracy's work year runs 1 December - 30 November and is named
    after the year it ends in: 15/12/2025 belongs to 2026."""
    return day.year + 1 if day.month == 12 else day.year


def next_register_number(unit: Unit, day: dt.date) -> tuple[int, int]:
    """Take the next number of the unit's year, without gaps.

    The sequence row is locked until the surrounding transaction ends, so
    two entries saved at once never get the same number, and a rolled-back
    entry gives its number back.
    """
    year = procuracy_year(day)
    RegisterSequence.objects.get_or_create(unit=unit, year=year)
    sequence = RegisterSequence.objects.select_for_update().get(unit=unit, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return year, sequence.last_number


@dataclass
class CrimeInput:
    article: str
    clause: str = ""


@dataclass
class SupplementaryInput:
    kind: str
    years: int = 0
    months: int = 0
    days: int = 0
    fine_amount: int | None = None


@dataclass
class ConvictInput:
    """One convict of a judgment with their sentence, as typed."""

    full_name: str
    sex: str
    sentence_kind: str
    birth_date: dt.date | None = None
    birth_year: int | None = None
    id_number: str = ""
    residence: str = ""
    custody: str = Custody.AT_LIBERTY
    term_years: int = 0
    term_months: int = 0
    term_days: int = 0
    probation_years: int = 0
    probation_months: int = 0
    probation_days: int = 0
    fine_amount: int | None = None
    crimes: list[CrimeInput] = field(default_factory=list)
    supplementary: list[SupplementaryInput] = field(default_factory=list)
    detention: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    register_number: str = ""
    register_date: dt.date | None = None
    prosecutor: User | None = None
    # The same person already in the unit's register (same identity number,
    # name and birth): the new case is linked to them, not to a copy.
    person: Person | None = None


def cases_with_id_number(unit: Unit, id_number: str) -> list[ExecutionCase]:
    """The unit's live register entries of people with this identity
    number, oldest first. Only the unit's own: another unit's people are
    not for its users to see."""
    return list(
        ExecutionCase.objects.filter(
            unit=unit,
            person__id_number=id_number.strip(),
            cancelled_on__isnull=True,
        )
        .select_related("person")
        .order_by("register_date", "pk")
    )


def _known_person(unit: Unit, convict: ConvictInput) -> Person:
    """The stored person, completed with what the new entry adds: a full
    birth date where only the year was known, the latest residence."""
    person = convict.person
    if person.unit_id != unit.pk:
        raise ValueError("Người bị kết án thuộc đơn vị khác.")
    changed = []
    if convict.birth_date and not person.birth_date:
        person.birth_date = convict.birth_date
        changed += ["birth_date", "birth_year"]
    residence = convict.residence.strip()
    if residence and residence != person.residence:
        person.residence = residence
        changed.append("residence")
    if changed:
        person.save(update_fields=changed)
    return person


@transaction.atomic
def create_judgment(
    *,
    unit: Unit,
    number: str,
    court: Agency,
    instance: str,
    pronounced_on: dt.date,
    effective_on: dt.date | None = None,
    first_instance_number: str = "",
    first_instance_court: Agency | None = None,
    first_instance_pronounced_on: dt.date | None = None,
) -> Judgment:
    return Judgment.objects.create(
        unit=unit,
        number=number.strip(),
        court=court,
        trial_stage=instance,
        pronounced_on=pronounced_on,
        effective_on=effective_on,
        first_instance_number=first_instance_number.strip(),
        first_instance_court=first_instance_court,
        first_instance_pronounced_on=first_instance_pronounced_on,
    )


@transaction.atomic
def open_case(
    judgment: Judgment,
    convict: ConvictInput,
    *,
    register_date: dt.date,
    recompute: bool = True,
) -> ExecutionCase:
    """Enter one convict of a judgment in the register (thụ lý)."""
    unit = judgment.unit
    if convict.person is not None:
        person = _known_person(unit, convict)
    else:
        person = Person.objects.create(
            unit=unit,
            full_name=convict.full_name,
            sex=convict.sex,
            birth_date=convict.birth_date,
            birth_year=convict.birth_year,
            id_number=convict.id_number.strip(),
            residence=convict.residence.strip(),
        )
    day = convict.register_date or register_date
    year = procuracy_year(day)
    seq = None
    number = convict.register_number.strip()
    if not number:
        year, seq = next_register_number(unit, day)
        number = f"{seq}/{year}"
    case = ExecutionCase.objects.create(
        unit=unit,
        judgment=judgment,
        person=person,
        register_number=number,
        register_year=year,
        register_seq=seq,
        register_date=day,
        prosecutor=convict.prosecutor,
        custody_at_judgment=convict.custody,
    )
    sentence = Sentence.objects.create(
        unit=unit,
        case=case,
        kind=convict.sentence_kind,
        term_years=convict.term_years,
        term_months=convict.term_months,
        term_days=convict.term_days,
        probation_years=convict.probation_years,
        probation_months=convict.probation_months,
        probation_days=convict.probation_days,
        fine_amount=convict.fine_amount,
    )
    crimes = {
        crime.article: crime
        for crime in Crime.objects.filter(
            article__in=[item.article for item in convict.crimes]
        )
    }
    unknown = [item.article for item in convict.crimes if item.article not in crimes]
    if unknown:
        raise ValueError(
            f"Điều {', '.join(unknown)} chưa có trong danh mục tội danh của BLHS."
        )
    SentenceCrime.objects.bulk_create(
        SentenceCrime(
            unit=unit,
            sentence=sentence,
            crime=crimes[item.article],
            clause=item.clause,
        )
        for item in convict.crimes
    )
    SupplementaryPenalty.objects.bulk_create(
        SupplementaryPenalty(
            unit=unit,
            sentence=sentence,
            kind=item.kind,
            term_years=item.years,
            term_months=item.months,
            term_days=item.days,
            fine_amount=item.fine_amount,
        )
        for item in convict.supplementary
    )
    DetentionPeriod.objects.bulk_create(
        DetentionPeriod(unit=unit, case=case, start=start, end=end)
        for start, end in convict.detention
    )
    if recompute:
        recompute_case(case)
    return case


# The case's state after each kind of event, in the order events happen.
_STATUS_AFTER = {
    EventKind.ENTRUSTMENT_ISSUED: CaseStatus.ENTRUSTED,
    EventKind.EXECUTION_DECISION_ISSUED: CaseStatus.NOT_STARTED,
    EventKind.REPORTED_TO_SERVE: CaseStatus.SERVING,
    EventKind.ESCORTED: CaseStatus.SERVING,
    EventKind.ADMITTED_TO_PRISON: CaseStatus.SERVING,
    EventKind.SUMMONED_TO_COMMUNE: CaseStatus.SERVING,
    EventKind.AGENCY_RECEIVED_EXECUTION_DECISION: None,
    EventKind.EXECUTION_STARTED: CaseStatus.SERVING,
    EventKind.ABSCONDED: CaseStatus.ABSCONDED,
    EventKind.RECAPTURED: CaseStatus.SERVING,
    EventKind.POSTPONEMENT_GRANTED: CaseStatus.POSTPONED,
    EventKind.POSTPONEMENT_CANCELLED: CaseStatus.NOT_STARTED,
    EventKind.SUSPENSION_GRANTED: CaseStatus.SUSPENDED,
    EventKind.SUSPENSION_ENDED: CaseStatus.SERVING,
    EventKind.SUSPENSION_CANCELLED: CaseStatus.SERVING,
    EventKind.TRANSFERRED_OUT: CaseStatus.TRANSFERRED,
    EventKind.TRANSFERRED_IN: CaseStatus.SERVING,
    EventKind.COMPLETED: CaseStatus.COMPLETED,
    EventKind.COMPLETION_CERTIFICATE_ISSUED: CaseStatus.COMPLETED,
    EventKind.COMPLETION_CERTIFICATE_RECEIVED: CaseStatus.COMPLETED,
    EventKind.DEATH: CaseStatus.TERMINATED,
    EventKind.TERMINATION_DECISION_ISSUED: CaseStatus.TERMINATED,
    EventKind.EXEMPTED: CaseStatus.TERMINATED,
    EventKind.AMNESTY: CaseStatus.COMPLETED,
}


# The procuracy's own acts on a case, in the order the event form lists them.
PROCURACY_ACTS = (
    EventKind.REQUEST_ISSUED,
    EventKind.SELF_INSPECTION_REPORTED,
    EventKind.RECOMMENDATION_ISSUED,
    EventKind.RECOMMENDATION_ANSWERED,
    EventKind.PROTEST_ISSUED,
    EventKind.PROTEST_ANSWERED,
)

# What may still be recorded after the convict's death: the court's
# termination decision (LTHAHS Art. 85(5), 97(5), 107(6)) and the procuracy's
# own acts on the case, such as a recommendation on a late termination.
AFTER_DEATH = frozenset({EventKind.TERMINATION_DECISION_ISSUED, *PROCURACY_ACTS})


# Events that follow the court's QĐTHA and cannot stand without one.
FOLLOWS_QDTHA = frozenset(
    {
        EventKind.EXECUTION_DECISION_SENT,
        EventKind.EXECUTION_DECISION_RECEIVED,
        EventKind.EXECUTION_DECISION_SERVED,
        EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
    }
)


def deletion_problem(event: Event) -> str | None:
    """Why deleting ``event`` would leave the case's other events without
    what they follow, or None."""
    if event.kind != EventKind.EXECUTION_DECISION_ISSUED:
        return None
    others = event.case.events.exclude(pk=event.pk)
    if others.filter(kind=EventKind.EXECUTION_DECISION_ISSUED).exists():
        return None
    follower = others.filter(kind__in=FOLLOWS_QDTHA).order_by("date", "pk").first()
    if follower is None:
        return None
    return (
        f"Chưa xóa: hồ sơ còn «{follower.get_kind_display()}» ngày "
        f"{follower.date:%d/%m/%Y}, sự kiện theo sau QĐTHA này. Sửa ngày QĐTHA "
        "nếu ghi sai, hoặc xóa các sự kiện gửi, nhận QĐTHA trước."
    )


def status_from_events(case: ExecutionCase) -> str:
    status = CaseStatus.NOT_STARTED
    # Community sentences start being served when the agency receives the
    # QĐTHA (E2, D2), without the convict having to report anywhere.
    community = case.sentence.kind in {"suspended", "non_custodial_reform"}
    died = False
    for event in case.events.all():
        if died and event.kind not in AFTER_DEATH:
            # An event recorded after the death (older entries, an import)
            # does not bring the case back to life.
            continue
        died = died or event.kind == EventKind.DEATH
        after = _STATUS_AFTER.get(event.kind)
        if event.kind == EventKind.AGENCY_RECEIVED_EXECUTION_DECISION and (
            community or case.custody_at_judgment == Custody.DETAINED
        ):
            # A detained convict serves from the moment the camp holds the
            # QĐTHA, whether or not they are later moved to a prison.
            after = CaseStatus.SERVING
        if after is not None:
            status = after
    return status


def recompute_case(case: ExecutionCase) -> None:
    """Bring the case's state and deadlines in line with its facts."""
    from monitoring.services import recompute_case as recompute_deadlines

    status = status_from_events(case)
    if status != case.status:
        case.status = status
        case.save(update_fields=["status", "updated_at"])
    recompute_deadlines(case)


def legal_effect_of(judgment: Judgment) -> tuple[dt.date, bool]:
    """The day the judgment took effect and whether it is the system's
    proposal (no date from the court's papers), as the engine counts it."""
    from monitoring import engine, rulebook
    from monitoring.calendar import get_calendar
    from monitoring.rules import get_rule_sets

    if judgment.effective_on:
        return judgment.effective_on, False
    window = rulebook.set_in_force(
        get_rule_sets(), judgment.pronounced_on
    ).legal_effect_window_days
    facts = engine.CaseFacts(
        sentence_kind="",
        custody="",
        instance=judgment.trial_stage,
        pronounced_on=judgment.pronounced_on,
        effective_on=None,
    )
    effect = engine.legal_effect(facts, get_calendar(), window, explain=False)
    return effect.date, effect.proposed


def early_decision_warning(judgment: Judgment, day: dt.date) -> str | None:
    """A QĐTHA dated before the judgment took effect: accepted (the engine
    counts A5 from it all the same), but the prosecutor should look again."""
    effect, proposed = legal_effect_of(judgment)
    if day >= effect:
        return None
    how = ", ngày hệ thống đề xuất" if proposed else ""
    return (
        f"QĐTHA ngày {day:%d/%m/%Y} trước ngày bản án có hiệu lực pháp luật "
        f"({effect:%d/%m/%Y}{how}): kiểm tra lại ngày."
    )


@transaction.atomic
def add_event(
    case: ExecutionCase,
    *,
    kind: str,
    date: dt.date,
    number: str = "",
    agency: Agency | None = None,
    details: dict | None = None,
    note: str = "",
    user: User | None = None,
    recompute: bool = True,
) -> Event:
    event = Event.objects.create(
        unit_id=case.unit_id,
        case=case,
        kind=kind,
        date=date,
        number=number.strip(),
        agency=agency,
        details=details or {},
        note=note.strip(),
        created_by=user,
    )
    if recompute:
        recompute_case(case)
    return event


@transaction.atomic
def change_event(event: Event, **changes) -> Event:
    for name, value in changes.items():
        setattr(event, name, value)
    event.save(update_fields=list(changes))
    recompute_case(event.case)
    return event


@transaction.atomic
def delete_event(event: Event, *, user: User | None = None) -> None:
    """Mark the event deleted (kept, with who and when, for an
    administrator to restore) and recompute the case without it."""
    event.deleted_at = timezone.now()
    event.deleted_by = user
    event.save(update_fields=["deleted_at", "deleted_by"])
    recompute_case(event.case)


@transaction.atomic
def restore_event(event: Event) -> None:
    """Undo a deletion: the event counts again from now on."""
    event.deleted_at = None
    event.deleted_by = None
    event.save(update_fields=["deleted_at", "deleted_by"])
    recompute_case(event.case)


@transaction.atomic
def cancel_case(case: ExecutionCase, *, on: dt.date, reason: str) -> None:
    """Cancel a register entry; it keeps its number, marked cancelled."""
    from monitoring.signals import deadlines_changed

    case.cancelled_on = on
    case.cancel_reason = reason.strip()
    case.save(update_fields=["cancelled_on", "cancel_reason", "updated_at"])
    # An entry that should not have been made breaches nothing: its
    # automatic violations go with it (withdrawn if already acted on).
    deadlines_changed.send(
        sender=ExecutionCase,
        case_ids=[case.pk],
        as_of=None,
        reason=f"Hủy số thụ lý: {case.cancel_reason}",
    )


@transaction.atomic
def assign_case(case: ExecutionCase, prosecutor: User | None) -> None:
    """Assign or reassign a case; the change is kept in the case's history."""
    case.prosecutor = prosecutor
    case.save(update_fields=["prosecutor", "updated_at"])


@transaction.atomic
def add_cover(*, unit: Unit, absent: User, cover: User, start, end, by: User):
    from cases.models import Cover

    return Cover.objects.create(
        unit=unit, absent=absent, cover=cover, start=start, end=end, created_by=by
    )


def end_cover(cover, today) -> str:
    """Stop a cover: one not begun is withdrawn, one under way ends
    yesterday, so the absent prosecutor's cases are theirs again today.
    The history keeps what it was. Returns what was done, for the user."""
    if cover.start >= today:
        cover.delete()
        return "Đã hủy phân công làm thay chưa bắt đầu."
    cover.end = min(cover.end, today - dt.timedelta(days=1))
    cover.save(update_fields=["end"])
    return f"Đã kết thúc làm thay từ hôm nay (ngày cuối {cover.end:%d/%m/%Y})."
