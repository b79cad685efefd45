"""Erfaringsforum settings: one module, configured by environment variables.

Every variable is documented in README.md. Development defaults are safe: DEBUG is off
unless set, and with DEBUG off the project refuses to start without a real SECRET_KEY.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DEBUG")

_INSECURE_KEYS = {"", "change-me", "changeme", "secret"}
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if SECRET_KEY in _INSECURE_KEYS or len(SECRET_KEY) < 32:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 32 characters when DEBUG is "
            "off. See README.md, section 'Configuration'."
        )
    SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    # Django's test set-up adds "testserver" itself; production never answers to it.
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "mptt",
    "guardian",
    "csp",
    "axes",
    "accounts",
    "django_tasks",
    "django_tasks_db",
    "forum",
    "forum.notifications",
    "moderation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "erfaringsforum.middleware.MethodMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session: a NUL byte in the session cookie must not reach its lookup.
    "erfaringsforum.middleware.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie or bokmål; never the browser's Accept-Language.
    "erfaringsforum.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside the user middlewares below, so it sees who the response was for.
    "erfaringsforum.middleware.PrivatePagesMiddleware",
    "accounts.middleware.ConcreteUserMiddleware",
    "accounts.middleware.HeaderAuthMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "erfaringsforum.urls"
WSGI_APPLICATION = "erfaringsforum.wsgi.application"

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
                "erfaringsforum.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]

# Database: DATABASE_URL, or the local server on 127.0.0.1:5432 (see `make db`).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/erfaringsforum"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
# The fixed page queries run as prepared statements (erfaringsforum/db.py); 0 behind a
# transaction-pooling connection pooler.
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
if DB_PREPARED_STATEMENTS:
    # psycopg prepares only where asked (prepare=True) while a threshold is set; Django's
    # own cursors bind on the client and are never prepared.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["prepare_threshold"] = 2**31 - 1
    # Prepared statements always run their generic plan. PostgreSQL otherwise plans the
    # first five executions for their values and keeps doing so while those plans look
    # cheaper than the generic one: the topic list's unknown OFFSET is costed as a tenth of
    # the topic's threads, so page 1 (offset 0) was planned anew on every request, 2-2.5 ms
    # of planning for 0.5-1 ms of work (F33 in bench/results/history.md). Every statement we
    # prepare is a key lookup or an index range whose generic plan is the custom one; the
    # setting touches nothing else: Django binds its own queries on the client (no plan
    # cache), and PL/pgSQL triggers' lookups are by key too.
    options["options"] = " ".join(
        filter(None, [options.get("options", ""), "-c plan_cache_mode=force_generic_plan"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Employee"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmployeeBackend",
    "accounts.backends.HeaderBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER"):  # the test suite only: hashing is slow by design
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "forum:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# AUTH_MODE=local: Django's login form. AUTH_MODE=header: the intranet's authenticating
# proxy sends the employee's e-mail in AUTH_HEADER, honoured only from AUTH_TRUSTED_PROXIES.
AUTH_MODE = os.environ.get("AUTH_MODE", "local").strip().lower()
if AUTH_MODE not in {"local", "header"}:
    raise ImproperlyConfigured("AUTH_MODE must be 'local' or 'header'.")
AUTH_HEADER = os.environ.get("AUTH_HEADER", "X-Remote-User")
AUTH_HEADER_NAME = os.environ.get("AUTH_HEADER_NAME", "X-Remote-Name")
AUTH_HEADER_UNIT = os.environ.get("AUTH_HEADER_UNIT", "X-Remote-Unit")
AUTH_HEADER_TITLE = os.environ.get("AUTH_HEADER_TITLE", "X-Remote-Title")
AUTH_TRUSTED_PROXIES = env_list("AUTH_TRUSTED_PROXIES", "127.0.0.1,::1")
AUTH_HEADER_CREATE_USERS = env_bool("AUTH_HEADER_CREATE_USERS", True)

# django-axes throttles the password form: LOGIN_FAILURE_LIMIT wrong passwords for one account,
# or from one address, lock that account or address for LOGIN_LOCKOUT_MINUTES (a success
# resets the count). Only the local form: in header mode every sign-in comes from the
# proxy's one address, which must never be locked.
AXES_ENABLED = AUTH_MODE == "local"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The login form's field is "username" (it holds the e-mail, the USERNAME_FIELD axes would guess).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.views.login_attempt_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False

# django-guardian: everything needs a login, so no anonymous user object.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The reader's choice of language (the header's switch) is remembered for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# Unambiguous English dates (1 Dec 2026, not 12/01/2026).
FORMAT_MODULE_PATH = ["erfaringsforum.formats"]
# Confirmations are translated when they are read, in the reader's language.
MESSAGE_STORAGE = "erfaringsforum.messages.ReaderLanguageStorage"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("STATIC_PLAIN", DEBUG)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The cache holds rendered fragments (posts, the topic tree) and, with REDIS_URL, sessions; the
# workers then share one copy. Without it each process keeps its own (development, tests).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "erfaringsforum",
        }
    }
    # Sessions read from the shared cache, written through to the database (an emptied
    # cache logs nobody out). Not with per-process caches: a logout in one worker would
    # leave the session alive in the others' copies.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "erfaringsforum.sessions"  # Django's db store, read with plain SQL
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "erfaringsforum",
            # Django's default of 300 entries holds about 15 pages of posts with their
            # headers; 2,000 (about 10-30 MB a process) keep a worker's busy pages.
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Security headers. The CSP allows no inline script and no 'unsafe-inline' anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Designsystemet's icons are files (scripts/extract_css_icons.py): no data: images.
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_FAILURE_VIEW = "erfaringsforum.views.csrf_failure"

# E-mail.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "erfaringsforum@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (issue 15): django-tasks with its database backend; the worker is
# `manage.py notify_worker` (docs/notifications.md). SITE_URL makes the links in mails.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Forum rules, configurable per installation.
FORUM_POSTS_PER_PAGE = 20
FORUM_THREADS_PER_PAGE = 25
FORUM_POST_INTERVAL_SECONDS = env_int("FORUM_POST_INTERVAL_SECONDS", 5)
FORUM_THREADS_PER_DAY = env_int("FORUM_THREADS_PER_DAY", 20)
MODERATION_UNANSWERED_DAYS = env_int("MODERATION_UNANSWERED_DAYS", 3)
ESCALATION_OVERDUE_DAYS = env_int("ESCALATION_OVERDUE_DAYS", 14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
