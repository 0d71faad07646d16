"""What a form says about a case: the reviewed fields and the values derived
from them when a document is rendered."""

from __future__ import annotations

import datetime as dt

from cases.models import (
    Agency,
    Event,
    EventKind,
    ExecutionCase,
    SentenceKind,
    Unit,
    User,
)
from documents import vn
from documents.catalogue import (
    FIELDS,
    FORMS,
    THAHS_2025,
    THAHS_2025_FROM,
    UNCHECKED_BASIS,
    FormSpec,
)

DECISION_EVENTS = [
    (EventKind.EXECUTION_DECISION_ISSUED, "Quyết định thi hành án"),
    (EventKind.ENTRUSTMENT_ISSUED, "Quyết định ủy thác thi hành án"),
    (EventKind.POSTPONEMENT_GRANTED, "Quyết định hoãn chấp hành án"),
    (EventKind.SUSPENSION_GRANTED, "Quyết định tạm đình chỉ chấp hành án"),
    (EventKind.REDUCTION_GRANTED, "Quyết định giảm thời hạn chấp hành án"),
    (EventKind.PROBATION_SHORTENED, "Quyết định rút ngắn thời gian thử thách"),
]
# Forms about one dated event of the case. A case may hold several such
# events (a QĐTHA, then a postponement, then a reduction), and each needs its
# own worksheet or notice, so the prosecutor drafts the form for a chosen
# event: the case page offers it once per event and the draft's fields come
# from that event alone.
EVENT_FORMS: dict[str, list[tuple[str, str]]] = {
    "71TH": DECISION_EVENTS,
    "13TH": [(EventKind.ENTRUSTMENT_ISSUED, "Quyết định ủy thác thi hành án")],
    "14TH": [(EventKind.ENTRUSTMENT_RECEIVED, "Quyết định ủy thác thi hành án")],
}


def unit_header(unit: Unit) -> tuple[str, str]:
    """The two header lines: the superior procuracy, then the issuing one."""
    own = vn.upper(unit.header_name or unit.name)
    if unit.parent_id:
        parent = vn.upper(unit.parent.header_name or unit.parent.name)
    else:
        parent = "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"
    return parent, own


def unit_name(header_unit: str) -> str:
    """'VIỆN KIỂM SÁT NHÂN DÂN KHU VỰC 1' → 'Viện kiểm sát nhân dân khu vực 1'
    for use inside a sentence; place names after a dash keep capitals."""
    text = " ".join(header_unit.split())
    head, sep, tail = text.partition(" - ")
    head = head.lower()
    head = head[:1].upper() + head[1:]
    for place_word in ("thành phố ", "tỉnh "):
        index = head.find(place_word)
        if index >= 0:
            start = index + len(place_word)
            head = head[:start] + vn.name_case(head[start:])
    return head + (sep + vn.name_case(tail) if sep else "")


def sentence_text(sentence) -> str:
    kind = sentence.kind
    length = vn.term(sentence.term_years, sentence.term_months, sentence.term_days)
    if kind == SentenceKind.PRISON:
        return f"{length} tù"
    if kind == SentenceKind.SUSPENDED:
        probation = vn.term(
            sentence.probation_years,
            sentence.probation_months,
            sentence.probation_days,
        )
        trial = f", thời gian thử thách {probation}" if probation else ""
        return f"{length} tù nhưng cho hưởng án treo{trial}"
    if kind == SentenceKind.NON_CUSTODIAL_REFORM:
        return f"{length} cải tạo không giam giữ"
    if kind == SentenceKind.FINE:
        return vn.join_nonempty(["Phạt tiền", vn.money(sentence.fine_amount)], " ")
    return sentence.get_kind_display()


def crimes_text(sentence) -> str:
    parts = []
    for item in sentence.crimes.select_related("crime").order_by("pk"):
        clause = f" khoản {item.clause}" if item.clause else ""
        parts.append(f'"{item.crime.name}" (Điều {item.crime.article}{clause} BLHS)')
    return "; ".join(parts)


