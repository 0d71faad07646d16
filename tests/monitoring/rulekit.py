"""Helpers shared by the hand-computed rule tests (test_rules_*.py)."""

from __future__ import annotations

import importlib
from datetime import date

from monitoring import engine
from monitoring.calendar import build_calendar
from monitoring.engine import CaseFacts, EventFact

CAL = build_calendar(
    importlib.import_module("monitoring.migrations.0002_calendar_2026").OVERRIDES
)


def d(day: int, month: int, year: int) -> date:
    """Dates written the Vietnamese way, day first."""
    return date(year, month, day)


def ev(kind: str, day: date, **details) -> EventFact:
    return EventFact(kind=kind, date=day, details=details)


def outcome(facts: CaseFacts, as_of: date | None = None) -> engine.Outcome:
    result = engine.compute(facts, CAL, as_of=as_of)
    assert result.problems == [], result.problems
    return result


def rows(facts: CaseFacts, rule: str, as_of: date | None = None):
    return [row for row in outcome(facts, as_of).deadlines if row.rule == rule]


def one(facts: CaseFacts, rule: str, as_of: date | None = None):
    found = rows(facts, rule, as_of)
    assert len(found) == 1, f"{rule}: {found}"
    return found[0]


def status(row: engine.DeadlineResult, as_of: date) -> engine.Status:
    return engine.status_of(row.due, row.done, as_of, row.warn_days, row.lapsed_on)


def text(row) -> str:
    return "\n".join(row.explanation)


def eligible(facts: CaseFacts, rule: str) -> date | None:
    found = [row for row in outcome(facts).eligibility if row.rule == rule]
    return found[0].date if found else None


MET = engine.Status("met", 0)
