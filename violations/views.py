"""The violations page, manual violations and the actions that cite them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import scoping
from cases.models import Agency, ExecutionCase, Unit, User
from documents import services as documents
from documents.catalogue import THAHS_2025_FROM, LawOnExecution
from documents.context import action_form_code
from sothuly import tables
from sothuly.params import as_ids
from sothuly.reauth import reauth_required
from violations import services, sync
from violations.forms import (
    ActionCreateForm,
    ActionEditForm,
    IssueForm,
    ManualViolationForm,
    NoteForm,
    ReceivedForm,
    ReplyForm,
    ViolationFilterForm,
)
from violations.models import Action, Violation

PAGE_SIZE = 50
OPEN_STATES = [Violation.State.FOUND, Violation.State.INCLUDED]


def _units(user: User) -> list[Unit]:
    return list(
        Unit.objects.filter(pk__in=scoping.readable_unit_ids(user)).order_by(
            "level", "code"
        )
    )


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _violations_in_scope(request):
    return Violation.objects.filter(
        unit_id__in=scoping.readable_unit_ids(request.user)
    ).select_related("case__person", "case__unit", "case__judgment", "agency", "action")


def _get_violation(request, pk: int, *, write: bool = False) -> Violation:
    violation = _violations_in_scope(request).filter(pk=pk).first()
    if violation is None:
        raise Http404("Không tìm thấy vi phạm.")
    if write and not scoping.can_write(request.user, violation.unit_id):
        raise PermissionDenied("Bạn chỉ được xem vi phạm này, không được sửa.")
    scoping.record_admin_read(request, violation.unit_id, violation.case)
    return violation


def _get_action(request, pk: int, *, write: bool = False) -> Action:
    action = (
        Action.objects.filter(
            unit_id__in=scoping.readable_unit_ids(request.user), pk=pk
        )
        .select_related("agency", "unit", "created_by", "document")
        .first()
    )
    if action is None:
        raise Http404("Không tìm thấy văn bản.")
    if write and not scoping.can_write(request.user, action.unit_id):
        raise PermissionDenied("Bạn chỉ được xem văn bản này, không được sửa.")
    scoping.record_admin_read(request, action.unit_id)
    return action


def _rule_order(code: str) -> tuple:
    """A4, A4b, A5 … A10, B3: letters, then the number, then the rest."""
    head = code.split("-")[-1]
    letters = "".join(c for c in head if c.isalpha() and not c.isdigit())[:1]
    digits = "".join(c for c in head[1:] if c.isdigit())
    return (code.startswith("R-"), letters, int(digits or 0), code)


def _filtered(request, units):
    """The violations the filters select, and the bound filter form."""
    unit_ids = [unit.pk for unit in units]
    violations = _violations_in_scope(request).filter(unit_id__in=unit_ids)
    agencies = Agency.objects.filter(
        pk__in=Violation.objects.filter(unit_id__in=unit_ids)
        .exclude(agency=None)
        .values("agency_id")
    ).order_by("kind", "name")
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = "open"
    rules = sorted(
        set(
            Violation.objects.filter(unit_id__in=unit_ids)
            .exclude(rule="")
            .values_list("rule", flat=True)
            .distinct()
        ),
        key=_rule_order,
    )
    form = ViolationFilterForm(data, agencies=agencies, units=units, rules=rules)
    form.is_valid()
    clean = {name: form.cleaned_data.get(name) for name in form.fields}
    if clean["unit"]:
        if int(clean["unit"]) not in unit_ids:
            raise Http404("Không tìm thấy đơn vị.")
        violations = violations.filter(unit_id=int(clean["unit"]))
    if request.user.is_administrator:
        scoping.record_admin_read(
            request, int(clean["unit"]) if clean["unit"] else None
        )
    if clean["agency"]:
        violations = violations.filter(agency=clean["agency"])
    if clean["rule"]:
        violations = violations.filter(rule=clean["rule"])
    if clean["state"] == "open":
        violations = violations.filter(state__in=OPEN_STATES)
    elif clean["state"]:
        violations = violations.filter(state=clean["state"])
    if clean["source"]:
        violations = violations.filter(source=clean["source"])
    if clean["date_from"]:
        violations = violations.filter(
            Q(due__gte=clean["date_from"])
            | Q(due=None, found_on__gte=clean["date_from"])
        )
    if clean["date_to"]:
        violations = violations.filter(
            Q(due__lte=clean["date_to"]) | Q(due=None, found_on__lte=clean["date_to"])
        )
    return violations, form, clean


EXPORT = tables.Table(
    "Vi phạm",
    [
        tables.Column("Cơ quan vi phạm", 36),
        tables.Column("Quy tắc", 8),
        tables.Column("Nội dung vi phạm", 44),
        tables.Column("Điều luật bị vi phạm", 32),
        tables.Column("Hạn", 12, "date"),
        tables.Column("Ngày thực hiện", 12, "date"),
        tables.Column("Số ngày chậm", 10, "int"),
        tables.Column("Người bị kết án", 26),
        tables.Column("Số thụ lý", 12),
        tables.Column("Lần trong năm công tác", 10, "int"),
        tables.Column("Cách phát hiện", 18),
        tables.Column("Trạng thái", 20),
        tables.Column("Văn bản", 20),
    ],
    lambda v: [
        v.agency_name,
        v.rule,
        v.title,
        v.basis,
        v.due,
        v.done,
        v.days_late if v.due else None,
        v.case.person.full_name,
        v.case.register_number,
        v.rank or None,
        v.get_source_display(),
        v.get_state_display(),
        str(v.action) if v.action_id else "",
    ],
)


def _annotated(violations, today):
    """Rows with their rank in the year and days late (read once); a
    judgment's duty (A4, A4b) with the number of the judgment's convicts,
    the violation standing for all of them."""
    rows = list(violations)
    ranks = services.repeat_ranks(rows)
    per_judgment = sync.judgment_rules()
    judgment_ids = {row.case.judgment_id for row in rows if row.rule in per_judgment}
    convicts = {}
    if judgment_ids:
        convicts = dict(
            ExecutionCase.objects.filter(
                judgment_id__in=judgment_ids, cancelled_on__isnull=True
            )
            .order_by()
            .values("judgment_id")
            .annotate(n=Count("pk"))
            .values_list("judgment_id", "n")
        )
    for violation in rows:
        violation.rank = ranks.get(violation.pk, 0)
        violation.days_late = violation.late_days(today)
        violation.judgment_convicts = (
            convicts.get(violation.case.judgment_id, 0)
            if violation.rule in per_judgment
            else 0
        )
    return rows


@reauth_required(when=tables.wants_export)
def violation_list(request):
    """Violations of the unit, grouped by agency, repetitions flagged."""
    units = _units(request.user)
    violations, form, clean = _filtered(request, units)
    today = timezone.localdate()
    ordered = violations.order_by("agency__name", "responsible", "due", "pk")
    if clean["repeated"]:
        ranks = services.repeat_ranks(list(ordered))
        ordered = ordered.filter(pk__in=[pk for pk, rank in ranks.items() if rank > 1])
    if tables.wants_export(request):
        return tables.xlsx_response(
            request,
            EXPORT,
            _annotated(ordered[: tables.MAX_EXPORT_ROWS], today),
            filename="vi-pham",
            heading=[
                "Tập hợp vi phạm trong thi hành án hình sự",
                f"Tính đến ngày {today:%d/%m/%Y}; số ngày chậm tính theo ngày lịch.",
            ],
        )
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _annotated(page.object_list, today)
    groups = (
        ordered.order_by()
        .values("agency_id", "agency__name")
        .annotate(
            total=Count("pk"),
            found=Count("pk", filter=Q(state=Violation.State.FOUND)),
        )
        .order_by("-total", "agency__name")
    )
    writable = scoping.writable_unit_ids(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "violations/violation_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
            "export_query": tables.export_query(request),
            "groups": groups[:15],
            "groups_more": max(0, groups.count() - 15),
            "many_units": len(units) > 1,
            "can_act": bool(writable),
            "writable_ids": writable,
            "today": today,
            "unit_ids": [unit.pk for unit in units],
            "noncompliance_count": sync.noncompliance(
                [u.pk for u in units], today
            ).count(),
        },
    )


def noncompliance(request):
    """Convicts who did not report when required: escort or a breach record
    is called for (not an agency's violation)."""
    units = _units(request.user)
    unit_ids = [unit.pk for unit in units]
    if request.user.is_administrator:
        scoping.record_admin_read(request, None)
    today = timezone.localdate()
    deadlines = sync.noncompliance(unit_ids, today)
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for deadline in rows:
        status = deadline.status(today)
        deadline.status_code, deadline.late_days = status.code, status.late_days
    page.object_list = rows
    return render(
        request,
        "violations/noncompliance.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": "",
            "today": today,
            "many_units": len(units) > 1,
        },
    )


