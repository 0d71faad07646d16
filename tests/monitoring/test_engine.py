"""Deadline rules A5, A7, A8, A10, the proposed legal-effect date and status_of.

Expected dates are computed by hand from the calendar (see test_dates.py for
the rest days used) and the conventions of shared/domain/legal-rules.md;
statuses and late_days follow shared/domain/interchange.md ("Export
semantics"). The three worked examples P1-P3 of shared/domain/examples are
replayed through engine.evaluate + engine.status_of at as_of 2026-06-01.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from monitoring import dates, engine
from monitoring.calendar import build_calendar
from monitoring.engine import CaseFacts, EventFact

OVERRIDES_2026 = [
    (date(2026, 1, 2), "day_off", "Nghỉ Tết Dương lịch (hoán đổi với ngày 10/01/2026)"),
    (date(2026, 1, 10), "working_day", "Làm bù cho ngày 02/01/2026"),
]
CAL = build_calendar(OVERRIDES_2026)
EXAMPLES_AS_OF = date(2026, 6, 1)
P1_EFFECT = date(2025, 1, 21)
P2_EFFECT = date(2025, 4, 22)
P3_EFFECT = date(2024, 12, 3)
PRONOUNCED = date(2024, 12, 20)


def d(day: int, month: int, year: int) -> date:
    """Dates written the Vietnamese way, day first."""
    return date(year, month, day)


def ev(kind: str, day: date, **details) -> EventFact:
    return EventFact(kind=kind, date=day, details=details)


def case(
    kind: str = "prison",
    *,
    custody: str = "at_liberty",
    instance: str = "first",
    pronounced: date = PRONOUNCED,
    effective: date | None = None,
    events=(),
) -> CaseFacts:
    return CaseFacts(
        sentence_kind=kind,
        custody=custody,
        instance=instance,
        pronounced_on=pronounced,
        effective_on=effective,
        events=list(events),
    )


def rows(
    facts: CaseFacts, as_of: date | None = None
) -> dict[str, engine.DeadlineResult]:
    results = engine.evaluate(facts, CAL, as_of=as_of)
    codes = [result.rule for result in results]
    assert len(codes) == len(set(codes)), codes
    return {result.rule: result for result in results}


def only(
    facts: CaseFacts, rule: str, as_of: date | None = None
) -> engine.DeadlineResult:
    found = rows(facts, as_of)
    assert rule in found, f"{rule} not evaluated; got {sorted(found)}"
    return found[rule]


def status(result: engine.DeadlineResult, as_of: date) -> engine.Status:
    return engine.status_of(
        result.due, result.done, as_of, result.warn_days, result.lapsed_on
    )


def text(result) -> str:
    return "\n".join(result.explanation)


# --------------------------------------------------------------------------
# The three worked examples of shared/domain/examples (expected.json)
# --------------------------------------------------------------------------


def p1(effective: date | None = P1_EFFECT) -> CaseFacts:
    return case(
        "prison",
        pronounced=d(20, 12, 2024),
        effective=effective,
        events=[ev("execution_decision_issued", d(5, 2, 2025))],
    )


def p2(effective: date | None = P2_EFFECT) -> CaseFacts:
    return case(
        "prison",
        pronounced=d(20, 3, 2025),
        effective=effective,
        events=[
            ev("execution_decision_issued", d(28, 4, 2025)),
            ev("execution_decision_received", d(6, 5, 2025)),
        ],
    )


def p3(effective: date | None = P3_EFFECT) -> CaseFacts:
    return case("suspended", pronounced=d(31, 10, 2024), effective=effective)


@pytest.mark.parametrize("effective", [d(21, 1, 2025), None])
def test_p1_a5_due_mon_3_february_2025_issued_5_february_met_late_2_days(effective):
    """A5 (BLTTHS 364), example P1: effect Tue 21/01/2025 (entered, or proposed:
    20/12/2024 + 30 = Sun 19/01 → Mon 20/01, effect 21/01); + 7 = Tue 28/01,
    a Tết day off; runs to Mon 03/02/2025. QĐTHA 05/02/2025: met late by 2 days."""
    result = only(p1(effective), "A5", EXAMPLES_AS_OF)
    assert result.start == d(21, 1, 2025)
    assert result.due == d(3, 2, 2025)
    assert result.done == d(5, 2, 2025)
    assert result.shifted
    assert status(result, EXAMPLES_AS_OF) == engine.Status("met_late", 2)


def test_p1_a7_from_wed_5_february_2025_due_mon_10_february_never_received_overdue():
    """A7 (LTHAHS 22(2)), P1's QĐTHA of Wed 05/02/2025: Thu 06 (1), Fri 07 (2),
    Mon 10/02/2025 (3). No sending or receipt known: at 01/06/2026 overdue by
    476 days (10/02/2025 → 10/02/2026 = 365, → 10/05/2026 = 89, → 01/06 = 22)."""
    result = only(p1(), "A7", EXAMPLES_AS_OF)
    assert result.due == d(10, 2, 2025)
    assert result.done is None
    assert status(result, EXAMPLES_AS_OF) == engine.Status("overdue", 476)


@pytest.mark.parametrize("effective", [d(22, 4, 2025), None])
def test_p2_a7_due_tue_6_may_2025_received_6_may_met(effective):
    """A7 (LTHAHS 22(2)), example P2: QĐTHA Mon 28/04/2025; Tue 29/04 (1);
    30/04, 01/05, 02/05 (swapped day off) and the weekend skipped; Mon 05/05 (2),
    Tue 06/05/2025 (3). No sending date: judged by the procuracy's receipt
    06/05/2025: met."""
    result = only(p2(effective), "A7", EXAMPLES_AS_OF)
    assert result.start == d(28, 4, 2025)
    assert result.due == d(6, 5, 2025)
    assert result.done == d(6, 5, 2025)
    assert status(result, EXAMPLES_AS_OF) == engine.Status("met", 0)
    assert "xét theo ngày VKS nhận" in text(result)


def test_p2_a5_effect_tue_22_april_2025_due_tue_29_april_issued_28_april_met():
    """A5 (BLTTHS 364), P2: 20/03/2025 + 30 = Sat 19/04 → Mon 21/04, effect
    Tue 22/04/2025; + 7 = Tue 29/04/2025, a working day. QĐTHA 28/04: met."""
    result = only(p2(None), "A5", EXAMPLES_AS_OF)
    assert result.start == d(22, 4, 2025)
    assert result.due == d(29, 4, 2025)
    assert not result.shifted
    assert status(result, EXAMPLES_AS_OF) == engine.Status("met", 0)


@pytest.mark.parametrize("effective", [d(3, 12, 2024), None])
def test_p3_a5_due_tue_10_december_2024_no_qdtha_overdue_538_days(effective):
    """A5 (BLTTHS 364), example P3: 31/10/2024 + 30 = Sat 30/11 → Mon 02/12,
    effect Tue 03/12/2024; + 7 = Tue 10/12/2024. No QĐTHA: at 01/06/2026
    overdue by 538 days (→ 10/12/2025 = 365, → 10/05/2026 = 151, → 01/06 = 22)."""
    result = only(p3(effective), "A5", EXAMPLES_AS_OF)
    assert result.start == d(3, 12, 2024)
    assert result.due == d(10, 12, 2024)
    assert result.done is None
    assert status(result, EXAMPLES_AS_OF) == engine.Status("overdue", 538)


def test_p3_has_no_a8_without_a_qdtha():
    """A8 starts with the QĐTHA; P3 has none, so neither A8 nor any rule
    answering the QĐTHA (D4) is listed; A5 is."""
    found = rows(p3(), EXAMPLES_AS_OF)
    assert "A5" in found
    assert not {"A8", "D4", "D5"} & set(found)


def test_p4_a8_ctkgg_qdtha_mon_9_june_2025_due_thu_12_june_and_a5_met():
    """A8 (LTHAHS 96(2)), P4 (CTKGG): QĐTHA Mon 09/06/2025 → Tue 10, Wed 11,
    Thu 12/06/2025. A5: 06/05/2025 + 30 = Thu 05/06 → effect Fri 06/06; + 7 =
    Fri 13/06/2025; QĐTHA 09/06: met."""
    facts = case(
        "non_custodial_reform",
        pronounced=d(6, 5, 2025),
        effective=d(6, 6, 2025),
        events=[
            ev("execution_decision_issued", d(9, 6, 2025)),
            ev("agency_received_execution_decision", d(10, 6, 2025)),
        ],
    )
    found = rows(facts, EXAMPLES_AS_OF)
    assert {"A5", "A8", "E4a"} <= set(found)
    assert found["A8"].due == d(12, 6, 2025)
    assert found["A5"].due == d(13, 6, 2025)
    assert status(found["A5"], EXAMPLES_AS_OF) == engine.Status("met", 0)


def test_p4_e4a_due_fri_13_june_2025_overdue_353_days_at_1_june_2026():
    """E4a (LTHAHS 96), example P4, via dates + status_of (no engine rule yet):
    3 wd from Tue 10/06/2025 = Fri 13/06/2025; no summons: overdue by 353 days
    (→ 13/05/2026 = 334, → 01/06 = 19)."""
    due = dates.after_working_days(d(10, 6, 2025), 3, CAL).due
    assert due == d(13, 6, 2025)
    assert engine.status_of(due, None, EXAMPLES_AS_OF, 1) == engine.Status(
        "overdue", 353
    )


# --------------------------------------------------------------------------
# Proposed legal-effect date (A2, A3, Q3)
# --------------------------------------------------------------------------


def test_proposed_effect_pronounced_20_december_2024_is_tue_21_january_2025():
    """A3 (BLTTHS 337, 343; Q3): 20/12/2024 + 30 = Sun 19/01/2025, runs to
    Mon 20/01; the judgment takes effect the next day, Tue 21/01/2025."""
    effect = engine.propose_legal_effect(d(20, 12, 2024), CAL)
    assert effect.date == d(21, 1, 2025)
    assert effect.proposed
    lines = "\n".join(effect.explanation)
    assert "19/01/2025" in lines
    assert "20/01/2025" in lines
    assert "21/01/2025" in lines


@pytest.mark.parametrize(
    ("pronounced", "expected"),
    [
        # P2: 20/03/2025 + 30 = Sat 19/04 → Mon 21/04; effect Tue 22/04/2025.
        (d(20, 3, 2025), d(22, 4, 2025)),
        # P3: 31/10/2024 + 30 = Sat 30/11 → Mon 02/12; effect Tue 03/12/2024.
        (d(31, 10, 2024), d(3, 12, 2024)),
        # P4: 06/05/2025 + 30 = Thu 05/06 (working); effect Fri 06/06/2025.
        (d(6, 5, 2025), d(6, 6, 2025)),
    ],
)
def test_proposed_effect_of_the_examples_equals_their_entered_dates(
    pronounced, expected
):
    """A3 (BLTTHS 343): the examples' entered dates are the proposed ones."""
    assert engine.propose_legal_effect(pronounced, CAL).date == expected


