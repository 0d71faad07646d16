"""Violations found from deadlines, the procuracy's actions and their replies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import services as cases
from cases.models import Agency, EventKind
from monitoring import jobs
from monitoring.models import Alert
from violations import services, sync
from violations.models import Action, Violation


def d(day: int, month: int, year: int) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def prison_case(make_case, unit_a, court_a, prosecutor_a):
    return make_case(unit_a, court=court_a, prosecutor=prosecutor_a)


def qdtha_sent_late(case, court, issued: dt.date, sent: dt.date):
    cases.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=issued,
        number="45/2025/QĐ-CA",
        agency=court,
    )
    return cases.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_SENT,
        date=sent,
        agency=court,
        details={"recipient": "procuracy"},
    )


def a7(case):
    return Violation.objects.filter(case=case, rule="A7")


# Automatic violations ---------------------------------------------------------


def test_a_late_a7_is_one_violation_of_the_issuing_court(prison_case, court_a):
    """A7 (LTHAHS 2019 Art. 22(2)): QĐTHA Mon 05/05/2025, sent within 3
    working days, i.e. by Thu 08/05/2025; sent Tue 13/05/2025: 5 days late."""
    qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))

    violation = a7(prison_case).get()
    assert violation.agency == court_a
    assert (violation.due, violation.done) == (d(8, 5, 2025), d(13, 5, 2025))
    assert violation.late_days(d(1, 6, 2025)) == 5
    assert violation.source == Violation.Source.AUTO
    assert violation.state == Violation.State.FOUND
    assert "Điều 22" in violation.basis
    # Its history starts with its creation, as every register row's does
    # (overdue once the QĐTHA was recorded, then met late by the sending).
    first = violation.history.earliest("history_date")
    assert first.history_type == "+"
    assert (first.rule, first.due, first.agency_id) == ("A7", d(8, 5, 2025), court_a.pk)
    assert violation.history.latest("history_date").done == d(13, 5, 2025)


def test_a_late_placement_is_the_ministrys_violation_not_the_provinces(
    prison_case, unit_a
):
    """A9c (LTHAHS 2019 Art. 23(2)): the Ministry's body decides the place of
    serving within 5 working days of the provincial file, completed Mon
    02/06/2025: by Mon 09/06/2025. Decided Fri 13/06/2025, 4 days late: the
    violation is the Ministry body's, not the provincial agency's that
    started the clock."""
    province = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY,
        name="Cơ quan THAHS Công an tỉnh Thử Nghiệm",
        province=unit_a,
    )
    ministry = Agency.objects.create(
        kind=Agency.Kind.OTHER, name="Cục quản lý trại giam - Bộ Công an"
    )
    cases.add_event(
        prison_case,
        kind=EventKind.PROVINCIAL_FILE_COMPLETED,
        date=d(2, 6, 2025),
        agency=province,
    )
    cases.add_event(
        prison_case,
        kind=EventKind.PLACE_OF_SERVING_DECIDED,
        date=d(13, 6, 2025),
        agency=ministry,
    )

    violation = Violation.objects.get(case=prison_case, rule="A9c")
    assert violation.agency == ministry
    assert (violation.due, violation.done) == (d(9, 6, 2025), d(13, 6, 2025))


def test_correcting_the_event_removes_the_violation_with_history(prison_case, court_a):
    sent = qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))
    violation = a7(prison_case).get()

    cases.change_event(sent, date=d(8, 5, 2025))

    assert not a7(prison_case).exists()
    history = Violation.history.filter(id=violation.pk).order_by("history_date")
    types = [h.history_type for h in history]
    assert (types[0], types[-1]) == ("+", "-")


def test_recomputing_again_does_not_duplicate(prison_case, court_a):
    qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))
    from monitoring.services import recompute_case

    recompute_case(prison_case)
    recompute_case(prison_case)
    assert a7(prison_case).count() == 1


def test_a_violation_in_an_issued_action_is_withdrawn_not_deleted(
    prison_case, court_a, leader_a
):
    sent = qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))
    violation = a7(prison_case).get()
    action = services.create_action(leader_a, [violation], kind="recommendation")
    services.issue_action(action, leader_a, number="01/KN-VKS", issued_on=d(2, 4, 2025))

    cases.change_event(sent, date=d(7, 5, 2025))

    violation.refresh_from_db()
    assert violation.state == Violation.State.WITHDRAWN
    assert violation.action == action
    assert "không còn bị vi phạm" in violation.closed_note


def test_the_convicts_own_missed_duty_is_not_an_agency_violation(
    make_case, unit_a, court_a
):
    """A10: a convict at liberty must report within 7 days of being served
    the QĐTHA; missing it calls for escort, not a violation of an agency."""
    case = make_case(unit_a, court=court_a, custody="at_liberty")
    cases.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=d(5, 5, 2025),
        agency=court_a,
    )
    cases.add_event(case, kind=EventKind.EXECUTION_DECISION_SERVED, date=d(7, 5, 2025))
    overdue = sync.noncompliance([case.unit_id], d(2, 6, 2025))
    assert any(row.rule == "A10" for row in overdue)
    assert not Violation.objects.filter(case=case, rule="A10").exists()


def test_the_nightly_run_turns_a_newly_passed_deadline_into_a_violation(
    prison_case, court_a
):
    """A7: QĐTHA Mon 05/05/2025, due Thu 08/05/2025 and not yet sent. On the
    8th it is not late; the run of Fri 09/05/2025 finds it overdue."""
    cases.add_event(
        prison_case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=d(5, 5, 2025),
        agency=court_a,
    )
    Violation.objects.all().delete()
    sync.sync_cases([prison_case.pk], as_of=d(8, 5, 2025))
    assert not a7(prison_case).exists()

    jobs.run_monitoring(as_of=d(9, 5, 2025))

    violation = a7(prison_case).get()
    assert violation.done is None
    assert violation.late_days(d(9, 5, 2025)) == 1
    assert violation.found_on == d(9, 5, 2025)


# Repetition -------------------------------------------------------------------


def test_a_second_a7_of_the_same_court_in_the_year_is_flagged(
    make_case, unit_a, court_a
):
    """Procuracy year 2025 runs 01/12/2024 - 30/11/2025; due dates 08/05 and
    12/06/2025 fall in it, 04/12/2025 in the next one."""
    first = make_case(unit_a, court=court_a, full_name="Lê Văn Một")
    second = make_case(
        unit_a, court=court_a, full_name="Lê Văn Hai", number="13/2025/HS-ST"
    )
    third = make_case(
        unit_a,
        court=court_a,
        full_name="Lê Văn Ba",
        number="14/2025/HS-ST",
        pronounced_on=d(1, 10, 2025),
        effective_on=d(3, 11, 2025),
    )
    qdtha_sent_late(first, court_a, d(5, 5, 2025), d(13, 5, 2025))
    qdtha_sent_late(second, court_a, d(9, 6, 2025), d(17, 6, 2025))
    qdtha_sent_late(third, court_a, d(1, 12, 2025), d(9, 12, 2025))

    violations = list(Violation.objects.filter(rule="A7").order_by("due"))
    assert [v.due for v in violations] == [
        d(8, 5, 2025),
        d(12, 6, 2025),
        d(4, 12, 2025),
    ]
    ranks = services.repeat_ranks(violations)
    assert [ranks[v.pk] for v in violations] == [1, 2, 1]


def test_the_page_flags_repetition_and_filters_to_it(
    make_case, unit_a, court_a, prosecutor_a, client_for
):
    first = make_case(unit_a, court=court_a, full_name="Lê Văn Một")
    second = make_case(
        unit_a, court=court_a, full_name="Lê Văn Hai", number="13/2025/HS-ST"
    )
    qdtha_sent_late(first, court_a, d(5, 5, 2025), d(13, 5, 2025))
    qdtha_sent_late(second, court_a, d(9, 6, 2025), d(17, 6, 2025))
    client = client_for(prosecutor_a)

    page = client.get("/vi-pham/", {"rule": "A7", "repeated": "on"}).content.decode()

    assert "Lặp lại lần 2" in page
    assert "Lê Văn Hai" in page
    assert "Lê Văn Một" not in page


# Actions ----------------------------------------------------------------------


@pytest.fixture
def late_a7(prison_case, court_a):
    qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))
    return a7(prison_case).get()


def test_a_recommendations_reply_is_due_30_days_after_receipt_across_tet(
    late_a7, leader_a
):
    """J6 (LTHAHS 2019 Art. 169(5)): reply within 30 days of receipt.
    Received Mon 19/01/2026: day 30 is Wed 18/02/2026, the second day of
    Tết (holidays 14-22/02/2026), so the reply is due Mon 23/02/2026."""
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(
        action,
        leader_a,
        number="03/KN-VKSKV1",
        issued_on=d(16, 1, 2026),
        received_on=d(19, 1, 2026),
    )
    action.refresh_from_db()
    assert action.reply_rule == "J6"
    assert action.reply_due == d(23, 2, 2026)
    assert any("Tết" in line for line in action.reply_explanation)
    late_a7.refresh_from_db()
    assert late_a7.state == Violation.State.INCLUDED


def test_a_protest_against_an_agencys_act_is_answered_within_15_days(late_a7, leader_a):
    """J4 (Art. 169(4)): 15 days of receipt; received Mon 04/08/2025 → day
    15 is Tue 19/08/2025, a working day."""
    action = services.create_action(
        leader_a, [late_a7], kind="protest", target="agency_act"
    )
    services.issue_action(
        action,
        leader_a,
        number="01/KNgh",
        issued_on=d(1, 8, 2025),
        received_on=d(4, 8, 2025),
    )
    assert (action.reply_rule, action.reply_due) == ("J4", d(19, 8, 2025))


def test_a_protest_against_a_court_decision_has_no_reply_deadline(late_a7, leader_a):
    action = services.create_action(
        leader_a, [late_a7], kind="protest", target="court_decision"
    )
    services.issue_action(action, leader_a, number="02/KNgh", issued_on=d(1, 8, 2025))
    assert action.reply_due is None


def test_without_a_receipt_date_the_reply_counts_from_issue_and_says_so(
    late_a7, leader_a, prosecutor_a
):
    action = services.create_action(prosecutor_a, [late_a7], kind="recommendation")
    services.issue_action(action, leader_a, number="04/KN", issued_on=d(2, 6, 2025))
    assert action.reply_due == d(2, 7, 2025)
    assert "chưa ghi ngày cơ quan nhận" in action.reply_explanation[0]

    services.set_received(action, prosecutor_a, d(5, 6, 2025))
    assert action.reply_due == d(7, 7, 2025)  # Sat 05/07 → Mon 07/07/2025


def test_an_unanswered_recommendation_raises_an_alert_and_needs_attention(
    late_a7, leader_a, client_for
):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(
        action,
        leader_a,
        number="05/KN",
        issued_on=d(2, 6, 2025),
        received_on=d(3, 6, 2025),
    )
    assert action.reply_due == d(3, 7, 2025)

    jobs.run_monitoring(as_of=d(4, 7, 2025))
    jobs.run_monitoring(as_of=d(4, 7, 2025))

    # One alert, about the recommendation as a whole, not one of its convicts.
    alert = Alert.objects.get(rule="J6", day=d(4, 7, 2025))
    assert (alert.action, alert.case) == (action, None)
    assert alert.user == leader_a
    assert "chưa trả lời" in alert.title
    overdue, _ = services.attention([late_a7.unit_id], d(4, 7, 2025))
    assert list(overdue) == [action]
    # The notifications page lists the last 30 days: read it as on that day.
    Alert.objects.filter(pk=alert.pk).update(day=timezone.localdate())
    page = client_for(leader_a).get("/thong-bao/").content.decode()
    assert f'<a href="/van-ban-kien-nghi/{action.pk}/">Kiến nghị số 05/KN</a>' in page


def test_an_accepted_reply_remedies_the_violations(late_a7, leader_a, prosecutor_a):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(action, leader_a, number="06/KN", issued_on=d(2, 6, 2025))
    services.record_reply(
        action, prosecutor_a, reply_on=d(20, 6, 2025), outcome="accepted"
    )
    late_a7.refresh_from_db()
    assert late_a7.state == Violation.State.REMEDIED
    assert action.state == Action.State.ANSWERED


def test_a_rejected_protest_shows_the_laws_next_step(
    late_a7, leader_a, prosecutor_a, client_for
):
    """J4 (LTHAHS 2019 Art. 169(4)): an agency that disagrees complains to
    the superior procuracy, which decides within 15 days."""
    action = services.create_action(
        leader_a, [late_a7], kind="protest", target="agency_act"
    )
    services.issue_action(action, leader_a, number="07/KNG", issued_on=d(2, 6, 2025))
    services.record_reply(
        action, prosecutor_a, reply_on=d(10, 6, 2025), outcome="rejected"
    )

    page = client_for(prosecutor_a).get(f"/van-ban-kien-nghi/{action.pk}/")

    text = page.content.decode()
    assert "Bước tiếp theo" in text
    assert "quyết định trong 15 ngày" in text


def test_one_action_is_addressed_to_one_agency(late_a7, leader_a, make_case, unit_a):
    other_court = Agency.objects.create(kind=Agency.Kind.COURT, name="Tòa án khác")
    case = make_case(unit_a, court=other_court, full_name="Trần Văn Khác")
    qdtha_sent_late(case, other_court, d(5, 5, 2025), d(13, 5, 2025))
    with pytest.raises(ValidationError, match="một cơ quan"):
        services.create_action(
            leader_a, [late_a7, a7(case).get()], kind="recommendation"
        )


def test_only_a_leader_or_clerk_records_the_issue(late_a7, prosecutor_a):
    action = services.create_action(prosecutor_a, [late_a7], kind="recommendation")
    with pytest.raises(PermissionDenied):
        services.issue_action(
            action, prosecutor_a, number="07/KN", issued_on=d(2, 6, 2025)
        )


# Screens ----------------------------------------------------------------------


def test_from_the_list_to_an_issued_recommendation_in_a_few_clicks(
    late_a7, leader_a, client_for
):
    client = client_for(leader_a)
    page = client.get("/vi-pham/").content.decode()
    assert "Tòa án nhân dân" in page and "A7" in page

    chosen = client.post("/van-ban-kien-nghi/lap/", {"violations": [late_a7.pk]})
    assert chosen.status_code == 200
    assert "Nguyễn Văn An" in chosen.content.decode()

    created = client.post(
        "/van-ban-kien-nghi/lap/",
        {"violations": [late_a7.pk], "kind": "recommendation", "confirm": "1"},
    )
    action = Action.objects.get()
    assert created["Location"] == f"/van-ban-kien-nghi/{action.pk}/"

    issued = client.post(
        f"/van-ban-kien-nghi/{action.pk}/ban-hanh/",
        {
            "number": "08/KN-VKSKV1",
            "issued_on": "02/06/2025",
            "received_on": "03/06/2025",
        },
    )
    assert issued.status_code == 302
    detail = client.get(f"/van-ban-kien-nghi/{action.pk}/").content.decode()
    assert "Hạn trả lời: 03/07/2025" in detail
    assert "(Điều 169 khoản 5 Luật Thi hành án hình sự năm 2019)" in detail
    assert "chưa đối chiếu" not in detail


def test_a_recommendation_issued_after_the_2025_law_cites_it_without_an_article(
    late_a7, leader_a, prosecutor_a, client_for
):
    action = services.create_action(prosecutor_a, [late_a7], kind="recommendation")
    services.issue_action(
        action, leader_a, number="08/KN-VKSKV1", issued_on=d(2, 7, 2026)
    )

    client = client_for(leader_a)
    detail = client.get(f"/van-ban-kien-nghi/{action.pk}/").content.decode()
    paper = client.get(f"/van-ban-kien-nghi/{action.pk}/in/").content.decode()

    for page in (detail, paper):
        assert "kể từ ngày nhận được kiến nghị (Luật Thi hành án hình sự số " in page
        assert "năm 2019" not in page
    assert "Căn cứ chưa đối chiếu" in detail
    assert "chưa đối chiếu" not in paper


def test_a_bad_issue_form_keeps_what_was_typed(late_a7, leader_a, client_for):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    client = client_for(leader_a)
    response = client.post(
        f"/van-ban-kien-nghi/{action.pk}/ban-hanh/",
        {"number": "09/KN", "issued_on": "02/06/2025", "received_on": "01/06/2025"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "không được trước ngày ban hành" in page
    assert 'value="09/KN"' in page
    action.refresh_from_db()
    assert action.state == Action.State.DRAFT


def test_a_prosecutor_records_a_violation_found_by_hand(
    prison_case, court_a, prosecutor_a, client_for
):
    client = client_for(prosecutor_a)
    response = client.post(
        f"/ho-so/{prison_case.pk}/vi-pham/them/",
        {
            "agency": court_a.pk,
            "title": "Quyết định thi hành án ghi sai thời hạn chấp hành án",
            "basis": "Luật THAHS 2019, Điều 22 khoản 1",
            "found_on": "02/06/2025",
        },
    )
    assert response.status_code == 302
    violation = Violation.objects.get(source=Violation.Source.MANUAL)
    assert violation.agency == court_a
    assert violation.created_by == prosecutor_a


def test_a_manual_violation_with_a_missing_field_says_so_in_vietnamese(
    prison_case, prosecutor_a, client_for
):
    client = client_for(prosecutor_a)
    response = client.post(
        f"/ho-so/{prison_case.pk}/vi-pham/them/",
        {"title": "Thiếu cơ quan", "basis": "Điều 22", "found_on": "02/06/2025"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in page
    assert 'value="Thiếu cơ quan"' in page


def test_a_manual_violation_dated_before_the_judgment_is_refused(
    prison_case, court_a, prosecutor_a, client_for
):
    """The judgment was pronounced on 20/03/2025: a duty due on 01/01/2020,
    met on 02/01/2020, cannot be a breach in its execution."""
    client = client_for(prosecutor_a)
    response = client.post(
        f"/ho-so/{prison_case.pk}/vi-pham/them/",
        {
            "agency": court_a.pk,
            "title": "Chậm gửi quyết định",
            "basis": "Điều 22",
            "found_on": "02/06/2025",
            "due": "01/01/2020",
            "done": "02/01/2020",
        },
    )
    page = response.content.decode()
    assert "Hạn phải thực hiện trước ngày tuyên án 20/03/2025." in page
    assert "Ngày thực hiện trước ngày tuyên án 20/03/2025." in page
    assert 'value="Chậm gửi quyết định"' in page
    assert not Violation.objects.filter(source=Violation.Source.MANUAL).exists()


# Scope ------------------------------------------------------------------------


def test_another_units_staff_can_neither_see_nor_act(
    late_a7, leader_a, prosecutor_b, client_for
):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    outsider = client_for(prosecutor_b)

    assert "Nguyễn Văn An" not in outsider.get("/vi-pham/").content.decode()
    assert outsider.get(f"/vi-pham/{late_a7.pk}/").status_code == 404
    assert outsider.get(f"/van-ban-kien-nghi/{action.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/van-ban-kien-nghi/{action.pk}/ban-hanh/",
            {"number": "1/KN", "issued_on": "02/06/2025"},
        ).status_code
        == 404
    )
    # Posting another unit's violation ids creates nothing.
    outsider.post(
        "/van-ban-kien-nghi/lap/",
        {"violations": [late_a7.pk], "kind": "recommendation", "confirm": "1"},
    )
    assert Action.objects.count() == 1
    late_a7.refresh_from_db()
    assert late_a7.action == action


def test_a_provincial_leader_reads_but_cannot_act(late_a7, province_leader, client_for):
    client = client_for(province_leader)
    assert client.get(f"/vi-pham/{late_a7.pk}/").status_code == 200
    assert "Nguyễn Văn An" in client.get("/vi-pham/").content.decode()
    response = client.post(
        f"/vi-pham/{late_a7.pk}/ket-thuc/", {"note": "Không cần kiến nghị"}
    )
    assert response.status_code == 403


def test_the_case_page_lists_its_violations(late_a7, prosecutor_a, client_for):
    page = client_for(prosecutor_a).get(f"/ho-so/{late_a7.case_id}/").content.decode()
    assert 'id="vi-pham"' in page
    assert f"/vi-pham/{late_a7.pk}/" in page
    assert "Ghi nhận vi phạm" in page


def test_a_bulk_load_brings_violations_in_step_once_at_the_end(prison_case, court_a):
    from violations.receivers import deferred

    with deferred():
        qdtha_sent_late(prison_case, court_a, d(5, 5, 2025), d(13, 5, 2025))
        assert not a7(prison_case).exists()
    assert a7(prison_case).count() == 1


def test_a_new_draft_gets_the_usual_requests_of_its_kind(late_a7, leader_a):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    assert "khắc phục ngay" in action.content
    assert action.addressee.startswith("Chánh án ")


# The official document of an action ------------------------------------------


def _docx_text(content: bytes) -> str:
    import io

    from docx import Document as Docx

    return "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)


def test_an_actions_document_lists_each_convict_and_issuing_it_issues_the_action(
    late_a7, make_case, unit_a, court_a, prosecutor_a, leader_a, clerk_a, client_for
):
    from documents import services as documents

    other = make_case(unit_a, court=court_a, full_name="Phạm Thị Hai", number="2/2025")
    qdtha_sent_late(other, court_a, d(9, 6, 2025), d(17, 6, 2025))
    action = services.create_action(
        prosecutor_a, [late_a7, a7(other).get()], kind="recommendation"
    )

    response = client_for(prosecutor_a).post(f"/van-ban-kien-nghi/{action.pk}/soan/")
    action.refresh_from_db()
    document = action.document
    assert response["Location"] == f"/van-ban/{document.pk}/"
    assert (document.form_code, document.case) == ("KN", None)

    text = _docx_text(documents.document_docx(document))
    assert "Đối với Nguyễn Văn An (số thụ lý" in text
    assert "Đối với Phạm Thị Hai (số thụ lý" in text
    assert "Người bị kết án:" not in text
    assert "từ ngày 08/05/2025 đến ngày 12/06/2025" in text
    assert "trả lời kiến nghị bằng văn bản trong thời hạn 30 ngày" in text

    documents.submit_document(document, prosecutor_a)
    documents.approve_document(document, leader_a)
    document = documents.issue_document(document, clerk_a, d(1, 7, 2025))

    action.refresh_from_db()
    assert action.state == Action.State.ISSUED
    assert action.number == document.number_text
    assert action.issued_on == d(1, 7, 2025)
    # J6: 30 days from issue (no receipt date yet): Fri 31/07/2025.
    assert action.reply_due == d(31, 7, 2025)
    assert set(action.violations.values_list("state", flat=True)) == {"included"}


def test_a_number_typed_for_a_paper_kien_nghi_is_not_issued_again(
    late_a7, make_case, unit_a, court_a, prosecutor_a, leader_a, clerk_a, client_for
):
    """A kiến nghị issued on paper as 01/KN-VKSKV1 (typed on its page) on
    30/06/2025; the next one drafted here is numbered 02 by the clerk, not
    refused as 01 again and again; both stand in the outgoing register."""
    from documents import services as documents

    paper = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(
        paper, leader_a, number="01/KN-VKSKV1", issued_on=d(30, 6, 2025)
    )
    other = make_case(unit_a, court=court_a, full_name="Phạm Thị Hai", number="2/2025")
    qdtha_sent_late(other, court_a, d(9, 6, 2025), d(17, 6, 2025))
    action = services.create_action(
        prosecutor_a, [a7(other).get()], kind="recommendation"
    )
    document = documents.create_action_document(action, prosecutor_a, d(1, 7, 2025))
    document.fields["symbol_suffix"] = "VKSKV1"
    document.save()
    documents.submit_document(document, prosecutor_a)
    documents.approve_document(document, leader_a)

    document = documents.issue_document(document, clerk_a, d(1, 7, 2025))

    assert document.number_text == "02/KN-VKSKV1"
    page = client_for(leader_a).get("/van-ban/", {"so": "di", "nam": 2025})
    text = page.content.decode()
    assert "01/KN-VKSKV1" in text
    assert "02/KN-VKSKV1" in text
    assert text.index("01/KN-VKSKV1") < text.index("02/KN-VKSKV1")
    assert f"/van-ban-kien-nghi/{paper.pk}/" in text


def test_a_kien_nghi_of_several_convicts_saves_without_naming_one(
    late_a7, make_case, unit_a, court_a, prosecutor_a, client_for
):
    """Two convicts' late A7: editing the kiến nghị drafted from them saves
    with no single convict's name, and the opening keeps the period."""
    from documents.catalogue import FORMS

    other = make_case(unit_a, court=court_a, full_name="Phạm Thị Hai", number="2/2025")
    qdtha_sent_late(other, court_a, d(9, 6, 2025), d(17, 6, 2025))
    action = services.create_action(
        prosecutor_a, [late_a7, a7(other).get()], kind="recommendation"
    )
    client = client_for(prosecutor_a)
    client.post(f"/van-ban-kien-nghi/{action.pk}/soan/")
    action.refresh_from_db()
    document = action.document
    data = {
        key: document.fields.get(key, "") or ""
        for key in FORMS[document.form_code].fields
    }
    data["person_name"] = ""
    form_page = client.get(f"/van-ban/{document.pk}/sua/").content.decode()

    response = client.post(f"/van-ban/{document.pk}/sua/", data)

    assert response.status_code == 302
    document.refresh_from_db()
    assert not document.fields.get("person_name")
    assert "từ ngày 08/05/2025 đến ngày 12/06/2025" in document.summary
    # Sent late, not still owed: "chậm", never "quá hạn".
    assert "thực hiện ngày 13/05/2025, chậm" in form_page


