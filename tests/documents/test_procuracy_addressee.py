"""A notice between procuracies names the procuracy it goes to, from the
register; an addressee the register does not know is left for the
prosecutor to fill, never printed as a bare "Viện kiểm sát nhân dân"."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx

from cases.models import Agency, EventKind, SentenceKind
from cases.services import add_event
from documents import services
from documents.catalogue import FORMS
from documents.context import initial_fields, render_context
from documents.models import Document
from documents.rendering import render_docx

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 2, 5)


@pytest.fixture
def suspended(make_case, unit_a):
    return make_case(
        unit_a,
        sentence_kind=SentenceKind.SUSPENDED,
        term_years=1,
        probation_years=2,
    )


def _text(code, case) -> str:
    spec = FORMS[code]
    fields = initial_fields(spec, case, None, DAY)
    template = services.active_template(code)
    docx = render_docx(bytes(template.content), render_context(spec, fields))
    return "\n".join(p.text for p in Docx(io.BytesIO(docx)).paragraphs)


def _fields(code, case):
    spec = FORMS[code]
    fields = initial_fields(spec, case, None, DAY)
    return {k: v for k, v in fields.items() if k in spec.fields}


def test_26th_goes_to_the_procuracy_of_the_court_that_issued_the_qdtha(
    suspended, unit_b
):
    court_b = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân khu vực 2 - Thử Nghiệm",
        province=unit_b,
    )
    add_event(
        suspended,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 4, 25),
        number="45/2025/QĐ-CA",
        agency=court_b,
    )

    text = _text("26TH", suspended)

    assert "Kính gửi: Viện trưởng Viện kiểm sát nhân dân khu vực 2 - Thử Nghiệm" in text
    assert (
        "thông báo để Viện trưởng Viện kiểm sát nhân dân khu vực 2 - Thử Nghiệm "
        "biết, phối hợp." in text
    )


def test_26th_reports_to_the_superior_when_the_court_is_in_our_own_area(
    suspended,
):
    text = _text("26TH", suspended)

    assert "Kính gửi: Viện trưởng Viện kiểm sát nhân dân thành phố Thử Nghiệm" in text
    assert "để Viện trưởng Viện kiểm sát nhân dân thành phố Thử Nghiệm biết" in text
    assert "Viện kiểm sát nhân dân biết" not in text


def test_an_unknown_procuracy_is_left_blank_and_the_review_form_requires_it(
    client_for, prosecutor_a, suspended, unit_a
):
    unit_a.parent = None
    unit_a.save(update_fields=["parent"])
    suspended.unit.refresh_from_db()

    data = _fields("26TH", suspended)

    assert data["addressee"] == ""
    assert "Viện kiểm sát nhân dân biết" not in data["body"]
    assert "thông báo để …………………… biết" in data["body"]

    client = client_for(prosecutor_a)
    url = reverse("documents:new", args=[suspended.pk, "26TH"])
    page = client.get(url)
    assert page.context["form"]["addressee"].value() == ""

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "addressee" in refused.context["form"].errors
    assert not Document.objects.exists()


def test_a_bare_procuracy_addressee_is_refused(client_for, prosecutor_a, suspended):
    data = _fields("26TH", suspended)
    data["addressee"] = "Viện trưởng Viện kiểm sát nhân dân"

    response = client_for(prosecutor_a).post(
        reverse("documents:new", args=[suspended.pk, "26TH"]), data
    )

    assert response.status_code == 200
    assert "Ghi rõ tên Viện kiểm sát nhận văn bản" in response.content.decode()
    assert not Document.objects.exists()


def test_13th_goes_to_the_procuracy_of_the_entrusted_court(
    make_case, unit_a, unit_b, court_a
):
    Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân khu vực 2 - Thử Nghiệm",
        province=unit_b,
    )
    case = make_case(unit_a)
    add_event(
        case,
        kind=EventKind.ENTRUSTMENT_ISSUED,
        date=dt.date(2025, 4, 25),
        number="03/2025/QĐ-UT",
        agency=court_a,
        details={"to_court": "Tòa án nhân dân khu vực 2 - Thử Nghiệm"},
    )

    assert _fields("13TH", case)["addressee"] == (
        "Viện trưởng Viện kiểm sát nhân dân khu vực 2 - Thử Nghiệm"
    )


def test_sent_to_the_superior_it_is_not_listed_again_to_report_to(suspended):
    recipients = _fields("26TH", suspended)["recipients"]

    assert recipients.splitlines() == ["Như trên", "Lưu: HSKS, VP"]
