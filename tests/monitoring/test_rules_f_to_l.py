"""Track-first rules F2, F4a-b, F7, G3a-c, J2, J4, J6, L1 and the
eligibility date G2.

Every expected date is computed by hand from the calendar (the ``holidays``
package for VN plus the shipped 2026 overrides) and the conventions of
shared/domain/legal-rules.md: the event day is not counted; a forward
calendar-day period ending on a rest day runs to the next working day; a
working-day period counts working days only; a backward period (F2: two
months before the end of the prison term) ending on a rest day moves
earlier; a term end and an eligibility date are facts and never move.
Statuses and late_days follow shared/domain/interchange.md.

Rest days used by hand: Tết 2026 Sat 14/02-Sun 22/02/2026; Hùng Kings'
day Mon 07/04/2025; 30/04-04/05/2025 (02/05 swapped, Sat 26/04/2025
worked); 2/9 2025: Sat 30/08-Tue 02/09/2025; 30/04-03/05/2026 (Thu-Sun).
"""

from __future__ import annotations

from datetime import date

import pytest

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


def prison(reported: date | None, *events: EventFact, **more) -> CaseFacts:
    """A prison convict at liberty who reported to serve on ``reported``."""
    facts = {
        "sentence_kind": "prison",
        "custody": "at_liberty",
        "instance": "first",
        "pronounced_on": d(3, 2, 2025),
        "effective_on": d(4, 3, 2025),
        "term": Term(1),
        "events": [
            ev("execution_decision_issued", d(10, 3, 2025)),
            ev("execution_decision_served", d(14, 3, 2025)),
            *([ev("reported_to_serve", reported)] if reported else []),
            *events,
        ],
    }
    facts.update(more)
    return CaseFacts(**facts)


def in_prison(*events: EventFact, **more) -> CaseFacts:
    """A prisoner held since 01/03/2024 (3 years), serving."""
    facts = {
        "sentence_kind": "prison",
        "custody": "detained",
        "instance": "first",
        "pronounced_on": d(10, 9, 2024),
        "effective_on": d(11, 10, 2024),
        "term": Term(3),
        "detention": [(d(1, 3, 2024), None)],
        "events": list(events),
    }
    facts.update(more)
    return CaseFacts(**facts)


# --------------------------------------------------------------------------
# F2: the prison notifies the release two months before the term ends
# --------------------------------------------------------------------------


def test_f2_term_ends_tue_2_june_2026_notice_due_thu_2_april_sent_1_april_met():
    """F2 (LTHAHS Art. 46(1), 107(1), 112(1), 125(1), 129(1)): 1 year from the
    report to serve Mon 02/06/2025 ends Tue 02/06/2026; two months before =
    Thu 02/04/2026, a working day; notice Wed 01/04/2026: met."""
    row = one(prison(d(2, 6, 2025), ev("prison_release_notice", d(1, 4, 2026))), "F2")
    assert (row.start, row.due, row.done) == (
        d(2, 6, 2026),
        d(2, 4, 2026),
        d(1, 4, 2026),
    )
    assert not row.shifted
    assert row.responsible_kind == "prison"
    assert status(row, d(1, 7, 2026)) == MET


def test_f2_notice_mon_6_april_2026_met_late_4_days():
    """F2 (LTHAHS Art. 46(1)): due Thu 02/04/2026; notice Mon 06/04/2026: met
    late by 4 days."""
    row = one(prison(d(2, 6, 2025), ev("prison_release_notice", d(6, 4, 2026))), "F2")
    assert status(row, d(1, 7, 2026)) == engine.Status("met_late", 4)


def test_f2_no_notice_is_listed_overdue_8_days_at_fri_10_april_2026():
    """F2 (LTHAHS Art. 46(1)): due Thu 02/04/2026; at Fri 10/04/2026, before
    the release (02/06/2026), no notice: the row is listed, overdue by 8
    days (interchange: overdue = not done and as_of after due)."""
    row = one(prison(d(2, 6, 2025)), "F2", d(10, 4, 2026))
    assert status(row, d(10, 4, 2026)) == engine.Status("overdue", 8)


