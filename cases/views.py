"""Screens of the register: dashboard, case list, entry flow, case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.models import AuditLog
from audit.services import record_audit
from cases import history, scoping, services, vnsort
from cases.forms import (
    EVENT_GROUPS,
    AssignForm,
    CancelCaseForm,
    CaseFilterForm,
    ConvictFormSet,
    CoverForm,
    EventForm,
    JudgmentForm,
    ObligationsForm,
)
from cases.models import (
    CaseStatus,
    Cover,
    Crime,
    Event,
    EventKind,
    ExecutionCase,
    Unit,
    User,
)
from monitoring import jobs
from monitoring import services as monitoring_services
from monitoring.forms import OverrideForm
from monitoring.models import DateChange, Deadline
from sothuly import tables
from sothuly.params import as_id
from sothuly.reauth import reauth_required

PAGE_SIZE = 50
CLOSED_STATUSES = [CaseStatus.COMPLETED, CaseStatus.TERMINATED, CaseStatus.TRANSFERRED]


def _readable_units(user: User):
    return Unit.objects.filter(pk__in=scoping.readable_unit_ids(user)).order_by(
        "level", "code"
    )


def _chosen_unit_ids(request, units) -> list[int]:
    """The units a list shows: one chosen in ``?unit=`` or all readable."""
    unit_ids = [unit.pk for unit in units]
    chosen = request.GET.get("unit", "")
    if chosen:
        if as_id(chosen) not in unit_ids:
            raise Http404("Không tìm thấy đơn vị.")
        unit_ids = [int(chosen)]
    if request.user.is_administrator:
        scoping.record_admin_read(request, int(chosen) if chosen else None)
    return unit_ids


def _prosecutors(unit_ids):
    return User.objects.filter(
        unit_id__in=unit_ids, role__in=[User.Role.PROSECUTOR, User.Role.LEADER]
    ).order_by("full_name")


def _with_status(deadlines, today):
    rows = []
    for deadline in deadlines:
        status = deadline.status(today)
        deadline.status_code = status.code
        deadline.late_days = status.late_days
        rows.append(deadline)
    return rows


def dashboard(request):
    user = request.user
    units = list(_readable_units(user))
    unit_ids = _chosen_unit_ids(request, units)
    today = timezone.localdate()
    deadlines = Deadline.objects.filter(
        unit_id__in=unit_ids, case__cancelled_on__isnull=True
    ).select_related("case__person", "case__unit", "agency")
    if user.role == User.Role.PROSECUTOR and request.GET.get("mine", "1") == "1":
        deadlines = deadlines.filter(case__prosecutor=user)
        only_mine = True
    else:
        only_mine = False
    overdue = deadlines.overdue(today).order_by("due")
    due_soon = deadlines.due_soon(today).order_by("due")
    limit = 20
    open_cases = ExecutionCase.objects.filter(
        unit_id__in=unit_ids, cancelled_on__isnull=True
    ).exclude(status__in=CLOSED_STATUSES)
    if only_mine:
        open_cases = open_cases.filter(prosecutor=user)
    counts = {
        "overdue": overdue.count(),
        "due_soon": due_soon.count(),
        "cases": open_cases.count(),
        "not_started": open_cases.filter(status=CaseStatus.NOT_STARTED).count(),
        "problems": open_cases.exclude(problems=[]).count(),
    }
    by_rule = (
        overdue.values("rule", "title").annotate(total=Count("pk")).order_by("-total")
    )
    unseen = DateChange.objects.filter(
        unit_id__in=unit_ids, case__prosecutor=user, seen=False
    )
    moved = unseen.select_related("case__person").order_by("-changed_at")[:limit]
    newest = (
        ExecutionCase.objects.filter(unit_id__in=unit_ids)
        .select_related("person", "judgment__court", "sentence", "unit")
        .order_by("-judgment__pronounced_on", "-pk")[:10]
    )
    return render(
        request,
        "cases/dashboard.html",
        {
            "units": units,
            "unit_ids": unit_ids,
            "chosen_unit": request.GET.get("unit", ""),
            "many_units": len(units) > 1,
            "today": today,
            "counts": counts,
            "by_rule": by_rule,
            "overdue": _with_status(overdue[:limit], today),
            "due_soon": _with_status(due_soon[:limit], today),
            "newest": newest,
            "moved": moved,
            "moved_total": unseen.count(),
            "last_run": jobs.last_run(),
            "missed_run": jobs.missed_last_night(today),
            "only_mine": only_mine,
            "mine_query": "&mine=1" if only_mine else "",
            # A leader's way to the dashboards (Giám sát); a prosecutor's home
            # stays as it is.
            "monitor_links": _monitor_links(user),
            "waiting_documents": _waiting_documents(user),
        },
    )


def _waiting_documents(user: User) -> tuple[int, str, str] | None:
    """Documents waiting on this user's step: a leader's signature, a
    clerk's numbering (count, label, state to filter the list by)."""
    from documents.models import Document

    waiting = {
        User.Role.LEADER: (Document.State.SUBMITTED, "văn bản chờ duyệt ký"),
        User.Role.CLERK: (Document.State.APPROVED, "văn bản đã duyệt ký chờ vào sổ"),
    }.get(user.role)
    if waiting is None or user.unit_id is None:
        return None
    state, label = waiting
    count = Document.objects.filter(unit_id=user.unit_id, state=state).count()
    return (count, label, state) if count else None


