"""Documents are made by the workflow only: the admin offers no way to add
one, nor a step of one, and speaks Vietnamese."""

import datetime as dt

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(administrator, client_for):
    return client_for(administrator)


@pytest.fixture
def document(make_case, unit_a, court_a, prosecutor_a):
    case = make_case(unit_a)
    fields = services.draft_fields("09TH", case, prosecutor_a, dt.date(2026, 2, 5))
    return services.create_document(case, "09TH", fields, prosecutor_a)


def test_the_admin_cannot_add_a_document(admin_client, unit_a, document):
    add = reverse("admin:documents_document_add")

    assert admin_client.get(add).status_code == 403
    assert admin_client.post(add, {"state": "issued"}).status_code == 403
    assert Document.objects.count() == 1
    listing = admin_client.get(reverse("admin:documents_document_changelist"))
    assert listing.status_code == 200
    assert add not in listing.content.decode()
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert add not in index


def test_a_documents_page_adds_no_step_and_keeps_the_workflow_fields(
    admin_client, document
):
    response = admin_client.get(
        reverse("admin:documents_document_change", args=[document.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Người thực hiện" in html
    assert "Actor" not in html
    # Neither a new step nor a state chosen by hand.
    assert 'id="steps-empty"' not in html
    assert 'name="state"' not in html
    assert 'name="form_code"' not in html
