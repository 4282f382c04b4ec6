"""Celery application. With REDIS_URL unset, tasks run in-process (see settings)."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings")

app = Celery("eiso")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _logging_from_django_settings(**kwargs):
    """The worker and beat log like the app (settings.LOGGING: LOG_FORMAT, LOG_LEVEL) instead of Celery's own
    format; a receiver of this signal tells Celery not to configure logging itself."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