def violations_of(case: ExecutionCase, as_of: dt.date) -> list[dict]:
    """The case's violations still to act on (found, not yet in an issued
    action), as plain dicts a recommendation or a protest renders."""
    from violations.models import Violation

    rows = []
    violations = (
        Violation.objects.filter(case=case, state=Violation.State.FOUND)
        .select_related("agency")
        .order_by("due", "rule", "pk")
    )
    for violation in violations:
        rows.append(
            {
                "rule": violation.rule,
                "title": violation.title,
                "agency": violation.agency_name,
                "agency_id": violation.agency_id,
                "due": vn.short_date(violation.due),
                "done": vn.short_date(violation.done),
                "late_days": violation.late_days(as_of),
                "description": violation.description,
                "basis": violation.basis,
            }
        )
    return rows


def violation_line(v: dict) -> str:
    person = f"Đối với {v['person']}, " if v.get("person") else ""
    timing = ""
    if v.get("due"):
        days = vn.pad(int(v["late_days"]))
        if v.get("done"):
            timing = f", hạn {v['due']}, thực hiện ngày {v['done']}, chậm {days} ngày"
        else:
            timing = f", hạn {v['due']}, chưa thực hiện, quá hạn {days} ngày"
    described = f" ({v['description']})" if v.get("description") else ""
    basis = f" ({v['basis']})" if v.get("basis") else ""
    return f"{person}{v['agency']}: {v['title']}{timing}{described}{basis}."


# Documents drafted from an action (violations/) ------------------------------

# Which form drafts which kind of action; a plain request has no form (its
# printable page serves).
ACTION_FORMS = {"recommendation": "KN", "protest": "KNG", "self_inspection": "YCTKT"}


def action_form_code(action) -> str | None:
    if action.kind == "request":
        return ACTION_FORMS["self_inspection"] if action.self_inspection else None
    return ACTION_FORMS.get(action.kind)


def action_violations(action, as_of: dt.date) -> list[dict]:
    """The action's violations, each naming its convict, as plain dicts."""
    rows = []
    violations = action.violations.select_related("case__person", "agency").order_by(
        "due", "pk"
    )
    for violation in violations:
        case = violation.case
        rows.append(
            {
                "rule": violation.rule,
                "title": violation.title,
                "agency": violation.agency_name,
                "agency_id": violation.agency_id,
                "person": f"{vn.name_case(case.person.full_name)} (số thụ lý "
                f"{case.register_number})",
                "due": vn.short_date(violation.due),
                "done": vn.short_date(violation.done),
                "late_days": violation.late_days(as_of),
                "description": violation.description,
                "basis": violation.basis,
            }
        )
    return rows


_VERBS = {"KN": "kiến nghị", "KNG": "kháng nghị, yêu cầu", "YCTKT": "yêu cầu"}
_REPLIES = {
    "KN": "{addressee} trả lời kiến nghị bằng văn bản trong thời hạn 30 ngày kể "
    "từ ngày nhận được kiến nghị.",
    "KNG": "{addressee} trả lời kháng nghị bằng văn bản trong thời hạn 15 ngày "
    "kể từ ngày nhận được kháng nghị.",
    "YCTKT": "{addressee} tự kiểm tra và báo cáo kết quả cho Viện kiểm sát trong "
    "thời hạn 30 ngày kể từ ngày nhận được yêu cầu.",
}


def action_fields(spec: FormSpec, action, user: User | None, day: dt.date) -> dict:
    """The fields of a recommendation, protest or self-inspection request
    drafted from an action: its addressee, its violations with their
    convicts, and what it asks for."""
    unit = action.unit
    parent, own = unit_header(unit)
    name = unit_name(own)
    addressee = action.addressee
    violations = action_violations(action, day)
    asks = [line.strip() for line in action.content.splitlines() if line.strip()]
    if asks:
        body = [f"{name} {_VERBS[spec.code]} {addressee}:"]
        body += [f"- {line}" for line in asks]
        reply = _REPLIES[spec.code]
        if spec.code == "KNG" and action.target != "agency_act":
            reply = ""
        if reply:
            body.append("Đề nghị " + reply.format(addressee=addressee))
        body_text = "\n".join(body)
    else:
        body_text = spec.body.format(unit_name=name, addressee=addressee)
    period = ""
    if action.period_from and action.period_to:
        period = (
            f" từ ngày {vn.short_date(action.period_from)} đến ngày "
            f"{vn.short_date(action.period_to)}"
        )
    values = {
        "header_parent": parent,
        "header_unit": own,
        "symbol_suffix": vn.unit_symbol(own),
        "place": unit.place_name,
        "doc_date": vn.short_date(day),
        "addressee": addressee,
        "signer_authority": "KT. VIỆN TRƯỞNG",
        "signer_title": "PHÓ VIỆN TRƯỞNG",
        "signer_name": "",
        "assignee_name": str(user or ""),
        "extra": "\n".join(violation_line(v) for v in violations),
        "bases": "\n".join(spec.basis_lines(day)),
        "body": body_text,
        "recipients": spec.recipients.format(parent=unit_name(parent)),
    }
    fields = {key: values.get(key, "") for key in spec.fields}
    fields["violations"] = violations
    fields["period_text"] = period
    fields["addressee_agency_id"] = action.agency_id
    fields["source_event_id"] = None
    return fields


