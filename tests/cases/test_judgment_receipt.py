"""The entry form's "Ngày VKS nhận bản án": the court's delivery of the
judgment (A4, BLTTHS Art. 262(1): within 10 days of the pronouncement)
recorded with the judgment, on every convict's case."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Event, EventKind, ExecutionCase
from tests.cases.test_views import _entry_data
from violations.models import Violation

pytestmark = pytest.mark.django_db


def _two_convicts(court, **overrides):
    data = _entry_data(court, **overrides)
    data["convict-TOTAL_FORMS"] = "2"
    for key, value in list(data.items()):
        if key.startswith("convict-0-"):
            data[key.replace("convict-0-", "convict-1-")] = value
    data["convict-1-full_name"] = "Trần Quốc Việt"
    data["convict-1-sex"] = "male"
    data["convict-1-id_number"] = ""
    return data


def test_the_receipt_is_recorded_on_every_convicts_case(
    client_for, prosecutor_a, court_a
):
    """Pronounced 20/12/2024, received 27/12/2024: A4 (due 30/12/2024) met
    on both cases, and no violation of the court."""
    data = _two_convicts(court_a, judgment_received_on="27/12/2024")

    response = client_for(prosecutor_a).post("/ho-so/moi/", data)

    assert response.status_code == 302
    cases = list(ExecutionCase.objects.order_by("register_seq"))
    assert len(cases) == 2
    for case in cases:
        event = Event.objects.get(case=case, kind=EventKind.JUDGMENT_DELIVERED)
        assert (event.date, event.agency) == (dt.date(2024, 12, 27), court_a)
        a4 = case.deadlines.get(rule="A4")
        assert (a4.due, a4.done) == (dt.date(2024, 12, 30), dt.date(2024, 12, 27))
    assert not Violation.objects.filter(rule="A4").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("19/12/2024", "Ngày VKS nhận bản án không được trước ngày tuyên án"),
        (
            (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
            "Ngày này chưa đến",
        ),
        ("31/13/2024", "Ngày không hợp lệ"),
    ],
)
def test_a_wrong_receipt_date_is_refused_and_everything_typed_is_kept(
    client_for, prosecutor_a, court_a, typed, message
):
    data = _two_convicts(court_a, judgment_received_on=typed)

    response = client_for(prosecutor_a).post("/ho-so/moi/", data)

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert ExecutionCase.objects.count() == 0
    assert f'value="{typed}"' in page
    assert 'value="03/2024/HS-ST"' in page
    assert 'value="Nguyễn Thị Hạnh"' in page
    assert 'value="Trần Quốc Việt"' in page
    assert 'value="20/12/2024"' in page
