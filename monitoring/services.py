"""Recomputing a case's deadlines and eligibility dates when facts change."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from cases.models import Agency, Endings, ExecutionCase, agency_endings, bearer_on
from monitoring import engine, rulebook, tally, terms
from monitoring.calendar import get_calendar
from monitoring.models import DateChange, Deadline, DeadlineOverride, EligibilityDate
from monitoring.rules import get_rule_sets
from monitoring.signals import deadlines_changed

logger = logging.getLogger(__name__)

DEFAULT_REASON = "Dữ liệu hồ sơ thay đổi"


def facts_of(case: ExecutionCase) -> engine.CaseFacts:
    """The engine's view of a case (reads its related rows once each)."""
    judgment = case.judgment
    sentence = case.sentence
    person = case.person
    return engine.CaseFacts(
        sentence_kind=sentence.kind,
        custody=case.custody_at_judgment,
        instance=judgment.trial_stage,
        pronounced_on=judgment.pronounced_on,
        effective_on=judgment.effective_on,
        events=[
            engine.EventFact(
                kind=event.kind,
                date=event.date,
                label=event.get_kind_display(),
                details=event.details or {},
                agency=event.agency.name if event.agency_id else "",
            )
            for event in case.events.select_related("agency").order_by("date", "pk")
        ],
        term=terms.Term(sentence.term_years, sentence.term_months, sentence.term_days),
        probation=terms.Term(
            sentence.probation_years, sentence.probation_months, sentence.probation_days
        ),
        detention=[
            (period.start, period.end) for period in case.detention_periods.all()
        ],
        first_instance_pronounced_on=judgment.first_instance_pronounced_on,
        birth_date=person.birth_date,
        birth_year=person.birth_year,
        has_supplementary=sentence.supplementary.exists(),
        crime_articles=list(sentence.crimes.values_list("crime__article", flat=True)),
    )


# Kinds of body that may answer for a duty of each responsible kind. The
# Ministry's bodies (A9c: the place of serving) are catalogued as "other".
AGENCY_KINDS = {
    "court": (Agency.Kind.COURT,),
    "execution_agency": (Agency.Kind.EXECUTION_AGENCY, Agency.Kind.OTHER),
    "prison": (Agency.Kind.PRISON, Agency.Kind.DETENTION_CENTRE),
    "detention_centre": (Agency.Kind.DETENTION_CENTRE, Agency.Kind.PRISON),
    "commune": (Agency.Kind.COMMUNE,),
    "commune_police": (Agency.Kind.COMMUNE_POLICE, Agency.Kind.EXECUTION_AGENCY),
}


def acting_agency_id(
    result: engine.DeadlineResult,
    known: dict[str, tuple[int, str]],
    endings: Endings,
    due: dt.date,
) -> int | None:
    """The body that answers for a duty other than a court's: of the bodies
    recorded on the event that fulfilled it and on the one that started the
    clock, the first of a kind that can bear the duty. The two differ: the
    province files and the Ministry decides (A9b, A9c); the agency summons
    and the commune receives (D4). ``known`` maps names to (id, kind).

    The body that fulfilled the duty answers for it as recorded; one named
    only by the start event answers through its successor when it no longer
    existed on the due date (``endings``, :func:`cases.models.bearer_on`):
    the district execution agencies' duties passed to the province's on
    01/03/2025 (TTLT 02/2025/TTLT-BCA-VKSNDTC-TANDTC)."""
    if result.responsible_kind == "convict":
        return None
    kinds = AGENCY_KINDS.get(result.responsible_kind)
    done = known.get(result.done_agency)
    if done and (kinds is None or done[1] in kinds):
        return done[0]
    start = known.get(result.start_agency)
    if start and (kinds is None or start[1] in kinds):
        return bearer_on(start[0], due, endings)
    return None


