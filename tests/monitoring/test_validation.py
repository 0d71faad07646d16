"""engine.validate: facts that contradict each other, with a reason code and a
Vietnamese message each; a case with a problem gets no dates at all
("dates not computed"), while lawful but unusual facts are accepted and
still get their dates.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from monitoring import engine
from monitoring.calendar import build_calendar
from monitoring.engine import CaseFacts, EventFact, Problem
from monitoring.terms import Term

CAL = build_calendar(
    importlib.import_module("monitoring.migrations.0002_calendar_2026").OVERRIDES
)


def d(day: int, month: int, year: int) -> date:
    """Dates written the Vietnamese way, day first."""
    return date(year, month, day)


def ev(kind: str, day: date, label: str = "", **details) -> EventFact:
    return EventFact(kind=kind, date=day, label=label, details=details)


def case(kind: str = "prison", *events: EventFact, **more) -> CaseFacts:
    values = {
        "sentence_kind": kind,
        "custody": "at_liberty",
        "instance": "first",
        "pronounced_on": d(10, 3, 2025),
        "effective_on": d(10, 4, 2025),
        "term": Term(2),
        "events": list(events),
    }
    values.update(more)
    return CaseFacts(**values)


def codes(facts: CaseFacts) -> list[str]:
    return [problem.code for problem in engine.validate(facts)]


def assert_refused(facts: CaseFacts, problem: Problem) -> None:
    """validate reports the problem, and compute then gives no dates."""
    assert problem in engine.validate(facts)
    outcome = engine.compute(facts, CAL)
    assert problem in outcome.problems
    assert outcome.deadlines == []
    assert outcome.eligibility == []


# --------------------------------------------------------------------------
# Each reason code
# --------------------------------------------------------------------------


def test_event_before_pronouncement():
    """A QĐTHA dated 05/03/2025 cannot precede the judgment of 10/03/2025."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(5, 3, 2025), "Quyết định thi hành án"),
    )
    assert_refused(
        facts,
        Problem(
            "event_before_pronouncement",
            "Quyết định thi hành án ngày 05/03/2025 trước ngày tuyên án 10/03/2025.",
        ),
    )


def test_legal_effect_before_pronouncement():
    """An entered legal-effect date 01/03/2025 before the pronouncement."""
    facts = case(effective_on=d(1, 3, 2025))
    assert_refused(
        facts,
        Problem(
            "effect_before_pronouncement",
            "Ngày có hiệu lực pháp luật trước ngày tuyên án.",
        ),
    )


def test_detention_periods_overlapping():
    """Tạm giữ 01/03-20/03/2025 and tạm giam from 15/03/2025 overlap."""
    facts = case(
        detention=[(d(1, 3, 2025), d(20, 3, 2025)), (d(15, 3, 2025), d(30, 3, 2025))]
    )
    assert_refused(
        facts,
        Problem(
            "detention_overlap",
            "Hai thời gian tạm giam chồng lên nhau (từ 01/03/2025 và từ 15/03/2025).",
        ),
    )


def test_an_open_detention_followed_by_another_period_overlaps():
    """A period with no end (still held) followed by another one."""
    facts = case(detention=[(d(1, 3, 2025), None), (d(15, 3, 2025), d(30, 3, 2025))])
    assert codes(facts) == ["detention_overlap"]


def test_detention_period_ending_before_it_starts():
    """Detention 'from 20/03/2025 to 01/03/2025' is reversed."""
    facts = case(detention=[(d(20, 3, 2025), d(1, 3, 2025))])
    assert_refused(
        facts,
        Problem(
            "period_reversed",
            "Thời gian tạm giam kết thúc (01/03/2025) trước khi bắt đầu (20/03/2025).",
        ),
    )


def test_postponement_until_before_its_date():
    """A postponement granted 10/04/2025 'until 01/04/2025' is reversed."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(14, 4, 2025)),
        ev(
            "postponement_granted",
            d(20, 4, 2025),
            "Quyết định hoãn",
            until="2025-04-01",
        ),
    )
    assert_refused(
        facts,
        Problem(
            "period_reversed",
            "Quyết định hoãn ngày 20/04/2025 có ngày hết hạn 01/04/2025 trước ngày "
            "quyết định.",
        ),
    )


def test_qdtha_received_before_it_was_issued():
    """The procuracy cannot receive on 14/04/2025 a QĐTHA issued 16/04/2025."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(16, 4, 2025), "Quyết định thi hành án"),
        ev("execution_decision_received", d(14, 4, 2025), "VKS nhận QĐTHA"),
    )
    assert_refused(
        facts,
        Problem(
            "stop_before_start",
            "VKS nhận QĐTHA ngày 14/04/2025 trước sự kiện mà nó trả lời "
            "(Quyết định thi hành án ngày 16/04/2025).",
        ),
    )


