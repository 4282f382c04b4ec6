"""The demo: Lào Cai's 2026 PAR-index criteria and one merger of two communes into a new People's Committee,
loaded once, without touching the demo commune and the showcase commune."""

from __future__ import annotations

import pytest

from eiso.organizations.demo import DEMO_COMMUNE_CODENAME
from eiso.organizations.mergers import mergers_in, predecessors_of
from eiso.organizations.models import AdminUnit, Agency, RoleAssignment
from eiso.par.demo import CRITERIA, LEGAL_BASIS, MERGER_ON, YEAR, demo_load
from eiso.par.models import ParCriterion


@pytest.mark.django_db
def test_the_demo_loads_criteria_and_a_merger_once():
    from eiso.organizations.demo import demo_load as organizations_demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    organizations_demo_load()
    province = AdminUnit.objects.get(level="province", code="15", valid_to__isnull=True)
    demo_commune = Agency.objects.get(admin_unit__codename=DEMO_COMMUNE_CODENAME, valid_to__isnull=True)
    showcase = RoleAssignment.objects.get(user__username="head2", role="agency_head").agency
    # when
    summary = demo_load()
    # then the criteria of 2026 belong to Lào Cai's Department of Science and Technology
    criteria = ParCriterion.objects.filter(year=YEAR)
    assert sorted(criteria.values_list("code", flat=True)) == sorted(code for code, *_rest in CRITERIA)
    assert {c.agency.code for c in criteria} == {"LCI-SKHCN"}
    # one merger: two communes into a new committee, from 01/03/2026, with its legal basis
    [merger] = mergers_in(provinces={province.pk})
    assert merger.effective_on == MERGER_ON and merger.legal_basis == LEGAL_BASIS and merger.is_new_successor
    assert len(merger.predecessors) == 2 and all(a.kind == "peoples_committee" for a in merger.predecessors)
    assert set(predecessors_of(merger.successor)) == set(merger.predecessors)
    assert merger.successor.name in summary
    # the demo commune and the showcase commune are untouched
    for agency in (demo_commune, showcase):
        agency.refresh_from_db()
        assert agency.valid_to is None and agency not in merger.predecessors
    # one predecessor has a QMS to start from; the successor's head reads the predecessors
    from eiso.processes.models import Process

    assert any(Process.objects.filter(agency=a).exists() for a in merger.predecessors)
    assert RoleAssignment.objects.filter(agency=merger.successor, user__username="head_merged",
                                         role="agency_head").exists()
    # a second load changes nothing
    counts = (ParCriterion.objects.count(), Agency.objects.count())
    assert "already recorded" in demo_load()
    assert (ParCriterion.objects.count(), Agency.objects.count()) == counts
    assert len(mergers_in(provinces={province.pk})) == 1