def form_events(case: ExecutionCase, code: str) -> list[Event]:
    """The case's events a form can be drafted for, newest first."""
    kinds = [kind for kind, _ in EVENT_FORMS.get(code, [])]
    if not kinds:
        return []
    return list(
        case.events.filter(kind__in=kinds)
        .select_related("agency")
        .order_by("-date", "-pk")
    )


def event_title(event: Event) -> str:
    """'Quyết định hoãn chấp hành án' for a postponement granted."""
    for pairs in EVENT_FORMS.values():
        for kind, label in pairs:
            if kind == event.kind:
                return label
    return event.get_kind_display()


def _detail_date(event: Event, key: str) -> str:
    value = (event.details or {}).get(key)
    try:
        return vn.short_date(dt.date.fromisoformat(value)) if value else ""
    except (TypeError, ValueError):
        return str(value)


def decision_content(event: Event) -> str:
    """What the decision decided, from the details its event records."""
    details = event.details or {}
    until = _detail_date(event, "until")
    if event.kind == EventKind.POSTPONEMENT_GRANTED:
        return f"hoãn chấp hành án đến ngày {until}" if until else ""
    if event.kind == EventKind.SUSPENSION_GRANTED:
        start = _detail_date(event, "from")
        return vn.join_nonempty(
            [
                "tạm đình chỉ chấp hành án" if start or until else "",
                f"từ ngày {start}" if start else "",
                f"đến ngày {until}" if until else "",
            ],
            " ",
        )
    if event.kind in {EventKind.REDUCTION_GRANTED, EventKind.PROBATION_SHORTENED}:
        by = details.get("by") if isinstance(details.get("by"), dict) else {}
        length = vn.term(
            int(by.get("years") or 0),
            int(by.get("months") or 0),
            int(by.get("days") or 0),
        )
        verb = (
            "giảm thời hạn chấp hành án"
            if event.kind == EventKind.REDUCTION_GRANTED
            else "rút ngắn thời gian thử thách"
        )
        return f"{verb} {length}" if length else ""
    if event.kind == EventKind.ENTRUSTMENT_ISSUED and details.get("to_court"):
        return f"ủy thác cho {details['to_court']}"
    return ""


def event_ref(event: Event, *, content: bool = True) -> str:
    """'Quyết định hoãn chấp hành án số 12/QĐ-CA ngày 05/02/2026 của Tòa án …,
    hoãn chấp hành án đến ngày 05/05/2026'."""
    ref = vn.join_nonempty(
        [
            event_title(event),
            f"số {event.number}" if event.number else "",
            f"ngày {vn.short_date(event.date)}",
            f"của {event.agency.name}" if event.agency else "",
        ],
        " ",
    )
    what = decision_content(event) if content else ""
    return vn.join_nonempty([ref, what])


# Where the body names an addressee the register does not know: a blank to
# fill, as the printed forms leave one.
ADDRESSEE_BLANK = "……………………"


# 71/TH when the register knows nothing wrong with the decision.
CHECK_CLEAN = "Quyết định đúng thẩm quyền, đúng thời hạn, đủ nội dung."
PROPOSAL_CLEAN = "Không có vi phạm; lưu hồ sơ kiểm sát."


