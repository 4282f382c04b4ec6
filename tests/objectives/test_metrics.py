"""Computed indicators from real data: dossiers received and processed through eiso.dossiers.services, ratings,
and the legal update tasks of the 3-month rule. The live value on the objective page moves with the dossiers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from eiso.calendars.services import holidays_seed_year
from eiso.catalog.models import Procedure, ProcedureCase
from eiso.core.permissions import today
from eiso.dossiers.services import dossier_notify, dossier_rate, dossier_receive, dossier_return, dossier_step_complete
from eiso.objectives import metrics, selectors, services
from eiso.objectives.models import Measurement
from eiso.objectives.periods import period_of
from eiso.objectives.tasks import record_computed_measurements

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(world):
    for year in {today().year - 1, today().year}:
        holidays_seed_year(year=year)
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn")
    ProcedureCase.objects.create(procedure=procedure, code="1.000894.01", name="Đăng ký kết hôn",
                                 duration=Decimal(3), duration_unit="working_day")
    return procedure


def receive(world, procedure, submitted_at=None):
    return dossier_receive(actor=world.users["staff"], agency=world.own, procedure=procedure,
                           applicant={"name": "Nguyễn Văn An"}, submitted_at=submitted_at)


def finish(world, dossier):
    """Hand over its only step now: the result is ready, classified against the due moment."""
    step = dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)
    return dossier_step_complete(actor=world.users["staff"], step=step)


def month():
    return period_of("monthly", today())


def test_the_on_time_rate_and_the_live_value_move_when_dossiers_are_processed(world, procedure, approved, client):
    indicator = approved.indicators.get()
    start, end = month()
    # given nothing resolved: nothing measured
    assert metrics.dossier_on_time_rate(world.own, start, end) is None
    assert selectors.live_reading(indicator).value is None
    # when a dossier received now is finished at once (early)
    finish(world, receive(world, procedure))
    # then the live value is 100 %, above the 98 % target
    reading = selectors.live_reading(indicator)
    assert (reading.value, reading.result) == (Decimal("100.0"), "above")
    client.force_login(world.users["staff"])
    page = client.get(reverse("objectives:objective_detail", args=[approved.pk])).content.decode()
    assert '<strong class="live-value">100 %</strong>' in page
    # when a dossier received 20 days ago is finished now (late)
    late = finish(world, receive(world, procedure, submitted_at=timezone.now() - dt.timedelta(days=20)))
    assert late.outcome == "late"
    # then 1 of 2 on time: 50 %, below target, on the page too
    reading = selectors.live_reading(indicator)
    assert (reading.value, reading.result) == (Decimal("50.0"), "below")
    page = client.get(reverse("objectives:objective_detail", args=[approved.pk])).content.decode()
    assert '<strong class="live-value">50 %</strong>' in page
    # and another agency's dossiers do not count
    assert metrics.dossier_on_time_rate(world.sibling, start, end) is None


def test_computed_measurements_are_recorded_idempotently_by_the_service_and_the_task(world, procedure, approved):
    indicator = approved.indicators.get()
    # nothing resolved yet: nothing recorded
    assert services.measurement_compute(actor=None, indicator=indicator) is None
    finish(world, receive(world, procedure))
    first = services.measurement_compute(actor=world.users["iso_coordinator"], indicator=indicator)
    assert (first.value, first.result, first.is_computed, first.period_start) == (Decimal(100), "above", True,
                                                                                 month()[0])
    # a late one, then the monthly task: the same period's row is updated, not duplicated
    finish(world, receive(world, procedure, submitted_at=timezone.now() - dt.timedelta(days=20)))
    assert record_computed_measurements() >= 1
    assert Measurement.objects.filter(indicator=indicator).count() == 1
    measurement = Measurement.objects.get(indicator=indicator, period_start=month()[0])
    assert (measurement.value, measurement.result) == (Decimal(50), "below")
    # running it again changes nothing
    record_computed_measurements()
    assert Measurement.objects.filter(indicator=indicator).count() == 1


def test_the_satisfaction_rate_counts_the_ratings(world, procedure):
    start, end = month()
    ratings = (3, 1)
    for rating in ratings:
        dossier = finish(world, receive(world, procedure))
        dossier_notify(actor=world.users["staff"], dossier=dossier)
        dossier = dossier_return(actor=world.users["staff"], dossier=dossier, method="desk")
        dossier_rate(dossier=dossier, rating=rating)
    assert metrics.satisfaction_rate(world.own, start, end) == Decimal("50.0")
    assert metrics.satisfaction_rate(world.sibling, start, end) is None


def test_the_legal_updates_rate_follows_the_three_month_rule(world, monkeypatch):
    from eiso.documents.services import document_create
    from eiso.legal.models import UpdateTask
    from eiso.organizations.models import QMS

    monkeypatch.setattr(metrics, "today", lambda: dt.date(2026, 6, 15))
    document = document_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="process", code="QT-01",
                               title="Quy trình đăng ký khai sinh")

    def task(due_on, status="open", closed_on=None):
        closed_at = timezone.make_aware(dt.datetime.combine(closed_on, dt.time(10))) if closed_on else None
        return UpdateTask.objects.create(agency=world.own, document=document, reason="legal_change",
                                         starts_on=due_on - dt.timedelta(days=90), due_on=due_on, status=status,
                                         closed_at=closed_at)

    task(dt.date(2026, 3, 10), "done", dt.date(2026, 3, 1))  # on time
    task(dt.date(2026, 4, 10), "done", dt.date(2026, 4, 20))  # done late
    task(dt.date(2026, 5, 10))  # still open past its due date: late
    task(dt.date(2026, 6, 30))  # open, not yet due: not counted
    task(dt.date(2026, 2, 10), "dismissed")  # not applicable: not counted
    task(dt.date(2025, 12, 1), "done", dt.date(2025, 11, 1))  # outside the period
    rate = metrics.legal_updates_on_time_rate(world.own, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert rate == Decimal("33.3")
    assert metrics.legal_updates_on_time_rate(world.sibling, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) is None


def test_review_input_gives_the_computed_value_over_the_period(world, procedure, approved):
    finish(world, receive(world, procedure))
    start, end = month()
    lines = selectors.review_input(agency=world.own, start=start, end=end)
    assert lines == [(f"{approved.title} — Tỷ lệ hồ sơ đúng hạn", "100 % — target ≥ 98 %: reached")]
