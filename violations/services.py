"""Recording violations and following the procuracy's actions to the end."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import scoping
from cases.models import Agency, ExecutionCase, User
from cases.services import procuracy_year
from monitoring import engine
from monitoring.calendar import get_calendar
from monitoring.rules import get_rule_sets
from violations.models import Action, Violation

# The reply each kind of action calls for (legal-rules.md, J2, J4, J6); a
# protest against a court decision follows the appeal procedure instead (J5).
REPLY_RULES = {
    (Action.Kind.RECOMMENDATION, ""): "J6",
    (Action.Kind.PROTEST, Action.Target.AGENCY_ACT): "J4",
    (Action.Kind.REQUEST, "self_inspection"): "J2",
}


def _require_writer(user: User, unit_id: int) -> None:
    if not scoping.can_write(user, unit_id):
        raise PermissionDenied("Bạn chỉ được xem, không được thay đổi dữ liệu này.")


def _require_signer(user: User, unit_id: int) -> None:
    _require_writer(user, unit_id)
    if user.role not in {User.Role.LEADER, User.Role.CLERK}:
        raise PermissionDenied(
            "Chỉ lãnh đạo đơn vị hoặc văn thư được ghi nhận việc ban hành."
        )


@transaction.atomic
def add_manual(
    case: ExecutionCase,
    user: User,
    *,
    agency: Agency,
    title: str,
    basis: str,
    description: str = "",
    found_on: dt.date,
    due: dt.date | None = None,
    done: dt.date | None = None,
    rule: str = "",
) -> Violation:
    """A violation a prosecutor found by checking a decision or a file."""
    _require_writer(user, case.unit_id)
    if case.cancelled_on:
        raise ValidationError("Hồ sơ đã bị hủy nhập, không ghi nhận vi phạm.")
    violation = Violation(
        unit_id=case.unit_id,
        case=case,
        agency=agency,
        responsible=agency.name,
        responsible_kind=agency.kind,
        source=Violation.Source.MANUAL,
        rule=rule.strip(),
        title=title.strip(),
        basis=basis.strip(),
        description=description.strip(),
        found_on=found_on,
        due=due,
        done=done,
        created_by=user,
    )
    violation._change_reason = "Kiểm sát viên ghi nhận vi phạm"
    violation.save()
    return violation


@transaction.atomic
def close_violation(violation: Violation, user: User, note: str) -> Violation:
    """Ends a violation that calls for no (further) action."""
    _require_writer(user, violation.unit_id)
    if not note.strip():
        raise ValidationError("Cần ghi lý do kết thúc vi phạm.")
    violation.state = Violation.State.CLOSED
    violation.closed_note = note.strip()[:500]
    violation._change_reason = "Kết thúc vi phạm"
    violation.save(update_fields=["state", "closed_note"])
    return violation


def rank_by_key(rows) -> dict[int, int]:
    ranks: dict[int, int] = {}
    seen: Counter = Counter()
    ordered = sorted(rows, key=lambda r: (str(r[1]), r[2] or dt.date.min, r[0]))
    for pk, key, _day in ordered:
        seen[key] += 1
        ranks[pk] = seen[key]
    return ranks


def repeat_ranks(violations: list[Violation]) -> dict[int, int]:
    """Ranks computed against the whole procuracy year of each shown row,
    not only the rows on the page, so filtering never hides a repetition."""
    if not violations:
        return {}
    keys = {(v.unit_id, v.agency_id, v.rule, v.year) for v in violations if v.rule}
    if not keys:
        return {}
    years = {key[3] for key in keys}
    start = dt.date(min(years) - 1, 12, 1)
    end = dt.date(max(years), 11, 30)
    peers = Violation.objects.filter(
        Q(due__range=(start, end)) | Q(due=None, found_on__range=(start, end)),
        unit_id__in={key[0] for key in keys},
        rule__in={key[2] for key in keys},
    ).exclude(state=Violation.State.WITHDRAWN)
    rows = []
    for pk, unit_id, agency_id, responsible, rule, due, found_on in peers.values_list(
        "pk", "unit_id", "agency_id", "responsible", "rule", "due", "found_on"
    ):
        day = due or found_on
        key = (unit_id, str(agency_id or responsible), rule, procuracy_year(day))
        rows.append((pk, key, day))
    return rank_by_key(rows)


# Actions ---------------------------------------------------------------------


def _reply_rule(action: Action) -> str | None:
    if action.kind == Action.Kind.REQUEST:
        return (
            REPLY_RULES.get((action.kind, "self_inspection"))
            if (action.self_inspection)
            else None
        )
    target = action.target if action.kind == Action.Kind.PROTEST else ""
    return REPLY_RULES.get((action.kind, target))


def reply_deadline(action: Action) -> tuple[str, dt.date, list[str]] | None:
    """The reply's due date, counted like any case deadline."""
    code = _reply_rule(action)
    start = action.reply_start
    if code is None or start is None:
        return None
    if action.received_on:
        line = (
            f"Bắt đầu tính: ngày {action.agency.name} nhận "
            f"{action.get_kind_display().lower()} {start:%d/%m/%Y}."
        )
    else:
        line = (
            f"Bắt đầu tính: ngày ban hành {start:%d/%m/%Y} (chưa ghi ngày cơ quan "
            "nhận; khi có, hạn được tính lại từ ngày nhận)."
        )
    found = engine.deadline_from(code, start, line, get_calendar(), get_rule_sets())
    if found is None:
        return None
    rule, due, lines = found
    return rule.code, due, lines