def test_the_filtered_violations_export_to_excel_and_the_export_is_recorded(
    late_a7, prosecutor_a, client_for
):
    import io

    from openpyxl import load_workbook

    from audit.models import AuditLog

    response = client_for(prosecutor_a).get("/vi-pham/", {"rule": "A7", "xuat": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Nguyễn Văn An" in values
    assert "Tòa án gửi quyết định thi hành án phạt tù" in values
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()


def test_the_unit_dashboard_shows_a_late_reply(late_a7, leader_a, client_for):
    action = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(
        action,
        leader_a,
        number="10/KN",
        issued_on=d(2, 6, 2025),
        received_on=d(3, 6, 2025),
    )
    page = client_for(leader_a).get("/giam-sat/").content.decode()
    assert "Quá hạn trả lời" in page
    assert f"/van-ban-kien-nghi/{action.pk}/" in page


def test_a_number_already_used_in_the_year_is_refused(
    late_a7, leader_a, make_case, unit_a, court_a
):
    other = make_case(unit_a, court=court_a, full_name="Phạm Thị Hai", number="2/2025")
    qdtha_sent_late(other, court_a, d(9, 6, 2025), d(17, 6, 2025))
    first = services.create_action(leader_a, [late_a7], kind="recommendation")
    services.issue_action(first, leader_a, number="01/KN-VKS", issued_on=d(2, 6, 2025))
    second = services.create_action(leader_a, [a7(other).get()], kind="request")
    with pytest.raises(ValidationError, match="đã được dùng"):
        services.issue_action(
            second, leader_a, number="01/kn-vks", issued_on=d(3, 6, 2025)
        )
    # A new procuracy year (from 01/12) numbers from 01 again.
    services.issue_action(
        second, leader_a, number="01/KN-VKS", issued_on=d(2, 12, 2025)
    )


def test_an_id_too_large_for_the_database_is_ignored_not_an_error(
    late_a7, leader_a, client_for
):
    """A tampered id beyond bigint reaches no query: the page answers."""
    client = client_for(leader_a)
    huge = "9" * 20

    chosen = client.post(
        "/van-ban-kien-nghi/lap/", {"violations": [huge, str(late_a7.pk)]}
    )
    listing = client.get(f"/giam-sat/thoi-han/?ksv={huge}&agency={huge}")

    assert chosen.status_code == 200
    assert late_a7.case.person.full_name in chosen.content.decode()
    assert listing.status_code == 200


def test_the_printable_summary_says_it_is_not_the_issued_document(
    late_a7, leader_a, client_for
):
    """Each violation reads rule first, then whose case it is; the page says
    the official document is drafted from the form, not printed from here."""
    action = services.create_action(leader_a, [late_a7], kind="recommendation")

    page = client_for(leader_a).get(f"/van-ban-kien-nghi/{action.pk}/in/")

    text = page.content.decode()
    assert "không phải văn bản ban hành" in text
    assert f"1. {late_a7.title}: đối với {late_a7.case.person.full_name}" in text


def test_a_qdtha_issued_by_an_entrusted_court_and_sent_late_is_that_courts(
    prison_case, court_a
):
    """A7 (LTHAHS 2019 Art. 22(2)): the court that issued the QĐTHA sends it
    within 3 working days. Entrusted (BLTTHS Art. 364(2)), another court
    issued it on Mon 05/05/2025 and sent it Tue 13/05/2025, 5 days after
    Thu 08/05/2025: the violation is the entrusted court's, not the court
    that tried the case."""
    entrusted = Agency.objects.create(
        kind=Agency.Kind.COURT, name="Tòa án nhân dân khu vực 9 - Thử Ủy Thác"
    )

    qdtha_sent_late(prison_case, entrusted, d(5, 5, 2025), d(13, 5, 2025))

    assert a7(prison_case).get().agency == entrusted
    assert prison_case.deadlines.get(rule="A7").agency == entrusted
