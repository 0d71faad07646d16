"""The daily e-mail digest of a user's new alerts."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from cases.models import Agency
from monitoring.digest import send_digests
from monitoring.jobs import run_monitoring
from monitoring.models import DigestSent

pytestmark = pytest.mark.django_db

# A5 (BLTTHS 364): the default case took effect 22/04/2025, due 29/04/2025;
# with no QĐTHA it is overdue on the tests' today.
TODAY = dt.date(2025, 6, 2)


@pytest.fixture
def mailed(prosecutor_a, prosecutor_b):
    for user in (prosecutor_a, prosecutor_b):
        user.email = f"{user.username}@vks.test"
        user.save(update_fields=["email"])
    return prosecutor_a


def test_one_digest_a_day_even_if_the_job_runs_twice(
    settings, mailed, unit_a, make_case
):
    settings.SITE_URL = "https://sothuly.vks.test"
    case = make_case(unit_a, full_name="Ngô Văn Thư", prosecutor=mailed)

    run_monitoring(TODAY)
    run_monitoring(TODAY)
    call_command("send_digests", day=TODAY.isoformat())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ksv.a@vks.test"]
    assert "cảnh báo mới ngày 02/06/2025" in message.subject
    assert "A5" in message.body
    assert f"https://sothuly.vks.test/ho-so/{case.pk}/#thoi-han" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://sothuly.vks.test/ho-so/{case.pk}/#thoi-han"' in html
    # Register numbers only: a convict's name does not travel by mail.
    assert "Ngô Văn Thư" not in message.body + html
    assert DigestSent.objects.get(user=mailed, day=TODAY).alerts >= 1


def test_an_opted_out_user_gets_none(mailed, unit_a, make_case):
    mailed.receives_digest = False
    mailed.save(update_fields=["receives_digest"])
    make_case(unit_a, prosecutor=mailed)

    run_monitoring(TODAY)

    assert mail.outbox == []


def test_a_user_without_new_alerts_gets_none(mailed, prosecutor_b, unit_a, make_case):
    make_case(unit_a, prosecutor=mailed)

    run_monitoring(TODAY)

    assert [message.to for message in mail.outbox] == [["ksv.a@vks.test"]]
    assert not DigestSent.objects.filter(user=prosecutor_b).exists()


def test_the_mail_holds_only_the_users_own_alerts(
    mailed, prosecutor_b, leader_a, unit_a, unit_b, make_case
):
    own = make_case(unit_a, prosecutor=mailed, number="1/2025/HS-ST")
    colleague = make_case(unit_a, prosecutor=leader_a, number="2/2025/HS-ST")
    other_unit = make_case(unit_b, prosecutor=prosecutor_b, number="3/2025/HS-ST")

    run_monitoring(TODAY)

    body = next(m.body for m in mail.outbox if m.to == ["ksv.a@vks.test"])
    assert own.register_number in body
    assert f"/ho-so/{colleague.pk}/" not in body
    assert f"/ho-so/{other_unit.pk}/" not in body


def test_the_next_days_digest_lists_only_that_days_new_alerts(
    mailed, unit_a, make_case
):
    make_case(unit_a, prosecutor=mailed)
    run_monitoring(TODAY)
    first = mail.outbox[0].body

    run_monitoring(TODAY + dt.timedelta(days=1))

    assert len(mail.outbox) == 2
    assert "03/06/2025" in mail.outbox[1].subject
    assert first != mail.outbox[1].body


def test_a_refused_mail_is_retried_later(mailed, unit_a, make_case, monkeypatch):
    make_case(unit_a, prosecutor=mailed)

    def refuse(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    run_monitoring(TODAY)
    assert not DigestSent.objects.exists()

    monkeypatch.undo()
    outcome = send_digests(TODAY)

    assert outcome.sent == 1
    assert len(mail.outbox) == 1


def test_the_user_turns_the_digest_off_on_their_settings_page(prosecutor_a, client_for):
    client = client_for(prosecutor_a)

    page = client.get("/tuy-chon-thong-bao/").content.decode()
    response = client.post("/tuy-chon-thong-bao/", {})

    assert "Nhận thư tổng hợp cảnh báo hằng ngày" in page
    assert response.status_code == 302
    prosecutor_a.refresh_from_db()
    assert prosecutor_a.receives_digest is False


def test_an_unanswered_recommendation_is_mailed_with_a_link_to_it(
    settings, mailed, unit_a
):
    """A J6 reply overdue is about the recommendation, which covers many
    cases: the digest names it and links to it, not to one convict."""
    from monitoring.models import Alert
    from violations.models import Action

    settings.SITE_URL = "https://sothuly.vks.test"
    action = Action.objects.create(
        unit=unit_a,
        kind=Action.Kind.RECOMMENDATION,
        agency=Agency.objects.create(kind=Agency.Kind.COURT, name="Tòa án Thử C"),
        addressee="Chánh án Tòa án Thử C",
        number="07/KN-VKSKV1",
        created_by=mailed,
    )
    Alert.objects.create(
        unit=unit_a,
        action=action,
        user=mailed,
        kind=Alert.Kind.OVERDUE,
        rule="J6",
        title="Tòa án Thử C chưa trả lời Kiến nghị số 07/KN-VKSKV1",
        due=dt.date(2025, 5, 30),
        day=TODAY,
    )

    send_digests(TODAY)

    message = mail.outbox[0]
    assert f"https://sothuly.vks.test/van-ban-kien-nghi/{action.pk}/" in message.body
    assert "Kiến nghị số 07/KN-VKSKV1" in message.alternatives[0][0]
