"""sothuly/settings.py read from a controlled environment.

Settings are read once per process, so each case starts a fresh Python with
only the variables it names, imports the settings, runs ``django.setup()``
and reports what it found as JSON.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = """
import json

import django
from django.conf import settings

django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "port": db.get("PORT", ""),
    "atomic_requests": db["ATOMIC_REQUESTS"],
    "env": settings.SOTHULY_ENV,
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "time_zone": settings.TIME_ZONE,
    "language_code": settings.LANGUAGE_CODE,
    "use_tz": settings.USE_TZ,
}))
"""

PRODUCTION = {
    "SOTHULY_ENV": "production",
    "SECRET_KEY": "a-production-secret-that-is-long-enough-for-the-test",
    "ALLOWED_HOSTS": "sothuly.example.vn, www.sothuly.example.vn",
    # .invalid never resolves (RFC 2606): a connection attempt would fail.
    "DATABASE_URL": "postgresql://u:p@db.invalid/x",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}


def run_probe(script: str = PROBE, **variables: str) -> subprocess.CompletedProcess:
    """``script`` (the settings probe by default) in a Python with the
    settings module, PATH and only ``variables`` set."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "sothuly.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load(**variables: str) -> dict:
    result = run_probe(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def refusal(**variables: str) -> str:
    """The error with which the settings refuse to load."""
    result = run_probe(**variables)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_it_defaults_to_sqlite_in_the_data_folder():
    found = load()

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(BASE_DIR / "data" / "sothuly.sqlite3")
    assert found["env"] == "development"
    # Even the demo never shows a traceback unless a developer asks.
    assert found["debug"] is False


def test_a_developer_turns_debug_on_with_a_variable():
    assert load(DEBUG="1")["debug"] is True


def test_it_keeps_sqlite_under_sothuly_data_dir(tmp_path):
    data_dir = tmp_path / "nested" / "data"

    found = load(SOTHULY_DATA_DIR=str(data_dir))

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(data_dir / "sothuly.sqlite3")
    assert data_dir.is_dir()


def test_it_runs_tasks_in_process_without_a_broker(tmp_path):
    found = load(SOTHULY_DATA_DIR=str(tmp_path))

    assert found["broker"] == "memory://"
    assert found["eager"] is True


def test_it_uses_the_sqlite_file_database_url_names(tmp_path):
    found = load(
        DATABASE_URL="sqlite:////tmp/x.sqlite3", SOTHULY_DATA_DIR=str(tmp_path)
    )

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == "/tmp/x.sqlite3"  # noqa: S108 - a name, never opened


def test_it_uses_postgresql_when_database_url_says_so(tmp_path):
    found = load(
        DATABASE_URL="postgresql://sothuly:secret@db.example.vn:5433/sothuly",
        SOTHULY_DATA_DIR=str(tmp_path),
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "sothuly"
    assert found["host"] == "db.example.vn"
    assert found["port"] == 5433


def test_it_wraps_every_request_in_a_transaction(tmp_path):
    assert load(SOTHULY_DATA_DIR=str(tmp_path))["atomic_requests"] is True


def test_it_uses_a_broker_from_redis_url(tmp_path):
    found = load(REDIS_URL="redis://127.0.0.1:6379/3", SOTHULY_DATA_DIR=str(tmp_path))

    assert found["broker"] == "redis://127.0.0.1:6379/3"
    assert found["eager"] is False


def test_it_speaks_vietnamese_in_hanoi_time(tmp_path):
    found = load(SOTHULY_DATA_DIR=str(tmp_path))

    assert found["time_zone"] == "Asia/Ho_Chi_Minh"
    assert found["language_code"] == "vi"
    assert found["use_tz"] is True


def test_it_reads_a_secret_from_the_file_a_file_variable_names(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-docker-secret\n", encoding="utf-8")

    found = load(SECRET_KEY_FILE=str(secret), SOTHULY_DATA_DIR=str(tmp_path))

    assert found["secret_key"] == "from-a-docker-secret"


def test_it_refuses_an_unknown_environment_name():
    message = refusal(SOTHULY_ENV="staging")

    assert "SOTHULY_ENV" in message
    assert "staging" in message


def test_it_refuses_production_without_its_variables():
    message = refusal(SOTHULY_ENV="production")

    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"):
        assert name in message


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"]
)
def test_it_names_exactly_the_missing_production_variable(missing):
    variables = {k: v for k, v in PRODUCTION.items() if k != missing}

    message = refusal(**variables)

    assert message.endswith(f"environment variables: {missing}")


def test_it_refuses_production_on_sqlite(tmp_path):
    message = refusal(
        **{**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3"}
    )

    assert "PostgreSQL" in message


def test_it_loads_production_settings_without_connecting_anywhere():
    found = load(**PRODUCTION)

    assert found["env"] == "production"
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["host"] == "db.invalid"
    assert found["debug"] is False
    assert found["allowed_hosts"] == ["sothuly.example.vn", "www.sothuly.example.vn"]
    assert found["session_cookie_secure"] is True
    assert found["broker"] == "redis://redis.invalid:6379/0"
    assert found["eager"] is False


def test_it_never_turns_debug_on_in_production():
    assert load(**PRODUCTION, DEBUG="1")["debug"] is False


# Two requests of the embedded default at once: one writes and holds its
# transaction a moment; the other reads, then writes (as the case page does
# when it marks moved dates as seen).
CONCURRENT_PROBE = """
import json
import threading
import time

import django
from django.db import OperationalError, connection, connections, transaction

django.setup()
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE seen (n integer)")
writing = threading.Event()


def other_request():
    with transaction.atomic():
        with connections["default"].cursor() as cursor:
            cursor.execute("INSERT INTO seen VALUES (1)")
        writing.set()
        time.sleep(1)
    connections["default"].close()


thread = threading.Thread(target=other_request)
thread.start()
writing.wait()
outcome = "saved"
try:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM seen")
            cursor.execute("INSERT INTO seen VALUES (2)")
except OperationalError as error:
    outcome = str(error)
thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM seen")
    rows = cursor.fetchone()[0]
print(json.dumps({"outcome": outcome, "rows": rows}))
"""


def test_a_request_waits_for_another_writer_instead_of_failing(tmp_path):
    """The demo's SQLite once answered "database is locked" (an error page)
    when two requests wrote at once; now the second waits its turn."""
    result = run_probe(CONCURRENT_PROBE, SOTHULY_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr

    assert json.loads(result.stdout.splitlines()[-1]) == {"outcome": "saved", "rows": 2}
