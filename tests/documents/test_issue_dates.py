"""The issue date a clerk types: never before the approval, never before the
previous number of the same thread, never after today; a refused date is
shown beside the field with the date as typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import EventKind
from documents import services
from documents.models import Document, DocumentSequence

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


@pytest.fixture
def case(make_case, unit_a, court_a):
    return make_case(unit_a)


def _approved_on(day, case, prosecutor, leader, code="09TH"):
    """A document approved by the leader on ``day``."""
    fields = services.draft_fields(code, case, prosecutor, DAY)
    document = services.create_document(case, code, fields, prosecutor)
    services.submit_document(document, prosecutor)
    services.approve_document(document, leader)
    document.steps.filter(action="approved").update(
        at=timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    )
    return document


def _issue(client, document, typed):
    return client.post(
        reverse("documents:issue", args=[document.pk]), {"issued_on": typed}
    )


def test_an_issue_date_before_the_approval_is_refused_beside_the_field(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    document = _approved_on(
        dt.date(2026, 10, 20), case, prosecutor_a, leader_a, code="KN"
    )

    response = _issue(client_for(clerk_a), document, "01/01/2026")

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        '<div class="field-error" role="alert">Văn bản được duyệt ký ngày '
        "20/10/2026: ngày phát hành không được trước ngày duyệt ký.</div>"
    ) in html
    # The date as typed, not today's.
    assert 'value="01/01/2026"' in html
    assert "Đã vào sổ" not in html
    document.refresh_from_db()
    assert (document.state, document.number, document.issued_on) == (
        "approved",
        None,
        None,
    )
    # No reply deadline starts from a refused date.
    assert not case.events.filter(kind=EventKind.RECOMMENDATION_ISSUED).exists()


def test_the_approval_day_itself_is_accepted(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    document = _approved_on(dt.date(2026, 10, 20), case, prosecutor_a, leader_a)

    response = _issue(client_for(clerk_a), document, "20/10/2026")

    document.refresh_from_db()
    assert response.status_code == 302
    assert (document.number_text, document.issued_on) == (
        "01/YC-VKSKV1",
        dt.date(2026, 10, 20),
    )


def test_a_later_number_cannot_carry_an_earlier_date(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    first = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)
    second = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)
    clerk = client_for(clerk_a)
    assert _issue(clerk, first, "19/10/2026").status_code == 302

    refused = _issue(clerk, second, "18/10/2026")

    html = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "Số sau không thể mang ngày trước số trước: số 01/YC-VKSKV1 đã phát "
        "hành ngày 19/10/2026."
    ) in html
    assert 'value="18/10/2026"' in html
    second.refresh_from_db()
    assert second.number is None

    # The same day as the previous number is fine, and takes the next number.
    assert _issue(clerk, second, "19/10/2026").status_code == 302
    second.refresh_from_db()
    assert second.number_text == "02/YC-VKSKV1"
    register = clerk.get(reverse("documents:index") + "?so=di&nam=2026")
    rows = register.content.decode().split("<tbody>")[1]
    assert rows.index("01/YC-VKSKV1") < rows.index("02/YC-VKSKV1")


def test_another_numbering_year_or_type_is_another_thread(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    clerk = client_for(clerk_a)
    late = _approved_on(dt.date(2025, 11, 1), case, prosecutor_a, leader_a)
    assert _issue(clerk, late, "19/10/2026").status_code == 302

    # 30/11/2025 is in the procuracy year 2025, a notice is another type.
    earlier_year = _approved_on(dt.date(2025, 11, 1), case, prosecutor_a, leader_a)
    notice = _approved_on(dt.date(2025, 11, 1), case, prosecutor_a, leader_a, "13TH")

    assert _issue(clerk, earlier_year, "30/11/2025").status_code == 302
    assert _issue(clerk, notice, "02/03/2026").status_code == 302


def test_a_future_issue_date_is_refused(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    document = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = _issue(client_for(clerk_a), document, f"{tomorrow:%d/%m/%Y}")

    html = response.content.decode()
    assert response.status_code == 400
    assert "không được sau ngày hôm nay" in html
    assert f'value="{tomorrow:%d/%m/%Y}"' in html
    document.refresh_from_db()
    assert document.number is None


def test_a_malformed_date_is_shown_beside_the_field_as_typed(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    document = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)

    response = _issue(client_for(clerk_a), document, "31/02/2026")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Tháng 02/2026 chỉ có 28 ngày." in html
    assert 'value="31/02/2026"' in html


def test_the_form_says_which_day_is_the_earliest(
    client_for, case, prosecutor_a, leader_a, clerk_a
):
    document = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)

    html = (
        client_for(clerk_a)
        .get(reverse("documents:detail", args=[document.pk]))
        .content.decode()
    )

    assert "Từ ngày 01/03/2026 (ngày duyệt ký) đến hôm nay." in html


def test_the_service_refuses_an_earlier_date_and_gives_the_number_back(
    case, prosecutor_a, leader_a, clerk_a
):
    first = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)
    second = _approved_on(dt.date(2026, 3, 1), case, prosecutor_a, leader_a)
    services.issue_document(first, clerk_a, dt.date(2026, 10, 19))

    with pytest.raises(services.IssueDateRefused, match="01/YC-VKSKV1"):
        services.issue_document(second, clerk_a, dt.date(2026, 10, 18), check_date=True)

    with pytest.raises(services.IssueDateRefused, match="duyệt ký ngày 01/03/2026"):
        services.issue_document(second, clerk_a, dt.date(2026, 2, 28), check_date=True)

    sequence = DocumentSequence.objects.get(doc_type="YC", year=2026)
    assert sequence.last_number == 1
    assert Document.objects.get(pk=second.pk).state == "approved"
