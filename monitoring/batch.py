"""Recomputing many cases at once: the nightly run and rule or calendar edits.

``recompute_cases`` gives exactly what ``services.recompute_case`` gives case
by case (the same deadline and eligibility rows, problems, moved-date records
and manual overrides), but reads the facts of a whole chunk of cases with a
fixed number of queries and writes each chunk with bulk statements in one
transaction. On PostgreSQL the new rows go in through COPY.

A case changed by a user while its chunk is being computed keeps the dates
its own change computed only if that change commits before the chunk reads
its facts; otherwise the chunk's dates stand until the case's next change or
the next run. Both runs are idempotent, so the nightly run repairs it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cases.models import (
    Agency,
    DetentionPeriod,
    Event,
    EventKind,
    ExecutionCase,
    SentenceCrime,
    SupplementaryPenalty,
)
from monitoring import engine, terms
from monitoring.calendar import get_calendar
from monitoring.dates import WorkCalendar
from monitoring.models import DateChange, Deadline, DeadlineOverride, EligibilityDate
from monitoring.rulebook import RuleSetDef
from monitoring.rules import get_rule_sets
from monitoring.services import DEFAULT_REASON

logger = logging.getLogger(__name__)

EVENT_LABELS = dict(EventKind.choices)
OVERRIDE_REASONS = dict(DeadlineOverride.Reason.choices)

_CASE_FIELDS = (
    "pk",
    "unit_id",
    "custody_at_judgment",
    "problems",
    "judgment__trial_stage",
    "judgment__pronounced_on",
    "judgment__effective_on",
    "judgment__first_instance_pronounced_on",
    "judgment__court_id",
    "judgment__first_instance_court_id",
    "person__birth_date",
    "person__birth_year",
    "sentence__kind",
    "sentence__term_years",
    "sentence__term_months",
    "sentence__term_days",
    "sentence__probation_years",
    "sentence__probation_months",
    "sentence__probation_days",
)
_DEADLINE_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "rule_set",
    "title",
    "start",
    "due",
    "warn_from",
    "done",
    "lapsed_on",
    "shifted",
    "verified",
    "responsible",
    "responsible_kind",
    "agency_id",
    "basis",
    "warn_days",
    "explanation",
    "computed_due",
    "override_reason",
)
_ELIGIBILITY_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "title",
    "date",
    "basis",
    "explanation",
)
_CHANGE_COLUMNS = (
    "unit_id",
    "case_id",
    "rule",
    "old_date",
    "new_date",
    "reason",
    "changed_at",
    "seen",
)


@dataclass
class BatchResult:
    """What a run did; the counts add up over chunks and worker processes."""

    cases: int = 0
    failed: int = 0
    deadlines: int = 0
    eligibility: int = 0
    changes: int = 0
    problem_cases: int = 0
    chunks: int = 0
    seconds: float = 0.0
    failed_ids: list[int] = field(default_factory=list)

    def add(self, other: BatchResult) -> None:
        for item in fields(self):
            if item.name != "seconds":
                setattr(
                    self,
                    item.name,
                    getattr(self, item.name) + getattr(other, item.name),
                )


@dataclass
class _Case:
    """One case's row of the chunk query, and what its deadlines need."""

    pk: int
    unit_id: int
    problems: list
    executing_court_id: int
    facts: engine.CaseFacts


def recompute_cases(
    case_ids_or_queryset: QuerySet | Iterable[int],
    reason: str = DEFAULT_REASON,
    chunk_size: int = 2000,
    workers: int = 1,
    progress=None,
) -> BatchResult:
    """Recompute the given cases, ``chunk_size`` at a time.

    With ``workers`` > 1 the chunks are shared out between that many
    processes, each with its own database connection. ``progress`` is
    called with the running totals after each chunk.
    """
    began = time.perf_counter()
    ids = _ids_of(case_ids_or_queryset)
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    # Read once here: forked workers inherit both caches.
    cal, rule_sets = get_calendar(), get_rule_sets()

    total = BatchResult()
    if workers > 1 and len(chunks) > 1:
        results = _in_processes(chunks, reason, cal, rule_sets, workers)
    else:
        agencies: dict[str, int] = {}
        results = (
            _recompute_chunk(chunk, reason, cal, rule_sets, agencies)
            for chunk in chunks
        )
    for result in results:
        total.add(result)
        if progress is not None:
            progress(total)
    total.seconds = time.perf_counter() - began
    logger.info(
        "Recomputed %d cases in %d chunks (%d failed) in %.1f s",
        total.cases,
        total.chunks,
        total.failed,
        total.seconds,
    )
    return total


