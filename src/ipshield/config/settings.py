"""Settings, all read from the environment.

Environment variables (see docs/operations.md):

- ``IPSHIELD_DATA_DIR``: where the SQLite database, uploads and keys live (default ``./data``).
- ``DATABASE_URL``: e.g. ``postgres://user:pw@host:5432/db``; default a SQLite file in the data dir.
- ``IPSHIELD_ENV``: ``development`` (default) or ``production``. Production refuses to start
  without a strong ``SECRET_KEY`` or with ``DEBUG`` on.
- ``SECRET_KEY``: required in production (at least 50 characters, at least 5 different ones, not
  Django's ``django-insecure-`` placeholder); in development one is generated once and kept in
  the data directory.
- ``IPSHIELD_HTTPS``, ``IPSHIELD_SSL_REDIRECT``, ``IPSHIELD_HSTS_SUBDOMAINS``,
  ``IPSHIELD_HSTS_PRELOAD``: production behind TLS (all on by default); see docs/operations.md.
- ``DEBUG``: ``1``/``true`` to turn on Django's debug mode (development only).
- ``ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``IPSHIELD_MAX_UPLOAD_MB``: largest accepted upload (default 20).
- ``EMAIL_URL``-style mail settings are added when e-mail reminders arrive.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("IPSHIELD_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
(DATA_DIR / "static").mkdir(exist_ok=True)

IPSHIELD_ENV = os.environ.get("IPSHIELD_ENV", "development").strip().lower()
if IPSHIELD_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"IPSHIELD_ENV must be 'development', 'production' or 'test', not {IPSHIELD_ENV!r}."
    )
PRODUCTION = IPSHIELD_ENV == "production"
DEBUG = _env_bool("DEBUG", default=False)


_GENERATE_KEY = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
# Django's own criteria for a weak key (check --deploy, security.W009), refused outright here.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to sign production sessions, or ``None`` if it is fine."""
    if key.startswith("django-insecure-"):
        return "SECRET_KEY is Django's 'django-insecure-' development placeholder"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return (
            f"SECRET_KEY is too short ({len(key)} characters; "
            f"at least {SECRET_KEY_MIN_LENGTH} are required)"
        )
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"SECRET_KEY has too little entropy ({len(set(key))} different characters; "
            f"at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} are required)"
        )
    return None


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        problem = secret_key_problem(key) if PRODUCTION else None
        if problem:
            raise ImproperlyConfigured(
                f"{problem}. Production (IPSHIELD_ENV=production) refuses a weak key: "
                f"anyone who guesses it can forge sessions. {_GENERATE_KEY}"
            )
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be set in production (IPSHIELD_ENV=production). {_GENERATE_KEY}"
        )
    # Development and demo: generate once and keep it beside the database.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="ascii")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (IPSHIELD_ENV=production).")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Ninja's own app: its API docs page then uses the Swagger UI it ships, not a CDN.
    "ninja",
    # Axes and the task results under Chinese names (ipshield/config/apps.py).
    "ipshield.config.apps.AxesConfig",
    "ipshield.config.apps.TasksConfig",
    "ipshield.common",
    "ipshield.audit",
    "ipshield.accounts",
    "ipshield.registry",
    "ipshield.cases",
    "ipshield.cooperation",
    "ipshield.publication",
    "ipshield.evidence",
    "ipshield.monitoring",
    "ipshield.credit",
    "ipshield.documents",
    "ipshield.supervision",
    "ipshield.evaluation",
    "ipshield.disputes",
    "ipshield.workbench",
    "ipshield.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Pages' query strings and forms lose NUL, control, direction and zero-width characters.
    "ipshield.common.middleware.CleanTextMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it inspects the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipshield.config.urls"
WSGI_APPLICATION = "ipshield.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipshield.accounts.context_processors.actor",
            ],
        },
    }
]

# Database: SQLite in WAL mode by default, anything dj-database-url understands otherwise.
_default_sqlite = f"sqlite:///{DATA_DIR / 'ipshield.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while the worker writes; IMMEDIATE avoids lock upgrades mid-write.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-ipshield.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ipshield.accounts.backends.ModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"

