"""The nightly monitoring job: idempotent, isolated failures, one at a time."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cases.models import EventKind, ExecutionCase
from cases.services import add_event, cancel_case
from monitoring import jobs
from monitoring.models import Alert, JobLock, MonitoringRun

pytestmark = pytest.mark.django_db

# The make_case default, pronounced 20/03/2025, effect 22/04/2025: A4 = +10
# days = Sun 30/03 → Mon 31/03/2025; A5 = +7 days = Tue 29/04/2025. Neither
# is done: on 02/05/2025 both are overdue.
AS_OF = dt.date(2025, 5, 2)


def test_two_runs_for_a_day_give_the_same_alerts(prosecutor_a, make_case):
    make_case(prosecutor_a.unit, prosecutor=prosecutor_a)

    first = jobs.run_monitoring(AS_OF)
    second = jobs.run_monitoring(AS_OF)

    alert = Alert.objects.get(rule="A5")
    assert (alert.kind, alert.due) == ("overdue", dt.date(2025, 4, 29))
    assert alert.user == prosecutor_a
    assert sorted(Alert.objects.values_list("rule", flat=True)) == ["A4", "A5"]
    assert (first.alerts_created, second.alerts_created) == (2, 0)
    assert MonitoringRun.objects.count() == 2


def test_a_due_soon_deadline_is_due_today_on_its_day(prosecutor_a, make_case):
    """A5 due Tue 29/04/2025 (warning 2 days): on 29/04 it is due today."""
    make_case(prosecutor_a.unit, prosecutor=prosecutor_a)

    jobs.run_monitoring(dt.date(2025, 4, 29))

    assert Alert.objects.get(rule="A5").kind == "due_today"


def test_a_failure_on_one_case_is_recorded_and_the_others_processed(
    prosecutor_a, make_case, monkeypatch
):
    broken = make_case(prosecutor_a.unit, number="1/2025/HS-ST")
    make_case(prosecutor_a.unit, number="2/2025/HS-ST")
    real = jobs._alerts_for

    def fail_on_broken(case, as_of):
        if case.pk == broken.pk:
            raise ValueError("hỏng")
        return real(case, as_of)

    monkeypatch.setattr(jobs, "_alerts_for", fail_on_broken)

    run = jobs.run_monitoring(AS_OF)

    assert run.cases == 2
    assert run.errors == [{"case": broken.pk, "error": "ValueError"}]
    assert Alert.objects.exclude(case=broken).count() == 2
    assert not Alert.objects.filter(case=broken).exists()
    assert run.finished_at is not None


def test_a_second_run_while_one_is_running_is_refused(prosecutor_a):
    JobLock.objects.create(name=jobs.LOCK_NAME)

    with pytest.raises(CommandError, match="đang diễn ra"):
        call_command("run_monitoring", "--as-of", "2025-05-02")

    assert not MonitoringRun.objects.exists()


def test_the_command_runs_for_another_day(prosecutor_a, make_case, capsys):
    make_case(prosecutor_a.unit, prosecutor=prosecutor_a)

    call_command("run_monitoring", "--as-of", "2025-05-02")

    assert "Giám sát ngày 02/05/2025: 1 hồ sơ cần cảnh báo, 2 cảnh báo mới, 0 lỗi." in (
        capsys.readouterr().out
    )


def test_a_leader_is_warned_when_the_job_did_not_run_last_night(client_for, leader_a):
    assert jobs.missed_last_night(dt.date(2025, 5, 3))
    jobs_run = MonitoringRun.objects.create(as_of=dt.date(2025, 5, 2))
    jobs_run.finished_at = jobs_run.started_at
    jobs_run.save()

    assert not jobs.missed_last_night(dt.date(2025, 5, 3))
    assert jobs.missed_last_night(dt.date(2025, 5, 4))


def test_the_notifications_page_lists_ones_own_alerts_and_marks_them_read(
    client_for, prosecutor_a, prosecutor_b, make_case
):
    make_case(prosecutor_a.unit, full_name="Đinh Văn Cảnh Báo", prosecutor=prosecutor_a)
    jobs.run_monitoring(AS_OF)
    Alert.objects.update(day=timezone.localdate())

    client = client_for(prosecutor_a)
    assert "Thông báo <span" in client.get("/").content.decode()
    page = client.get("/thong-bao/").content.decode()

    assert "Đinh Văn Cảnh Báo" in page
    assert not Alert.objects.filter(read_at__isnull=True).exists()
    assert (
        "Cảnh Báo" not in client_for(prosecutor_b).get("/thong-bao/").content.decode()
    )


def test_an_alert_whose_deadline_was_met_since_says_so(
    client_for, prosecutor_a, make_case
):
    """A5 due 29/04/2025 was overdue on 02/05/2025; the court's QĐTHA of
    30/04/2025, recorded after that night's alert, shows beside it."""
    case = make_case(prosecutor_a.unit, prosecutor=prosecutor_a)
    jobs.run_monitoring(AS_OF)
    Alert.objects.update(day=timezone.localdate())
    add_event(case, kind=EventKind.EXECUTION_DECISION_ISSUED, date=dt.date(2025, 4, 30))

    page = client_for(prosecutor_a).get("/thong-bao/").content.decode()

    assert "Quá hạn: hạn 29/04/2025" in page
    assert "Đã thực hiện 30/04/2025" in page