def _decision_deadlines(case: ExecutionCase, event: Event, day: dt.date):
    """The case's deadlines this decision concerns: those it fulfilled (its
    kind is a stop event of the rule and the deadline was done on its date:
    A5 for a QĐTHA), and those it started that the register shows met late
    (A7, B4: sending it). One it started and still open is left out: the
    procuracy checking the decision holds it, so an unrecorded sending is
    more likely a gap in the register than a finding about this decision.
    A convict's own duties are not the decision's."""
    from monitoring.rules import get_rule_sets

    sets = {rule_set.code: rule_set for rule_set in get_rule_sets()}
    fulfilled, started = [], []
    for deadline in case.deadlines.order_by("due", "rule"):
        rule_set = sets.get(deadline.rule_set)
        rule = rule_set.rule(deadline.rule) if rule_set else None
        if rule is None or deadline.responsible_kind == "convict":
            continue
        status = deadline.status(day)
        stops = (*rule.stop_events, *rule.fallback_stop_events)
        if deadline.done == event.date and event.kind in stops:
            fulfilled.append((deadline, status))
        elif (
            deadline.start == event.date
            and event.kind in rule.start_events
            and status.code == "met_late"
        ):
            started.append((deadline, status))
    return fulfilled, started


def _concerning(case: ExecutionCase, event: Event, deadlines) -> list:
    """The case's violations about this decision: those the register found
    from its late deadlines, and those a prosecutor entered for the act it
    records (same body, done on its date)."""
    from violations.models import Violation

    keys = {(deadline.rule, deadline.due) for deadline in deadlines}
    found = []
    violations = (
        Violation.objects.filter(case=case)
        .exclude(state=Violation.State.WITHDRAWN)
        .select_related("agency", "action")
        .order_by("due", "pk")
    )
    for violation in violations:
        if (violation.rule, violation.due) in keys or (
            violation.source == Violation.Source.MANUAL
            and violation.done == event.date
            and violation.agency_id
            and violation.agency_id == event.agency_id
        ):
            found.append(violation)
    return found


def _basis_text(deadline) -> str:
    mark = "" if deadline.verified else f"; {UNCHECKED_BASIS}"
    return f" (căn cứ: {deadline.basis}{mark})" if deadline.basis else ""


def decision_findings(
    case: ExecutionCase, event: Event, day: dt.date
) -> tuple[str, str]:
    """71/TH's check result and proposal for one decision, as the register
    has it: the clean lines only when no deadline it concerns was missed
    and no violation is about it; otherwise each lateness with its rule,
    due date, date done, days late and legal basis, and the follow-up
    suggested for each violation."""
    from violations.models import Violation

    fulfilled, started = _decision_deadlines(case, event, day)
    on_time = [(d, st) for d, st in fulfilled if st.code != "met_late"]
    fulfilled = [(d, st) for d, st in fulfilled if st.code == "met_late"]
    violations = _concerning(case, event, [d for d, _ in fulfilled + started])
    if not (fulfilled or started or violations):
        return CHECK_CLEAN, PROPOSAL_CLEAN

    checks = ["Về thẩm quyền, căn cứ, nội dung, hình thức: ……………………"]
    for deadline, _status in on_time:
        checks.append(
            f"Về thời hạn: đúng thời hạn. {deadline.rule} - {deadline.title}: hạn "
            f"cuối ngày {vn.short_date(deadline.due)}, thực hiện ngày "
            f"{vn.short_date(deadline.done)}."
        )
    for deadline, status in fulfilled:
        checks.append(
            f"Về thời hạn: vi phạm. {deadline.rule} - {deadline.title}: hạn cuối "
            f"ngày {vn.short_date(deadline.due)}, thực hiện ngày "
            f"{vn.short_date(deadline.done)}, chậm {vn.pad(status.late_days)} "
            f"ngày{_basis_text(deadline)}."
        )
    if not (fulfilled or on_time):
        checks.append("Về thời hạn ra quyết định: ……………………")
    for deadline, status in started:
        checks.append(
            f"Về việc gửi, thi hành quyết định: vi phạm. {deadline.rule} - "
            f"{deadline.title}: hạn cuối ngày {vn.short_date(deadline.due)}, "
            f"thực hiện ngày {vn.short_date(deadline.done)}, chậm "
            f"{vn.pad(status.late_days)} ngày{_basis_text(deadline)}."
        )
    for violation in violations:
        if not violation.rule:
            described = f": {violation.description}" if violation.description else ""
            checks.append(
                f"Vi phạm đã ghi nhận: {violation.agency_name} - {violation.title}"
                f"{described}."
            )

    proposals = []
    cited = {(v.rule, v.due) for v in violations}
    for violation in violations:
        what = f"{violation.agency_name}: {violation.title}"
        action = violation.action
        if violation.state == Violation.State.FOUND:
            proposals.append(
                f"Đề nghị tập hợp vi phạm ({what}) cùng các vi phạm cùng loại để "
                f"kiến nghị {violation.agency_name} khắc phục, phòng ngừa vi phạm "
                "tương tự."
            )
        elif violation.state == Violation.State.INCLUDED and action is not None:
            number = f" số {action.number}" if action.number else " (dự thảo)"
            proposals.append(
                f"Vi phạm ({what}) đã được đưa vào "
                f"{action.get_kind_display().lower()}{number} gửi {action.agency}; "
                "đề nghị theo dõi kết quả trả lời."
            )
        else:
            proposals.append(
                f"Vi phạm ({what}): {violation.get_state_display().lower()}."
            )
    for deadline, _status in fulfilled + started:
        if (deadline.rule, deadline.due) in cited:
            continue
        agency = deadline.agency.name if deadline.agency_id else deadline.responsible
        proposals.append(
            f"Đề nghị ghi nhận vi phạm ({deadline.title}) và tập hợp để kiến nghị "
            f"{agency} khắc phục, phòng ngừa vi phạm tương tự."
        )
    proposals.append("Lưu hồ sơ kiểm sát.")
    return "\n".join(checks), "\n".join(proposals)