def test_f2_is_due_soon_on_fri_20_march_2026_within_its_month_of_warning():
    """F2 (LTHAHS Art. 46(1)): due Thu 02/04/2026, warned 1 month (30 days)
    ahead: at Fri 20/03/2026 (13 days before) it is listed as due soon."""
    row = one(prison(d(2, 6, 2025)), "F2", d(20, 3, 2026))
    assert row.warn_days == 30
    assert status(row, d(20, 3, 2026)) == engine.Status("due_soon", 0)


def test_f2_backward_over_tet_2026_term_ends_sat_18_april_due_fri_13_february():
    """F2 (LTHAHS Art. 46(1)): 1 year from Fri 18/04/2025 ends Sat 18/04/2026
    (a fact: not moved); two months before = Wed 18/02/2026 (Mùng hai Tết);
    a backward period moves earlier past 17, 16 (Giao thừa), Sun 15, Sat 14:
    Fri 13/02/2026."""
    row = one(prison(d(18, 4, 2025)), "F2")
    assert (row.start, row.due) == (d(18, 4, 2026), d(13, 2, 2026))
    assert row.shifted
    assert "chuyển lên ngày làm việc liền trước" in text(row)


def test_f2_with_credit_1_year_2_months_less_20_days_due_wed_18_march_2026():
    """F2 (LTHAHS Art. 46(1); BLHS Art. 38(1)): 1 year 2 months (420 days) less
    20 days' detention (02/05-21/05/2024) = 400 days = 13 months 10 days from
    Tue 08/04/2025: 08/05/2026 + 10 = Mon 18/05/2026; two months before: Wed
    18/03/2026."""
    facts = prison(
        d(8, 4, 2025), term=Term(1, 2), detention=[(d(2, 5, 2024), d(21, 5, 2024))]
    )
    row = one(facts, "F2")
    assert (row.start, row.due) == (d(18, 5, 2026), d(18, 3, 2026))


def test_f2_lapsed_by_conditional_release_mon_2_march_2026():
    """F2 (LTHAHS Art. 46(1)): due Thu 02/04/2026; conditional early release
    granted Mon 02/03/2026: no release notice is due: lapsed, 0 days late."""
    facts = prison(
        d(2, 6, 2025),
        ev("release_file_received", d(20, 2, 2026)),
        ev("conditional_release_granted", d(2, 3, 2026)),
    )
    row = one(facts, "F2")
    assert row.lapsed_on == d(2, 3, 2026)
    assert status(row, d(1, 7, 2026)) == engine.Status("lapsed", 0)


def test_f2_does_not_apply_to_life_or_suspended_sentences():
    """F2 runs from the end of a fixed prison term only."""
    assert rows(prison(d(2, 6, 2025), sentence_kind="life", term=Term()), "F2") == []
    facts = prison(None, sentence_kind="suspended", probation=Term(2))
    assert rows(facts, "F2") == []


def test_f2_for_a_convict_held_since_1_march_2024_due_fri_1_january_2027():
    """F2 (LTHAHS Art. 46(1)): 3 years counted from the first day of custody
    01/03/2024 (held until the judgment) end Mon 01/03/2027; two months
    before: Fri 01/01/2027, New Year's Day; earlier to Thu 31/12/2026."""
    row = one(in_prison(), "F2")
    assert (row.start, row.due) == (d(1, 3, 2027), d(31, 12, 2026))


# --------------------------------------------------------------------------
# F4a, F4b: supplementary penalties: agency file 5 wd, commune 7 days
# --------------------------------------------------------------------------


def supplementary(*events: EventFact, **more) -> CaseFacts:
    facts = {
        "sentence_kind": "prison",
        "custody": "at_liberty",
        "instance": "first",
        "pronounced_on": d(10, 1, 2024),
        "effective_on": d(10, 2, 2024),
        "term": Term(1),
        "has_supplementary": True,
        "events": [ev("reported_to_serve", d(1, 4, 2024)), *events],
    }
    facts.update(more)
    return CaseFacts(**facts)