def known_agencies(names) -> dict[str, tuple[int, str]]:
    names = {name for name in names if name}
    if not names:
        return {}
    return {
        name: (pk, kind)
        for name, pk, kind in Agency.objects.filter(name__in=names).values_list(
            "name", "pk", "kind"
        )
    }


def named_court_id(
    result: engine.DeadlineResult, court_id: int, executing_court_id: int
) -> int:
    """The court a court's duty names. A duty counted from the pronouncement
    (A4, A4b: sending the judgment, BLTTHS Art. 262) is the judgment's and
    falls on the court that pronounced it, the appeal court for an appeal
    judgment (A4b, Art. 262 k2); the others (A5 QĐTHA, BLTTHS Art. 364; A7,
    A8 sending it) fall on the court that tried the case at first instance."""
    if result.trigger == rulebook.PRONOUNCED:
        return court_id
    return executing_court_id


def responsible_agency_id(
    result: engine.DeadlineResult,
    *,
    court_id: int,
    executing_court_id: int,
    known: dict[str, tuple[int, str]],
    endings: Endings,
    due: dt.date | None = None,
) -> int | None:
    """The body a deadline is charged to: the court it names, or the body
    of :func:`acting_agency_id`; a body that no longer existed on the due
    date hands the duty to its successor on that day (legal-rules.md §0:
    the regional court takes over the district court's first-instance
    jurisdiction from 01/07/2025)."""
    due = due or result.due
    if result.responsible_kind == "court":
        named = named_court_id(result, court_id, executing_court_id)
        if result.trigger == rulebook.EVENT:
            # A duty that follows a court's own act (A7: send the QĐTHA it
            # issued; A6: the entrusted court issues it) falls on the court
            # recorded on that act, which an entrustment makes another one.
            started_by = known.get(result.start_agency)
            if started_by and started_by[1] == Agency.Kind.COURT:
                named = started_by[0]
        return bearer_on(named, due, endings)
    return acting_agency_id(result, known, endings, due)


def _responsible_agency(
    case: ExecutionCase, result: engine.DeadlineResult, due: dt.date, endings
) -> int | None:
    judgment = case.judgment
    return responsible_agency_id(
        result,
        court_id=judgment.court_id,
        executing_court_id=judgment.executing_court_id,
        known=known_agencies((result.done_agency, result.start_agency)),
        endings=endings,
        due=due,
    )


def _by_occurrence(rows) -> dict[tuple[str, int], dt.date]:
    """Due dates keyed by rule and occurrence (1st A7, 2nd B4 …), so that a
    corrected start date still compares with the date it replaces."""
    keyed: dict[tuple[str, int], dt.date] = {}
    counts: dict[str, int] = {}
    for rule, _start, due in sorted(rows, key=lambda row: (row[0], row[1])):
        counts[rule] = counts.get(rule, 0) + 1
        keyed[(rule, counts[rule])] = due
    return keyed


def _tally_rows(deadlines, prosecutor_id):
    return (
        (
            row.unit_id,
            prosecutor_id,
            row.agency_id,
            row.responsible_kind,
            row.due,
            row.done,
            row.lapsed_on,
        )
        for row in deadlines
    )


