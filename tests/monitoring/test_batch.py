"""Batch recomputation: the same rows as the case-by-case service, with a
number of queries that does not grow with the number of cases."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import (
    Agency,
    Custody,
    DetentionPeriod,
    Event,
    EventKind,
    ExecutionCase,
    Instance,
    SentenceKind,
)
from cases.services import SupplementaryInput, add_event, delete_event
from monitoring import batch, engine
from monitoring.calendar import get_calendar
from monitoring.models import DateChange, Deadline, EligibilityDate
from monitoring.rules import get_rule_sets
from monitoring.services import STALE, explain, facts_of, recompute_case, set_override
from monitoring.signals import deadlines_changed

pytestmark = pytest.mark.django_db

REASON = "Chạy lại hằng đêm"


@pytest.fixture
def agencies(unit_a, court_a):
    return {
        "court": court_a,
        "thahs": Agency.objects.create(
            kind=Agency.Kind.EXECUTION_AGENCY,
            name="Cơ quan THAHS Công an thành phố Thử Nghiệm",
            province=unit_a,
        ),
        "camp": Agency.objects.create(
            kind=Agency.Kind.DETENTION_CENTRE,
            name="Trại tạm giam Công an thành phố Thử Nghiệm",
            province=unit_a,
        ),
    }


def _register(make_case, unit, prosecutor, agencies) -> list[ExecutionCase]:
    """Varied cases entered through the services, each recomputed as it
    was entered, then changed behind the services' back so that the stored
    dates are stale and a recomputation has something to move."""
    court, thahs, camp = agencies["court"], agencies["thahs"], agencies["camp"]
    cases = []

    # Prison at liberty: A5, A7 (with the court as responsible body), a
    # manual override of A5, then the QĐTHA's date corrected (A7 moves).
    prison = make_case(unit, prosecutor=prosecutor, full_name="Nguyễn Văn An")
    issued = add_event(
        prison,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 28),
        agency=court,
    )
    add_event(
        prison,
        kind=EventKind.EXECUTION_DECISION_SENT,
        date=dt.date(2025, 5, 2),
        agency=court,
        details={"recipient": "procuracy"},
    )
    a5 = prison.deadlines.get(rule="A5")
    set_override(
        prison,
        rule="A5",
        start=a5.start,
        due=dt.date(2025, 5, 6),
        reason="court_papers",
        note="Theo công văn 12/TA",
        user=prosecutor,
    )
    Event.objects.filter(pk=issued.pk).update(date=dt.date(2025, 4, 24))
    cases.append(prison)

    # Suspended sentence: D-rules, D10 eligibility; later shortened, which
    # moves the end of probation (D6).
    suspended = make_case(
        unit,
        full_name="Trần Thị Bình",
        sex="female",
        sentence_kind=SentenceKind.SUSPENDED,
        term_years=1,
        probation_years=2,
        supplementary=[SupplementaryInput("fine", fine_amount=10_000_000)],
    )
    add_event(
        suspended,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        agency=court,
    )
    add_event(
        suspended,
        kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        date=dt.date(2025, 5, 5),
        agency=thahs,
    )
    add_event(
        suspended,
        kind=EventKind.PROBATION_SHORTENED,
        date=dt.date(2026, 4, 1),
        agency=court,
        details={"by": {"years": 0, "months": 6, "days": 0}},
        recompute=False,
    )
    cases.append(suspended)

    # CTKGG with pre-trial detention credited 1:3 and the agency named on
    # the receipt (E-rules, E7 eligibility); the receipt is moved later.
    reform = make_case(
        unit,
        full_name="Lê Văn Cường",
        sentence_kind=SentenceKind.NON_CUSTODIAL_REFORM,
        term_years=1,
        detention=[(dt.date(2024, 12, 1), dt.date(2024, 12, 10))],
    )
    add_event(
        reform,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        agency=court,
    )
    received = add_event(
        reform,
        kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        date=dt.date(2025, 4, 29),
        agency=thahs,
    )
    Event.objects.filter(pk=received.pk).update(date=dt.date(2025, 5, 6))
    cases.append(reform)

    # Detained prisoner on an appeal judgment: the term runs from custody,
    # C7/G2 eligibility, A9 steps at the detention centre.
    detained = make_case(
        unit,
        full_name="Phạm Quốc Dũng",
        instance=Instance.APPEAL,
        pronounced_on=dt.date(2025, 3, 20),
        effective_on=None,
        first_instance_pronounced_on=dt.date(2024, 12, 20),
        custody=Custody.DETAINED,
        term_years=5,
        birth_date=dt.date(2008, 1, 15),
        detention=[(dt.date(2024, 9, 2), None)],
        crimes=[],
    )
    add_event(
        detained,
        kind=EventKind.APPEAL_RULING_RECEIVED_BY_COURT,
        date=dt.date(2025, 4, 2),
        agency=court,
    )
    add_event(
        detained,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 8),
        agency=court,
    )
    add_event(
        detained,
        kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        date=dt.date(2025, 4, 10),
        agency=camp,
    )
    add_event(
        detained,
        kind=EventKind.SUSPENSION_GRANTED,
        date=dt.date(2025, 8, 1),
        agency=court,
        details={"until": "2025-10-31"},
        recompute=False,
    )
    cases.append(detained)

    # Conflicting facts found after entry: no dates, problems stored.
    conflicting = make_case(unit, full_name="Hoàng Văn Em", term_years=3)
    DetentionPeriod.objects.create(
        unit=unit,
        case=conflicting,
        start=dt.date(2025, 1, 10),
        end=dt.date(2025, 1, 1),
    )
    cases.append(conflicting)

    # A conflict that was stored and has since been corrected.
    corrected = make_case(unit, full_name="Vũ Thị Giang", sex="female")
    wrong = DetentionPeriod.objects.create(
        unit=unit,
        case=corrected,
        start=dt.date(2025, 2, 10),
        end=dt.date(2025, 2, 1),
    )
    recompute_case(corrected)
    DetentionPeriod.objects.filter(pk=wrong.pk).delete()
    cases.append(corrected)

    # A fine and a warning: few or no deadlines.
    cases.append(
        make_case(
            unit,
            full_name="Đỗ Văn Hải",
            sentence_kind=SentenceKind.FINE,
            fine_amount=20_000_000,
        )
    )
    warning = make_case(
        unit, full_name="Ngô Văn Khoa", sentence_kind=SentenceKind.WARNING
    )
    add_event(warning, kind=EventKind.COMPLETED, date=dt.date(2025, 4, 22))
    cases.append(warning)
    return cases


def _snapshot(case_ids) -> dict:
    """Every row the recomputation writes, without ids and timestamps."""
    deadline_fields = [
        f.attname for f in Deadline._meta.concrete_fields if f.name != "id"
    ]
    eligibility_fields = [
        f.attname for f in EligibilityDate._meta.concrete_fields if f.name != "id"
    ]

    def rows(queryset, names):
        return sorted(
            (tuple(repr(row[name]) for name in names))
            for row in queryset.filter(case_id__in=case_ids).values(*names)
        )

    return {
        "deadlines": rows(Deadline.objects, deadline_fields),
        "eligibility": rows(EligibilityDate.objects, eligibility_fields),
        "changes": rows(
            DateChange.objects,
            ["unit_id", "case_id", "rule", "old_date", "new_date", "reason", "seen"],
        ),
        "problems": sorted(
            ExecutionCase.objects.filter(pk__in=case_ids).values_list("pk", "problems")
        ),
        "history": sorted(
            ExecutionCase.history.filter(id__in=case_ids).values_list("id", "problems")
        ),
    }


def test_batch_writes_the_same_rows_as_recomputing_case_by_case(
    make_case, unit_a, prosecutor_a, agencies
):
    cases = _register(make_case, unit_a, prosecutor_a, agencies)
    ids = [case.pk for case in cases]

    with transaction.atomic():
        for case in ExecutionCase.objects.filter(pk__in=ids).order_by("pk"):
            recompute_case(case, REASON)
        one_by_one = _snapshot(ids)
        transaction.set_rollback(True)
    result = batch.recompute_cases(
        ExecutionCase.objects.filter(pk__in=ids), reason=REASON, chunk_size=3
    )
    batched = _snapshot(ids)

    assert batched == one_by_one
    # The comparison is not an empty one: every kind of row is there.
    assert len(batched["deadlines"]) > 20
    assert {row[2] for row in batched["eligibility"]} >= {
        repr("D10"),
        repr("E7"),
        repr("C7"),
    }
    assert {row[2] for row in batched["changes"]} >= {repr("A7"), repr("D6")}
    assert any("Theo công văn 12/TA" in row[-1] for row in batched["deadlines"])
    assert Deadline.objects.filter(case=cases[0], rule="A5").get().computed_due
    assert ExecutionCase.objects.get(pk=cases[4].pk).problems
    assert not ExecutionCase.objects.get(pk=cases[5].pk).problems
    assert (result.cases, result.failed, result.problem_cases) == (len(ids), 0, 1)
    assert result.chunks == 3


def test_a_second_batch_run_moves_nothing(make_case, unit_a, prosecutor_a, agencies):
    cases = _register(make_case, unit_a, prosecutor_a, agencies)
    ids = [case.pk for case in cases]
    batch.recompute_cases(ids, reason=REASON)
    before = _snapshot(ids)

    result = batch.recompute_cases(ids, reason="Lần hai")

    assert _snapshot(ids) == before
    assert result.changes == 0


def test_a_deleted_event_counts_for_nothing_in_a_bulk_run(make_case, unit_a, agencies):
    """A QĐTHA recorded then deleted: A5 (effect 22/04/2025 + 7 days, due
    29/04/2025) stays unmet after a bulk run, as after the deletion itself,
    and no A7 starts from the deleted decision."""
    case = make_case(unit_a)
    event = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 28),
        agency=agencies["court"],
    )
    delete_event(event)
    a5 = case.deadlines.get(rule="A5")
    assert (a5.due, a5.done) == (dt.date(2025, 4, 29), None)

    batch.recompute_cases([case.pk], reason=REASON)

    a5 = case.deadlines.get(rule="A5")
    assert (a5.due, a5.done) == (dt.date(2025, 4, 29), None)
    assert not case.deadlines.filter(rule="A7").exists()


def _similar_cases(make_case, unit, agencies, count: int) -> list[int]:
    ids = []
    for index in range(count):
        case = make_case(
            unit,
            number=f"{index + 1}/2025/HS-ST",
            full_name="Nguyễn Văn An",
            detention=[(dt.date(2024, 11, 1), dt.date(2024, 11, 20))],
            supplementary=[SupplementaryInput("fine", fine_amount=5_000_000)],
            recompute=False,
        )
        for kind, day, agency in (
            (EventKind.EXECUTION_DECISION_ISSUED, dt.date(2025, 4, 28), "court"),
            (EventKind.EXECUTION_DECISION_SERVED, dt.date(2025, 5, 5), "court"),
            (EventKind.REPORTED_TO_SERVE, dt.date(2025, 5, 9), "thahs"),
        ):
            add_event(case, kind=kind, date=day, agency=agencies[agency])
        ids.append(case.pk)
    return ids


def _queries(ids) -> int:
    with CaptureQueriesContext(connection) as context:
        batch.recompute_cases(ids, reason=REASON)
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_cases(
    make_case, unit_a, agencies
):
    few = _similar_cases(make_case, unit_a, agencies, 3)
    more = _similar_cases(make_case, unit_a, agencies, 6)
    get_calendar(), get_rule_sets()  # read once, outside the count

    assert _queries(more) == _queries(few)
    # Again with stored dates to replace: still one set of queries.
    assert _queries(more) == _queries(few) <= 20


def test_the_command_recomputes_a_units_cases(
    make_case, unit_a, unit_b, agencies, capsys
):
    own = _similar_cases(make_case, unit_a, agencies, 2)
    other = make_case(unit_b, recompute=False)

    call_command("recompute_deadlines", "--unit", unit_a.code, "--reason", REASON)

    output = capsys.readouterr().out
    assert "Đã tính lại 2 hồ sơ" in output
    assert Deadline.objects.filter(case_id__in=own).exists()
    assert not Deadline.objects.filter(case=other).exists()


def test_stored_rows_are_explained_when_read(make_case, unit_a, prosecutor_a, agencies):
    """No explanation is stored; ``services.explain`` gives each row of the
    batch the lines of a full computation of its case, with the hand-set
    date's reason, and says so when a row is stale."""
    cases = _register(make_case, unit_a, prosecutor_a, agencies)
    batch.recompute_cases([case.pk for case in cases], reason=REASON)

    for case in ExecutionCase.objects.filter(pk__in=[c.pk for c in cases]):
        full = engine.compute(facts_of(case), get_calendar(), rule_sets=get_rule_sets())
        deadlines = list(case.deadlines.order_by("start", "due", "rule"))
        eligibility = list(case.eligibility_dates.order_by("date"))
        explain(case, deadlines, eligibility)
        expected = sorted(
            (row.rule, row.start, row.explanation) for row in full.deadlines
        )
        got = sorted(
            (
                row.rule,
                row.start,
                row.explanation[:-1] if row.computed_due else row.explanation,
            )
            for row in deadlines
        )
        assert got == expected
        assert [row.explanation for row in eligibility] == [
            next(item for item in full.eligibility if item.rule == row.rule).explanation
            for row in eligibility
        ]
        assert all(row.explanation for row in deadlines + eligibility)

    a5 = Deadline.objects.get(case=cases[0], rule="A5")
    explain(cases[0], [a5])
    assert "Theo công văn 12/TA" in a5.explanation[-1]
    assert "06/05/2025" in a5.explanation[-1]

    # A fact changed behind the services' back: the stored A7 is stale.
    Event.objects.filter(
        case=cases[0], kind=EventKind.EXECUTION_DECISION_ISSUED
    ).update(date=dt.date(2025, 4, 10))
    a7 = Deadline.objects.get(case=cases[0], rule="A7")
    explain(cases[0], [a7])
    assert a7.explanation == [STALE]