def _latest_event(case: ExecutionCase, kind: str):
    return (
        case.events.filter(kind=kind).select_related("agency").order_by("-date").first()
    )


def _execution_agency(case: ExecutionCase) -> Agency | None:
    for kind in (
        EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        EventKind.ESCORT_DECISION_ISSUED,
    ):
        event = _latest_event(case, kind)
        if event and event.agency:
            return event.agency
    return Agency.objects.filter(
        kind=Agency.Kind.EXECUTION_AGENCY, province=case.unit
    ).first()


def _court_named(name: str) -> Agency | None:
    if not name:
        return None
    return Agency.objects.filter(name=name).select_related("province").first()


def _procuracy(spec: FormSpec, case: ExecutionCase, event: Event | None) -> Unit | None:
    """The procuracy a notice between procuracies goes to, from the register:
    the unit whose area holds the court on the other side.

    13/TH goes to the procuracy of the court entrusted with issuing the
    QĐTHA; 14/TH answers the procuracy of the court that entrusted it.
    26/TH tells the procuracy of the court that issued the QĐTHA that this
    unit, where the convict lives, has taken over the supervision
    (forms-registers-statistics.md §1.4); when that court is in this
    unit's own area there is no other procuracy to tell, and the notice
    reports to the superior one.
    """
    judgment = case.judgment
    court = None
    if spec.code == "13TH":
        entrustment = event or _latest_event(case, EventKind.ENTRUSTMENT_ISSUED)
        if entrustment is not None:
            court = _court_named((entrustment.details or {}).get("to_court", ""))
    elif spec.code == "14TH":
        court = judgment.executing_court
    elif spec.code == "26TH":
        qdtha = _latest_event(case, EventKind.EXECUTION_DECISION_ISSUED)
        court = qdtha.agency if qdtha and qdtha.agency else judgment.executing_court
    other = court.province if court is not None else None
    if other is not None and other.pk != case.unit_id:
        return other
    if spec.code == "26TH":
        return case.unit.parent
    return None


