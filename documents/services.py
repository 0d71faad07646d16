"""State changes of documents: draft, submit, approve or return, issue.

Each runs in one transaction and records a DocumentStep. Only issuing takes
a number, from a per-unit, per-type, per-year sequence locked for the rest
of the transaction (the pattern of cases.services.next_register_number).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Agency, ExecutionCase, User
from cases.services import add_event, procuracy_year
from documents import vn
from documents.catalogue import FORMS, FormSpec
from documents.context import initial_fields, render_context, unchecked_basis_note
from documents.models import (
    Document,
    DocumentSequence,
    DocumentStep,
    FormTemplate,
    NumberingScheme,
)
from documents.rendering import check_template, render_docx

logger = logging.getLogger(__name__)

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms_mau"
DRAFTERS = {User.Role.PROSECUTOR, User.Role.LEADER}


class WrongState(Exception):
    """The document is not in a state that allows this step."""


class IssueDateRefused(WrongState):
    """The issue date cannot be the date of this document's number."""


# Roles ----------------------------------------------------------------------


def _same_unit(user: User, document: Document) -> bool:
    return user.unit_id == document.unit_id and not user.is_administrator


def can_draft(user: User, unit_id: int) -> bool:
    return user.unit_id == unit_id and user.role in DRAFTERS


def can_sign(user: User, document: Document) -> bool:
    """Only a leader of the document's own unit approves or returns it."""
    return _same_unit(user, document) and user.role == User.Role.LEADER


def can_issue(user: User, document: Document) -> bool:
    return _same_unit(user, document) and user.role == User.Role.CLERK


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_state(document: Document, *states: str) -> None:
    if document.state not in states:
        raise WrongState(f"Văn bản đang ở trạng thái “{document.get_state_display()}”.")


# Templates ------------------------------------------------------------------


def active_template(code: str) -> FormTemplate:
    """The version new drafts use.

    The shipped default of forms_mau/ becomes version 1 the first time a
    form is used, and a later release's changed default becomes the next
    version, unless an administrator's upload is in use: that one stays
    until replaced by hand.
    """
    spec = FORMS[code]
    shipped = (FORMS_DIR / spec.filename).read_bytes()
    current = FormTemplate.objects.filter(code=code, active=True).first()
    if current is not None and (
        current.uploaded_by_id is not None or bytes(current.content) == shipped
    ):
        return current
    last = FormTemplate.objects.filter(code=code).order_by("-version").first()
    FormTemplate.objects.filter(code=code, active=True).update(active=False)
    template, _ = FormTemplate.objects.get_or_create(
        code=code,
        version=(last.version + 1) if last else 1,
        defaults={
            "title": f"{spec.label}: {spec.name}",
            "instrument": spec.instrument,
            "content": shipped,
            "filename": spec.filename,
            "note": "Mẫu mặc định (dựng lại)",
        },
    )
    return template


@transaction.atomic
def upload_template(
    code: str, content: bytes, filename: str, user: User, note: str = ""
) -> tuple[FormTemplate, list[str]]:
    """Accept a replacement template after rendering it against sample data;
    a refused one raises TemplateRejected and leaves the current one."""
    spec = FORMS[code]
    warnings = check_template(spec, content)
    previous = active_template(code)
    last = (
        FormTemplate.objects.select_for_update()
        .filter(code=code)
        .order_by("-version")
        .first()
    )
    FormTemplate.objects.filter(code=code, active=True).update(active=False)
    template = FormTemplate.objects.create(
        code=code,
        title=previous.title,
        instrument=previous.instrument,
        version=last.version + 1,
        content=content,
        filename=filename[:200],
        uploaded_by=user,
        note=note[:300],
    )
    logger.info("Template %s version %s uploaded", code, template.version)
    return template, warnings


# Drafting -------------------------------------------------------------------


def draft_fields(code: str, case: ExecutionCase, user: User, day: dt.date) -> dict:
    return initial_fields(FORMS[code], case, user, day)


@transaction.atomic
def create_document(
    case: ExecutionCase, code: str, fields: dict, user: User
) -> Document:
    _require(
        can_draft(user, case.unit_id),
        "Chỉ kiểm sát viên, lãnh đạo của đơn vị được soạn văn bản.",
    )
    spec = FORMS[code]
    document = Document.objects.create(
        unit_id=case.unit_id,
        case=case,
        form_code=code,
        template=active_template(code),
        fields=fields,
        doc_type=spec.doc_type,
        created_by=user,
    )
    _step(document, user, DocumentStep.Action.CREATED)
    return document