def test_f4a_documents_received_mon_14_april_2025_due_mon_21_opened_18_met():
    """F4a (LTHAHS Art. 107(3), 112(3), 125(3), 129(3)): the agency received
    the prison's documents Mon 14/04/2025 → Tue 15, Wed 16, Thu 17, Fri 18,
    Mon 21/04/2025; execution file opened Fri 18/04/2025: met."""
    row = one(
        supplementary(
            ev("supplementary_file_received", d(14, 4, 2025)),
            ev("supplementary_file_opened", d(18, 4, 2025)),
        ),
        "F4a",
    )
    assert (row.due, row.done) == (d(21, 4, 2025), d(18, 4, 2025))
    assert status(row, d(1, 5, 2025)) == MET


def test_f4a_opened_thu_24_april_2025_met_late_3_days():
    """F4a (LTHAHS Art. 107(3)): due Mon 21/04/2025; opened Thu 24/04/2025: met
    late by 3 days."""
    row = one(
        supplementary(
            ev("supplementary_file_received", d(14, 4, 2025)),
            ev("supplementary_file_opened", d(24, 4, 2025)),
        ),
        "F4a",
    )
    assert status(row, d(1, 5, 2025)) == engine.Status("met_late", 3)


def test_f4a_over_hung_kings_day_2025_received_thu_3_april_due_fri_11_april():
    """F4a (LTHAHS Art. 107(3)): received Thu 03/04/2025 → Fri 04 (1); Mon
    07/04/2025 (Giỗ Tổ Hùng Vương) skipped; Tue 08 (2), Wed 09 (3), Thu 10
    (4), Fri 11/04/2025 (5)."""
    row = one(supplementary(ev("supplementary_file_received", d(3, 4, 2025))), "F4a")
    assert row.due == d(11, 4, 2025)
    assert "07/04/2025" in text(row)


def test_f4b_file_opened_fri_18_april_2025_due_fri_25_summoned_25_met():
    """F4b (LTHAHS Art. 107(4), 112(4)): file opened Fri 18/04/2025 + 7 = Fri
    25/04/2025; the commune summoned the person that day: met."""
    row = one(
        supplementary(
            ev("supplementary_file_received", d(14, 4, 2025)),
            ev("supplementary_file_opened", d(18, 4, 2025)),
            ev("summoned_to_commune", d(25, 4, 2025)),
        ),
        "F4b",
    )
    assert (row.due, row.done) == (d(25, 4, 2025), d(25, 4, 2025))
    assert row.responsible_kind == "commune"
    assert status(row, d(1, 5, 2025)) == MET


def test_f4b_no_summons_overdue_10_days_at_mon_5_may_2025():
    """F4b (LTHAHS Art. 107(4)): due Fri 25/04/2025; nothing at Mon 05/05/2025:
    overdue by 10 days."""
    facts = supplementary(
        ev("supplementary_file_received", d(14, 4, 2025)),
        ev("supplementary_file_opened", d(18, 4, 2025)),
    )
    row = one(facts, "F4b", d(5, 5, 2025))
    assert status(row, d(5, 5, 2025)) == engine.Status("overdue", 10)


def test_f4b_over_30_april_2025_opened_thu_24_april_due_mon_5_may():
    """F4b (LTHAHS Art. 107(4)): opened Thu 24/04/2025 + 7 = Thu 01/05/2025
    (holiday); Fri 02/05 (swapped), weekend: runs to Mon 05/05/2025."""
    facts = supplementary(
        ev("supplementary_file_received", d(22, 4, 2025)),
        ev("supplementary_file_opened", d(24, 4, 2025)),
    )
    row = one(facts, "F4b")
    assert row.due == d(5, 5, 2025)
    assert row.shifted


# --------------------------------------------------------------------------
# F7: termination of a supplementary penalty within 3 wd of death
# --------------------------------------------------------------------------