def _monitor_links(user: User) -> list[tuple[str, str]]:
    links = []
    if user.is_administrator or user.role == User.Role.LEADER:
        links.append(("Giám sát đơn vị", reverse("monitoring:unit_dashboard")))
    if user.is_administrator or (
        user.role == User.Role.LEADER
        and user.unit is not None
        and user.unit.level == Unit.Level.PROVINCE
    ):
        links.append(("Giám sát cấp tỉnh", reverse("monitoring:province_dashboard")))
    return links


DEADLINE_LISTS = {
    "overdue": "Thời hạn quá hạn",
    "due_soon": "Thời hạn sắp đến",
}
DEADLINE_SORTS = {
    "han": tables.Sort("Hạn (sớm trước)", ("due", "pk")),
    "han-moi": tables.Sort("Hạn (muộn trước)", ("-due", "-pk")),
    "ten": tables.Sort("Tên người bị kết án", ("case__person__name_sort_key", "due")),
    "quy-tac": tables.Sort("Quy tắc", ("rule", "due", "pk")),
}
DEADLINE_TABLE = tables.Table(
    "Thời hạn",
    [
        tables.Column("Hạn", 12, "date"),
        tables.Column("Tình trạng", 18),
        tables.Column("Số ngày chậm", 10, "int"),
        tables.Column("Quy tắc", 8),
        tables.Column("Thời hạn", 40),
        tables.Column("Số thụ lý", 14),
        tables.Column("Người bị kết án", 26),
        tables.Column("Trách nhiệm", 30),
        tables.Column("Đơn vị", 30),
    ],
    row=lambda d: [
        d.due,
        d.status_label,
        d.late_days or None,
        d.rule,
        d.title,
        d.case.register_number,
        d.case.person.full_name,
        d.agency.name if d.agency_id else d.responsible,
        d.case.unit.name,
    ],
)
STATUS_LABELS = {
    "overdue": "Quá hạn",
    "due_soon": "Sắp đến hạn",
    "pending": "Chưa đến hạn",
    "met": "Đã thực hiện",
    "met_late": "Thực hiện muộn",
    "lapsed": "Không còn phải thực hiện",
}


def _export_rows(deadlines, today):
    for deadline in deadlines.iterator(chunk_size=2000):
        status = deadline.status(today)
        deadline.status_label = STATUS_LABELS.get(status.code, status.code)
        deadline.late_days = status.late_days
        yield deadline


