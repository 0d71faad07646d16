"""Track-first rules A4-A10, B3-B8, C2, C5 and the eligibility date C7.

Every expected date is computed by hand from the calendar (the ``holidays``
package for VN plus the shipped 2026 overrides) and the conventions of
shared/domain/legal-rules.md: the event day is not counted; a forward
calendar-day period ending on a rest day runs to the next working day; a
working-day period counts working days only; a backward period ending on
a rest day moves earlier; eligibility dates are facts and never move.
Statuses and late_days follow shared/domain/interchange.md.

Rest days used by hand: Tết 2020 Thu 23/01-Wed 29/01/2020; Tết 2024
Thu 08/02-Wed 14/02/2024; Tết 2025 Sat 25/01-Sun 02/02/2025; Tết 2026
Sat 14/02-Sun 22/02/2026; 30/04-04/05/2025 (02/05 swapped, Sat 26/04/2025
worked); 2/9 2025: Sat 30/08-Tue 02/09/2025; 2026: Thu 01/01, Fri 02/01
(override) off, Sat 10/01/2026 worked; 30/04-03/05/2026 (Thu-Sun).
"""

from __future__ import annotations

from datetime import date

from monitoring import engine
from monitoring.engine import CaseFacts, EventFact
from monitoring.terms import Term
from tests.monitoring.rulekit import (
    MET,
    d,
    eligible,
    ev,
    one,
    outcome,
    rows,
    status,
    text,
)

PRONOUNCED = d(3, 2, 2025)
EFFECTIVE = d(4, 3, 2025)  # legal effect Tue 04/03/2025: A5 due Tue 11/03/2025
GRANTED = d(10, 9, 2025)


def case(
    kind: str = "prison",
    *,
    custody: str = "at_liberty",
    instance: str = "first",
    pronounced: date = PRONOUNCED,
    effective: date | None = EFFECTIVE,
    events=(),
    **more,
) -> CaseFacts:
    return CaseFacts(
        sentence_kind=kind,
        custody=custody,
        instance=instance,
        pronounced_on=pronounced,
        effective_on=effective,
        events=list(events),
        **more,
    )


# --------------------------------------------------------------------------
# A4: the first-instance court delivers the judgment within 10 days
# --------------------------------------------------------------------------


def test_a4_pronounced_tue_4_march_2025_due_fri_14_march_delivered_13_met():
    """A4 (BLTTHS Art. 262(1)): pronounced Tue 04/03/2025 + 10 days = Fri
    14/03/2025; delivered to the procuracy Thu 13/03/2025: met."""
    facts = case(
        pronounced=d(4, 3, 2025),
        events=[ev("judgment_delivered", d(13, 3, 2025))],
    )
    row = one(facts, "A4")
    assert (row.start, row.due, row.done) == (
        d(4, 3, 2025),
        d(14, 3, 2025),
        d(13, 3, 2025),
    )
    assert not row.shifted
    assert row.responsible_kind == "court"
    assert status(row, d(1, 4, 2025)) == MET


def test_a4_delivered_wed_19_march_2025_met_late_5_days():
    """A4 (BLTTHS Art. 262(1)): due Fri 14/03/2025; delivered Wed 19/03/2025:
    met late by 5 days."""
    facts = case(
        pronounced=d(4, 3, 2025),
        events=[ev("judgment_delivered", d(19, 3, 2025))],
    )
    assert status(one(facts, "A4"), d(1, 4, 2025)) == engine.Status("met_late", 5)


def test_a4_not_delivered_overdue_10_days_at_mon_24_march_2025():
    """A4 (BLTTHS Art. 262(1)): due Fri 14/03/2025, nothing delivered; at
    Mon 24/03/2025 overdue by 10 days."""
    row = one(case(pronounced=d(4, 3, 2025)), "A4", d(24, 3, 2025))
    assert row.done is None
    assert status(row, d(24, 3, 2025)) == engine.Status("overdue", 10)


def test_a4_over_tet_2025_pronounced_fri_17_january_due_mon_3_february():
    """A4 (BLTTHS Art. 262(1)): Fri 17/01/2025 + 10 = Mon 27/01/2025 (29 Tết);
    Tết 27/01-31/01 and the weekend: runs to Mon 03/02/2025."""
    row = one(case(pronounced=d(17, 1, 2025), effective=None), "A4")
    assert row.due == d(3, 2, 2025)
    assert row.shifted
    assert "27/01/2025 (29 Tết)" in text(row)


def test_a4_not_for_an_appeal_judgment_which_has_a4b():
    """A4 is the first-instance court's duty; an appeal judgment has A4b."""
    facts = case(instance="appeal", pronounced=d(10, 6, 2025), effective=None)
    found = outcome(facts).deadlines
    assert "A4" not in {row.rule for row in found}
    assert "A4b" in {row.rule for row in found}


# --------------------------------------------------------------------------
# A4b: the appeal court sends its judgment within 10 days
# --------------------------------------------------------------------------


def appeal(pronounced: date, *events: EventFact) -> CaseFacts:
    return case(
        instance="appeal",
        pronounced=pronounced,
        effective=None,
        events=events,
        first_instance_pronounced_on=d(10, 1, 2025),
    )


def test_a4b_appeal_tue_10_june_2025_due_fri_20_june_delivered_that_day_met():
    """A4b (BLTTHS Art. 262(2)): appeal pronounced Tue 10/06/2025 + 10 = Fri
    20/06/2025; delivered Fri 20/06/2025: met."""
    row = one(appeal(d(10, 6, 2025), ev("judgment_delivered", d(20, 6, 2025))), "A4b")
    assert (row.start, row.due) == (d(10, 6, 2025), d(20, 6, 2025))
    assert status(row, d(1, 7, 2025)) == MET


def test_a4b_not_delivered_overdue_10_days_at_mon_30_june_2025():
    """A4b (BLTTHS Art. 262(2)): due Fri 20/06/2025; at Mon 30/06/2025 nothing
    delivered: overdue by 10 days."""
    row = one(appeal(d(10, 6, 2025)), "A4b", d(30, 6, 2025))
    assert status(row, d(30, 6, 2025)) == engine.Status("overdue", 10)


def test_a4b_delivered_tue_24_june_2025_met_late_4_days():
    """A4b (BLTTHS Art. 262(2)): due Fri 20/06/2025; delivered Tue 24/06/2025:
    met late by 4 days."""
    row = one(appeal(d(10, 6, 2025), ev("judgment_delivered", d(24, 6, 2025))), "A4b")
    assert status(row, d(1, 7, 2025)) == engine.Status("met_late", 4)


def test_a4b_over_30_april_2025_pronounced_mon_21_april_due_mon_5_may():
    """A4b (BLTTHS Art. 262(2)): Mon 21/04/2025 + 10 = Thu 01/05/2025 (holiday);
    Fri 02/05 (swapped day off), Sat 03, Sun 04: runs to Mon 05/05/2025."""
    row = one(appeal(d(21, 4, 2025)), "A4b")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