@transaction.atomic
def recompute_case(case: ExecutionCase, reason: str = DEFAULT_REASON) -> None:
    """Replace the case's stored dates by freshly computed ones.

    Runs in the transaction of the change that caused it; a date that moves
    is recorded with its old and new value and the reason. No explanation
    is stored: :func:`explain` computes it when a page shows it.
    """
    # Locked, and its prosecutor read as stored: the tally's difference
    # (below) must not race another recomputation of the same case.
    prosecutor_id, cancelled_on = (
        ExecutionCase.objects.select_for_update()
        .filter(pk=case.pk)
        .values_list("prosecutor_id", "cancelled_on")
        .get()
    )
    outcome = engine.compute(
        facts_of(case), get_calendar(), rule_sets=get_rule_sets(), explain=False
    )
    problems = [{"code": p.code, "message": p.message} for p in outcome.problems]
    if problems != case.problems:
        case.problems = problems
        case.save(update_fields=["problems", "updated_at"])

    old_rows = list(Deadline.objects.filter(case=case))
    old_due = _by_occurrence(
        (row.rule, row.start, row.computed_due or row.due) for row in old_rows
    )
    old_eligible = dict(
        EligibilityDate.objects.filter(case=case).values_list("rule", "date")
    )
    overrides = {
        (row.rule, row.start): row for row in DeadlineOverride.objects.filter(case=case)
    }
    Deadline.objects.filter(case=case).delete()
    EligibilityDate.objects.filter(case=case).delete()

    endings = agency_endings()
    rows = []
    for result in outcome.deadlines:
        override = overrides.get((result.rule, result.start))
        due, computed_due, override_reason = result.due, None, ""
        if override is not None:
            due, computed_due = override.due, result.due
            override_reason = f"{override.get_reason_display()}: {override.note}"
        rows.append(
            Deadline(
                unit_id=case.unit_id,
                case=case,
                rule=result.rule,
                rule_set=result.rule_set,
                title=result.title,
                start=result.start,
                due=due,
                warn_from=due - dt.timedelta(days=result.warn_days),
                done=result.done,
                lapsed_on=result.lapsed_on,
                shifted=result.shifted,
                verified=result.verified,
                responsible=result.responsible,
                responsible_kind=result.responsible_kind,
                agency_id=_responsible_agency(case, result, due, endings),
                basis=result.basis,
                warn_days=result.warn_days,
                computed_due=computed_due,
                override_reason=override_reason,
            )
        )
    Deadline.objects.bulk_create(rows)
    if cancelled_on is None:
        tally.apply(
            tally.difference(
                tally.counts(_tally_rows(old_rows, prosecutor_id)),
                tally.counts(_tally_rows(rows, prosecutor_id)),
            )
        )
    EligibilityDate.objects.bulk_create(
        EligibilityDate(
            unit_id=case.unit_id,
            case=case,
            rule=result.rule,
            title=result.title,
            date=result.date,
            basis=result.basis,
        )
        for result in outcome.eligibility
    )

    new_due = _by_occurrence(
        (result.rule, result.start, result.due) for result in outcome.deadlines
    )
    changes = [
        DateChange(
            unit_id=case.unit_id,
            case=case,
            rule=key[0],
            old_date=old_due[key],
            new_date=due,
            reason=reason,
        )
        for key, due in new_due.items()
        if key in old_due and old_due[key] != due
    ]
    changes += [
        DateChange(
            unit_id=case.unit_id,
            case=case,
            rule=result.rule,
            old_date=old_eligible[result.rule],
            new_date=result.date,
            reason=reason,
        )
        for result in outcome.eligibility
        if result.rule in old_eligible and old_eligible[result.rule] != result.date
    ]
    DateChange.objects.bulk_create(changes)
    deadlines_changed.send(
        sender=ExecutionCase, case_ids=[case.pk], as_of=None, reason=reason
    )


STALE = (
    "Chưa có giải thích: dữ liệu hồ sơ, quy tắc hoặc lịch làm việc đã thay đổi "
    "sau lần tính hạn này; hạn sẽ được tính lại."
)


