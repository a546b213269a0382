"""Tests: PostgreSQL when DATABASE_URL says so (make test arranges it), else SQLite."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # quiet; tests/test_logs.py turns the request lines on

from .base import *  # noqa: F403

SCALE_DATA_ALLOWED = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] != ":memory:":
    # A test database in a file, as `make run` has: a live server's threads then each open their
    # own connection (real parallel requests) instead of sharing one in-memory database.
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"] + ".test"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only

# Serve static files from the app folders (no collectstatic before tests), as in development.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