def test_a4b_does_not_apply_to_a_first_instance_judgment():
    assert rows(case(pronounced=d(10, 6, 2025), effective=None), "A4b") == []


# --------------------------------------------------------------------------
# A5: the court issues the QĐTHA within 7 days of legal effect
# --------------------------------------------------------------------------


def test_a5_effect_tue_4_march_2025_due_tue_11_march_qdtha_10_march_met():
    """A5 (BLTTHS Art. 364(1)): effect Tue 04/03/2025 + 7 = Tue 11/03/2025;
    QĐTHA Mon 10/03/2025: met."""
    facts = case(events=[ev("execution_decision_issued", d(10, 3, 2025))])
    row = one(facts, "A5")
    assert (row.start, row.due, row.done) == (
        d(4, 3, 2025),
        d(11, 3, 2025),
        d(10, 3, 2025),
    )
    assert status(row, d(1, 4, 2025)) == MET


def test_a5_qdtha_fri_14_march_2025_met_late_3_days():
    """A5 (BLTTHS Art. 364(1)): due Tue 11/03/2025; QĐTHA Fri 14/03/2025: met
    late by 3 days."""
    facts = case(events=[ev("execution_decision_issued", d(14, 3, 2025))])
    assert status(one(facts, "A5"), d(1, 4, 2025)) == engine.Status("met_late", 3)


def test_a5_no_qdtha_overdue_9_days_at_thu_20_march_2025():
    """A5 (BLTTHS Art. 364(1)): due Tue 11/03/2025, no QĐTHA: at Thu 20/03/2025
    overdue by 9 days."""
    assert status(one(case(), "A5", d(20, 3, 2025)), d(20, 3, 2025)) == engine.Status(
        "overdue", 9
    )


def test_a5_over_tet_2020_effect_thu_16_january_due_thu_30_january_2020():
    """A5 (BLTTHS Art. 364(1)): effect Thu 16/01/2020 + 7 = Thu 23/01/2020
    (29 Tết); Tết 23/01-29/01/2020: runs to Thu 30/01/2020 (rule set
    LTHAHS-2019, in force from 01/01/2020)."""
    row = one(case(pronounced=d(16, 12, 2019), effective=d(16, 1, 2020)), "A5")
    assert row.due == d(30, 1, 2020)
    assert row.shifted
    assert row.rule_set == "LTHAHS-2019"


# --------------------------------------------------------------------------
# A6: the entrusted court issues the QĐTHA within 7 days of receipt
# --------------------------------------------------------------------------


def entrusted(received: date, *events: EventFact) -> CaseFacts:
    return case(
        pronounced=d(3, 2, 2025),
        effective=d(4, 3, 2025),
        events=[
            ev("entrustment_issued", d(7, 3, 2025), to_court="TAND khu vực 2"),
            ev("entrustment_received", received),
            *events,
        ],
    )


def test_a6_entrustment_received_mon_10_march_2025_due_mon_17_qdtha_14_met():
    """A6 (BLTTHS Art. 364(2) para. 2): entrustment received Mon 10/03/2025 + 7
    = Mon 17/03/2025; QĐTHA of the entrusted court Fri 14/03/2025: met."""
    row = one(
        entrusted(d(10, 3, 2025), ev("execution_decision_issued", d(14, 3, 2025))),
        "A6",
    )
    assert (row.start, row.due, row.done) == (
        d(10, 3, 2025),
        d(17, 3, 2025),
        d(14, 3, 2025),
    )
    assert status(row, d(1, 4, 2025)) == MET


def test_a6_qdtha_wed_19_march_2025_met_late_2_days():
    """A6 (BLTTHS Art. 364(2)): due Mon 17/03/2025; QĐTHA Wed 19/03/2025: met
    late by 2 days."""
    row = one(
        entrusted(d(10, 3, 2025), ev("execution_decision_issued", d(19, 3, 2025))),
        "A6",
    )
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 2)


def test_a6_no_qdtha_overdue_7_days_at_mon_24_march_2025():
    """A6 (BLTTHS Art. 364(2)): due Mon 17/03/2025; no QĐTHA at Mon 24/03/2025:
    overdue by 7 days."""
    row = one(entrusted(d(10, 3, 2025)), "A6", d(24, 3, 2025))
    assert status(row, d(24, 3, 2025)) == engine.Status("overdue", 7)


def test_a6_over_30_april_2025_received_wed_23_april_due_mon_5_may():
    """A6 (BLTTHS Art. 364(2)): received Wed 23/04/2025 + 7 = Wed 30/04/2025
    (holiday); 01/05, 02/05 (swapped), weekend: runs to Mon 05/05/2025."""
    row = one(entrusted(d(23, 4, 2025)), "A6")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


def test_a6_not_started_without_the_entrusted_courts_receipt():
    facts = case(events=[ev("entrustment_issued", d(7, 3, 2025), to_court="TAND")])
    assert rows(facts, "A6") == []


# --------------------------------------------------------------------------
# A7: the court sends the prison QĐTHA within 3 working days
# --------------------------------------------------------------------------


