"""Which forms a case's state calls for, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.models import CaseStatus, Event, EventKind, ExecutionCase, SentenceKind
from documents import vn
from documents.catalogue import FORMS, FormSpec
from documents.context import (
    DECISION_EVENTS,
    event_ref,
    event_title,
    form_events,
    violations_of,
)

# The request a missed deadline calls for: the court's QĐTHA (A5, A6), the
# escort of a convict who did not report (A10).
OVERDUE_FORMS = {"A5": "09TH", "A6": "09TH", "A10": "11TH"}


@dataclass(frozen=True)
class Offer:
    spec: FormSpec
    reason: str
    # The event the form is drafted for (71/TH, 13/TH, 14/TH), if any.
    event: Event | None = None

    @property
    def title(self) -> str:
        """'Mẫu số 71/TH: Phiếu kiểm sát quyết định hoãn chấp hành án ngày
        05/02/2026': an offer per event must say which event it is for."""
        if self.event is None:
            return f"{self.spec.label}: {self.spec.name}"
        if self.spec.code == "71TH":
            decision = event_title(self.event)
            decision = decision[:1].lower() + decision[1:]
            return (
                f"{self.spec.label}: Phiếu kiểm sát {decision} ngày "
                f"{vn.short_date(self.event.date)}"
            )
        return (
            f"{self.spec.label}: {self.spec.name} "
            f"({event_title(self.event)} ngày {vn.short_date(self.event.date)})"
        )


def settled_forms(kinds: set[str]) -> set[str]:
    """Forms the case's events have made pointless, offered nowhere: the
    request for a QĐTHA (09/TH) once the case has one."""
    settled = set()
    if EventKind.EXECUTION_DECISION_ISSUED in kinds:
        settled.add("09TH")
    return settled


def offers_for(case: ExecutionCase, as_of: dt.date) -> list[Offer]:
    """The forms the case's deadlines and events point to, most urgent first."""
    overdue = {}
    for deadline in case.deadlines.all():
        status = deadline.status(as_of)
        if status.code == "overdue":
            overdue.setdefault(deadline.rule, status.late_days)
    kinds = set(case.events.values_list("kind", flat=True))
    settled = settled_forms(kinds)
    offers: list[Offer] = []

    def offer(code: str, reason: str) -> None:
        offers.append(Offer(FORMS[code], reason))

    def offer_per_event(code: str) -> None:
        for event in form_events(case, code):
            offers.append(Offer(FORMS[code], event_ref(event), event))

    reasons = {
        "A5": "Tòa án ra QĐTHA",
        "A6": "Tòa án ra QĐTHA",
        "A10": "có mặt chấp hành án",
    }
    for rule, code in OVERDUE_FORMS.items():
        if code in settled:
            continue
        if rule in overdue and not any(o.spec.code == code for o in offers):
            offer(
                code,
                f"Thời hạn {rule} ({reasons[rule]}) quá hạn {overdue[rule]} ngày",
            )
    absconded = case.status == CaseStatus.ABSCONDED or (
        EventKind.ABSCONDED in kinds and EventKind.RECAPTURED not in kinds
    )
    if absconded and EventKind.WANTED_NOTICE_ISSUED not in kinds:
        offer("10TH", "Người bị kết án bỏ trốn, chưa có quyết định truy nã")
    if EventKind.ENTRUSTMENT_ISSUED in kinds:
        offer_per_event("13TH")
    if EventKind.ENTRUSTMENT_RECEIVED in kinds:
        offer_per_event("14TH")
    community = case.sentence.kind in {
        SentenceKind.SUSPENDED,
        SentenceKind.NON_CUSTODIAL_REFORM,
    }
    if community and EventKind.EXECUTION_DECISION_ISSUED in kinds:
        offer("26TH", "Án treo / cải tạo không giam giữ đã có QĐTHA")
    if any(kind in kinds for kind, _ in DECISION_EVENTS):
        # One worksheet per decision: each is checked on its own.
        offer_per_event("71TH")
    if case.prosecutor_id is None:
        offer("QDPC", "Hồ sơ chưa phân công kiểm sát viên")
    violations = violations_of(case, as_of)
    if violations:
        count = len(violations)
        offer("KN", f"{count} vi phạm thời hạn của cơ quan, người có trách nhiệm")
        offer("YCTKT", "Có vi phạm: yêu cầu cơ quan tự kiểm tra")
        offer("KNG", "Vi phạm nghiêm trọng: cân nhắc kháng nghị")
    return offers


def other_forms(case: ExecutionCase, offers: list[Offer]) -> list[FormSpec]:
    """The forms under "Soạn mẫu khác": neither offered nor settled."""
    left_out = {o.spec.code for o in offers}
    left_out |= settled_forms(set(case.events.values_list("kind", flat=True)))
    return [spec for code, spec in FORMS.items() if code not in left_out]
