"""Production: refuses to start without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and AUDIT_CHAIN_KEY."""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "AUDIT_CHAIN_KEY"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in the environment for production.")
os.environ["DEBUG"] = "false"

from .base import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
