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
