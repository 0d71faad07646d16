"""Recomputing a case's deadlines whenever its facts change."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from cases.models import ExecutionCase
from monitoring import engine
from monitoring.calendar import get_calendar
from monitoring.models import Deadline


def facts_of(case: ExecutionCase) -> engine.CaseFacts:
    judgment = case.judgment
    return engine.CaseFacts(
        sentence_kind=case.sentence.kind,
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
            )
            for event in case.events.all()
        ],
    )


def _agency_for(case: ExecutionCase, result: engine.DeadlineResult):
    if result.responsible_kind == "court":
        return case.judgment.executing_court
    return None


@transaction.atomic
def recompute_case(case: ExecutionCase) -> list[Deadline]:
    """Replace the case's stored deadlines by freshly computed ones."""
    results = engine.evaluate(facts_of(case), get_calendar())
    Deadline.objects.filter(case=case).delete()
    rows = [
        Deadline(
            unit_id=case.unit_id,
            case=case,
            rule=result.rule,
            rule_set=result.rule_set,
            title=result.title,
            start=result.start,
            due=result.due,
            warn_from=result.due - dt.timedelta(days=result.warn_days),
            done=result.done,
            lapsed_on=result.lapsed_on,
            shifted=result.shifted,
            verified=result.verified,
            responsible=result.responsible,
            responsible_kind=result.responsible_kind,
            agency=_agency_for(case, result),
            basis=result.basis,
            warn_days=result.warn_days,
            explanation=result.explanation,
        )
        for result in results
    ]
    return Deadline.objects.bulk_create(rows)
