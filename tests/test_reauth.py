"""Sensitive actions need the password (and code) typed in the last minutes.

Signing in counts as a confirmation; ten minutes later (the default
SOTHULY_REAUTH_MINUTES), changing an account, a rule, a template or
exporting personal data first asks for the password again.
"""

import io
import time
from urllib.parse import quote

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from documents.build_templates import build
from documents.catalogue import FORMS
from monitoring.models import Rule, RuleSet
from sothuly import reauth
from tests.conftest import PASSWORD


def _age(client, minutes: int = 11) -> None:
    """Let the last confirmation lie ``minutes`` in the past."""
    session = client.session
    session[reauth.SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{TOTP(device.bin_key).token():06d}"


def _reauth_location(url: str) -> str:
    return f"{reverse('reauth')}?next={quote(url, safe='/')}"


@pytest.fixture
def rule(db):
    rule = Rule.objects.select_related("rule_set").first()
    if rule is None:
        pytest.skip("No rule set is loaded by the migrations.")
    return rule


@pytest.fixture
def stale_admin(administrator, client_for):
    client = client_for(administrator)
    _age(client)
    return client


# Where it applies -------------------------------------------------------------


def test_changing_an_account_asks_again_after_ten_minutes(
    administrator, prosecutor_a, client_for
):
    client = client_for(administrator)
    url = reverse("admin:cases_user_change", args=[prosecutor_a.pk])
    assert client.get(url).status_code == 200  # just signed in

    _age(client)
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == _reauth_location(url)


@pytest.mark.parametrize(
    "name",
    ["admin:cases_user_add", "admin:auth_group_add", "admin:monitoring_ruleset_add"],
)
def test_adding_accounts_roles_and_rule_sets_asks_again(stale_admin, name):
    response = stale_admin.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauth"))


def test_a_stale_password_change_or_delete_of_an_account_is_refused(
    stale_admin, prosecutor_a
):
    password = stale_admin.post(
        reverse("admin:auth_user_password_change", args=[prosecutor_a.pk]),
        {"password1": "Moi@matkhau2026", "password2": "Moi@matkhau2026"},
    )
    delete = stale_admin.post(
        reverse("admin:cases_user_delete", args=[prosecutor_a.pk]), {"post": "yes"}
    )
    bulk = stale_admin.post(
        reverse("admin:cases_user_changelist"),
        {"action": "delete_selected", "_selected_action": [prosecutor_a.pk]},
    )

    for response in (password, delete, bulk):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("reauth"))
    prosecutor_a.refresh_from_db()
    assert prosecutor_a.check_password(PASSWORD)


def test_the_account_list_stays_readable(stale_admin):
    assert stale_admin.get(reverse("admin:cases_user_changelist")).status_code == 200


def test_editing_a_rule_asks_again(stale_admin, rule):
    url = reverse("admin:monitoring_rule_change", args=[rule.pk])
    response = stale_admin.post(url, {"title": "Đổi tên"})

    assert response.status_code == 302
    assert response["Location"] == _reauth_location(url)
    assert Rule.objects.get(pk=rule.pk).title == rule.title
    ruleset = reverse("admin:monitoring_ruleset_change", args=[rule.rule_set_id])
    assert stale_admin.get(ruleset)["Location"].startswith(reverse("reauth"))
    assert RuleSet.objects.filter(pk=rule.rule_set_id).exists()


def test_uploading_a_template_asks_the_administrator_again(stale_admin):
    url = reverse("documents:template", args=["09TH"])
    good = io.BytesIO()
    build(FORMS["09TH"]).save(good)
    good.seek(0)
    good.name = "tot.docx"

    response = stale_admin.post(url, {"file": good, "note": ""})

    assert response.status_code == 302
    assert response["Location"] == _reauth_location(url)
    from documents.services import active_template

    assert active_template("09TH").version == 1


