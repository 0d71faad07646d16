"""Two-factor sign-in: required for leaders and administrators, optional for
everyone else unless SOTHULY_REQUIRE_2FA_FOR_ALL is set."""

from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditLog
from tests.conftest import PASSWORD


def _password_step(client, username, password=PASSWORD):
    return client.post(
        reverse("login"),
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
    )


def _token_step(client, token, step="token"):
    return client.post(
        reverse("login"),
        {"login_view-current_step": step, f"{step}-otp_token": token},
    )


def _code(device: TOTPDevice) -> str:
    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    ).zfill(device.digits)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def leader_device(leader_a):
    return TOTPDevice.objects.create(user=leader_a, name="default")


# Who must set it up -----------------------------------------------------------


def test_a_leader_without_a_device_is_sent_to_set_it_up(leader_a):
    client = Client()

    signed_in = _password_step(client, "lanhdao.a")
    home = client.get(reverse("cases:dashboard"))
    case_list = client.get(reverse("cases:list"))

    assert signed_in.status_code == 302
    assert home.status_code == 302
    assert home["Location"] == reverse("two_factor:setup")
    assert case_list["Location"] == reverse("two_factor:setup")
    setup = client.get(reverse("two_factor:setup"))
    assert setup.status_code == 200
    assert "bắt buộc xác thực hai bước" in setup.content.decode()


def test_an_administrator_without_a_device_cannot_open_the_admin(administrator):
    client = Client()
    _password_step(client, "quantri")

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor:setup")


def test_setting_up_the_app_lets_the_leader_in(leader_a):
    client = Client()
    _password_step(client, "lanhdao.a")
    client.get(reverse("two_factor:setup"))
    generator = client.post(
        reverse("two_factor:setup"), {"setup_view-current_step": "welcome"}
    )
    secret = generator.context["secret_key"]
    assert "otpauth://totp/" in generator.context["otpauth_url"]
    assert client.get(reverse("two_factor:qr")).status_code == 200

    code = TOTP(b32decode(secret)).token()
    done = client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": code},
    )

    assert done.status_code == 302
    assert TOTPDevice.objects.filter(user=leader_a, confirmed=True).count() == 1
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_a_wrong_code_at_setup_is_refused_in_vietnamese(leader_a):
    client = Client()
    _password_step(client, "lanhdao.a")
    client.get(reverse("two_factor:setup"))
    generator = client.post(
        reverse("two_factor:setup"), {"setup_view-current_step": "welcome"}
    )
    code = f"{TOTP(b32decode(generator.context['secret_key'])).token():06d}"

    response = client.post(
        reverse("two_factor:setup"),
        {"setup_view-current_step": "generator", "generator-token": _wrong(code)},
    )

    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=leader_a).exists()


# Signing in with a device -----------------------------------------------------


def test_a_leader_with_a_device_must_give_the_code(leader_a, leader_device):
    client = Client(REMOTE_ADDR="10.0.0.7")

    after_password = _password_step(client, "lanhdao.a")

    # The password alone signs nobody in: the page asks for the code.
    assert after_password.status_code == 200
    assert "Mã xác thực" in after_password.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("cases:dashboard")).status_code == 302

    response = _token_step(client, _code(leader_device))

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:dashboard")
    assert client.session[DEVICE_ID_SESSION_KEY] == leader_device.persistent_id
    assert client.get(reverse("cases:dashboard")).status_code == 200
    entry = AuditLog.objects.get(action=AuditLog.Action.SIGN_IN)
    assert entry.user == leader_a
    assert entry.ip_address == "10.0.0.7"


def test_a_wrong_code_is_refused_with_a_vietnamese_message(leader_a, leader_device):
    client = Client()
    _password_step(client, "lanhdao.a")

    response = _token_step(client, _wrong(_code(leader_device)))

    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditLog.objects.get(action=AuditLog.Action.SIGN_IN_FAILED)
    assert failed.user == leader_a
    assert failed.detail == "Sai mã xác thực hai bước"
    assert not AuditLog.objects.filter(action=AuditLog.Action.SIGN_IN).exists()


def test_a_backup_code_works_once(leader_a, leader_device):
    backup = StaticDevice.objects.create(user=leader_a, name="backup")
    backup.token_set.create(token="ab12cd34")

    first = Client()
    _password_step(first, "lanhdao.a")
    first.post(reverse("login"), {"wizard_goto_step": "backup"})
    accepted = _token_step(first, "ab12cd34", step="backup")

    second = Client()
    _password_step(second, "lanhdao.a")
    second.post(reverse("login"), {"wizard_goto_step": "backup"})
    refused = _token_step(second, "ab12cd34", step="backup")

    assert accepted.status_code == 302
    assert first.get(reverse("cases:dashboard")).status_code == 200
    assert refused.status_code == 200
    assert "_auth_user_id" not in second.session
    assert not backup.token_set.exists()


