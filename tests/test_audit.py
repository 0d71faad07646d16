"""The audit log, the case's change history and deleted events."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from audit.models import AuditLog
from cases import services
from cases.models import Event, EventKind
from tests.conftest import PASSWORD


def _sign_in(client: Client, username: str, password: str):
    # The password step of the two-factor sign-in wizard.
    return client.post(
        reverse("login"),
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
    )


# Sign-ins ---------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_account_unit_and_address(prosecutor_a):
    _sign_in(Client(REMOTE_ADDR="10.0.0.7"), "ksv.a", PASSWORD)

    entry = AuditLog.objects.get(action=AuditLog.Action.SIGN_IN)
    assert entry.user == prosecutor_a
    assert entry.username == "ksv.a"
    assert entry.unit_id == prosecutor_a.unit_id
    assert entry.ip_address == "10.0.0.7"


def test_a_failed_sign_in_is_recorded_without_the_password(prosecutor_a):
    _sign_in(Client(), "ksv.a", "Sai@matkhau2026")

    entry = AuditLog.objects.get(action=AuditLog.Action.SIGN_IN_FAILED)
    assert entry.user is None
    assert entry.username == "ksv.a"
    stored = " ".join(
        str(value) for value in AuditLog.objects.values_list().get(pk=entry.pk)
    )
    assert "Sai@matkhau2026" not in stored


def test_a_sign_out_is_recorded(prosecutor_a, client_for):
    client_for(prosecutor_a).post(reverse("logout"))

    assert AuditLog.objects.filter(
        action=AuditLog.Action.SIGN_OUT, user=prosecutor_a
    ).exists()


# Exports ----------------------------------------------------------------------


def test_an_export_is_recorded_without_personal_data(unit_a, make_case):
    make_case(unit_a, full_name="Trịnh Thị Bí Mật", id_number="031190001234")

    call_command("export_cases", unit=unit_a.code, stdout=io.StringIO())

    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert entry.unit == unit_a
    assert "1 hồ sơ" in entry.detail
    text = f"{entry.username} {entry.target} {entry.detail}"
    assert "Bí Mật" not in text
    assert "031190001234" not in text


# The administrators' view -----------------------------------------------------


def test_administrators_filter_the_log_by_action(administrator, client_for):
    AuditLog.objects.create(action=AuditLog.Action.SIGN_IN, username="ksv.a")
    AuditLog.objects.create(action=AuditLog.Action.EXPORT, username="ksv.xuat")
    url = reverse("admin:audit_auditlog_changelist")

    response = client_for(administrator).get(url, {"action__exact": "export"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "ksv.xuat" in body
    assert "ksv.a<" not in body


def test_nobody_edits_or_deletes_the_log(administrator, client_for):
    entry = AuditLog.objects.create(action=AuditLog.Action.SIGN_IN, username="x")
    client = client_for(administrator)

    delete = client.post(reverse("admin:audit_auditlog_delete", args=[entry.pk]))
    change = client.post(
        reverse("admin:audit_auditlog_change", args=[entry.pk]), {"username": "y"}
    )

    assert delete.status_code == 403
    assert change.status_code in (200, 403)
    entry.refresh_from_db()
    assert entry.username == "x"


def test_other_roles_cannot_open_the_log(prosecutor_a, client_for):
    response = client_for(prosecutor_a).get(reverse("admin:audit_auditlog_changelist"))

    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_a_signed_in_prosecutor_is_told_the_admin_is_not_theirs(
    prosecutor_a, client_for
):
    """Followed to its end, the admin's sign-in redirect once came back to
    itself until the browser gave up; now it stops on a page that says why."""
    response = client_for(prosecutor_a).get("/quan-tri/", follow=True)

    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    assert "chỉ dành cho quản trị hệ thống" in response.content.decode()


# Deleted events ---------------------------------------------------------------


@pytest.fixture
def case_with_event(unit_a, prosecutor_a, make_case):
    case = make_case(unit_a, prosecutor=prosecutor_a)
    event = services.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 28),
        number="88/2025/QĐ-CA",
        user=prosecutor_a,
    )
    return case, event


def test_deleting_an_event_keeps_it_marked_deleted(
    case_with_event, prosecutor_a, client_for
):
    case, event = case_with_event

    response = client_for(prosecutor_a).post(
        reverse("cases:event_delete", args=[case.pk, event.pk])
    )

    assert response.status_code == 302
    kept = Event.all_objects.get(pk=event.pk)
    assert kept.deleted_at is not None
    assert kept.deleted_by == prosecutor_a
    assert not case.events.exists()
    assert not Event.objects.filter(pk=event.pk).exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.EVENT_DELETED).exists()


def test_a_deleted_event_no_longer_counts_for_deadlines(case_with_event):
    from monitoring.services import facts_of

    case, event = case_with_event
    assert [fact.kind for fact in facts_of(case).events] == [event.kind]

    services.delete_event(event)

    assert list(facts_of(case).events) == []


def test_a_deleted_event_is_gone_from_the_case_page_but_in_its_history(
    case_with_event, prosecutor_a, client_for
):
    case, event = case_with_event
    services.delete_event(event, user=prosecutor_a)

    response = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    trail = [entry.what for entry in response.context["audit_trail"]]
    assert any(what.startswith("Xóa sự kiện") for what in trail)
    assert response.context["events"].count() == 0
    assert reverse("cases:event_edit", args=[case.pk, event.pk]) not in (
        response.content.decode()
    )


def test_a_deleted_event_cannot_be_edited_by_its_id(
    case_with_event, prosecutor_a, client_for
):
    case, event = case_with_event
    services.delete_event(event, user=prosecutor_a)

    response = client_for(prosecutor_a).get(
        reverse("cases:event_edit", args=[case.pk, event.pk])
    )

    assert response.status_code == 404


def test_an_administrator_restores_a_deleted_event(
    case_with_event, administrator, client_for
):
    case, event = case_with_event
    services.delete_event(event)
    client = client_for(administrator)

    listing = client.get(reverse("admin:cases_event_changelist"))
    response = client.post(
        reverse("admin:cases_event_changelist"),
        {"action": "restore", "_selected_action": [event.pk]},
    )

    assert listing.status_code == 200
    assert case.register_number in listing.content.decode()
    assert response.status_code == 302
    assert case.events.get() == event
    assert AuditLog.objects.filter(action=AuditLog.Action.EVENT_RESTORED).exists()


def test_a_restore_that_would_contradict_the_case_is_refused(
    unit_a, prosecutor_a, administrator, make_case, client_for
):
    """A death of 01/05/2025 deleted, then the convict reported to serve on
    05/05/2025: bringing the death back would put that report after it, so
    the administrator is told why and the death stays deleted. On a
    cancelled register number nothing comes back either."""
    case = make_case(unit_a, prosecutor=prosecutor_a)
    death = services.add_event(case, kind=EventKind.DEATH, date=dt.date(2025, 5, 1))
    services.delete_event(death)
    services.add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2025, 5, 5))
    client = client_for(administrator)
    url = reverse("admin:cases_event_changelist")

    response = client.post(
        url, {"action": "restore", "_selected_action": [death.pk]}, follow=True
    )

    page = response.content.decode()
    assert "Không khôi phục sự kiện" in page
    assert "05/05/2025" in page
    assert not case.events.filter(kind=EventKind.DEATH).exists()

    other = make_case(unit_a, prosecutor=prosecutor_a, number="2/2025/HS-ST")
    event = services.add_event(
        other, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 28)
    )
    services.delete_event(event)
    services.cancel_case(other, on=dt.date(2025, 6, 1), reason="Vào sổ nhầm")

    client.post(url, {"action": "restore", "_selected_action": [event.pk]})

    assert not other.events.exists()
    assert not AuditLog.objects.filter(action=AuditLog.Action.EVENT_RESTORED).exists()


def test_the_only_qdtha_cannot_be_deleted_from_under_its_sending(
    case_with_event, prosecutor_a, client_for
):
    """QĐTHA of 28/04/2025 sent on 29/04/2025: deleting the decision would
    leave a sending of nothing, and moving it after the sending is refused."""
    case, event = case_with_event
    services.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_SENT,
        date=dt.date(2025, 4, 29),
        details={"recipient": "procuracy"},
    )
    client = client_for(prosecutor_a)

    deleting = client.post(
        reverse("cases:event_delete", args=[case.pk, event.pk]), follow=True
    )
    moving = client.post(
        reverse("cases:event_edit", args=[case.pk, event.pk]),
        {"kind": EventKind.EXECUTION_DECISION_ISSUED, "date": "02/05/2025"},
    )

    assert "Chưa xóa: hồ sơ còn «Tòa án gửi QĐTHA» ngày 29/04/2025" in (
        deleting.content.decode()
    )
    assert "QĐTHA phải có trước khi được gửi, nhận, tống đạt." in (
        moving.content.decode()
    )
    assert case.events.get(kind=EventKind.EXECUTION_DECISION_ISSUED).date == (
        dt.date(2025, 4, 28)
    )


def test_only_deleted_events_are_listed_for_restoring(
    case_with_event, administrator, client_for
):
    response = client_for(administrator).get(reverse("admin:cases_event_changelist"))

    assert response.context["cl"].result_count == 0


# The case's history -----------------------------------------------------------


def test_the_case_page_shows_who_changed_what_and_when(
    case_with_event, prosecutor_a, client_for
):
    case, event = case_with_event
    client = client_for(prosecutor_a)
    client.post(
        reverse("cases:event_edit", args=[case.pk, event.pk]),
        {
            "kind": event.kind,
            "date": "29/04/2025",
            "number": "88/2025/QĐ-CA",
            "note": "",
        },
    )

    response = client.get(reverse("cases:detail", args=[case.pk]))

    body = response.content.decode()
    assert "Lịch sử thay đổi" in body
    edit = next(
        entry
        for entry in response.context["audit_trail"]
        if entry.what.startswith("Sửa sự kiện")
    )
    assert edit.who == prosecutor_a.full_name
    assert ("ngày", "28/04/2025", "29/04/2025") in [
        (c.label, c.old, c.new) for c in edit.changes
    ]
    created = [entry.what for entry in response.context["audit_trail"]]
    assert any(what.startswith("Tạo hồ sơ thụ lý") for what in created)
    assert any(what.startswith("Tạo người bị kết án") for what in created)


def test_a_change_made_in_the_admin_is_in_the_log(administrator, client_for):
    """An agency's end of validity moves whose duties are whose: the log says
    who changed which agency and which fields, not the values."""
    from cases.models import Agency

    agency = Agency.objects.create(kind=Agency.Kind.COURT, name="Tòa án Thử Nhật Ký")

    client_for(administrator).post(
        reverse("admin:cases_agency_change", args=[agency.pk]),
        {"kind": agency.kind, "name": agency.name, "valid_to": "30/06/2025"},
    )

    entry = AuditLog.objects.get(action=AuditLog.Action.ADMIN_CHANGE)
    assert entry.user == administrator
    assert entry.target == f"cases.agency #{agency.pk}"
    assert entry.detail.startswith("sửa cơ quan:")
    assert "hiệu lực đến" in entry.detail.lower()
    assert "30/06/2025" not in entry.detail