def test_reading_a_template_asks_nobody_else(prosecutor_a, client_for):
    client = client_for(prosecutor_a)
    _age(client)

    response = client.get(reverse("documents:template", args=["09TH"]))

    assert response.status_code == 200


def test_an_export_asks_again_and_a_page_does_not(db, leader_a):
    """The decorator as the export views use it: only the export request."""

    @reauth.reauth_required(when=lambda request: "xuat" in request.GET)
    def listing(request):
        return HttpResponse("bảng")

    def request(path):
        made = RequestFactory().get(path)
        made.user = leader_a
        made.session = SessionStore()
        made.session[reauth.SESSION_KEY] = int(time.time()) - 11 * 60
        made._messages = FallbackStorage(made)
        return made

    assert listing(request("/danh-sach/")).status_code == 200
    export = listing(request("/danh-sach/?xuat=xlsx"))
    assert export.status_code == 302
    assert export["Location"] == _reauth_location("/danh-sach/?xuat=xlsx")


# The confirmation page --------------------------------------------------------


def test_the_password_and_code_bring_the_user_back(stale_admin, administrator):
    target = reverse("admin:cases_user_add")
    page = stale_admin.get(f"{reverse('reauth')}?next={target}")
    assert "Xác nhận lại danh tính" in page.content.decode()
    assert 'name="otp_token"' in page.content.decode()

    response = stale_admin.post(
        reverse("reauth"),
        {"password": PASSWORD, "otp_token": _code(administrator), "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == target
    assert stale_admin.get(target).status_code == 200


def test_a_wrong_password_or_missing_code_is_refused(stale_admin, administrator):
    wrong = stale_admin.post(
        reverse("reauth"), {"password": "Sai@matkhau2026", "otp_token": "123456"}
    )
    no_code = stale_admin.post(reverse("reauth"), {"password": PASSWORD})
    bad_code = stale_admin.post(
        reverse("reauth"), {"password": PASSWORD, "otp_token": "000000x"}
    )

    assert "Mật khẩu không đúng." in wrong.content.decode()
    assert "Nhập mã xác thực" in no_code.content.decode()
    assert "Mã xác thực không đúng" in bad_code.content.decode()
    assert stale_admin.get(reverse("admin:cases_user_add")).status_code == 302


def test_an_account_without_a_device_gives_only_the_password(prosecutor_a, client_for):
    client = client_for(prosecutor_a)
    _age(client)

    page = client.get(reverse("reauth"))
    response = client.post(reverse("reauth"), {"password": PASSWORD})

    assert 'name="otp_token"' not in page.content.decode()
    assert response.status_code == 302
    assert time.time() - client.session[reauth.SESSION_KEY] < 60


def test_it_never_sends_the_user_to_another_site(prosecutor_a, client_for):
    client = client_for(prosecutor_a)

    response = client.post(
        reverse("reauth"), {"password": PASSWORD, "next": "https://example.org/"}
    )

    assert response["Location"] == reverse("cases:dashboard")


def test_wrong_passwords_here_lock_the_account_out(prosecutor_a, client_for, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = client_for(prosecutor_a)
    for _ in range(2):
        client.post(reverse("reauth"), {"password": "Sai@matkhau2026"})

    response = client.post(reverse("reauth"), {"password": "Sai@matkhau2026"})

    assert response.status_code == 429


def test_exporting_the_case_list_asks_again(prosecutor_a, client_for, make_case):
    make_case(prosecutor_a.unit, prosecutor=prosecutor_a)
    client = client_for(prosecutor_a)
    _age(client)

    page = client.get(reverse("cases:list"))
    export = client.get(reverse("cases:list") + "?xuat=xlsx")

    assert page.status_code == 200
    assert export.status_code == 302
    assert export["Location"] == _reauth_location("/ho-so/?xuat=xlsx")
    client.post(reverse("reauth"), {"password": PASSWORD})
    fresh = client.get(reverse("cases:list") + "?xuat=xlsx")
    assert fresh.status_code == 200
    assert fresh["Content-Disposition"].startswith("attachment")
