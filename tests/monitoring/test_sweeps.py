"""Cohort sweeps of review rounds: who has served enough by the cut-off,
who has a recorded obstacle, and who is never shown."""

import datetime as dt
import io
import time

import pytest
from openpyxl import load_workbook

from audit.models import AuditLog
from cases.models import EventKind, SentenceKind
from cases.services import add_event
from monitoring.models import SweepRound
from sothuly.reauth import SESSION_KEY

pytestmark = pytest.mark.django_db

CUT_OFF = dt.date(2025, 9, 15)


def _probation(make_case, unit, name, pronounced, *, supervised=True, **kw):
    """A 1-year suspended prison term with 3 years' probation, pronounced
    at first instance on ``pronounced`` (D2: probation runs from then);
    ``supervised``: the QĐTHA issued and received by the agency."""
    effective = pronounced + dt.timedelta(days=31)
    case = make_case(
        unit,
        full_name=name,
        sentence_kind=SentenceKind.SUSPENDED,
        term_years=1,
        probation_years=3,
        pronounced_on=pronounced,
        effective_on=effective,
        **kw,
    )
    if supervised:
        add_event(
            case,
            kind=EventKind.EXECUTION_DECISION_ISSUED,
            date=effective + dt.timedelta(days=5),
        )
        add_event(
            case,
            kind=EventKind.AGENCY_RECEIVED_EXECUTION_DECISION,
            date=effective + dt.timedelta(days=10),
        )
    return case


@pytest.fixture
def cohort(unit_a, unit_b, province, prosecutor_a, prosecutor_b, make_case):
    """D10 (BLHS Art. 65(4)): one half of 3 years' probation = 18 months.

    - pronounced 15/03/2024 → eligible 15/09/2025, exactly the cut-off;
    - pronounced 16/03/2024 → eligible 16/09/2025, the day after;
    - pronounced 01/03/2024 → eligible 01/09/2025, but a breach record on
      10/06/2025;
    - unit_b's convict, pronounced 01/01/2024 → eligible 01/07/2025.
    """
    on_cut_off = _probation(
        make_case, unit_a, "Đúng Hạn Mốc", dt.date(2024, 3, 15), prosecutor=prosecutor_a
    )
    day_after = _probation(
        make_case, unit_a, "Sau Một Ngày", dt.date(2024, 3, 16), prosecutor=prosecutor_a
    )
    breached = _probation(
        make_case, unit_a, "Có Vi Phạm", dt.date(2024, 3, 1), prosecutor=prosecutor_a
    )
    add_event(breached, kind=EventKind.BREACH_RECORDED, date=dt.date(2025, 6, 10))
    other = _probation(
        make_case, unit_b, "Đơn Vị Khác", dt.date(2024, 1, 1), prosecutor=prosecutor_b
    )
    return {
        "on_cut_off": on_cut_off,
        "day_after": day_after,
        "breached": breached,
        "other": other,
    }


def _round(unit, **kw):
    fields = {
        "name": "Đợt xét rút ngắn thử thách quý III/2025",
        "kind": SweepRound.Kind.PROBATION_SHORTENING,
        "cut_off": CUT_OFF,
        "scope": unit,
    }
    fields.update(kw)
    return SweepRound.objects.create(**fields)


def test_the_eligibility_dates_are_the_hand_computed_ones(cohort):
    dates = {
        key: case.eligibility_dates.get(rule="D10").date for key, case in cohort.items()
    }

    assert dates == {
        "on_cut_off": dt.date(2025, 9, 15),
        "day_after": dt.date(2025, 9, 16),
        "breached": dt.date(2025, 9, 1),
        "other": dt.date(2025, 7, 1),
    }


def test_the_round_lists_exactly_who_is_eligible_by_the_cut_off(
    cohort, province, prosecutor_a, client_for
):
    sweep_round = _round(province)
    client = client_for(prosecutor_a)

    eligible = client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    obstacles = client.get(f"/dot-xet/{sweep_round.pk}/?muc=vuong-mac").content.decode()

    assert "Đúng Hạn Mốc" in eligible
    assert "15/09/2025" in eligible
    assert "Sau Một Ngày" not in eligible + obstacles
    assert "Có Vi Phạm" not in eligible
    assert "Có Vi Phạm" in obstacles
    assert "Biên bản vi phạm nghĩa vụ ngày 10/06/2025" in obstacles
    assert "Đơn Vị Khác" not in eligible + obstacles


def test_the_province_leader_reads_every_unit_of_a_province_wide_round(
    cohort, province, province_leader, client_for
):
    sweep_round = _round(province)

    page = client_for(province_leader).get(f"/dot-xet/{sweep_round.pk}/")

    assert "Đúng Hạn Mốc" in page.content.decode()
    assert "Đơn Vị Khác" in page.content.decode()


