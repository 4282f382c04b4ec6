import datetime as dt

import pytest

from eiso.calendars.engine import LOCAL_TZ


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    """An aware moment in Vietnam's time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def administrator(django_user_model):
    return django_user_model.objects.create_superuser(username="sysadmin", password="x-admin-password")


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="officer", password="x-officer-password")
