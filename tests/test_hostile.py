"""An account of unit_b edits ids in URLs and forms to reach unit_a's cases.

The sweep (test_isolation_sweep.py) tries every route with foreign ids;
these are the attempts a hostile colleague would make by hand, each with
the outcome the closing note of issue #7 records. On SQLite and PostgreSQL
alike only the application layer stands in the way (row-level security is
not in place yet).
"""

import datetime as dt

import pytest
from django.urls import reverse

from cases import services
from cases.models import Event, EventKind, ExecutionCase, User
from tests.cases.test_views import _entry_data


@pytest.fixture
def foreign(unit_a, prosecutor_a, make_case):
    case = make_case(unit_a, full_name="Trịnh Thị Bí Mật", prosecutor=prosecutor_a)
    event = services.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 28),
        user=prosecutor_a,
    )
    return case, event


@pytest.fixture
def own(unit_b, prosecutor_b, make_case):
    return make_case(unit_b, full_name="Lý Văn Công", prosecutor=prosecutor_b)


@pytest.fixture
def leader_b(unit_b):
    return User.objects.create_user(
        "lanhdao.b", password="x", full_name="Đinh Văn Nam", unit=unit_b, role="leader"
    )


def test_reading_a_foreign_case_by_its_id_is_not_found(
    foreign, prosecutor_b, client_for
):
    case, _ = foreign
    client = client_for(prosecutor_b)

    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(f"/ho-so/?unit={case.unit_id}").status_code == 404
    assert client.get(f"/?unit={case.unit_id}").status_code == 404


def test_adding_an_event_to_a_foreign_case_is_not_found(
    foreign, prosecutor_b, client_for
):
    case, _ = foreign

    response = client_for(prosecutor_b).post(
        reverse("cases:event_add", args=[case.pk]),
        {"kind": "reported_to_serve", "date": "02/05/2025"},
    )

    assert response.status_code == 404
    assert case.events.count() == 1


def test_a_foreign_event_under_an_own_case_is_not_found(
    foreign, own, prosecutor_b, client_for
):
    _, event = foreign
    client = client_for(prosecutor_b)

    edit = client.post(
        reverse("cases:event_edit", args=[own.pk, event.pk]),
        {"kind": event.kind, "date": "01/01/2025"},
    )
    delete = client.post(reverse("cases:event_delete", args=[own.pk, event.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    event.refresh_from_db()
    assert event.date == dt.date(2025, 4, 28)
    assert event.deleted_at is None
    assert Event.objects.filter(case=own).count() == 0


def test_cancelling_a_foreign_case_is_not_found(foreign, prosecutor_b, client_for):
    case, _ = foreign

    response = client_for(prosecutor_b).post(
        reverse("cases:cancel", args=[case.pk]), {"reason": "nhầm"}
    )

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.cancelled_on is None


def test_an_entry_cannot_assign_a_foreign_prosecutor(
    foreign, prosecutor_a, prosecutor_b, court_a, client_for
):
    response = client_for(prosecutor_b).post(
        reverse("cases:create"),
        _entry_data(court_a, **{"convict-0-prosecutor": str(prosecutor_a.pk)}),
    )

    assert response.status_code == 200
    assert "prosecutor" in response.context["formset"].forms[0].errors
    assert not ExecutionCase.objects.filter(prosecutor=prosecutor_a).exclude(
        pk=foreign[0].pk
    )


def test_a_leader_cannot_assign_an_own_case_to_a_foreign_prosecutor(
    own, leader_b, prosecutor_a, prosecutor_b, client_for
):
    client_for(leader_b).post(
        reverse("cases:assign", args=[own.pk]), {"prosecutor": prosecutor_a.pk}
    )

    own.refresh_from_db()
    assert own.prosecutor == prosecutor_b


def test_a_leader_cannot_name_a_foreign_prosecutor_as_absent_or_cover(
    leader_b, prosecutor_a, prosecutor_b, client_for
):
    from cases.models import Cover

    client_for(leader_b).post(
        reverse("cases:covers"),
        {
            "absent": prosecutor_a.pk,
            "cover": prosecutor_b.pk,
            "start": "01/06/2025",
            "end": "10/06/2025",
        },
    )

    assert not Cover.objects.exists()


def test_overriding_a_foreign_deadline_is_not_found(foreign, prosecutor_b, client_for):
    case, _ = foreign
    deadline = case.deadlines.first()

    response = client_for(prosecutor_b).post(
        reverse("monitoring:override", args=[case.pk, deadline.pk]),
        {"due": "01/12/2025", "reason": "other", "note": "x"},
    )

    assert response.status_code == 404
    deadline.refresh_from_db()
    assert deadline.computed_due is None