def test_proposed_effect_over_tet_pronounced_27_december_2024_is_tue_4_february():
    """A3 (BLTTHS 343): 27/12/2024 + 30 = Sun 26/01/2025; Tết 27/01-31/01 and
    the weekend run the window to Mon 03/02; effect Tue 04/02/2025. The
    explanation names the Tết days skipped."""
    effect = engine.propose_legal_effect(d(27, 12, 2024), CAL)
    assert effect.date == d(4, 2, 2025)
    lines = "\n".join(effect.explanation)
    assert "Tết" in lines
    assert "27/01/2025 (29 Tết)" in lines
    assert "03/02/2025" in lines


def test_entered_legal_effect_is_never_replaced_by_the_proposal():
    """An entered date (25/01/2025) differing from the proposal (21/01/2025) is
    kept and not marked proposed; A5 runs from it: 25/01 + 7 = Sat 01/02 (Tết),
    Sun 02/02 → Mon 03/02/2025."""
    facts = case("prison", pronounced=d(20, 12, 2024), effective=d(25, 1, 2025))
    effect = engine.legal_effect(facts, CAL)
    assert effect.date == d(25, 1, 2025)
    assert not effect.proposed
    result = only(facts, "A5")
    assert result.start == d(25, 1, 2025)
    assert result.due == d(3, 2, 2025)


