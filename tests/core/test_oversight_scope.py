"""The scope pieces oversight rests on: the national supervisor, records of the supervising authority, the read-only
access of a successor agency to its predecessors, and yearly numbering."""

import datetime as dt

import pytest

from eiso.core.errors import PermissionDeniedError
from eiso.core.numbering import next_number
from eiso.core.permissions import Role, forget_scope, scope_for
from eiso.organizations.models import OrgUnit
from eiso.organizations.services import agency_record_merger, role_assign
from eiso.trainings.models import Consultant
from tests.factories import AgencyFactory, CommuneFactory, OrgUnitFactory, supervising, user_with_role


@pytest.fixture
def ministry(world):
    return AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry", admin_unit=world.other_province)


@pytest.fixture
def national(ministry):
    return user_with_role(Role.NATIONAL_SUPERVISOR, ministry)


def test_a_national_supervisor_reads_every_province_and_acts_as_no_authority(world, national):
    scope = scope_for(national)
    assert {world.province.pk, world.other_province.pk} <= scope.supervised_provinces
    assert scope.is_national and not scope.authority_provinces
    assert not scope.is_authority_for(world.province.pk)
    visible = set(OrgUnit.objects.restrict(national).values_list("pk", flat=True))
    assert {world.own_unit.pk, world.sibling_unit.pk, world.foreign_unit.pk} <= visible
    assert not OrgUnit.objects.restrict(national, "change").exists()


def test_only_an_administrator_appoints_a_national_supervisor(world, ministry):
    newcomer = user_with_role(Role.STAFF, world.own)
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world.users["agency_head"], user=newcomer, agency=world.own,
                    role=Role.NATIONAL_SUPERVISOR)
    role_assign(actor=world.users["admin"], user=newcomer, agency=ministry, role=Role.NATIONAL_SUPERVISOR)
    forget_scope(newcomer)
    assert scope_for(newcomer).is_national


def test_records_of_the_supervising_authority(world, national):
    # given a consultant registered by Lào Cai's Department and one by another province's
    other_dost = AgencyFactory(kind="department", admin_unit=world.other_province)
    supervising(other_dost)
    ours = Consultant.objects.create(agency=world.dost, name="Công ty Tư vấn A")
    theirs = Consultant.objects.create(agency=other_dost, name="Công ty Tư vấn B")
    supervisor = world.users["supervisor"]
    # the province's supervisor reads and changes its own authority's records only
    assert list(Consultant.objects.restrict(supervisor)) == [ours]
    assert list(Consultant.objects.restrict(supervisor, "change")) == [ours]
    assert scope_for(supervisor).is_authority_for(world.province.pk)
    # the national supervisor reads both and changes none; agency people see none; the administrator all
    assert set(Consultant.objects.restrict(national)) == {ours, theirs}
    assert not Consultant.objects.restrict(national, "change").exists()
    assert not Consultant.objects.restrict(world.users["agency_head"]).exists()
    assert set(Consultant.objects.restrict(world.users["admin"], "delete")) == {ours, theirs}


def test_a_successor_reads_its_predecessors_and_writes_nothing_there(world):
    # given the sibling commune merged into own on 01/07/2025
    agency_record_merger(actor=None, predecessors=[world.sibling], successor=world.own, on=dt.date(2025, 7, 1))
    head, staff = world.users["agency_head"], world.users["staff"]
    forget_scope(head)
    scope = scope_for(head)
    # own's head reads the predecessor's records, with no role there and nothing to change
    assert world.sibling_unit in OrgUnit.objects.restrict(head)
    assert world.sibling_unit not in OrgUnit.objects.restrict(head, "change")
    assert world.sibling_unit not in OrgUnit.objects.restrict(head, "delete")
    assert scope.roles_in(world.sibling.pk) == set()
    assert world.sibling.pk not in scope.agency_ids  # not offered in the agency switcher
    assert world.sibling.pk in scope.agencies_for("view")
    assert world.sibling.pk not in scope.agencies_for("approve")
    # the foreign agency stays out of reach
    assert world.foreign_unit not in OrgUnit.objects.restrict(head)
    # a role limited to an internal unit of the successor does not carry over to the predecessor
    desk_staff = user_with_role(Role.STAFF, world.own, org_unit=world.own_unit)
    assert world.sibling.pk not in scope_for(desk_staff).agencies_for("view")
    assert world.sibling_unit in OrgUnit.objects.restrict(staff)  # a whole-agency role does


def test_merged_twice_the_first_predecessor_is_read_too(world):
    older = AgencyFactory(admin_unit=CommuneFactory(parent=world.province))
    older_unit = OrgUnitFactory(agency=older)
    agency_record_merger(actor=None, predecessors=[older], successor=world.sibling, on=dt.date(2024, 1, 1))
    agency_record_merger(actor=None, predecessors=[world.sibling], successor=world.own, on=dt.date(2025, 7, 1))
    head = world.users["agency_head"]
    forget_scope(head)
    assert {world.sibling_unit, older_unit} <= set(OrgUnit.objects.restrict(head))
    assert older_unit not in OrgUnit.objects.restrict(head, "change")


def test_next_number_counts_within_the_series(world):
    from eiso.reviews.models import ManagementReview

    def review(agency, year, number):
        return ManagementReview.objects.create(agency=agency, year=year, number=number, title="Xem xét",
                                               period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))

    series = ManagementReview.objects.filter(agency=world.own, year=2026)
    assert next_number(series, lock=world.own) == 1
    review(world.own, 2026, 1)
    review(world.own, 2026, 4)
    review(world.own, 2025, 9)  # another year
    review(world.sibling, 2026, 7)  # another agency
    assert next_number(series, lock=world.own) == 5
