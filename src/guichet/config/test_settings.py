"""Test settings: the base module with a fast password hasher and in-memory e-mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("GUICHET_DEBUG", "1")

from guichet.config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105 - tests only, speed
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
GUICHET_BACKGROUND_THREADS = False  # background work runs inside the test, deterministic
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
GUICHET_REQUIRE_2FA = False
AXES_ENABLED = True
