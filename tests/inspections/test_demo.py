"""The demo inspections that `eiso load_demo` gives Lào Cai: an approved 2026 plan with a third on site, inspections
in different states, the demo commune left planned by documents; loaded once."""

import datetime as dt

import pytest

from eiso.inspections import selectors
from eiso.inspections.demo import demo_load
from eiso.inspections.models import Inspection, InspectionPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db):
    from eiso.organizations.demo import demo_load as organizations_demo_load
    from eiso.organizations.models import AdminUnit
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    organizations_demo_load()
    return AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)


def test_the_demo_plan_and_inspections_are_loaded_once(province):
    today = dt.date(2026, 11, 20)
    summary = demo_load(today=today)
    plan = InspectionPlan.objects.get()
    assert plan.status == "approved" and plan.year == 2026 and plan.agency.code == "LCI-SKHCN"
    lines = Inspection.objects.filter(plan=plan)
    agencies = province.province_agencies.exclude(pk=plan.agency_id).count()
    assert lines.count() == agencies  # every agency of the province, the authority excepted
    assert 3 * lines.filter(method="on_site").count() >= lines.count()
    states = {i.agency.code: (i.status, selectors.report_state(i, today)) for i in lines.exclude(status="planned")}
    assert states == {"LCI-STP": ("closed", "on_time"), "LCI-SNV": ("minutes_signed", "open"),
                      "LCI-STC": ("minutes_signed", "overdue"), "LCI-SNNMT-CCKL": ("decided", "waiting")}
    closed = lines.get(agency__code="LCI-STP")
    assert closed.findings.count() == 2 and not closed.findings.filter(status="open").exists()
    commune = lines.get(agency__admin_unit__codename="phuong_cam_duong")
    assert (commune.method, commune.status) == ("by_documents", "planned")
    assert "approved" in summary
    counts = (InspectionPlan.objects.count(), Inspection.objects.count(), closed.findings.count())
    # a second load changes nothing
    assert "already loaded" in demo_load(today=today)
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), closed.findings.count()) == counts