def _ids_of(case_ids_or_queryset) -> list[int]:
    if isinstance(case_ids_or_queryset, QuerySet):
        return list(case_ids_or_queryset.order_by("pk").values_list("pk", flat=True))
    return sorted(set(case_ids_or_queryset))


# Worker processes -------------------------------------------------------------

_worker_state: dict = {}


def _in_processes(chunks, reason, cal, rule_sets, workers):
    # A forked child must not share the parent's socket to the database:
    # every process opens its own connection on first use.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(
        workers,
        initializer=_start_worker,
        initargs=(reason, cal, rule_sets),
    ) as pool:
        yield from pool.imap_unordered(_run_in_worker, chunks)


def _start_worker(reason, cal, rule_sets) -> None:
    _worker_state.update(reason=reason, cal=cal, rule_sets=rule_sets, agencies={})


def _run_in_worker(chunk: list[int]) -> BatchResult:
    state = _worker_state
    return _recompute_chunk(
        chunk, state["reason"], state["cal"], state["rule_sets"], state["agencies"]
    )


# One chunk --------------------------------------------------------------------


def _recompute_chunk(
    ids: list[int],
    reason: str,
    cal: WorkCalendar,
    rule_sets: Sequence[RuleSetDef],
    agencies: dict[str, int],
) -> BatchResult:
    result = BatchResult(chunks=1)
    try:
        with transaction.atomic():
            _write_chunk(ids, reason, cal, rule_sets, agencies, result)
    except Exception:  # noqa: BLE001 - one broken chunk must not stop the rest
        logger.exception(
            "Recomputing a chunk of %d cases failed (first id %s); "
            "recomputing them one by one",
            len(ids),
            ids[0] if ids else None,
        )
        return _one_by_one(ids, reason)
    return result


def _one_by_one(ids: list[int], reason: str) -> BatchResult:
    from monitoring.services import recompute_case

    result = BatchResult(chunks=1)
    for case in ExecutionCase.objects.filter(pk__in=ids).order_by("pk"):
        try:
            recompute_case(case, reason)
        except Exception:  # noqa: BLE001 - one broken case must not stop the rest
            logger.exception("Recomputing case %s failed", case.pk)
            result.failed += 1
            result.failed_ids.append(case.pk)
            continue
        result.cases += 1
    return result


def _write_chunk(ids, reason, cal, rule_sets, agencies, result: BatchResult) -> None:
    cases, unsentenced = _load_facts(ids)
    # A case without a sentence cannot be computed (facts_of fails on it).
    for pk in unsentenced:
        logger.error("Recomputing case %s failed: it has no sentence", pk)
        result.failed += 1
        result.failed_ids.append(pk)

    outcomes: dict[int, engine.Outcome] = {}
    for case in cases:
        try:
            outcomes[case.pk] = engine.compute(case.facts, cal, rule_sets=rule_sets)
        except Exception:  # noqa: BLE001 - one broken case must not stop the rest
            logger.exception("Recomputing case %s failed", case.pk)
            result.failed += 1
            result.failed_ids.append(case.pk)
    cases = [case for case in cases if case.pk in outcomes]
    done_ids = [case.pk for case in cases]
    if not done_ids:
        return

    # The dates being replaced, and the hand-set ones that survive.
    old_due_rows: dict[int, list] = defaultdict(list)
    for case_id, rule, start, computed_due, due in (
        Deadline.objects.filter(case_id__in=_ids(done_ids))
        .order_by("case_id", "due", "pk")
        .values_list("case_id", "rule", "start", "computed_due", "due")
    ):
        old_due_rows[case_id].append((rule, start, computed_due or due))
    old_eligible: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for case_id, rule, day in (
        EligibilityDate.objects.filter(case_id__in=_ids(done_ids))
        .order_by("case_id", "date", "pk")
        .values_list("case_id", "rule", "date")
    ):
        old_eligible[case_id][rule] = day
    overrides: dict[int, dict] = defaultdict(dict)
    for case_id, rule, start, due, why, note in DeadlineOverride.objects.filter(
        case_id__in=_ids(done_ids)
    ).values_list("case_id", "rule", "start", "due", "reason", "note"):
        overrides[case_id][(rule, start)] = (due, why, note)
    _learn_agencies(cases, outcomes, agencies)

    now = timezone.now()
    deadline_rows, eligibility_rows, change_rows, new_problems = [], [], [], {}
    for case in cases:
        outcome = outcomes[case.pk]
        problems = [{"code": p.code, "message": p.message} for p in outcome.problems]
        if problems != case.problems:
            new_problems[case.pk] = problems
        if problems:
            result.problem_cases += 1
        deadline_rows += _deadline_rows(case, outcome, overrides[case.pk], agencies)
        eligibility_rows += [
            (
                case.unit_id,
                case.pk,
                item.rule,
                item.title,
                item.date,
                item.basis,
                item.explanation,
            )
            for item in outcome.eligibility
        ]
        change_rows += [
            (case.unit_id, case.pk, rule, old, new, reason, now, False)
            for rule, old, new in _moved(
                outcome, old_due_rows[case.pk], old_eligible[case.pk]
            )
        ]

    Deadline.objects.filter(case_id__in=_ids(done_ids)).delete()
    EligibilityDate.objects.filter(case_id__in=_ids(done_ids)).delete()
    _insert(Deadline, _DEADLINE_COLUMNS, deadline_rows, json_column=17)
    _insert(EligibilityDate, _ELIGIBILITY_COLUMNS, eligibility_rows, json_column=6)
    _insert(DateChange, _CHANGE_COLUMNS, change_rows)
    _save_problems(new_problems, now)

    result.cases += len(cases)
    result.deadlines += len(deadline_rows)
    result.eligibility += len(eligibility_rows)
    result.changes += len(change_rows)


