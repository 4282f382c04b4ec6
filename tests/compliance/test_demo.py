"""The demo QMS year that `eiso load_demo` gives the demo commune: made through the services, once."""

import datetime as dt

import pytest

from eiso.compliance.demo import demo_qms_year_load
from eiso.compliance.selectors import is_year_open
from eiso.improvement.models import Feedback
from eiso.objectives.models import Indicator, Measurement, QualityObjective, QualityPolicy
from eiso.objectives.selectors import objectives_set_on
from eiso.risks.models import Risk

pytestmark = pytest.mark.django_db


def test_the_demo_year_is_loaded_once_with_computed_indicators_measured(world):
    today = dt.date(2026, 5, 20)
    people = {"coordinator": world.users["iso_coordinator"], "head": world.users["agency_head"]}
    assert demo_qms_year_load(world.own, today=today, **people) is True
    assert is_year_open(agency=world.own, year=2026)
    assert QualityPolicy.objects.get(agency=world.own).status == "approved"
    objective = QualityObjective.objects.get(agency=world.own, year=2026)
    assert objectives_set_on(agency=world.own, year=2026) is not None
    assert set(Indicator.objects.filter(objective=objective).values_list("metric", flat=True)) == {
        "dossier_on_time_rate", "satisfaction_rate", "legal_updates_on_time_rate"}
    assert Risk.objects.filter(agency=world.own).count() == 2
    assert Feedback.objects.filter(agency=world.own, kind="petition").count() == 1
    counts = (Measurement.objects.count(), Risk.objects.count(), Feedback.objects.count())
    # a second load changes nothing
    assert demo_qms_year_load(world.own, today=today, **people) is False
    assert (Measurement.objects.count(), Risk.objects.count(), Feedback.objects.count()) == counts
