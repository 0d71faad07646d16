"""Period counting (monitoring.dates) and the working calendar (monitoring.calendar).

Every expected date below was computed by hand from the Vietnamese calendar
(the ``holidays`` package for VN plus the shipped 2026 overrides), following
the conventions of shared/domain/legal-rules.md:

- the event day is not counted (BLDS Art. 147);
- a forward calendar-day or month period ending on a rest day runs to the
  next working day (BLDS Art. 148(5); BLTTHS Art. 134 for months);
- a working-day period counts working days only;
- a backward period ending on a rest day moves earlier;
- months end on the corresponding date, clamped to the month's last day.

Rest days used by hand: Tết 2020 Thu 23/01-Wed 29/01; Tết 2024 Thu 08/02-
Wed 14/02; Tết 2025 Mon 27/01-Fri 31/01 (with the weekends 25-26/01 and
01-02/02); Tết 2026 Mon 16/02-Fri 20/02; 30/04-01/05/2025 plus the swapped
day off Fri 02/05/2025, worked back on Sat 26/04/2025; 2026: Thu 01/01 and
the swapped Fri 02/01 off, worked back on Sat 10/01/2026.
"""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import importlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring import dates
from monitoring.calendar import build_calendar

OVERRIDES_2026 = [
    (date(2026, 1, 2), "day_off", "Nghỉ Tết Dương lịch (hoán đổi với ngày 10/01/2026)"),
    (date(2026, 1, 10), "working_day", "Làm bù cho ngày 02/01/2026"),
]
CAL = build_calendar(OVERRIDES_2026)

# The package covers 2009-2035; keep nominal dates well inside it.
DAYS_IN_RANGE = st.dates(min_value=date(2010, 1, 1), max_value=date(2034, 6, 30))


def d(day: int, month: int, year: int) -> date:
    """Dates written the Vietnamese way, day first."""
    return date(year, month, day)