def violation_detail(request, violation_pk: int):
    violation = _get_violation(request, violation_pk)
    history = violation.history.select_related("history_user").order_by(
        "-history_date"
    )[:30]
    return render(
        request,
        "violations/violation_detail.html",
        {
            "v": violation,
            "days_late": violation.late_days(timezone.localdate()),
            "history": history,
            "can_write": scoping.can_write(request.user, violation.unit_id),
            "close_form": NoteForm(),
        },
    )


def violation_add(request, pk: int):
    """A prosecutor records a violation found by checking a decision."""
    case = scoping.get_case(request, pk, write=True)
    if case.cancelled_on:
        messages.error(request, "Hồ sơ đã bị hủy nhập, không ghi nhận vi phạm.")
        return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        form = ManualViolationForm(request.POST, case=case)
        if form.is_valid():
            data = form.cleaned_data
            try:
                violation = services.add_manual(case, request.user, **data)
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(
                    request, f"Đã ghi nhận vi phạm của {violation.agency_name}."
                )
                return redirect(reverse("cases:detail", args=[case.pk]) + "#vi-pham")
    else:
        form = ManualViolationForm(
            initial={"found_on": timezone.localdate()}, case=case
        )
    return render(
        request, "violations/violation_form.html", {"case": case, "form": form}
    )


