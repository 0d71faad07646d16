"""What a form says about a case: the reviewed fields and the values derived
from them when a document is rendered."""

from __future__ import annotations

import datetime as dt

from cases.models import (
    Agency,
    EventKind,
    ExecutionCase,
    SentenceKind,
    Unit,
    User,
)
from documents import vn
from documents.catalogue import FIELDS, FORMS, FormSpec

# Deadlines whose responsible party is the convict are not an agency's
# violation and never appear in a recommendation or a protest.
NOT_AGENCY = {"convict"}
DECISION_EVENTS = [
    (EventKind.EXECUTION_DECISION_ISSUED, "Quyết định thi hành án"),
    (EventKind.ENTRUSTMENT_ISSUED, "Quyết định ủy thác thi hành án"),
    (EventKind.POSTPONEMENT_GRANTED, "Quyết định hoãn chấp hành án"),
    (EventKind.SUSPENSION_GRANTED, "Quyết định tạm đình chỉ chấp hành án"),
    (EventKind.REDUCTION_GRANTED, "Quyết định giảm thời hạn chấp hành án"),
    (EventKind.PROBATION_SHORTENED, "Quyết định rút ngắn thời gian thử thách"),
]


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
    """The agencies' late or overdue deadlines, as plain dicts.

    A stand-in until the violations feature exists: a recommendation or a
    protest renders from these keys, so that model can later supply them.
    """
    rows = []
    deadlines = case.deadlines.select_related("agency").order_by("due", "rule")
    for deadline in deadlines:
        if deadline.responsible_kind in NOT_AGENCY:
            continue
        status = deadline.status(as_of)
        if status.code not in {"overdue", "met_late"}:
            continue
        rows.append(
            {
                "rule": deadline.rule,
                "title": deadline.title,
                "agency": deadline.agency.name
                if deadline.agency
                else deadline.responsible,
                "agency_id": deadline.agency_id,
                "due": vn.short_date(deadline.due),
                "done": vn.short_date(deadline.done),
                "late_days": status.late_days,
                "basis": deadline.basis,
            }
        )
    return rows


def violation_line(v: dict) -> str:
    done = f", thực hiện ngày {v['done']}" if v.get("done") else ", chưa thực hiện"
    basis = f" ({v['basis']})" if v.get("basis") else ""
    return (
        f"{v['agency']}: {v['title']}, hạn {v['due']}{done}, "
        f"quá hạn {vn.pad(int(v['late_days']))} ngày{basis}."
    )


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


def _addressee(
    spec: FormSpec, case: ExecutionCase, violations
) -> tuple[str, int | None]:
    court = case.judgment.executing_court
    if spec.addressee_kind == "court":
        return f"Chánh án {court.name}", court.pk
    if spec.addressee_kind == "agency":
        agency = _execution_agency(case)
        if agency:
            return f"Thủ trưởng {agency.name}", agency.pk
        return "Thủ trưởng Cơ quan thi hành án hình sự Công an", None
    if spec.addressee_kind == "procuracy":
        return "Viện trưởng Viện kiểm sát nhân dân", None
    if spec.addressee_kind == "violator" and violations:
        first = violations[0]
        return str(first["agency"]), first.get("agency_id")
    if spec.addressee_kind == "violator":
        return f"Chánh án {court.name}", court.pk
    return "", None


def initial_fields(
    spec: FormSpec, case: ExecutionCase, user: User | None, day: dt.date
) -> dict:
    """The fields pre-filled from the case, as editable strings."""
    unit = case.unit
    parent, own = unit_header(unit)
    person = case.person
    judgment = case.judgment
    sentence = case.sentence
    violations = violations_of(case, day) if spec.uses_violations else []
    addressee, addressee_id = _addressee(spec, case, violations)

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
        "bases": "\n".join(spec.bases),
    }
    name = unit_name(own)
    values["body"] = spec.body.format(unit_name=name, addressee=addressee)
    values["recipients"] = spec.recipients.format(parent=unit_name(parent))

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

    # 71/TH: the latest decision on execution of the case.
    values.update(decision_ref="", check_result="", proposal="")
    if "decision_ref" in spec.fields:
        latest = None
        for kind, label in DECISION_EVENTS:
            event = _latest_event(case, kind)
            if event and (latest is None or event.date >= latest[0].date):
                latest = (event, label)
        if latest:
            event, label = latest
            values["decision_ref"] = vn.join_nonempty(
                [
                    label,
                    f"số {event.number}" if event.number else "",
                    f"ngày {vn.short_date(event.date)}",
                    f"của {event.agency.name}" if event.agency else "",
                ],
                " ",
            )
        values["check_result"] = FIELDS["check_result"].example
        values["proposal"] = FIELDS["proposal"].example

    # 13/TH, 14/TH, 26/TH: the entrustment or the supervising body, as the
    # events of the case record them.
    source = {
        "13TH": [EventKind.ENTRUSTMENT_ISSUED],
        "14TH": [EventKind.ENTRUSTMENT_RECEIVED, EventKind.ENTRUSTMENT_ISSUED],
        "26TH": [EventKind.SUPERVISION_FILE_OPENED, EventKind.SUMMONED_TO_COMMUNE],
    }.get(spec.code, [])
    for kind in source:
        event = _latest_event(case, kind)
        if event is None:
            continue
        if spec.code == "26TH":
            values["extra"] = vn.join_nonempty(
                [
                    event.agency.name if event.agency else "",
                    f"bắt đầu từ ngày {vn.short_date(event.date)}",
                ],
                "; ",
            )
        else:
            values["extra"] = vn.join_nonempty(
                [
                    "Quyết định ủy thác thi hành án",
                    f"số {event.number}" if event.number else "",
                    f"ngày {vn.short_date(event.date)}",
                    f"của {event.agency.name}" if event.agency else "",
                ],
                " ",
            )
        break

    if spec.uses_violations and violations:
        values["extra"] = "\n".join(violation_line(v) for v in violations)

    fields = {key: values.get(key, "") for key in spec.fields}
    fields["violations"] = violations
    fields["addressee_agency_id"] = addressee_id
    return fields


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
    fields["bases"] = "\n".join(spec.bases) or FIELDS["bases"].example
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