# Exports of personal data need a recent confirmation of identity.
@reauth_required(when=tables.wants_export)
def deadline_list(request):
    """Every overdue or due-soon deadline in the user's scope, paginated."""
    user = request.user
    units = list(_readable_units(user))
    unit_ids = _chosen_unit_ids(request, units)
    status = request.GET.get("status", "overdue")
    if status not in DEADLINE_LISTS:
        status = "overdue"
    today = timezone.localdate()
    deadlines = Deadline.objects.filter(
        unit_id__in=unit_ids, case__cancelled_on__isnull=True
    ).select_related("case__person", "case__unit", "agency")
    only_mine = user.role == User.Role.PROSECUTOR and request.GET.get("mine") == "1"
    if only_mine:
        deadlines = deadlines.filter(case__prosecutor=user)
    rule = request.GET.get("rule", "")
    if rule:
        deadlines = deadlines.filter(rule=rule)
    sort = tables.chosen_sort(request, DEADLINE_SORTS, "han")
    deadlines = (
        deadlines.overdue(today) if status == "overdue" else deadlines.due_soon(today)
    ).order_by(*DEADLINE_SORTS[sort].ordering)
    if tables.wants_export(request):
        return tables.xlsx_response(
            request,
            DEADLINE_TABLE,
            _export_rows(deadlines, today),
            filename="thoi-han",
            heading=[f"{DEADLINE_LISTS[status]} — tính đến ngày {today:%d/%m/%Y}"],
            target=DEADLINE_LISTS[status],
        )
    listing = tables.paginate(request, deadlines, PAGE_SIZE)
    page = listing["page"]
    page.object_list = _with_status(page.object_list, today)
    return render(
        request,
        "cases/deadline_list.html",
        {
            "title": DEADLINE_LISTS[status],
            "status": status,
            "rule": rule,
            **listing,
            "sorts": DEADLINE_SORTS,
            "sort": sort,
            "export_query": tables.export_query(request),
            "many_units": len(units) > 1,
            "only_mine": only_mine,
            "today": today,
        },
    )


CASE_TABLE = tables.Table(
    "Hồ sơ thụ lý",
    [
        tables.Column("Số thụ lý", 14),
        tables.Column("Ngày thụ lý", 12, "date"),
        tables.Column("Họ và tên", 26),
        # A number in the General format: "1990", not "1,990" as "int" gives.
        tables.Column("Năm sinh", 10),
        tables.Column("Bản án", 18),
        tables.Column("Ngày tuyên án", 12, "date"),
        tables.Column("Tòa án", 30),
        tables.Column("Hình phạt", 26),
        tables.Column("Kiểm sát viên", 22),
        tables.Column("Tình trạng", 18),
        tables.Column("Đơn vị", 30),
    ],
    row=lambda c: [
        c.register_number,
        c.register_date,
        c.person.full_name,
        c.person.birth_year,
        c.judgment.number,
        c.judgment.pronounced_on,
        c.judgment.court.name,
        str(c.sentence) if hasattr(c, "sentence") else "",
        str(c.prosecutor or ""),
        "Đã hủy số" if c.is_cancelled else c.get_status_display(),
        c.unit.name,
    ],
)


