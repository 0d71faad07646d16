"""A duty owed once per judgment (A4, A4b: the court sends the judgment to
the procuracy, BLTTHS Art. 262) is one violation per judgment, however many
convicts (co-defendants) the judgment sentenced."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import services as cases
from cases.models import EventKind, SentenceKind, Sex
from monitoring.models import Deadline
from violations import services, sync
from violations.models import Violation


def d(day: int, month: int, year: int) -> dt.date:
    return dt.date(year, month, day)


def codefendants(make_case, unit, court, number: str, pronounced: dt.date):
    """Two convicts of one first-instance judgment, two register entries."""
    first = make_case(
        unit,
        number=number,
        court=court,
        pronounced_on=pronounced,
        effective_on=pronounced + dt.timedelta(days=31),
    )
    second = cases.open_case(
        first.judgment,
        cases.ConvictInput(
            full_name="Lê Thị Bình",
            sex=Sex.FEMALE,
            birth_year=1995,
            sentence_kind=SentenceKind.PRISON,
            term_years=1,
        ),
        register_date=first.register_date,
    )
    return first, second


def a4(*case_list):
    return Violation.objects.filter(case__in=case_list, rule="A4").exclude(
        state=Violation.State.WITHDRAWN
    )


@pytest.fixture
def pair(make_case, unit_a, court_a):
    """Judgment pronounced Thu 20/03/2025: A4 (10 days) due Mon 31/03/2025
    (30/03 is a Sunday)."""
    return codefendants(make_case, unit_a, court_a, "12/2025/HS-ST", d(20, 3, 2025))


def test_two_codefendants_give_one_a4_violation(pair, court_a):
    first, second = pair

    # Each case still shows the deadline …
    assert Deadline.objects.filter(case__in=pair, rule="A4").count() == 2
    # … but the court breached its duty once.
    violation = a4(*pair).get()
    assert violation.case == first
    assert violation.agency == court_a
    assert violation.due == d(31, 3, 2025)
    assert violation.done is None


def test_the_earliest_delivery_on_any_case_is_the_courts_act(pair):
    first, second = pair

    cases.add_event(second, kind=EventKind.JUDGMENT_DELIVERED, date=d(8, 4, 2025))
    violation = a4(*pair).get()
    assert (violation.case, violation.done) == (first, d(8, 4, 2025))

    cases.add_event(first, kind=EventKind.JUDGMENT_DELIVERED, date=d(28, 3, 2025))
    assert not a4(*pair).exists()


def test_the_violation_moves_to_the_other_case_when_the_first_is_cancelled(pair):
    """Syncing the cancelled case judges its co-defendant's too."""
    first, second = pair

    cases.cancel_case(first, on=d(2, 4, 2025), reason="Vào sổ nhầm")
    sync.sync_all()  # the nightly pass

    assert a4(*pair).get().case == second


def test_repetitions_count_judgments_not_convicts(make_case, unit_a, court_a):
    """Two late judgments of two convicts each: the court's second A4
    breach of the year, not its fourth."""
    first = codefendants(make_case, unit_a, court_a, "12/2025/HS-ST", d(20, 3, 2025))
    second = codefendants(make_case, unit_a, court_a, "13/2025/HS-ST", d(21, 3, 2025))

    rows = list(a4(*first, *second).order_by("due"))
    assert len(rows) == 2
    ranks = services.repeat_ranks(rows)
    assert sorted(ranks[row.pk] for row in rows) == [1, 2]


def test_the_violation_list_shows_the_judgment_once(pair, prosecutor_a, client_for):
    page = client_for(prosecutor_a).get("/vi-pham/", {"rule": "A4"}).content.decode()

    assert page.count("Bản án 12/2025/HS-ST") == 1
    assert "Nguyễn Văn An</a> và 1 người bị kết án khác" in page
    assert "Lặp lại lần" not in page
