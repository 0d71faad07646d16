"""Automatic violations kept in step with the computed deadlines.

A deadline of anyone but the convict that was met late, or is overdue on
the day of judging, is a violation of the body that had the duty (the
interchange contract, ``violations``: "a deadline of an agency (not of the
convict)"). The convict's own duties (A10, B7b, D8a) call for escort or a
breach record instead and are listed apart (``noncompliance``).

Runs in the transaction that rewrote the deadlines (``deadlines_changed``)
and in the nightly run, when deadlines pass without any data changing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cases.models import Event, ExecutionCase, agency_endings, bearer_on
from monitoring import engine, rulebook
from monitoring.models import Deadline
from monitoring.rules import get_rule_sets
from monitoring.services import AGENCY_KINDS
from violations.models import Violation

CONVICT_KIND = "convict"
LATE = frozenset({"overdue", "met_late"})
# Fields an automatic violation copies from its deadline.
COPIED = (
    "agency_id",
    "responsible",
    "responsible_kind",
    "rule_set",
    "title",
    "basis",
    "due",
    "done",
)
CHUNK = 2000
# What a chunk reads of every agency deadline (to number the occurrences
# and judge lateness), and then of the late ones.
JUDGED = ("pk", "case_id", "rule", "due", "done", "warn_days", "lapsed_on")
FIELDS = ("unit_id", "case_id", "rule", "start", "warn_days", "lapsed_on", *COPIED)


def _in(ids):
    """The right-hand side of an ``__in`` filter on a chunk's ids: one array
    parameter on PostgreSQL (psycopg parses every placeholder of a
    statement on each execution; thousands cost more than the query)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))  # noqa: S611 - a constant statement
    return list(ids)


def agency_deadlines():
    """Deadlines that are duties of a body the procuracy supervises."""
    return Deadline.objects.exclude(responsible_kind=CONVICT_KIND)


def judgment_rules() -> frozenset[str]:
    """Duties counted from the pronouncement (A4, A4b, BLTTHS Art. 262): the
    court sends the judgment once, however many convicts it sentenced, so
    they are breached once per judgment, not once per convict's case."""
    return frozenset(
        rule.code
        for rule_set in get_rule_sets()
        for rule in rule_set.rules
        if rule.trigger == rulebook.PRONOUNCED
    )


def _late_by_key(
    deadlines,
    as_of: dt.date,
    judgment_of: dict[int, int] | None = None,
    per_judgment: frozenset[str] = frozenset(),
) -> dict[tuple, dict]:
    """Late deadlines keyed by (case, rule, occurrence), as dicts of
    ``FIELDS``. Reads every deadline's few ``JUDGED`` columns, in the order
    of case, rule, start and due (the occurrences count in that order), and
    the other columns of the late ones only.

    A rule of ``per_judgment`` is judged once for the cases of one judgment
    (``judgment_of``): met when any case records it met (the earliest act),
    and kept on the judgment's first case only."""
    judgment_of = judgment_of or {}
    late_pks = {}
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    previous, occurrence = None, 0
    for pk, case_id, rule, due, done, warn_days, lapsed_on in deadlines.order_by(
        "case_id", "rule", "start", "due", "pk"
    ).values_list(*JUDGED):
        key = (case_id, rule)
        occurrence = occurrence + 1 if key == previous else 1
        previous = key
        if rule in per_judgment and case_id in judgment_of:
            groups[(judgment_of[case_id], rule, occurrence)].append(
                (case_id, pk, due, done, warn_days, lapsed_on)
            )
            continue
        if due >= as_of:
            continue  # neither overdue nor met late yet: most rows
        status = engine.status_of(due, done, as_of, warn_days, lapsed_on)
        if status.code in LATE:
            late_pks[pk] = (case_id, rule, occurrence)
    earliest_done = {}
    for (_judgment, rule, occurrence), members in groups.items():
        case_id, pk, due, _done, warn_days, lapsed_on = min(members)
        dones = [member[3] for member in members if member[3] is not None]
        done = min(dones) if dones else None
        status = engine.status_of(due, done, as_of, warn_days, lapsed_on)
        if due < as_of and status.code in LATE:
            late_pks[pk] = (case_id, rule, occurrence)
            earliest_done[pk] = done
    if not late_pks:
        return {}
    late = {}
    for pk, *values in (
        Deadline.objects.filter(pk__in=_in(sorted(late_pks)))
        .order_by()
        .values_list("pk", *FIELDS)
    ):
        row = dict(zip(FIELDS, values, strict=True))
        if pk in earliest_done:
            row["done"] = earliest_done[pk]
        late[late_pks[pk]] = row
    return {key: late[key] for key in sorted(late)}


