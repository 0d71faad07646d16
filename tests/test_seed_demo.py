"""The demo seed: accounts for every role, Vietnamese names, realistic
deadlines, the same data for the same seed, and nothing doubled on a rerun."""

import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from cases.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TODAY
from cases.models import (
    Event,
    EventKind,
    ExecutionCase,
    Judgment,
    Person,
    RegisterSequence,
    Unit,
    User,
)
from documents.models import Document, DocumentSequence
from monitoring.models import Deadline
from violations.models import Action, Violation

CASES = 120
SEED = 7

# Vietnamese family names, wider than the seed's list on purpose: the test
# checks the order of the parts, not the seed's own table.
FAMILY_NAMES = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đào", "Mai",
    "Lương", "Trịnh", "Đoàn", "Cao", "Tạ", "Phùng", "Lưu", "Vương", "Nghiêm",
    "Hà", "Kiều", "Lại", "Quách", "Tô", "Chu", "Triệu", "Thái", "Văn", "Khúc",
}  # fmt: skip
LOGIN_ROW = re.compile(r"^\| (\S+)\s+\| (\S+)\s+\| (.+?)\s+\| (.+?)\s+\|$")


def seed(*extra: str) -> str:
    out = StringIO()
    call_command(
        "seed_demo", "--cases", str(CASES), "--seed", str(SEED), *extra, stdout=out
    )
    return out.getvalue()


def register() -> list[tuple]:
    return list(
        ExecutionCase.objects.order_by(
            "unit__code", "register_year", "register_seq"
        ).values_list(
            "unit__code",
            "register_number",
            "register_date",
            "person__full_name",
            "person__id_number",
            "sentence__kind",
            "judgment__number",
        )
    )


def histories() -> list[tuple]:
    return list(
        Event.objects.order_by(
            "case__unit__code", "case__register_seq", "date", "kind"
        ).values_list(
            "case__unit__code", "case__register_number", "kind", "date", "number"
        )
    )


def delete_demo_cases() -> None:
    """Everything the case generation made; units, agencies and accounts stay."""
    Violation.objects.all().delete()
    Action.objects.all().delete()
    Document.objects.all().delete()
    DocumentSequence.objects.all().delete()
    ExecutionCase.objects.all().delete()
    Person.objects.all().delete()
    Judgment.objects.all().delete()
    RegisterSequence.objects.all().delete()


@pytest.fixture
def output(db) -> str:
    return seed()


def test_it_creates_the_printed_logins_for_every_role(output):
    # Rows of the login table: a one-word user name and password (the
    # header's cells have spaces, the unit table has two columns).
    rows = [m.groups() for line in output.splitlines() if (m := LOGIN_ROW.match(line))]
    logins = {username: password for username, password, _, _ in rows}

    assert set(logins) == {
        "ksv.kv1",
        "lanhdao.kv1",
        "vanthu.kv1",
        "lanhdao.tinh",
        "quantri",
    }
    assert set(logins.values()) == {DEMO_PASSWORD}
    for username in logins:
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert {
        username: User.objects.get(username=username).role for username in logins
    } == {
        "ksv.kv1": User.Role.PROSECUTOR,
        "lanhdao.kv1": User.Role.LEADER,
        "vanthu.kv1": User.Role.CLERK,
        "lanhdao.tinh": User.Role.LEADER,
        "quantri": User.Role.ADMIN,
    }
    admin = User.objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser
    assert admin.unit.level == Unit.Level.PROVINCE
    assert "http://127.0.0.1:8000/" in output


