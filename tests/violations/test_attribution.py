"""Which body a deadline, and so its violation, is charged to: the court that
pronounced the judgment or the one that tried it first, and the successor
of a body abolished before the due date."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cases import services as cases
from cases.models import Agency, EventKind, Instance
from documents.catalogue import FORMS
from documents.context import initial_fields
from monitoring import batch
from monitoring import services as monitoring
from monitoring.models import Deadline, DeadlineTally
from violations import services
from violations.models import Action, Violation


def d(day: int, month: int, year: int) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def haiphong(unit_a, province):
    """The courts and execution agencies of the Lê Chân example, as the
    reference data has them (legal-rules.md §0: district police abolished
    01/03/2025, district courts replaced by regional courts 01/07/2025)."""
    city_court = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân thành phố Hải Phòng",
        province=province,
    )
    regional = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân khu vực 1 - Hải Phòng",
        province=unit_a,
        valid_from=d(1, 7, 2025),
    )
    district = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng",
        province=unit_a,
        valid_to=d(30, 6, 2025),
        successor=regional,
    )
    provincial_agency = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY,
        name="Cơ quan Thi hành án hình sự Công an thành phố Hải Phòng",
        province=province,
    )
    district_agency = Agency.objects.create(
        kind=Agency.Kind.EXECUTION_AGENCY,
        name="Cơ quan Thi hành án hình sự Công an quận Lê Chân",
        province=unit_a,
        valid_to=d(28, 2, 2025),
        successor=provincial_agency,
    )
    return {
        "city": city_court,
        "regional": regional,
        "district": district,
        "provincial_agency": provincial_agency,
        "district_agency": district_agency,
    }


def deadline(case, rule: str) -> Deadline:
    return Deadline.objects.get(case=case, rule=rule)


def batch_agency(case, rule: str) -> int | None:
    """The agency the batch path stores for the same deadline."""
    Deadline.objects.filter(case=case).update(agency=None)
    batch.recompute_cases([case.pk], rewrite=True)
    return deadline(case, rule).agency_id


# 1. Appeal judgments -----------------------------------------------------------


def test_a4b_is_the_appeal_courts_duty_and_a5_the_first_instance_courts(
    make_case, unit_a, haiphong
):
    """A4b (BLTTHS Art. 262(2)): the appeal court sends its judgment within
    10 days of pronouncing it; A5 (Art. 364(1)): the chief judge of the court
    that tried the case at first instance issues the QĐTHA."""
    case = make_case(
        unit_a,
        number="92/2026/HS-PT",
        court=haiphong["city"],
        instance=Instance.APPEAL,
        pronounced_on=d(10, 3, 2026),
        effective_on=d(10, 3, 2026),
        first_instance_number="15/2025/HS-ST",
        first_instance_court=haiphong["regional"],
        first_instance_pronounced_on=d(20, 11, 2025),
        register_date=d(12, 3, 2026),
    )
    cases.add_event(
        case,
        kind=EventKind.APPEAL_RULING_RECEIVED_BY_COURT,
        date=d(16, 3, 2026),
        agency=haiphong["regional"],
    )

    assert deadline(case, "A4b").agency == haiphong["city"]
    assert deadline(case, "A5").agency == haiphong["regional"]
    assert batch_agency(case, "A4b") == haiphong["city"].pk
    assert deadline(case, "A5").agency_id == haiphong["regional"].pk


# 2. Abolished bodies ---------------------------------------------------------------


@pytest.fixture
def le_chan_case(make_case, unit_a, haiphong):
    """A judgment of the Lê Chân district court that took effect Thu
    24/07/2025: its QĐTHA was due Thu 31/07/2025 (A5, 7 days); the regional
    court issued it Mon 28/07/2025 and sent it Mon 04/08/2025, when it was
    due Thu 31/07/2025 (A7, 3 working days)."""
    case = make_case(
        unit_a,
        number="40/2025/HS-ST",
        court=haiphong["district"],
        pronounced_on=d(20, 6, 2025),
        effective_on=d(24, 7, 2025),
        register_date=d(25, 7, 2025),
    )
    cases.add_event(
        case,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=d(4, 8, 2025),
        agency=haiphong["regional"],
    )
    return case


def test_a_duty_due_after_the_district_court_was_abolished_is_its_successors(
    le_chan_case, haiphong
):
    """From 01/07/2025 the regional court takes over the district court's
    first-instance jurisdiction (Luật 81/2025/QH15, NQ 225/2025/QH15): A5
    due 31/07/2025 and A7 due 07/08/2025 are the regional court's."""
    a5 = deadline(le_chan_case, "A5")
    assert a5.due == d(31, 7, 2025)
    assert a5.agency == haiphong["regional"]
    assert deadline(le_chan_case, "A7").agency == haiphong["regional"]
    assert batch_agency(le_chan_case, "A5") == haiphong["regional"].pk

    violation = Violation.objects.get(case=le_chan_case, rule="A5")
    assert violation.agency == haiphong["regional"]


