"""Screens of documents: draft from a case, review, preview, approve, issue,
download, the outgoing register and the templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AuditLog
from audit.services import record_audit
from cases import scoping
from documents import rendering, services
from documents.catalogue import DERIVED, FIELDS, FORMS
from documents.context import (
    basis_notes,
    event_ref,
    form_events,
    initial_fields,
    render_context,
    sample_fields,
)
from documents.forms import (
    CommentForm,
    DocumentFieldsForm,
    IssueForm,
    TemplateUploadForm,
)
from documents.models import Document, FormTemplate
from sothuly import tables
from sothuly.reauth import reauth_required

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _spec(code: str):
    spec = FORMS.get(code)
    if spec is None:
        raise Http404("Không có mẫu này.")
    return spec


def get_document(request, pk: int, *, write: bool = False) -> Document:
    """The document if the user's scope reaches its unit; 404 otherwise, and
    403 for a read-only scope asked to change it."""
    document = (
        Document.objects.filter(
            unit_id__in=scoping.readable_unit_ids(request.user), pk=pk
        )
        .select_related("case__person", "unit", "template", "created_by", "signer")
        .first()
    )
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    if write and not scoping.can_write(request.user, document.unit_id):
        raise PermissionDenied("Bạn chỉ được xem văn bản này.")
    scoping.record_admin_read(request, document.unit_id, document.case)
    return document


def _reviewed(form: DocumentFieldsForm) -> dict:
    """The values the review form shows: as typed after a refused save."""
    return form.data if form.is_bound else form.initial


def draft_new(request, pk, code, event_pk=None):
    """Draft a form for a case; with ``event_pk``, for one event of that case
    (a 71/TH worksheet for one decision), which must be an event the form is
    about, of this very case: any other id is a 404."""
    case = scoping.get_case(request, pk, write=True)
    spec = _spec(code)
    if not services.can_draft(request.user, case.unit_id):
        raise PermissionDenied("Chỉ kiểm sát viên, lãnh đạo đơn vị được soạn văn bản.")
    event = None
    if event_pk is not None:
        event = next((e for e in form_events(case, code) if e.pk == event_pk), None)
        if event is None:
            raise Http404("Hồ sơ không có sự kiện này cho mẫu đã chọn.")
    initial = initial_fields(spec, case, request.user, timezone.localdate(), event)
    if request.method == "POST":
        form = DocumentFieldsForm(request.POST, spec=spec)
        if form.is_valid():
            document = services.create_document(
                case, code, form.field_values(initial), request.user
            )
            messages.success(request, "Đã lưu dự thảo. Xem trước và trình ký.")
            return redirect("documents:detail", pk=document.pk)
    else:
        form = DocumentFieldsForm(initial=initial, spec=spec)
    return render(
        request,
        "documents/document_form.html",
        {
            "case": case,
            "spec": spec,
            "form": form,
            "document": None,
            "violations": initial.get("violations") or [],
            "source_event": event_ref(event) if event is not None else "",
            "basis_notes": basis_notes(spec, _reviewed(form)),
        },
    )


def document_edit(request, pk):
    document = get_document(request, pk, write=True)
    spec = _spec(document.form_code)
    if not services.can_draft(request.user, document.unit_id):
        raise PermissionDenied("Bạn không được sửa văn bản này.")
    if not document.editable:
        messages.error(
            request, "Văn bản đã trình ký hoặc đã phát hành: không sửa được."
        )
        return redirect("documents:detail", pk=document.pk)
    if request.method == "POST":
        form = DocumentFieldsForm(
            request.POST, spec=spec, of_one_case=document.case_id is not None
        )
        if form.is_valid():
            services.update_document(
                document, form.field_values(document.fields), request.user
            )
            messages.success(request, "Đã lưu dự thảo.")
            return redirect("documents:detail", pk=document.pk)
    else:
        form = DocumentFieldsForm(
            initial=document.fields, spec=spec, of_one_case=document.case_id is not None
        )
    return render(
        request,
        "documents/document_form.html",
        {
            "case": document.case,
            "spec": spec,
            "form": form,
            "document": document,
            "violations": document.fields.get("violations") or [],
            "basis_notes": basis_notes(spec, _reviewed(form)),
        },
    )


def _detail_context(request, document: Document, issue_form=None) -> dict:
    spec = _spec(document.form_code)
    user = request.user
    writable = scoping.can_write(user, document.unit_id)
    can_issue = document.state == Document.State.APPROVED and services.can_issue(
        user, document
    )
    if issue_form is None and can_issue:
        issue_form = IssueForm(
            document=document,
            initial={"issued_on": timezone.localdate().strftime("%d/%m/%Y")},
        )
    return {
        "document": document,
        "spec": spec,
        "ctx": services.document_context(document),
        "basis_notes": basis_notes(spec, document.fields)
        if document.state != Document.State.ISSUED
        else [],
        "steps": document.steps.select_related("actor"),
        "can_edit": writable
        and document.editable
        and services.can_draft(user, document.unit_id),
        "can_submit": writable
        and document.editable
        and services.can_draft(user, document.unit_id),
        "can_sign": document.state == Document.State.SUBMITTED
        and services.can_sign(user, document),
        "can_issue": can_issue,
        "comment_form": CommentForm(),
        "issue_form": issue_form,
        "pdf": rendering.pdf_available(),
    }


def document_detail(request, pk):
    document = get_document(request, pk)
    return render(
        request, "documents/document_detail.html", _detail_context(request, document)
    )


def _filename(document: Document, ext: str) -> str:
    # Documents issued before the names carried the issue date are named
    # the same way when downloaded again.
    if document.number and document.issued_on:
        return services.issued_filename(document, ext)
    if document.filename:
        return document.filename.rsplit(".", 1)[0] + f".{ext}"
    return f"{document.form_code}-du-thao-{document.pk}.{ext}"


def download_docx(request, pk):
    document = get_document(request, pk)
    response = HttpResponse(services.document_docx(document), content_type=DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(document, "docx")}"'
    )
    return response


def download_pdf(request, pk):
    document = get_document(request, pk)
    if not rendering.pdf_available():
        raise Http404("Máy chủ chưa cài LibreOffice để xuất PDF.")
    pdf = rendering.docx_to_pdf(services.document_docx(document))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(document, "pdf")}"'
    )
    return response


def _act(request, pk, action):
    document = get_document(request, pk, write=True)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        action(document, comment)
    except services.WrongState as exc:
        messages.error(request, str(exc))
    return redirect("documents:detail", pk=document.pk)


@require_POST
def document_submit(request, pk):
    def act(document, comment):
        services.submit_document(document, request.user, comment, check_basis=True)
        messages.success(request, "Đã trình ký.")

    return _act(request, pk, act)


@require_POST
def document_approve(request, pk):
    def act(document, comment):
        services.approve_document(document, request.user, comment, check_basis=True)
        messages.success(request, "Đã duyệt ký. Văn thư vào sổ và phát hành.")

    return _act(request, pk, act)


@require_POST
def document_return(request, pk):
    def act(document, comment):
        services.return_document(document, request.user, comment)
        messages.success(request, "Đã trả lại dự thảo kèm ý kiến.")

    return _act(request, pk, act)


@require_POST
def document_issue(request, pk):
    """Vào sổ, phát hành; a refused date shows the page again with the
    reason beside the field and the date as typed."""
    document = get_document(request, pk, write=True)
    if not services.can_issue(request.user, document):
        raise PermissionDenied("Chỉ văn thư của đơn vị được phát hành.")
    form = IssueForm(request.POST, document=document)
    if form.is_valid():
        try:
            issued = services.issue_document(
                document,
                request.user,
                form.cleaned_data["issued_on"],
                check_date=True,
            )
        except services.IssueDateRefused as exc:
            form.add_error("issued_on", str(exc))
        except services.WrongState as exc:
            messages.error(request, str(exc))
            return redirect("documents:detail", pk=document.pk)
        else:
            messages.success(request, f"Đã vào sổ, phát hành số {issued.number_text}.")
            return redirect("documents:detail", pk=issued.pk)
    messages.error(request, "Chưa phát hành: kiểm tra ngày phát hành.")
    return render(
        request,
        "documents/document_detail.html",
        _detail_context(request, document, issue_form=form),
        status=400,
    )


def _recipients(document: Document) -> str:
    """The "Nơi nhận" lines, one list, without the template's dashes."""
    lines = (document.fields or {}).get("recipients", "").splitlines()
    return "; ".join(line.strip(" -–;.") for line in lines if line.strip(" -–;."))