def test_missing_effect_of_first_instance_is_proposed_and_a5_runs_from_it():
    """A3: no entered date; proposed effect Tue 21/01/2025; A5 due Mon 03/02/2025;
    the A5 explanation says the date is a proposal."""
    facts = case("prison", pronounced=d(20, 12, 2024), effective=None)
    assert engine.legal_effect(facts, CAL).proposed
    result = only(facts, "A5")
    assert result.start == d(21, 1, 2025)
    assert result.due == d(3, 2, 2025)
    assert "ngày đề xuất" in text(result)


def test_appeal_judgment_takes_effect_on_pronouncement():
    """A3b (BLTTHS 355(2)): an appeal judgment is effective when pronounced."""
    facts = case("prison", instance="appeal", pronounced=d(15, 4, 2025))
    assert engine.legal_effect(facts, CAL).date == d(15, 4, 2025)


# --------------------------------------------------------------------------
# A5: the court issues the QĐTHA within 7 days
# --------------------------------------------------------------------------


def test_a5_runs_past_tet_2025_to_monday_3_february():
    """A5 (BLTTHS 364): effect Mon 20/01/2025 + 7 days = 27/01, a Tết day off;
    the Tết days and the weekend run it to Mon 03/02/2025."""
    result = only(case("prison", effective=d(20, 1, 2025)), "A5")
    assert result.start == d(20, 1, 2025)
    assert result.due == d(3, 2, 2025)
    assert result.shifted
    assert result.responsible_kind == "court"
    assert result.basis.startswith("BLTTHS 2015, Điều 364")


def test_a5_explanation_of_the_tet_shift_names_the_tet_days():
    """A5 (BLTTHS 364): effect Mon 20/01/2025; nominal 27/01/2025 (29 Tết); the
    explanation names 27/01 (29 Tết), 28/01 (Giao thừa), 29/01 (Tết Nguyên
    Đán) and the new due date 03/02/2025, citing BLDS 148(5)."""
    explanation = text(only(case("prison", effective=d(20, 1, 2025)), "A5"))
    assert "Tết" in explanation
    assert "27/01/2025 (29 Tết)" in explanation
    assert "Giao thừa" in explanation
    assert "29/01/2025 (Tết Nguyên Đán)" in explanation
    assert "27/01/2025" in explanation and "03/02/2025" in explanation
    assert "BLDS Điều 148" in explanation


def test_a5_unshifted_explanation_does_not_claim_a_shift():
    """A5: effect Tue 04/03/2025 + 7 = Tue 11/03/2025, a working day."""
    result = only(case("prison", effective=d(4, 3, 2025)), "A5")
    assert result.due == d(11, 3, 2025)
    assert not result.shifted
    assert "chuyển sang" not in text(result)


def test_a5_over_new_year_2026_swap_effect_25_december_2025_due_mon_5_january():
    """A5: 25/12/2025 + 7 = Thu 01/01/2026 (holiday); Fri 02/01 (swapped, per the
    override) and the weekend: Mon 05/01/2026."""
    result = only(case("prison", effective=d(25, 12, 2025)), "A5")
    assert result.due == d(5, 1, 2026)


@pytest.mark.parametrize(
    "kind",
    ["prison", "life", "suspended", "non_custodial_reform", "expulsion"],
)
def test_a5_applies_to_every_sentence_executed_by_a_qdtha(kind):
    """A5 (BLTTHS 364): effect Tue 04/03/2025 → due Tue 11/03/2025."""
    assert only(case(kind, effective=d(4, 3, 2025)), "A5").due == d(11, 3, 2025)


@pytest.mark.parametrize("kind", ["warning", "fine", "death"])
def test_a5_does_not_apply_to_a_warning_a_fine_or_a_death_sentence(kind):
    """A warning is executed in the courtroom, a fine by civil enforcement;
    a death sentence's QĐTHA follows the review of BLTTHS Art. 367 (H1)."""
    assert "A5" not in rows(case(kind, effective=d(4, 3, 2025)))


def test_a5_met_on_the_due_day_mon_3_february_2025():
    """A5: due Mon 03/02/2025 (effect 20/01/2025); QĐTHA the same day: met."""
    facts = case(
        "prison",
        effective=d(20, 1, 2025),
        events=[ev("execution_decision_issued", d(3, 2, 2025))],
    )
    result = only(facts, "A5")
    assert status(result, d(1, 3, 2025)) == engine.Status("met", 0)