def test_each_regional_unit_has_its_staff_and_cases(output):
    regional = Unit.objects.filter(level=Unit.Level.REGIONAL)

    assert regional.count() >= 7
    for unit in regional:
        roles = Counter(unit.users.values_list("role", flat=True))
        assert roles == {
            User.Role.PROSECUTOR: 2,
            User.Role.LEADER: 1,
            User.Role.CLERK: 1,
        }
        cases = ExecutionCase.objects.filter(unit=unit)
        assert cases.exists(), unit.code
        assert not cases.exclude(prosecutor__unit=unit).exists()
    assert ExecutionCase.objects.count() == CASES
    by_unit = Counter(ExecutionCase.objects.values_list("unit__code", flat=True))
    # KV1 is the busiest unit by design; with a small sample it is at least
    # above the average.
    assert by_unit["HP-KV1"] > CASES / len(by_unit)


def test_every_convict_has_a_vietnamese_name(output):
    for full_name, sex in Person.objects.values_list("full_name", "sex"):
        words = full_name.split()
        assert len(words) >= 3, full_name
        assert words[0] in FAMILY_NAMES, full_name
        if sex == "male":
            assert "Thị" not in words, full_name


def test_dates_stay_before_the_demo_day_and_after_the_judgment(output):
    assert not Event.objects.filter(date__gt=DEMO_TODAY).exists()
    assert not ExecutionCase.objects.filter(register_date__gt=DEMO_TODAY).exists()
    assert not ExecutionCase.objects.filter(
        register_date__lt=F("judgment__pronounced_on")
    ).exists()


def test_some_courts_issue_the_qdtha_on_time_and_some_late(output):
    a5 = Deadline.objects.filter(rule="A5", done__isnull=False)

    assert a5.filter(done__lte=F("due")).exists()
    assert a5.filter(done__gt=F("due")).exists()
    # Most courts are on time.
    assert (
        a5.filter(done__lte=F("due")).count() > 3 * a5.filter(done__gt=F("due")).count()
    )


def test_duties_and_recommendations_follow_the_successors(output):
    """No deadline or violation is charged to a body that had ended before
    its due date (district police 01/03/2025, district courts 01/07/2025),
    and no recommendation goes to a body abolished before it was made."""
    assert Deadline.objects.filter(agency__valid_to__isnull=False).exists()
    assert not Deadline.objects.filter(
        agency__valid_to__lt=F("due"), done__isnull=True
    ).exists()
    assert not Violation.objects.filter(agency__valid_to__lt=F("due")).exists()
    assert Action.objects.exists()
    assert not Action.objects.filter(agency__valid_to__lt=DEMO_TODAY).exists()


def test_codefendants_receive_their_judgment_the_same_day(output):
    """The court sends a judgment once (BLTTHS Art. 262)."""
    days = defaultdict(set)
    for judgment_id, day in Event.objects.filter(
        kind=EventKind.JUDGMENT_DELIVERED
    ).values_list("case__judgment_id", "date"):
        days[judgment_id].add(day)
    assert days
    assert all(len(found) == 1 for found in days.values())


def test_the_same_seed_gives_the_same_register(output):
    first_register, first_histories = register(), histories()

    delete_demo_cases()
    seed()

    assert register() == first_register
    assert histories() == first_histories


def test_a_second_run_adds_nothing(output):
    before = (
        ExecutionCase.objects.count(),
        Event.objects.count(),
        User.objects.count(),
        Unit.objects.count(),
    )

    again = seed()

    assert "bỏ qua" in again
    assert (
        ExecutionCase.objects.count(),
        Event.objects.count(),
        User.objects.count(),
        Unit.objects.count(),
    ) == before


def test_demo_documents_were_signed_before_they_were_issued(output):
    """The demo's issued recommendations read as a register would: approved
    no later than issued, and numbered in the order of their dates."""
    from documents.services import approval_date

    issued = Document.objects.filter(state=Document.State.ISSUED).order_by(
        "unit_id", "doc_type", "number"
    )
    assert issued.exists()
    previous = {}
    for document in issued:
        assert approval_date(document) <= document.issued_on
        thread = (document.unit_id, document.doc_type, document.number_year)
        if thread in previous:
            assert previous[thread] <= document.issued_on
        previous[thread] = document.issued_on