OUTGOING_TABLE = tables.Table(
    "Sổ văn bản đi",
    [
        tables.Column("Số, ký hiệu", 22),
        tables.Column("Ngày", 12, "date"),
        tables.Column("Trích yếu", 50),
        tables.Column("Người bị kết án", 26),
        tables.Column("Kính gửi", 40),
        tables.Column("Nơi nhận", 40),
        tables.Column("Người ký", 22),
        tables.Column("Đơn vị", 30),
    ],
    lambda d: [
        d.number_text,
        d.issued_on,
        d.summary,
        d.case.person.full_name if d.case else "",
        (d.fields or {}).get("addressee", ""),
        _recipients(d),
        str(d.signer or ""),
        d.unit.name,
    ],
)


@dataclass
class _Paper:
    """A kiến nghị, kháng nghị or request issued on paper, its number typed
    on the action's page: a line of the outgoing register like a document
    the clerk issued."""

    action: object
    doc_type: str
    number_year: int
    number_text: str
    issued_on: object
    summary: str
    case = None
    fields: dict = field(default_factory=dict)
    signer: str = ""

    @property
    def unit(self):
        return self.action.unit

    def get_absolute_url(self) -> str:
        return reverse("violations:action", args=[self.action.pk])


def _papers(unit_ids, year: int | None = None) -> list[_Paper]:
    from documents.context import action_form_code
    from violations.models import Action

    papers = []
    actions = Action.objects.filter(
        unit_id__in=unit_ids, document__isnull=True, issued_on__isnull=False
    ).select_related("unit")
    for action in actions:
        code = action_form_code(action)
        if code is None:
            continue
        spec = FORMS[code]
        number_year = services.numbering_year(spec.doc_type, action.issued_on)
        if year is not None and number_year != year:
            continue
        papers.append(
            _Paper(
                action=action,
                doc_type=spec.doc_type,
                number_year=number_year,
                number_text=action.number,
                issued_on=action.issued_on,
                summary=_paper_summary(spec, action),
                fields={"addressee": action.addressee},
                signer=action.signer,
            )
        )
    return papers


