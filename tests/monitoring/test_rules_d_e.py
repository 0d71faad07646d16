"""Track-first rules D4-D11 (suspended sentences), E4-E9 (CTKGG), the
eligibility dates D10 and E7, and the LTHAHS-2025 / LTHAHS-2010 rule sets.

Every expected date is computed by hand from the calendar (the ``holidays``
package for VN plus the shipped 2026 overrides) and the conventions of
shared/domain/legal-rules.md: the event day is not counted; a forward
calendar-day period ending on a rest day runs to the next working day; a
working-day period counts working days only; a term end is a fact but the
certificate due on it (D6, E5) rolls forward; eligibility dates never move.
Statuses and late_days follow shared/domain/interchange.md.

Rest days used by hand: Tết 2024 Thu 08/02-Wed 14/02/2024; Tết 2025 Sat
25/01-Sun 02/02/2025; Tết 2026 Sat 14/02-Sun 22/02/2026; 30/04-04/05/2025
(02/05 swapped, Sat 26/04/2025 worked); 2/9 2025: Sat 30/08-Tue 02/09/2025;
2026: Thu 01/01, Fri 02/01 (override) off, Sat 10/01/2026 worked;
30/04-03/05/2026 (Thu-Sun); 01/01/2027 (Fri).
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


def suspended(*events: EventFact, **more) -> CaseFacts:
    """A suspended sentence: 2 years' prison, 3 years' probation by default."""
    facts = {
        "sentence_kind": "suspended",
        "custody": "at_liberty",
        "instance": "first",
        "pronounced_on": d(3, 2, 2025),
        "effective_on": d(4, 3, 2025),
        "term": Term(2),
        "probation": Term(3),
        "events": list(events),
    }
    facts.update(more)
    return CaseFacts(**facts)


def ctkgg(*events: EventFact, **more) -> CaseFacts:
    """A CTKGG sentence of 2 years by default."""
    facts = {
        "sentence_kind": "non_custodial_reform",
        "custody": "at_liberty",
        "instance": "first",
        "pronounced_on": d(6, 5, 2025),
        "effective_on": d(6, 6, 2025),
        "term": Term(2),
        "events": list(events),
    }
    facts.update(more)
    return CaseFacts(**facts)


QDTHA = ev("execution_decision_issued", d(7, 3, 2025))


# --------------------------------------------------------------------------
# D4: the agency summons the person within 3 wd of receiving the QĐTHA
# --------------------------------------------------------------------------


def test_d4_agency_received_tue_11_march_2025_due_fri_14_summoned_14_met():
    """D4 (LTHAHS Art. 85(1)): the agency received the QĐTHA Tue 11/03/2025 →
    Wed 12, Thu 13, Fri 14/03/2025; summoned Fri 14/03/2025: met."""
    row = one(
        suspended(
            QDTHA,
            ev("agency_received_execution_decision", d(11, 3, 2025)),
            ev("summoned_to_commune", d(14, 3, 2025)),
        ),
        "D4",
    )
    assert (row.start, row.due, row.done) == (
        d(11, 3, 2025),
        d(14, 3, 2025),
        d(14, 3, 2025),
    )
    assert row.rule_set == "LTHAHS-2019"
    assert row.verified is True
    assert status(row, d(1, 4, 2025)) == MET


def test_d4_summoned_tue_18_march_2025_met_late_4_days():
    """D4 (LTHAHS Art. 85(1)): due Fri 14/03/2025; summoned Tue 18/03/2025: met
    late by 4 days (15, 16, 17, 18/03)."""
    row = one(
        suspended(
            QDTHA,
            ev("agency_received_execution_decision", d(11, 3, 2025)),
            ev("summoned_to_commune", d(18, 3, 2025)),
        ),
        "D4",
    )
    assert status(row, d(1, 4, 2025)) == engine.Status("met_late", 4)


def test_d4_over_tet_2025_received_thu_23_january_due_tue_4_february():
    """D4 (LTHAHS Art. 85(1)): received Thu 23/01/2025 → Fri 24/01 (1); Tết
    25/01-02/02 rest; Mon 03 (2), Tue 04/02/2025 (3)."""
    facts = suspended(
        ev("execution_decision_issued", d(20, 1, 2025)),
        ev("agency_received_execution_decision", d(23, 1, 2025)),
        pronounced_on=d(2, 12, 2024),
        effective_on=d(3, 1, 2025),
    )
    assert one(facts, "D4").due == d(4, 2, 2025)


def test_d4_does_not_apply_to_ctkgg_which_has_e4a():
    facts = ctkgg(ev("agency_received_execution_decision", d(10, 6, 2025)))
    assert rows(facts, "D4") == []
    assert one(facts, "E4a").due == d(13, 6, 2025)


# --------------------------------------------------------------------------
# D5: the commune opens the supervision file within 7 days of the summons
# --------------------------------------------------------------------------


def test_d5_summoned_fri_14_march_2025_due_fri_21_file_opened_21_met():
    """D5 (LTHAHS Art. 85(2)-(3)): summoned Fri 14/03/2025 + 7 = Fri
    21/03/2025; supervision file opened that day: met."""
    row = one(
        suspended(
            ev("summoned_to_commune", d(14, 3, 2025)),
            ev("supervision_file_opened", d(21, 3, 2025)),
        ),
        "D5",
    )
    assert (row.due, row.done) == (d(21, 3, 2025), d(21, 3, 2025))
    assert row.responsible_kind == "commune"
    assert status(row, d(1, 4, 2025)) == MET


def test_d5_no_file_overdue_10_days_at_mon_31_march_2025():
    """D5 (LTHAHS Art. 85(2)-(3)): due Fri 21/03/2025; no file at Mon
    31/03/2025: overdue by 10 days."""
    row = one(
        suspended(ev("summoned_to_commune", d(14, 3, 2025))), "D5", d(31, 3, 2025)
    )
    assert status(row, d(31, 3, 2025)) == engine.Status("overdue", 10)


def test_d5_over_tet_2024_summoned_thu_1_february_due_thu_15_february():
    """D5 (LTHAHS Art. 85(2)-(3)): summoned Thu 01/02/2024 + 7 = Thu 08/02/2024
    (29 Tết); Tết 08/02-14/02: runs to Thu 15/02/2024."""
    facts = suspended(
        ev("summoned_to_commune", d(1, 2, 2024)),
        pronounced_on=d(4, 12, 2023),
        effective_on=d(5, 1, 2024),
    )
    row = one(facts, "D5")
    assert row.due == d(15, 2, 2024)
    assert row.shifted


# --------------------------------------------------------------------------
# D6: completion certificate on the last day of probation
# --------------------------------------------------------------------------


def one_year(pronounced: date, *events: EventFact) -> CaseFacts:
    return suspended(
        *events, pronounced_on=pronounced, effective_on=None, probation=Term(1)
    )


def test_d6_probation_1_year_from_mon_10_march_2025_gcn_tue_10_march_2026_met():
    """D6 (LTHAHS Art. 85(4)): 1-year probation from the first-instance
    pronouncement Mon 10/03/2025 (D2) ends Tue 10/03/2026; GCN issued that
    day: met."""
    row = one(
        one_year(d(10, 3, 2025), ev("completion_certificate_issued", d(10, 3, 2026))),
        "D6",
    )
    assert (row.start, row.due, row.done) == (
        d(10, 3, 2026),
        d(10, 3, 2026),
        d(10, 3, 2026),
    )
    assert row.rule_set == "LTHAHS-2019"
    assert status(row, d(1, 4, 2026)) == MET


def test_d6_gcn_mon_16_march_2026_met_late_6_days():
    """D6 (LTHAHS Art. 85(4)): due Tue 10/03/2026; GCN Mon 16/03/2026: met late
    by 6 days."""
    row = one(
        one_year(d(10, 3, 2025), ev("completion_certificate_issued", d(16, 3, 2026))),
        "D6",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 6)


def test_d6_no_gcn_overdue_10_days_at_fri_20_march_2026():
    """D6 (LTHAHS Art. 85(4)): "last day passed, no GCN": due Tue 10/03/2026;
    at Fri 20/03/2026 overdue by 10 days."""
    row = one(one_year(d(10, 3, 2025)), "D6", d(20, 3, 2026))
    assert status(row, d(20, 3, 2026)) == engine.Status("overdue", 10)


def test_d6_probation_ends_on_tet_tue_17_february_2026_gcn_due_mon_23():
    """D6 (LTHAHS Art. 85(4)): 1-year probation from Mon 17/02/2025 ends Tue
    17/02/2026 (Tết; the end itself is a fact and does not move); the GCN due
    that day is a deadline and runs past Tết to Mon 23/02/2026."""
    row = one(one_year(d(17, 2, 2025)), "D6")
    assert row.start == d(17, 2, 2026)
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_d6_lapsed_by_revocation_wed_10_december_2025():
    """D6 (LTHAHS Art. 85(4)): the suspended sentence was revoked Wed
    10/12/2025 (D9), before the probation's end 10/03/2026: no GCN is due:
    lapsed, 0 days late."""
    row = one(
        one_year(
            d(10, 3, 2025),
            ev("revocation_proposed", d(3, 12, 2025)),
            ev("revocation_decided", d(10, 12, 2025)),
        ),
        "D6",
    )
    assert row.lapsed_on == d(10, 12, 2025)
    assert status(row, d(1, 4, 2026)) == engine.Status("lapsed", 0)


def test_d6_does_not_apply_to_ctkgg_or_prison():
    received = ev("agency_received_execution_decision", d(10, 6, 2025))
    assert rows(ctkgg(received), "D6") == []
    prison = ctkgg(ev("reported_to_serve", d(10, 6, 2025)), sentence_kind="prison")
    assert rows(prison, "D6") == []


# --------------------------------------------------------------------------
# D7: termination within 3 wd of the notice of death
# --------------------------------------------------------------------------


def test_d7_death_notice_mon_2_june_2025_due_thu_5_terminated_5_met():
    """D7 (LTHAHS Art. 85(5)): death Fri 30/05/2025, notice received Mon
    02/06/2025 → Tue 03, Wed 04, Thu 05/06/2025; terminated Thu 05/06: met."""
    row = one(
        suspended(
            ev("death", d(30, 5, 2025), received_on=d(2, 6, 2025)),
            ev("termination_decision_issued", d(5, 6, 2025)),
        ),
        "D7",
    )
    assert (row.start, row.due, row.done) == (
        d(2, 6, 2025),
        d(5, 6, 2025),
        d(5, 6, 2025),
    )
    assert status(row, d(1, 7, 2025)) == MET


def test_d7_terminated_tue_10_june_2025_met_late_5_days():
    """D7 (LTHAHS Art. 85(5)): due Thu 05/06/2025; terminated Tue 10/06/2025:
    met late by 5 days."""
    row = one(
        suspended(
            ev("death", d(30, 5, 2025), received_on=d(2, 6, 2025)),
            ev("termination_decision_issued", d(10, 6, 2025)),
        ),
        "D7",
    )
    assert status(row, d(1, 7, 2025)) == engine.Status("met_late", 5)


def test_d7_over_30_april_2025_death_tue_29_april_due_wed_7_may():
    """D7 (LTHAHS Art. 85(5)): death notified Tue 29/04/2025; 30/04-04/05 rest:
    Mon 05 (1), Tue 06 (2), Wed 07/05/2025 (3)."""
    assert one(suspended(ev("death", d(29, 4, 2025))), "D7").due == d(7, 5, 2025)


def test_d7_does_not_apply_to_ctkgg_which_has_e6():
    facts = ctkgg(ev("death", d(10, 9, 2025)))
    assert rows(facts, "D7") == []
    assert one(facts, "E6").due == d(15, 9, 2025)


# --------------------------------------------------------------------------
# D8a: the person appears within 7 days of a breach record
# --------------------------------------------------------------------------


def breach(*events: EventFact) -> CaseFacts:
    return suspended(
        ev("execution_decision_issued", d(7, 7, 2025)),
        *events,
        pronounced_on=d(2, 6, 2025),
        effective_on=d(3, 7, 2025),
    )


def test_d8a_breach_mon_15_september_2025_due_mon_22_appeared_thu_18_met():
    """D8a (LTHAHS Art. 93(1)): breach recorded Mon 15/09/2025 + 7 = Mon
    22/09/2025; the person appeared at the commune Thu 18/09/2025: met."""
    row = one(
        breach(
            ev("breach_recorded", d(15, 9, 2025)),
            ev("summoned_to_commune", d(18, 9, 2025)),
        ),
        "D8a",
    )
    assert (row.due, row.done) == (d(22, 9, 2025), d(18, 9, 2025))
    assert row.responsible_kind == "convict"
    assert status(row, d(1, 10, 2025)) == MET


def test_d8a_appeared_wed_24_september_2025_met_late_2_days():
    """D8a (LTHAHS Art. 93(1)): due Mon 22/09/2025; appeared Wed 24/09/2025:
    met late by 2 days."""
    row = one(
        breach(
            ev("breach_recorded", d(15, 9, 2025)),
            ev("summoned_to_commune", d(24, 9, 2025)),
        ),
        "D8a",
    )
    assert status(row, d(1, 10, 2025)) == engine.Status("met_late", 2)


def test_d8a_not_appeared_overdue_3_days_at_thu_25_september_2025():
    """D8a (LTHAHS Art. 93(1)): due Mon 22/09/2025; not appeared at Thu
    25/09/2025: overdue by 3 days."""
    row = one(breach(ev("breach_recorded", d(15, 9, 2025))), "D8a", d(25, 9, 2025))
    assert status(row, d(25, 9, 2025)) == engine.Status("overdue", 3)


def test_d8a_over_30_april_2025_breach_thu_24_april_due_mon_5_may():
    """D8a (LTHAHS Art. 93(1)): breach Thu 24/04/2025 + 7 = Thu 01/05/2025
    (holiday); Fri 02/05 (swapped), weekend: runs to Mon 05/05/2025."""
    facts = suspended(ev("breach_recorded", d(24, 4, 2025)))
    row = one(facts, "D8a")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


def test_d8a_lapsed_by_the_second_breach_record_tue_23_september_2025():
    """D8a (LTHAHS Art. 93(1)): due Mon 22/09/2025; a second record Tue
    23/09/2025 ends the first duty (D8b takes over): lapsed, 1 day late."""
    row = one(
        breach(
            ev("breach_recorded", d(15, 9, 2025)),
            ev("breach_recorded", d(23, 9, 2025), second=True),
        ),
        "D8a",
    )
    assert row.lapsed_on == d(23, 9, 2025)
    assert status(row, d(1, 10, 2025)) == engine.Status("lapsed", 1)


# --------------------------------------------------------------------------
# D8b: revocation proposed within 3 wd after the second 7-day period
# --------------------------------------------------------------------------


def second_breach(day: date, *events: EventFact, **more) -> CaseFacts:
    facts = {
        "pronounced_on": d(2, 6, 2025),
        "effective_on": d(3, 7, 2025),
    }
    facts.update(more)
    return suspended(
        ev("breach_recorded", day - (d(6, 10, 2025) - d(22, 9, 2025))),
        ev("breach_recorded", day, second=True),
        *events,
        **facts,
    )


def test_d8b_second_record_mon_6_october_2025_due_thu_16_proposed_16_met():
    """D8b (LTHAHS Art. 93(1); TTLT 01/2023 Art. 14(1)(a)): second record Mon
    06/10/2025; its 7 days end Mon 13/10/2025; 3 wd: Tue 14, Wed 15, Thu
    16/10/2025; revocation proposed Thu 16/10: met."""
    row = one(
        second_breach(d(6, 10, 2025), ev("revocation_proposed", d(16, 10, 2025))),
        "D8b",
    )
    assert (row.start, row.due, row.done) == (
        d(13, 10, 2025),
        d(16, 10, 2025),
        d(16, 10, 2025),
    )
    assert status(row, d(1, 11, 2025)) == MET


def test_d8b_proposed_mon_20_october_2025_met_late_4_days():
    """D8b (LTHAHS Art. 93(1)): due Thu 16/10/2025; proposed Mon 20/10/2025:
    met late by 4 days."""
    row = one(
        second_breach(d(6, 10, 2025), ev("revocation_proposed", d(20, 10, 2025))),
        "D8b",
    )
    assert status(row, d(1, 11, 2025)) == engine.Status("met_late", 4)


def test_d8b_over_tet_2025_second_record_thu_16_january_due_tue_4_february():
    """D8b (LTHAHS Art. 93(1)): second record Thu 16/01/2025; 7 days end Thu
    23/01/2025 (a working day); 3 wd: Fri 24/01 (1), Tết 25/01-02/02 rest,
    Mon 03 (2), Tue 04/02/2025 (3)."""
    facts = second_breach(
        d(16, 1, 2025), pronounced_on=d(2, 10, 2024), effective_on=d(2, 11, 2024)
    )
    row = one(facts, "D8b")
    assert (row.start, row.due) == (d(23, 1, 2025), d(4, 2, 2025))


def test_d8b_second_period_ending_on_30_april_2026_runs_to_mon_4_may():
    """D8b (LTHAHS Art. 93(1)): second record Thu 23/04/2026; its 7-day period
    ends Thu 30/04/2026 (holiday) and, a forward calendar-day period, runs to
    Mon 04/05/2026 (BLDS Art. 148(5)); the agency's 3 wd after that: Tue 05,
    Wed 06, Thu 07/05/2026."""
    facts = second_breach(
        d(23, 4, 2026), pronounced_on=d(2, 10, 2025), effective_on=d(2, 11, 2025)
    )
    row = one(facts, "D8b")
    assert (row.start, row.due) == (d(4, 5, 2026), d(7, 5, 2026))


# --------------------------------------------------------------------------
# D9a-c: revocation after repeated breaches: file 5 wd, session 5 wd, send 3 wd
# --------------------------------------------------------------------------


def test_d9a_second_record_mon_6_october_2025_due_mon_13_proposed_fri_10_met():
    """D9a (LTHAHS Art. 93(3); BLHS Art. 65(5)): second breach record Mon
    06/10/2025 → Tue 07, Wed 08, Thu 09, Fri 10, Mon 13/10/2025; revocation
    proposed Fri 10/10/2025: met."""
    row = one(
        second_breach(d(6, 10, 2025), ev("revocation_proposed", d(10, 10, 2025))),
        "D9a",
    )
    assert (row.due, row.done) == (d(13, 10, 2025), d(10, 10, 2025))
    assert status(row, d(1, 11, 2025)) == MET


def test_d9a_proposed_wed_15_october_2025_met_late_2_days():
    """D9a (LTHAHS Art. 93(3)): due Mon 13/10/2025; proposed Wed 15/10/2025:
    met late by 2 days."""
    row = one(
        second_breach(d(6, 10, 2025), ev("revocation_proposed", d(15, 10, 2025))),
        "D9a",
    )
    assert status(row, d(1, 11, 2025)) == engine.Status("met_late", 2)


def test_d9a_over_2_september_2025_record_wed_27_august_due_fri_5_september():
    """D9a (LTHAHS Art. 93(3)): record Wed 27/08/2025 → Thu 28 (1), Fri 29 (2);
    30/08-02/09 rest; Wed 03 (3), Thu 04 (4), Fri 05/09/2025 (5)."""
    assert one(second_breach(d(27, 8, 2025)), "D9a").due == d(5, 9, 2025)


def revocation(proposed: date, *events: EventFact, **more) -> CaseFacts:
    return second_breach(
        proposed - (d(10, 10, 2025) - d(6, 10, 2025)),
        ev("revocation_proposed", proposed),
        *events,
        **more,
    )


def test_d9b_proposed_fri_10_october_2025_due_fri_17_decided_17_met():
    """D9b (LTHAHS Art. 93(5)): proposal Fri 10/10/2025 → Mon 13, Tue 14, Wed
    15, Thu 16, Fri 17/10/2025; revocation decided Fri 17/10/2025: met."""
    row = one(
        revocation(d(10, 10, 2025), ev("revocation_decided", d(17, 10, 2025))), "D9b"
    )
    assert (row.due, row.done) == (d(17, 10, 2025), d(17, 10, 2025))
    assert status(row, d(1, 11, 2025)) == MET


def test_d9b_no_session_overdue_7_days_at_fri_24_october_2025():
    """D9b (LTHAHS Art. 93(5)): due Fri 17/10/2025; no decision at Fri
    24/10/2025: overdue by 7 days."""
    row = one(revocation(d(10, 10, 2025)), "D9b", d(24, 10, 2025))
    assert status(row, d(24, 10, 2025)) == engine.Status("overdue", 7)


def test_d9b_over_new_year_2026_proposed_tue_30_december_due_thu_8_january():
    """D9b (LTHAHS Art. 93(5)): proposal Tue 30/12/2025 → Wed 31/12 (1); Thu
    01/01, Fri 02/01/2026 (swapped day off) and the weekend skipped; Mon 05 (2),
    Tue 06 (3), Wed 07 (4), Thu 08/01/2026 (5)."""
    assert one(revocation(d(30, 12, 2025)), "D9b").due == d(8, 1, 2026)


def test_d9b_counts_the_make_up_saturday_proposed_mon_5_january_due_sat_10():
    """D9b (LTHAHS Art. 93(5)): proposal Mon 05/01/2026 → Tue 06 (1), Wed 07
    (2), Thu 08 (3), Fri 09 (4), Sat 10/01/2026, the make-up working day (5)."""
    assert one(revocation(d(5, 1, 2026)), "D9b").due == d(10, 1, 2026)


def test_d9c_decided_fri_17_october_2025_due_wed_22_sent_tue_21_met():
    """D9c (LTHAHS Art. 93(5)): decided Fri 17/10/2025 → Mon 20, Tue 21, Wed
    22/10/2025; decision sent Tue 21/10/2025: met."""
    row = one(
        revocation(
            d(10, 10, 2025),
            ev("revocation_decided", d(17, 10, 2025)),
            ev("revocation_sent", d(21, 10, 2025)),
        ),
        "D9c",
    )
    assert (row.due, row.done) == (d(22, 10, 2025), d(21, 10, 2025))
    assert status(row, d(1, 11, 2025)) == MET


def test_d9c_sent_mon_27_october_2025_met_late_5_days():
    """D9c (LTHAHS Art. 93(5)): due Wed 22/10/2025; sent Mon 27/10/2025: met
    late by 5 days."""
    row = one(
        revocation(
            d(10, 10, 2025),
            ev("revocation_decided", d(17, 10, 2025)),
            ev("revocation_sent", d(27, 10, 2025)),
        ),
        "D9c",
    )
    assert status(row, d(1, 11, 2025)) == engine.Status("met_late", 5)


def test_d9c_over_tet_2026_decided_fri_13_february_due_wed_25_february():
    """D9c (LTHAHS Art. 93(5)): decided Fri 13/02/2026; Tết 14/02-22/02 rest:
    Mon 23 (1), Tue 24 (2), Wed 25/02/2026 (3)."""
    facts = revocation(d(6, 2, 2026), ev("revocation_decided", d(13, 2, 2026)))
    assert one(facts, "D9c").due == d(25, 2, 2026)


# --------------------------------------------------------------------------
# D10: probation shortening, eligibility (one half of probation)
# --------------------------------------------------------------------------


def test_d10_worked_example_3_years_from_15_march_2024_is_15_september_2025():
    """D10 (BLHS Art. 65(4); LTHAHS Art. 89), worked example: 3-year probation
    from the first-instance pronouncement 15/03/2024; one half = 540 days =
    18 months: 15/09/2025."""
    facts = suspended(pronounced_on=d(15, 3, 2024), effective_on=d(16, 4, 2024))
    assert eligible(facts, "D10") == d(15, 9, 2025)


def test_d10_detention_is_never_credited_against_probation():
    """D10 (legal-rules §2.6): 30 days of detention (01/02-02/03/2024) do not
    shorten probation: still 15/09/2025."""
    facts = suspended(
        pronounced_on=d(15, 3, 2024),
        effective_on=d(16, 4, 2024),
        detention=[(d(1, 2, 2024), d(2, 3, 2024))],
    )
    assert eligible(facts, "D10") == d(15, 9, 2025)


def test_d10_appeal_counts_from_the_first_instance_pronouncement():
    """D10 / D2 (NQ 02/2018 Art. 5): an appeal judgment of 20/06/2024 also
    granting án treo: probation of 3 years runs from the first-instance
    pronouncement 15/03/2024: one half on 15/09/2025."""
    facts = suspended(
        instance="appeal",
        pronounced_on=d(20, 6, 2024),
        effective_on=d(20, 6, 2024),
        first_instance_pronounced_on=d(15, 3, 2024),
    )
    assert eligible(facts, "D10") == d(15, 9, 2025)


def test_d10_on_tet_2026_is_not_moved():
    """D10 (BLHS Art. 65(4)): 2-year probation from Mon 17/02/2025; one half =
    12 months: Tue 17/02/2026, Tết; an eligibility date is a fact: kept."""
    facts = suspended(
        pronounced_on=d(17, 2, 2025), effective_on=None, probation=Term(2)
    )
    assert eligible(facts, "D10") == d(17, 2, 2026)


def test_d10_not_for_ctkgg():
    facts = ctkgg(ev("agency_received_execution_decision", d(10, 6, 2025)))
    assert eligible(facts, "D10") is None


# --------------------------------------------------------------------------
# D11a-c: shortening procedure: propose 7 days, session 7 days, send 3 wd
# --------------------------------------------------------------------------


def test_d11a_report_received_mon_8_september_2025_due_mon_15_proposed_12_met():
    """D11a (LTHAHS Art. 90(2); TTLT 03/2021): commune report received Mon
    08/09/2025 + 7 = Mon 15/09/2025; proposal Fri 12/09/2025: met."""
    row = one(
        suspended(
            ev("commune_report_received", d(8, 9, 2025)),
            ev("shortening_proposed", d(12, 9, 2025)),
        ),
        "D11a",
    )
    assert (row.due, row.done) == (d(15, 9, 2025), d(12, 9, 2025))
    assert status(row, d(1, 10, 2025)) == MET


def test_d11a_proposed_wed_17_september_2025_met_late_2_days():
    """D11a (LTHAHS Art. 90(2)): due Mon 15/09/2025; proposed Wed 17/09/2025:
    met late by 2 days."""
    row = one(
        suspended(
            ev("commune_report_received", d(8, 9, 2025)),
            ev("shortening_proposed", d(17, 9, 2025)),
        ),
        "D11a",
    )
    assert status(row, d(1, 10, 2025)) == engine.Status("met_late", 2)


def test_d11a_over_30_april_2025_received_fri_25_april_due_mon_5_may():
    """D11a (LTHAHS Art. 90(2)): received Fri 25/04/2025 + 7 = Fri 02/05/2025
    (swapped day off); weekend: runs to Mon 05/05/2025."""
    row = one(suspended(ev("commune_report_received", d(25, 4, 2025))), "D11a")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


def test_d11a_does_not_apply_to_ctkgg_which_has_e8():
    facts = ctkgg(ev("commune_report_received", d(8, 9, 2025)))
    assert rows(facts, "D11a") == []
    assert one(facts, "E8").due == d(15, 9, 2025)


def test_d11b_proposed_fri_12_september_2025_due_fri_19_shortened_18_met():
    """D11b (LTHAHS Art. 90(4)): proposal reached the court Fri 12/09/2025 + 7
    = Fri 19/09/2025; shortened Thu 18/09/2025: met."""
    row = one(
        suspended(
            ev("shortening_proposed", d(12, 9, 2025)),
            ev("probation_shortened", d(18, 9, 2025), by={"months": 6}),
        ),
        "D11b",
    )
    assert (row.due, row.done) == (d(19, 9, 2025), d(18, 9, 2025))
    assert status(row, d(1, 10, 2025)) == MET


def test_d11b_no_session_overdue_6_days_at_thu_25_september_2025():
    """D11b (LTHAHS Art. 90(4)): due Fri 19/09/2025; nothing at Thu 25/09/2025:
    overdue by 6 days."""
    facts = suspended(ev("shortening_proposed", d(12, 9, 2025)))
    row = one(facts, "D11b", d(25, 9, 2025))
    assert status(row, d(25, 9, 2025)) == engine.Status("overdue", 6)


def test_d11b_over_2_september_2025_proposed_tue_26_august_due_wed_3_sept():
    """D11b (LTHAHS Art. 90(4)): proposal Tue 26/08/2025 + 7 = Tue 02/09/2025
    (National Day): runs to Wed 03/09/2025."""
    row = one(suspended(ev("shortening_proposed", d(26, 8, 2025))), "D11b")
    assert row.due == d(3, 9, 2025)
    assert row.shifted


def test_d11c_shortened_thu_18_september_2025_due_tue_23_sent_23_met():
    """D11c (LTHAHS Art. 90(5)): shortened Thu 18/09/2025 → Fri 19, Mon 22, Tue
    23/09/2025; decision sent Tue 23/09/2025: met."""
    row = one(
        suspended(
            ev("probation_shortened", d(18, 9, 2025), by={"months": 6}),
            ev("shortening_sent", d(23, 9, 2025)),
        ),
        "D11c",
    )
    assert (row.due, row.done) == (d(23, 9, 2025), d(23, 9, 2025))
    assert status(row, d(1, 10, 2025)) == MET


def test_d11c_sent_fri_26_september_2025_met_late_3_days():
    """D11c (LTHAHS Art. 90(5)): due Tue 23/09/2025; sent Fri 26/09/2025: met
    late by 3 days."""
    row = one(
        suspended(
            ev("probation_shortened", d(18, 9, 2025), by={"months": 6}),
            ev("shortening_sent", d(26, 9, 2025)),
        ),
        "D11c",
    )
    assert status(row, d(1, 10, 2025)) == engine.Status("met_late", 3)


def test_d11c_counts_the_make_up_saturday_shortened_thu_24_april_2025():
    """D11c (LTHAHS Art. 90(5)): shortened Thu 24/04/2025 → Fri 25 (1), Sat
    26/04 (make-up working day for 02/05, 2), Mon 28/04/2025 (3)."""
    facts = suspended(ev("probation_shortened", d(24, 4, 2025), by={"months": 6}))
    assert one(facts, "D11c").due == d(28, 4, 2025)


# --------------------------------------------------------------------------
# E4a, E4b: CTKGG summons (3 wd) and the commune's file (7 days)
# --------------------------------------------------------------------------


def test_e4a_agency_received_tue_10_june_2025_due_fri_13_summoned_12_met():
    """E4a (LTHAHS Art. 97(1)): the agency received the CTKGG QĐTHA Tue
    10/06/2025 → Wed 11, Thu 12, Fri 13/06/2025; summoned Thu 12/06: met."""
    row = one(
        ctkgg(
            ev("execution_decision_issued", d(9, 6, 2025)),
            ev("agency_received_execution_decision", d(10, 6, 2025)),
            ev("summoned_to_commune", d(12, 6, 2025)),
        ),
        "E4a",
    )
    assert (row.due, row.done) == (d(13, 6, 2025), d(12, 6, 2025))
    assert status(row, d(1, 7, 2025)) == MET


def test_e4a_summoned_wed_18_june_2025_met_late_5_days():
    """E4a (LTHAHS Art. 97(1)): due Fri 13/06/2025; summoned Wed 18/06/2025:
    met late by 5 days."""
    row = one(
        ctkgg(
            ev("agency_received_execution_decision", d(10, 6, 2025)),
            ev("summoned_to_commune", d(18, 6, 2025)),
        ),
        "E4a",
    )
    assert status(row, d(1, 7, 2025)) == engine.Status("met_late", 5)


def test_e4a_over_tet_2024_received_wed_7_february_due_mon_19_february():
    """E4a (LTHAHS Art. 97(1)): received Wed 07/02/2024; Tết 08/02-14/02
    skipped: Thu 15 (1), Fri 16 (2), Mon 19/02/2024 (3)."""
    facts = ctkgg(
        ev("agency_received_execution_decision", d(7, 2, 2024)),
        pronounced_on=d(4, 12, 2023),
        effective_on=d(5, 1, 2024),
    )
    assert one(facts, "E4a").due == d(19, 2, 2024)


def test_e4a_does_not_apply_to_a_suspended_sentence():
    facts = suspended(ev("agency_received_execution_decision", d(11, 3, 2025)))
    assert rows(facts, "E4a") == []


def test_e4b_summoned_thu_12_june_2025_due_thu_19_file_opened_19_met():
    """E4b (LTHAHS Art. 97(2)-(3)): summoned Thu 12/06/2025 + 7 = Thu
    19/06/2025; supervision file opened that day: met."""
    row = one(
        ctkgg(
            ev("summoned_to_commune", d(12, 6, 2025)),
            ev("supervision_file_opened", d(19, 6, 2025)),
        ),
        "E4b",
    )
    assert (row.due, row.done) == (d(19, 6, 2025), d(19, 6, 2025))
    assert status(row, d(1, 7, 2025)) == MET


def test_e4b_no_file_overdue_11_days_at_mon_30_june_2025():
    """E4b (LTHAHS Art. 97(2)-(3)): due Thu 19/06/2025; no file at Mon
    30/06/2025: overdue by 11 days."""
    row = one(ctkgg(ev("summoned_to_commune", d(12, 6, 2025))), "E4b", d(30, 6, 2025))
    assert status(row, d(30, 6, 2025)) == engine.Status("overdue", 11)


def test_e4b_over_tet_2026_summoned_tue_10_february_due_mon_23_february():
    """E4b (LTHAHS Art. 97(2)-(3)): summoned Tue 10/02/2026 + 7 = Tue 17/02/2026
    (Tết); Tết and the weekend: runs to Mon 23/02/2026."""
    row = one(ctkgg(ev("summoned_to_commune", d(10, 2, 2026))), "E4b")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


# --------------------------------------------------------------------------
# E5: completion certificate on the last day of the CTKGG term
# --------------------------------------------------------------------------


def test_e5_one_year_from_tue_10_june_2025_gcn_wed_10_june_2026_met():
    """E5 (LTHAHS Art. 97(4)): CTKGG 1 year from the agency's receipt of the
    QĐTHA Tue 10/06/2025 (E2) ends Wed 10/06/2026; GCN that day: met."""
    row = one(
        ctkgg(
            ev("agency_received_execution_decision", d(10, 6, 2025)),
            ev("completion_certificate_issued", d(10, 6, 2026)),
            term=Term(1),
        ),
        "E5",
    )
    assert (row.start, row.due, row.done) == (
        d(10, 6, 2026),
        d(10, 6, 2026),
        d(10, 6, 2026),
    )
    assert status(row, d(1, 7, 2026)) == MET


def test_e5_no_gcn_overdue_5_days_at_mon_15_june_2026():
    """E5 (LTHAHS Art. 97(4)): due Wed 10/06/2026; no GCN at Mon 15/06/2026:
    overdue by 5 days."""
    facts = ctkgg(
        ev("agency_received_execution_decision", d(10, 6, 2025)), term=Term(1)
    )
    row = one(facts, "E5", d(15, 6, 2026))
    assert status(row, d(15, 6, 2026)) == engine.Status("overdue", 5)


def test_e5_with_credit_ends_thu_30_april_2026_gcn_due_mon_4_may():
    """E5 (LTHAHS Art. 97(4); BLHS Art. 36(1)): CTKGG 1 year, detention
    01/03-30/03/2025 = 30 days credited x3 = 90 days; 270 days = 9 months from
    Wed 30/07/2025: ends Thu 30/04/2026 (holiday); the GCN deadline runs past
    01/05 and the weekend to Mon 04/05/2026."""
    facts = ctkgg(
        ev("agency_received_execution_decision", d(30, 7, 2025)),
        term=Term(1),
        detention=[(d(1, 3, 2025), d(30, 3, 2025))],
    )
    row = one(facts, "E5")
    assert (row.start, row.due) == (d(30, 4, 2026), d(4, 5, 2026))
    assert row.shifted


def test_e5_lapsed_by_death_mon_5_january_2026():
    """E5 (LTHAHS Art. 97(4)): the person died Mon 05/01/2026 before the end
    (10/06/2026): no GCN is due: lapsed, 0 days late."""
    facts = ctkgg(
        ev("agency_received_execution_decision", d(10, 6, 2025)),
        ev("death", d(5, 1, 2026)),
        term=Term(1),
    )
    row = one(facts, "E5")
    assert row.lapsed_on == d(5, 1, 2026)
    assert status(row, d(1, 7, 2026)) == engine.Status("lapsed", 0)


def test_e5_does_not_apply_to_a_suspended_sentence():
    assert rows(suspended(), "E5") == []


# --------------------------------------------------------------------------
# E6: termination within 3 wd of the death of a CTKGG convict
# --------------------------------------------------------------------------


def test_e6_death_wed_10_september_2025_due_mon_15_terminated_15_met():
    """E6 (LTHAHS Art. 97(5)): death Wed 10/09/2025 → Thu 11, Fri 12, Mon
    15/09/2025; termination Mon 15/09/2025: met."""
    row = one(
        ctkgg(
            ev("death", d(10, 9, 2025)),
            ev("termination_decision_issued", d(15, 9, 2025)),
        ),
        "E6",
    )
    assert (row.due, row.done) == (d(15, 9, 2025), d(15, 9, 2025))
    assert status(row, d(1, 10, 2025)) == MET


def test_e6_not_terminated_overdue_4_days_at_fri_19_september_2025():
    """E6 (LTHAHS Art. 97(5)): due Mon 15/09/2025; nothing at Fri 19/09/2025:
    overdue by 4 days."""
    row = one(ctkgg(ev("death", d(10, 9, 2025))), "E6", d(19, 9, 2025))
    assert status(row, d(19, 9, 2025)) == engine.Status("overdue", 4)


def test_e6_over_new_year_2026_death_wed_31_december_due_wed_7_january():
    """E6 (LTHAHS Art. 97(5)): death Wed 31/12/2025; 01/01, 02/01/2026 (swapped)
    and the weekend: Mon 05 (1), Tue 06 (2), Wed 07/01/2026 (3)."""
    assert one(ctkgg(ev("death", d(31, 12, 2025))), "E6").due == d(7, 1, 2026)


# --------------------------------------------------------------------------
# E7: CTKGG reduction, eligibility (one third; one quarter under 18)
# --------------------------------------------------------------------------


def received(day: date, **more) -> CaseFacts:
    return ctkgg(ev("agency_received_execution_decision", day), **more)


def test_e7_worked_example_2_years_from_10_june_2025_is_10_february_2026():
    """E7 (LTHAHS Art. 102; BLHS Art. 63(1)), worked example: 2-year CTKGG
    started 10/06/2025; one third = 240 days = 8 months: 10/02/2026."""
    assert eligible(received(d(10, 6, 2025)), "E7") == d(10, 2, 2026)


def test_e7_worked_example_1_year_4_months_from_10_june_2025_is_20_november():
    """E7 (BLHS Art. 63(1)), worked example: 1 year 4 months = 480 days; one
    third = 160 days = 5 months 10 days: 10/11/2025 + 10 = 20/11/2025."""
    assert eligible(received(d(10, 6, 2025), term=Term(1, 4)), "E7") == d(20, 11, 2025)


def test_e7_with_credit_1_year_6_months_from_15_october_2025_is_15_feb_2026():
    """E7 (BLHS Art. 36(1), 63(1)), worked example: 1 year 6 months (540 days),
    20 days' detention 02/05-21/05/2025 credited x3 = 60 days; one third 180 -
    60 = 120 days = 4 months from 15/10/2025: 15/02/2026."""
    facts = received(
        d(15, 10, 2025),
        term=Term(1, 6),
        detention=[(d(2, 5, 2025), d(21, 5, 2025))],
        pronounced_on=d(15, 8, 2025),
        effective_on=d(15, 9, 2025),
    )
    assert eligible(facts, "E7") == d(15, 2, 2026)


def test_e7_under_18_one_quarter_2_years_from_10_june_2025_is_10_december():
    """E7 (LTHAHS Art. 102; BLHS Art. 63(1)): born 20/08/2008, 16 when the term
    started 10/06/2025: one quarter of 720 days = 180 days = 6 months:
    10/12/2025."""
    facts = received(d(10, 6, 2025), birth_date=d(20, 8, 2008))
    assert eligible(facts, "E7") == d(10, 12, 2025)


def test_e7_on_tet_2026_is_not_moved():
    """E7 (BLHS Art. 63(1)): 1 year 6 months from Sun 17/08/2025; one third =
    180 days = 6 months: Tue 17/02/2026, Tết; a fact: kept."""
    assert eligible(received(d(17, 8, 2025), term=Term(1, 6)), "E7") == d(17, 2, 2026)


def test_e7_not_for_a_suspended_sentence():
    assert eligible(suspended(), "E7") is None


# --------------------------------------------------------------------------
# E8: CTKGG reduction proposal within 7 days (Art. 103 not read)
# --------------------------------------------------------------------------


def test_e8_report_received_mon_2_march_2026_due_mon_9_proposed_6_met():
    """E8 (LTHAHS Art. 103(1)-(2) [unverified]; TTLT 04/2021 Art. 6-8): commune
    report received Mon 02/03/2026 + 7 = Mon 09/03/2026; proposal Fri
    06/03/2026: met. Marked "căn cứ chưa đối chiếu" even in LTHAHS-2019."""
    row = one(
        ctkgg(
            ev("commune_report_received", d(2, 3, 2026)),
            ev("reduction_proposed", d(6, 3, 2026)),
        ),
        "E8",
    )
    assert (row.due, row.done) == (d(9, 3, 2026), d(6, 3, 2026))
    assert row.rule_set == "LTHAHS-2019"
    assert row.verified is False
    assert engine.UNCHECKED_MARK in text(row)
    assert status(row, d(1, 4, 2026)) == MET


def test_e8_proposed_thu_12_march_2026_met_late_3_days():
    """E8 (LTHAHS Art. 103): due Mon 09/03/2026; proposed Thu 12/03/2026: met
    late by 3 days."""
    row = one(
        ctkgg(
            ev("commune_report_received", d(2, 3, 2026)),
            ev("reduction_proposed", d(12, 3, 2026)),
        ),
        "E8",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 3)


def test_e8_over_tet_2026_received_mon_9_february_due_mon_23_february():
    """E8 (LTHAHS Art. 103): received Mon 09/02/2026 + 7 = Mon 16/02/2026
    (Giao thừa); Tết and the weekend: runs to Mon 23/02/2026."""
    row = one(ctkgg(ev("commune_report_received", d(9, 2, 2026))), "E8")
    assert row.due == d(23, 2, 2026)


# --------------------------------------------------------------------------
# E9: CTKGG exemption: court session within 15 days
# --------------------------------------------------------------------------


def test_e9_file_mon_3_november_2025_due_tue_18_exempted_mon_17_met():
    """E9 (LTHAHS Art. 104): exemption file Mon 03/11/2025 + 15 = Tue
    18/11/2025; exempted Mon 17/11/2025: met."""
    row = one(
        ctkgg(
            ev("exemption_file_prepared", d(3, 11, 2025)),
            ev("exempted", d(17, 11, 2025)),
        ),
        "E9",
    )
    assert (row.due, row.done) == (d(18, 11, 2025), d(17, 11, 2025))
    assert status(row, d(1, 12, 2025)) == MET


def test_e9_exempted_fri_21_november_2025_met_late_3_days():
    """E9 (LTHAHS Art. 104): due Tue 18/11/2025; exempted Fri 21/11/2025: met
    late by 3 days."""
    row = one(
        ctkgg(
            ev("exemption_file_prepared", d(3, 11, 2025)),
            ev("exempted", d(21, 11, 2025)),
        ),
        "E9",
    )
    assert status(row, d(1, 12, 2025)) == engine.Status("met_late", 3)


def test_e9_over_tet_2026_file_mon_2_february_due_mon_23_february():
    """E9 (LTHAHS Art. 104): file Mon 02/02/2026 + 15 = Tue 17/02/2026 (Tết):
    runs to Mon 23/02/2026."""
    row = one(ctkgg(ev("exemption_file_prepared", d(2, 2, 2026))), "E9")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_e9_does_not_apply_to_a_suspended_sentence():
    assert rows(suspended(ev("exemption_file_prepared", d(3, 11, 2025))), "E9") == []


# --------------------------------------------------------------------------
# Rule set LTHAHS-2025 (events from 01/07/2026) and LTHAHS-2010
# --------------------------------------------------------------------------


def in_2026(kind: str, *events: EventFact) -> CaseFacts:
    facts = suspended if kind == "suspended" else ctkgg
    return facts(
        ev("execution_decision_issued", d(29, 6, 2026)),
        ev("agency_received_execution_decision", d(1, 7, 2026)),
        *events,
        pronounced_on=d(4, 5, 2026),
        effective_on=d(5, 6, 2026),
    )


def test_d4_2025_starts_at_the_commune_police_receipt_thu_2_july_2026():
    """D4 (LTHAHS-2025; NĐ 231/2026, R-C1): the commune police received the
    decision Thu 02/07/2026 → Fri 03, Mon 06, Tue 07/07/2026; summoned Tue
    07/07: met. The agency's receipt (01/07) starts no D4; the row is marked
    "căn cứ chưa đối chiếu" and names the commune police."""
    row = one(
        in_2026(
            "suspended",
            ev("commune_police_received_decision", d(2, 7, 2026)),
            ev("summoned_to_commune", d(7, 7, 2026)),
        ),
        "D4",
    )
    assert (row.start, row.due, row.done) == (
        d(2, 7, 2026),
        d(7, 7, 2026),
        d(7, 7, 2026),
    )
    assert row.rule_set == "LTHAHS-2025"
    assert row.responsible_kind == "commune_police"
    assert row.verified is False
    assert engine.UNCHECKED_MARK in text(row)
    assert status(row, d(1, 8, 2026)) == MET


def test_e4a_2025_starts_at_the_commune_police_receipt_late_2_days():
    """E4a (LTHAHS-2025; NĐ 231/2026, R-C1): police receipt Thu 02/07/2026 →
    due Tue 07/07/2026; summoned Thu 09/07/2026: met late by 2 days."""
    row = one(
        in_2026(
            "non_custodial_reform",
            ev("commune_police_received_decision", d(2, 7, 2026)),
            ev("summoned_to_commune", d(9, 7, 2026)),
        ),
        "E4a",
    )
    assert (row.rule_set, row.due) == ("LTHAHS-2025", d(7, 7, 2026))
    assert status(row, d(1, 8, 2026)) == engine.Status("met_late", 2)


def test_d4_2025_not_started_by_the_agencys_receipt_alone():
    """After 01/07/2026 the 2019 D4 (agency's receipt) no longer applies and
    the 2025 D4 waits for the commune police's receipt."""
    assert rows(in_2026("suspended"), "D4") == []


def test_r_c1a_and_r_c1b_intake_report_3_wd_and_plan_5_wd():
    """R-C1a, R-C1b (NĐ 231/2026): police receipt Thu 02/07/2026; intake
    report within 3 wd: Tue 07/07/2026, reported 07/07: met; supervision plan
    within 5 wd: Fri 03, Mon 06, Tue 07, Wed 08, Thu 09/07/2026, issued Fri
    10/07: met late by 1 day. Both marked unverified (OCR, secondary)."""
    facts = in_2026(
        "suspended",
        ev("commune_police_received_decision", d(2, 7, 2026)),
        ev("intake_reported", d(7, 7, 2026)),
        ev("supervision_plan_issued", d(10, 7, 2026)),
    )
    intake, plan = one(facts, "R-C1a"), one(facts, "R-C1b")
    assert (intake.due, plan.due) == (d(7, 7, 2026), d(9, 7, 2026))
    assert status(intake, d(1, 8, 2026)) == MET
    assert status(plan, d(1, 8, 2026)) == engine.Status("met_late", 1)
    assert intake.verified is False and plan.verified is False
    assert intake.basis.startswith("NĐ 231/2026")


def test_r_c1b_over_new_year_2027_received_wed_30_december_2026_due_thu_7_jan():
    """R-C1b (NĐ 231/2026): police receipt Wed 30/12/2026 → Thu 31/12 (1); Fri
    01/01/2027 (holiday) and the weekend; Mon 04 (2), Tue 05 (3), Wed 06 (4),
    Thu 07/01/2027 (5)."""
    facts = in_2026(
        "suspended", ev("commune_police_received_decision", d(30, 12, 2026))
    )
    assert one(facts, "R-C1b").due == d(7, 1, 2027)


def test_r_c3_review_meeting_within_5_wd_of_the_breach_mon_3_august_2026():
    """R-C3 (NĐ 231/2026): breach record Mon 03/08/2026 → Tue 04, Wed 05, Thu
    06, Fri 07, Mon 10/08/2026; review meeting Mon 10/08: met."""
    facts = in_2026(
        "suspended",
        ev("breach_recorded", d(3, 8, 2026)),
        ev("review_meeting_held", d(10, 8, 2026)),
    )
    row = one(facts, "R-C3")
    assert (row.due, row.done, row.rule_set) == (
        d(10, 8, 2026),
        d(10, 8, 2026),
        "LTHAHS-2025",
    )
    assert status(row, d(1, 9, 2026)) == MET


def test_r_c_rules_do_not_exist_before_1_july_2026():
    """R-C1, R-C3 are NĐ 231/2026 rules: a breach of 15/09/2025 and a police
    receipt of 30/06/2026 start none."""
    facts = suspended(
        ev("breach_recorded", d(15, 9, 2025)),
        ev("commune_police_received_decision", d(30, 6, 2026)),
    )
    found = {row.rule for row in outcome(facts).deadlines}
    assert not {"R-C1a", "R-C1b", "R-C3"} & found


def test_every_2025_row_carries_the_unchecked_mark():
    """Every row evaluated under LTHAHS-2025 is marked "căn cứ chưa đối chiếu"
    (verified False), whatever its origin."""
    facts = in_2026(
        "suspended",
        ev("commune_police_received_decision", d(2, 7, 2026)),
        ev("summoned_to_commune", d(7, 7, 2026)),
        ev("breach_recorded", d(3, 8, 2026)),
    )
    new = [row for row in outcome(facts).deadlines if row.rule_set == "LTHAHS-2025"]
    assert {"D4", "D8a", "R-C1a", "R-C1b", "R-C3"} <= {row.rule for row in new}
    for row in new:
        assert row.verified is False, row.rule
        assert engine.UNCHECKED_MARK in text(row), row.rule


def test_d5_e4b_b6b_are_replaced_by_r_c1_in_lthahs_2025():
    """legal-rules.md (2025 law): opening the file (D5, E4b, B6b) is replaced by
    R-C1 (intake report 3 wd, plan 5 wd); a summons of Tue 07/07/2026 starts
    no D5 under LTHAHS-2025, while the same summons in 2025 starts D5."""
    facts = in_2026(
        "suspended",
        ev("commune_police_received_decision", d(2, 7, 2026)),
        ev("summoned_to_commune", d(7, 7, 2026)),
    )
    assert rows(facts, "D5") == []
    assert [
        rule.code
        for rule in engine.DEFAULT_RULE_SETS[2].rules
        if rule.code in {"D5", "E4b", "B6b"}
    ] == []
    assert {"D5", "E4b", "B6b"} <= {
        rule.code for rule in engine.DEFAULT_RULE_SETS[1].rules
    }


def test_d6_of_a_probation_ending_in_2027_is_evaluated_under_lthahs_2025():
    """D6 (LTHAHS Art. 85(4) copied): 2-year probation from Mon 10/03/2025 ends
    Wed 10/03/2027; the clock starts then, so LTHAHS-2025 applies, marked."""
    facts = suspended(
        probation=Term(2), pronounced_on=d(10, 3, 2025), effective_on=None
    )
    row = one(facts, "D6")
    assert (row.due, row.rule_set, row.verified) == (
        d(10, 3, 2027),
        "LTHAHS-2025",
        False,
    )


def test_d4_for_a_2019_receipt_uses_lthahs_2010_marked_unchecked():
    """D4 (LTHAHS 2010, copied durations): the agency received the QĐTHA Tue
    02/07/2019 → Wed 03, Thu 04, Fri 05/07/2019; rule set LTHAHS-2010,
    marked "căn cứ chưa đối chiếu" with the 2010 law."""
    facts = suspended(
        ev("agency_received_execution_decision", d(2, 7, 2019)),
        pronounced_on=d(6, 5, 2019),
        effective_on=d(6, 6, 2019),
    )
    row = one(facts, "D4")
    assert (row.due, row.rule_set, row.verified) == (
        d(5, 7, 2019),
        "LTHAHS-2010",
        False,
    )
    assert "Luật THAHS 2010" in text(row)