def _load_facts(ids: list[int]) -> tuple[list[_Case], list[int]]:
    """The engine's view of each case of the chunk (as ``facts_of``), and
    the ids of the cases without a sentence."""
    events: dict[int, list[engine.EventFact]] = defaultdict(list)
    agency_names = _agency_names(ids)
    for case_id, kind, day, details, agency_id in (
        Event.objects.filter(case_id__in=_ids(ids))
        .order_by("case_id", "date", "pk")
        .values_list("case_id", "kind", "date", "details", "agency_id")
    ):
        events[case_id].append(
            engine.EventFact(
                kind=kind,
                date=day,
                label=EVENT_LABELS.get(kind, kind),
                details=details or {},
                agency=agency_names[agency_id] if agency_id else "",
            )
        )
    detention: dict[int, list] = defaultdict(list)
    for case_id, start, end in (
        DetentionPeriod.objects.filter(case_id__in=_ids(ids))
        .order_by("case_id", "start", "pk")
        .values_list("case_id", "start", "end")
    ):
        detention[case_id].append((start, end))
    supplementary = set(
        SupplementaryPenalty.objects.filter(sentence__case_id__in=_ids(ids))
        .values_list("sentence__case_id", flat=True)
        .distinct()
    )
    articles: dict[int, list[str]] = defaultdict(list)
    for case_id, article in (
        SentenceCrime.objects.filter(sentence__case_id__in=_ids(ids))
        .order_by("pk")
        .values_list("sentence__case_id", "crime__article")
    ):
        articles[case_id].append(article)

    cases, unsentenced = [], []
    for row in (
        ExecutionCase.objects.filter(pk__in=_ids(ids))
        .order_by("pk")
        .values_list(*_CASE_FIELDS)
    ):
        (
            pk,
            unit_id,
            custody,
            problems,
            instance,
            pronounced_on,
            effective_on,
            first_pronounced_on,
            court_id,
            first_court_id,
            birth_date,
            birth_year,
            kind,
            *term,
        ) = row
        if kind is None:
            unsentenced.append(pk)
            continue
        facts = engine.CaseFacts(
            sentence_kind=kind,
            custody=custody,
            instance=instance,
            pronounced_on=pronounced_on,
            effective_on=effective_on,
            events=events.get(pk, []),
            term=terms.Term(term[0], term[1], term[2]),
            probation=terms.Term(term[3], term[4], term[5]),
            detention=detention.get(pk, []),
            first_instance_pronounced_on=first_pronounced_on,
            birth_date=birth_date,
            birth_year=birth_year,
            has_supplementary=pk in supplementary,
            crime_articles=articles.get(pk, []),
        )
        cases.append(_Case(pk, unit_id, problems, first_court_id or court_id, facts))
    return cases, unsentenced


def _ids(ids: list[int]):
    """The right-hand side of an ``__in`` filter on the chunk's ids.

    On PostgreSQL one array parameter instead of thousands: psycopg parses
    a statement's placeholders on every execution, and 2,000 of them cost
    more than the query.
    """
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))  # noqa: S611 - a constant statement
    return ids