def test_f7_death_mon_2_june_2025_due_thu_5_terminated_wed_4_met():
    """F7 (LTHAHS Art. 107(6), 112(6), 125(6), 129(7)): death Mon 02/06/2025 →
    Tue 03, Wed 04, Thu 05/06/2025; termination Wed 04/06/2025: met."""
    row = one(
        supplementary(
            ev("death", d(2, 6, 2025)),
            ev("termination_decision_issued", d(4, 6, 2025)),
        ),
        "F7",
    )
    assert (row.due, row.done) == (d(5, 6, 2025), d(4, 6, 2025))
    assert status(row, d(1, 7, 2025)) == MET


def test_f7_terminated_mon_9_june_2025_met_late_4_days():
    """F7 (LTHAHS Art. 107(6)): due Thu 05/06/2025; terminated Mon 09/06/2025:
    met late by 4 days."""
    row = one(
        supplementary(
            ev("death", d(2, 6, 2025)),
            ev("termination_decision_issued", d(9, 6, 2025)),
        ),
        "F7",
    )
    assert status(row, d(1, 7, 2025)) == engine.Status("met_late", 4)


def test_f7_over_2_september_2025_death_thu_28_august_due_thu_4_september():
    """F7 (LTHAHS Art. 107(6)): death Thu 28/08/2025 → Fri 29/08 (1); 30/08-
    02/09 rest; Wed 03 (2), Thu 04/09/2025 (3)."""
    assert one(supplementary(ev("death", d(28, 8, 2025))), "F7").due == d(4, 9, 2025)


def test_f7_needs_a_supplementary_penalty():
    facts = supplementary(ev("death", d(2, 6, 2025)), has_supplementary=False)
    assert rows(facts, "F7") == []


# --------------------------------------------------------------------------
# G2: conditional early release, eligibility (one half of a fixed term)
# --------------------------------------------------------------------------


def test_g2_three_years_credit_30_days_reported_2_june_2025_is_2_november_2026():
    """G2 (BLHS Art. 66(1)): 3 years (1080 days) from Mon 02/06/2025, detention
    01/03-30/03/2025 = 30 days credited; one half = 540 - 30 = 510 days = 17
    months: Mon 02/11/2026."""
    facts = prison(
        d(2, 6, 2025), term=Term(3), detention=[(d(1, 3, 2025), d(30, 3, 2025))]
    )
    assert eligible(facts, "G2") == d(2, 11, 2026)


def test_g2_held_since_1_march_2024_three_years_is_1_september_2025():
    """G2 (BLHS Art. 66(1)): 3 years from the first custody day 01/03/2024 (held
    until the judgment); one half = 540 days = 18 months: 01/09/2025, a
    National Day rest day, kept (a fact of time served)."""
    assert eligible(in_prison(), "G2") == d(1, 9, 2025)


def test_g2_on_tet_2026_is_not_moved():
    """G2 (BLHS Art. 66(1)): 2 years from the first custody day Mon 17/02/2025;
    one half = 12 months: Tue 17/02/2026 (Tết): kept."""
    facts = in_prison(term=Term(2), detention=[(d(17, 2, 2025), None)])
    assert eligible(facts, "G2") == d(17, 2, 2026)


def test_g2_not_for_life_or_suspended_sentences():
    """G2 (BLHS Art. 66(1)) needs a fixed term: none for life (C7 only) or a
    suspended sentence (D10 instead)."""
    assert eligible(in_prison(sentence_kind="life", term=Term()), "G2") is None
    facts = prison(None, sentence_kind="suspended", probation=Term(2))
    assert eligible(facts, "G2") is None


# --------------------------------------------------------------------------
# G3a-c: conditional release procedure (15 days, 15 days, 3 days)
# --------------------------------------------------------------------------


def test_g3a_file_received_mon_2_march_2026_due_tue_17_opinion_16_met():
    """G3a (LTHAHS Art. 57; BLTTHS Art. 368(3)): file received Mon 02/03/2026 +
    15 = Tue 17/03/2026; the provincial procuracy's opinion Mon 16/03: met."""
    row = one(
        in_prison(
            ev("release_file_received", d(2, 3, 2026)),
            ev("release_opinion_given", d(16, 3, 2026)),
        ),
        "G3a",
    )
    assert (row.due, row.done) == (d(17, 3, 2026), d(16, 3, 2026))
    assert row.responsible_kind == "procuracy"
    assert status(row, d(1, 4, 2026)) == MET


