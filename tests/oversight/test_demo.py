"""The oversight demo on the real demo province (Lào Cai, every commune): the plan targets every commune People's
Committee, with milestones, budget and consultants; a few stages confirmed and conversions recorded; loaded twice,
nothing is added twice; the dashboard's counts are those of province_summary."""

import datetime as dt

import pytest

from eiso.oversight.models import AgencyStage, RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.selectors import plan_budget_total, province_summary

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def demo(db):
    from eiso.organizations.demo import demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    demo_load()


def test_the_demo_loads_once(demo, client):
    from eiso.organizations.models import AdminUnit, Agency
    from eiso.oversight.demo import PLAN_NUMBER, PLAN_TITLE, demo_load
    from eiso.oversight.levels import level_condition

    summary = demo_load(today=TODAY)
    assert PLAN_NUMBER in summary and "5 stages confirmed, 4 conversions" in summary
    plan = RolloutPlan.objects.get()
    province = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    assert (plan.title, plan.issuer, plan.agency.code, plan.agency.province) == (
        PLAN_TITLE, "UBND tỉnh Lào Cai", "LCI-SKHCN", province)
    communes = set(Agency.objects.filter(province=province).filter(level_condition("commune"))
                   .values_list("pk", flat=True))
    assert len(communes) > 50 and set(plan.targets.values_list("agency_id", flat=True)) == communes
    assert plan.targets.exclude(consultant=None).values("consultant").distinct().count() == 2
    milestones = list(plan.milestones.order_by("planned_on"))
    assert [m.kind for m in milestones] == ["survey", "training", "documents", "application", "internal_audit",
                                            "management_review", "announcement"]
    assert 145 <= (plan.period_end - plan.period_start).days <= 155  # five months
    assert plan.period_start <= TODAY <= plan.period_end
    assert all(plan.period_start <= m.planned_on <= plan.period_end for m in milestones)
    assert [m.done_on is not None for m in milestones[:2]] == [True, True]  # the past ones are done
    assert plan_budget_total(plan) == 1_300_000_000
    stages = {s.agency.code: s for s in AgencyStage.objects.select_related("agency")}
    assert stages["LCI-UBND"].confirmed_stage == "maintaining" and stages["LCI-UBND"].is_converted
    assert stages["LCI-STC"].had_2008_system and not stages["LCI-STC"].is_converted
    counts = tuple(model.objects.count() for model in (RolloutPlan, RolloutTarget, RolloutMilestone,
                                                       RolloutBudgetLine, AgencyStage))
    # a second load adds nothing
    assert demo_load(today=TODAY) == "oversight: nothing new"
    assert tuple(model.objects.count() for model in (RolloutPlan, RolloutTarget, RolloutMilestone,
                                                     RolloutBudgetLine, AgencyStage)) == counts
    # the supervisor's dashboard of the demo province
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="supervisor"))
    response = client.get("/oversight/")
    assert response.status_code == 200
    levels = {row.level: (row.total, row.announced, row.converted) for row in response.context["overview"].levels}
    expected = {row.level: (row.total, row.announced, row.converted)
                for row in province_summary(province=province)}
    assert levels == expected
    assert levels["province"] == (2, 2, 2)  # the committee and its Office: confirmed, converted
    assert levels["department"][0] == 5 and levels["department"][1] >= 3


def test_the_demo_assigns_licensed_consultants_registered_before(demo):
    """When the Department already registered consultants (the trainings demo), the plan uses two whose licence is
    valid, not an expired one."""
    from eiso.organizations.models import Agency
    from eiso.oversight.demo import demo_load
    from eiso.trainings.models import Consultant

    authority = Agency.objects.get(code="LCI-SKHCN")
    expired = Consultant.objects.create(agency=authority, name="A Tư vấn hết hạn",
                                        licence_valid_until=dt.date(2025, 6, 30))
    valid = [Consultant.objects.create(agency=authority, name=f"B Tư vấn {n}", licence_valid_until=dt.date(2028, 1, 1))
             for n in (1, 2)]
    demo_load(today=TODAY)
    used = set(RolloutTarget.objects.exclude(consultant=None).values_list("consultant", flat=True))
    assert used == {c.pk for c in valid} and expired.pk not in used
    assert Consultant.objects.filter(agency=authority).count() == 3  # none created