def test_a7_qdtha_mon_10_march_2025_due_thu_13_sent_to_procuracy_13_met():
    """A7 (LTHAHS Art. 22(2)): QĐTHA Mon 10/03/2025 → Tue 11, Wed 12, Thu
    13/03/2025; sent to the procuracy Thu 13/03/2025: met."""
    facts = case(
        events=[
            ev("execution_decision_issued", d(10, 3, 2025)),
            ev("execution_decision_sent", d(13, 3, 2025), recipient="procuracy"),
        ]
    )
    row = one(facts, "A7")
    assert (row.due, row.done) == (d(13, 3, 2025), d(13, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_a7_no_sending_date_received_mon_17_march_2025_met_late_4_days():
    """A7 (LTHAHS Art. 22(2)): due Thu 13/03/2025; no sending date known, the
    procuracy received it Mon 17/03/2025: judged by receipt, 4 days late."""
    facts = case(
        events=[
            ev("execution_decision_issued", d(10, 3, 2025)),
            ev("execution_decision_received", d(17, 3, 2025)),
        ]
    )
    row = one(facts, "A7")
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 4)
    assert "xét theo ngày VKS nhận" in text(row)


def test_a7_over_tet_2020_qdtha_wed_22_january_due_mon_3_february_2020():
    """A7 (LTHAHS Art. 22(2)): QĐTHA Wed 22/01/2020; Tết 23/01-29/01 skipped:
    Thu 30/01 (1), Fri 31/01 (2), Mon 03/02/2020 (3)."""
    facts = case(
        pronounced=d(16, 12, 2019),
        effective=d(16, 1, 2020),
        events=[ev("execution_decision_issued", d(22, 1, 2020))],
    )
    row = one(facts, "A7")
    assert row.due == d(3, 2, 2020)
    assert "Tết" in text(row)


def test_a7_does_not_apply_to_a_suspended_sentence():
    """A7 is the prison QĐTHA; a suspended sentence's QĐTHA has A8."""
    facts = case("suspended", events=[ev("execution_decision_issued", d(10, 3, 2025))])
    assert rows(facts, "A7") == []


# --------------------------------------------------------------------------
# A8: the court sends the suspended / CTKGG / death QĐTHA within 3 wd
# --------------------------------------------------------------------------


def test_a8_suspended_qdtha_tue_11_march_2025_due_fri_14_sent_14_met():
    """A8 (LTHAHS Art. 84(2)): QĐTHA Tue 11/03/2025 → Wed 12, Thu 13, Fri
    14/03/2025; sent to the procuracy Fri 14/03/2025: met."""
    facts = case(
        "suspended",
        events=[
            ev("execution_decision_issued", d(11, 3, 2025)),
            ev("execution_decision_sent", d(14, 3, 2025), recipient="procuracy"),
        ],
    )
    row = one(facts, "A8")
    assert row.due == d(14, 3, 2025)
    assert status(row, d(1, 4, 2025)) == MET


def test_a8_ctkgg_qdtha_not_sent_overdue_6_days_at_thu_20_march_2025():
    """A8 (LTHAHS Art. 96(2)): CTKGG QĐTHA Tue 11/03/2025, due Fri 14/03/2025;
    neither sent nor received at Thu 20/03/2025: overdue by 6 days."""
    facts = case(
        "non_custodial_reform",
        events=[ev("execution_decision_issued", d(11, 3, 2025))],
    )
    row = one(facts, "A8", d(20, 3, 2025))
    assert status(row, d(20, 3, 2025)) == engine.Status("overdue", 6)


def test_a8_over_2_september_2025_qdtha_fri_29_august_due_fri_5_september():
    """A8 (LTHAHS Art. 84(2)): QĐTHA Fri 29/08/2025; Sat 30/08-Tue 02/09 rest
    (National Day): Wed 03 (1), Thu 04 (2), Fri 05/09/2025 (3)."""
    facts = case(
        "suspended",
        pronounced=d(1, 7, 2025),
        effective=d(1, 8, 2025),
        events=[ev("execution_decision_issued", d(29, 8, 2025))],
    )
    assert one(facts, "A8").due == d(5, 9, 2025)


def test_a8_does_not_apply_to_a_prison_qdtha():
    facts = case(events=[ev("execution_decision_issued", d(11, 3, 2025))])
    assert rows(facts, "A8") == []


# --------------------------------------------------------------------------
# A9a-c: a detained convict: serve and report, provincial file, placement
# --------------------------------------------------------------------------


def detained(*events: EventFact, **more) -> CaseFacts:
    facts = {
        "custody": "detained",
        "detention": [(d(1, 10, 2024), None)],
        "pronounced": d(20, 1, 2025),
        "effective": d(21, 2, 2025),
        "events": [ev("execution_decision_issued", d(3, 3, 2025)), *events],
        "term": Term(2),
    }
    facts.update(more)
    return case("prison", **facts)


def test_a9a_camp_received_mon_10_march_2025_due_thu_13_reported_12_met():
    """A9a (LTHAHS Art. 23(1)): the detention camp received the QĐTHA Mon
    10/03/2025 → Tue 11, Wed 12, Thu 13/03/2025; reported to the province Wed
    12/03/2025: met."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(12, 3, 2025)),
    )
    row = one(facts, "A9a")
    assert (row.start, row.due, row.done) == (
        d(10, 3, 2025),
        d(13, 3, 2025),
        d(12, 3, 2025),
    )
    assert status(row, d(1, 4, 2025)) == MET


def test_a9a_reported_tue_18_march_2025_met_late_5_days():
    """A9a (LTHAHS Art. 23(1)): due Thu 13/03/2025; reported Tue 18/03/2025:
    met late by 5 days."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(18, 3, 2025)),
    )
    assert status(one(facts, "A9a"), d(1, 4, 2025)) == engine.Status("met_late", 5)


def test_a9a_over_tet_2024_received_wed_7_february_due_mon_19_february_2024():
    """A9a (LTHAHS Art. 23(1)): received Wed 07/02/2024; Tết 08/02-14/02/2024
    skipped: Thu 15 (1), Fri 16 (2), Mon 19/02/2024 (3)."""
    facts = detained(
        pronounced=d(5, 1, 2024),
        effective=d(5, 2, 2024),
        detention=[(d(1, 9, 2023), None)],
        events=[
            ev("execution_decision_issued", d(6, 2, 2024)),
            ev("agency_received_execution_decision", d(7, 2, 2024)),
        ],
    )
    assert one(facts, "A9a").due == d(19, 2, 2024)


def test_a9a_does_not_apply_to_a_convict_at_liberty_or_a_suspended_sentence():
    """A9a (LTHAHS Art. 23(1)) is for a prison convict in detention."""
    received = ev("agency_received_execution_decision", d(10, 3, 2025))
    assert rows(detained(received, custody="at_liberty", detention=[]), "A9a") == []
    assert rows(case("suspended", events=[received]), "A9a") == []


def test_a9b_reported_wed_12_march_2025_due_wed_19_file_completed_19_met():
    """A9b (LTHAHS Art. 23(1)): reported to the province Wed 12/03/2025 → Thu
    13, Fri 14, Mon 17, Tue 18, Wed 19/03/2025 (5 wd); file completed Wed
    19/03/2025: met."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(12, 3, 2025)),
        ev("provincial_file_completed", d(19, 3, 2025)),
    )
    row = one(facts, "A9b")
    assert (row.due, row.done) == (d(19, 3, 2025), d(19, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_a9b_no_file_overdue_5_days_at_mon_24_march_2025():
    """A9b (LTHAHS Art. 23(1)): due Wed 19/03/2025; no file at Mon 24/03/2025:
    overdue by 5 days."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(12, 3, 2025)),
    )
    row = one(facts, "A9b", d(24, 3, 2025))
    assert status(row, d(24, 3, 2025)) == engine.Status("overdue", 5)


def test_a9b_over_30_april_2025_reported_fri_25_april_due_tue_6_may():
    """A9b (LTHAHS Art. 23(1)): reported Fri 25/04/2025 → Sat 26/04 (make-up
    working day, 1), Mon 28 (2), Tue 29 (3); 30/04-04/05 rest; Mon 05/05 (4),
    Tue 06/05/2025 (5)."""
    facts = detained(
        ev("agency_received_execution_decision", d(22, 4, 2025)),
        ev("convict_reported_to_province", d(25, 4, 2025)),
    )
    assert one(facts, "A9b").due == d(6, 5, 2025)