# Exports of personal data need a recent confirmation of identity.
@reauth_required(when=tables.wants_export)
def case_list(request):
    user = request.user
    units = list(_readable_units(user))
    unit_ids = _chosen_unit_ids(request, units)
    form = CaseFilterForm(
        request.GET or None, prosecutors=_prosecutors(unit_ids), units=units
    )
    cases = ExecutionCase.objects.filter(unit_id__in=unit_ids).select_related(
        "person", "judgment__court", "sentence", "prosecutor", "unit"
    )
    order = "name"
    if form.is_bound:
        # A bad value in one filter drops that filter alone, not the others.
        form.is_valid()
        data = {name: form.cleaned_data.get(name) for name in form.fields}
        if data["status"] == "open":
            cases = cases.filter(cancelled_on__isnull=True).exclude(
                status__in=CLOSED_STATUSES
            )
        elif data["status"] == "problems":
            cases = cases.filter(cancelled_on__isnull=True).exclude(problems=[])
        elif data["status"] == "cancelled":
            cases = cases.filter(cancelled_on__isnull=False)
        elif data["status"]:
            cases = cases.filter(status=data["status"], cancelled_on__isnull=True)
        if data["kind"]:
            cases = cases.filter(sentence__kind=data["kind"])
        if data["prosecutor"]:
            cases = cases.filter(prosecutor=data["prosecutor"])
        if data["q"]:
            term = " ".join(data["q"].split())
            cases = cases.filter(
                Q(person__search_name__contains=vnsort.search_key(term))
                | Q(register_number__icontains=term)
                | Q(judgment__number__icontains=term)
                | Q(person__id_number=term)
            )
        order = data["order"] or "name"
    ordering = {
        "name": ["person__name_sort_key", "pk"],
        "register": ["-register_year", "-register_seq", "register_number"],
        "newest": ["-register_date", "-pk"],
    }[order]
    cases = cases.order_by(*ordering)
    if tables.wants_export(request):
        return tables.xlsx_response(
            request,
            CASE_TABLE,
            cases.iterator(chunk_size=2000),
            filename="ho-so-thu-ly",
            heading=[f"Hồ sơ thụ lý — ngày {timezone.localdate():%d/%m/%Y}"],
            target="danh sách hồ sơ",
        )
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            **tables.paginate(request, cases, PAGE_SIZE),
            "export_query": tables.export_query(request),
            "many_units": len(units) > 1,
            "can_create": bool(scoping.writable_unit_ids(user)),
        },
    )


def case_create(request):
    user = request.user
    writable = scoping.writable_unit_ids(user)
    if not writable:
        raise PermissionDenied("Tài khoản của bạn không được nhập hồ sơ.")
    unit = Unit.objects.get(pk=writable[0])
    prosecutors = _prosecutors([unit.pk])
    if request.method == "POST" and request.POST.get("add_convict"):
        # One more convict block, keeping everything typed so far; nothing
        # is validated or saved yet.
        data = request.POST.copy()
        total = data.get("convict-TOTAL_FORMS", "1")
        data["convict-TOTAL_FORMS"] = str(
            min(int(total) + 1, 20) if total.isdigit() else 1
        )
        judgment_form = JudgmentForm(initial=_unbound(data, JudgmentForm))
        initial = _unbound_formset(data, int(data["convict-TOTAL_FORMS"]))
        # The new block is assigned like the first one, not left unassigned.
        initial[-1].setdefault("prosecutor", initial[0].get("prosecutor"))
        initial[-1].setdefault("custody", initial[0].get("custody"))
        formset = ConvictFormSet(
            prefix="convict", prosecutors=prosecutors, initial=initial
        )
    elif request.method == "POST":
        judgment_form = JudgmentForm(request.POST)
        judgment_day = None
        if judgment_form.is_valid():
            judgment_day = judgment_form.cleaned_data["pronounced_on"]
        formset = ConvictFormSet(
            request.POST,
            prefix="convict",
            prosecutors=prosecutors,
            judgment_day=judgment_day,
            unit=unit,
        )
        if (
            judgment_form.is_valid()
            and formset.is_valid()
            and not _duplicates(unit, judgment_form, formset)
        ):
            cases = _save_entry(unit, user, judgment_form.cleaned_data, formset)
            numbers = ", ".join(case.register_number for case in cases)
            messages.success(request, f"Đã vào sổ thụ lý: {numbers}.")
            _warn_early_decisions(request, cases)
            if len(cases) == 1:
                return redirect("cases:detail", pk=cases[0].pk)
            return redirect(reverse("cases:list") + "?order=newest")
        messages.error(request, "Chưa lưu: kiểm tra các ô được đánh dấu đỏ.")
    else:
        judgment_form = JudgmentForm()
        initial = {"prosecutor": user.pk} if user.role == User.Role.PROSECUTOR else {}
        formset = ConvictFormSet(
            prefix="convict", prosecutors=prosecutors, initial=[initial]
        )
    return render(
        request,
        "cases/case_form.html",
        {
            "judgment_form": judgment_form,
            "formset": formset,
            "unit": unit,
            "crimes": Crime.objects.order_by("article"),
        },
    )


