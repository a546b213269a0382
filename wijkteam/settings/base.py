"""Base settings: everything comes from the environment.

``dev``, ``test`` and ``production`` only set defaults before importing this module
(through ``os.environ.setdefault``) or check what production needs.
"""

import datetime
import hashlib
import logging
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "wijkteam.apps.WijkteamAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "guardian",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_structlog",
    "csp",
    "base",
    "accounts",
    "cases",
    "volunteers",
    "privacy",
    "socialmap",
    "reports",
    "perf",
    "wijkteam.apps.WijkteamConfig",
]

MIDDLEWARE = [
    "wijkteam.health.HealthCheckMiddleware",  # /_healthz/: before anything else (wijkteam/health.py)
    "django_structlog.middlewares.RequestMiddleware",  # the request line of the log (base/logs.py)
    "django.middleware.security.SecurityMiddleware",
    "wijkteam.middleware.OwnNotFoundPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijkteam.middleware.SessionIdleRefreshMiddleware",
    "wijkteam.middleware.ExplicitLanguageMiddleware",
    "base.guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.mfa.VerifiedDeviceInSessionMiddleware",
    "accounts.roles.RolesInSessionMiddleware",
    "wijkteam.middleware.MFARequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "base.network.AuditlogMiddleware",
    "wijkteam.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "wijkteam.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Request size (the input guard, base.guard, refuses hostile values within these): at most this
# many fields and this many bytes of form data per request; a larger request is refused (400).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB

ROOT_URLCONF = "wijkteam.urls"
WSGI_APPLICATION = "wijkteam.wsgi.application"

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
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "socialmap.context_processors.social_map",
                "wijkteam.theme.theme_context",
            ],
        },
    },
]

DATABASE_URL = env("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment.")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("CONN_MAX_AGE", "60")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short OLTP queries: PostgreSQL's JIT compiler spent more time compiling than it saved
    # (hundreds of ms on the weekly-meeting agenda at XL scale; docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default of `make run` serves two browser tabs and a double tap: readers do not
    # wait for a writer (WAL), a writer waits its turn instead of failing with "database is
    # locked" (busy timeout), and a transaction takes the write lock when it starts (IMMEDIATE),
    # so two writers never deadlock upgrading a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# The client's address (base.network): the number of reverse proxies in front of the app that
# append to X-Forwarded-For (docs/deploy.md: 1 for the nginx there); 0 ignores the header.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Failed logins (django-axes): lock a login name *from one client address* after 5 failures,
# for 15 minutes. Nobody can lock someone else out from another address, and a lockout ends on
# its own (no growing cool-off); the administrator can lift it earlier (docs/security.md).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "base.network.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]

# Multi-factor authentication (django-otp): every account must verify a TOTP or backup code
# after the password before any page (BIO2 5.17.01); see wijkteam.middleware.MFARequiredMiddleware.
OTP_TOTP_ISSUER = "Wijkteam"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a key, QR code or backup code

# Sessions expire after inactivity (minutes). Requests renew the expiry at most every tenth of
# the idle timeout, and at most once a minute (wijkteam.middleware.SessionIdleRefreshMiddleware),
# so most pages do not write the session and an active user is never logged out.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_REFRESH_SECONDS = 60  # the longest renewal interval; shorter for a short idle timeout
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}

# Guardian: we never grant anything to anonymous users, so no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# Auditlog: keep the remote address for the access log; JSON changes for querying.
AUDITLOG_DISABLE_REMOTE_ADDR = False
AUDITLOG_STORE_JSON_CHANGES = True

# The audit chain (base.chain): the key of its links, kept outside the database (production
# requires its own; elsewhere one is derived from SECRET_KEY), and when entries are sealed:
# "commit" right after the writing transaction, "batch" by `seal_audit_chain` on a timer.
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY") or hashlib.sha256(f"wijkteam-audit-chain:{SECRET_KEY}".encode()).hexdigest()
AUDIT_CHAIN_SEALING = env("AUDIT_CHAIN_SEALING", "commit")
if AUDIT_CHAIN_SEALING not in ("commit", "batch"):
    raise ImproperlyConfigured("AUDIT_CHAIN_SEALING must be 'commit' or 'batch'.")

# The named actor that management commands act as (see accounts.services.system_actor).
SYSTEM_ACTOR_USERNAME = env("SYSTEM_ACTOR_USERNAME", "systeem")

# The app's own address, for links in e-mails (sent outside a request).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# seed_scale makes accounts with the published demo password: never in production.
SCALE_DATA_ALLOWED = False

# The municipality's look (README, "Look and feel"): the name and logo (a path under static/) in
# the header, and the primary colour of the header, buttons and links. White text on the primary
# colour must reach WCAG AA's 4.5:1; a system check (wijkteam.theme) refuses a lighter colour.
WIJKTEAM_THEME = {
    "name": env("WIJKTEAM_THEME_NAME", "Wijkteam"),
    "primary": env("WIJKTEAM_THEME_PRIMARY", "#154273"),
    "logo": env("WIJKTEAM_THEME_LOGO", "img/wijkteam-logo.svg"),
}

# How long volunteer staff may correct a home visit they logged (hours).
VISIT_CORRECTION_HOURS = int(env("VISIT_CORRECTION_HOURS", "72"))

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "wijkteam@localhost")

CSRF_FAILURE_VIEW = "wijkteam.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy (django-csp): no inline script or style, nothing from elsewhere.
# Every script and style is a file of the app; htmx runs with inline styles and eval off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The application log: JSON lines on standard error, one per request, with no personal data
# (base/logs.py; docs/deploy.md, "Logs"). LOG_LEVEL=WARNING leaves out the request lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "base.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-structlog's request_failed carries the same error with its request id and route.
        "django.request": {"level": "CRITICAL"},
        "django.server": {"level": "WARNING"},  # runserver's own access lines: the request line serves
    },
}
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # the client's address stays in the access log
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG  # one line per request: when it finished
# X-Request-ID from the municipality's proxy, so one request is followed through both logs;
# only where that proxy sets the header and drops a client's own.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env_bool("LOG_TRUST_REQUEST_ID", False)