def test_a9c_file_completed_wed_19_march_2025_due_wed_26_decided_25_met():
    """A9c (LTHAHS Art. 23(2)): file completed Wed 19/03/2025 → Thu 20, Fri 21,
    Mon 24, Tue 25, Wed 26/03/2025; place of serving decided Tue 25/03: met."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(12, 3, 2025)),
        ev("provincial_file_completed", d(19, 3, 2025)),
        ev("place_of_serving_decided", d(25, 3, 2025)),
    )
    row = one(facts, "A9c")
    assert row.due == d(26, 3, 2025)
    assert status(row, d(1, 4, 2025)) == MET


def test_a9c_decided_fri_28_march_2025_met_late_2_days():
    """A9c (LTHAHS Art. 23(2)): due Wed 26/03/2025; decided Fri 28/03/2025: met
    late by 2 days."""
    facts = detained(
        ev("agency_received_execution_decision", d(10, 3, 2025)),
        ev("convict_reported_to_province", d(12, 3, 2025)),
        ev("provincial_file_completed", d(19, 3, 2025)),
        ev("place_of_serving_decided", d(28, 3, 2025)),
    )
    assert status(one(facts, "A9c"), d(1, 4, 2025)) == engine.Status("met_late", 2)


def test_a9c_over_new_year_2026_completed_mon_29_december_due_wed_7_january():
    """A9c (LTHAHS Art. 23(2)): file completed Mon 29/12/2025 → Tue 30 (1), Wed
    31 (2); Thu 01/01 and Fri 02/01/2026 (swapped day off) and the weekend
    skipped; Mon 05 (3), Tue 06 (4), Wed 07/01/2026 (5)."""
    facts = detained(
        pronounced=d(1, 10, 2025),
        effective=d(1, 11, 2025),
        events=[
            ev("execution_decision_issued", d(5, 11, 2025)),
            ev("agency_received_execution_decision", d(10, 11, 2025)),
            ev("convict_reported_to_province", d(13, 11, 2025)),
            ev("provincial_file_completed", d(29, 12, 2025)),
        ],
    )
    assert one(facts, "A9c").due == d(7, 1, 2026)


# --------------------------------------------------------------------------
# A10: the convict at liberty reports within 7 days of receiving the QĐTHA
# --------------------------------------------------------------------------


def served(day: date, *events: EventFact, **more) -> CaseFacts:
    return case(
        events=[
            ev("execution_decision_issued", d(6, 3, 2025)),
            ev("execution_decision_served", day),
            *events,
        ],
        **more,
    )


def test_a10_served_mon_10_march_2025_due_mon_17_reported_fri_14_met():
    """A10 (LTHAHS Art. 22(1), 23(4)): served Mon 10/03/2025 + 7 = Mon
    17/03/2025; reported to serve Fri 14/03/2025: met."""
    row = one(served(d(10, 3, 2025), ev("reported_to_serve", d(14, 3, 2025))), "A10")
    assert (row.due, row.done) == (d(17, 3, 2025), d(14, 3, 2025))
    assert row.responsible_kind == "convict"
    assert status(row, d(1, 4, 2025)) == MET


def test_a10_escorted_mon_24_march_2025_met_late_7_days():
    """A10 (LTHAHS Art. 22(1)): due Mon 17/03/2025; escorted Mon 24/03/2025:
    met late by 7 days."""
    row = one(served(d(10, 3, 2025), ev("escorted", d(24, 3, 2025))), "A10")
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 7)


def test_a10_over_tet_2026_served_fri_13_february_due_mon_23_february():
    """A10 (LTHAHS Art. 22(1)): served Fri 13/02/2026 + 7 = Fri 20/02/2026
    (Mùng bốn Tết); Sat 21, Sun 22: runs to Mon 23/02/2026."""
    facts = case(
        pronounced=d(5, 1, 2026),
        effective=d(6, 2, 2026),
        events=[
            ev("execution_decision_issued", d(9, 2, 2026)),
            ev("execution_decision_served", d(13, 2, 2026)),
        ],
    )
    row = one(facts, "A10")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_a10_lapsed_by_a_postponement_granted_wed_19_march_2025_2_days_late():
    """A10 (LTHAHS Art. 22(1)): due Mon 17/03/2025, not reported; postponement
    granted Wed 19/03/2025: lapsed, late_days counted to the event: 2."""
    row = one(served(d(10, 3, 2025), ev("postponement_granted", d(19, 3, 2025))), "A10")
    assert row.lapsed_on == d(19, 3, 2025)
    assert status(row, d(1, 4, 2025)) == engine.Status("lapsed", 2)


def test_a10_does_not_apply_to_a_detained_convict():
    """A10 (LTHAHS Art. 23(4)) is for a convict on bail only."""
    facts = served(d(10, 3, 2025), custody="detained")
    assert rows(facts, "A10") == []


# --------------------------------------------------------------------------
# B3: the court decides on a postponement within 7 days
# --------------------------------------------------------------------------


def postponement(*events: EventFact, **more) -> CaseFacts:
    return case(
        events=[
            ev("execution_decision_issued", d(3, 3, 2025)),
            ev("execution_decision_served", d(5, 3, 2025)),
            *events,
        ],
        **more,
    )


def test_b3_request_mon_10_march_2025_due_mon_17_refused_17_met():
    """B3 (LTHAHS Art. 24(1)-(2); TTLT 01/2021 Art. 7): application received
    Mon 10/03/2025 + 7 = Mon 17/03/2025; refusal Mon 17/03/2025: met."""
    facts = postponement(
        ev("postponement_requested", d(10, 3, 2025), ground="illness"),
        ev("postponement_refused", d(17, 3, 2025)),
    )
    row = one(facts, "B3")
    assert (row.due, row.done) == (d(17, 3, 2025), d(17, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_b3_granted_thu_20_march_2025_met_late_3_days():
    """B3 (LTHAHS Art. 24(1)): due Mon 17/03/2025; postponement granted Thu
    20/03/2025: met late by 3 days."""
    facts = postponement(
        ev("postponement_requested", d(10, 3, 2025)),
        ev("postponement_granted", d(20, 3, 2025), until="2025-09-20"),
    )
    assert status(one(facts, "B3"), d(1, 4, 2025)) == engine.Status("met_late", 3)


def test_b3_over_tet_2024_request_thu_1_february_due_thu_15_february():
    """B3 (LTHAHS Art. 24(1)): request Thu 01/02/2024 + 7 = Thu 08/02/2024
    (29 Tết); Tết 08/02-14/02: runs to Thu 15/02/2024."""
    facts = case(
        pronounced=d(5, 12, 2023),
        effective=d(5, 1, 2024),
        events=[
            ev("execution_decision_issued", d(10, 1, 2024)),
            ev("execution_decision_served", d(29, 1, 2024)),
            ev("postponement_requested", d(1, 2, 2024)),
        ],
    )
    row = one(facts, "B3")
    assert row.due == d(15, 2, 2024)
    assert row.shifted


def test_b3_each_request_has_its_own_clock():
    """B3 (LTHAHS Art. 24(1)), repeated: request Mon 10/03/2025 (due Mon
    17/03), refused Fri 14/03: met; request Tue 01/04/2025 + 7 = Tue 08/04/2025,
    granted that day: met."""
    facts = postponement(
        ev("postponement_requested", d(10, 3, 2025)),
        ev("postponement_refused", d(14, 3, 2025)),
        ev("postponement_requested", d(1, 4, 2025)),
        ev("postponement_granted", d(8, 4, 2025), until="2025-10-08"),
    )
    first, second = rows(facts, "B3")
    assert (first.due, first.done) == (d(17, 3, 2025), d(14, 3, 2025))
    assert (second.due, second.done) == (d(8, 4, 2025), d(8, 4, 2025))


# --------------------------------------------------------------------------
# B4: the court sends the postponement decision within 3 working days
# --------------------------------------------------------------------------


def test_b4_granted_mon_10_march_2025_due_thu_13_received_13_met():
    """B4 (LTHAHS Art. 24(3)): granted Mon 10/03/2025 → Tue 11, Wed 12, Thu
    13/03/2025; the procuracy received it Thu 13/03/2025: met."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("postponement_decision_received", d(13, 3, 2025)),
    )
    row = one(facts, "B4")
    assert (row.due, row.done) == (d(13, 3, 2025), d(13, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_b4_received_tue_18_march_2025_met_late_5_days():
    """B4 (LTHAHS Art. 24(3)): due Thu 13/03/2025; received Tue 18/03/2025: met
    late by 5 days."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("postponement_decision_received", d(18, 3, 2025)),
    )
    assert status(one(facts, "B4"), d(1, 4, 2025)) == engine.Status("met_late", 5)


def test_b4_over_tet_2025_granted_fri_24_january_due_wed_5_february():
    """B4 (LTHAHS Art. 24(3)): postponement granted Fri 24/01/2025; 3 working
    days skip the Tết days off 27/01-31/01: Mon 03, Tue 04, Wed 05/02/2025."""
    facts = case(
        pronounced=d(2, 12, 2024),
        effective=d(3, 1, 2025),
        events=[
            ev("execution_decision_issued", d(8, 1, 2025)),
            ev("postponement_granted", d(24, 1, 2025), until="2025-07-24"),
        ],
    )
    row = one(facts, "B4")
    assert row.due == d(5, 2, 2025)
    assert "27/01/2025 (29 Tết)" in text(row)


# --------------------------------------------------------------------------
# B6a, B6b: summons to the commune; the commune's management file
# --------------------------------------------------------------------------


def test_b6a_agency_received_wed_12_march_2025_due_mon_17_summoned_17_met():
    """B6a (LTHAHS Art. 25(2)): the agency received the postponement Wed
    12/03/2025 → Thu 13, Fri 14, Mon 17/03/2025; summoned Mon 17/03: met."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("agency_received_postponement_decision", d(12, 3, 2025)),
        ev("summoned_to_commune", d(17, 3, 2025)),
    )
    row = one(facts, "B6a")
    assert (row.due, row.done) == (d(17, 3, 2025), d(17, 3, 2025))
    assert row.responsible_kind == "execution_agency"
    assert status(row, d(1, 4, 2025)) == MET


def test_b6a_no_summons_overdue_4_days_at_fri_21_march_2025():
    """B6a (LTHAHS Art. 25(2)): due Mon 17/03/2025; no summons at Fri
    21/03/2025: overdue by 4 days."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("agency_received_postponement_decision", d(12, 3, 2025)),
    )
    row = one(facts, "B6a", d(21, 3, 2025))
    assert status(row, d(21, 3, 2025)) == engine.Status("overdue", 4)


def test_b6a_over_30_april_2025_received_tue_29_april_due_wed_7_may():
    """B6a (LTHAHS Art. 25(2)): received Tue 29/04/2025; 30/04-04/05 rest:
    Mon 05 (1), Tue 06 (2), Wed 07/05/2025 (3)."""
    facts = postponement(
        ev("postponement_granted", d(25, 4, 2025), until="2025-10-25"),
        ev("agency_received_postponement_decision", d(29, 4, 2025)),
    )
    assert one(facts, "B6a").due == d(7, 5, 2025)


def test_b6b_summoned_mon_17_march_2025_due_thu_20_file_opened_19_met():
    """B6b (LTHAHS Art. 25(3)): summoned Mon 17/03/2025 → Tue 18, Wed 19, Thu
    20/03/2025; the commune opened its file Wed 19/03/2025: met."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("summoned_to_commune", d(17, 3, 2025)),
        ev("supervision_file_opened", d(19, 3, 2025)),
    )
    row = one(facts, "B6b")
    assert (row.due, row.done) == (d(20, 3, 2025), d(19, 3, 2025))
    assert row.responsible_kind == "commune"
    assert status(row, d(1, 4, 2025)) == MET