def _agency_names(ids: list[int]) -> dict[int, str]:
    """Names of the agencies on the chunk's events (the explanations and the
    responsible body name them)."""
    return dict(
        Agency.objects.filter(
            pk__in=Event.objects.filter(
                case_id__in=_ids(ids), agency__isnull=False
            ).values("agency_id")
        ).values_list("pk", "name")
    )


def _learn_agencies(cases, outcomes, agencies: dict[str, int]) -> None:
    """Add to ``agencies`` (name → id, kept for the run) every body that
    started a clock in this chunk; ``services`` looks each up by name."""
    wanted = {
        result.start_agency
        for case in cases
        for result in outcomes[case.pk].deadlines
        if result.start_agency and result.start_agency not in agencies
    }
    if wanted:
        agencies.update(
            Agency.objects.filter(name__in=wanted).values_list("name", "pk")
        )


def _deadline_rows(case: _Case, outcome, overrides: dict, agencies) -> list[tuple]:
    rows = []
    for result in outcome.deadlines:
        override = overrides.get((result.rule, result.start))
        explanation = list(result.explanation)
        due, computed_due, override_reason = result.due, None, ""
        if override is not None:
            override_due, why, note = override
            due, computed_due = override_due, result.due
            override_reason = f"{OVERRIDE_REASONS.get(why, why)}: {note}"
            explanation.append(
                f"Hạn được ấn định thủ công {override_due:%d/%m/%Y} (hạn tính theo "
                f"quy tắc {result.due:%d/%m/%Y}); lý do: {override_reason}."
            )
        if result.responsible_kind == "court":
            agency_id = case.executing_court_id
        elif result.start_agency and result.responsible_kind != "convict":
            agency_id = agencies.get(result.start_agency)
        else:
            agency_id = None
        rows.append(
            (
                case.unit_id,
                case.pk,
                result.rule,
                result.rule_set,
                result.title,
                result.start,
                due,
                due - dt.timedelta(days=result.warn_days),
                result.done,
                result.lapsed_on,
                result.shifted,
                result.verified,
                result.responsible,
                result.responsible_kind,
                agency_id,
                result.basis,
                result.warn_days,
                explanation,
                computed_due,
                override_reason,
            )
        )
    return rows


def _by_occurrence(rows) -> dict[tuple[str, int], dt.date]:
    """As ``services._by_occurrence``: due dates keyed by rule and
    occurrence, so that a corrected start still meets its old date."""
    keyed: dict[tuple[str, int], dt.date] = {}
    counts: dict[str, int] = {}
    for rule, _start, due in sorted(rows, key=lambda row: (row[0], row[1])):
        counts[rule] = counts.get(rule, 0) + 1
        keyed[(rule, counts[rule])] = due
    return keyed


def _moved(outcome, old_rows, old_eligible) -> list[tuple[str, dt.date, dt.date]]:
    """(rule, old date, new date) of every date that moved, in the order
    ``services.recompute_case`` records them."""
    if not old_rows and not old_eligible:
        return []
    old_due = _by_occurrence(old_rows)
    new_due = _by_occurrence(
        (result.rule, result.start, result.due) for result in outcome.deadlines
    )
    moved = [
        (key[0], old_due[key], due)
        for key, due in new_due.items()
        if key in old_due and old_due[key] != due
    ]
    moved += [
        (result.rule, old_eligible[result.rule], result.date)
        for result in outcome.eligibility
        if result.rule in old_eligible and old_eligible[result.rule] != result.date
    ]
    return moved


def _save_problems(new_problems: dict[int, list], now) -> None:
    """Store changed problem lists, with the history rows ``save`` leaves."""
    if not new_problems:
        return
    cases = list(ExecutionCase.objects.filter(pk__in=new_problems).order_by("pk"))
    for case in cases:
        case.problems = new_problems[case.pk]
        case.updated_at = now
    ExecutionCase.objects.bulk_update(cases, ["problems", "updated_at"])
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        ExecutionCase.history.bulk_history_create(cases, update=True)


def _insert(model, columns: tuple[str, ...], rows: list[tuple], json_column=None):
    """Insert plain rows: COPY on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        names = ", ".join(f'"{name}"' for name in columns)
        statement = f"COPY {table} ({names}) FROM STDIN"
        # One encoder for all rows: json.dumps builds one per call when
        # given options.
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_column is not None:
                    row = list(row)
                    row[json_column] = dumps(row[json_column])
                copy.write_row(row)
        return
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows],
        batch_size=500,
    )