def _unbound(data, form_class, prefix: str = "") -> dict:
    """What was typed for a form, as initial values of an unbound copy."""
    initial = {}
    for name in form_class.base_fields:
        key = f"{prefix}{name}"
        if key in data:
            initial[name] = data.get(key)
    return initial


def _unbound_formset(data, total: int) -> list[dict]:
    return [
        _unbound(data, ConvictFormSet.form, prefix=f"convict-{index}-")
        for index in range(total)
    ]


def _duplicates(unit, judgment_form, formset) -> bool:
    """Flag a convict already entered for the same judgment of the same court
    (the same identity number, or the same name and birth)."""
    data = judgment_form.cleaned_data
    found = False
    for form in formset.forms:
        if not form.has_changed():
            continue
        convict = form.cleaned_data
        same_judgment = ExecutionCase.objects.filter(
            unit=unit,
            judgment__number__iexact=data["number"].strip(),
            judgment__court=data["court"],
            cancelled_on__isnull=True,
        )
        if convict["id_number"]:
            match = same_judgment.filter(person__id_number=convict["id_number"])
        else:
            match = same_judgment.filter(
                person__search_name=vnsort.search_key(convict["full_name"])
            )
        existing = match.first()
        if existing is not None:
            form.add_error(
                "full_name",
                f"Người này đã có trong sổ thụ lý theo bản án này (số thụ lý "
                f"{existing.register_number}); không nhập trùng.",
            )
            found = True
    return found


def _save_entry(unit, user, data, formset):
    judgment = services.create_judgment(
        unit=unit,
        number=data["number"],
        court=data["court"],
        instance=data["instance"],
        pronounced_on=data["pronounced_on"],
        effective_on=data["effective_on"],
        first_instance_number=data["first_instance_number"],
        first_instance_court=data["first_instance_court"],
        first_instance_pronounced_on=data["first_instance_pronounced_on"],
    )
    cases = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        convict = form.cleaned_data
        case = services.open_case(
            judgment,
            services.ConvictInput(
                full_name=convict["full_name"],
                sex=convict["sex"],
                sentence_kind=convict["sentence_kind"],
                birth_date=convict["birth_date"],
                birth_year=convict["birth_year"],
                id_number=convict["id_number"],
                residence=convict["residence"],
                custody=convict["custody"],
                term_years=convict["term_years"],
                term_months=convict["term_months"],
                term_days=convict["term_days"],
                probation_years=convict["probation_years"],
                probation_months=convict["probation_months"],
                fine_amount=convict["fine_amount"],
                crimes=convict["crimes"],
                prosecutor=convict["prosecutor"],
                detention=form.detention(),
                supplementary=form.supplementary(),
                person=form.known_person,
            ),
            register_date=data["register_date"],
            recompute=False,
        )
        if data["judgment_received_on"]:
            # The court's delivery (A4, A4b) is one act for the whole
            # judgment: recorded on every convict's case.
            services.add_event(
                case,
                kind=EventKind.JUDGMENT_DELIVERED,
                date=data["judgment_received_on"],
                agency=judgment.court,
                user=user,
                recompute=False,
            )
        if convict["qdtha_date"]:
            services.add_event(
                case,
                kind=EventKind.EXECUTION_DECISION_ISSUED,
                date=convict["qdtha_date"],
                number=convict["qdtha_number"],
                agency=judgment.executing_court,
                user=user,
                recompute=False,
            )
        if convict["qdtha_received_on"]:
            services.add_event(
                case,
                kind=EventKind.EXECUTION_DECISION_RECEIVED,
                date=convict["qdtha_received_on"],
                user=user,
                recompute=False,
            )
        services.recompute_case(case)
        cases.append(case)
    return cases