def _with_codefendants(case_ids: list[int]) -> tuple[list[int], dict[int, int]]:
    """The cases and every other case of their judgments (co-defendants),
    with each one's judgment: a judgment's duty is judged over all of
    them."""
    judgments = ExecutionCase.objects.filter(pk__in=_in(case_ids)).values("judgment_id")
    judgment_of = dict(
        ExecutionCase.objects.filter(judgment_id__in=judgments).values_list(
            "pk", "judgment_id"
        )
    )
    return sorted(set(case_ids) | set(judgment_of)), judgment_of


def _attribute(rows) -> None:
    """A duty counted from a date rather than an event (F2 before release,
    D6/E5 at the end of a term) names no body; the body of that kind last
    recorded on the case's events answers for it, or its successor."""
    missing = [row for row in rows if row["agency_id"] is None]
    if not missing:
        return
    latest: dict[tuple[int, str], int] = {}
    events = (
        Event.objects.filter(
            case_id__in=_in(sorted({row["case_id"] for row in missing})),
            agency__isnull=False,
        )
        .order_by("date", "pk")
        .values_list("case_id", "agency_id", "agency__kind")
    )
    for case_id, agency_id, kind in events:
        latest[(case_id, kind)] = agency_id
    endings = agency_endings()
    for row in missing:
        for kind in AGENCY_KINDS.get(row["responsible_kind"], ()):
            agency_id = latest.get((row["case_id"], kind))
            if agency_id is not None:
                # A body gone by the due date answers through its successor.
                row["agency_id"] = bearer_on(agency_id, row["due"], endings)
                break


def _live_case_ids(case_ids: list[int]) -> set[int]:
    return set(
        ExecutionCase.objects.filter(
            pk__in=_in(case_ids), cancelled_on__isnull=True
        ).values_list("pk", flat=True)
    )


def sync_cases(
    case_ids: list[int], as_of: dt.date | None = None, reason: str = ""
) -> dict[str, int]:
    """Bring the automatic violations of these cases in line with their
    deadlines; returns how many were created, updated and withdrawn."""
    as_of = as_of or timezone.localdate()
    totals = {"created": 0, "updated": 0, "withdrawn": 0}
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        for key, value in _sync_chunk(chunk, as_of, reason).items():
            totals[key] += value
    return totals