def test_a_duty_due_before_the_abolition_stays_with_the_district_court(
    make_case, unit_a, haiphong
):
    """A5 due Tue 17/06/2025, while the district court still existed: its
    breach, whoever issued the QĐTHA later."""
    case = make_case(
        unit_a,
        court=haiphong["district"],
        pronounced_on=d(5, 5, 2025),
        effective_on=d(10, 6, 2025),
    )
    assert deadline(case, "A5").due == d(17, 6, 2025)
    assert deadline(case, "A5").agency == haiphong["district"]


def test_a_recommendation_after_the_abolition_goes_to_the_successor(
    make_case, unit_a, haiphong, leader_a, monkeypatch
):
    """The breach stays the district court's (due 17/06/2025), but a kiến
    nghị of 2026 cannot be addressed to a court that no longer exists: the
    regional court that took over its duties answers it."""
    case = make_case(
        unit_a,
        court=haiphong["district"],
        pronounced_on=d(5, 5, 2025),
        effective_on=d(10, 6, 2025),
    )
    violation = Violation.objects.get(case=case, rule="A5")
    assert violation.agency == haiphong["district"]

    monkeypatch.setattr(services.timezone, "localdate", lambda: d(15, 1, 2026))
    action = services.create_action(
        leader_a, [violation], kind=Action.Kind.RECOMMENDATION
    )

    assert action.agency == haiphong["regional"]
    assert action.addressee == "Chánh án Tòa án nhân dân khu vực 1 - Hải Phòng"
    violation.refresh_from_db()
    assert violation.agency == haiphong["district"]

    monkeypatch.setattr(services.timezone, "localdate", lambda: d(20, 6, 2025))
    other = make_case(
        unit_a,
        full_name="Trần Văn Bình",
        court=haiphong["district"],
        pronounced_on=d(5, 5, 2025),
        effective_on=d(10, 6, 2025),
    )
    violation = Violation.objects.get(case=other, rule="A5")
    action = services.create_action(
        leader_a, [violation], kind=Action.Kind.RECOMMENDATION
    )
    assert action.agency == haiphong["district"]


def test_the_case_page_says_whose_duty_the_successor_took_over(le_chan_case, haiphong):
    rows = list(le_chan_case.deadlines.select_related("agency").filter(rule="A5"))
    monitoring.explain(le_chan_case, rows)

    assert rows[0].agency_note == (
        "kế thừa Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng"
    )
    assert any(
        "chấm dứt hoạt động sau ngày 30/06/2025" in line for line in rows[0].explanation
    )


def test_the_case_page_shows_the_successor_and_whom_it_replaces(
    le_chan_case, prosecutor_a, client_for
):
    page = client_for(prosecutor_a).get(f"/ho-so/{le_chan_case.pk}/").content.decode()

    assert (
        'Tòa án nhân dân khu vực 1 - Hải Phòng<small class="muted block">kế thừa '
        "Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng</small>"
    ) in page