def _addressee(
    spec: FormSpec,
    case: ExecutionCase,
    violations,
    day: dt.date,
    event: Event | None = None,
) -> tuple[str, int | None]:
    # A document of ``day`` goes to the court existing then: after
    # 01/07/2025 a district court's regional successor.
    court = case.judgment.executing_court.successor_on(day)
    if spec.addressee_kind == "court":
        return f"Chánh án {court.name}", court.pk
    if spec.addressee_kind == "agency":
        agency = _execution_agency(case)
        if agency:
            agency = agency.successor_on(day)
            return f"Thủ trưởng {agency.name}", agency.pk
        return "Thủ trưởng Cơ quan thi hành án hình sự Công an", None
    if spec.addressee_kind == "procuracy":
        # Never a bare "Viện kiểm sát nhân dân": unknown stays empty, and the
        # review form requires the prosecutor to name it.
        unit = _procuracy(spec, case, event)
        if unit is None:
            return "", None
        return f"Viện trưởng {unit_name(unit.header_name or unit.name)}", None
    if spec.addressee_kind == "violator" and violations:
        first = violations[0]
        breached = Agency.objects.filter(pk=first.get("agency_id")).first()
        if breached is not None:
            agency = breached.successor_on(day)
            if agency != breached:
                return agency.name, agency.pk
        return str(first["agency"]), first.get("agency_id")
    if spec.addressee_kind == "violator":
        return f"Chánh án {court.name}", court.pk
    return "", None


def initial_fields(
    spec: FormSpec,
    case: ExecutionCase,
    user: User | None,
    day: dt.date,
    event: Event | None = None,
) -> dict:
    """The fields pre-filled from the case, as editable strings; for a form
    of EVENT_FORMS, from ``event`` (the latest such event when None)."""
    if event is None and spec.code in EVENT_FORMS:
        found = form_events(case, spec.code)
        event = found[0] if found else None
    unit = case.unit
    parent, own = unit_header(unit)
    person = case.person
    judgment = case.judgment
    sentence = case.sentence
    violations = violations_of(case, day) if spec.uses_violations else []
    addressee, addressee_id = _addressee(spec, case, violations, day, event)

    qdtha = _latest_event(case, EventKind.EXECUTION_DECISION_ISSUED)
    values = {
        "header_parent": parent,
        "header_unit": own,
        "symbol_suffix": vn.unit_symbol(own),
        "place": unit.place_name,
        "doc_date": vn.short_date(day),
        "addressee": addressee,
        "person_name": vn.name_case(person.full_name),
        "person_birth": person.birth_display,
        "person_residence": person.residence,
        "judgment_number": judgment.number,
        "judgment_date": vn.short_date(judgment.pronounced_on),
        "judgment_court": judgment.court.name,
        "judgment_effective": vn.short_date(judgment.effective_on),
        "crimes": crimes_text(sentence),
        "sentence": sentence_text(sentence),
        "qdtha_number": qdtha.number if qdtha else "",
        "qdtha_date": vn.short_date(qdtha.date) if qdtha else "",
        "qdtha_court": qdtha.agency.name if qdtha and qdtha.agency else "",
        "signer_authority": "KT. VIỆN TRƯỞNG",
        "signer_title": "PHÓ VIỆN TRƯỞNG",
        "signer_name": "",
        "assignee_name": str(case.prosecutor or user or ""),
        "extra": spec.extra,
        "bases": "\n".join(spec.basis_lines(day)),
    }
    name = unit_name(own)
    values["body"] = spec.body.format(
        unit_name=name, addressee=addressee or ADDRESSEE_BLANK
    )
    values["recipients"] = spec.recipients.format(parent=unit_name(parent))
    if addressee == f"Viện trưởng {unit_name(parent)}":
        # Sent to the superior procuracy itself: "Như trên" already names it.
        values["recipients"] = "\n".join(
            line
            for line in vn.lines_of(values["recipients"])
            if not line.startswith(unit_name(parent))
        )

    # The overdue deadline the form answers, if any.
    values.update(deadline_title="", deadline_due="", deadline_days_late="")
    if spec.rules:
        for deadline in case.deadlines.filter(rule__in=spec.rules).order_by("due"):
            status = deadline.status(day)
            if status.code == "overdue":
                values.update(
                    deadline_title=deadline.title,
                    deadline_due=vn.short_date(deadline.due),
                    deadline_days_late=str(status.late_days),
                )
                break

    # 71/TH: the chosen decision on execution (the latest by default).
    values.update(decision_ref="", check_result="", proposal="")
    if "decision_ref" in spec.fields:
        values["check_result"], values["proposal"] = CHECK_CLEAN, PROPOSAL_CLEAN
        if event is not None:
            values["decision_ref"] = event_ref(event)
            values["check_result"], values["proposal"] = decision_findings(
                case, event, day
            )

    # 13/TH, 14/TH, 26/TH: the entrustment or the supervising body, as the
    # events of the case record them.
    source = {
        "13TH": [EventKind.ENTRUSTMENT_ISSUED],
        "14TH": [EventKind.ENTRUSTMENT_RECEIVED, EventKind.ENTRUSTMENT_ISSUED],
        "26TH": [EventKind.SUPERVISION_FILE_OPENED, EventKind.SUMMONED_TO_COMMUNE],
    }.get(spec.code, [])
    for kind in source:
        # A chosen event (13/TH, 14/TH) wins over the latest of its kind.
        if spec.code in EVENT_FORMS and event is not None:
            found = event
        else:
            found = _latest_event(case, kind)
        if found is None:
            continue
        if spec.code == "26TH":
            values["extra"] = vn.join_nonempty(
                [
                    found.agency.name if found.agency else "",
                    f"bắt đầu từ ngày {vn.short_date(found.date)}",
                ],
                "; ",
            )
        else:
            values["extra"] = event_ref(found)
        break

    if spec.uses_violations and violations:
        values["extra"] = "\n".join(violation_line(v) for v in violations)

    fields = {key: values.get(key, "") for key in spec.fields}
    fields["violations"] = violations
    fields["addressee_agency_id"] = addressee_id
    # Which event the draft is about, so the review page can name it.
    fields["source_event_id"] = (
        event.pk if event is not None and spec.code in EVENT_FORMS else None
    )
    return fields