@require_POST
def violation_close(request, violation_pk: int):
    violation = _get_violation(request, violation_pk, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần ghi lý do kết thúc vi phạm.")
    elif not violation.open:
        messages.error(request, "Vi phạm này đã kết thúc.")
    else:
        services.close_violation(violation, request.user, form.cleaned_data["note"])
        messages.success(request, "Đã kết thúc vi phạm.")
    return redirect("violations:detail", violation_pk=violation.pk)


# Actions ---------------------------------------------------------------------


def _selectable(request):
    return _violations_in_scope(request).filter(
        unit_id__in=scoping.writable_unit_ids(request.user),
        state=Violation.State.FOUND,
        action=None,
    )


def action_new(request):
    """Step 2 of "lập văn bản": the chosen violations and the action's kind.
    The list posts the chosen ids here; nothing is saved until confirmed."""
    if not scoping.writable_unit_ids(request.user):
        raise PermissionDenied("Bạn không được lập văn bản.")
    if request.method != "POST":
        return redirect("violations:list")
    selectable = _selectable(request)
    posted = request.POST.copy()
    posted.setlist("violations", as_ids(posted.getlist("violations")[:500]))
    form = ActionCreateForm(posted, violations=selectable)
    chosen = selectable.filter(pk__in=posted.getlist("violations"))
    if "confirm" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                request.user,
                list(data["violations"]),
                kind=data["kind"],
                target=data["target"],
                self_inspection=data["self_inspection"],
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                f"Đã lập dự thảo {action.get_kind_display().lower()} gửi "
                f"{action.agency.name}.",
            )
            return redirect("violations:action", action_pk=action.pk)
    elif "confirm" not in request.POST:
        form = ActionCreateForm(
            initial={"violations": list(chosen)}, violations=selectable
        )
        if not chosen:
            messages.error(request, "Chọn ít nhất một vi phạm để đưa vào văn bản.")
            return redirect("violations:list")
    agencies = {v.agency_id for v in chosen}
    return render(
        request,
        "violations/action_new.html",
        {
            "form": form,
            "chosen": chosen.order_by("due", "pk"),
            "mixed_agencies": len(agencies) > 1 or None in agencies,
            "today": timezone.localdate(),
        },
    )


def action_list(request):
    units = _units(request.user)
    unit_ids = [unit.pk for unit in units]
    if request.user.is_administrator:
        scoping.record_admin_read(request, None)
    today = timezone.localdate()
    actions = (
        Action.objects.filter(unit_id__in=unit_ids)
        .select_related("agency", "unit")
        .annotate(count=Count("violations"))
        .order_by("-created_at", "-pk")
    )
    state = request.GET.get("state", "")
    if state in Action.State.values:
        actions = actions.filter(state=state)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for action in rows:
        action.reply = services.reply_status(action, today)
    page.object_list = rows
    return render(
        request,
        "violations/action_list.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": f"state={state}" if state else "",
            "state": state,
            "states": Action.State.choices,
            "many_units": len(units) > 1,
        },
    )


# The article each kind of action asks a reply under (Luật THAHS 2019).
REPLY_ARTICLES = {
    Action.Kind.RECOMMENDATION: "Điều 169 khoản 5",
    Action.Kind.PROTEST: "Điều 169 khoản 4",
    Action.Kind.REQUEST: "Điều 169 khoản 1",
}