def span(first: date, last: date) -> list[date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --------------------------------------------------------------------------
# The calendar itself
# --------------------------------------------------------------------------


def test_calendar_weekdays_work_and_weekends_rest_in_an_ordinary_week():
    """Mon 10/03/2025-Fri 14/03/2025 are working days; Sat 15 and Sun 16 rest."""
    for day in span(d(10, 3, 2025), d(14, 3, 2025)):
        assert CAL.is_working_day(day), day
    assert not CAL.is_working_day(d(15, 3, 2025))
    assert not CAL.is_working_day(d(16, 3, 2025))
    assert CAL.rest_reason(d(15, 3, 2025)) == "Thứ Bảy"
    assert CAL.rest_reason(d(16, 3, 2025)) == "Chủ nhật"


@pytest.mark.parametrize(
    ("first_off", "last_off", "last_working_before", "first_working_after"),
    [
        # Tết Canh Tý 2020: Thu 23/01-Wed 29/01/2020.
        (d(23, 1, 2020), d(29, 1, 2020), d(22, 1, 2020), d(30, 1, 2020)),
        # Tết Giáp Thìn 2024: Thu 08/02-Wed 14/02/2024.
        (d(8, 2, 2024), d(14, 2, 2024), d(7, 2, 2024), d(15, 2, 2024)),
        # Tết Ất Tỵ 2025: Sat 25/01-Sun 02/02/2025 (weekdays 27/01-31/01 off).
        (d(25, 1, 2025), d(2, 2, 2025), d(24, 1, 2025), d(3, 2, 2025)),
        # Tết Bính Ngọ 2026: Sat 14/02-Sun 22/02/2026 (weekdays 16/02-20/02 off).
        (d(14, 2, 2026), d(22, 2, 2026), d(13, 2, 2026), d(23, 2, 2026)),
    ],
)
def test_calendar_tet_breaks_are_unbroken_runs_of_rest_days(
    first_off, last_off, last_working_before, first_working_after
):
    """BLLĐ 2019 Art. 112: 5 days of Lunar New Year, joined to the weekends."""
    for day in span(first_off, last_off):
        assert not CAL.is_working_day(day), day
    assert CAL.is_working_day(last_working_before)
    assert CAL.is_working_day(first_working_after)


def test_calendar_weekday_tet_days_are_named_tet():
    """The weekday rest days of Tết 2025 (27/01-31/01) carry a Tết name."""
    for day in span(d(27, 1, 2025), d(31, 1, 2025)):
        assert "Tết" in CAL.rest_reason(day), day


def test_calendar_2025_reunification_break_and_swapped_day_off():
    """30/04 and 01/05/2025 are holidays; Fri 02/05/2025 is the swapped day off,
    worked back on Sat 26/04/2025, which is a working day."""
    assert not CAL.is_working_day(d(30, 4, 2025))
    assert not CAL.is_working_day(d(1, 5, 2025))
    assert not CAL.is_working_day(d(2, 5, 2025))
    assert "26/04/2025" in CAL.rest_reason(d(2, 5, 2025))
    assert CAL.is_working_day(d(26, 4, 2025))
    assert not CAL.is_working_day(d(27, 4, 2025))  # Sunday stays a rest day
    assert CAL.is_working_day(d(5, 5, 2025))


def test_calendar_2024_swapped_day_off_29_april_worked_back_saturday_4_may():
    """2024: Mon 29/04 off in exchange for Sat 04/05/2024, a working day."""
    assert not CAL.is_working_day(d(29, 4, 2024))
    assert CAL.is_working_day(d(4, 5, 2024))


def test_calendar_2026_new_year_swap_from_the_shipped_overrides():
    """2026: Thu 01/01 holiday, Fri 02/01 swapped off, Sat 10/01/2026 worked."""
    assert not CAL.is_working_day(d(1, 1, 2026))
    assert not CAL.is_working_day(d(2, 1, 2026))
    assert CAL.is_working_day(d(10, 1, 2026))
    assert CAL.rest_reason(d(2, 1, 2026)).startswith("Nghỉ Tết Dương lịch")


def test_calendar_without_overrides_lacks_the_2026_swap():
    """The package alone does not know the 2026 swap: that is why it ships
    as override rows (migration 0002)."""
    bare = build_calendar([])
    assert bare.is_working_day(d(2, 1, 2026))
    assert not bare.is_working_day(d(10, 1, 2026))


def test_calendar_shipped_migration_rows_are_the_ones_tested():
    """The rows tested here are those migration 0002 loads."""
    migration = importlib.import_module("monitoring.migrations.0002_calendar_2026")
    assert [(day, kind) for day, kind, _ in migration.OVERRIDES] == [
        (day, kind) for day, kind, _ in OVERRIDES_2026
    ]


def test_calendar_override_cancel_holiday_makes_30_april_2025_a_working_day():
    cal = build_calendar([(d(30, 4, 2025), "cancel_holiday", "test")])
    assert cal.is_working_day(d(30, 4, 2025))
    assert not cal.is_working_day(d(1, 5, 2025))


def test_calendar_override_day_off_beats_a_package_make_up_saturday():
    """An administrator's day off on Sat 26/04/2025 wins over the make-up day."""
    cal = build_calendar([(d(26, 4, 2025), "day_off", "Nghỉ")])
    assert not cal.is_working_day(d(26, 4, 2025))
    assert cal.rest_reason(d(26, 4, 2025)) == "Nghỉ"


def test_calendar_override_adds_a_day_off_on_an_ordinary_weekday():
    cal = build_calendar([(d(12, 3, 2025), "day_off", "Nghỉ đột xuất")])
    assert not cal.is_working_day(d(12, 3, 2025))
    assert CAL.is_working_day(d(12, 3, 2025))  # the shared calendar is untouched


# --------------------------------------------------------------------------
# Forward calendar-day periods
# --------------------------------------------------------------------------


def test_start_day_not_counted_7_days_from_thu_20_february_2025_end_thu_27_february():
    """BLDS 147: "within 7 days from the 20th" ends on the 27th (a working day)."""
    period = dates.after_days(d(20, 2, 2025), 7, CAL)
    assert period.due == d(27, 2, 2025)
    assert period.nominal == d(27, 2, 2025)
    assert not period.shifted
    assert period.skipped == ()
    assert period.start == d(20, 2, 2025)


def test_one_day_period_from_mon_10_march_2025_ends_tue_11_march():
    """BLDS 147: start day excluded, so 1 day from Mon 10/03 is Tue 11/03/2025."""
    assert dates.after_days(d(10, 3, 2025), 1, CAL).due == d(11, 3, 2025)


def test_roll_over_weekend_thu_6_march_2025_plus_2_days_sat_8_runs_to_mon_10_march():
    """BLDS 148(5): Thu 06/03/2025 + 2 = Sat 08/03; Sat and Sun skipped: Mon 10/03."""
    period = dates.after_days(d(6, 3, 2025), 2, CAL)
    assert period.nominal == d(8, 3, 2025)
    assert period.due == d(10, 3, 2025)
    assert period.shifted
    assert period.skipped == (
        (d(8, 3, 2025), "Thứ Bảy"),
        (d(9, 3, 2025), "Chủ nhật"),
    )


def test_a5_runs_past_tet_2025_to_monday_3_february():
    """A5 (BLTTHS 364): effect Mon 20/01/2025 + 7 days = 27/01, a Tết day off;
    the Tết days and the weekend run it to Mon 03/02/2025."""
    period = dates.after_days(d(20, 1, 2025), 7, CAL)
    assert period.nominal == d(27, 1, 2025)
    assert period.due == d(3, 2, 2025)
    assert [day for day, _ in period.skipped] == span(d(27, 1, 2025), d(2, 2, 2025))


def test_a5_p1_effect_tue_21_january_2025_plus_7_is_28_january_runs_to_mon_3_february():
    """A5 (BLTTHS 364), example P1: 21/01/2025 + 7 = Tue 28/01 (Giao thừa);
    Tết days and the weekend run it to Mon 03/02/2025."""
    period = dates.after_days(d(21, 1, 2025), 7, CAL)
    assert period.nominal == d(28, 1, 2025)
    assert period.due == d(3, 2, 2025)


def test_a10_served_fri_24_january_2025_runs_from_31_january_to_mon_3_february():
    """A10 (LTHAHS 22(1)): served Fri 24/01/2025 + 7 = Fri 31/01, a Tết day off;
    Sat 01/02 and Sun 02/02 follow: Mon 03/02/2025."""
    period = dates.after_days(d(24, 1, 2025), 7, CAL)
    assert period.nominal == d(31, 1, 2025)
    assert period.due == d(3, 2, 2025)


def test_roll_over_tet_2020_thu_16_january_plus_7_runs_to_thu_30_january_2020():
    """BLDS 148(5): 16/01/2020 + 7 = Thu 23/01/2020 (29 Tết); Tết runs to Wed
    29/01: due Thu 30/01/2020."""
    period = dates.after_days(d(16, 1, 2020), 7, CAL)
    assert period.nominal == d(23, 1, 2020)
    assert period.due == d(30, 1, 2020)
    assert len(period.skipped) == 7


def test_roll_over_tet_2024_thu_1_february_plus_7_runs_to_thu_15_february_2024():
    """BLDS 148(5): 01/02/2024 + 7 = Thu 08/02/2024 (29 Tết); Tết to Wed 14/02:
    due Thu 15/02/2024."""
    period = dates.after_days(d(1, 2, 2024), 7, CAL)
    assert period.nominal == d(8, 2, 2024)
    assert period.due == d(15, 2, 2024)


def test_roll_over_tet_2026_mon_9_february_plus_7_runs_to_mon_23_february_2026():
    """BLDS 148(5): 09/02/2026 + 7 = Mon 16/02/2026 (Giao thừa); Tết to Fri 20/02
    and the weekend: due Mon 23/02/2026."""
    period = dates.after_days(d(9, 2, 2026), 7, CAL)
    assert period.nominal == d(16, 2, 2026)
    assert period.due == d(23, 2, 2026)
    assert [day for day, _ in period.skipped] == span(d(16, 2, 2026), d(22, 2, 2026))


def test_roll_over_30_april_2025_wed_23_april_plus_7_runs_to_mon_5_may_2025():
    """BLDS 148(5): 23/04/2025 + 7 = Wed 30/04 (holiday); 01/05 holiday, 02/05
    swapped day off, 03-04/05 weekend: due Mon 05/05/2025."""
    period = dates.after_days(d(23, 4, 2025), 7, CAL)
    assert period.nominal == d(30, 4, 2025)
    assert period.due == d(5, 5, 2025)


def test_roll_over_new_year_2026_thu_25_december_2025_plus_7_due_mon_5_january():
    """BLDS 148(5): 25/12/2025 + 7 = Thu 01/01/2026 (holiday); Fri 02/01 swapped
    off (override), 03-04/01 weekend: due Mon 05/01/2026."""
    period = dates.after_days(d(25, 12, 2025), 7, CAL)
    assert period.nominal == d(1, 1, 2026)
    assert period.due == d(5, 1, 2026)
    assert d(2, 1, 2026) in [day for day, _ in period.skipped]


def test_period_ending_on_make_up_saturday_10_january_2026_is_not_rolled():
    """Convention "working day" includes make-up Saturdays: 03/01/2026 + 7 =
    Sat 10/01/2026, a working day, so the due date stays Sat 10/01/2026."""
    period = dates.after_days(d(3, 1, 2026), 7, CAL)
    assert period.due == d(10, 1, 2026)
    assert not period.shifted


def test_period_ending_on_make_up_saturday_26_april_2025_is_not_rolled():
    """Convention "working day": 19/04/2025 + 7 = Sat 26/04/2025, a make-up
    working day: due Sat 26/04/2025."""
    period = dates.after_days(d(19, 4, 2025), 7, CAL)
    assert period.due == d(26, 4, 2025)
    assert not period.shifted


def test_without_roll_the_nominal_date_is_kept_27_january_2025():
    """roll=False (facts of time, not deadlines): 20/01/2025 + 7 = 27/01/2025."""
    period = dates.after_days(d(20, 1, 2025), 7, CAL, roll=False)
    assert period.due == d(27, 1, 2025)
    assert not period.shifted


def test_legal_effect_window_30_days_from_20_december_2024_ends_mon_20_january_2025():
    """A2/A3 (BLTTHS 337, 343): 20/12/2024 + 30 = Sun 19/01/2025 → Mon 20/01/2025."""
    period = dates.after_days(d(20, 12, 2024), 30, CAL)
    assert period.nominal == d(19, 1, 2025)
    assert period.due == d(20, 1, 2025)
    assert period.skipped == ((d(19, 1, 2025), "Chủ nhật"),)


# --------------------------------------------------------------------------
# Working-day periods
# --------------------------------------------------------------------------


def test_a7_working_days_from_fri_24_january_2025_are_3_4_5_february():
    """A7 (LTHAHS 22(2)): 3 working days from Fri 24/01/2025; 27/01-31/01 Tết days
    off and two weekends skipped: Mon 03, Tue 04, Wed 05/02/2025."""
    period = dates.after_working_days(d(24, 1, 2025), 3, CAL)
    assert period.due == d(5, 2, 2025)
    assert dates.after_working_days(d(24, 1, 2025), 1, CAL).due == d(3, 2, 2025)
    assert dates.after_working_days(d(24, 1, 2025), 2, CAL).due == d(4, 2, 2025)
    skipped = [day for day, _ in period.skipped]
    assert skipped == span(d(25, 1, 2025), d(2, 2, 2025))


def test_a7_p2_mon_28_april_2025_skips_30_04_01_05_swapped_02_05_due_tue_6_may():
    """A7 (LTHAHS 22(2)), example P2: Tue 29/04 (1); 30/04, 01/05, 02/05 (swapped)
    and 03-04/05 skipped; Mon 05/05 (2), Tue 06/05/2025 (3)."""
    period = dates.after_working_days(d(28, 4, 2025), 3, CAL)
    assert period.due == d(6, 5, 2025)
    assert [day for day, _ in period.skipped] == span(d(30, 4, 2025), d(4, 5, 2025))


def test_working_days_from_thu_24_april_2025_count_make_up_saturday_26_april():
    """Working-day count from Thu 24/04/2025: Fri 25/04 (1), Sat 26/04 make-up
    working day (2), Sun 27/04 skipped, Mon 28/04/2025 (3)."""
    assert dates.after_working_days(d(24, 4, 2025), 2, CAL).due == d(26, 4, 2025)
    period = dates.after_working_days(d(24, 4, 2025), 3, CAL)
    assert period.due == d(28, 4, 2025)
    assert [day for day, _ in period.skipped] == [d(27, 4, 2025)]


def test_five_working_days_from_thu_24_april_2025_due_mon_5_may():
    """5 wd from Thu 24/04/2025: 25/04, 26/04 (make-up), 28/04, 29/04, then
    30/04-04/05 all rest: 05/05/2025 is the fifth."""
    assert dates.after_working_days(d(24, 4, 2025), 5, CAL).due == d(5, 5, 2025)


def test_working_days_over_new_year_2026_from_wed_31_december_due_wed_7_january():
    """3 wd from Wed 31/12/2025: Thu 01/01 holiday, Fri 02/01 swapped off,
    03-04/01 weekend; Mon 05 (1), Tue 06 (2), Wed 07/01/2026 (3)."""
    assert dates.after_working_days(d(31, 12, 2025), 3, CAL).due == d(7, 1, 2026)


def test_working_days_from_thu_8_january_2026_count_make_up_sat_10_due_mon_12():
    """3 wd from Thu 08/01/2026: Fri 09 (1), Sat 10/01 make-up (2), Sun 11 skipped,
    Mon 12/01/2026 (3)."""
    period = dates.after_working_days(d(8, 1, 2026), 3, CAL)
    assert period.due == d(12, 1, 2026)
    assert [day for day, _ in period.skipped] == [d(11, 1, 2026)]


def test_working_days_across_tet_2020_from_wed_22_january_due_mon_3_february_2020():
    """3 wd from Wed 22/01/2020: Tết 23/01-29/01 skipped; Thu 30 (1), Fri 31 (2),
    Sat 01 and Sun 02/02 skipped, Mon 03/02/2020 (3)."""
    assert dates.after_working_days(d(22, 1, 2020), 3, CAL).due == d(3, 2, 2020)


def test_working_days_across_tet_2024_from_wed_7_february_due_mon_19_february_2024():
    """3 wd from Wed 07/02/2024: Tết 08/02-14/02 skipped; Thu 15 (1), Fri 16 (2),
    Mon 19/02/2024 (3)."""
    assert dates.after_working_days(d(7, 2, 2024), 3, CAL).due == d(19, 2, 2024)


def test_working_days_across_tet_2026_from_fri_13_february_due_wed_25_february_2026():
    """3 wd from Fri 13/02/2026: 14/02-22/02 all rest; Mon 23 (1), Tue 24 (2),
    Wed 25/02/2026 (3)."""
    assert dates.after_working_days(d(13, 2, 2026), 3, CAL).due == d(25, 2, 2026)


def test_working_days_in_an_ordinary_week_mon_9_june_2025_plus_3_due_thu_12_june():
    """A8, example P4: QĐTHA Mon 09/06/2025; Tue 10, Wed 11, Thu 12/06/2025."""
    period = dates.after_working_days(d(9, 6, 2025), 3, CAL)
    assert period.due == d(12, 6, 2025)
    assert period.skipped == ()


def test_e4a_p4_agency_received_tue_10_june_2025_plus_3_working_days_due_fri_13_june():
    """E4a (LTHAHS 96), example P4: Wed 11, Thu 12, Fri 13/06/2025."""
    assert dates.after_working_days(d(10, 6, 2025), 3, CAL).due == d(13, 6, 2025)


def test_working_days_from_rest_day_sat_1_february_2025_first_is_mon_3_february():
    """Start day excluded even when it is a rest day: 1 wd from Sat 01/02/2025
    (a Tết day) is Mon 03/02/2025."""
    assert dates.after_working_days(d(1, 2, 2025), 1, CAL).due == d(3, 2, 2025)


def test_working_days_from_fri_14_march_2025_skip_weekend_due_wed_19_march():
    """3 wd from Fri 14/03/2025: Mon 17 (1), Tue 18 (2), Wed 19/03/2025 (3)."""
    assert dates.after_working_days(d(14, 3, 2025), 3, CAL).due == d(19, 3, 2025)


# --------------------------------------------------------------------------
# Backward periods
# --------------------------------------------------------------------------


def test_b7a_postponement_until_mon_16_march_2026_notice_due_mon_9_march():
    """B7a (LTHAHS 25(6)): 7 days before Mon 16/03/2026 is Mon 09/03/2026, a
    working day."""
    period = dates.before_days(d(16, 3, 2026), 7, CAL)
    assert period.due == d(9, 3, 2026)
    assert period.nominal == d(9, 3, 2026)
    assert not period.shifted


def test_b7a_until_sun_9_february_2025_moves_earlier_past_tet_to_fri_24_january():
    """B7a (LTHAHS 25(6)): 7 days before Sun 09/02/2025 is Sun 02/02; it moves
    earlier past Sat 01/02, Tết 31/01-27/01 and the weekend 26-25/01 to Fri
    24/01/2025."""
    period = dates.before_days(d(9, 2, 2025), 7, CAL)
    assert period.nominal == d(2, 2, 2025)
    assert period.due == d(24, 1, 2025)
    assert [day for day, _ in period.skipped] == list(
        reversed(span(d(25, 1, 2025), d(2, 2, 2025)))
    )


def test_backward_past_tet_2020_from_tue_4_february_moves_to_wed_22_january_2020():
    """Backward 7 days from Tue 04/02/2020 = Tue 28/01 (Tết); moves earlier past
    Tết 23/01-28/01 to Wed 22/01/2020."""
    assert dates.before_days(d(4, 2, 2020), 7, CAL).due == d(22, 1, 2020)


def test_backward_past_tet_2024_from_wed_21_february_moves_to_wed_7_february_2024():
    """Backward 7 days from Wed 21/02/2024 = Wed 14/02 (Tết); moves earlier past
    08/02-14/02 to Wed 07/02/2024."""
    assert dates.before_days(d(21, 2, 2024), 7, CAL).due == d(7, 2, 2024)


def test_backward_past_tet_2026_from_sun_1_march_moves_to_fri_13_february_2026():
    """Backward 7 days from Sun 01/03/2026 = Sun 22/02; 21/02, Tết 20/02-16/02 and
    15-14/02 are rest days: Fri 13/02/2026."""
    assert dates.before_days(d(1, 3, 2026), 7, CAL).due == d(13, 2, 2026)


def test_backward_over_a_weekend_sun_15_march_2026_moves_to_fri_6_march():
    """Backward 7 days from Sun 15/03/2026 = Sun 08/03; Sat 07 too: Fri 06/03/2026."""
    assert dates.before_days(d(15, 3, 2026), 7, CAL).due == d(6, 3, 2026)


def test_backward_over_the_2026_swap_fri_9_january_moves_to_wed_31_december_2025():
    """Backward 7 days from Fri 09/01/2026 = Fri 02/01 (swapped off), Thu 01/01
    holiday: Wed 31/12/2025."""
    assert dates.before_days(d(9, 1, 2026), 7, CAL).due == d(31, 12, 2025)


def test_backward_onto_make_up_saturday_sat_17_january_2026_stays_sat_10_january():
    """Backward 7 days from Sat 17/01/2026 = Sat 10/01/2026, a make-up working day."""
    period = dates.before_days(d(17, 1, 2026), 7, CAL)
    assert period.due == d(10, 1, 2026)
    assert not period.shifted


# --------------------------------------------------------------------------
# Months and years
# --------------------------------------------------------------------------


def test_term_3_years_from_29_february_2024_ends_28_february_2027():
    """BLDS 148(3), worked example "term": no 29 Feb in 2027, so 28/02/2027."""
    assert dates.add_months(d(29, 2, 2024), 36) == d(28, 2, 2027)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (d(31, 1, 2024), 1, d(29, 2, 2024)),  # leap year
        (d(31, 1, 2025), 1, d(28, 2, 2025)),  # common year
        (d(31, 1, 2000), 1, d(29, 2, 2000)),  # 2000 is leap
        (d(31, 1, 2100), 1, d(28, 2, 2100)),  # 2100 is not
        (d(31, 3, 2025), 1, d(30, 4, 2025)),
        (d(31, 5, 2025), 4, d(30, 9, 2025)),
        (d(31, 12, 2024), 2, d(28, 2, 2025)),
        (d(30, 11, 2025), 3, d(28, 2, 2026)),
        (d(31, 8, 2025), 6, d(28, 2, 2026)),
        (d(29, 2, 2024), 12, d(28, 2, 2025)),
        (d(29, 2, 2024), 48, d(29, 2, 2028)),
        (d(15, 11, 2025), 3, d(15, 2, 2026)),  # crosses the year
        (d(15, 3, 2025), 0, d(15, 3, 2025)),
        (d(31, 3, 2025), -1, d(28, 2, 2025)),  # backwards, clamped
        (d(15, 1, 2025), -1, d(15, 12, 2024)),  # backwards across the year
    ],
)
def test_add_months_corresponding_date_clamped_to_month_end(start, months, expected):
    """BLDS 148(3) / BLTTHS 134: the corresponding date, or the month's last day."""
    assert dates.add_months(start, months) == expected