def test_g3a_opinion_fri_20_march_2026_met_late_3_days():
    """G3a (BLTTHS Art. 368(3)): due Tue 17/03/2026; opinion Fri 20/03/2026: met
    late by 3 days."""
    row = one(
        in_prison(
            ev("release_file_received", d(2, 3, 2026)),
            ev("release_opinion_given", d(20, 3, 2026)),
        ),
        "G3a",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 3)


def test_g3a_over_tet_2026_received_wed_4_february_due_mon_23_february():
    """G3a (BLTTHS Art. 368(3)): received Wed 04/02/2026 + 15 = Thu 19/02/2026
    (Mùng ba Tết): runs to Mon 23/02/2026."""
    row = one(in_prison(ev("release_file_received", d(4, 2, 2026))), "G3a")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_g3b_file_received_mon_2_march_2026_due_tue_17_granted_17_met():
    """G3b (BLTTHS Art. 368(4)): file received Mon 02/03/2026 + 15 = Tue
    17/03/2026; release granted that day: met."""
    row = one(
        in_prison(
            ev("release_file_received", d(2, 3, 2026)),
            ev("conditional_release_granted", d(17, 3, 2026)),
        ),
        "G3b",
    )
    assert (row.due, row.done) == (d(17, 3, 2026), d(17, 3, 2026))
    assert status(row, d(1, 4, 2026)) == MET


def test_g3b_no_session_overdue_6_days_at_mon_23_march_2026():
    """G3b (BLTTHS Art. 368(4)): due Tue 17/03/2026; nothing at Mon 23/03/2026:
    overdue by 6 days."""
    row = one(
        in_prison(ev("release_file_received", d(2, 3, 2026))), "G3b", d(23, 3, 2026)
    )
    assert status(row, d(23, 3, 2026)) == engine.Status("overdue", 6)


def test_g3b_over_30_april_2026_received_wed_15_april_due_mon_4_may():
    """G3b (BLTTHS Art. 368(4)): received Wed 15/04/2026 + 15 = Thu 30/04/2026
    (holiday); Fri 01/05, Sat 02, Sun 03: runs to Mon 04/05/2026."""
    row = one(in_prison(ev("release_file_received", d(15, 4, 2026))), "G3b")
    assert row.due == d(4, 5, 2026)


def test_g3c_granted_tue_17_march_2026_due_fri_20_sent_20_met():
    """G3c (BLTTHS Art. 368(8)-(9)): release granted Tue 17/03/2026 + 3 days =
    Fri 20/03/2026; decision sent that day: met."""
    row = one(
        in_prison(
            ev("release_file_received", d(2, 3, 2026)),
            ev("conditional_release_granted", d(17, 3, 2026)),
            ev("release_decision_sent", d(20, 3, 2026)),
        ),
        "G3c",
    )
    assert (row.due, row.done) == (d(20, 3, 2026), d(20, 3, 2026))
    assert status(row, d(1, 4, 2026)) == MET


def test_g3c_sent_tue_24_march_2026_met_late_4_days():
    """G3c (BLTTHS Art. 368(8)-(9)): due Fri 20/03/2026; sent Tue 24/03/2026: met
    late by 4 days."""
    row = one(
        in_prison(
            ev("release_file_received", d(2, 3, 2026)),
            ev("conditional_release_granted", d(17, 3, 2026)),
            ev("release_decision_sent", d(24, 3, 2026)),
        ),
        "G3c",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 4)