def test_a_person_not_yet_serving_is_listed_apart_with_the_reason(
    cohort, unit_a, prosecutor_a, make_case, client_for
):
    """Eligible by date (pronounced 01/02/2024, half of 3 years on
    01/08/2025) but no QĐTHA: not proposed, not forgotten either."""
    _probation(
        make_case,
        unit_a,
        "Chưa Có Quyết Định",
        dt.date(2024, 2, 1),
        supervised=False,
        prosecutor=prosecutor_a,
    )
    sweep_round = _round(unit_a)
    client = client_for(prosecutor_a)

    eligible = client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    obstacles = client.get(f"/dot-xet/{sweep_round.pk}/?muc=vuong-mac").content.decode()

    assert "Chưa Có Quyết Định" not in eligible
    assert "Chưa Có Quyết Định" in obstacles
    assert (
        "Chưa chấp hành án: chưa có QĐTHA hoặc chưa có mặt, "
        "chưa được giao giám sát, giáo dục" in obstacles
    )


def test_another_units_round_is_not_found(cohort, unit_a, prosecutor_b, client_for):
    sweep_round = _round(unit_a)

    response = client_for(prosecutor_b).get(f"/dot-xet/{sweep_round.pk}/")
    listing = client_for(prosecutor_b).get("/dot-xet/").content.decode()

    assert response.status_code == 404
    assert sweep_round.name not in listing


def test_a_breach_before_the_rounds_period_is_no_obstacle(
    cohort, unit_a, prosecutor_a, client_for
):
    sweep_round = _round(unit_a, obstacles_from=dt.date(2025, 7, 1))

    page = client_for(prosecutor_a).get(f"/dot-xet/{sweep_round.pk}/").content.decode()

    assert "Có Vi Phạm" in page


def test_whereabouts_unknown_and_new_crime_are_named(
    cohort, unit_a, prosecutor_a, client_for
):
    add_event(cohort["on_cut_off"], kind=EventKind.ABSCONDED, date=dt.date(2025, 8, 1))
    add_event(cohort["breached"], kind=EventKind.NEW_CRIME, date=dt.date(2025, 8, 2))
    sweep_round = _round(unit_a)

    page = (
        client_for(prosecutor_a)
        .get(f"/dot-xet/{sweep_round.pk}/?muc=vuong-mac")
        .content.decode()
    )

    assert "Không rõ nơi ở: bỏ trốn ngày 01/08/2025" in page
    assert "Phạm tội mới / bị khởi tố ngày 02/08/2025" in page


def test_a_closed_case_is_not_listed(cohort, unit_a, prosecutor_a, client_for):
    case = cohort["on_cut_off"]
    case.status = "completed"
    case.save(update_fields=["status"])
    sweep_round = _round(unit_a)

    page = client_for(prosecutor_a).get(f"/dot-xet/{sweep_round.pk}/").content.decode()

    assert "Đúng Hạn Mốc" not in page


def _just_signed_in(client):
    """A client whose password was given a moment ago: exports of personal
    data ask for it again after ten minutes."""
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()
    return client