def test_recommendation_answered_before_it_was_issued():
    """A reply of 01/05/2025 to a kiến nghị issued 05/05/2025."""
    facts = case(
        "prison",
        ev("recommendation_issued", d(5, 5, 2025)),
        ev("recommendation_answered", d(1, 5, 2025)),
    )
    assert codes(facts) == ["stop_before_start"]


def test_event_after_the_case_closed_by_death():
    """Died 15/04/2025; 'reported to serve' 20/04/2025 cannot follow."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(14, 4, 2025)),
        ev("death", d(15, 4, 2025), "Chết"),
        ev("reported_to_serve", d(20, 4, 2025), "Có mặt chấp hành án"),
    )
    assert_refused(
        facts,
        Problem(
            "event_after_close",
            "Có mặt chấp hành án ngày 20/04/2025 sau khi hồ sơ đã kết thúc ngày "
            "15/04/2025.",
        ),
    )


CTKGG_RANGE = "Cải tạo không giam giữ phải từ 06 tháng đến 03 năm (BLHS Điều 36)."
PRISON_RANGE = (
    "Tù có thời hạn từ 03 tháng đến 20 năm, tổng hợp nhiều tội không quá 30 năm "
    "(BLHS Điều 38, 55)."
)
SUSPENDED_RANGE = "Án treo chỉ áp dụng với mức phạt tù không quá 03 năm (BLHS Điều 65)."
PROBATION_RANGE = "Thời gian thử thách của án treo từ 01 năm đến 05 năm (BLHS Điều 65)."


@pytest.mark.parametrize(
    ("kind", "term", "probation", "problem"),
    [
        (
            "non_custodial_reform",
            Term(4),
            Term(),
            Problem("term_out_of_range", CTKGG_RANGE),
        ),
        (
            "non_custodial_reform",
            Term(0, 5),
            Term(),
            Problem("term_out_of_range", CTKGG_RANGE),
        ),
        ("suspended", Term(4), Term(3), Problem("term_out_of_range", SUSPENDED_RANGE)),
        ("prison", Term(40), Term(), Problem("term_out_of_range", PRISON_RANGE)),
        ("prison", Term(0, 2), Term(), Problem("term_out_of_range", PRISON_RANGE)),
        (
            "suspended",
            Term(2),
            Term(6),
            Problem("probation_out_of_range", PROBATION_RANGE),
        ),
        (
            "suspended",
            Term(2),
            Term(0, 11),
            Problem("probation_out_of_range", PROBATION_RANGE),
        ),
    ],
)
def test_term_out_of_range(kind, term, probation, problem):
    """BLHS Art. 36 (CTKGG 6 months-3 years), 38 and 55 (prison 3 months-20
    years, 30 aggregated), 65 (án treo only for ≤ 3 years; probation 1-5
    years): CTKGG 4 years or 5 months, a suspended 4-year term, prison 40
    years or 2 months, probation 6 years or 11 months are refused."""
    assert_refused(case(kind, term=term, probation=probation), problem)


@pytest.mark.parametrize(
    ("kind", "term", "probation"),
    [
        ("non_custodial_reform", Term(0, 6), Term()),
        ("non_custodial_reform", Term(3), Term()),
        ("prison", Term(0, 3), Term()),
        ("prison", Term(30), Term()),
        ("suspended", Term(3), Term(5)),
        ("suspended", Term(0, 6), Term(1)),
        ("life", Term(), Term()),
    ],
)
def test_terms_at_the_limits_are_accepted(kind, term, probation):
    """The limits themselves are lawful."""
    assert codes(case(kind, term=term, probation=probation)) == []


def test_every_problem_is_reported_not_only_the_first():
    """A reversed detention and an event before the judgment: both."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(5, 3, 2025)),
        detention=[(d(20, 2, 2025), d(1, 2, 2025))],
    )
    assert sorted(codes(facts)) == ["event_before_pronouncement", "period_reversed"]