def _warn_early_decisions(request, cases) -> None:
    for case in cases:
        prefix = f"Hồ sơ {case.register_number}: " if len(cases) > 1 else ""
        for event in case.events.filter(kind=EventKind.EXECUTION_DECISION_ISSUED):
            _warn_early_decision(request, case, event, prefix)


def case_detail(request, pk, event_form=None, cancel_form=None, obligations_form=None):
    case = scoping.get_case(request, pk)
    today = timezone.localdate()
    events = case.events.select_related("agency", "created_by").order_by("date", "pk")
    judgment = case.judgment
    timeline = [
        {
            "date": judgment.pronounced_on,
            "text": f"Tuyên án, bản án số {judgment.number}",
        }
    ]
    if judgment.effective_on:
        timeline.append(
            {"date": judgment.effective_on, "text": "Bản án có hiệu lực pháp luật"}
        )
    timeline += [{"date": event.date, "event": event} for event in events]
    # Stable: the judgment's own steps stay before the events of their day.
    timeline.sort(key=lambda item: item["date"])
    deadlines = _with_status(
        case.deadlines.select_related("agency").order_by("start", "due"), today
    )
    eligibility = list(case.eligibility_dates.order_by("date"))
    # Explanations are not stored: computed again for this case.
    monitoring_services.explain(case, deadlines, eligibility)
    sentence = case.sentence
    writable = scoping.can_write(request.user, case.unit_id)
    changes = list(case.date_changes.order_by("-changed_at")[:20])
    audit_trail = history.case_history(case)
    if request.user.pk == case.prosecutor_id:
        # The assigned prosecutor has now seen every moved date of the case.
        case.date_changes.filter(seen=False).update(seen=True)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "sentence": sentence,
            "crimes": sentence.crimes.select_related("crime"),
            "supplementary": sentence.supplementary.all(),
            "detention": case.detention_periods.all(),
            "events": events,
            "timeline": timeline,
            "deadlines": deadlines,
            "eligibility": eligibility,
            "changes": changes,
            "audit_trail": audit_trail,
            "override_form": OverrideForm(),
            "assign_form": AssignForm(
                initial={"prosecutor": case.prosecutor_id},
                colleagues=_colleagues(case.unit_id),
            )
            if request.user.role == User.Role.LEADER and writable
            else None,
            "event_form": event_form
            or (
                EventForm(case=case, initial={"kind": request.GET.get("kind", "")})
                if writable
                else None
            ),
            "cancel_form": cancel_form or CancelCaseForm(),
            "obligations_form": obligations_form
            or ObligationsForm(
                initial={
                    "obligations": case.obligations,
                    "obligations_on": case.obligations_on,
                    "obligations_note": case.obligations_note,
                }
            ),
            "writable": writable,
            "today": today,
            "event_groups": EVENT_GROUPS,
        },
    )


def _refuse_if_cancelled(request, case) -> bool:
    if case.is_cancelled:
        messages.error(
            request,
            f"Số thụ lý {case.register_number} đã hủy: không ghi thêm hoặc sửa "
            "sự kiện.",
        )
        return True
    return False