def test_b6b_file_opened_tue_25_march_2025_met_late_5_days():
    """B6b (LTHAHS Art. 25(3)): due Thu 20/03/2025; opened Tue 25/03/2025: met
    late by 5 days."""
    facts = postponement(
        ev("postponement_granted", d(10, 3, 2025), until="2025-09-10"),
        ev("summoned_to_commune", d(17, 3, 2025)),
        ev("supervision_file_opened", d(25, 3, 2025)),
    )
    assert status(one(facts, "B6b"), d(1, 4, 2025)) == engine.Status("met_late", 5)


def test_b6b_over_2_september_2025_summoned_thu_28_august_due_thu_4_september():
    """B6b (LTHAHS Art. 25(3)): summoned Thu 28/08/2025 → Fri 29/08 (1); Sat
    30/08-Tue 02/09 rest; Wed 03 (2), Thu 04/09/2025 (3)."""
    facts = postponement(
        ev("postponement_granted", d(20, 8, 2025), until="2026-02-20"),
        ev("summoned_to_commune", d(28, 8, 2025)),
    )
    assert one(facts, "B6b").due == d(4, 9, 2025)


def test_b6b_does_not_apply_to_a_suspended_sentence_where_d5_runs():
    """A summons of a person on a suspended sentence starts D5, not B6b."""
    facts = case("suspended", events=[ev("summoned_to_commune", d(17, 3, 2025))])
    assert rows(facts, "B6b") == []
    assert one(facts, "D5").due == d(24, 3, 2025)


# --------------------------------------------------------------------------
# B7a: the court notifies the end of a postponement at least 7 days before
# --------------------------------------------------------------------------


def granted_until(until: str, *events: EventFact, granted=GRANTED):
    return case(
        pronounced=d(2, 6, 2025),
        effective=d(3, 7, 2025),
        events=[
            ev("execution_decision_issued", d(7, 7, 2025)),
            ev("postponement_granted", granted, until=until),
            *events,
        ],
    )


def test_b7a_until_mon_16_march_2026_due_mon_9_march_notified_fri_6_met():
    """B7a (LTHAHS Art. 25(6)), worked example: postponement until Mon
    16/03/2026 - 7 days = Mon 09/03/2026, a working day; notified Fri
    06/03/2026: met."""
    row = one(
        granted_until("2026-03-16", ev("postponement_expiry_notified", d(6, 3, 2026))),
        "B7a",
    )
    assert (row.start, row.due, row.done) == (
        d(16, 3, 2026),
        d(9, 3, 2026),
        d(6, 3, 2026),
    )
    assert not row.shifted
    assert status(row, d(1, 4, 2026)) == MET