def test_a5_met_by_entrustment_within_7_days():
    """A5 (BLTTHS 364(2)): entrusting another court stops A5; effect 04/03/2025,
    due Tue 11/03/2025, entrusted Mon 10/03/2025: met."""
    facts = case(
        "prison",
        effective=d(4, 3, 2025),
        events=[ev("entrustment_issued", d(10, 3, 2025), to_court="TAND khu vực 2")],
    )
    result = only(facts, "A5")
    assert result.done == d(10, 3, 2025)
    assert status(result, d(1, 4, 2025)) == engine.Status("met", 0)


def test_a5_appeal_starts_at_receipt_of_ruling_wed_23_april_2025_due_mon_5_may():
    """A5 (BLTTHS 364(1)): for an appeal judgment the clock starts when the
    first-instance court receives it, Wed 23/04/2025 (not the pronouncement
    15/04, nor an entered effect): + 7 = Wed 30/04 (holiday), 01/05, 02/05
    (swapped) and the weekend: Mon 05/05/2025."""
    facts = case(
        "prison",
        instance="appeal",
        pronounced=d(15, 4, 2025),
        effective=d(15, 4, 2025),
        events=[
            ev("appeal_ruling_received_by_court", d(23, 4, 2025)),
            ev("execution_decision_issued", d(5, 5, 2025)),
        ],
    )
    result = only(facts, "A5")
    assert result.start == d(23, 4, 2025)
    assert result.due == d(5, 5, 2025)
    assert status(result, d(1, 6, 2025)) == engine.Status("met", 0)


@pytest.mark.parametrize("instance", ["appeal", "cassation", "reopening"])
def test_a5_not_started_for_a_higher_instance_until_the_court_receives_the_ruling(
    instance,
):
    """A5 (BLTTHS 364(1)): no receipt by the first-instance court, no clock."""
    facts = case("prison", instance=instance, pronounced=d(15, 4, 2025))
    assert "A5" not in rows(facts)


def test_a5_cassation_decision_received_mon_2_february_2026_due_mon_9_february():
    """A5 (BLTTHS 364(1)): cassation decision received Mon 02/02/2026 + 7 =
    Mon 09/02/2026, a working day (Tết 2026 begins 16/02)."""
    facts = case(
        "prison",
        instance="cassation",
        pronounced=d(20, 1, 2026),
        events=[ev("appeal_ruling_received_by_court", d(2, 2, 2026))],
    )
    assert only(facts, "A5").due == d(9, 2, 2026)


def test_a5_lapses_on_death_before_the_due_date():
    """A5, effect 20/01/2025, due 03/02/2025; the convict died 25/01/2025:
    lapsed, 0 days late (interchange: late_days counts to the event)."""
    facts = case(
        "prison", effective=d(20, 1, 2025), events=[ev("death", d(25, 1, 2025))]
    )
    result = only(facts, "A5")
    assert result.lapsed_on == d(25, 1, 2025)
    assert status(result, d(1, 3, 2025)) == engine.Status("lapsed", 0)


def test_a5_lapsed_by_termination_after_due_counts_late_days_to_the_event():
    """A5 due Mon 03/02/2025; execution terminated 10/02/2025 without a QĐTHA:
    lapsed, late by 7 days (03/02 → 10/02)."""
    facts = case(
        "prison",
        effective=d(20, 1, 2025),
        events=[ev("termination_decision_issued", d(10, 2, 2025))],
    )
    assert status(only(facts, "A5"), d(1, 3, 2025)) == engine.Status("lapsed", 7)


# --------------------------------------------------------------------------
# Rule sets by the date the clock starts
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "rule_set", "verified"),
    [
        (d(30, 6, 2011), "LTHAHS-2010", False),  # before the earliest set
        (d(1, 7, 2011), "LTHAHS-2010", False),
        (d(31, 12, 2019), "LTHAHS-2010", False),
        (d(1, 1, 2020), "LTHAHS-2019", True),
        (d(30, 6, 2026), "LTHAHS-2019", True),
        (d(1, 7, 2026), "LTHAHS-2025", False),
    ],
)
def test_rule_set_is_the_one_in_force_when_the_clock_starts(start, rule_set, verified):
    """Conventions, "Which rule set applies": the start event's date decides;
    sets other than LTHAHS-2019 carry the "basis not checked" mark."""
    pronounced = start - timedelta(days=31)
    result = only(case("prison", pronounced=pronounced, effective=start), "A5")
    assert result.rule_set == rule_set
    assert result.verified is verified
    assert (engine.UNCHECKED_MARK in text(result)) is (not verified)


# --------------------------------------------------------------------------
# A7 / A8: the court sends the QĐTHA within 3 working days
# --------------------------------------------------------------------------


def test_a7_prison_qdtha_issued_fri_24_january_2025_due_wed_5_february():
    """A7 (LTHAHS 22(2)), worked example: 3 wd from Fri 24/01/2025; 27/01-31/01
    are Tết days off: Mon 03, Tue 04, Wed 05/02/2025. The explanation names the
    Tết days not counted."""
    facts = case(
        "prison",
        effective=d(14, 1, 2025),
        events=[ev("execution_decision_issued", d(24, 1, 2025))],
    )
    result = only(facts, "A7")
    assert result.start == d(24, 1, 2025)
    assert result.due == d(5, 2, 2025)
    assert result.warn_days == 1
    assert "Tết" in text(result)
    assert "05/02/2025" in text(result)