def event_add(request, pk):
    case = scoping.get_case(request, pk, write=True)
    if request.method != "POST" or _refuse_if_cancelled(request, case):
        return redirect("cases:detail", pk=case.pk)
    form = EventForm(request.POST, case=case)
    if not form.is_valid():
        # The form says so above its fields, and the page opens there (the
        # form posts to #ghi-su-kien).
        return case_detail(request, pk, event_form=form)
    data = form.cleaned_data
    event = services.add_event(
        case,
        kind=data["kind"],
        date=data["date"],
        number=data["number"],
        agency=data["agency"],
        details=form.details(),
        note=data["note"],
        user=request.user,
    )
    messages.success(
        request, f"Đã ghi: {event.get_kind_display()} ngày {event.date:%d/%m/%Y}."
    )
    _warn_early_decision(request, case, event)
    return redirect(reverse("cases:detail", args=[case.pk]) + "#thoi-han")


def _warn_early_decision(request, case, event, prefix: str = "") -> None:
    if event.kind == EventKind.EXECUTION_DECISION_ISSUED:
        warning = services.early_decision_warning(case.judgment, event.date)
        if warning:
            messages.warning(request, prefix + warning)


def _event_of(request, pk, event_pk) -> tuple[ExecutionCase, Event]:
    case = scoping.get_case(request, pk, write=True)
    event = get_object_or_404(Event, pk=event_pk, case=case, unit_id=case.unit_id)
    return case, event


def event_edit(request, pk, event_pk):
    case, event = _event_of(request, pk, event_pk)
    if _refuse_if_cancelled(request, case):
        return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        form = EventForm(request.POST, case=case, event=event)
        if form.is_valid():
            data = form.cleaned_data
            services.change_event(
                event,
                kind=data["kind"],
                date=data["date"],
                number=data["number"],
                agency=data["agency"],
                details=form.details(),
                note=data["note"],
            )
            messages.success(request, "Đã sửa sự kiện; thời hạn đã được tính lại.")
            _warn_early_decision(request, case, event)
            return redirect("cases:detail", pk=case.pk)
        messages.error(request, "Chưa lưu: kiểm tra các ô được đánh dấu đỏ.")
    else:
        form = EventForm(case=case, event=event, initial=EventForm.values_of(event))
    return render(
        request, "cases/event_form.html", {"case": case, "event": event, "form": form}
    )


def event_delete(request, pk, event_pk):
    case, event = _event_of(request, pk, event_pk)
    if request.method != "POST":
        return redirect("cases:event_edit", pk=case.pk, event_pk=event.pk)
    if _refuse_if_cancelled(request, case):
        return redirect("cases:detail", pk=case.pk)
    problem = services.deletion_problem(event)
    if problem:
        messages.error(request, problem)
        return redirect("cases:event_edit", pk=case.pk, event_pk=event.pk)
    label = f"{event.get_kind_display()} ngày {event.date:%d/%m/%Y}"
    services.delete_event(event, user=request.user)
    record_audit(
        AuditLog.Action.EVENT_DELETED,
        request=request,
        unit_id=case.unit_id,
        target=f"sự kiện #{event.pk} của hồ sơ #{case.pk}",
    )
    messages.success(
        request,
        f"Đã xóa sự kiện: {label}; thời hạn đã được tính lại. Sự kiện vẫn được "
        "lưu vết, quản trị hệ thống có thể khôi phục.",
    )
    return redirect("cases:detail", pk=case.pk)


def case_cancel(request, pk):
    case = scoping.get_case(request, pk, write=True)
    if request.method != "POST":
        return redirect("cases:detail", pk=case.pk)
    if case.is_cancelled:
        messages.info(request, "Số thụ lý này đã được hủy trước đó.")
        return redirect("cases:detail", pk=case.pk)
    form = CancelCaseForm(request.POST)
    if not form.is_valid():
        # The page opens at the form (#huy-so), its field saying why.
        return case_detail(request, pk, cancel_form=form)
    services.cancel_case(
        case, on=timezone.localdate(), reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        f"Đã hủy số thụ lý {case.register_number}; số này được giữ lại, "
        "không cấp cho hồ sơ khác.",
    )
    return redirect("cases:detail", pk=case.pk)


