"""Demo follow-up for ``seed_demo``: a few actions in each regional unit, so
that a newcomer sees an issued recommendation, a late reply and an answered
one without entering anything."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from cases.models import Unit, User
from documents import services as documents
from documents.models import DocumentStep
from violations import services
from violations.models import Action, Violation


def _agencies_by_count(unit: Unit, today: dt.date) -> list[int]:
    """Bodies by their open violations, among those existing ``today``: a
    court abolished on 01/07/2025 receives no recommendation afterwards
    (its successor answers for the duties due after that day)."""
    rows = (
        Violation.objects.filter(
            Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=today),
            unit=unit,
            state=Violation.State.FOUND,
            agency__isnull=False,
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "agency_id")
    )
    return [row["agency_id"] for row in rows]


def seed_actions(units: list[Unit], today: dt.date) -> int:
    """Per unit: a recommendation answered and accepted, one unanswered past
    its reply date, and a draft; returns how many actions were made."""
    made = 0
    plans = [
        # (days before today it was issued, reply outcome or None, draft?)
        (75, Action.Outcome.ACCEPTED, False),
        (45, None, False),
        (0, None, True),
    ]
    for unit in units:
        leader = User.objects.filter(unit=unit, role=User.Role.LEADER).first()
        clerk = User.objects.filter(unit=unit, role=User.Role.CLERK).first()
        if leader is None or clerk is None or Action.objects.filter(unit=unit).exists():
            continue
        agencies = _agencies_by_count(unit, today)
        for (ago, outcome, draft), agency_id in zip(plans, agencies, strict=False):
            chosen = list(
                Violation.objects.filter(
                    unit=unit, agency_id=agency_id, state=Violation.State.FOUND
                ).order_by("due", "pk")[:6]
            )
            action = services.create_action(
                leader, chosen, kind=Action.Kind.RECOMMENDATION
            )
            made += 1
            if draft:
                continue
            # Issued the one way the product knows: drafted as Mẫu KN, signed
            # by the leader, numbered by the clerk from the unit's sequence.
            issued = today - dt.timedelta(days=ago)
            document = documents.create_action_document(action, leader, issued)
            documents.submit_document(document, leader)
            documents.approve_document(document, leader)
            # Signed on the day it left, as the paper register would show.
            DocumentStep.objects.filter(document=document).update(
                at=timezone.make_aware(dt.datetime.combine(issued, dt.time(9)))
            )
            documents.issue_document(document, clerk, issued, check_date=True)
            action.refresh_from_db()
            services.set_received(action, leader, issued + dt.timedelta(days=2))
            if outcome:
                services.record_reply(
                    action,
                    leader,
                    reply_on=issued + dt.timedelta(days=25),
                    outcome=outcome,
                    note="Đã chấn chỉnh, rút kinh nghiệm và khắc phục các vi phạm.",
                )
    return made