def test_g3c_over_tet_2026_granted_thu_12_february_due_mon_23_february():
    """G3c (BLTTHS Art. 368(8)-(9)): granted Thu 12/02/2026 + 3 calendar days =
    Sun 15/02/2026; Tết 16/02-20/02 and the weekend: runs to Mon 23/02/2026."""
    facts = in_prison(
        ev("release_file_received", d(2, 2, 2026)),
        ev("conditional_release_granted", d(12, 2, 2026)),
    )
    row = one(facts, "G3c")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_g3_does_not_apply_to_a_suspended_sentence():
    facts = in_prison(
        ev("release_file_received", d(2, 3, 2026)), sentence_kind="suspended"
    )
    found = {row.rule for row in outcome(facts).deadlines}
    assert not {"G3a", "G3b", "G3c"} & found


# --------------------------------------------------------------------------
# J2, J4, J6: replies to the procuracy's request, protest, recommendation
# --------------------------------------------------------------------------


def test_j2_self_inspection_requested_mon_3_november_2025_due_wed_3_december():
    """J2 (LTHAHS Art. 169(1)): request to self-inspect Mon 03/11/2025 + 30 =
    Wed 03/12/2025; report Mon 01/12/2025: met."""
    row = one(
        prison(
            d(2, 6, 2025),
            ev("request_issued", d(3, 11, 2025), self_inspection=True),
            ev("self_inspection_reported", d(1, 12, 2025)),
        ),
        "J2",
    )
    assert (row.due, row.done) == (d(3, 12, 2025), d(1, 12, 2025))
    assert status(row, d(1, 1, 2026)) == MET


def test_j2_reported_mon_8_december_2025_met_late_5_days():
    """J2 (LTHAHS Art. 169(1)): due Wed 03/12/2025; report Mon 08/12/2025: met
    late by 5 days."""
    row = one(
        prison(
            d(2, 6, 2025),
            ev("request_issued", d(3, 11, 2025), self_inspection=True),
            ev("self_inspection_reported", d(8, 12, 2025)),
        ),
        "J2",
    )
    assert status(row, d(1, 1, 2026)) == engine.Status("met_late", 5)


def test_j2_over_tet_2026_requested_fri_16_january_due_mon_23_february():
    """J2 (LTHAHS Art. 169(1)): request Fri 16/01/2026 + 30 = Sun 15/02/2026;
    Tết 16/02-20/02 and the weekend: runs to Mon 23/02/2026."""
    facts = prison(
        d(2, 6, 2025), ev("request_issued", d(16, 1, 2026), self_inspection=True)
    )
    row = one(facts, "J2")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_j2_counts_from_the_addressees_receipt_wed_5_november_2025():
    """J2 (LTHAHS Art. 169(1)): issued Mon 03/11/2025, received Wed 05/11/2025
    (details.received_on) + 30 = Fri 05/12/2025."""
    facts = prison(
        d(2, 6, 2025),
        ev(
            "request_issued",
            d(3, 11, 2025),
            self_inspection=True,
            received_on="2025-11-05",
        ),
    )
    assert one(facts, "J2").due == d(5, 12, 2025)


def test_j2_not_started_by_a_request_that_is_not_for_self_inspection():
    """J1 requests (issue a QĐTHA, provide files) start no J2."""
    assert rows(prison(d(2, 6, 2025), ev("request_issued", d(3, 11, 2025))), "J2") == []


def test_j4_protest_received_wed_4_march_2026_due_thu_19_answered_19_met():
    """J4 (LTHAHS Art. 169(4)): protest issued Mon 02/03/2026, received Wed
    04/03/2026 + 15 = Thu 19/03/2026; answered that day: met."""
    row = one(
        prison(
            d(2, 6, 2025),
            ev("protest_issued", d(2, 3, 2026), received_on="2026-03-04"),
            ev("protest_answered", d(19, 3, 2026), outcome="accepted"),
        ),
        "J4",
    )
    assert (row.start, row.due, row.done) == (
        d(4, 3, 2026),
        d(19, 3, 2026),
        d(19, 3, 2026),
    )
    assert status(row, d(1, 4, 2026)) == MET