def reply_status(action: Action, as_of: dt.date) -> engine.Status | None:
    if action.reply_due is None:
        return None
    return engine.status_of(action.reply_due, action.reply_on, as_of, 5)


@transaction.atomic
def create_action(
    user: User,
    violations: list[Violation],
    *,
    kind: str,
    target: str = "",
    self_inspection: bool = False,
    addressee: str = "",
    content: str = "",
) -> Action:
    """A draft action of one agency citing the chosen violations."""
    if not violations:
        raise ValidationError("Chọn ít nhất một vi phạm để đưa vào văn bản.")
    units = {v.unit_id for v in violations}
    agencies = {v.agency_id for v in violations}
    if len(units) != 1:
        raise ValidationError("Các vi phạm phải của cùng một đơn vị.")
    unit_id = units.pop()
    _require_writer(user, unit_id)
    if len(agencies) != 1 or None in agencies:
        raise ValidationError(
            "Một văn bản chỉ gửi một cơ quan: chọn các vi phạm của cùng một cơ quan "
            "đã xác định."
        )
    taken = [v for v in violations if v.action_id or not v.open]
    if taken:
        raise ValidationError(
            "Có vi phạm đã được đưa vào văn bản khác hoặc đã kết thúc: "
            + ", ".join(f"{v.rule or 'vi phạm'} ({v.case})" for v in taken[:5])
        )
    if kind == Action.Kind.PROTEST and target not in Action.Target.values:
        raise ValidationError("Chọn đối tượng của kháng nghị.")
    # Addressed to the body that exists today: an abolished court's breaches
    # are answered by the court that took over its duties.
    breached = violations[0].agency
    agency = breached.successor_on(timezone.localdate())
    dated = [v.due or v.found_on for v in violations]
    action = Action(
        unit_id=unit_id,
        kind=kind,
        target=target if kind == Action.Kind.PROTEST else "",
        self_inspection=self_inspection and kind == Action.Kind.REQUEST,
        agency=agency,
        addressee=addressee.strip() or default_addressee(agency),
        period_from=min(dated),
        period_to=max(dated),
        content=content.strip() or DEFAULT_CONTENT.get(kind, ""),
        created_by=user,
    )
    action._change_reason = "Lập dự thảo"
    action.save()
    for violation in violations:
        violation.action = action
        violation._change_reason = f"Đưa vào dự thảo {action.get_kind_display()}"
        violation.save(update_fields=["action"])
    return action


DEFAULT_CONTENT = {
    Action.Kind.RECOMMENDATION: (
        "Chỉ đạo khắc phục ngay các vi phạm nêu trên.\n"
        "Tổ chức rút kinh nghiệm, có biện pháp phòng ngừa vi phạm tương tự."
    ),
    Action.Kind.PROTEST: (
        "Đình chỉ, khắc phục ngay các vi phạm nêu trên.\n"
        "Xem xét trách nhiệm của cá nhân có liên quan."
    ),
    Action.Kind.REQUEST: (
        "Khắc phục các vi phạm nêu trên; việc nào chưa thực hiện thì thực hiện "
        "ngay.\nThông báo kết quả cho Viện kiểm sát."
    ),
}


def default_addressee(agency: Agency) -> str:
    head = "Chánh án" if agency.kind == Agency.Kind.COURT else "Thủ trưởng"
    if agency.kind == Agency.Kind.COMMUNE:
        head = "Chủ tịch"
    return f"{head} {agency.name}"


def _require_draft(action: Action) -> None:
    if action.state != Action.State.DRAFT:
        raise ValidationError("Văn bản đã ban hành, không sửa danh sách vi phạm.")


def _require_no_document(action: Action) -> None:
    """Once drafted as an official document, the action's text is the
    document's: changing it here would no longer match what is signed."""
    if action.document_id is not None:
        raise ValidationError(
            "Đã soạn văn bản: nội dung và danh sách vi phạm sửa trong văn bản."
        )


