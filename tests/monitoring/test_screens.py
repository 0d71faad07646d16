"""Deadline screens: overrides, moved dates, problems, eligibility, calendar."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import DetentionPeriod, EventKind
from cases.services import add_event, change_event
from monitoring.models import DateChange, Deadline, Rule
from monitoring.rules import invalidate
from monitoring.services import recompute_all

pytestmark = pytest.mark.django_db


def _a5(case) -> Deadline:
    return case.deadlines.get(rule="A5")


def test_a_prosecutor_overrides_a_due_date_and_both_dates_stay_visible(
    client_for, prosecutor_a, make_case
):
    """A5: effect 22/04/2025 + 7 days = Tue 29/04/2025 by the rule; the court's
    papers give another date, entered by hand with a reason."""
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("monitoring:override", args=[case.pk, _a5(case).pk]),
        {"due": "06/05/2025", "reason": "court_papers", "note": "Theo công văn 12/TA"},
    )

    assert response.status_code == 302
    a5 = _a5(case)
    assert a5.due == dt.date(2025, 5, 6)
    assert a5.computed_due == dt.date(2025, 4, 29)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ấn định thủ công; theo quy tắc: 29/04/2025" in page
    assert "Theo công văn 12/TA" in page

    # The override survives a recomputation caused by a new event.
    add_event(case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 5, 5))
    assert _a5(case).due == dt.date(2025, 5, 6)
    assert _a5(case).status(dt.date(2026, 1, 1)).code == "met"


def test_an_override_needs_a_reason_and_a_note(client_for, prosecutor_a, make_case):
    """Refused, the form comes back on its own page: each missing field
    named beside it, and the date typed still there."""
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("monitoring:override", args=[case.pk, _a5(case).pk]),
        {"due": "06/05/2025", "reason": "", "note": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ấn định hạn A5" in page
    assert '<div class="field-error" role="alert">Chọn lý do.</div>' in page
    assert "Ghi rõ căn cứ của hạn ấn định." in page
    assert 'value="06/05/2025"' in page
    assert _a5(case).computed_due is None


def test_an_override_cannot_fall_before_the_deadline_starts(
    client_for, prosecutor_a, make_case
):
    """A5 starts when the judgment takes effect (22/04/2025); a due date of
    10/04/2025 is before that start, and 01/01/1990 before the judgment was
    even pronounced (20/03/2025): both refused, with what was typed kept."""
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)
    url = reverse("monitoring:override", args=[case.pk, _a5(case).pk])

    before_start = client.post(
        url, {"due": "10/04/2025", "reason": "court_papers", "note": "Theo giấy"}
    )
    before_judgment = client.post(
        url, {"due": "01/01/1990", "reason": "court_papers", "note": "Theo giấy"}
    )

    assert before_start.status_code == 200
    assert "Hạn không thể trước ngày bắt đầu tính hạn (22/04/2025)." in (
        before_start.content.decode()
    )
    assert 'value="Theo giấy"' in before_start.content.decode()
    assert "Hạn không thể trước ngày tuyên án (20/03/2025)." in (
        before_judgment.content.decode()
    )
    assert _a5(case).due == dt.date(2025, 4, 29)
    assert _a5(case).computed_due is None


def test_an_override_from_a_page_loaded_before_a_recomputation_still_lands(
    client_for, prosecutor_a, make_case
):
    """Recording an event writes the case's deadlines again under new ids;
    the form loaded before names A5 by rule and start, so the override
    typed in it is kept rather than lost to a 'not found'."""
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)
    stale = _a5(case)
    add_event(case, kind=EventKind.JUDGMENT_DELIVERED, date=dt.date(2025, 4, 23))
    assert not Deadline.objects.filter(pk=stale.pk).exists()

    response = client.post(
        reverse("monitoring:override", args=[case.pk, stale.pk]),
        {
            "due": "06/05/2025",
            "reason": "court_papers",
            "note": "Theo công văn 12/TA",
            "rule": "A5",
            "start": "2025-04-22",
        },
    )

    assert response.status_code == 302
    assert _a5(case).due == dt.date(2025, 5, 6)
    assert _a5(case).computed_due == dt.date(2025, 4, 29)


def test_clearing_an_override_restores_the_computed_date(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    client = client_for(prosecutor_a)
    client.post(
        reverse("monitoring:override", args=[case.pk, _a5(case).pk]),
        {"due": "06/05/2025", "reason": "other", "note": "Thử"},
    )

    client.post(reverse("monitoring:clear_override", args=[case.pk, _a5(case).pk]))

    assert _a5(case).due == dt.date(2025, 4, 29)
    assert _a5(case).computed_due is None


def test_another_units_user_cannot_override(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    case = make_case(prosecutor_a.unit)
    deadline = _a5(case)
    outsider = client_for(prosecutor_b)

    for name in ("monitoring:override", "monitoring:clear_override"):
        response = outsider.post(
            reverse(name, args=[case.pk, deadline.pk]),
            {"due": "01/01/2026", "reason": "other", "note": "x"},
        )
        assert response.status_code == 404
    assert _a5(case).due == dt.date(2025, 4, 29)


def test_a_deadline_of_another_case_cannot_be_reached_through_ones_own(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    own = make_case(prosecutor_b.unit)
    foreign = make_case(prosecutor_a.unit)

    response = client_for(prosecutor_b).post(
        reverse("monitoring:override", args=[own.pk, _a5(foreign).pk]),
        {"due": "01/01/2026", "reason": "other", "note": "x"},
    )

    assert response.status_code == 404


def test_correcting_an_event_records_the_moved_date_for_the_prosecutor(
    client_for, prosecutor_a, make_case
):
    """A7: QĐTHA 28/04/2025 → due Tue 06/05/2025; corrected to Mon 05/05/2025
    → 3 working days: Tue 06, Wed 07, Thu 08/05/2025."""
    case = make_case(prosecutor_a.unit, prosecutor=prosecutor_a)
    event = add_event(
        case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 28)
    )

    change_event(event, date=dt.date(2025, 5, 5))

    change = DateChange.objects.get(case=case, rule="A7")
    assert (change.old_date, change.new_date) == (
        dt.date(2025, 5, 6),
        dt.date(2025, 5, 8),
    )
    assert not change.seen
    page = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))
    assert "06/05/2025 → <strong>08/05/2025</strong>" in page.content.decode()
    change.refresh_from_db()
    assert change.seen


def test_editing_a_rule_moves_dates_and_records_why(prosecutor_a, make_case):
    """A5 lengthened from 7 to 10 days by an administrator: effect 22/04/2025
    + 10 = Fri 02/05/2025, the swapped day off → Mon 05/05/2025."""
    case = make_case(prosecutor_a.unit)
    Rule.objects.filter(rule_set__code="LTHAHS-2019", code="A5").update(duration=10)
    invalidate()

    recompute_all("Quản trị sửa quy tắc A5")

    assert _a5(case).due == dt.date(2025, 5, 5)
    change = DateChange.objects.get(case=case, rule="A5")
    assert change.old_date == dt.date(2025, 4, 29)
    assert change.reason == "Quản trị sửa quy tắc A5"
    invalidate()


def test_a_case_with_conflicting_facts_shows_dates_not_computed(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit)
    DetentionPeriod.objects.create(
        unit=case.unit, case=case, start=dt.date(2025, 1, 10), end=dt.date(2025, 1, 1)
    )
    add_event(case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 25))

    page = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    text = page.content.decode()
    assert "Chưa tính được ngày" in text
    assert "kết thúc (01/01/2025) trước khi bắt đầu" in text
    # The reason code is for the interchange and support, not read aloud.
    assert "(period_reversed)" not in text
    assert 'data-code="period_reversed"' in text
    assert not case.deadlines.exists()


def test_the_case_page_shows_eligibility_with_its_arithmetic(
    client_for, prosecutor_a, make_case
):
    """D10 (BLHS 65(4)): 2-year probation from the pronouncement 20/03/2025;
    one half = 12 months: 20/03/2026."""
    case = make_case(
        prosecutor_a.unit,
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
    )

    page = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    text = page.content.decode()
    assert case.eligibility_dates.get(rule="D10").date == dt.date(2026, 3, 20)
    assert "Xét rút ngắn thời gian thử thách" in text
    assert "20/03/2026" in text
    assert "Một phần hai" in text


def test_the_calendar_page_shows_tet_and_the_swapped_days(client_for, prosecutor_a):
    page = client_for(prosecutor_a).get(
        reverse("monitoring:calendar_year", args=[2025])
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "Tết Nguyên Đán" in text
    assert "02/05/2025" in text  # swapped day off
    assert "26/04/2025" in text  # its make-up Saturday


def test_the_calendar_shows_the_checked_2026_swap(client_for, prosecutor_a):
    text = (
        client_for(prosecutor_a)
        .get(reverse("monitoring:calendar_year", args=[2026]))
        .content.decode()
    )

    assert "Làm bù cho ngày 02/01/2026" in text
    assert "Điều chỉnh của quản trị" in text


def test_the_calendar_refuses_years_it_does_not_hold(client_for, prosecutor_a):
    response = client_for(prosecutor_a).get(
        reverse("monitoring:calendar_year", args=[1990])
    )

    assert response.status_code == 404


def test_a_deadline_counted_back_shows_its_start_as_the_landmark(
    client_for, prosecutor_a, make_case
):
    """F2: the prison gives notice 2 months before the term ends (Luật THAHS
    2019 Điều 46 k1): for an end on Tue 02/06/2026 the notice is due Thu
    02/04/2026, and the page must not read as if it started after its due
    date."""
    case = make_case(prosecutor_a.unit, prosecutor=prosecutor_a)
    Deadline.objects.create(
        unit_id=case.unit_id,
        case=case,
        rule="F2",
        rule_set="LTHAHS-2019",
        title="Trại giam thông báo trước 02 tháng khi người chấp hành án hết hạn tù",
        start=dt.date(2026, 6, 2),
        due=dt.date(2026, 4, 2),
        warn_from=dt.date(2026, 3, 26),
        responsible="Trại giam",
        responsible_kind="prison",
        basis="Luật THAHS 2019, Điều 46 khoản 1",
        shifted=True,
    )

    page = client_for(prosecutor_a).get(reverse("cases:detail", args=[case.pk]))

    row = page.content.decode().split('data-rule="F2"')[1].split("</tr>")[0]
    assert "mốc, hạn tính lùi</small>02/06/2026" in row
    assert "02/04/2026" in row
    # Moved off a rest day, a backward deadline moves earlier, not later.
    assert "(đưa lên trước do ngày nghỉ)" in row
    assert "(lùi do ngày nghỉ)" not in row


def test_the_first_edit_of_a_shipped_rule_shows_the_value_it_replaced():
    """The administrator's history of A5 must say 7 → 10 days, the first
    time too: the shipped rules start with a history row of their own."""
    rule = Rule.objects.get(rule_set__code="LTHAHS-2019", code="A5")
    rule.duration = 10
    rule.save()

    latest, shipped = rule.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(shipped).changes}

    assert shipped.history_type == "+"
    assert changes["duration"] == (7, 10)
    invalidate()


@pytest.mark.parametrize(
    ("day", "kind", "reason"),
    [
        # Wed 09/12/2026 is already a working day: nothing to make up.
        (dt.date(2026, 12, 9), "working_day", "đã là ngày làm việc"),
        # Sat 12/12/2026 is already a day off.
        (dt.date(2026, 12, 12), "day_off", "ngày nghỉ cuối tuần sẵn có"),
        # Thu 10/12/2026 is no holiday of the package.
        (dt.date(2026, 12, 10), "cancel_holiday", "không có ngày nghỉ 10/12/2026"),
    ],
)
def test_a_calendar_correction_that_changes_nothing_is_refused(day, kind, reason):
    from django.core.exceptions import ValidationError

    from monitoring.models import CalendarOverride

    override = CalendarOverride(date=day, kind=kind, name="Thử")

    with pytest.raises(ValidationError, match=reason):
        override.full_clean()


def test_a_day_already_corrected_is_pointed_to_its_correction():
    """Mon 07/12/2026 made a day off; adding a make-up day on the same date
    names the existing correction instead of saying it is a working day."""
    from django.core.exceptions import ValidationError

    from monitoring.models import CalendarOverride

    CalendarOverride.objects.create(
        date=dt.date(2026, 12, 7), kind="day_off", name="Nghỉ bù"
    )
    second = CalendarOverride(date=dt.date(2026, 12, 7), kind="working_day")

    with pytest.raises(ValidationError, match="đã có điều chỉnh"):
        second.full_clean()


def test_a_weekend_made_a_working_day_is_accepted():
    from monitoring.models import CalendarOverride

    # Sat 17/01/2026 (10/01, the shipped one, is taken: dates are unique).
    CalendarOverride(
        date=dt.date(2026, 1, 17), kind="working_day", name="Làm bù"
    ).full_clean()


def test_a_rule_edit_records_what_changed_as_the_reason_dates_moved():
    """A prosecutor reading "Ngày thay đổi khi tính lại" should see why:
    which rule, and its duration before and after."""
    from django.contrib import admin
    from django.forms import modelform_factory

    rule = Rule.objects.get(rule_set__code="LTHAHS-2019", code="A5")
    form = modelform_factory(Rule, fields=["title", "duration"])(
        {"title": rule.title, "duration": 10}, instance=rule
    )
    assert form.is_valid()

    reason = admin.site._registry[Rule].reason(rule, form, change=True)

    assert reason.startswith("Quản trị sửa quy tắc thời hạn A5")
    assert reason.endswith(": thời hạn 7 → 10")


def test_the_home_page_leads_to_every_moved_date_not_only_the_first_twenty(
    client_for, prosecutor_a, make_case
):
    case = make_case(prosecutor_a.unit, prosecutor=prosecutor_a)
    DateChange.objects.bulk_create(
        DateChange(
            unit_id=case.unit_id,
            case=case,
            rule="A5",
            old_date=dt.date(2025, 4, 29),
            new_date=dt.date(2025, 5, 5),
            reason=f"Thử {n}",
        )
        for n in range(25)
    )

    page = client_for(prosecutor_a).get("/").content.decode()

    assert 'href="/viec-cua-toi/?muc=moved">Xem tất cả 25</a>' in page