# The cache counts throttled attempts (tracking codes, credit checks). `ipshield serve` runs
# several processes: a per-process memory cache would give each its own count, so the cache is
# kept in files that every process on the machine shares.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# Login throttling: lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ipshield.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
IPSHIELD_MAX_UPLOAD_BYTES = int(os.environ.get("IPSHIELD_MAX_UPLOAD_MB", "20")) * 1024 * 1024
# Evidence (电子存证): the largest preserved file, and the name the evidence ledger signs as.
IPSHIELD_EVIDENCE_MAX_MB = int(os.environ.get("IPSHIELD_EVIDENCE_MAX_MB", "100"))
IPSHIELD_LEDGER_ORIGIN = os.environ.get("IPSHIELD_LEDGER_ORIGIN", "")
# Documents (文书): a layout file of the same name in this directory replaces the shipped one.
IPSHIELD_DOCUMENT_TEMPLATES_DIR = Path(
    os.environ.get("IPSHIELD_DOCUMENT_TEMPLATES_DIR") or DATA_DIR / "document-templates"
)
# Web capture: limits, and networks an administrator allows despite the SSRF guard (CIDRs).
IPSHIELD_CAPTURE_MAX_MB = int(os.environ.get("IPSHIELD_CAPTURE_MAX_MB", "10"))
IPSHIELD_CAPTURE_TIMEOUT = float(os.environ.get("IPSHIELD_CAPTURE_TIMEOUT", "15"))
IPSHIELD_CAPTURE_ALLOW_NETWORKS = os.environ.get("IPSHIELD_CAPTURE_ALLOW_NETWORKS", "")
IPSHIELD_CAPTURE_CHROMIUM = os.environ.get("IPSHIELD_CAPTURE_CHROMIUM", "/usr/bin/chromium")
# Credit: how often one caller may run the joint-punishment check; the repeat-infringer window.
IPSHIELD_CREDIT_CHECK_RATE = os.environ.get("IPSHIELD_CREDIT_CHECK_RATE", "60/m")
IPSHIELD_REPEAT_WINDOW_YEARS = int(os.environ.get("IPSHIELD_REPEAT_WINDOW_YEARS", "5"))
DATA_UPLOAD_MAX_MEMORY_SIZE = IPSHIELD_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Security headers. HTTPS-only settings switch on in production behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ipshield.portal.views.csrf_failure"  # the styled, translated 403 page
if PRODUCTION:
    # Served over HTTPS (the documented setup: a TLS-terminating proxy that sets
    # X-Forwarded-Proto). IPSHIELD_HTTPS=0 is a plain-HTTP intranet deployment: no secure
    # cookies, no HSTS, no redirect (and check --deploy says so).
    _https = _env_bool("IPSHIELD_HTTPS", default=True)
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    # Plain-HTTP requests are redirected to HTTPS. A proxy that redirects by itself (or health
    # checks over plain HTTP) can turn this off; then Django's reminder is silenced as well.
    SECURE_SSL_REDIRECT = _https and _env_bool("IPSHIELD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31536000 if _https else 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _https and _env_bool("IPSHIELD_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _https and _env_bool("IPSHIELD_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SILENCED_SYSTEM_CHECKS = [
        check
        for check, chosen in (
            ("security.W008", _https and not SECURE_SSL_REDIRECT),
            ("security.W005", _https and not SECURE_HSTS_INCLUDE_SUBDOMAINS),
            ("security.W021", _https and not SECURE_HSTS_PRELOAD),
        )
        if chosen
    ]

# Penalty decisions above this amount (yuan) need legal review (法制审核) before they take effect,
# as do all major-track cases. Provinces set their own figure for 重大执法决定.
IPSHIELD_LEGAL_REVIEW_PENALTY_ABOVE = int(
    os.environ.get("IPSHIELD_LEGAL_REVIEW_PENALTY_ABOVE", "50000")
)
# Fines that give the party a right to a hearing (较大数额罚款, 《行政处罚法》第六十三条第一款第一
# 项): the SAMR hearing rules' figures for natural persons and for organisations; a province
# with its own figures sets these.
IPSHIELD_HEARING_FINE_PERSON = int(os.environ.get("IPSHIELD_HEARING_FINE_PERSON", "10000"))
IPSHIELD_HEARING_FINE_ORGANISATION = int(
    os.environ.get("IPSHIELD_HEARING_FINE_ORGANISATION", "100000")
)
# The province's 较低数额罚款 (yuan): fines below these are published for 3 months only.
IPSHIELD_SMALL_FINE_PERSON_BELOW = int(os.environ.get("IPSHIELD_SMALL_FINE_PERSON_BELOW", "5000"))
IPSHIELD_SMALL_FINE_ORGANISATION_BELOW = int(
    os.environ.get("IPSHIELD_SMALL_FINE_ORGANISATION_BELOW", "50000")
)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# E-mail (deadline reminders): off unless IPSHIELD_EMAIL_HOST is set.
EMAIL_ENABLED = bool(os.environ.get("IPSHIELD_EMAIL_HOST"))
if EMAIL_ENABLED:
    _smtp = {
        "host": os.environ["IPSHIELD_EMAIL_HOST"],
        "port": int(os.environ.get("IPSHIELD_EMAIL_PORT", "25")),
        "username": os.environ.get("IPSHIELD_EMAIL_USER", ""),
        "password": os.environ.get("IPSHIELD_EMAIL_PASSWORD", ""),
        "use_tls": _env_bool("IPSHIELD_EMAIL_TLS", default=False),
    }
    if django.VERSION >= (6, 1):
        MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": _smtp,
            }
        }
    else:
        EMAIL_HOST, EMAIL_PORT = _smtp["host"], _smtp["port"]
        EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _smtp["username"], _smtp["password"]
        EMAIL_USE_TLS = _smtp["use_tls"]
DEFAULT_FROM_EMAIL = os.environ.get("IPSHIELD_EMAIL_FROM", "ipshield@localhost")
IPSHIELD_BASE_URL = os.environ.get("IPSHIELD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# SMS notices (accounts/sms.py): "console", "http" (JSON POST to IPSHIELD_SMS_URL) or a dotted
# path; empty: no SMS.
IPSHIELD_SMS_BACKEND = os.environ.get("IPSHIELD_SMS_BACKEND", "")
IPSHIELD_SMS_URL = os.environ.get("IPSHIELD_SMS_URL", "")
IPSHIELD_SMS_TOKEN = os.environ.get("IPSHIELD_SMS_TOKEN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # "Task queue depth is N" is logged at WARNING whenever a request waits for a free
        # thread, which under ordinary load is most requests (thousands of lines a minute):
        # waiting is normal, so only waitress's errors reach the log.
        "waitress.queue": {"level": "ERROR"},
    },
}
