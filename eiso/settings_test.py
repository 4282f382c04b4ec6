"""Settings for the test suite: the production settings with a fixed key and fast hashing."""

import os

os.environ.setdefault("EISO_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("EISO_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from eiso.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Most tests sign people in with force_login and test what roles may do; two-factor sign-in is tested on its own
# (tests/accounts/test_two_factor.py turns it on, and walks every page as each role that must use it).
EISO_TWO_FACTOR_REQUIRED = os.environ.get("EISO_TWO_FACTOR_REQUIRED", "false").lower() in ("1", "true", "yes", "on")
