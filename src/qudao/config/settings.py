"""Qudao settings. Everything that differs between machines comes from the environment.

QUDAO_DATABASE_URL   database (default: embedded SQLite in $QUDAO_HOME/qudao.sqlite3)
QUDAO_TEST_DATABASE_URL  database used by the test suite (default: SQLite)
QUDAO_HOME           folder for the embedded database, job queue and media (default: ./var)
QUDAO_SECRET_KEY     required when QUDAO_DEBUG is off
QUDAO_DEBUG          1/0
QUDAO_ALLOWED_HOSTS  comma separated
QUDAO_REDIS_URL      when set, background jobs go through Redis (production); else SQLite
QUDAO_TIME_ZONE      default dealer time zone (Asia/Shanghai)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("QUDAO_HOME", Path.cwd() / "var")).resolve()
TESTING = "pytest" in sys.modules or os.environ.get("QUDAO_TESTING") == "1"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("QUDAO_DEBUG", False)
SECRET_KEY = os.environ.get("QUDAO_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key: `qudao check` warns when it is used outside DEBUG.
    SECRET_KEY = "qudao-insecure-development-key-change-me"
    INSECURE_SECRET_KEY = True
else:
    INSECURE_SECRET_KEY = False

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("QUDAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
if TESTING:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("QUDAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "unfold.contrib.simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",
    "import_export",
    "simple_history",
    "huey.contrib.djhuey",
    "qudao.core",
    "qudao.org",
    "qudao.accounts",
    "qudao.catalog",
    "qudao.parties",
    "qudao.inventory",
    "qudao.alerts",
    "qudao.pricing",
    "qudao.sales",
    "qudao.finance",
    "qudao.portal",
    "qudao.integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qudao.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "qudao.config.urls"
WSGI_APPLICATION = "qudao.config.wsgi.application"
ASGI_APPLICATION = "qudao.config.asgi.application"

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
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL, immediate write transactions and a busy timeout: DESIGN.md §4 rule 6.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
    ),
}


#: PostgreSQL session settings: no JIT (it compiles for a second on the board's and reports' big
#: aggregates, which then run in a tenth of that) and room to sort a page's groups in memory.
POSTGRES_SESSION = os.environ.get("QUDAO_POSTGRES_SESSION", "-c jit=off -c work_mem=32MB")


def database_from_url(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    elif config["ENGINE"] == "django.db.backends.postgresql" and POSTGRES_SESSION:
        config.setdefault("OPTIONS", {})["options"] = POSTGRES_SESSION
    return config


if TESTING:
    _db_url = os.environ.get("QUDAO_TEST_DATABASE_URL", "").strip()
    DATABASES = {
        "default": database_from_url(_db_url)
        if _db_url
        else {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "test.sqlite3"),
            "OPTIONS": dict(SQLITE_OPTIONS),
            "TEST": {"NAME": None},
        }
    }
else:
    _db_url = os.environ.get("QUDAO_DATABASE_URL", "").strip() or f"sqlite:///{HOME / 'qudao.sqlite3'}"
    DATABASES = {"default": database_from_url(_db_url)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["qudao.accounts.backends.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
LOGIN_THROTTLE = {
    "MAX_FAILURES": int(os.environ.get("QUDAO_LOGIN_MAX_FAILURES", "5")),
    "WINDOW_SECONDS": int(os.environ.get("QUDAO_LOGIN_WINDOW_SECONDS", "900")),
}

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("QUDAO_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = HOME / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Background jobs (Huey) -----------------------------------------------------------------
REDIS_URL = os.environ.get("QUDAO_REDIS_URL", "").strip()
if TESTING:
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "qudao-test", "immediate": True}
elif REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "qudao",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("QUDAO_WORKERS", "4")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "qudao",
        "filename": str(HOME / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Caches ---------------------------------------------------------------------------------
if REDIS_URL and not TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("QUDAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Qudao ----------------------------------------------------------------------------------
QUDAO = {
    "API_MAX_PAGE_SIZE": 200,
    "API_DEFAULT_PAGE_SIZE": 50,
    "OUTBOX_MAX_ATTEMPTS": 8,
    "OUTBOX_BACKOFF_SECONDS": 5,
    "DEFAULT_CURRENCY": "CNY",
    # Builds the request actor (who is asking, for which companies and sites): see core/scoping.py
    "ACTOR_BUILDER": "qudao.accounts.actors.build_actor",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("QUDAO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

from qudao.config.unfold import UNFOLD  # noqa: E402,F401  (the console's look and navigation)