def a7_case(*events: EventFact, kind: str = "prison") -> CaseFacts:
    """QĐTHA Mon 28/04/2025: A7/A8 due Tue 06/05/2025 (see P2)."""
    return case(
        kind,
        effective=d(22, 4, 2025),
        events=[ev("execution_decision_issued", d(28, 4, 2025)), *events],
    )


def test_a7_judged_by_the_sending_date_to_the_procuracy_when_known():
    """A7 (LTHAHS 22(2)): due Tue 06/05/2025; sent to the procuracy 06/05, received
    Fri 09/05/2025: the duty is to send, so the sending date decides: met."""
    result = only(
        a7_case(
            ev("execution_decision_sent", d(6, 5, 2025), recipient="procuracy"),
            ev("execution_decision_received", d(9, 5, 2025)),
        ),
        "A7",
    )
    assert result.done == d(6, 5, 2025)
    assert status(result, d(1, 6, 2025)) == engine.Status("met", 0)
    assert "xét theo ngày gửi" in text(result)


def test_a7_sent_to_the_procuracy_wed_7_may_2025_is_one_day_late():
    """A7: due Tue 06/05/2025; sent to the procuracy Wed 07/05: met late by 1 day,
    even though the receipt (08/05) is also known."""
    result = only(
        a7_case(
            ev("execution_decision_sent", d(7, 5, 2025), recipient="procuracy"),
            ev("execution_decision_received", d(8, 5, 2025)),
        ),
        "A7",
    )
    assert status(result, d(1, 6, 2025)) == engine.Status("met_late", 1)


def test_a7_sending_to_another_recipient_does_not_decide_receipt_does():
    """A7: due Tue 06/05/2025; sent to the convict 29/04 (not the procuracy);
    the procuracy received it Thu 08/05/2025: judged by the receipt, 2 days late."""
    result = only(
        a7_case(
            ev("execution_decision_sent", d(29, 4, 2025), recipient="convict"),
            ev("execution_decision_received", d(8, 5, 2025)),
        ),
        "A7",
    )
    assert result.done == d(8, 5, 2025)
    assert status(result, d(1, 6, 2025)) == engine.Status("met_late", 2)
    assert "xét theo ngày VKS nhận" in text(result)


def test_a7_picks_the_procuracy_sending_among_several_recipients():
    """A7: due 06/05/2025; sent to the agency 29/04, to the procuracy Wed 07/05:
    the procuracy's sending decides: 1 day late."""
    result = only(
        a7_case(
            ev("execution_decision_sent", d(29, 4, 2025), recipient="agency"),
            ev("execution_decision_sent", d(7, 5, 2025), recipient="procuracy"),
        ),
        "A7",
    )
    assert result.done == d(7, 5, 2025)
    assert status(result, d(1, 6, 2025)) == engine.Status("met_late", 1)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (d(4, 5, 2025), engine.Status("pending", 0)),  # 2 days ahead, warning 1
        (d(5, 5, 2025), engine.Status("due_soon", 0)),  # 1 day ahead
        (d(6, 5, 2025), engine.Status("due_soon", 0)),  # the due day itself
        (d(7, 5, 2025), engine.Status("overdue", 1)),
    ],
)
def test_a7_not_sent_status_around_the_due_date_tue_6_may_2025(as_of, expected):
    """A7 (3 wd, warning 1 day): due Tue 06/05/2025, nothing sent or received."""
    result = only(a7_case(), "A7", as_of)
    assert result.due == d(6, 5, 2025)
    assert status(result, as_of) == expected


def test_a7_applies_to_life_imprisonment():
    """H3 / A7: a life sentence's QĐTHA Mon 28/04/2025: A7 due Tue 06/05/2025."""
    found = rows(a7_case(kind="life"))
    assert "A8" not in found
    assert found["A7"].due == d(6, 5, 2025)


@pytest.mark.parametrize("kind", ["suspended", "non_custodial_reform", "death"])
def test_a8_suspended_ctkgg_and_death_qdtha_fri_24_january_2025_due_wed_5_february(
    kind,
):
    """A8 (LTHAHS 84(2), 96(2), 77(2)): 3 wd from Fri 24/01/2025 over Tết:
    Mon 03, Tue 04, Wed 05/02/2025."""
    facts = case(
        kind,
        effective=d(14, 1, 2025),
        events=[ev("execution_decision_issued", d(24, 1, 2025))],
    )
    found = rows(facts)
    assert "A7" not in found
    assert found["A8"].due == d(5, 2, 2025)
    assert found["A8"].responsible_kind == "court"


def test_a8_judged_by_sending_to_the_procuracy():
    """A8 (suspended): QĐTHA Mon 28/04/2025, due Tue 06/05/2025; sent to the
    procuracy Mon 05/05: met; the receipt 09/05 does not count."""
    result = only(
        a7_case(
            ev("execution_decision_received", d(9, 5, 2025)),
            ev("execution_decision_sent", d(5, 5, 2025), recipient="procuracy"),
            kind="suspended",
        ),
        "A8",
    )
    assert result.done == d(5, 5, 2025)
    assert status(result, d(1, 6, 2025)) == engine.Status("met", 0)


@pytest.mark.parametrize("kind", ["warning", "fine", "expulsion"])
def test_no_a7_or_a8_for_other_kinds(kind):
    found = rows(a7_case(kind=kind))
    assert "A7" not in found and "A8" not in found


def test_a7_counts_the_2026_make_up_saturday_qdtha_thu_8_january_due_mon_12_january():
    """A7: QĐTHA Thu 08/01/2026; Fri 09 (1), Sat 10/01 make-up (2),
    Mon 12/01/2026 (3)."""
    facts = case(
        "prison",
        effective=d(30, 12, 2025),
        events=[ev("execution_decision_issued", d(8, 1, 2026))],
    )
    assert only(facts, "A7").due == d(12, 1, 2026)


