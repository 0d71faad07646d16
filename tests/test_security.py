"""Passwords, idle sessions, security headers and the deployment check."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sothuly.passwords import StrongPasswordValidator

BASE_DIR = Path(__file__).resolve().parent.parent


# Passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Ab1!", "ít nhất 10 ký tự"),
        ("abcdefgh1!", "chữ hoa"),
        ("ABCDEFGH1!", "chữ thường"),
        ("Abcdefghi!", "chữ số"),
        ("Abcdefghi1", "ký tự đặc biệt"),
    ],
)
def test_it_refuses_a_weak_password_in_vietnamese(password, missing):
    with pytest.raises(ValidationError) as refused:
        StrongPasswordValidator().validate(password)

    assert any(missing in message for message in refused.value.messages)


def test_it_accepts_a_long_mixed_password():
    StrongPasswordValidator().validate("Thu@nghiem2026")
    StrongPasswordValidator().validate("Đặng@Hường2026")


@pytest.mark.django_db
def test_the_configured_validators_refuse_a_password_without_a_digit():
    with pytest.raises(ValidationError) as refused:
        validate_password("Khongcoso!!")

    assert "Mật khẩu phải có ít nhất một chữ số." in refused.value.messages


def test_the_password_change_form_says_why_it_refuses(prosecutor_a, client_for):
    response = client_for(prosecutor_a).post(
        reverse("password_change"),
        {
            "old_password": "Thu@nghiem2026",
            "new_password1": "matkhaumoi2026",
            "new_password2": "matkhaumoi2026",
        },
    )

    assert response.status_code == 200
    assert "Mật khẩu phải có ít nhất một chữ hoa." in response.content.decode()
    prosecutor_a.refresh_from_db()
    assert prosecutor_a.check_password("Thu@nghiem2026")


# Sessions -------------------------------------------------------------------


def test_each_request_pushes_the_idle_expiry_forward(
    prosecutor_a, client_for, settings
):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client = client_for(prosecutor_a)

    client.get(reverse("cases:list"))

    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_an_idle_session_signs_the_user_out(prosecutor_a, client_for):
    client = client_for(prosecutor_a)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("cases:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _session_settings(tmp_path, **variables: str) -> list[str]:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            "print(settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST)",
        ],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "sothuly.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
            "SOTHULY_DATA_DIR": str(tmp_path),
            **variables,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    return probe.stdout.split()


def test_the_idle_limit_is_thirty_minutes_unless_set(tmp_path):
    assert _session_settings(tmp_path) == ["1800", "True"]
    assert _session_settings(tmp_path, SESSION_IDLE_MINUTES="15") == ["900", "True"]


# Headers and templates ------------------------------------------------------


def test_every_page_sends_a_policy_without_inline_scripts(prosecutor_a, client_for):
    response = client_for(prosecutor_a).get(reverse("cases:dashboard"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_sign_in_page_has_the_policy_too(client, db):
    response = client.get(reverse("login"))

    assert "Content-Security-Policy" in response


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=", re.I)


def test_no_template_has_an_inline_script_handler_or_style():
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0).strip()}"
        for path in (BASE_DIR / "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


# Deployment -----------------------------------------------------------------

PRODUCTION = {
    "SOTHULY_ENV": "production",
    "SECRET_KEY": "a-production-secret-that-is-long-enough-for-the-deploy-check",
    "ALLOWED_HOSTS": "sothuly.example.vn",
    # .invalid never resolves (RFC 2606): check --deploy must not connect.
    "DATABASE_URL": "postgresql://u:p@db.invalid/x",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def test_the_deployment_check_finds_nothing_with_production_settings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONDONTWRITEBYTECODE": "1",
            "SOTHULY_DATA_DIR": str(tmp_path),
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_browsers_icon_request_finds_the_icon(client, db):
    """Without it every page left a "not found" in the browser's console."""
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