def test_j4_answered_mon_23_march_2026_met_late_4_days():
    """J4 (LTHAHS Art. 169(4)): due Thu 19/03/2026; answer Mon 23/03/2026: met
    late by 4 days."""
    row = one(
        prison(
            d(2, 6, 2025),
            ev("protest_issued", d(2, 3, 2026), received_on="2026-03-04"),
            ev("protest_answered", d(23, 3, 2026), outcome="rejected"),
        ),
        "J4",
    )
    assert status(row, d(1, 4, 2026)) == engine.Status("met_late", 4)


def test_j4_over_30_april_2026_received_wed_15_april_due_mon_4_may():
    """J4 (LTHAHS Art. 169(4)): received Wed 15/04/2026 + 15 = Thu 30/04/2026
    (holiday); Fri 01/05, weekend: runs to Mon 04/05/2026."""
    facts = prison(
        d(2, 6, 2025), ev("protest_issued", d(10, 4, 2026), received_on="2026-04-15")
    )
    assert one(facts, "J4").due == d(4, 5, 2026)


def test_j4_without_a_receipt_date_counts_from_the_issue_mon_2_march_2026():
    """J4 (interchange: received_on, the issue date when absent): issued Mon
    02/03/2026 + 15 = Tue 17/03/2026."""
    facts = prison(d(2, 6, 2025), ev("protest_issued", d(2, 3, 2026)))
    assert one(facts, "J4").due == d(17, 3, 2026)


def test_j6_recommendation_received_wed_7_january_2026_due_fri_6_february():
    """J6 (LTHAHS Art. 169(5)): recommendation issued Mon 05/01/2026, received
    Wed 07/01/2026 + 30 = Fri 06/02/2026; answered Thu 05/02/2026: met."""
    row = one(
        prison(
            d(2, 6, 2025),
            ev("recommendation_issued", d(5, 1, 2026), received_on="2026-01-07"),
            ev("recommendation_answered", d(5, 2, 2026), outcome="accepted"),
        ),
        "J6",
    )
    assert (row.start, row.due, row.done) == (
        d(7, 1, 2026),
        d(6, 2, 2026),
        d(5, 2, 2026),
    )
    assert status(row, d(1, 3, 2026)) == MET


def test_j6_not_answered_overdue_7_days_at_fri_13_february_2026():
    """J6 (LTHAHS Art. 169(5)): due Fri 06/02/2026; no answer at Fri 13/02/2026:
    overdue by 7 days."""
    facts = prison(
        d(2, 6, 2025),
        ev("recommendation_issued", d(5, 1, 2026), received_on="2026-01-07"),
    )
    row = one(facts, "J6", d(13, 2, 2026))
    assert status(row, d(13, 2, 2026)) == engine.Status("overdue", 7)


def test_j6_over_tet_2026_received_mon_19_january_due_mon_23_february():
    """J6 (LTHAHS Art. 169(5)): received Mon 19/01/2026 + 30 = Wed 18/02/2026
    (Mùng hai Tết): runs to Mon 23/02/2026."""
    facts = prison(
        d(2, 6, 2025),
        ev("recommendation_issued", d(16, 1, 2026), received_on="2026-01-19"),
    )
    row = one(facts, "J6")
    assert row.due == d(23, 2, 2026)
    assert row.shifted


def test_j6_in_july_2026_uses_lthahs_2025_marked_unchecked():
    """J6 (LTHAHS 2019 Art. 169(5), copied): received Wed 01/07/2026 + 30 = Fri
    31/07/2026 under LTHAHS-2025, marked "căn cứ chưa đối chiếu" with the
    2025 law (the 15/30-day replies may have moved to Art. 148-150)."""
    facts = prison(d(2, 6, 2025), ev("recommendation_issued", d(1, 7, 2026)))
    row = one(facts, "J6")
    assert (row.due, row.rule_set, row.verified) == (
        d(31, 7, 2026),
        "LTHAHS-2025",
        False,
    )
    assert "Luật THAHS 2025" in text(row)


# --------------------------------------------------------------------------
# L1: limitation period for executing the judgment
# --------------------------------------------------------------------------