def test_a7_over_the_2026_swap_qdtha_wed_31_december_2025_due_wed_7_january():
    """A7: QĐTHA Wed 31/12/2025; 01/01 and 02/01/2026 off, weekend; Mon 05 (1),
    Tue 06 (2), Wed 07/01/2026 (3)."""
    facts = case(
        "prison",
        effective=d(24, 12, 2025),
        events=[ev("execution_decision_issued", d(31, 12, 2025))],
    )
    assert only(facts, "A7").due == d(7, 1, 2026)


def test_a7_counts_the_2025_make_up_saturday_qdtha_thu_24_april_due_mon_28_april():
    """A7: QĐTHA Thu 24/04/2025; Fri 25 (1), Sat 26/04 make-up (2),
    Mon 28/04/2025 (3)."""
    facts = case(
        "prison",
        effective=d(15, 4, 2025),
        events=[ev("execution_decision_issued", d(24, 4, 2025))],
    )
    assert only(facts, "A7").due == d(28, 4, 2025)


def test_a7_over_tet_2026_qdtha_fri_13_february_due_wed_25_february():
    """A7: QĐTHA Fri 13/02/2026; 14/02-22/02 rest; Mon 23, Tue 24, Wed 25/02/2026."""
    facts = case(
        "prison",
        effective=d(5, 2, 2026),
        events=[ev("execution_decision_issued", d(13, 2, 2026))],
    )
    assert only(facts, "A7").due == d(25, 2, 2026)


# --------------------------------------------------------------------------
# A10: the convict at liberty reports within 7 days of receiving the QĐTHA
# --------------------------------------------------------------------------


def a10_case(*events: EventFact, kind: str = "prison", custody: str = "at_liberty"):
    """QĐTHA served Fri 24/01/2025: A10 due Mon 03/02/2025 (worked example)."""
    return case(
        kind,
        custody=custody,
        effective=d(14, 1, 2025),
        events=[
            ev("execution_decision_issued", d(20, 1, 2025)),
            ev("execution_decision_served", d(24, 1, 2025)),
            *events,
        ],
    )


def test_a10_served_fri_24_january_2025_due_mon_3_february():
    """A10 (LTHAHS 22(1)), worked example: served Fri 24/01/2025 + 7 = Fri 31/01,
    a Tết day off; Sat 01/02, Sun 02/02: Mon 03/02/2025. A convict's duty."""
    result = only(a10_case(), "A10")
    assert result.start == d(24, 1, 2025)
    assert result.due == d(3, 2, 2025)
    assert result.shifted
    assert result.responsible_kind == "convict"
    assert "Tết" in text(result)


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("reported_to_serve", d(3, 2, 2025), engine.Status("met", 0)),
        ("admitted_to_prison", d(4, 2, 2025), engine.Status("met_late", 1)),
        ("escorted", d(10, 2, 2025), engine.Status("met_late", 7)),
    ],
)
def test_a10_stopped_by_report_admission_or_escort_due_mon_3_february_2025(
    kind, day, expected
):
    """A10 due Mon 03/02/2025: reported that day (met), admitted 04/02 (1 day
    late), escorted 10/02 (7 days late)."""
    result = only(a10_case(ev(kind, day)), "A10")
    assert result.done == day
    assert status(result, d(1, 3, 2025)) == expected


def test_a10_not_stopped_by_absconding_overdue_7_days_at_mon_10_february_2025():
    """A10 due 03/02/2025; absconding (30/01) does not fulfil the duty: at
    10/02/2025 overdue by 7 days."""
    result = only(a10_case(ev("absconded", d(30, 1, 2025))), "A10")
    assert status(result, d(10, 2, 2025)) == engine.Status("overdue", 7)


@pytest.mark.parametrize(
    ("kind", "custody"),
    [
        ("prison", "detained"),
        ("suspended", "at_liberty"),
        ("non_custodial_reform", "at_liberty"),
        ("death", "detained"),
    ],
)
def test_a10_only_for_prison_convicts_at_liberty(kind, custody):
    """A10 (LTHAHS 22(1), 23(4)) binds only a prison convict on bail."""
    assert "A10" not in rows(a10_case(kind=kind, custody=custody))


def test_a10_not_started_until_the_qdtha_is_served():
    facts = case(
        "prison",
        effective=d(14, 1, 2025),
        events=[ev("execution_decision_issued", d(20, 1, 2025))],
    )
    assert "A10" not in rows(facts)


def test_a10_lapsed_by_a_postponement_granted_before_the_due_date():
    """A10 due Mon 03/02/2025; postponement granted Wed 29/01/2025: the duty is
    moot (B7b takes over): lapsed, 0 days late."""
    result = only(a10_case(ev("postponement_granted", d(29, 1, 2025))), "A10")
    assert result.lapsed_on == d(29, 1, 2025)
    assert status(result, d(1, 3, 2025)) == engine.Status("lapsed", 0)


def test_a10_lapsed_by_a_postponement_granted_after_the_due_date_counts_7_days():
    """A10 due Mon 03/02/2025; not reported; postponement granted Mon 10/02/2025:
    lapsed, late_days counted to the event: 7."""
    result = only(a10_case(ev("postponement_granted", d(10, 2, 2025))), "A10")
    assert status(result, d(1, 3, 2025)) == engine.Status("lapsed", 7)