def test_the_dashboard_warns_a_leader_when_the_job_did_not_run(client_for, leader_a):
    page = client_for(leader_a).get("/").content.decode()

    assert "Giám sát hằng đêm chưa chạy" in page
    assert "manage.py run_monitoring" in page


# Only the cases with something to alert about are read -----------------------


def _every_open_case(as_of: dt.date) -> set[tuple]:
    """The day's alerts as the job used to find them: every open case, with
    all its deadlines and eligibility dates, judged one by one."""
    found = set()
    cases = (
        ExecutionCase.objects.filter(cancelled_on__isnull=True)
        .exclude(status__in=jobs.CLOSED_STATUSES)
        .prefetch_related("deadlines", "eligibility_dates")
    )
    for case in cases:
        found.update(
            (alert.case_id, alert.kind, alert.rule, alert.due)
            for alert in jobs._alerts_for(case, as_of)
        )
    return found


@pytest.fixture
def register(make_case, prosecutor_a, court_a):
    """Cases in different states: A5 overdue, A5 met late on 05/05/2025
    (the QĐTHA issued then), a judgment too recent for any window, a
    suspended sentence whose D10 eligibility falls on 20/03/2026, a case
    served to the end and a cancelled one."""
    unit = prosecutor_a.unit
    overdue = make_case(unit, prosecutor=prosecutor_a, court=court_a)
    met_late = make_case(unit, number="2/2025/HS-ST", court=court_a)
    add_event(
        met_late,
        kind=EventKind.EXECUTION_DECISION_ISSUED,
        date=dt.date(2025, 5, 5),
        agency=court_a,
    )
    recent = make_case(
        unit,
        number="3/2025/HS-ST",
        pronounced_on=dt.date(2025, 4, 28),
        effective_on=None,
    )
    suspended = make_case(
        unit,
        number="4/2025/HS-ST",
        sentence_kind="suspended",
        term_years=1,
        probation_years=2,
    )
    served = make_case(unit, number="5/2025/HS-ST")
    add_event(served, kind=EventKind.COMPLETED, date=dt.date(2025, 4, 30))
    cancelled = make_case(unit, number="6/2025/HS-ST")
    cancel_case(cancelled, on=dt.date(2025, 4, 30), reason="Vào sổ nhầm")
    return {
        "overdue": overdue,
        "met_late": met_late,
        "recent": recent,
        "suspended": suspended,
    }


@pytest.mark.parametrize(
    "as_of",
    [
        dt.date(2025, 3, 21),
        dt.date(2025, 4, 29),
        AS_OF,
        dt.date(2025, 5, 6),
        dt.date(2026, 3, 20),
    ],
)
def test_the_alerts_are_those_of_every_open_case_judged_one_by_one(register, as_of):
    expected = _every_open_case(as_of)

    run = jobs.run_monitoring(as_of)

    stored = set(Alert.objects.values_list("case_id", "kind", "rule", "due"))
    assert stored == expected
    assert run.alerts_created == len(expected)
    assert run.cases == len({case_id for case_id, *_ in expected})


def test_only_the_cases_with_an_alert_are_read(register):
    run = jobs.run_monitoring(AS_OF)

    alerted = set(Alert.objects.values_list("case_id", flat=True))
    assert register["recent"].pk not in alerted
    assert run.cases == len(alerted) == 3


def test_a_past_day_sees_a_deadline_met_after_it_as_still_open(register):
    """A5 of ``met_late`` was due 29/04/2025 and met on 05/05: run again for
    02/05 it was overdue that day; on 06/05 it alerts no more."""
    case = register["met_late"]

    jobs.run_monitoring(AS_OF)
    assert Alert.objects.get(case=case, rule="A5").kind == "overdue"

    Alert.objects.all().delete()
    jobs.run_monitoring(dt.date(2025, 5, 6))
    assert not Alert.objects.filter(case=case, rule="A5").exists()


def test_an_eligibility_date_alerts_on_its_day(register):
    case = register["suspended"]

    jobs.run_monitoring(dt.date(2026, 3, 20))

    alert = Alert.objects.get(case=case, kind="eligible")
    assert (alert.rule, alert.due) == ("D10", dt.date(2026, 3, 20))


def test_an_alert_that_cannot_be_stored_fails_its_case_only(
    prosecutor_a, make_case, monkeypatch
):
    """A chunk's alerts go in with one statement; when it fails, they go in
    case by case and the failure is recorded against its case."""
    broken = make_case(prosecutor_a.unit, number="1/2025/HS-ST")
    make_case(prosecutor_a.unit, number="2/2025/HS-ST")
    real = jobs._alerts_for

    def unstorable_for_broken(case, as_of):
        alerts = real(case, as_of)
        if case.pk == broken.pk:
            alerts[0].due = "31/02/2025"  # no such day: refused on insert
        return alerts

    monkeypatch.setattr(jobs, "_alerts_for", unstorable_for_broken)

    run = jobs.run_monitoring(AS_OF)

    assert run.errors == [{"case": broken.pk, "error": "ValidationError"}]
    assert sorted(Alert.objects.values_list("rule", flat=True)) == ["A4", "A5"]
    assert not Alert.objects.filter(case=broken).exists()
    assert run.alerts_created == 2