def test_a_prosecutor_who_turned_it_on_is_asked_for_the_code(prosecutor_a):
    TOTPDevice.objects.create(user=prosecutor_a, name="default")
    client = Client()

    response = _password_step(client, "ksv.a")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Everyone else ----------------------------------------------------------------


def test_a_prosecutor_signs_in_with_the_password_alone(prosecutor_a):
    client = Client()

    response = _password_step(client, "ksv.a")

    assert response.status_code == 302
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_the_setting_requires_it_of_every_account(prosecutor_a, clerk_a, settings):
    settings.SOTHULY_REQUIRE_2FA_FOR_ALL = True
    for username in ("ksv.a", "vanthu.a"):
        client = Client()
        _password_step(client, username)

        response = client.get(reverse("cases:dashboard"))

        assert response.status_code == 302
        assert response["Location"] == reverse("two_factor:setup")


def test_backup_codes_without_two_factor_lead_to_turning_it_on(prosecutor_a):
    """A prosecutor signed in with the password alone who opens the backup
    codes page is told to turn two-factor on, instead of bouncing between
    that page and the sign-in page until the browser gives up."""
    client = Client()
    _password_step(client, "ksv.a")

    response = client.get(reverse("two_factor:backup_tokens"), follow=True)

    assert response.redirect_chain == [(reverse("two_factor:profile"), 302)]
    assert "hãy bật xác thực hai bước trước" in response.content.decode()


def test_a_prosecutor_may_turn_it_on_and_off(prosecutor_a, client_for):
    client = client_for(prosecutor_a)
    profile = client.get(reverse("two_factor:profile"))
    assert "Chưa bật" in profile.content.decode()

    device = TOTPDevice.objects.create(user=prosecutor_a, name="default")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.post(reverse("two_factor:disable"), {"understand": "on"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=prosecutor_a).exists()


def test_a_leader_cannot_turn_it_off(leader_a, client_for):
    client = client_for(leader_a)

    response = client.post(reverse("two_factor:disable"), {"understand": "on"})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=leader_a).exists()


def test_a_session_without_the_second_step_is_signed_out(leader_a, leader_device):
    # A device added while the account was signed in by password alone: the
    # next request must go through the code.
    client = Client()
    client.force_login(leader_a)

    response = client.get(reverse("cases:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_every_two_factor_page_is_in_vietnamese(leader_a, client_for):
    client = client_for(leader_a)
    StaticDevice.objects.create(user=leader_a, name="backup").token_set.create(
        token="zz99yy88"
    )
    pages = {
        "two_factor:profile": "Xác thực hai bước",
        "two_factor:backup_tokens": "Mã dự phòng",
        "two_factor:setup_complete": "Đã bật xác thực hai bước",
    }
    for name, heading in pages.items():
        body = client.get(reverse(name)).content.decode()
        assert f"<h1>{heading}</h1>" in body, name
        assert "Token" not in body, name
    codes = client.post(reverse("two_factor:backup_tokens"), follow=True)
    assert codes.content.decode().count("<li><code>") == 10


# The demo -----------------------------------------------------------------------


def test_the_demo_gives_leaders_and_administrators_a_printed_secret(
    leader_a, administrator, prosecutor_a
):
    from cases.management.commands.seed_demo import demo_devices

    rows = dict(demo_devices([prosecutor_a, leader_a, administrator]))
    again = dict(demo_devices([prosecutor_a, leader_a, administrator]))

    assert set(rows) == {"lanhdao.a", "quantri"}
    assert rows == again  # fixed, not drawn anew on a rerun
    # The printed secret is what an authenticator app (or oathtool) needs.
    client = Client()
    _password_step(client, "lanhdao.a")
    code = f"{TOTP(b32decode(rows['lanhdao.a'])).token():06d}"
    assert _token_step(client, code).status_code == 302
    assert client.get(reverse("cases:dashboard")).status_code == 200


def test_an_administrator_cannot_read_a_users_authenticator_secret(
    administrator, leader_a, leader_device, client_for
):
    """Managing a leader's authenticator must not hand the administrator
    its key or its QR code: that would be the leader's second factor."""
    client = client_for(administrator)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    page = client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[leader_device.pk])
    )

    assert listing.status_code == page.status_code == 200
    assert "qrcode" not in listing.content.decode()
    assert leader_device.key not in page.content.decode()
    assert 'name="key"' not in page.content.decode()