def test_the_export_holds_both_groups_with_vietnamese_headers(
    cohort, province, prosecutor_a, client_for
):
    sweep_round = _round(province)
    client = _just_signed_in(client_for(prosecutor_a))

    response = client.get(f"/dot-xet/{sweep_round.pk}/?xuat=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    header = next(row for row in rows if row[0] == "STT")
    assert "Họ và tên" in header and "Vướng mắc" in header
    names = [row[3] for row in rows[rows.index(header) + 1 :]]
    assert sorted(names) == ["Có Vi Phạm", "Đúng Hạn Mốc"]
    # A birth is a date, or a year as a number: never text to sort wrongly.
    births = [row[4] for row in rows[rows.index(header) + 1 :]]
    assert births and all(isinstance(b, int | dt.datetime) for b in births)
    assert sheet.freeze_panes is not None
    date_cell = next(
        cell
        for row in sheet.iter_rows()
        for cell in row
        if hasattr(cell.value, "date") and cell.value.date() == dt.date(2025, 9, 15)
    )
    assert date_cell.number_format == "dd/mm/yyyy"
    entry = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert "2 dòng" in entry.detail and "Đúng Hạn Mốc" not in entry.detail


def test_an_export_for_one_prosecutor_says_so_in_its_heading(
    cohort, province, prosecutor_a, client_for
):
    sweep_round = _round(province)
    client = _just_signed_in(client_for(prosecutor_a))

    response = client.get(
        f"/dot-xet/{sweep_round.pk}/", {"xuat": "xlsx", "ksv": prosecutor_a.pk}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    heading = [row[0] for row in sheet.iter_rows(max_row=4, values_only=True)]
    assert f"Kiểm sát viên: {prosecutor_a}" in heading


def test_an_amnesty_round_needs_its_fraction(unit_a):
    from django.core.exceptions import ValidationError

    sweep_round = SweepRound(
        name="Đặc xá 2025", kind=SweepRound.Kind.AMNESTY, cut_off=CUT_OFF, scope=unit_a
    )

    with pytest.raises(ValidationError):
        sweep_round.full_clean()


def test_an_amnesty_round_counts_the_fraction_it_was_given(
    unit_a, prosecutor_a, make_case, client_for
):
    """Prison 3 years from custody on 01/01/2024 (reported to serve): two
    fifths of 1,080 days = 432 days = 14 months 12 days → 13/03/2025; one
    half = 540 days = 18 months → 01/07/2025."""
    case = make_case(
        unit_a, full_name="Người Xét Đặc Xá", term_years=3, prosecutor=prosecutor_a
    )
    add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2024, 1, 1))
    sweep_round = _round(
        unit_a,
        kind=SweepRound.Kind.AMNESTY,
        cut_off=dt.date(2025, 3, 13),
        fraction_numerator=2,
        fraction_denominator=5,
    )
    later = _round(
        unit_a,
        kind=SweepRound.Kind.AMNESTY,
        cut_off=dt.date(2025, 3, 13),
        fraction_numerator=1,
        fraction_denominator=2,
    )
    client = client_for(prosecutor_a)

    assert (
        "Người Xét Đặc Xá" in client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    )
    assert "13/03/2025" in client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    assert (
        "Người Xét Đặc Xá" not in client.get(f"/dot-xet/{later.pk}/").content.decode()
    )


def _record_obligations(case, state, on=dt.date(2025, 8, 20), note=""):
    case.obligations = state
    case.obligations_on = on
    case.obligations_note = note
    case.save(update_fields=["obligations", "obligations_on", "obligations_note"])


def test_unpaid_obligations_are_named_as_an_obstacle(
    cohort, province, prosecutor_a, client_for
):
    """Nothing paid of a fine or court fees stands in any round's way: the
    person is listed apart, with what the register knows of it."""
    _record_obligations(
        cohort["on_cut_off"], "outstanding", note="còn 200.000 đồng án phí"
    )
    sweep_round = _round(province)
    client = client_for(prosecutor_a)

    eligible = client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    obstacles = client.get(f"/dot-xet/{sweep_round.pk}/?muc=vuong-mac").content.decode()

    assert "Đúng Hạn Mốc" not in eligible
    assert "Đúng Hạn Mốc" in obstacles
    assert (
        "Nghĩa vụ tài sản: chưa thi hành (theo thông tin ngày 20/08/2025): "
        "còn 200.000 đồng án phí"
    ) in obstacles


def test_obligations_paid_in_part_are_enough_to_shorten_probation(
    cohort, province, prosecutor_a, client_for
):
    _record_obligations(cohort["on_cut_off"], "partly")
    sweep_round = _round(province)

    eligible = client_for(prosecutor_a).get(f"/dot-xet/{sweep_round.pk}/")

    assert "Đúng Hạn Mốc" in eligible.content.decode()


def test_an_amnesty_needs_the_obligations_paid_in_full(
    unit_a, prosecutor_a, make_case, client_for
):
    """Prison 3 years served from 01/01/2024: two fifths reached 13/03/2025
    (the test above); paid in part is named as an obstacle for an amnesty."""
    case = make_case(
        unit_a, full_name="Người Còn Nợ Án Phí", term_years=3, prosecutor=prosecutor_a
    )
    add_event(case, kind=EventKind.REPORTED_TO_SERVE, date=dt.date(2024, 1, 1))
    _record_obligations(case, "partly", on=dt.date(2025, 2, 1))
    sweep_round = _round(
        unit_a,
        kind=SweepRound.Kind.AMNESTY,
        cut_off=dt.date(2025, 3, 13),
        fraction_numerator=2,
        fraction_denominator=5,
    )
    client = client_for(prosecutor_a)

    eligible = client.get(f"/dot-xet/{sweep_round.pk}/").content.decode()
    obstacles = client.get(f"/dot-xet/{sweep_round.pk}/?muc=vuong-mac").content.decode()

    assert "Người Còn Nợ Án Phí" not in eligible
    assert "Nghĩa vụ tài sản: đã thi hành một phần" in obstacles