def test_b7a_notified_wed_11_march_2026_met_late_2_days():
    """B7a (LTHAHS Art. 25(6)): due Mon 09/03/2026; notified Wed 11/03/2026:
    met late by 2 days."""
    row = one(
        granted_until("2026-03-16", ev("postponement_expiry_notified", d(11, 3, 2026))),
        "B7a",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 2)


def test_b7a_not_notified_overdue_3_days_at_thu_12_march_2026():
    """B7a (LTHAHS Art. 25(6)): due Mon 09/03/2026; nothing at Thu 12/03/2026:
    overdue by 3 days."""
    row = one(granted_until("2026-03-16"), "B7a", d(12, 3, 2026))
    assert status(row, d(12, 3, 2026)) == engine.Status("overdue", 3)


def test_b7a_backward_over_tet_2025_until_sun_9_february_due_fri_24_january():
    """B7a (LTHAHS Art. 25(6)), worked example: until Sun 09/02/2025 - 7 = Sun
    02/02/2025; it moves earlier past Tết (01/02-25/01) to Fri 24/01/2025."""
    row = one(
        case(
            pronounced=d(1, 10, 2024),
            effective=d(1, 11, 2024),
            events=[
                ev("execution_decision_issued", d(5, 11, 2024)),
                ev("postponement_granted", d(11, 11, 2024), until="2025-02-09"),
            ],
        ),
        "B7a",
    )
    assert row.due == d(24, 1, 2025)
    assert row.shifted


def test_b7a_backward_over_tet_2026_until_mon_23_february_due_fri_13_february():
    """B7a (LTHAHS Art. 25(6)): until Mon 23/02/2026 - 7 = Mon 16/02/2026
    (Giao thừa); earlier past Sun 15 and Sat 14: Fri 13/02/2026."""
    row = one(granted_until("2026-02-23"), "B7a")
    assert row.due == d(13, 2, 2026)
    assert "chuyển lên ngày làm việc liền trước" in text(row)


def test_b7a_lapsed_when_the_postponement_is_cancelled_mon_2_february_2026():
    """B7a (LTHAHS Art. 25(6)): due Mon 09/03/2026; the postponement was
    cancelled Mon 02/02/2026 (B8): the notice is moot: lapsed, 0 days late."""
    row = one(
        granted_until(
            "2026-03-16",
            ev("cancellation_proposed", d(28, 1, 2026), of="postponement"),
            ev("postponement_cancelled", d(2, 2, 2026)),
        ),
        "B7a",
    )
    assert row.lapsed_on == d(2, 2, 2026)
    assert status(row, d(1, 4, 2026)) == engine.Status("lapsed", 0)


# --------------------------------------------------------------------------
# B7b: the person reports within 7 days after the postponement ends
# --------------------------------------------------------------------------


def test_b7b_until_mon_16_march_2026_due_mon_23_reported_tue_17_met():
    """B7b (LTHAHS Art. 25(6)): until Mon 16/03/2026 + 7 = Mon 23/03/2026;
    reported Tue 17/03/2026: met."""
    row = one(
        granted_until("2026-03-16", ev("reported_to_serve", d(17, 3, 2026))), "B7b"
    )
    assert (row.start, row.due, row.done) == (
        d(16, 3, 2026),
        d(23, 3, 2026),
        d(17, 3, 2026),
    )
    assert row.responsible_kind == "convict"
    assert status(row, d(1, 4, 2026)) == MET


def test_b7b_escorted_mon_30_march_2026_met_late_7_days():
    """B7b (LTHAHS Art. 25(6)): due Mon 23/03/2026; escorted Mon 30/03/2026:
    met late by 7 days."""
    row = one(granted_until("2026-03-16", ev("escorted", d(30, 3, 2026))), "B7b")
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 7)


def test_b7b_not_reported_overdue_4_days_at_fri_27_march_2026():
    """B7b (LTHAHS Art. 25(6)): due Mon 23/03/2026; nothing at Fri 27/03/2026:
    overdue by 4 days."""
    row = one(granted_until("2026-03-16"), "B7b", d(27, 3, 2026))
    assert status(row, d(27, 3, 2026)) == engine.Status("overdue", 4)


def test_b7b_over_30_april_2026_until_thu_23_april_due_mon_4_may():
    """B7b (LTHAHS Art. 25(6)): until Thu 23/04/2026 + 7 = Thu 30/04/2026
    (holiday); Fri 01/05 (holiday), Sat 02, Sun 03: runs to Mon 04/05/2026."""
    row = one(granted_until("2026-04-23", granted=d(3, 11, 2025)), "B7b")
    assert row.due == d(4, 5, 2026)
    assert row.shifted


def test_b7b_lapsed_by_a_new_postponement_and_the_new_one_has_its_own_clock():
    """B7b (LTHAHS Art. 25(6)): first postponement until Mon 16/03/2026 (due
    Mon 23/03); a new postponement granted Fri 13/03/2026 until Mon 15/06/2026
    makes the first report moot: lapsed on 13/03, 0 days late. The new clock:
    15/06 + 7 = Mon 22/06/2026; reported that day: met."""
    facts = granted_until(
        "2026-03-16",
        ev("postponement_granted", d(13, 3, 2026), until="2026-06-15"),
        ev("reported_to_serve", d(22, 6, 2026)),
    )
    first, second = rows(facts, "B7b")
    assert first.due == d(23, 3, 2026)
    assert first.done is None
    assert first.lapsed_on == d(13, 3, 2026)
    assert status(first, d(1, 7, 2026)) == engine.Status("lapsed", 0)
    assert (second.start, second.due) == (d(15, 6, 2026), d(22, 6, 2026))
    assert status(second, d(1, 7, 2026)) == MET


# --------------------------------------------------------------------------
# B8a, B8b: cancelling a postponement (decide in 3 wd, send in 3 wd)
# --------------------------------------------------------------------------


def cancellation(proposed: date, *events: EventFact, **more) -> CaseFacts:
    return case(
        events=[
            ev("execution_decision_issued", d(3, 3, 2025)),
            ev("postponement_granted", d(5, 3, 2025), until="2025-09-05"),
            ev("cancellation_proposed", proposed, of="postponement"),
            *events,
        ],
        **more,
    )