@transaction.atomic
def create_action_document(action, user: User, day: dt.date) -> Document:
    """The recommendation, protest or self-inspection request of an action
    (violations/), drafted from its violations; issuing it issues the
    action."""
    from documents.context import action_fields, action_form_code

    _require(
        can_draft(user, action.unit_id),
        "Chỉ kiểm sát viên, lãnh đạo của đơn vị được soạn văn bản.",
    )
    code = action_form_code(action)
    if code is None:
        raise WrongState("Yêu cầu này không có mẫu văn bản: dùng bản in.")
    if action.document_id is not None:
        raise WrongState("Văn bản này đã được soạn.")
    spec = FORMS[code]
    document = Document.objects.create(
        unit_id=action.unit_id,
        case=None,
        form_code=code,
        template=active_template(code),
        fields=action_fields(spec, action, user, day),
        doc_type=spec.doc_type,
        created_by=user,
    )
    _step(document, user, DocumentStep.Action.CREATED)
    action.document = document
    action._change_reason = "Soạn văn bản"
    action.save(update_fields=["document"])
    return document


@transaction.atomic
def update_document(document: Document, fields: dict, user: User) -> Document:
    _require(can_draft(user, document.unit_id), "Bạn không được sửa văn bản này.")
    _require_state(document, Document.State.DRAFT, Document.State.RETURNED)
    document.fields = fields
    # A draft moves to the template now in use; issued documents never do.
    document.template = active_template(document.form_code)
    document.save(update_fields=["fields", "template", "updated_at"])
    _step(document, user, DocumentStep.Action.EDITED)
    return document


def _require_checked_basis(document: Document, refused: str) -> None:
    """A basis line naming the 2025 Law on Execution without its article
    is a placeholder the review page asks to fill in before submitting:
    such a document is neither submitted nor approved."""
    note = unchecked_basis_note(FORMS[document.form_code], document.fields)
    if note:
        raise WrongState(f"{refused} {note}")


@transaction.atomic
def submit_document(
    document: Document, user: User, comment: str = "", *, check_basis: bool = False
) -> Document:
    """Trình ký. With ``check_basis`` (the screens), a legal basis still
    without its article is refused. Without it, the caller answers for the
    bases: the demo seeds recommendations dated after 01/07/2026 as drafted,
    with the 2025 law named alone; once it fills in the article, the check
    belongs here unconditionally."""
    _require(can_draft(user, document.unit_id), "Bạn không được trình ký văn bản này.")
    _require_state(document, Document.State.DRAFT, Document.State.RETURNED)
    if check_basis:
        _require_checked_basis(document, "Chưa trình ký.")
    return _move(document, user, Document.State.SUBMITTED, comment)


@transaction.atomic
def approve_document(
    document: Document, user: User, comment: str = "", *, check_basis: bool = False
) -> Document:
    """Duyệt ký; ``check_basis`` as for submit_document."""
    _require(can_sign(user, document), "Chỉ lãnh đạo đơn vị được duyệt ký.")
    _require_state(document, Document.State.SUBMITTED)
    if check_basis:
        _require_checked_basis(
            document,
            "Chưa duyệt ký: trả lại dự thảo để Kiểm sát viên bổ sung căn cứ.",
        )
    document.signer = user
    if not (document.fields.get("signer_name") or "").strip():
        document.fields["signer_name"] = vn.name_case(str(user))
    document.save(update_fields=["signer", "fields", "updated_at"])
    return _move(document, user, Document.State.APPROVED, comment)


@transaction.atomic
def return_document(document: Document, user: User, comment: str) -> Document:
    _require(can_sign(user, document), "Chỉ lãnh đạo đơn vị được trả lại văn bản.")
    _require_state(document, Document.State.SUBMITTED)
    if not comment.strip():
        raise WrongState("Ghi ý kiến khi trả lại văn bản.")
    return _move(document, user, Document.State.RETURNED, comment)


def numbering_year(doc_type: str, day: dt.date) -> int:
    scheme = NumberingScheme.objects.filter(doc_type=doc_type).first()
    if scheme and scheme.year == NumberingScheme.Year.CALENDAR:
        return day.year
    return procuracy_year(day)