def explain(case: ExecutionCase, deadlines=(), eligibility=()) -> None:
    """Give each stored deadline and eligibility date of ``case`` its
    explanation (an ``explanation`` list of lines), computed again from the
    case's facts: about a millisecond, against storing some 0.5 kB per row.

    The engine is deterministic, so the lines are those of the computation
    that stored the row; a row whose date the current facts, rules or
    calendar no longer give (its case is recomputed after any such change,
    so only until then) says so instead of explaining another date.
    """
    deadlines, eligibility = list(deadlines), list(eligibility)
    if not deadlines and not eligibility:
        return
    outcome = engine.compute(facts_of(case), get_calendar(), rule_sets=get_rule_sets())
    results: dict[tuple, list[engine.DeadlineResult]] = {}
    for result in outcome.deadlines:
        results.setdefault((result.rule, result.rule_set, result.start), []).append(
            result
        )
    known = known_agencies(
        name
        for result in outcome.deadlines
        for name in (result.done_agency, result.start_agency)
    )
    for row in deadlines:
        computed_due = row.computed_due or row.due
        candidates = results.get((row.rule, row.rule_set, row.start), [])
        result = next((r for r in candidates if r.due == computed_due), None)
        if result is None:
            row.explanation = [STALE]
            continue
        candidates.remove(result)
        lines = list(result.explanation)
        succession = _succession_line(case, row, result, known)
        if succession:
            lines.append(succession)
        if row.computed_due:
            lines.append(
                f"Hạn được ấn định thủ công {row.due:%d/%m/%Y} (hạn tính theo "
                f"quy tắc {row.computed_due:%d/%m/%Y}); lý do: {row.override_reason}."
            )
        row.explanation = lines
    by_rule = {result.rule: result for result in outcome.eligibility}
    for row in eligibility:
        result = by_rule.get(row.rule)
        row.explanation = (
            list(result.explanation)
            if result is not None and result.date == row.date
            else [STALE]
        )


def _succession_line(case: ExecutionCase, row, result, known) -> str:
    """Says so when a deadline is charged to the successor of the body it
    names (the body had ended before the due date); sets the row's
    ``agency_note`` for the agency line of the case page."""
    row.agency_note = ""
    if row.agency_id is None:
        return ""
    judgment = case.judgment
    named_id = responsible_agency_id(
        result,
        court_id=judgment.court_id,
        executing_court_id=judgment.executing_court_id,
        known=known,
        endings={},
        due=row.due,
    )
    if named_id is None or named_id == row.agency_id:
        return ""
    named = Agency.objects.filter(pk=named_id).first()
    if named is None or named.valid_to is None or named.valid_to >= row.due:
        return ""
    row.agency_note = f"kế thừa {named.name}"
    return (
        f"Chủ thể chịu trách nhiệm: {row.agency.name}, cơ quan kế thừa nhiệm vụ "
        f"của {named.name} (chấm dứt hoạt động sau ngày {named.valid_to:%d/%m/%Y}); "
        f"hạn {row.due:%d/%m/%Y} đến sau ngày đó."
    )


def recompute_all(reason: str, unit_ids: list[int] | None = None) -> int:
    """Recompute every case (after a rule or calendar edit) in batches: the
    same rows as case by case (``tests/monitoring/test_batch.py``) in a
    fraction of the time, which matters where the task runs in the
    administrator's request (the embedded demo, no broker). One case's
    failure is logged and does not stop the others. Returns the number of
    cases recomputed."""
    from monitoring import batch

    cases = ExecutionCase.objects.order_by("pk")
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=unit_ids)
    result = batch.recompute_cases(cases, reason=reason)
    return result.cases


@transaction.atomic
def set_override(
    case: ExecutionCase,
    *,
    rule: str,
    start: dt.date,
    due: dt.date,
    reason: str,
    note: str,
    user,
) -> DeadlineOverride:
    override, _ = DeadlineOverride.objects.update_or_create(
        case=case,
        rule=rule,
        start=start,
        defaults={
            "unit_id": case.unit_id,
            "due": due,
            "reason": reason,
            "note": note.strip(),
            "created_by": user,
        },
    )
    recompute_case(case, f"Ấn định hạn {rule} thủ công")
    return override


@transaction.atomic
def clear_override(case: ExecutionCase, *, rule: str, start: dt.date) -> None:
    DeadlineOverride.objects.filter(case=case, rule=rule, start=start).delete()
    recompute_case(case, f"Bỏ hạn {rule} ấn định thủ công")