def test_a_recommendation_of_2026_goes_to_the_successor(
    le_chan_case, haiphong, leader_a
):
    """A kiến nghị (LTHAHS Art. 167) is addressed to the body that bore the
    duty: for A5 due 31/07/2025, the regional court."""
    violation = Violation.objects.get(case=le_chan_case, rule="A5")

    action = services.create_action(
        leader_a, [violation], kind=Action.Kind.RECOMMENDATION
    )

    assert action.agency == haiphong["regional"]


def test_the_successor_chain_is_followed(make_case, unit_a, haiphong):
    """Huyện Thủy Nguyên's court → thành phố Thủy Nguyên's (01/01/2025) →
    the regional court (01/07/2025): an A5 due in August 2025 is the
    regional court's."""
    town = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân thành phố Thủy Nguyên, thành phố Hải Phòng",
        valid_from=d(1, 1, 2025),
        valid_to=d(30, 6, 2025),
        successor=haiphong["regional"],
    )
    old = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân huyện Thủy Nguyên, thành phố Hải Phòng",
        valid_to=d(31, 12, 2024),
        successor=town,
    )
    case = make_case(
        unit_a,
        court=old,
        pronounced_on=d(2, 12, 2024),
        effective_on=d(4, 8, 2025),
    )

    assert deadline(case, "A5").agency == haiphong["regional"]


def test_the_district_police_duties_pass_to_the_province_unless_a_body_acted(
    make_case, unit_a, haiphong
):
    """From 01/03/2025 the provincial execution agency takes over the
    district's duties (TTLT 02/2025/TTLT-BCA-VKSNDTC-TANDTC). D4 (LTHAHS
    Art. 85(1): summon within 3 working days) started by the district
    agency's receipt on Wed 26/02/2025 is due Mon 03/03/2025: the
    province's. Once an event records the body that fulfilled it, that body
    answers, as before."""
    case = make_case(
        unit_a,
        court=haiphong["district"],
        pronounced_on=d(10, 1, 2025),
        effective_on=d(12, 2, 2025),
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
    )
    cases.add_event(
        case,
        kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
        date=d(26, 2, 2025),
        agency=haiphong["district_agency"],
    )
    d4 = deadline(case, "D4")
    assert d4.due == d(3, 3, 2025)
    assert d4.agency == haiphong["provincial_agency"]

    cases.add_event(
        case,
        kind=EventKind.SUMMONED_TO_COMMUNE,
        date=d(5, 3, 2025),
        agency=haiphong["district_agency"],
    )
    assert deadline(case, "D4").agency == haiphong["district_agency"]


def test_reference_data_names_the_successors(db):
    """Hải Phòng: each district court → the regional court of its area;
    each district execution agency → the city's (01/03/2025); an old
    ward's People's Committee → the new commune's."""
    call_command("load_reference", stdout=StringIO())

    def successor(name: str) -> str:
        return Agency.objects.get(name=name).successor.name

    assert (
        successor("Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng")
        == "Tòa án nhân dân khu vực 1 - Hải Phòng"
    )
    assert (
        successor("Tòa án nhân dân huyện Thủy Nguyên, thành phố Hải Phòng")
        == "Tòa án nhân dân thành phố Thủy Nguyên, thành phố Hải Phòng"
    )
    assert (
        successor("Cơ quan Thi hành án hình sự Công an quận Lê Chân")
        == "Cơ quan Thi hành án hình sự Công an thành phố Hải Phòng"
    )
    assert (
        successor("UBND phường Trại Cau, quận Lê Chân, thành phố Hải Phòng")
        == "UBND phường Lê Chân, thành phố Hải Phòng"
    )
    # Every body that ended has a successor in this file.
    assert not Agency.objects.filter(
        valid_to__isnull=False, successor__isnull=True
    ).exists()
    # Loading again keeps an administrator's choice.
    agency = Agency.objects.get(
        name="Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng"
    )
    agency.successor = Agency.objects.get(name="Tòa án nhân dân khu vực 2 - Hải Phòng")
    agency.save()
    call_command("load_reference", stdout=StringIO())
    agency.refresh_from_db()
    assert agency.successor.name == "Tòa án nhân dân khu vực 2 - Hải Phòng"