# --------------------------------------------------------------------------
# Lawful but unusual facts: accepted, and dates computed
# --------------------------------------------------------------------------


def test_a_second_qdtha_after_the_judgment_was_annulled_is_accepted():
    """A QĐTHA of Mon 14/04/2025 was followed by a cassation annulling the
    judgment and a new QĐTHA of Mon 06/10/2025: no problem; A7 still runs
    from the first QĐTHA: Tue 15, Wed 16, Thu 17/04/2025."""
    facts = case(
        "prison",
        ev("execution_decision_issued", d(14, 4, 2025)),
        ev("execution_decision_received", d(16, 4, 2025)),
        ev("execution_decision_issued", d(6, 10, 2025)),
    )
    outcome = engine.compute(facts, CAL)
    assert outcome.problems == []
    a7 = [row for row in outcome.deadlines if row.rule == "A7"]
    assert [(row.start, row.due, row.done) for row in a7][0] == (
        d(14, 4, 2025),
        d(17, 4, 2025),
        d(16, 4, 2025),
    )


def test_detention_continuing_after_the_judgment_is_accepted_and_credited():
    """A CTKGG convict held 01/03-12/03/2025, released two days after the
    judgment of 10/03/2025: no problem; 12 days x 3 = 36 days credited; the
    agency received the QĐTHA Mon 14/04/2025: E4a due Thu 17/04/2025; E7 one
    third of 2 years = 240 - 36 = 204 days = 6 months 24 days: 14/10/2025 +
    24 = 07/11/2025."""
    facts = case(
        "non_custodial_reform",
        ev("agency_received_execution_decision", d(14, 4, 2025)),
        detention=[(d(1, 3, 2025), d(12, 3, 2025))],
    )
    outcome = engine.compute(facts, CAL)
    assert outcome.problems == []
    assert [row.due for row in outcome.deadlines if row.rule == "E4a"] == [
        d(17, 4, 2025)
    ]
    assert [row.date for row in outcome.eligibility] == [d(7, 11, 2025)]


def test_a_prisoner_still_held_after_the_judgment_is_accepted():
    """Detention from 01/10/2024 with no end (still held on the judgment of
    10/03/2025): no problem; C7 of 2 years = 8 months: 01/06/2025."""
    facts = case("prison", custody="detained", detention=[(d(1, 10, 2024), None)])
    outcome = engine.compute(facts, CAL)
    assert outcome.problems == []
    assert {row.rule: row.date for row in outcome.eligibility}["C7"] == d(1, 6, 2025)


def test_tam_giu_followed_by_tam_giam_the_next_day_is_not_an_overlap():
    """Tạm giữ 01/03-03/03/2025 then tạm giam from 04/03/2025: adjacent, not
    overlapping; the term of a convict held throughout runs from 01/03/2025."""
    facts = case(
        "prison",
        custody="detained",
        detention=[(d(1, 3, 2025), d(3, 3, 2025)), (d(4, 3, 2025), None)],
    )
    assert codes(facts) == []
    assert engine.term_start(facts).start == d(1, 3, 2025)
    assert engine.term_end(facts).date == d(1, 3, 2027)


def test_the_paperwork_of_closing_may_follow_death():
    """Died 15/04/2025; termination 18/04 and a kiến nghị 25/04/2025 are
    accepted; D7 runs: Wed 16, Thu 17, Fri 18/04/2025: met."""
    facts = case(
        "suspended",
        ev("death", d(15, 4, 2025)),
        ev("termination_decision_issued", d(18, 4, 2025)),
        ev("recommendation_issued", d(25, 4, 2025)),
        probation=Term(3),
    )
    outcome = engine.compute(facts, CAL)
    assert outcome.problems == []
    d7 = [row for row in outcome.deadlines if row.rule == "D7"]
    assert [(row.due, row.done) for row in d7] == [(d(18, 4, 2025), d(18, 4, 2025))]


def test_events_after_as_of_are_not_validated_yet():
    """An event after the case closed but dated after as_of has not happened:
    at 16/04/2025 only the death of 15/04 is known: no problem."""
    facts = case(
        "prison",
        ev("death", d(15, 4, 2025)),
        ev("reported_to_serve", d(20, 4, 2025)),
    )
    assert engine.compute(facts, CAL, as_of=d(16, 4, 2025)).problems == []
    assert engine.compute(facts, CAL).problems != []