def test_d10_half_of_3_year_probation_from_15_march_2024_is_15_september_2025():
    """D10, worked example: half of 36 months = 18 months: 15/09/2025."""
    assert dates.add_months(d(15, 3, 2024), 18) == d(15, 9, 2025)


def test_d10_p3_half_of_4_year_probation_from_31_october_2024_is_31_october_2026():
    """D10, example P3: half of 48 months = 24 months from 31/10/2024: 31/10/2026."""
    assert dates.add_months(d(31, 10, 2024), 24) == d(31, 10, 2026)


def test_e7_one_third_of_2_year_ctkgg_from_10_june_2025_is_10_february_2026():
    """E7, worked example and P4: one third of 24 months = 8 months: 10/02/2026."""
    assert dates.add_months(d(10, 6, 2025), 8) == d(10, 2, 2026)


def test_e7_one_third_of_1_year_4_month_ctkgg_from_10_june_2025_is_20_november_2025():
    """E7, worked example: 480 days / 3 = 160 days = 5 months 10 days; months
    first: 10/11/2025, then 10 days: 20/11/2025."""
    after_months = dates.add_months(d(10, 6, 2025), 5)
    assert after_months == d(10, 11, 2025)
    assert after_months + dt.timedelta(days=10) == d(20, 11, 2025)


