"""Benchmark and load test: production behaviour (DEBUG off, the real password hasher,
persistent connections) on loopback without TLS, scale data allowed, and the baseline
admin change list of cases mounted at /baseline-admin/ (``perf.baseline``)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ.setdefault("CONN_MAX_AGE", "600")
# The benchmark prints its table, not a log line per request; the load test's app server logs
# at INFO as production does (scripts/loadtest, into test-output/load/server.log).
os.environ.setdefault("LOG_LEVEL", "WARNING")

from .base import *  # noqa: F403

SCALE_DATA_ALLOWED = True
BASELINE_ADMIN = True
ROOT_URLCONF = "perf.urls"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