def test_only_cases_whose_deadlines_moved_have_their_violations_synced(
    make_case, unit_a, agencies
):
    """A rerun reads the violations of the cases it rewrote, not of all
    1,000,000: the others' rows, and so their violations, are as they were."""
    ids = _similar_cases(make_case, unit_a, agencies, 3)
    batch.recompute_cases(ids, reason=REASON)
    # The second case's QĐTHA was issued a week later (entered behind the
    # services' back, so that only the batch sees it).
    Event.objects.filter(
        case_id=ids[1], kind=EventKind.EXECUTION_DECISION_ISSUED
    ).update(date=dt.date(2025, 5, 5))
    synced = []

    def receiver(sender, case_ids=None, **kwargs):
        synced.extend(case_ids)

    deadlines_changed.connect(receiver)
    try:
        batch.recompute_cases(ids, reason=REASON)
    finally:
        deadlines_changed.disconnect(receiver)

    assert synced == [ids[1]]


def _planner_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_a_bulk_run_gives_the_planner_the_rows_it_wrote(make_case, unit_a, agencies):
    """A first computation into empty tables analyses them after its 4th
    chunk (then 8th, 16th…), so the planner stops treating the deadline
    table as empty: the statistics count the first four cases' rows."""
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and the planner's statistics are PostgreSQL's.")
    ids = sorted(_similar_cases(make_case, unit_a, agencies, 6))
    Deadline.objects.filter(case_id__in=ids).delete()
    EligibilityDate.objects.filter(case_id__in=ids).delete()

    batch.recompute_cases(ids, reason=REASON, chunk_size=1)

    first_four = Deadline.objects.filter(case_id__in=ids[:4]).count()
    assert 0 < first_four < Deadline.objects.filter(case_id__in=ids).count()
    assert _planner_rows("monitoring_deadline") == first_four


def test_a_run_that_writes_little_leaves_the_statistics_alone(
    make_case, unit_a, agencies
):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and the planner's statistics are PostgreSQL's.")
    """The 4th chunk (of two cases) finds one case's rows missing: it writes
    half its cases, no bulk fill, and analyses nothing."""
    ids = sorted(_similar_cases(make_case, unit_a, agencies, 8))
    before = _planner_rows("monitoring_deadline")

    Deadline.objects.filter(case_id=ids[6]).delete()
    result = batch.recompute_cases(ids, reason="Lần hai", chunk_size=2)

    assert result.unchanged == 7
    assert _planner_rows("monitoring_deadline") == before