def test_ctkgg_example_term_ends_15_february_2027_reduction_from_15_february_2026():
    """Conventions example: CTKGG 1y6m less 60 days credit = 1y4m from
    15/10/2025 ends 15/02/2027; one third (180 d) less 60 = 120 d = 4 months:
    15/02/2026."""
    assert dates.add_months(d(15, 10, 2025), 16) == d(15, 2, 2027)
    assert dates.add_months(d(15, 10, 2025), 4) == d(15, 2, 2026)


def test_month_deadline_17_november_2025_plus_3_months_runs_to_mon_23_february():
    """BLTTHS 134 (month periods roll): 17/11/2025 + 3 months = Tue 17/02/2026
    (Tết Nguyên Đán); Tết to Fri 20/02 and the weekend: Mon 23/02/2026."""
    period = dates.after_months(d(17, 11, 2025), 3, CAL)
    assert period.nominal == d(17, 2, 2026)
    assert period.due == d(23, 2, 2026)
    assert period.shifted


def test_month_deadline_29_february_2024_plus_36_months_runs_to_mon_1_march_2027():
    """BLTTHS 134: 29/02/2024 + 3 years = 28/02/2027, a Sunday; as a deadline it
    runs to Mon 01/03/2027; as the end of a term (roll=False) it stays 28/02/2027."""
    assert dates.after_months(d(29, 2, 2024), 36, CAL).due == d(1, 3, 2027)
    assert dates.after_months(d(29, 2, 2024), 36, CAL, roll=False).due == d(28, 2, 2027)


