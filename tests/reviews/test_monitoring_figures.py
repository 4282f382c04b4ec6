"""Regression: the monitoring input (9.3.2 c5) wrote the measured values with Python's locale-dependent "n" format
("97.50, target 98.00" on a server in the C locale), unlike every other figure of the review and of the minutes
("97,5 %"). The values are now written as the other inputs write them: decimal comma, no trailing zeros, the
indicator's unit."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.reviews import inputs, services
from eiso.reviews.models import ReviewInput
from tests.reviews.conftest import plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "unit", "text"), [
    (Decimal("97.50"), "%", "97,5 %"),
    (Decimal("100.00"), "%", "100 %"),
    (Decimal("1250.00"), "ngày", "1.250 ngày"),
    (Decimal("-0.50"), "", "-0,5"),
    (3, "", "3"),
])
def test_figure_writes_values_as_the_minutes_do(value, unit, text):
    assert inputs.figure(value, unit) == text


def test_monitoring_lines_show_values_and_targets_with_decimal_comma_and_unit(world):
    from eiso.objectives.services import indicator_add, measurement_enter, objective_approve, objective_create

    coordinator = world.users["iso_coordinator"]
    objective = objective_create(actor=coordinator, agency=world.own, year=2025, title="Giải quyết hồ sơ đúng hạn")
    on_time = indicator_add(actor=coordinator, objective=objective, name="Tỷ lệ hồ sơ đúng hạn",
                            value_source="entered", unit="%", comparison="gte", target="98", frequency="monthly")
    waiting = indicator_add(actor=coordinator, objective=objective, name="Thời gian chờ trung bình",
                            value_source="entered", unit="ngày", comparison="lte", target="3", frequency="monthly")
    objective_approve(actor=world.users["agency_head"], objective=objective)
    measurement_enter(actor=coordinator, indicator=on_time, period_start=dt.date(2025, 6, 1), value="97.5",
                      evidence="Sổ theo dõi hồ sơ tháng 6")
    measurement_enter(actor=coordinator, indicator=waiting, period_start=dt.date(2025, 6, 1), value="4,25",
                      evidence="Sổ theo dõi hồ sơ tháng 6")
    review = plan(world)

    services.review_inputs_assemble(actor=coordinator, review=review)

    lines = dict(map(tuple, ReviewInput.objects.get(review=review, key="monitoring").lines))
    assert lines["Tỷ lệ hồ sơ đúng hạn"] == "01/06/2025–30/06/2025: 97,5 %, target 98 %"
    assert lines["Thời gian chờ trung bình"] == "01/06/2025–30/06/2025: 4,25 ngày, target 3 ngày"