def _paper_summary(spec, action) -> str:
    """As ``Document.summary`` words a document drafted from an action."""
    about = spec.about
    return f"V/v {about} ({action.addressee})" if action.addressee else f"V/v {about}"


def _register_order(entry) -> tuple:
    head = entry.number_text.partition("/")[0].strip()
    number = int(head) if head.isdigit() else 0
    return (entry.unit.name, entry.doc_type, number, entry.number_text)


@reauth_required(when=tables.wants_export)
def document_list(request):
    """The unit's documents; with ?so=di, its outgoing register, by
    numbering year (the procuracy's year, 1 December to 30 November)."""
    user = request.user
    documents = Document.objects.filter(
        unit_id__in=scoping.readable_unit_ids(user)
    ).select_related("case__person", "unit", "created_by", "signer")
    register = request.GET.get("so") == "di"
    state = request.GET.get("trang-thai", "")
    years, year = [], None
    if register:
        documents = documents.filter(state=Document.State.ISSUED)
        years = sorted(
            (set(documents.values_list("number_year", flat=True)) - {None})
            | {paper.number_year for paper in _papers(scoping.readable_unit_ids(user))},
            reverse=True,
        )
        chosen = request.GET.get("nam", "")
        year = int(chosen) if chosen.isdigit() and int(chosen) in years else None
        if year is None and years:
            year = years[0]
        if year is not None:
            documents = documents.filter(number_year=year)
        documents = sorted(
            [*documents, *_papers(scoping.readable_unit_ids(user), year)],
            key=_register_order,
        )
        if tables.wants_export(request):
            return tables.xlsx_response(
                request,
                OUTGOING_TABLE,
                documents,
                filename="so-van-ban-di",
                heading=[f"Sổ văn bản đi — năm đánh số {year or ''}"],
                target="sổ văn bản đi",
            )
    else:
        if state in Document.State.values:
            documents = documents.filter(state=state)
        documents = documents.order_by("-updated_at")
    scoping.record_admin_read(request, None if user.is_administrator else user.unit_id)
    listing = documents if register else documents[:300]
    return render(
        request,
        "documents/document_list.html",
        {
            "documents": listing,
            "register": register,
            "state": state,
            "states": Document.State.choices,
            "forms": FORMS,
            "years": years,
            "year": year,
            "export_query": tables.export_query(request),
        },
    )


def template_list(request):
    rows = []
    for code, spec in FORMS.items():
        current = services.active_template(code)
        rows.append({"spec": spec, "current": current})
    return render(request, "documents/template_list.html", {"rows": rows})


# Replacing a template changes every document drafted after it: the
# administrator, who alone may upload, confirms their identity first.
@reauth_required(when=lambda request: request.user.is_administrator)
def template_detail(request, code):
    spec = _spec(code)
    user = request.user
    form = None
    if user.is_administrator:
        form = TemplateUploadForm()
        if request.method == "POST":
            form = TemplateUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    template, warnings = services.upload_template(
                        code,
                        upload.read(),
                        upload.name,
                        user,
                        form.cleaned_data["note"],
                    )
                except rendering.TemplateRejected as exc:
                    messages.error(request, f"Mẫu không được nhận: {exc}")
                else:
                    record_audit(
                        AuditLog.Action.TEMPLATE_UPLOADED,
                        request=request,
                        target=f"mẫu {code} phiên bản {template.version}",
                    )
                    messages.success(
                        request, f"Đã nhận mẫu phiên bản {template.version}."
                    )
                    for warning in warnings:
                        messages.warning(request, warning)
                    return redirect("documents:template", code=code)
    elif request.method == "POST":
        raise PermissionDenied("Chỉ quản trị hệ thống được thay mẫu.")
    services.active_template(code)
    sample = render_context(spec, sample_fields(spec), number=5)
    field_rows = [
        {
            "name": key,
            "label": spec.extra_label
            if key == "extra" and spec.extra_label
            else f.label,
            "example": f.example,
            "used": key in spec.fields,
        }
        for key, f in FIELDS.items()
    ] + [
        {"name": key, "label": label, "example": example, "used": True, "derived": True}
        for key, (label, example) in DERIVED.items()
    ]
    return render(
        request,
        "documents/template_detail.html",
        {
            "spec": spec,
            "versions": FormTemplate.objects.filter(code=code).select_related(
                "uploaded_by"
            ),
            "field_rows": field_rows,
            "form": form,
            "sample": sample,
        },
    )


def template_download(request, code, version):
    template = FormTemplate.objects.filter(code=code, version=version).first()
    if template is None:
        raise Http404("Không có phiên bản mẫu này.")
    response = HttpResponse(bytes(template.content), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{code}-v{version}.docx"'
    return response