# --------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------


def test_describe_skipped_names_each_day_and_its_reason():
    text = dates.describe_skipped(
        ((d(27, 1, 2025), "29 Tết"), (d(1, 2, 2025), "Thứ Bảy"))
    )
    assert text == "27/01/2025 (29 Tết), 01/02/2025 (Thứ Bảy)"


def test_skipped_days_of_a5_over_tet_2025_name_the_tet_days():
    """The skip list of 20/01/2025 + 7 names the Tết holidays 27/01-31/01."""
    period = dates.after_days(d(20, 1, 2025), 7, CAL)
    text = dates.describe_skipped(period.skipped)
    assert "27/01/2025 (29 Tết)" in text
    assert "Giao thừa" in text
    assert "29/01/2025 (Tết Nguyên Đán)" in text


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(start=DAYS_IN_RANGE, days=st.integers(min_value=1, max_value=60))
def test_property_working_day_due_date_is_a_working_day(start, days):
    """A working-day period ends on a working day, after exactly ``days``
    working days strictly after the start day."""
    period = dates.after_working_days(start, days, CAL)
    assert CAL.is_working_day(period.due)
    assert period.due > start
    counted = sum(
        CAL.is_working_day(day) for day in span(start + dates.ONE_DAY, period.due)
    )
    assert counted == days


