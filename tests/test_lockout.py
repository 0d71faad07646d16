"""Failed sign-ins lock an account out from one address (django-axes)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from audit.models import AuditLog
from tests.conftest import PASSWORD

WRONG = "Sai@matkhau2026"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def _sign_in(client, username="ksv.a", password=WRONG):
    # The password step of django-two-factor-auth's sign-in wizard.
    return client.post(
        reverse("login"),
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
    )


def test_the_third_wrong_password_locks_the_account_out(prosecutor_a):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(2):
        assert _sign_in(client).status_code == 200

    response = _sign_in(client)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Tạm khóa đăng nhập" in body
    assert "quản trị" in body


def test_a_locked_out_account_cannot_sign_in_even_with_its_password(prosecutor_a):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        _sign_in(client)

    response = _sign_in(client, password=PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action=AuditLog.Action.SIGN_IN).count() == 0


def test_the_lock_holds_one_account_from_one_address(prosecutor_a, clerk_a):
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(3):
        _sign_in(attacker)

    # The same account from its owner's own machine, and another account
    # from the attacker's machine, still sign in.
    owner = _sign_in(Client(REMOTE_ADDR="10.0.0.7"), password=PASSWORD)
    other = _sign_in(attacker, username="vanthu.a", password=PASSWORD)

    assert owner.status_code == 302
    assert other.status_code == 302


def test_an_administrator_sees_and_lifts_the_lock(
    prosecutor_a, administrator, client_for
):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        _sign_in(client)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "ksv.a"
    admin = client_for(administrator)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert listing.status_code == 200
    assert "ksv.a" in listing.content.decode()
    # In Vietnamese, with the way to unlock named, not django-axes' English.
    assert "xóa để mở khóa" in listing.content.decode()
    assert "Failed Logins" not in listing.content.decode()
    assert not AccessAttempt.objects.exists()
    assert _sign_in(client, password=PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(prosecutor_a):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(2):
        _sign_in(client)

    _sign_in(client, password=PASSWORD)
    client.post(reverse("logout"))

    assert _sign_in(client).status_code == 200
    assert _sign_in(client).status_code == 200


def test_no_typed_password_or_code_is_kept_with_the_attempts(prosecutor_a):
    """The administrator reads the failed attempts' form data: neither the
    wrong passwords, nor the right one typed while locked out, nor a
    one-time code may be in it."""
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        _sign_in(client)
    _sign_in(client, password=PASSWORD)
    client.post(
        reverse("login"),
        {"login_view-current_step": "token", "token-otp_token": "123456"},
    )

    kept = " ".join(AccessAttempt.objects.values_list("post_data", flat=True))

    assert kept, "the attempts are recorded"
    assert WRONG not in kept
    assert PASSWORD not in kept
    assert "123456" not in kept
    assert "auth-password=********************" in kept