def next_document_number(unit_id: int, doc_type: str, year: int) -> int:
    """The next number of the unit's type and year, without gaps: the row
    stays locked until the issuing transaction ends, and a rolled-back
    issue gives its number back."""
    sequence = _locked_sequence(unit_id, doc_type, year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _locked_sequence(unit_id: int, doc_type: str, year: int) -> DocumentSequence:
    DocumentSequence.objects.get_or_create(
        unit_id=unit_id, doc_type=doc_type, year=year
    )
    return DocumentSequence.objects.select_for_update().get(
        unit_id=unit_id, doc_type=doc_type, year=year
    )


def _taken_by_an_action(document: Document, number: int, year: int) -> bool:
    """Whether a kiến nghị or kháng nghị recorded by hand (issued on paper,
    its number typed on the action's page) already holds this number."""
    from violations.models import Action

    suffix = document.fields.get("symbol_suffix", "")
    symbol = f"{document.doc_type}-{suffix}".rstrip("-")
    return Action.objects.filter(
        unit_id=document.unit_id,
        document__isnull=True,
        number__iexact=f"{number:02d}/{symbol}",
        issued_on__range=_numbering_range(document.doc_type, year),
    ).exists()


def _numbering_range(doc_type: str, year: int) -> tuple[dt.date, dt.date]:
    scheme = NumberingScheme.objects.filter(doc_type=doc_type).first()
    if scheme and scheme.year == NumberingScheme.Year.CALENDAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year - 1, 12, 1), dt.date(year, 11, 30)


def reserve_typed_number(unit_id: int, doc_type: str, number: str, day: dt.date):
    """A number typed for a paper issued outside the register ("05/KN-VKSKV1"
    of type KN): the unit's sequence moves past it, so the next document
    the clerk issues does not take it again."""
    head, _, symbol = number.partition("/")
    kind = symbol.split("-")[0].strip().upper()
    if not head.strip().isdigit() or kind != doc_type.upper():
        return
    sequence = _locked_sequence(unit_id, doc_type, numbering_year(doc_type, day))
    if int(head) > sequence.last_number:
        sequence.last_number = int(head)
        sequence.save(update_fields=["last_number"])


def approval_date(document: Document) -> dt.date | None:
    """The day the leader approved the document (its "Duyệt ký" step)."""
    step = (
        document.steps.filter(action=DocumentStep.Action.APPROVED)
        .order_by("-at", "-pk")
        .first()
    )
    return timezone.localdate(step.at) if step is not None else None


def last_issued(unit_id: int, doc_type: str, year: int) -> Document | None:
    """The issued document of the numbering thread with the latest date."""
    return (
        Document.objects.filter(
            unit_id=unit_id,
            doc_type=doc_type,
            number_year=year,
            state=Document.State.ISSUED,
            issued_on__isnull=False,
        )
        .order_by("-issued_on", "-number")
        .first()
    )


def _thread_problem(document: Document, day: dt.date) -> str | None:
    # The outgoing register lists a thread by number: a later number dated
    # before an earlier one would read as issued out of order.
    year = numbering_year(document.doc_type, day)
    last = last_issued(document.unit_id, document.doc_type, year)
    if last is None or last.pk == document.pk or day >= last.issued_on:
        return None
    return (
        "Số sau không thể mang ngày trước số trước: số "
        f"{last.number_text} đã phát hành ngày {vn.short_date(last.issued_on)}. "
        "Chọn ngày phát hành từ ngày đó trở đi."
    )


def issue_date_problem(document: Document, day: dt.date) -> str | None:
    """Why ``day`` cannot be the document's issue date, or None.

    A number is given on the day the document leaves: never after today,
    never before the leader approved it, never before the date of the last
    number of the same unit, type and numbering year.
    """
    if day > timezone.localdate():
        return "Ngày phát hành chưa đến: không được sau ngày hôm nay."
    approved = approval_date(document)
    if approved is not None and day < approved:
        return (
            f"Văn bản được duyệt ký ngày {vn.short_date(approved)}: ngày phát "
            "hành không được trước ngày duyệt ký."
        )
    return _thread_problem(document, day)


def issue_date_hint(document: Document) -> str:
    """The earliest issue date allowed in today's numbering year, and why,
    for the issuing form."""
    today = timezone.localdate()
    bounds = []
    approved = approval_date(document)
    if approved is not None:
        bounds.append((approved, "ngày duyệt ký"))
    year = numbering_year(document.doc_type, today)
    last = last_issued(document.unit_id, document.doc_type, year)
    if last is not None:
        bounds.append((last.issued_on, f"ngày của số trước {last.number_text}"))
    if not bounds:
        return "Không được sau ngày hôm nay."
    day, reason = max(bounds, key=lambda bound: bound[0])
    return f"Từ ngày {vn.short_date(day)} ({reason}) đến hôm nay."


def issued_filename(document: Document, ext: str = "docx") -> str:
    """'09TH-so-01-ngay-05-12-2026.docx': the number and the issue date.

    Not the numbering year: from 1 December a procuracy-year counter runs
    in next year's sequence (01/2027 for a document of 05/12/2026), and a
    clerk filing by the year in the name would put it a year off. ASCII, so
    that every browser and file system keeps the name.
    """
    return (
        f"{document.form_code}-so-{document.number:02d}-ngay-"
        f"{document.issued_on:%d-%m-%Y}.{ext}"
    )