def _action_context(request, action: Action, **forms):
    today = timezone.localdate()
    dated = action.issued_on or today
    violations = list(
        action.violations.select_related("case__person", "agency").order_by("due", "pk")
    )
    for violation in violations:
        violation.days_late = violation.late_days(action.issued_on or today)
    can_write = scoping.can_write(request.user, action.unit_id)
    context = {
        "action": action,
        "violations": violations,
        "reply": services.reply_status(action, today),
        "next_steps": services.next_steps(action),
        "can_write": can_write,
        "can_issue": can_write
        and request.user.role in {User.Role.LEADER, User.Role.CLERK},
        "edit_form": ActionEditForm(instance=action),
        "issue_form": IssueForm(initial={"issued_on": today, "signer": ""}),
        "received_form": ReceivedForm(),
        "reply_form": ReplyForm(),
        "close_form": NoteForm(),
        "history": action.history.select_related("history_user").order_by(
            "-history_date"
        )[:30],
        "today": today,
        "content_lines": [line for line in action.content.splitlines() if line],
        # The law in force on the paper's date; the 2025 law's article is not
        # verified (legal-rules.md Q10), so it is cited without one.
        "reply_basis": LawOnExecution(REPLY_ARTICLES[action.kind]).cite(dated),
        "reply_basis_unchecked": dated >= THAHS_2025_FROM,
        "form_code": action_form_code(action),
        "can_draft": can_write and documents.can_draft(request.user, action.unit_id),
    }
    context.update(forms)
    return context


def action_detail(request, action_pk: int):
    action = _get_action(request, action_pk)
    return render(
        request, "violations/action_detail.html", _action_context(request, action)
    )


def action_print(request, action_pk: int):
    """The action's content as a printable page (the .docx comes from the
    documents feature)."""
    action = _get_action(request, action_pk)
    return render(
        request, "violations/action_print.html", _action_context(request, action)
    )


def _post_action(request, action_pk: int, form_class, form_name: str, apply, done: str):
    """The common shape of the action page's forms: validate, apply, and on
    error show the page again with what was typed."""
    action = _get_action(request, action_pk, write=True)
    if request.method != "POST":
        return redirect("violations:action", action_pk=action.pk)
    form = form_class(
        request.POST, **({"instance": action} if form_class is ActionEditForm else {})
    )
    if form.is_valid():
        try:
            apply(action, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, done)
            return redirect("violations:action", action_pk=action.pk)
    messages.error(request, "Chưa lưu: kiểm tra các ô được đánh dấu đỏ.")
    context = _action_context(request, action, **{form_name: form})
    return render(request, "violations/action_detail.html", context, status=400)


def action_edit(request, action_pk: int):
    def apply(action, data):
        services.edit_action(
            action,
            request.user,
            addressee=data["addressee"],
            content=data["content"],
        )

    return _post_action(
        request, action_pk, ActionEditForm, "edit_form", apply, "Đã lưu dự thảo."
    )


def action_issue(request, action_pk: int):
    def apply(action, data):
        services.issue_action(action, request.user, **data)

    return _post_action(
        request,
        action_pk,
        IssueForm,
        "issue_form",
        apply,
        "Đã ghi nhận việc ban hành.",
    )


def action_received(request, action_pk: int):
    def apply(action, data):
        services.set_received(action, request.user, data["received_on"])

    return _post_action(
        request,
        action_pk,
        ReceivedForm,
        "received_form",
        apply,
        "Đã ghi ngày cơ quan nhận; hạn trả lời được tính lại.",
    )


def action_reply(request, action_pk: int):
    def apply(action, data):
        services.record_reply(
            action,
            request.user,
            reply_on=data["reply_on"],
            outcome=data["outcome"],
            note=data["note"],
        )

    return _post_action(
        request, action_pk, ReplyForm, "reply_form", apply, "Đã ghi nhận trả lời."
    )


def action_close(request, action_pk: int):
    def apply(action, data):
        services.close_action(action, request.user, data["note"])

    return _post_action(
        request,
        action_pk,
        NoteForm,
        "close_form",
        apply,
        "Đã kết thúc theo dõi văn bản.",
    )


@require_POST
def action_document(request, action_pk: int):
    """Drafts the action's official document (Mẫu KN, KNG or YCTKT), which
    then goes through review, signature and numbering like any other."""
    action = _get_action(request, action_pk, write=True)
    if action.document_id is None:
        try:
            documents.create_action_document(action, request.user, timezone.localdate())
        except (documents.WrongState, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("violations:action", action_pk=action.pk)
        messages.success(
            request, "Đã soạn dự thảo văn bản. Rà soát, trình ký và phát hành."
        )
    return redirect("documents:detail", pk=action.document_id)


@require_POST
def action_discard(request, action_pk: int):
    action = _get_action(request, action_pk, write=True)
    try:
        services.discard_action(action, request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("violations:action", action_pk=action.pk)
    messages.success(request, "Đã hủy dự thảo; các vi phạm được trả lại danh sách.")
    return redirect("violations:list")


@require_POST
def action_remove(request, action_pk: int, violation_pk: int):
    action = _get_action(request, action_pk, write=True)
    violation = action.violations.filter(pk=violation_pk).first()
    if violation is None:
        raise Http404("Vi phạm không thuộc văn bản này.")
    try:
        services.remove_violation(action, violation, request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Đã bỏ vi phạm khỏi dự thảo.")
    return redirect("violations:action", action_pk=action.pk)