def test_a10_report_after_the_postponement_ends_belongs_to_b7b_not_a10():
    """A10 due Mon 03/02/2025; postponement granted Wed 29/01/2025 until
    31/07/2025; the convict reports Mon 04/08/2025. That report ends the
    postponement (B7b), not A10: A10 stays lapsed on 29/01/2025 with 0 days
    late, never "met late by 182 days"."""
    facts = a10_case(
        ev("postponement_granted", d(29, 1, 2025), until="2025-07-31"),
        ev("reported_to_serve", d(4, 8, 2025)),
    )
    result = only(facts, "A10", d(1, 9, 2025))
    assert result.done is None
    assert result.lapsed_on == d(29, 1, 2025)
    assert status(result, d(1, 9, 2025)) == engine.Status("lapsed", 0)


def test_a10_report_on_the_day_of_a_postponement_still_counts_as_done():
    """A10 due 03/02/2025; reported and postponement granted both Mon 03/02/2025:
    the report is done on time: met."""
    facts = a10_case(
        ev("postponement_granted", d(3, 2, 2025)),
        ev("reported_to_serve", d(3, 2, 2025)),
    )
    assert status(only(facts, "A10"), d(1, 3, 2025)) == engine.Status("met", 0)


# --------------------------------------------------------------------------
# evaluate(as_of): events after as_of have not happened
# --------------------------------------------------------------------------


def test_as_of_before_the_qdtha_p1_on_tue_4_february_2025_a5_overdue_1_day():
    """A5 due Mon 03/02/2025 (P1); QĐTHA of 05/02 is in the future on 04/02:
    overdue by 1 day, and A7 (started 05/02) is not listed yet."""
    found = rows(p1(), d(4, 2, 2025))
    assert "A7" not in found
    assert found["A5"].done is None
    assert status(found["A5"], d(4, 2, 2025)) == engine.Status("overdue", 1)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (d(31, 1, 2025), engine.Status("pending", 0)),  # 3 days ahead, warning 2
        (d(1, 2, 2025), engine.Status("due_soon", 0)),  # 2 days ahead
        (d(3, 2, 2025), engine.Status("due_soon", 0)),  # the due day
    ],
)
def test_p1_a5_warning_boundaries_due_mon_3_february_2025(as_of, expected):
    """A5 (7 days, warning 2 days): due Mon 03/02/2025."""
    assert status(only(p1(), "A5", as_of), as_of) == expected


def test_as_of_before_the_clock_starts_lists_nothing():
    """P1's A5 starts on 21/01/2025: at 20/01/2025 it has not started (A4,
    which runs from the pronouncement, has)."""
    assert "A5" not in rows(p1(), d(20, 1, 2025))


def test_events_may_come_in_any_order():
    """A7 (P2): events given receipt first still give due 06/05/2025, met."""
    facts = case(
        "prison",
        effective=d(22, 4, 2025),
        events=[
            ev("execution_decision_received", d(6, 5, 2025)),
            ev("execution_decision_issued", d(28, 4, 2025)),
        ],
    )
    result = only(facts, "A7")
    assert (result.due, result.done) == (d(6, 5, 2025), d(6, 5, 2025))


# --------------------------------------------------------------------------
# status_of (interchange.md, "Export semantics")
# --------------------------------------------------------------------------

DUE = d(3, 2, 2025)


@pytest.mark.parametrize(
    ("done", "as_of", "warn", "lapsed_on", "expected"),
    [
        # met: done on or before the due date
        (d(3, 2, 2025), d(1, 6, 2026), 2, None, engine.Status("met", 0)),
        (d(24, 1, 2025), d(1, 6, 2026), 2, None, engine.Status("met", 0)),
        # met_late: calendar days from due to done
        (d(4, 2, 2025), d(1, 6, 2026), 2, None, engine.Status("met_late", 1)),
        (d(5, 2, 2025), d(1, 6, 2026), 2, None, engine.Status("met_late", 2)),
        # overdue: calendar days from due to as_of
        (None, d(4, 2, 2025), 2, None, engine.Status("overdue", 1)),
        (None, d(3, 3, 2025), 2, None, engine.Status("overdue", 28)),
        # due_soon: not after due, within the warning period (inclusive)
        (None, d(3, 2, 2025), 2, None, engine.Status("due_soon", 0)),
        (None, d(1, 2, 2025), 2, None, engine.Status("due_soon", 0)),
        (None, d(2, 2, 2025), 1, None, engine.Status("due_soon", 0)),
        # pending: otherwise
        (None, d(31, 1, 2025), 2, None, engine.Status("pending", 0)),
        (None, d(1, 2, 2025), 1, None, engine.Status("pending", 0)),
        (None, d(1, 1, 2025), 5, None, engine.Status("pending", 0)),
        # lapsed: late_days counts to the ending event
        (None, d(1, 6, 2026), 2, d(29, 1, 2025), engine.Status("lapsed", 0)),
        (None, d(1, 6, 2026), 2, d(3, 2, 2025), engine.Status("lapsed", 0)),
        (None, d(1, 6, 2026), 2, d(10, 2, 2025), engine.Status("lapsed", 7)),
        # an act after as_of has not happened yet
        (d(5, 2, 2025), d(4, 2, 2025), 2, None, engine.Status("overdue", 1)),
        (d(5, 2, 2025), d(1, 2, 2025), 2, None, engine.Status("due_soon", 0)),
        # a lapse after as_of has not happened yet
        (None, d(5, 2, 2025), 2, d(10, 2, 2025), engine.Status("overdue", 2)),
        (None, d(31, 1, 2025), 2, d(10, 2, 2025), engine.Status("pending", 0)),
    ],
)
def test_status_of_due_mon_3_february_2025(done, as_of, warn, lapsed_on, expected):
    """interchange.md statuses for a deadline due Mon 03/02/2025."""
    assert engine.status_of(DUE, done, as_of, warn, lapsed_on) == expected