@settings(max_examples=300, deadline=None)
@given(start=DAYS_IN_RANGE, days=st.integers(min_value=0, max_value=120))
def test_property_calendar_day_due_with_roll_is_next_working_day_on_or_after_nominal(
    start, days
):
    """BLDS 148(5): due is a working day, ≥ the nominal date, < nominal + 15
    days, and every day from the nominal date to the due date is a rest day."""
    period = dates.after_days(start, days, CAL)
    nominal = start + dt.timedelta(days=days)
    assert period.nominal == nominal
    assert CAL.is_working_day(period.due)
    assert nominal <= period.due < nominal + dt.timedelta(days=15)
    for day in span(nominal, period.due - dates.ONE_DAY):
        assert not CAL.is_working_day(day)
    assert period.shifted == (period.due != nominal)


@settings(max_examples=300, deadline=None)
@given(
    first=DAYS_IN_RANGE,
    gap=st.integers(min_value=0, max_value=40),
    days=st.integers(min_value=0, max_value=60),
)
def test_property_after_days_is_monotonic_in_the_start_date(first, gap, days):
    """A later start never gives an earlier due date."""
    second = first + dt.timedelta(days=gap)
    assert (
        dates.after_days(first, days, CAL).due
        <= dates.after_days(second, days, CAL).due
    )


