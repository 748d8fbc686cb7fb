"""Settings for the test suite: the normal settings with a throw-away key and fast hashing."""

import os

os.environ.setdefault("LANGSO_TESTING", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Each test run counts in its own process memory (the rate-limit tests clear it between tests).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