def test_status_labels_cover_every_status():
    assert set(engine.STATUS_LABELS) == {
        "met",
        "met_late",
        "overdue",
        "lapsed",
        "due_soon",
        "pending",
    }


# --------------------------------------------------------------------------
# Warning periods (Conventions, "Warning period")
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "warn"), [("A5", 2), ("A7", 1), ("A8", 1), ("A10", 2)]
)
def test_default_warning_period_of_each_rule(rule, warn):
    """1 day for rules of 3 days or fewer, 2 days up to 7 days."""
    assert engine.RULES[rule].warning_days == warn


@pytest.mark.parametrize(
    ("duration", "unit", "warn"),
    [
        (1, "cal", 1),
        (3, "wd", 1),
        (4, "cal", 2),
        (7, "before", 2),
        (8, "cal", 5),
        (15, "cal", 5),
        (30, "cal", 5),
        (31, "cal", 30),
        (3, "mo", 30),
    ],
)
def test_default_warning_period_by_duration(duration, unit, warn):
    """1 day ≤ 3 days, 2 days ≤ 7, 5 days ≤ 30, 1 month (30 days) beyond."""
    before = unit == "before"
    rule = engine.RuleDef(
        "X",
        "x",
        "event",
        duration,
        "cal" if before else unit,
        "x",
        "court",
        "x",
        before=before,
    )
    assert rule.warning_days == warn


# --------------------------------------------------------------------------
# Without explanations (the bulk recomputation): the same dates
# --------------------------------------------------------------------------


def _varied() -> list[CaseFacts]:
    """Cases that reach every kind of start and count: events, received_on,
    postponements (until), terms with credit, gaps and reductions, life,
    a minor, appeal judgments, a case that closed."""
    from monitoring.terms import Term

    return [
        p1(),
        p1(effective=None),
        p2(),
        p3(),
        p3(effective=None),
        CaseFacts(
            sentence_kind="prison",
            custody="detained",
            instance="appeal",
            pronounced_on=d(20, 3, 2025),
            effective_on=None,
            first_instance_pronounced_on=d(20, 12, 2024),
            events=[
                ev("appeal_ruling_received_by_court", d(2, 4, 2025)),
                ev("execution_decision_issued", d(8, 4, 2025)),
                ev("agency_received_execution_decision", d(10, 4, 2025)),
                ev("suspension_granted", d(1, 8, 2025), until="2025-10-31"),
                ev("reduction_granted", d(5, 1, 2026), by={"months": 6}),
            ],
            term=Term(5, 0, 0),
            detention=[(d(2, 9, 2024), None)],
            birth_date=d(15, 1, 2008),
        ),
        CaseFacts(
            sentence_kind="non_custodial_reform",
            custody="at_liberty",
            instance="first",
            pronounced_on=d(10, 1, 2025),
            effective_on=None,
            events=[
                ev("execution_decision_issued", d(25, 2, 2025)),
                ev(
                    "agency_received_execution_decision",
                    d(3, 3, 2025),
                    received_on="2025-03-04",
                ),
                ev("postponement_granted", d(5, 3, 2025), until="2025-06-30"),
            ],
            term=Term(1, 6, 0),
            detention=[(d(1, 12, 2024), d(10, 12, 2024))],
            has_supplementary=True,
        ),
        CaseFacts(
            sentence_kind="suspended",
            custody="at_liberty",
            instance="first",
            pronounced_on=d(15, 1, 2026),
            effective_on=d(16, 2, 2026),
            events=[
                ev("execution_decision_issued", d(20, 2, 2026)),
                ev("agency_received_execution_decision", d(2, 3, 2026)),
                ev("probation_shortened", d(1, 9, 2026), by={"months": 3}),
            ],
            term=Term(1, 0, 0),
            probation=Term(2, 0, 0),
        ),
        CaseFacts(
            sentence_kind="life",
            custody="detained",
            instance="first",
            pronounced_on=d(1, 6, 2019),
            effective_on=d(2, 7, 2019),
            events=[ev("execution_decision_issued", d(10, 7, 2019))],
            detention=[(d(1, 1, 2019), None)],
            crime_articles=["123"],
        ),
        case(
            "prison",
            effective=d(3, 2, 2025),
            events=[
                ev("execution_decision_issued", d(5, 2, 2025)),
                ev("reported_to_serve", d(20, 2, 2025)),
                ev("death", d(1, 3, 2025)),
            ],
        ),
    ]


@pytest.mark.parametrize("as_of", [None, d(1, 4, 2025), d(1, 7, 2026)])
def test_without_explanations_every_date_and_flag_is_the_same(as_of):
    """compute(explain=False), which the bulk recomputation uses, gives the
    same rows as compute() with the explanations left empty."""
    for facts in _varied():
        full = engine.compute(facts, CAL, as_of=as_of)
        bare = engine.compute(facts, CAL, as_of=as_of, explain=False)
        assert bare.problems == full.problems
        assert all(row.explanation == [] for row in bare.deadlines)
        assert all(row.explanation == [] for row in bare.eligibility)
        assert [replace(row, explanation=[]) for row in full.deadlines] == (
            bare.deadlines
        )
        assert [replace(row, explanation=[]) for row in full.eligibility] == (
            bare.eligibility
        )
    assert any(engine.compute(facts, CAL).eligibility for facts in _varied())
