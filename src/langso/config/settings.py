"""Settings for Làng số: one file, every deployment choice from the environment.

Each helper fails at start-up on a malformed value rather than guessing. With no
environment at all the platform runs on an embedded SQLite file under ``var/`` so a
fresh clone works with nothing else installed.

Environment variables:
    LANGSO_DEBUG          "1"/"0" (default "0"; ``make demo`` sets "1").
    LANGSO_SECRET_KEY     required when LANGSO_DEBUG is off.
    LANGSO_ALLOWED_HOSTS  comma-separated host names (default "127.0.0.1,localhost").
    DATABASE_URL          e.g. postgres://postgres@127.0.0.1:5432/langso (default: SQLite).
    LANGSO_VAR_DIR        where the SQLite file and uploads live (default ``./var``).
    LANGSO_TILE_URL       optional base-map tile URL template; empty means no base map (offline).
    LANGSO_TILE_ATTRIBUTION  attribution HTML shown with those tiles.
    LANGSO_LOOKUP_MISS_LIMIT   failed public code look-ups per client address and window (default 30).
    LANGSO_LOOKUP_MISS_WINDOW  that window in seconds (default 600).
    LANGSO_VERIFY_UPLOAD_LIMIT PDFs uploaded for verification per client address and 10 minutes (default 60).
    LANGSO_CACHE_URL      the cache shared by the server's processes (rate limits, map caches):
                          empty = files under LANGSO_VAR_DIR/cache (one machine); ``locmem://`` = per
                          process; ``redis://host:6379/0`` = Redis (install the ``redis`` package).
    LANGSO_SCHEDULE_COMPUTE, LANGSO_SCHEDULE_OUTBREAKS  crontab times of the recurring jobs.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def envbool(name: str, default: str = "0") -> bool:
    """Read a boolean; only "1"/"0"/"true"/"false"/"yes"/"no" (any case) are accepted."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes"}:
        return True
    if value in {"0", "false", "no", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def envint(name: str, default: int) -> int:
    """Read an integer or fail at start-up."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def envpositive(name: str, default: int) -> int:
    """Read an integer of at least 1 or fail at start-up."""
    value = envint(name, default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, not {value}")
    return value


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("LANGSO_DEBUG")
VAR_DIR = Path(os.environ.get("LANGSO_VAR_DIR", PROJECT_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("LANGSO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not os.environ.get("LANGSO_TESTING"):
        raise ImproperlyConfigured("LANGSO_SECRET_KEY must be set when LANGSO_DEBUG is 0")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests"

ALLOWED_HOSTS = envlist("LANGSO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "langso.audit",
    "langso.territory",
    "langso.accounts",
    "langso.registry",
    "langso.addressing",
    "langso.payments",
    "langso.documents",
    "langso.maps",
    "langso.participation",
    "langso.criteria",
    "langso.economy",
    "langso.health",
    "langso.indicators",
    "langso.web",
    "langso.imports",
    "django_tasks_db",
]

# Background work (Django 6 tasks): queued in the database, run by `langso db_worker`.
# Tests run tasks inline (test_settings.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "langso.web.middleware.VietnameseFirstMiddleware",  # vi unless the user switched
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "langso.config.urls"
WSGI_APPLICATION = "langso.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "langso.web.context.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'langso.sqlite3'}",
        conn_max_age=envint("LANGSO_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dashboard read while a worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the finders; an empty root keeps it quiet
NODE_MODULES = PROJECT_DIR / "node_modules"
# Front-end libraries come from npm (package-lock.json) and are served by the app itself.
STATICFILES_DIRS = [
    (prefix, path)
    for prefix, path in [
        ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
        ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
        ("vendor/be-vietnam-pro", NODE_MODULES / "@fontsource" / "be-vietnam-pro"),
    ]
    if path.is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["langso.lib.parsers.SafeJSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Làng số API",
    "DESCRIPTION": "Read-only access to administrative units, villages, households, residents, indicator "
    "values (communes, provinces, and the former districts and provinces before 1 July 2025), and the rural "
    "economy registers (cooperatives, producers, raw-material areas, linkage models, products, stores, listings, "
    "lots), scoped to the caller's communes. VietQR encode/decode under /api/payments/vietqr/.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Documents and signatures (langso.documents).
LANGSO_PUBLIC_URL = os.environ.get("LANGSO_PUBLIC_URL", "http://127.0.0.1:8000")
LANGSO_TRUST_ANCHORS_DIR = os.environ.get("LANGSO_TRUST_ANCHORS_DIR", "")  # PEM/DER roots, e.g. NEAC, VGCA
LANGSO_TSA_URL = os.environ.get("LANGSO_TSA_URL", "")
LANGSO_REVOCATION_FETCH = envbool("LANGSO_REVOCATION_FETCH")
LANGSO_SIGNING_KEK = os.environ.get("LANGSO_SIGNING_KEK", "")  # empty: SECRET_KEY; changing it locks stored keys

# One cache for every process of the server: the rate limits count a client across gunicorn's
# workers only if the workers share it (Django's default in-process cache would multiply the limits).
_cache_url = os.environ.get("LANGSO_CACHE_URL", "").strip()
if not _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}}
elif _cache_url.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
else:
    raise ImproperlyConfigured(f"LANGSO_CACHE_URL must be empty, locmem:// or redis://…, not {_cache_url!r}")

# Rate limits of the public pages (langso.lib.ratelimit; docs/access.md "Rate limits"): bucket ->
# (requests per window, window in seconds). Counted per REMOTE_ADDR: no X-Forwarded-For is trusted.
# The processes share the cache (CACHES above); several machines need LANGSO_CACHE_URL=redis://….
LANGSO_RATE_LIMITS = {
    "code-miss": (envpositive("LANGSO_LOOKUP_MISS_LIMIT", 30), envpositive("LANGSO_LOOKUP_MISS_WINDOW", 600)),
    "verify-upload": (envpositive("LANGSO_VERIFY_UPLOAD_LIMIT", 60), 600),
}

# Recurring jobs started by ``langso scheduler`` (``langso serve`` runs it): crontab expressions in
# Vietnam time (TIME_ZONE); an empty value switches a job off. Each job enqueues a task for the worker.
LANGSO_SCHEDULE = {
    "compute-indicators": os.environ.get("LANGSO_SCHEDULE_COMPUTE", "0 2 * * *"),
    "evaluate-outbreaks": os.environ.get("LANGSO_SCHEDULE_OUTBREAKS", "30 1 * * *"),
}

LANGSO_TILE_URL = os.environ.get("LANGSO_TILE_URL", "")
LANGSO_TILE_ATTRIBUTION = os.environ.get("LANGSO_TILE_ATTRIBUTION", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LANGSO_LOG_LEVEL", "WARNING")},
}
