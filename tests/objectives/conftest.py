"""Objectives fixtures. The tests read messages in English (the interface's source language)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from eiso.core.permissions import today
from eiso.objectives import services


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


YEAR = dt.date.today().year


@pytest.fixture
def objective(world):
    """A draft objective of `own` for this year with a computed indicator (dossiers on time ≥ 98 %)."""
    made = services.objective_create(actor=world.users["iso_coordinator"], agency=world.own, year=today().year,
                                     title="Giải quyết hồ sơ đúng hạn", owner=world.users["staff"])
    services.indicator_add(actor=world.users["iso_coordinator"], objective=made, name="Tỷ lệ hồ sơ đúng hạn",
                           value_source="computed", metric="dossier_on_time_rate", comparison="gte",
                           target=Decimal(98), frequency="monthly")
    return made


@pytest.fixture
def approved(world, objective):
    return services.objective_approve(actor=world.users["agency_head"], objective=objective)


def entered_indicator(world, objective, **changes):
    data = {"name": "Số cán bộ được đào tạo ISO", "value_source": "entered", "unit": "người", "comparison": "gte",
            "target": Decimal(10), "frequency": "quarterly"}
    return services.indicator_add(actor=world.users["iso_coordinator"], objective=objective, **{**data, **changes})