def test_b8a_proposal_tue_11_march_2025_due_fri_14_cancelled_14_met():
    """B8a (LTHAHS Art. 25(4); TTLT 01/2021 Art. 8): proposal reached the court
    Tue 11/03/2025 → Wed 12, Thu 13, Fri 14/03/2025; cancelled Fri 14/03: met."""
    row = one(
        cancellation(d(11, 3, 2025), ev("postponement_cancelled", d(14, 3, 2025))),
        "B8a",
    )
    assert (row.due, row.done) == (d(14, 3, 2025), d(14, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_b8a_not_decided_overdue_5_days_at_wed_19_march_2025():
    """B8a (LTHAHS Art. 25(4)): due Fri 14/03/2025; no decision at Wed
    19/03/2025: overdue by 5 days."""
    row = one(cancellation(d(11, 3, 2025)), "B8a", d(19, 3, 2025))
    assert status(row, d(19, 3, 2025)) == engine.Status("overdue", 5)


def test_b8a_over_tet_2026_proposal_fri_13_february_due_wed_25_february():
    """B8a (LTHAHS Art. 25(4)): proposal Fri 13/02/2026; Tết 14/02-22/02 rest:
    Mon 23 (1), Tue 24 (2), Wed 25/02/2026 (3)."""
    facts = case(
        pronounced=d(1, 10, 2025),
        effective=d(1, 11, 2025),
        events=[
            ev("execution_decision_issued", d(5, 11, 2025)),
            ev("postponement_granted", d(5, 1, 2026), until="2026-07-05"),
            ev("cancellation_proposed", d(13, 2, 2026), of="postponement"),
        ],
    )
    assert one(facts, "B8a").due == d(25, 2, 2026)


def test_b8a_not_started_by_a_proposal_to_cancel_a_suspension():
    """A proposal to cancel a suspension starts C5, not B8a."""
    facts = case(
        custody="detained",
        events=[
            ev("suspension_granted", d(5, 3, 2025), until="2025-09-05"),
            ev("cancellation_proposed", d(11, 3, 2025), of="suspension"),
        ],
    )
    assert rows(facts, "B8a") == []
    assert one(facts, "C5").due == d(14, 3, 2025)


def test_b8b_cancelled_fri_14_march_2025_due_wed_19_sent_19_met():
    """B8b (LTHAHS Art. 25(4); TTLT 01/2021 Art. 8): cancelled Fri 14/03/2025
    → Mon 17, Tue 18, Wed 19/03/2025; sent Wed 19/03: met."""
    row = one(
        cancellation(
            d(11, 3, 2025),
            ev("postponement_cancelled", d(14, 3, 2025)),
            ev("cancellation_sent", d(19, 3, 2025)),
        ),
        "B8b",
    )
    assert (row.due, row.done) == (d(19, 3, 2025), d(19, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET


def test_b8b_sent_mon_24_march_2025_met_late_5_days():
    """B8b (LTHAHS Art. 25(4)): due Wed 19/03/2025; sent Mon 24/03/2025: met
    late by 5 days."""
    row = one(
        cancellation(
            d(11, 3, 2025),
            ev("postponement_cancelled", d(14, 3, 2025)),
            ev("cancellation_sent", d(24, 3, 2025)),
        ),
        "B8b",
    )
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 5)


def test_b8b_suspension_cancelled_over_tet_2020_wed_22_january_due_mon_3_feb():
    """B8b (LTHAHS Art. 25(4)), for a suspension's cancellation: cancelled Wed
    22/01/2020; Tết 23/01-29/01: Thu 30/01 (1), Fri 31/01 (2), Mon 03/02/2020
    (3)."""
    facts = case(
        custody="detained",
        pronounced=d(3, 6, 2019),
        effective=d(4, 7, 2019),
        detention=[(d(1, 3, 2019), None)],
        events=[
            ev("suspension_granted", d(1, 11, 2019), until="2020-05-05"),
            ev("cancellation_proposed", d(17, 1, 2020), of="suspension"),
            ev("suspension_cancelled", d(22, 1, 2020)),
        ],
    )
    row = one(facts, "B8b")
    assert row.due == d(3, 2, 2020)
    assert row.rule_set == "LTHAHS-2019"


# --------------------------------------------------------------------------
# C2: the court decides on a suspension within 7 days of the file
# --------------------------------------------------------------------------


def suspension(*events: EventFact) -> CaseFacts:
    return case(
        custody="detained",
        pronounced=d(10, 9, 2024),
        effective=d(11, 10, 2024),
        detention=[(d(1, 5, 2024), None)],
        term=Term(3),
        events=list(events),
    )


def test_c2_file_received_mon_10_march_2025_due_mon_17_granted_14_met():
    """C2 (LTHAHS Art. 36(1), (3) [secondary]; TTLT 02/2021 Art. 9): file
    received Mon 10/03/2025 + 7 = Mon 17/03/2025; granted Fri 14/03: met. The
    row is marked "căn cứ chưa đối chiếu" (Art. 36 only seen second-hand)."""
    row = one(
        suspension(
            ev("suspension_file_received_by_court", d(10, 3, 2025)),
            ev("suspension_granted", d(14, 3, 2025), until="2025-09-16"),
        ),
        "C2",
    )
    assert (row.due, row.done) == (d(17, 3, 2025), d(14, 3, 2025))
    assert status(row, d(1, 4, 2025)) == MET
    assert row.verified is False
    assert engine.UNCHECKED_MARK in text(row)


def test_c2_refused_thu_20_march_2025_met_late_3_days():
    """C2 (LTHAHS Art. 36): due Mon 17/03/2025; refusal Thu 20/03/2025: met
    late by 3 days."""
    row = one(
        suspension(
            ev("suspension_file_received_by_court", d(10, 3, 2025)),
            ev("suspension_refused", d(20, 3, 2025)),
        ),
        "C2",
    )
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 3)


def test_c2_over_30_april_2025_received_fri_25_april_due_mon_5_may():
    """C2 (LTHAHS Art. 36): received Fri 25/04/2025 + 7 = Fri 02/05/2025 (the
    swapped day off); Sat 03, Sun 04: runs to Mon 05/05/2025."""
    row = one(suspension(ev("suspension_file_received_by_court", d(25, 4, 2025))), "C2")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


# --------------------------------------------------------------------------
# C5: the court decides on cancelling a suspension within 3 working days
# --------------------------------------------------------------------------


def test_c5_proposal_mon_2_june_2025_due_thu_5_cancelled_5_met():
    """C5 (TTLT 02/2021 Art. 11): proposal Mon 02/06/2025 → Tue 03, Wed 04, Thu
    05/06/2025; suspension cancelled Thu 05/06: met."""
    row = one(
        suspension(
            ev("suspension_granted", d(20, 5, 2025), until="2025-11-21"),
            ev("cancellation_proposed", d(2, 6, 2025), of="suspension"),
            ev("suspension_cancelled", d(5, 6, 2025)),
        ),
        "C5",
    )
    assert (row.due, row.done) == (d(5, 6, 2025), d(5, 6, 2025))
    assert status(row, d(1, 7, 2025)) == MET


def test_c5_cancelled_tue_10_june_2025_met_late_5_days():
    """C5 (TTLT 02/2021 Art. 11): due Thu 05/06/2025; cancelled Tue 10/06/2025:
    met late by 5 days."""
    row = one(
        suspension(
            ev("suspension_granted", d(20, 5, 2025), until="2025-11-21"),
            ev("cancellation_proposed", d(2, 6, 2025), of="suspension"),
            ev("suspension_cancelled", d(10, 6, 2025)),
        ),
        "C5",
    )
    assert status(row, d(1, 7, 2025)) == engine.Status("met_late", 5)


def test_c5_over_2_september_2025_proposal_fri_29_august_due_fri_5_september():
    """C5 (TTLT 02/2021 Art. 11): proposal Fri 29/08/2025; 30/08-02/09 rest:
    Wed 03 (1), Thu 04 (2), Fri 05/09/2025 (3)."""
    row = one(
        suspension(
            ev("suspension_granted", d(20, 5, 2025), until="2025-11-21"),
            ev("cancellation_proposed", d(29, 8, 2025), of="suspension"),
        ),
        "C5",
    )
    assert row.due == d(5, 9, 2025)


def test_c5_not_started_by_a_proposal_to_cancel_a_postponement():
    facts = cancellation(d(11, 3, 2025))
    assert rows(facts, "C5") == []


# --------------------------------------------------------------------------
# C7: prison-term reduction, eligibility (BLHS Art. 63(1))
# --------------------------------------------------------------------------


def test_c7_three_years_credit_30_days_reported_2_june_2025_sat_2_may_2026():
    """C7 (BLHS Art. 63(1)): prison 3 years (1080 days), reported Mon
    02/06/2025, detention 01/03-30/03/2025 = 30 days credited 1:1; one third =
    360 - 30 = 330 days = 11 months: Sat 02/05/2026 (a fact of time served:
    not moved off the weekend)."""
    facts = case(
        term=Term(3),
        detention=[(d(1, 3, 2025), d(30, 3, 2025))],
        events=[ev("reported_to_serve", d(2, 6, 2025))],
    )
    assert eligible(facts, "C7") == d(2, 5, 2026)


def test_c7_detained_two_years_from_first_custody_10_january_2025_is_10_sept():
    """C7 (BLHS Art. 63(1)): 2 years (720 days), in custody from 10/01/2025 to
    the judgment; one third = 240 days = 8 months: 10/09/2025."""
    facts = detained(detention=[(d(10, 1, 2025), None)])
    assert eligible(facts, "C7") == d(10, 9, 2025)


def test_c7_life_term_12_years_from_15_march_2024_is_sat_15_march_2036():
    """C7 / H3 (BLHS Art. 63(1)): a life term is first reduced after 12 years
    actually served: from the first custody day 15/03/2024, 15/03/2036 (a
    Saturday; not moved)."""
    facts = case(
        "life",
        custody="detained",
        detention=[(d(15, 3, 2024), None)],
        pronounced=d(20, 1, 2025),
    )
    assert eligible(facts, "C7") == d(15, 3, 2036)
    assert eligible(facts, "G2") is None


def test_c7_over_tet_2026_is_not_moved_off_the_holiday():
    """C7 (BLHS Art. 63(1)): prison 1 year 6 months (540 days) from Sun
    17/08/2025 (admitted); one third = 180 days = 6 months: Tue 17/02/2026,
    Tết, kept (eligibility is a fact, not a deadline)."""
    facts = case(term=Term(1, 6), events=[ev("admitted_to_prison", d(17, 8, 2025))])
    assert eligible(facts, "C7") == d(17, 2, 2026)


def test_c7_not_for_a_suspended_or_ctkgg_sentence():
    for kind in ("suspended", "non_custodial_reform"):
        facts = case(
            kind,
            term=Term(2),
            probation=Term(3),
            events=[ev("agency_received_execution_decision", d(10, 3, 2025))],
        )
        assert eligible(facts, "C7") is None


# --------------------------------------------------------------------------
# Rule sets: old events use LTHAHS-2010, July 2026 ones LTHAHS-2025
# --------------------------------------------------------------------------


def test_a7_for_a_2019_qdtha_uses_lthahs_2010_marked_unchecked():
    """A7 (LTHAHS 2010, copied durations): QĐTHA Tue 02/07/2019 → Wed 03, Thu
    04, Fri 05/07/2019; rule set LTHAHS-2010, marked "căn cứ chưa đối chiếu"
    with the 2010 law."""
    facts = case(
        pronounced=d(6, 5, 2019),
        effective=d(6, 6, 2019),
        events=[ev("execution_decision_issued", d(2, 7, 2019))],
    )
    row = one(facts, "A7")
    assert row.due == d(5, 7, 2019)
    assert row.rule_set == "LTHAHS-2010"
    assert row.verified is False
    assert "căn cứ chưa đối chiếu với Luật THAHS 2010" in text(row)


def test_a5_in_the_2025_set_keeps_its_bltths_basis_with_the_amendment_mark():
    """A5 (BLTTHS Art. 364): effect Wed 01/07/2026 + 7 = Wed 08/07/2026 in
    LTHAHS-2025; the row keeps its BLTTHS basis and says the 2025 amendment of
    the Criminal Procedure Code is not checked."""
    row = one(case(pronounced=d(1, 6, 2026), effective=d(1, 7, 2026)), "A5")
    assert (row.rule_set, row.due, row.verified) == (
        "LTHAHS-2025",
        d(8, 7, 2026),
        False,
    )
    assert row.basis.startswith("BLTTHS")
    assert "sửa đổi BLTTHS năm 2025 chưa đối chiếu" in text(row)


def test_b6a_2025_starts_when_the_commune_police_receive_the_decision():
    """B6a (NĐ 231/2026, R-C1; LTHAHS-2025): the commune police received the
    postponement Fri 03/07/2026 → Mon 06, Tue 07, Wed 08/07/2026; the
    agency's receipt (02/07) starts no 2019 B6a after 01/07/2026; marked
    "căn cứ chưa đối chiếu"."""
    facts = case(
        pronounced=d(4, 5, 2026),
        effective=d(5, 6, 2026),
        events=[
            ev("execution_decision_issued", d(8, 6, 2026)),
            ev("postponement_granted", d(1, 7, 2026), until="2027-01-01"),
            ev("agency_received_postponement_decision", d(2, 7, 2026)),
            ev("commune_police_received_decision", d(3, 7, 2026)),
        ],
    )
    row = one(facts, "B6a")
    assert (row.start, row.due) == (d(3, 7, 2026), d(8, 7, 2026))
    assert row.rule_set == "LTHAHS-2025"
    assert row.responsible_kind == "commune_police"
    assert row.verified is False
    assert engine.UNCHECKED_MARK in text(row)


def test_b6a_2025_is_not_started_for_a_suspended_sentence():
    """Under LTHAHS-2025 the commune police's receipt starts D4 for a suspended
    sentence; B6a is the postponement's summons (BLHS Art. 67: prison only)."""
    facts = case(
        "suspended",
        pronounced=d(4, 5, 2026),
        effective=d(5, 6, 2026),
        events=[ev("commune_police_received_decision", d(2, 7, 2026))],
    )
    assert rows(facts, "B6a") == []
    assert one(facts, "D4").rule_set == "LTHAHS-2025"