@transaction.atomic
def remove_violation(action: Action, violation: Violation, user: User) -> None:
    _require_writer(user, action.unit_id)
    _require_draft(action)
    _require_no_document(action)
    if violation.action_id != action.pk:
        raise ValidationError("Vi phạm này không thuộc văn bản.")
    violation.action = None
    violation._change_reason = "Bỏ khỏi dự thảo"
    violation.save(update_fields=["action"])


@transaction.atomic
def discard_action(action: Action, user: User) -> None:
    """Drops a draft: its violations are free again; the draft stays in
    history (nothing is hard-deleted by a user)."""
    _require_writer(user, action.unit_id)
    _require_draft(action)
    for violation in action.violations.all():
        violation.action = None
        violation._change_reason = "Hủy dự thảo"
        violation.save(update_fields=["action"])
    action.state = Action.State.CLOSED
    action.reply_note = "Dự thảo bị hủy, không ban hành."
    action._change_reason = "Hủy dự thảo"
    action.save(update_fields=["state", "reply_note"])


@transaction.atomic
def edit_action(action: Action, user: User, *, addressee: str, content: str) -> Action:
    _require_writer(user, action.unit_id)
    if action.state != Action.State.DRAFT:
        raise ValidationError("Văn bản đã ban hành, không sửa nội dung.")
    _require_no_document(action)
    action.addressee = addressee.strip()
    action.content = content.strip()
    action._change_reason = "Sửa dự thảo"
    action.save(update_fields=["addressee", "content"])
    return action


def _reserve_number(action: Action, number: str, issued_on: dt.date) -> None:
    """A paper issued outside the register takes its number from the same
    sequence as the documents the clerk issues."""
    from documents.catalogue import FORMS
    from documents.context import action_form_code
    from documents.services import reserve_typed_number

    code = action_form_code(action)
    if code is not None:
        reserve_typed_number(action.unit_id, FORMS[code].doc_type, number, issued_on)


def _set_reply_due(action: Action) -> None:
    found = reply_deadline(action)
    if found is None:
        action.reply_rule, action.reply_due, action.reply_explanation = "", None, []
    else:
        action.reply_rule, action.reply_due, action.reply_explanation = found


@transaction.atomic
def issue_action(
    action: Action,
    user: User,
    *,
    number: str,
    issued_on: dt.date,
    received_on: dt.date | None = None,
    signer: str = "",
) -> Action:
    """Records the issued action: its violations are now included in it and
    the reply deadline starts."""
    _require_signer(user, action.unit_id)
    _require_draft(action)
    if not number.strip():
        raise ValidationError("Cần ghi số văn bản.")
    today = timezone.localdate()
    if issued_on > today:
        raise ValidationError("Ngày ban hành không được sau hôm nay.")
    if received_on and received_on < issued_on:
        raise ValidationError("Ngày cơ quan nhận không được trước ngày ban hành.")
    if not action.violations.exists():
        raise ValidationError("Văn bản chưa có vi phạm nào.")
    number = " ".join(number.split())
    # Numbers start again each year (documents/services.numbering_year).
    year = procuracy_year(issued_on)
    same_year = (dt.date(year - 1, 12, 1), dt.date(year, 11, 30))
    if (
        Action.objects.filter(
            unit_id=action.unit_id, number__iexact=number, issued_on__range=same_year
        )
        .exclude(pk=action.pk)
        .exists()
    ):
        raise ValidationError(
            f"Số {number} đã được dùng cho văn bản khác của đơn vị trong năm."
        )
    if action.document_id is None:
        _reserve_number(action, number, issued_on)
    action.number = number
    action.issued_on = issued_on
    action.received_on = received_on
    action.signer = signer.strip()
    action.state = Action.State.ISSUED
    _set_reply_due(action)
    action._change_reason = "Ban hành"
    action.save()
    for violation in action.violations.all():
        if violation.state == Violation.State.FOUND:
            violation.state = Violation.State.INCLUDED
            violation._change_reason = f"Đưa vào {action}"
            violation.save(update_fields=["state"])
    return action


@transaction.atomic
def set_received(action: Action, user: User, received_on: dt.date) -> Action:
    """The addressee's receipt, once known: the reply is counted from it."""
    _require_writer(user, action.unit_id)
    if action.issued_on is None:
        raise ValidationError("Văn bản chưa ban hành.")
    if received_on < action.issued_on:
        raise ValidationError("Ngày cơ quan nhận không được trước ngày ban hành.")
    action.received_on = received_on
    _set_reply_due(action)
    action._change_reason = "Ghi ngày cơ quan nhận"
    action.save()
    return action