def test_a_request_for_the_qdtha_drafted_in_2026_goes_to_the_successor(
    make_case, unit_a, haiphong, prosecutor_a
):
    """Mẫu 09/TH (A5: yêu cầu ra QĐTHA) drafted on 15/01/2026 for a judgment
    of the abolished district court is addressed to the regional court."""
    case = make_case(
        unit_a,
        court=haiphong["district"],
        pronounced_on=d(5, 5, 2025),
        effective_on=d(10, 6, 2025),
    )

    fields = initial_fields(FORMS["09TH"], case, prosecutor_a, d(15, 1, 2026))
    assert fields["addressee"] == "Chánh án Tòa án nhân dân khu vực 1 - Hải Phòng"
    fields = initial_fields(FORMS["09TH"], case, prosecutor_a, d(20, 6, 2025))
    assert fields["addressee"] == (
        "Chánh án Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng"
    )
    # The recommendation drafted from the case names the body that breached
    # until it is gone, then its successor.
    fields = initial_fields(FORMS["KN"], case, prosecutor_a, d(15, 1, 2026))
    assert fields["addressee"] == "Tòa án nhân dân khu vực 1 - Hải Phòng"
    fields = initial_fields(FORMS["KN"], case, prosecutor_a, d(20, 6, 2025))
    assert fields["addressee"] == ("Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng")


def test_a_successor_set_in_the_admin_moves_the_duties_and_the_figures(
    le_chan_case,
    haiphong,
    administrator,
    client_for,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    """A legal officer corrects the successor: once saved, the deadlines,
    the violation and the dashboards' per-agency tally follow, and the
    change is kept in the agency's history."""
    # With a broker (CI) the task would go to a worker that is not running
    # here: run it in this process, as the worker would.
    from monitoring.tasks import recompute_all_cases

    monkeypatch.setattr(recompute_all_cases, "delay", recompute_all_cases)
    other = Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân khu vực 2 - Hải Phòng",
        valid_from=d(1, 7, 2025),
    )
    district = haiphong["district"]
    assert DeadlineTally.objects.filter(
        agency_key=haiphong["regional"].pk, met_late__gt=0
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("admin:cases_agency_change", args=[district.pk]),
            {
                "kind": district.kind,
                "name": district.name,
                "province": district.province_id,
                "valid_from": "",
                "valid_to": "30/06/2025",
                "successor": other.pk,
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert deadline(le_chan_case, "A5").agency == other
    assert Violation.objects.get(case=le_chan_case, rule="A5").agency == other
    assert DeadlineTally.objects.filter(agency_key=other.pk, met_late__gt=0).exists()
    assert not DeadlineTally.objects.filter(
        agency_key=haiphong["regional"].pk, met_late__gt=0
    ).exists()
    assert district.history.first().successor_id == other.pk


def test_a_successor_cycle_is_refused(haiphong):
    regional = haiphong["regional"]
    regional.successor = haiphong["district"]
    with pytest.raises(ValidationError):
        regional.full_clean()


def test_an_end_before_the_start_is_refused_in_the_admin(administrator, client_for):
    """A body cannot stop existing before it began: the admin says so in
    Vietnamese beside the field and saves nothing."""
    response = client_for(administrator).post(
        reverse("admin:cases_agency_add"),
        {
            "kind": Agency.Kind.COURT,
            "name": "Tòa án Thử Ngày Ngược",
            "valid_from": "01/01/2026",
            "valid_to": "01/01/2025",
        },
    )

    assert response.status_code == 200
    assert "Ngày hết hiệu lực không được trước ngày có hiệu lực." in (
        response.content.decode()
    )
    assert not Agency.objects.filter(name="Tòa án Thử Ngày Ngược").exists()
