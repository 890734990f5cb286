"""Settings for Samenwerkingsportaal: the only settings module.

Every value that differs between the demo, CI and production is read from an
environment variable (README.md has the table). With nothing set the portal runs
as a self-contained demo: SQLite, local-memory cache, Celery tasks executed eagerly.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    """Read a boolean; anything but a known spelling is a configuration error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# The fallback key only serves the demo on loopback; production must set its own
# (manage.py check --deploy rejects this one because it is short and prefixed).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-demo-key-for-local-use-only"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The kernel (portal/lib/: the user, exports, jobs, tables, audit, charts) before the
    # apps that build on it, and the composition root (portal: role grants, demo) last.
    "portal.lib",
    "partners",
    "thermometer",
    "portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.lib.htmx.HtmxHistoryRestoreMiddleware",
    "portal.lib.htmx.HtmxLoginRedirectMiddleware",
    # Records the user who made each change in the audit trail (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "portal.urls"
FORM_RENDERER = "portal.lib.forms.PortalFormRenderer"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "lib.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# DATABASE_URL=postgres://user@host:5432/name selects PostgreSQL through psycopg 3.
# conn_health_checks: a pooled connection that died (PostgreSQL restart, failover)
# is replaced before the request uses it instead of failing the request.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ---------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery reads every CELERY_* setting below (portal/celery.py).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the demo runs tasks in-process; tests switch this off and run a
# real worker (tests/conftest.py), as Celery's docs advise against eager tests.
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Acknowledge after the task ran, so a worker killed mid-task leaves it queued;
# therefore every task must be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One task at a time per worker process: tasks are few and may be long.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Results are only read back shortly after (progress bars, tests).
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Export files hold personal data in the database: hourly, drop those over a day old.
    "purge-export-jobs": {
        "task": "portal.lib.exports.tasks.purge_export_jobs",
        "schedule": 60 * 60,
    },
    # Reminder moments are days apart; a daily run sends each on its day (at most one
    # per invitation per run), in the morning when people read their mail.
    "thermometer-send-due-reminders": {
        "task": "thermometer.tasks.send_due_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Personal invitation data is kept THERMOMETER_RETENTION_DAYS after a round closes.
    "thermometer-purge-invitation-data": {
        "task": "thermometer.tasks.purge_invitation_data",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Authentication ---------------------------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# STATIC_MANIFEST=true (the Docker image) serves hashed, compressed files made by
# collectstatic; without it (demo, tests) whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a local catcher).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "tmp" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Samenwerkingsportaal <noreply@samenwerkingsportaal.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Beheer", a) for a in envlist("ADMINS", "")]

# --- Security -------------------------------------------------------------------------
# IS_HTTPS=false only for the demo and tests, which serve plain http on loopback:
# it turns off secure cookies, the https redirect and HSTS together.
IS_HTTPS = envbool("IS_HTTPS", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see docker-compose.yml).
if envbool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = IS_HTTPS
CSRF_COOKIE_SECURE = IS_HTTPS
LANGUAGE_COOKIE_SECURE = IS_HTTPS
SESSION_COOKIE_HTTPONLY = True
# The CSRF token reaches htmx through hx-headers in the page, so no script needs
# to read the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 8)
SECURE_SSL_REDIRECT = IS_HTTPS
# Health probes come from the load balancer or compose over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365) if IS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits a whole registrable domain (and every subdomain) to https in
# browsers, near-irreversibly: the domain's owner decides that, not this portal on
# one subdomain. So no preload, and check --deploy's reminder about it is silenced.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Strict CSP: no inline scripts or styles anywhere; the one script tag that needs
# inline trust (none so far) would use the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# Django admin for emergencies only: daily work happens in the portal itself.
ADMIN_URL = os.environ.get("ADMIN_URL", "django-admin/")

# --- Domain settings ---------------------------------------------------------------------
# Thermometer results are shown only for groups of at least this many respondents;
# open answers need a larger group, since their wording can give people away.
THERMOMETER_MIN_GROUP_SIZE = envint("THERMOMETER_MIN_GROUP_SIZE", 5)
THERMOMETER_MIN_GROUP_SIZE_OPEN = envint("THERMOMETER_MIN_GROUP_SIZE_OPEN", 10)
# Days after a round closes that personal invitation data (who, e-mail, token) is kept.
THERMOMETER_RETENTION_DAYS = envint("THERMOMETER_RETENTION_DAYS", 90)
# Where the accessibility statement tells visitors to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "toegankelijkheid@samenwerkingsportaal.invalid"
)
PAGE_SIZE = envint("PAGE_SIZE", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
