"""Risk fixtures. The tests read messages in English (the interface's source language)."""

import datetime as dt

import pytest
from django.utils import translation

from eiso.organizations.models import QMS
from eiso.processes.services import process_create
from eiso.risks.services import risk_action_add, risk_create


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def process(world):
    return process_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="procedure", code="QT-01",
                          title="Đăng ký khai sinh")


@pytest.fixture
def risk(world, process):
    """A risk of the own agency's process: likelihood 4 × consequence 4 = 16, high on the default matrix."""
    return risk_create(actor=world.users["iso_coordinator"], agency=world.own, process=process,
                       description="Trễ hạn trả kết quả do thiếu người", cause="Nghỉ phép", likelihood=4,
                       consequence=4, treatment="reduce", consequence_description="Công dân phàn nàn")


def add_action(world, risk, owner=None, due_in=10):
    return risk_action_add(actor=world.users["iso_coordinator"], risk=risk, description="Bố trí người trực thay",
                           owner=owner or world.users["staff"], due_on=dt.date.today() + dt.timedelta(days=due_in))
