"""Base settings: everything comes from the environment.

``dev``, ``test`` and ``production`` only set defaults before importing this module
(through ``os.environ.setdefault``) or check what production needs.
"""

import datetime
import hashlib
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

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
    "django_otp_webauthn",  # passkeys as a second step (accounts/passkeys.py)
    "axes",
    "django_structlog",
    "csp",
    "rest_framework",  # the intake API (cases/api, base/api.py)
    "drf_spectacular",
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
    "base.api.ApiMiddleware",  # /api/: no session, API-Version, every error as problem+json (base/api.py)
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
    "accounts.oidc.Backend",  # single sign-on; answers nothing while OIDC_RP_CLIENT_ID is empty
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

# Single sign-on with the municipality's identity provider (OpenID Connect, mozilla-django-oidc;
# accounts/oidc.py, docs/deploy.md "Single sign-on"). On when OIDC_RP_CLIENT_ID is set; without
# it (`make run`, most tests) there is the local login only. A sign-in is matched to an account
# the functional administrator made; it never makes an account or gives a role.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", "")  # checked against the ID token's `iss` when set
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email")
OIDC_MATCH_CLAIM = env("OIDC_MATCH_CLAIM", "email")  # the provider's claim that names the person ...
OIDC_MATCH_FIELD = env("OIDC_MATCH_FIELD", "email")  # ... and the account's field it must equal
if OIDC_MATCH_FIELD not in {"email", "username"}:
    raise ImproperlyConfigured("OIDC_MATCH_FIELD must be 'email' or 'username'.")
OIDC_PROVIDER_MFA = env_bool("OIDC_PROVIDER_MFA", False)  # the provider's second step counts ...
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa")  # ... when its `amr` names one of these
OIDC_MFA_ACR = env_list("OIDC_MFA_ACR", "")  # ... or its `acr` is one of these
if OIDC_RP_CLIENT_ID:
    _needed = ["OIDC_RP_CLIENT_SECRET", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"]
    _needed += ["OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"]
    _missing = [name for name in _needed if not globals()[name]]
    if _missing:
        raise ImproperlyConfigured(f"Single sign-on (OIDC_RP_CLIENT_ID) also needs {', '.join(_missing)}.")
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
# Who may log in with a password: "everyone", or "volunteers" (accounts without a staff role;
# staff use single sign-on, a superuser keeps the password for when the provider is down).
LOCAL_LOGIN = env("LOCAL_LOGIN", "everyone")
if LOCAL_LOGIN not in {"everyone", "volunteers"}:
    raise ImproperlyConfigured("LOCAL_LOGIN must be 'everyone' or 'volunteers'.")
if LOCAL_LOGIN == "volunteers" and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("LOCAL_LOGIN=volunteers needs single sign-on (OIDC_RP_CLIENT_ID and the rest).")

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
AXES_WHITELIST_CALLABLE = "accounts.oidc.not_a_password_login"  # single sign-on is not counted

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

# Passkeys as the second step after the password (django-otp-webauthn; accounts/passkeys.py,
# docs/deploy.md "Passkeys"), beside the authenticator app. Never instead of the password. The
# relying party is the address people open: by default SITE_URL's host and origin (127.0.0.1 is
# not a valid passkey domain, so `make run` uses http://localhost:<port>). Changing the RP ID
# later makes every passkey unusable: people then add theirs again.
_site = urlsplit(SITE_URL)
_site_host = "localhost" if _site.hostname in (None, "127.0.0.1", "::1") else _site.hostname
_site_origin = f"{_site.scheme}://{_site_host}" + (f":{_site.port}" if _site.port else "")
OTP_WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", _site_host)
OTP_WEBAUTHN_RP_NAME = env("WEBAUTHN_RP_NAME", WIJKTEAM_THEME["name"])
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ALLOWED_ORIGINS", _site_origin)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"

# The intake API (/api/v1/, cases/api; docs/deploy.md, "Intake API"): Django REST framework with
# token authentication only (accounts.api_clients), JSON only, errors as problem+json, and at
# most INTAKE_API_RATE requests per API client ("60/min"; empty: no limit).
INTAKE_API_RATE = env("INTAKE_API_RATE", "60/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api_clients.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api_clients.IsApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["base.api.ApiClientRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["base.api.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "base.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkteam intake API",
    "DESCRIPTION": "Register a request for help with its resident, as Open Formulieren's generic JSON "
    "registration sends it. Errors are application/problem+json (RFC 9457); every answer carries API-Version.",
    "VERSION": "1.0.0",  # base.api.API_VERSION
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "base.api.openapi_headers"],
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
        # the installable app (wijkteam/pwa.py): both would fall back to the above; said here for the reader
        "worker-src": [SELF],
        "manifest-src": [SELF],
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