@settings(max_examples=300, deadline=None)
@given(
    first=DAYS_IN_RANGE,
    gap=st.integers(min_value=0, max_value=40),
    days=st.integers(min_value=1, max_value=30),
)
def test_property_after_working_days_is_monotonic_in_the_start_date(first, gap, days):
    second = first + dt.timedelta(days=gap)
    assert (
        dates.after_working_days(first, days, CAL).due
        <= dates.after_working_days(second, days, CAL).due
    )


@settings(max_examples=500, deadline=None)
@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=-240, max_value=600),
)
def test_property_add_months_never_passes_month_end_and_keeps_the_day_when_it_exists(
    start, months
):
    result = dates.add_months(start, months)
    # The right month: exactly ``months`` months away.
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    last = stdlib_calendar.monthrange(result.year, result.month)[1]
    assert result.day <= last
    if start.day <= last:
        assert result.day == start.day
    else:
        assert result.day == last


@settings(max_examples=300, deadline=None)
@given(reference=DAYS_IN_RANGE, days=st.integers(min_value=0, max_value=60))
def test_property_before_days_due_is_a_working_day_not_after_nominal(reference, days):
    """Backward periods: due is a working day ≤ reference − days, and every day
    after it up to the nominal date is a rest day."""
    period = dates.before_days(reference, days, CAL)
    nominal = reference - dt.timedelta(days=days)
    assert period.nominal == nominal
    assert CAL.is_working_day(period.due)
    assert nominal - dt.timedelta(days=15) < period.due <= nominal
    for day in span(period.due + dates.ONE_DAY, nominal):
        assert not CAL.is_working_day(day)


@settings(max_examples=200, deadline=None)
@given(start=DAYS_IN_RANGE, months=st.integers(min_value=0, max_value=60))
def test_property_after_months_rolls_to_a_working_day_from_the_corresponding_date(
    start, months
):
    period = dates.after_months(start, months, CAL)
    assert period.nominal == dates.add_months(start, months)
    assert CAL.is_working_day(period.due)
    assert period.nominal <= period.due < period.nominal + dt.timedelta(days=15)
