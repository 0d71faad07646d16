"""Forms about one event of the case: 71/TH once per decision on execution,
13/TH and 14/TH once per entrustment; the draft's fields come from the
chosen event, and an event of another case or unit is a 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from cases.models import EventKind
from cases.services import add_event
from documents import services
from documents.catalogue import FORMS
from documents.context import initial_fields
from documents.models import Document
from documents.offers import offers_for

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


@pytest.fixture
def case(make_case, unit_a):
    return make_case(unit_a, full_name="Lê Văn Bình")


@pytest.fixture
def decisions(case, court_a):
    """A QĐTHA, then a postponement, then a reduction: three decisions, each
    needing its own worksheet."""
    qdtha = add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="45/2025/QĐ-CA",
        agency=court_a,
    )
    postponement = add_event(
        case,
        kind=EventKind.POSTPONEMENT_GRANTED,
        date=dt.date(2026, 2, 5),
        number="12/2026/QĐ-HPT",
        agency=court_a,
        details={"until": "2026-08-05"},
    )
    reduction = add_event(
        case,
        kind=EventKind.REDUCTION_GRANTED,
        date=dt.date(2026, 3, 2),
        number="30/2026/QĐ-GTH",
        agency=court_a,
        details={"by": {"years": 0, "months": 6, "days": 0}},
    )
    return qdtha, postponement, reduction


def _url(case, code, event):
    return reverse("documents:new_for_event", args=[case.pk, code, event.pk])


def test_71th_is_offered_once_per_decision_naming_it(case, decisions):
    offers = [o for o in offers_for(case, DAY) if o.spec.code == "71TH"]

    # Newest first, each with its own event.
    assert [o.event for o in offers] == list(reversed(decisions))
    titles = [o.title for o in offers]
    assert titles == [
        "Mẫu số 71/TH: Phiếu kiểm sát quyết định giảm thời hạn chấp hành án "
        "ngày 02/03/2026",
        "Mẫu số 71/TH: Phiếu kiểm sát quyết định hoãn chấp hành án ngày 05/02/2026",
        "Mẫu số 71/TH: Phiếu kiểm sát quyết định thi hành án ngày 25/04/2025",
    ]
    assert "số 12/2026/QĐ-HPT" in offers[1].reason


def test_the_case_page_links_each_decision_to_its_own_draft(
    client_for, prosecutor_a, case, decisions
):
    html = (
        client_for(prosecutor_a)
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )

    for event in decisions:
        assert _url(case, "71TH", event) in html
    assert "Phiếu kiểm sát quyết định hoãn chấp hành án ngày 05/02/2026" in html
    # The worksheet is not offered again without its decision.
    assert f'href="{reverse("documents:new", args=[case.pk, "71TH"])}"' not in html


def test_the_draft_takes_the_chosen_decision_not_the_latest(
    client_for, prosecutor_a, case, decisions
):
    _, postponement, _ = decisions
    client = client_for(prosecutor_a)
    url = _url(case, "71TH", postponement)

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Soạn cho:" in html
    field = page.context["form"]["decision_ref"].value()
    assert field == (
        "Quyết định hoãn chấp hành án số 12/2026/QĐ-HPT ngày 05/02/2026 của "
        "Tòa án nhân dân khu vực 1 - Thử Nghiệm, hoãn chấp hành án đến ngày "
        "05/08/2026"
    )
    assert "30/2026/QĐ-GTH" not in field

    data = {
        key: value
        for key, value in page.context["form"].initial.items()
        if key in FORMS["71TH"].fields and isinstance(value, str)
    }
    response = client.post(url, data)

    document = Document.objects.get(case=case, form_code="71TH")
    assert response.status_code == 302
    assert document.fields["source_event_id"] == postponement.pk
    text = "\n".join(
        p.text for p in Docx(io.BytesIO(services.document_docx(document))).paragraphs
    )
    assert (
        "1. Quyết định được kiểm sát: Quyết định hoãn chấp hành án số "
        "12/2026/QĐ-HPT ngày 05/02/2026" in text
    )
    assert "hoãn chấp hành án đến ngày 05/08/2026." in text


def test_each_decision_kind_says_what_it_decided(
    case, decisions, prosecutor_a, court_a
):
    _, _, reduction = decisions
    suspension = add_event(
        case,
        kind=EventKind.SUSPENSION_GRANTED,
        date=dt.date(2026, 3, 10),
        agency=court_a,
        details={"from": "2026-03-10", "until": "2026-09-10"},
    )
    spec = FORMS["71TH"]

    reduced = initial_fields(spec, case, prosecutor_a, DAY, reduction)
    suspended = initial_fields(spec, case, prosecutor_a, DAY, suspension)

    assert reduced["decision_ref"].endswith("giảm thời hạn chấp hành án 06 tháng")
    assert suspended["decision_ref"] == (
        "Quyết định tạm đình chỉ chấp hành án ngày 10/03/2026 của Tòa án nhân dân "
        "khu vực 1 - Thử Nghiệm, tạm đình chỉ chấp hành án từ ngày 10/03/2026 đến "
        "ngày 10/09/2026"
    )


def test_without_a_chosen_decision_the_latest_is_used(case, decisions, prosecutor_a):
    fields = initial_fields(FORMS["71TH"], case, prosecutor_a, DAY)

    assert fields["decision_ref"].startswith(
        "Quyết định giảm thời hạn chấp hành án số 30/2026/QĐ-GTH"
    )
    assert fields["source_event_id"] == decisions[2].pk


def test_two_entrustments_give_two_notices_each_with_its_own(
    client_for, prosecutor_a, case, court_a
):
    first = add_event(
        case,
        kind=EventKind.ENTRUSTMENT_ISSUED,
        date=dt.date(2025, 5, 13),
        number="03/2025/QĐ-UT",
        agency=court_a,
        details={"to_court": "Tòa án nhân dân khu vực 3 - Thử Nghiệm"},
    )
    second = add_event(
        case,
        kind=EventKind.ENTRUSTMENT_ISSUED,
        date=dt.date(2025, 9, 2),
        number="09/2025/QĐ-UT",
        agency=court_a,
    )

    offers = [o for o in offers_for(case, DAY) if o.spec.code == "13TH"]
    assert [o.event for o in offers] == [second, first]
    page = client_for(prosecutor_a).get(_url(case, "13TH", first))
    extra = page.context["form"]["extra"].value()
    assert extra == (
        "Quyết định ủy thác thi hành án số 03/2025/QĐ-UT ngày 13/05/2025 của Tòa án "
        "nhân dân khu vực 1 - Thử Nghiệm, ủy thác cho Tòa án nhân dân khu vực 3 - "
        "Thử Nghiệm"
    )


# Scope -----------------------------------------------------------------------


def test_an_event_of_another_case_or_kind_is_a_404(
    client_for, prosecutor_a, make_case, unit_a, case, decisions, court_a
):
    other = make_case(unit_a, full_name="Đỗ Thị Hoa")
    foreign = add_event(
        other,
        kind=EventKind.POSTPONEMENT_GRANTED,
        date=dt.date(2026, 1, 5),
        agency=court_a,
        details={"until": "2026-07-05"},
    )
    served = add_event(
        case, kind=EventKind.EXECUTION_DECISION_SERVED, date=dt.date(2025, 5, 2)
    )
    client = client_for(prosecutor_a)

    # Another case's decision, even in the same unit.
    assert client.get(_url(case, "71TH", foreign)).status_code == 404
    assert client.post(_url(case, "71TH", foreign), {}).status_code == 404
    # An event of the case that is not a decision on execution.
    assert client.get(_url(case, "71TH", served)).status_code == 404
    # A decision offered to a form that is not about decisions.
    assert client.get(_url(case, "13TH", decisions[1])).status_code == 404
    # A deleted event.
    decisions[1].deleted_at = dt.datetime(2026, 2, 6, tzinfo=dt.UTC)
    decisions[1].save(update_fields=["deleted_at"])
    assert client.get(_url(case, "71TH", decisions[1])).status_code == 404
    assert not Document.objects.exists()


def test_another_units_case_or_event_is_a_404(
    client_for, prosecutor_a, prosecutor_b, make_case, unit_b, case, decisions
):
    b_case = make_case(unit_b, full_name="Vũ Văn Cường")
    b_event = add_event(
        b_case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="7/2025/QĐ-CA",
    )
    _, postponement, _ = decisions

    # The other unit's prosecutor on our case and event.
    outsider = client_for(prosecutor_b)
    assert outsider.get(_url(case, "71TH", postponement)).status_code == 404
    assert outsider.post(_url(case, "71TH", postponement), {}).status_code == 404
    # Its own case with our event id.
    assert outsider.get(_url(b_case, "71TH", postponement)).status_code == 404
    # Our prosecutor: our case with the other unit's event, and its case.
    ours = client_for(prosecutor_a)
    assert ours.get(_url(case, "71TH", b_event)).status_code == 404
    assert ours.get(_url(b_case, "71TH", b_event)).status_code == 404
    assert not Document.objects.exists()