@transaction.atomic
def record_reply(
    action: Action,
    user: User,
    *,
    reply_on: dt.date,
    outcome: str,
    note: str = "",
) -> Action:
    """The addressee's written reply; an accepted action remedies its
    violations."""
    _require_writer(user, action.unit_id)
    if action.state not in {Action.State.ISSUED, Action.State.ANSWERED}:
        raise ValidationError("Chỉ ghi trả lời cho văn bản đã ban hành.")
    if reply_on < action.issued_on:
        raise ValidationError("Ngày trả lời không được trước ngày ban hành.")
    if reply_on > timezone.localdate():
        raise ValidationError("Ngày trả lời không được sau hôm nay.")
    if outcome not in Action.Outcome.values:
        raise ValidationError("Chọn kết quả trả lời.")
    action.reply_on = reply_on
    action.reply_outcome = outcome
    action.reply_note = note.strip()
    action.state = Action.State.ANSWERED
    action._change_reason = "Ghi nhận trả lời"
    action.save()
    if outcome == Action.Outcome.ACCEPTED:
        for violation in action.violations.filter(state=Violation.State.INCLUDED):
            violation.state = Violation.State.REMEDIED
            violation._change_reason = f"{action} được chấp nhận"
            violation.save(update_fields=["state"])
    return action


@transaction.atomic
def close_action(action: Action, user: User, note: str = "") -> Action:
    """Ends the follow-up (e.g. after a rejected action was reported to the
    superior procuracy); its open violations end with it."""
    _require_writer(user, action.unit_id)
    if action.state == Action.State.DRAFT:
        raise ValidationError("Dự thảo chưa ban hành: hãy hủy dự thảo.")
    if note.strip():
        action.appeal_outcome = (action.appeal_outcome + "\n" + note.strip()).strip()
    action.state = Action.State.CLOSED
    action._change_reason = "Kết thúc theo dõi"
    action.save()
    for violation in action.violations.filter(state=Violation.State.INCLUDED):
        violation.state = Violation.State.CLOSED
        violation.closed_note = f"Kết thúc cùng {action}."
        violation._change_reason = "Kết thúc theo dõi văn bản"
        violation.save(update_fields=["state", "closed_note"])
    return action


def next_steps(action: Action) -> list[str]:
    """What the procuracy can do once a reply refuses all or part of an
    action: the law's own path for a protest (J4), a suggestion for the
    rest, where the law says nothing."""
    if action.state != Action.State.ANSWERED or action.reply_outcome not in (
        Action.Outcome.PARTLY,
        Action.Outcome.REJECTED,
    ):
        return []
    if action.kind == Action.Kind.PROTEST:
        return [
            "Cơ quan không đồng ý với kháng nghị thì khiếu nại lên Viện kiểm sát "
            "cấp trên trực tiếp; Viện kiểm sát cấp trên xem xét, quyết định trong "
            "15 ngày và quyết định đó buộc phải thực hiện (Điều 169 khoản 4 Luật "
            "THAHS 2019).",
            "Theo dõi: nếu cơ quan không khiếu nại mà cũng không thực hiện, báo cáo "
            "Viện kiểm sát cấp trên.",
        ]
    return [
        "Luật không quy định bước tiếp theo khi văn bản này không được chấp nhận "
        "(gợi ý, không phải quy định):",
        "Nếu vi phạm là hành vi, quyết định trái pháp luật của cơ quan: cân nhắc "
        "kháng nghị (Điều 167 khoản 5 Luật THAHS 2019), hạn trả lời 15 ngày.",
        "Báo cáo Viện kiểm sát cấp trên; theo dõi vi phạm lặp lại của cơ quan "
        "trong năm công tác.",
    ]


def attention(unit_ids: list[int], as_of: dt.date):
    """Issued actions whose reply is overdue, and rejected ones: the
    leader's dashboard shows both."""
    issued = Action.objects.filter(unit_id__in=unit_ids).select_related("agency")
    overdue = issued.filter(
        state=Action.State.ISSUED, reply_due__lt=as_of, reply_on__isnull=True
    ).order_by("reply_due")
    rejected = issued.filter(
        state=Action.State.ANSWERED, reply_outcome=Action.Outcome.REJECTED
    ).order_by("-reply_on")
    return overdue, rejected


def reply_alerts(as_of: dt.date, unit_ids: list[int] | None = None) -> int:
    """Alerts, for whoever drew the action up, of replies now overdue; one
    per action and day, like the case deadlines' alerts."""
    from monitoring.models import Alert

    actions = Action.objects.filter(
        state=Action.State.ISSUED, reply_due__lt=as_of, reply_on__isnull=True
    ).select_related("agency")
    if unit_ids is not None:
        actions = actions.filter(unit_id__in=unit_ids)
    alerts = []
    for action in actions:
        alerts.append(
            Alert(
                unit_id=action.unit_id,
                action=action,
                user_id=action.created_by_id,
                kind=Alert.Kind.OVERDUE,
                rule=action.reply_rule,
                title=f"{action.agency.name} chưa trả lời {action}"[:200],
                due=action.reply_due,
                day=as_of,
            )
        )
    Alert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)