def basis_notes(spec: FormSpec, fields: dict) -> list[str]:
    """What the review page says about legal-basis lines that do not fit the
    law in force on the document's date, or cite the 2025 Law on Execution
    without the article nobody has checked yet."""
    day = vn.parse_short_date(fields.get("doc_date") or "")
    if day is None:
        return []
    lines = vn.lines_of(fields.get("bases") or "")
    notes = []
    if day >= THAHS_2025_FROM:
        if any("Thi hành án hình sự năm 2019" in line for line in lines):
            notes.append(
                f"Văn bản ghi ngày {vn.short_date(day)}: Luật Thi hành án hình sự "
                f"năm 2019 đã được thay thế bởi {THAHS_2025} từ ngày "
                f"{vn.short_date(THAHS_2025_FROM)}. Sửa dòng căn cứ cho đúng luật "
                "đang có hiệu lực."
            )
        unchecked = unchecked_basis_note(spec, fields)
        if unchecked:
            notes.append(unchecked)
    elif any("127/2025/QH15" in line for line in lines):
        notes.append(
            f"Văn bản ghi ngày {vn.short_date(day)}: {THAHS_2025} chỉ có hiệu lực "
            f"từ ngày {vn.short_date(THAHS_2025_FROM)}; trước ngày đó căn cứ là "
            "Luật Thi hành án hình sự năm 2019."
        )
    return notes


def unchecked_basis_note(spec: FormSpec, fields: dict) -> str | None:
    """The note of a document dated under the 2025 Law on Execution whose
    basis line names that law without an article, or None. The article is
    the prosecutor's to add: the document is not submitted or approved
    while the line stands so (documents.services)."""
    day = vn.parse_short_date(fields.get("doc_date") or "")
    if day is None or day < THAHS_2025_FROM:
        return None
    lines = vn.lines_of(fields.get("bases") or "")
    if not any("127/2025/QH15" in line and "Điều" not in line for line in lines):
        return None
    old = "; ".join(spec.execution_law_articles())
    hint = f" tương ứng với {old} Luật Thi hành án hình sự năm 2019" if old else ""
    return (
        f"{UNCHECKED_BASIS.capitalize()}: điều, khoản của {THAHS_2025}"
        f"{hint} chưa được đối chiếu với văn bản luật, nên dòng căn cứ chỉ "
        "ghi tên luật. Kiểm sát viên bổ sung điều, khoản trước khi trình ký."
    )


