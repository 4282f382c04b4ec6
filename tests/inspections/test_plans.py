"""Inspection plans: yearly numbering, the on-site share rule (data, default 1/3), adding every agency of the
province, the agencies left out, and who may write a plan."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.inspections import plans, selectors
from eiso.inspections.models import Inspection, InspectionPlan
from tests.factories import AgencyFactory, CommuneFactory
from tests.inspections.conftest import new_plan, other_province_supervisor

pytestmark = pytest.mark.django_db


def test_plans_are_numbered_per_authority_and_year(world):
    first, second = new_plan(world), new_plan(world, title="Kế hoạch bổ sung")
    next_year = new_plan(world, year=2027)
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert (first.label, second.label) == ("01/KH-2026", "02/KH-2026")
    assert first.agency == world.dost and first.status == "draft"
    # a plan moved to another year takes that year's next number
    moved = plans.plan_update(actor=world.users["supervisor"], plan=second, year=2027)
    assert (moved.year, moved.number) == (2027, 2)


def test_the_default_share_comes_from_the_settings(world, settings):
    assert new_plan(world).min_on_site_share == "1/3"
    settings.EISO = {**settings.EISO, "INSPECTION_MIN_ON_SITE_SHARE": "1/2"}
    assert new_plan(world).min_on_site_share == "1/2"


def _three_agencies(world):
    extra = AgencyFactory(name="Ủy ban nhân dân xã Gia Phú", admin_unit=CommuneFactory(parent=world.province))
    return (world.own, world.sibling, extra)


def test_approving_with_fewer_than_a_third_on_site_is_refused_with_how_many_more(world, plan):
    supervisor = world.users["supervisor"]
    agencies = (*_three_agencies(world), AgencyFactory(admin_unit=CommuneFactory(parent=world.province)))
    lines = [plans.plan_line_add(actor=supervisor, plan=plan, agency=a) for a in agencies]
    # 0 of 4 on site: ceil(4/3) = 2 needed
    with pytest.raises(ApplicationError) as refused:
        plans.plan_approve(actor=supervisor, plan=plan)
    assert refused.value.code == "on_site_share"
    assert "0 of 4" in refused.value.message and "Change 2 more inspections to on site" in refused.value.message
    plan.refresh_from_db()
    assert (plan.status, plan.approved_at) == ("draft", None)
    assert plans.on_site_counts(plan) == (0, 4, 2)
    # one on site: still one short
    plans.inspection_plan_update(actor=supervisor, inspection=lines[0], method="on_site")
    with pytest.raises(ApplicationError, match="Change 1 more"):
        plans.plan_approve(actor=supervisor, plan=plan)
    # two on site of four (≥ 1/3): approved
    plans.inspection_plan_update(actor=supervisor, inspection=lines[1], method="on_site", planned_month=5)
    approved = plans.plan_approve(actor=supervisor, plan=plan)
    assert approved.status == "approved" and approved.approved_by == supervisor and approved.issued_on is not None


def test_exactly_one_third_is_enough_and_the_share_is_the_plans(world):
    supervisor = world.users["supervisor"]
    plan = new_plan(world)
    a, b, c = _three_agencies(world)
    plans.plan_line_add(actor=supervisor, plan=plan, agency=a, method="on_site")
    for agency in (b, c):
        plans.plan_line_add(actor=supervisor, plan=plan, agency=agency)
    assert plans.plan_approve(actor=supervisor, plan=plan).status == "approved"
    # a plan asking for half on site refuses 1 of 3
    strict = new_plan(world, min_on_site_share="50%")
    plans.plan_line_add(actor=supervisor, plan=strict, agency=a, method="on_site")
    for agency in (b, c):
        plans.plan_line_add(actor=supervisor, plan=strict, agency=agency)
    with pytest.raises(ApplicationError, match="1 of 3 are. Change 1 more"):
        plans.plan_approve(actor=supervisor, plan=strict)


def test_an_empty_plan_or_a_bad_share_is_refused(world, plan):
    with pytest.raises(ApplicationError, match="Add the agencies to inspect first"):
        plans.plan_approve(actor=world.users["supervisor"], plan=plan)
    with pytest.raises(ApplicationError) as bad:
        new_plan(world, min_on_site_share="4/3")
    assert "min_on_site_share" in bad.value.errors
    assert InspectionPlan.objects.count() == 1


def test_add_every_agency_of_the_province_and_the_agencies_left_out(world, plan):
    supervisor = world.users["supervisor"]
    extra = AgencyFactory(admin_unit=CommuneFactory(parent=world.province))
    merged = AgencyFactory(admin_unit=CommuneFactory(parent=world.province), valid_to="2025-06-30")
    plans.plan_line_add(actor=supervisor, plan=plan, agency=world.own, method="on_site", planned_month=3)
    assert set(selectors.agencies_not_in_plan(plan)) == {world.sibling, extra}
    # when
    added = plans.plan_add_all(actor=supervisor, plan=plan, planned_month=9)
    # then: every current agency of the province but the authority itself, by documents; the first line unchanged
    assert added == 2
    lines = {i.agency: i for i in Inspection.objects.filter(plan=plan)}
    assert set(lines) == {world.own, world.sibling, extra}
    assert world.dost not in lines and world.foreign not in lines and merged not in lines
    assert (lines[world.sibling].method, lines[world.sibling].planned_month) == ("by_documents", 9)
    assert (lines[world.own].method, lines[world.own].planned_month) == ("on_site", 3)
    assert list(selectors.agencies_not_in_plan(plan)) == []
    assert plans.plan_add_all(actor=supervisor, plan=plan) == 0


def test_lines_are_refused_for_another_province_twice_or_once_approved(world, plan):
    supervisor = world.users["supervisor"]
    with pytest.raises(ApplicationError) as foreign:
        plans.plan_line_add(actor=supervisor, plan=plan, agency=world.foreign)
    assert foreign.value.code == "invalid_agency"
    with pytest.raises(ApplicationError, match="does not inspect itself"):
        plans.plan_line_add(actor=supervisor, plan=plan, agency=world.dost)
    line = plans.plan_line_add(actor=supervisor, plan=plan, agency=world.own, method="on_site")
    with pytest.raises(ApplicationError, match="already in the plan"):
        plans.plan_line_add(actor=supervisor, plan=plan, agency=world.own)
    with pytest.raises(ApplicationError, match="2026, the plan's year"):
        plans.inspection_plan_update(actor=supervisor, inspection=line, planned_on=dt.date(2025, 5, 1))
    plans.plan_approve(actor=supervisor, plan=plan)
    with pytest.raises(ApplicationError, match="approved"):
        plans.plan_line_add(actor=supervisor, plan=plan, agency=world.sibling)
    with pytest.raises(ApplicationError, match="method"):
        plans.inspection_plan_update(actor=supervisor, inspection=line, method="by_documents")
    with pytest.raises(ApplicationError, match="approved"):
        plans.plan_line_remove(actor=supervisor, inspection=line)
    with pytest.raises(ApplicationError, match="approved"):
        plans.plan_update(actor=supervisor, plan=plan, title="Khác")
    # the planned date of an approved plan's line may still move
    moved = plans.inspection_plan_update(actor=supervisor, inspection=line, planned_on=dt.date(2026, 8, 12))
    assert (moved.method, moved.planned_month) == ("on_site", 8)
    assert Inspection.objects.filter(plan=plan).count() == 1


def test_only_the_provinces_supervisors_write_its_plans(world, plan):
    intruders = [world.users["agency_head"], world.users["iso_coordinator"], other_province_supervisor(world)]
    for intruder in intruders:
        with pytest.raises(PermissionDeniedError):
            plans.plan_create(actor=intruder, province=world.province, year=2026, title="X")
        with pytest.raises(PermissionDeniedError):
            plans.plan_line_add(actor=intruder, plan=plan, agency=world.own)
        with pytest.raises(PermissionDeniedError):
            plans.plan_approve(actor=intruder, plan=plan)
    assert InspectionPlan.objects.count() == 1 and not Inspection.objects.exists()
    # the administrator may
    assert plans.plan_line_add(actor=world.users["admin"], plan=plan, agency=world.own).agency == world.own


def test_plans_are_read_by_the_provinces_supervisors_only(world, plan):
    assert list(InspectionPlan.objects.restrict(world.users["supervisor"])) == [plan]
    assert not InspectionPlan.objects.restrict(world.users["agency_head"]).exists()
    assert not InspectionPlan.objects.restrict(other_province_supervisor(world)).exists()


def test_writes_leave_an_audit_trail(world, plan):
    plans.plan_line_add(actor=world.users["supervisor"], plan=plan, agency=world.own, method="on_site")
    plans.plan_approve(actor=world.users["supervisor"], plan=plan)
    entries = AuditLogEntry.objects.filter(actor=world.users["supervisor"])
    assert set(entries.values_list("action", flat=True)) == {"create", "transition"}
    assert entries.filter(object_id=str(plan.pk)).count() == 2
