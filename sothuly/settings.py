"""Settings for Sổ thụ lý điện tử KSTHAHS, all read from the environment.

With no variables at all the project runs in the embedded default: SQLite in
``data/``, Celery tasks executed in-process, a development secret key. A real
deployment sets ``SOTHULY_ENV=production`` and the variables that
``_require_production`` lists; nothing here connects to a service merely to
start.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read a variable, or the file named by ``NAME_FILE`` (Docker secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env(name).split(",") if item.strip()]


SOTHULY_ENV = env("SOTHULY_ENV", "development")
if SOTHULY_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"SOTHULY_ENV must be development, test or production, not {SOTHULY_ENV!r}."
    )
PRODUCTION = SOTHULY_ENV == "production"
DATA_DIR = Path(env("SOTHULY_DATA_DIR", str(BASE_DIR / "data")))
DATABASE_URL = env("DATABASE_URL")
REDIS_URL = env("REDIS_URL")


def _require_production() -> None:
    missing = [
        name
        for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
        if not env(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production settings need these environment variables: "
            + ", ".join(missing)
        )
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("Production needs a PostgreSQL DATABASE_URL.")


if PRODUCTION:
    _require_production()

# Off unless asked for: even the demo must never show a traceback or the
# URL list to a user (DEBUG=1 for a developer's own machine).
DEBUG = env("DEBUG", "0") == "1" and not PRODUCTION
# The development key only ever protects a local demo; production refuses
# to start without its own (see _require_production).
SECRET_KEY = env("SECRET_KEY") or "dev-only-insecure-key-for-the-embedded-demo"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Row-level security: policies after migrate, scope per connection.
    "sothuly.rls.RowLevelSecurityConfig",
    "simple_history",
    "sothuly.apps.AxesConfig",
    "django_otp",
    "sothuly.apps.StaticDeviceConfig",
    "sothuly.apps.TOTPDeviceConfig",
    "two_factor",
    "audit",
    "cases",
    "monitoring",
    "documents",
    "violations",
    "reporting",
    "ledgers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Opens the request's transaction with the user's unit scope (sothuly.rls).
    "sothuly.middleware.RowLevelSecurityMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "sothuly.middleware.LoginRequiredMiddleware",
    "sothuly.middleware.TwoFactorRequiredMiddleware",
    "sothuly.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sothuly.urls"
WSGI_APPLICATION = "sothuly.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "monitoring.context_processors.alerts",
            ],
        },
    },
]

if DATABASE_URL:
    # Persistent connections only where a server process lives long; in
    # tests a live server's thread would otherwise hold the test database.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(env("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0")),
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "sothuly.sqlite3",
        }
    }
# Every request is one transaction: a form that fails half-way leaves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A request's transaction that reads and then writes (a page marking what
    # it showed as seen) would fail at once with "database is locked" when
    # another request writes; taking the write lock at BEGIN makes it wait.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE", timeout=20
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "cases.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out account before the password is
# even checked. AxesBackend also reads users (ModelBackend), so the test
# client's force_login keeps working.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins lock one account out from one address, so that nobody can
# lock a colleague out from another machine; an administrator lifts a lock
# early by deleting it in the admin ("Access attempts").
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "60")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Sign-ins are recorded in audit.AuditLog; axes' own log would duplicate it,
# and its verbose log lines would put account names in the server log.
AXES_DISABLE_ACCESS_LOG = True
# An administrator manages users' authenticators but must not be able to
# read their secrets (the key, the QR code) and so hold their second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-axes keeps each failed attempt's form data; it masks only the
# fields named here (and "password"). Our sign-in is the two-factor
# wizard, whose fields are prefixed by its step: without these names a
# typed password, one-time code or backup code would be kept in the clear.
AXES_PASSWORD_FORM_FIELD = "auth-password"  # noqa: S105 - a field name
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "auth-username",
    "token-otp_token",
    "backup-otp_token",
    "otp_token",
    "csrfmiddlewaretoken",
]
AXES_VERBOSE = False

# Two-factor sign-in (django-two-factor-auth, TOTP with backup codes):
# required for leaders and administrators (sothuly/twofactor.py), for every
# account with SOTHULY_REQUIRE_2FA_FOR_ALL=1. No "remember this browser"
# cookie: a shared office computer must not skip the second step.
SOTHULY_REQUIRE_2FA_FOR_ALL = env("SOTHULY_REQUIRE_2FA_FOR_ALL", "0") == "1"
TWO_FACTOR_LOGIN_TIMEOUT = 600
OTP_TOTP_ISSUER = "Sổ thụ lý KSTHAHS"
# Minutes for which a typed password (and code) allows sensitive actions:
# account and rule changes, template uploads, exports (sothuly/reauth.py).
SOTHULY_REAUTH_MINUTES = int(env("SOTHULY_REAUTH_MINUTES", "10"))

# Uploads: a form template is a few hundred kB, an interchange file of a
# unit's whole register a few MB. Larger files are refused with a message
# (sothuly/uploads.py); anything above FILE_UPLOAD_MAX_MEMORY_SIZE is
# spooled to a temporary file rather than held in memory, and the reverse
# proxy should cap request bodies at the import limit too.
SOTHULY_TEMPLATE_MAX_BYTES = 2 * 1024 * 1024
SOTHULY_IMPORT_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "sothuly.passwords.StrongPasswordValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
FORMAT_MODULE_PATH = ["sothuly.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"

CSRF_FAILURE_VIEW = "sothuly.views.csrf_failure"
# A session ends after this many idle minutes: every request pushes the
# expiry forward, so only inactivity signs a user out.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: with no broker the embedded default runs tasks in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "nightly-monitoring": {
        "task": "monitoring.tasks.nightly_monitoring",
        # 01:30 Asia/Ho_Chi_Minh: after midnight, so "today" is the new day.
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 60 * 60 * 6},
    }
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "so-thu-ly@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env("EMAIL_USE_TLS", "0") == "1"
# The address users open the site at: links in e-mails are built from it.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Days before a due date from which a deadline shows as "due soon" are a
# field of each rule; this only bounds the dashboard lists.
SOTHULY_DASHBOARD_LIST_SIZE = 20