def render_context(
    spec: FormSpec, fields: dict, *, number: int | None = None, symbol: str = ""
) -> dict:
    """The fields plus the values derived from them, as docxtpl reads them."""
    context = {key: "" for key in FIELDS}
    context.update({k: v for k, v in fields.items() if v is not None})
    symbol = symbol or f"{spec.doc_type}-{fields.get('symbol_suffix', '')}".rstrip("-")
    number_text = vn.pad(number) if number else " " * 8
    day = vn.parse_short_date(fields.get("doc_date", ""))
    birth = (fields.get("person_birth") or "").strip()
    birth_part = ""
    if birth:
        birth_part = f"sinh ngày {birth}" if "/" in birth else f"sinh năm {birth}"
    court = fields.get("judgment_court", "")
    context.update(
        number_line=f"Số: {number_text}/{symbol}",
        place_date=vn.place_date_line(fields.get("place", ""), day),
        person_line=vn.join_nonempty([fields.get("person_name", ""), birth_part]),
        judgment_ref=vn.join_nonempty(
            [
                f"Bản án số {fields.get('judgment_number', '')}",
                f"ngày {fields['judgment_date']}"
                if fields.get("judgment_date")
                else "",
                f"của {court}" if court else "",
            ],
            " ",
        ),
        qdtha_ref=vn.join_nonempty(
            [
                f"Quyết định thi hành án số {fields['qdtha_number']}"
                if fields.get("qdtha_number")
                else "",
                f"ngày {fields['qdtha_date']}" if fields.get("qdtha_date") else "",
                f"của {fields['qdtha_court']}" if fields.get("qdtha_court") else "",
            ],
            " ",
        )
        if fields.get("qdtha_number") or fields.get("qdtha_date")
        else "",
        base_lines=vn.listed(vn.lines_of(fields.get("bases", "")), last=",", each=";"),
        body_lines=vn.lines_of(fields.get("body", "")),
        extra_lines=vn.lines_of(fields.get("extra", "")),
        recipient_lines=[
            f"- {line}" for line in vn.listed(vn.lines_of(fields.get("recipients", "")))
        ],
        violations=list(fields.get("violations") or []),
        period_text=fields.get("period_text", ""),
        violation_lines=[violation_line(v) for v in fields.get("violations") or []],
        check_lines=vn.lines_of(fields.get("check_result", "")),
        proposal_lines=vn.lines_of(fields.get("proposal", "")),
        unit_name=unit_name(fields.get("header_unit", "")),
        form_label=spec.label,
    )
    crimes = fields.get("crimes", "")
    context["conviction"] = (
        vn.join_nonempty(
            [
                f"Bị xử phạt {fields['sentence']}" if fields.get("sentence") else "",
                f"về tội {crimes}" if crimes else "",
                f"theo {context['judgment_ref']}"
                if fields.get("judgment_number")
                else "",
            ],
            " ",
        )
        + "."
    ).lstrip(".")
    overdue = ""
    if fields.get("deadline_due"):
        title = fields.get("deadline_title", "")
        if title.startswith("Người"):
            # Agency names keep their capital ("Tòa án"); a common noun does not.
            title = title[:1].lower() + title[1:]
        late = fields.get("deadline_days_late", "")
        overdue = vn.join_nonempty(
            [
                f"Đến ngày {fields.get('doc_date', '')},"
                if fields.get("doc_date")
                else "",
                f"việc {title}" if title else "thời hạn",
                f"đã quá hạn {late} ngày" if late else "đã quá hạn",
                f"(hạn cuối ngày {fields['deadline_due']}).",
            ],
            " ",
        )
    context["overdue_line"] = overdue
    return context


def sample_fields(spec: FormSpec) -> dict:
    """Example values for every field: the template check and the field list
    of the template page render with these."""
    fields = {key: FIELDS[key].example for key in FIELDS}
    fields["body"] = spec.body.format(
        unit_name="Viện kiểm sát nhân dân khu vực 1 - Hải Phòng",
        addressee=FIELDS["addressee"].example,
    )
    fields["bases"] = (
        "\n".join(spec.basis_lines(vn.parse_short_date(fields["doc_date"])))
        or FIELDS["bases"].example
    )
    fields["violations"] = [
        {
            "rule": "A5",
            "title": "Tòa án ra quyết định thi hành án",
            "agency": "Tòa án nhân dân khu vực 1 - Hải Phòng",
            "agency_id": None,
            "due": "29/04/2025",
            "done": "",
            "late_days": 34,
            "basis": "BLTTHS 2015, Điều 364 khoản 1-2",
        }
    ]
    return fields


def all_forms() -> list[FormSpec]:
    return list(FORMS.values())