def _sync_chunk(case_ids: list[int], as_of: dt.date, reason: str) -> dict[str, int]:
    case_ids, judgment_of = _with_codefendants(case_ids)
    per_judgment = judgment_rules()
    live = _live_case_ids(case_ids)
    late = _late_by_key(
        agency_deadlines().filter(case_id__in=_in(sorted(live))),
        as_of,
        judgment_of,
        per_judgment,
    )
    _attribute(late.values())
    existing = {
        (v.case_id, v.rule, v.occurrence): v
        for v in Violation.objects.filter(
            case_id__in=_in(case_ids), source=Violation.Source.AUTO
        )
    }
    created, changed, gone = [], [], []
    for key, row in late.items():
        violation = existing.get(key)
        if violation is None:
            created.append(
                Violation(
                    unit_id=row["unit_id"],
                    case_id=row["case_id"],
                    rule=row["rule"],
                    occurrence=key[2],
                    found_on=as_of,
                    source=Violation.Source.AUTO,
                    **{name: row[name] for name in COPIED},
                )
            )
            continue
        dirty = False
        for name in COPIED:
            # Once in an action the violation is the addressee's, whatever a
            # later recomputation attributes the deadline to.
            if name == "agency_id" and violation.action_id:
                continue
            if getattr(violation, name) != row[name]:
                setattr(violation, name, row[name])
                dirty = True
        if violation.state == Violation.State.WITHDRAWN:
            violation.state = (
                Violation.State.INCLUDED
                if violation.action_id
                else Violation.State.FOUND
            )
            violation.closed_note = ""
            dirty = True
        if dirty:
            violation._change_reason = reason
            changed.append(violation)
    for key, violation in existing.items():
        if key in late or violation.state == Violation.State.WITHDRAWN:
            continue
        gone.append(violation)

    withdrawn = []
    for violation in gone:
        violation._change_reason = reason or "Không còn vi phạm"
        if violation.state == Violation.State.FOUND and violation.action_id is None:
            # Never acted on: nothing refers to it, and its history keeps it.
            violation.delete()
            continue
        violation.state = Violation.State.WITHDRAWN
        if violation.rule in per_judgment:
            violation.closed_note = (
                f"Ngày {as_of:%d/%m/%Y}: nghĩa vụ của Tòa án đối với cả bản án "
                "được xét một lần cho bản án (ở hồ sơ đầu tiên của bản án), "
                "không còn là vi phạm riêng của hồ sơ này."
            )
            withdrawn.append(violation)
            continue
        violation.closed_note = (
            f"Ngày {as_of:%d/%m/%Y}: sau khi dữ liệu được sửa, thời hạn không "
            "còn bị vi phạm."
        )
        withdrawn.append(violation)
    if created:
        _create(created, reason)
    update_fields = [*COPIED, "state", "closed_note"]
    if changed or withdrawn:
        bulk_update_with_history(
            changed + withdrawn,
            Violation,
            update_fields,
            default_change_reason=reason,
        )
    return {
        "created": len(created),
        "updated": len(changed),
        "withdrawn": len(gone),
    }


def _create(created: list[Violation], reason: str) -> None:
    """The new violations and their first history rows. On PostgreSQL by
    COPY, ids drawn from the table's sequence first: a register's first
    computation creates hundreds of thousands, and Django's bulk_create
    (building and parsing one statement of thousands of placeholders, twice
    with the history) was a fifth of that run."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(created, Violation, default_change_reason=reason)
        return
    from monitoring.batch import insert_rows

    table = Violation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 - our name
            "FROM generate_series(1, %s)",
            [len(created)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    columns = tuple(field.attname for field in Violation._meta.concrete_fields)
    rows = []
    for violation, pk in zip(created, ids, strict=True):
        violation.pk = pk
        rows.append(tuple(getattr(violation, name) for name in columns))
    insert_rows(Violation, columns, rows)
    now = timezone.now()
    insert_rows(
        Violation.history.model,
        (*columns, "history_date", "history_change_reason", "history_type"),
        [(*row, now, reason, "+") for row in rows],
    )


def sync_all(
    as_of: dt.date | None = None, unit_ids: list[int] | None = None, reason: str = ""
) -> dict[str, int]:
    """The nightly pass: every case with an agency deadline that has passed
    (a new violation) or an automatic violation (maybe no longer one)."""
    as_of = as_of or timezone.localdate()
    due_cases = agency_deadlines().filter(
        Q(due__lt=as_of, done__isnull=True) | Q(done__gt=F("due"))
    )
    held = Violation.objects.filter(source=Violation.Source.AUTO)
    if unit_ids is not None:
        due_cases = due_cases.filter(unit_id__in=unit_ids)
        held = held.filter(unit_id__in=unit_ids)
    ids = set(due_cases.values_list("case_id", flat=True))
    ids |= set(held.values_list("case_id", flat=True))
    return sync_cases(sorted(ids), as_of, reason)


def noncompliance(unit_ids: list[int], as_of: dt.date):
    """The convicts' own missed duties (A10, B7b, D8a): escort or a breach
    record is called for, not an agency's violation."""
    return (
        Deadline.objects.filter(
            unit_id__in=unit_ids,
            responsible_kind=CONVICT_KIND,
            case__cancelled_on__isnull=True,
        )
        .overdue(as_of)
        .select_related("case__person", "case__prosecutor")
        .order_by("due")
    )