@transaction.atomic
def issue_document(
    document: Document, user: User, day: dt.date, *, check_date: bool = False
) -> Document:
    """Vào sổ, phát hành: number the approved document, render the final
    file, and record it on the case.

    With ``check_date`` (the issuing screen, and the demo's seed), ``day``
    is refused as issue_date_problem says, checked again with the thread's
    sequence locked. Without it, the caller answers for the date: tests
    that issue on a fixed past day a document approved today; once they
    back-date the approval, the check belongs here unconditionally.
    """
    _require(can_issue(user, document), "Chỉ văn thư của đơn vị được phát hành.")
    # Re-read under lock: two clerks pressing at once issue it only once.
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require_state(document, Document.State.APPROVED)
    spec = FORMS[document.form_code]

    year = numbering_year(document.doc_type, day)
    number = next_document_number(document.unit_id, document.doc_type, year)
    while _taken_by_an_action(document, number, year):
        number = next_document_number(document.unit_id, document.doc_type, year)
    # With the sequence locked, a clerk issuing at the same moment cannot
    # slip an earlier-dated number in between; a refusal gives the number
    # back with the rest of the transaction.
    problem = issue_date_problem(document, day) if check_date else None
    if problem:
        raise IssueDateRefused(problem)
    suffix = document.fields.get("symbol_suffix", "")
    document.symbol = f"{document.doc_type}-{suffix}".rstrip("-")
    document.number = number
    document.number_year = year
    document.issued_on = day
    document.issued_by = user
    document.fields["doc_date"] = vn.short_date(day)
    document.content = render_docx(
        bytes(document.template.content),
        render_context(spec, document.fields, number=number, symbol=document.symbol),
    )
    document.filename = issued_filename(document)
    document.state = Document.State.ISSUED
    document.save(
        update_fields=[
            "symbol",
            "number",
            "number_year",
            "issued_on",
            "issued_by",
            "fields",
            "content",
            "filename",
            "state",
            "updated_at",
        ]
    )
    _step(document, user, DocumentStep.Action.ISSUED, document.number_text)
    _record_on_case(document, spec, user)
    _issue_action(document, user)
    return document


def _issue_action(document: Document, user: User) -> None:
    """A document drafted from an action issues that action: its violations
    are included and the reply deadline starts."""
    from violations import services as violations
    from violations.models import Action

    action = Action.objects.filter(document=document).first()
    if action is None or action.state != Action.State.DRAFT:
        return
    try:
        violations.issue_action(
            action,
            user,
            number=document.number_text,
            issued_on=document.issued_on,
            signer=str(document.signer or ""),
        )
    except ValidationError as error:
        # Rolls the issue back with the reason, like any refused step.
        raise WrongState(" ".join(error.messages)) from error


def _record_on_case(document: Document, spec: FormSpec, user: User) -> None:
    """A request, recommendation or protest is an event of the case: it
    starts the addressee's deadline to answer (J2, J4, J6)."""
    if not spec.event_kind or document.case is None:
        return
    agency = None
    agency_id = document.fields.get("addressee_agency_id")
    if agency_id:
        agency = Agency.objects.filter(pk=agency_id).first()
    add_event(
        document.case,
        kind=spec.event_kind,
        date=document.issued_on,
        number=document.number_text,
        agency=agency,
        details=dict(spec.event_details),
        note=f"{spec.label}: {spec.subject}"[:500],
        user=user,
    )


def _move(document: Document, user: User, state: str, comment: str) -> Document:
    document.state = state
    document.comments = comment.strip()
    document.save(update_fields=["state", "comments", "updated_at"])
    action = {
        Document.State.SUBMITTED: DocumentStep.Action.SUBMITTED,
        Document.State.APPROVED: DocumentStep.Action.APPROVED,
        Document.State.RETURNED: DocumentStep.Action.RETURNED,
    }[state]
    _step(document, user, action, comment)
    return document


def _step(document: Document, user: User, action: str, comment: str = "") -> None:
    DocumentStep.objects.create(
        unit_id=document.unit_id,
        document=document,
        actor=user,
        action=action,
        comment=comment.strip(),
    )


def document_context(document: Document) -> dict:
    spec = FORMS[document.form_code]
    return render_context(
        spec, document.fields, number=document.number, symbol=document.symbol
    )


def document_docx(document: Document) -> bytes:
    """The issued file as it was issued; a draft rendered now, unnumbered."""
    if document.state == Document.State.ISSUED and document.content:
        return bytes(document.content)
    return render_docx(bytes(document.template.content), document_context(document))
