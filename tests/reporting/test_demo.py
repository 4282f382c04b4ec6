"""The demo reporting of `eiso load_demo`: a closed 6-monthly period of 2026 with most reports accepted, a few
returned or late, and the open yearly period of 2026; loaded once."""

import pytest

from eiso.organizations.demo import demo_load as organizations_demo_load
from eiso.organizations.models import Agency
from eiso.organizations.services import admin_units_load
from eiso.reporting.demo import demo_load
from eiso.reporting.models import PeriodicReport, PeriodicReportEvent, ReportingPeriod

pytestmark = pytest.mark.django_db


def test_the_demo_periods_are_loaded_once():
    admin_units_load()
    organizations_demo_load()
    summary = demo_load()
    assert summary.startswith("Reporting:") and "closed" in summary and "open" in summary
    province_agencies = Agency.objects.filter(province__code="15", valid_to__isnull=True).count()
    half = ReportingPeriod.objects.get(kind="six_monthly", year=2026, half=1)
    yearly = ReportingPeriod.objects.get(kind="yearly", year=2026)
    assert half.status == "closed" and yearly.status == "open"
    assert half.agency.code == "LCI-SKHCN" and yearly.agency == half.agency
    assert half.reports.count() == yearly.reports.count() == province_agencies
    statuses = list(half.reports.values_list("status", flat=True))
    accepted, returned = statuses.count("accepted"), statuses.count("returned")
    late = [r for r in half.reports.select_related("period") if r.is_late()]
    assert accepted > len(statuses) / 2 and 0 < returned < accepted and 0 < len(late) < accepted
    assert any(r.first_submitted_at is None for r in late) and any(r.first_submitted_at for r in late)
    assert half.reports.filter(status="returned").exclude(supervisor_comment="").count() == returned
    assert set(yearly.reports.values_list("status", flat=True)) == {"draft"}
    counts = (ReportingPeriod.objects.count(), PeriodicReport.objects.count(), PeriodicReportEvent.objects.count())
    # a second load changes nothing
    assert demo_load() == "Reporting: the demo periods exist already."
    assert (ReportingPeriod.objects.count(), PeriodicReport.objects.count(),
            PeriodicReportEvent.objects.count()) == counts