def test_l1_prison_2_years_effect_tue_4_march_2025_limit_mon_4_march_2030_met():
    """L1 (BLHS Art. 60): prison ≤ 3 years: 5 years from legal effect Tue
    04/03/2025 = Mon 04/03/2030; the convict reported to serve 02/06/2025:
    met. Warned a year ahead."""
    row = one(prison(d(2, 6, 2025), term=Term(2)), "L1")
    assert (row.start, row.due, row.done) == (
        d(4, 3, 2025),
        d(4, 3, 2030),
        d(2, 6, 2025),
    )
    assert row.warn_days == 365
    assert row.verified is False
    assert status(row, d(1, 1, 2026)) == MET


def test_l1_not_executed_overdue_7_days_at_mon_11_march_2030():
    """L1 (BLHS Art. 60): limitation ends Mon 04/03/2030; never executed: at Mon
    11/03/2030 overdue by 7 days; due soon from 04/03/2029 (365 days ahead)."""
    row = one(prison(None, term=Term(2)), "L1", d(11, 3, 2030))
    assert status(row, d(11, 3, 2030)) == engine.Status("overdue", 7)
    assert status(row, d(4, 3, 2029)) == engine.Status("due_soon", 0)
    assert status(row, d(3, 3, 2029)) == engine.Status("pending", 0)


def test_l1_limitation_ending_on_30_april_2030_is_not_moved():
    """L1 (BLHS Art. 60): effect Wed 30/04/2025 + 5 years = Tue 30/04/2030, a
    holiday. The engine keeps the limitation's last day (a limitation is a
    fact of elapsed time, like a term end; legal-rules.md is silent on year
    periods rolling), so the date is not shifted."""
    facts = prison(None, term=Term(2), effective_on=d(30, 4, 2025))
    row = one(facts, "L1")
    assert row.due == d(30, 4, 2030)
    assert not row.shifted


def test_l1_clamps_29_february_2024_plus_5_years_to_28_february_2029():
    """L1 (BLHS Art. 60; BLDS Art. 148(3)): effect Thu 29/02/2024 + 5 years:
    no 29/02/2029: Wed 28/02/2029."""
    facts = prison(
        None, term=Term(2), pronounced_on=d(29, 1, 2024), effective_on=d(29, 2, 2024)
    )
    assert one(facts, "L1").due == d(28, 2, 2029)


@pytest.mark.parametrize(
    ("kind", "term", "years"),
    [
        ("non_custodial_reform", Term(2), 5),
        ("suspended", Term(3), 5),
        ("fine", Term(), 5),
        ("prison", Term(3), 5),
        ("prison", Term(3, 0, 1), 10),
        ("prison", Term(15), 10),
        ("prison", Term(15, 1), 15),
        ("prison", Term(30), 15),
        ("life", Term(), 20),
        ("death", Term(), 20),
    ],
)
def test_l1_limitation_by_penalty_from_effect_tue_4_march_2025(kind, term, years):
    """L1 (BLHS Art. 60(2)): 5 years (fine, CTKGG, prison ≤ 3 years), 10 years
    (> 3 to 15), 15 years (> 15 to 30), 20 years (life, death), counted from
    the legal effect 04/03/2025 to 04/03/2030, 2035, 2040, 2045."""
    facts = prison(None, sentence_kind=kind, term=term, probation=Term(3))
    row = one(facts, "L1")
    assert row.due == d(4, 3, 2025 + years)


def test_l1_no_limitation_for_a_crime_against_national_security():
    """L1 (BLHS Art. 60(3)): no limitation for Chapter XIII (Art. 108-122)."""
    facts = prison(None, term=Term(12), crime_articles=["109"])
    assert rows(facts, "L1") == []


def test_l1_lapsed_by_death_mon_5_january_2026():
    """L1 (BLHS Art. 60): the convict, never executed, died Mon 05/01/2026:
    lapsed, 0 days late."""
    row = one(prison(None, ev("death", d(5, 1, 2026)), term=Term(2)), "L1")
    assert row.lapsed_on == d(5, 1, 2026)
    assert status(row, d(1, 7, 2030)) == engine.Status("lapsed", 0)