def case_obligations(request, pk):
    """Record the convict's property obligations as last reported."""
    case = scoping.get_case(request, pk, write=True)
    if request.method != "POST" or _refuse_if_cancelled(request, case):
        return redirect("cases:detail", pk=case.pk)
    form = ObligationsForm(request.POST)
    if not form.is_valid():
        return case_detail(request, pk, obligations_form=form)
    case.obligations = form.cleaned_data["obligations"]
    case.obligations_on = form.cleaned_data["obligations_on"]
    case.obligations_note = form.cleaned_data["obligations_note"]
    case.save(
        update_fields=[
            "obligations",
            "obligations_on",
            "obligations_note",
            "updated_at",
        ]
    )
    messages.success(request, "Đã ghi nhận tình hình thi hành nghĩa vụ tài sản.")
    return redirect(reverse("cases:detail", args=[case.pk]) + "#nghia-vu")


def _colleagues(unit_id: int):
    return User.objects.filter(
        unit_id=unit_id,
        role__in=[User.Role.PROSECUTOR, User.Role.LEADER],
        is_active=True,
    ).order_by("full_name")


def _require_leader(request, unit_id: int) -> None:
    if request.user.role != User.Role.LEADER or not scoping.can_write(
        request.user, unit_id
    ):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị được phân công hồ sơ.")


def case_assign(request, pk):
    case = scoping.get_case(request, pk, write=True)
    _require_leader(request, case.unit_id)
    if request.method != "POST":
        return redirect("cases:detail", pk=case.pk)
    if case.is_cancelled:
        messages.error(
            request, f"Số thụ lý {case.register_number} đã hủy: không phân công."
        )
        return redirect("cases:detail", pk=case.pk)
    form = AssignForm(request.POST, colleagues=_colleagues(case.unit_id))
    if not form.is_valid():
        messages.error(request, "Chưa phân công: chọn kiểm sát viên của đơn vị.")
        return redirect("cases:detail", pk=case.pk)
    prosecutor = form.cleaned_data["prosecutor"]
    services.assign_case(case, prosecutor)
    if prosecutor is None:
        messages.success(request, f"Đã bỏ phân công hồ sơ {case.register_number}.")
    else:
        messages.success(
            request, f"Đã phân công hồ sơ {case.register_number} cho {prosecutor}."
        )
    return redirect("cases:detail", pk=case.pk)


def covers(request):
    """A leader names who covers an absent prosecutor, and for how long."""
    user = request.user
    if user.unit_id is None:
        raise PermissionDenied("Tài khoản không thuộc đơn vị nào.")
    _require_leader(request, user.unit_id)
    colleagues = _colleagues(user.unit_id)
    form = CoverForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_cover(
            unit=user.unit,
            absent=data["absent"],
            cover=data["cover"],
            start=data["start"],
            end=data["end"],
            by=user,
        )
        messages.success(
            request,
            f"{data['cover']} làm thay {data['absent']} từ {data['start']:%d/%m/%Y} "
            f"đến {data['end']:%d/%m/%Y}.",
        )
        return redirect("cases:covers")
    today = timezone.localdate()
    return render(
        request,
        "cases/covers.html",
        {
            "form": form,
            "covers": Cover.objects.filter(unit_id=user.unit_id)
            .select_related("absent", "cover")
            .order_by("-end", "-start")[:50],
            "today": today,
        },
    )


@require_POST
def cover_end(request, pk):
    """A leader stops a cover early (back from leave) or withdraws one."""
    user = request.user
    if user.unit_id is None:
        raise PermissionDenied("Tài khoản không thuộc đơn vị nào.")
    cover = Cover.objects.filter(pk=pk, unit_id=user.unit_id).first()
    if cover is None:
        raise Http404("Không tìm thấy phân công làm thay.")
    _require_leader(request, user.unit_id)
    today = timezone.localdate()
    if cover.end < today:
        messages.info(request, "Phân công này đã kết thúc.")
    else:
        messages.success(request, services.end_cover(cover, today))
    return redirect("cases:covers")
