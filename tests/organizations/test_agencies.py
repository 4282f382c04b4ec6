import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import Role
from eiso.organizations.models import Agency, OrgUnit, RoleAssignment
from eiso.organizations.services import (
    agency_create,
    agency_record_merger,
    org_unit_create,
    org_unit_update,
    role_assign,
)
from tests.factories import AgencyFactory, CommuneFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _data(world, **overrides):
    return {
        "code": "LCI-NEW",
        "name": "Ủy ban nhân dân xã Mới",
        "kind": "peoples_committee",
        "admin_unit": CommuneFactory(parent=world.province),
        **overrides,
    }


def test_supervisor_creates_an_agency_in_their_province_and_it_is_audited(world):
    # when
    agency = agency_create(actor=world.users["supervisor"], data=_data(world))
    # then
    assert agency.province == world.province
    entry = AuditLogEntry.objects.get(object_id=str(agency.pk))
    assert entry.action == "create"
    assert entry.actor == world.users["supervisor"]
    assert entry.agency_id == agency.pk
    assert entry.changes["name"] == [None, "Ủy ban nhân dân xã Mới"]


def test_duplicate_agency_code_is_refused_and_nothing_changes(world):
    before = Agency.objects.count()
    with pytest.raises(ApplicationError) as exc:
        agency_create(actor=world.users["admin"], data=_data(world, code=world.own.code))
    assert exc.value.code == "duplicate_agency"
    assert "code" in exc.value.errors
    assert Agency.objects.count() == before


def test_duplicate_agency_name_in_the_same_unit_is_refused(world):
    with pytest.raises(ApplicationError) as exc:
        agency_create(
            actor=world.users["admin"], data=_data(world, name=world.own.name, admin_unit=world.own.admin_unit)
        )
    assert exc.value.code == "duplicate_agency"
    assert "name" in exc.value.errors


def test_unknown_admin_unit_is_refused(world):
    with pytest.raises(ApplicationError) as exc:
        agency_create(actor=world.users["admin"], data=_data(world, admin_unit=None))
    assert exc.value.code == "unknown_admin_unit"


def test_supervisor_cannot_create_an_agency_in_another_province(world):
    before = Agency.objects.count()
    with pytest.raises(PermissionDeniedError):
        agency_create(
            actor=world.users["supervisor"], data=_data(world, admin_unit=CommuneFactory(parent=world.other_province))
        )
    with pytest.raises(PermissionDeniedError):
        agency_create(actor=world.users["iso_coordinator"], data=_data(world))
    assert Agency.objects.count() == before


def test_merger_keeps_both_histories_and_links_the_successor(world):
    successor = AgencyFactory(admin_unit=CommuneFactory(parent=world.province))
    agency_record_merger(
        actor=world.users["admin"], predecessors=[world.own, world.sibling], successor=successor, on=dt.date(2025, 7, 1)
    )
    world.own.refresh_from_db()
    assert world.own.valid_to == dt.date(2025, 6, 30)
    assert set(successor.predecessors.all()) == {world.own, world.sibling}
    assert Agency.objects.valid_on(dt.date(2025, 8, 1)).filter(pk=world.own.pk).count() == 0
    assert Agency.objects.valid_on(dt.date(2025, 6, 1)).filter(pk=world.own.pk).count() == 1


def test_org_unit_tree_refuses_cycles_and_other_agencies_parent(world):
    parent = OrgUnitFactory(agency=world.own, name="Văn phòng")
    child = org_unit_create(
        actor=world.users["iso_coordinator"], agency=world.own, data={"name": "Tổ một cửa", "parent": parent}
    )
    with pytest.raises(ApplicationError) as exc:
        org_unit_update(actor=world.users["iso_coordinator"], org_unit=parent, data={"parent": child})
    assert exc.value.code == "org_unit_cycle"
    with pytest.raises(ApplicationError):
        org_unit_create(
            actor=world.users["iso_coordinator"], agency=world.own, data={"name": "X", "parent": world.sibling_unit}
        )
    parent.refresh_from_db()
    assert parent.parent is None


def test_staff_cannot_create_org_units(world):
    before = OrgUnit.objects.count()
    with pytest.raises(PermissionDeniedError):
        org_unit_create(actor=world.users["staff"], agency=world.own, data={"name": "Phòng mới"})
    assert OrgUnit.objects.count() == before


def test_coordinator_assigns_roles_only_in_own_agency(world):
    person = UserFactory()
    coordinator = world.users["iso_coordinator"]
    assignment = role_assign(actor=coordinator, user=person, agency=world.own, role=Role.STAFF)
    assert assignment.agency == world.own
    before = RoleAssignment.objects.count()
    with pytest.raises(PermissionDeniedError) as exc:
        role_assign(actor=coordinator, user=person, agency=world.sibling, role=Role.STAFF)
    assert exc.value.code == "assignment_outside_scope"
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=coordinator, user=person, agency=world.own, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world.users["staff"], user=person, agency=world.own, role=Role.STAFF)
    assert RoleAssignment.objects.count() == before


def test_consultant_needs_an_end_date_and_duplicates_are_refused(world):
    person = UserFactory()
    with pytest.raises(ApplicationError) as exc:
        role_assign(actor=world.users["admin"], user=person, agency=world.own, role=Role.CONSULTANT)
    assert "valid_until" in exc.value.errors
    role_assign(actor=world.users["admin"], user=person, agency=world.own, role=Role.STAFF)
    with pytest.raises(ApplicationError) as exc:
        role_assign(actor=world.users["admin"], user=person, agency=world.own, role=Role.STAFF)
    assert exc.value.code in ("duplicate_assignment", "invalid")
    assert RoleAssignment.objects.filter(user=person).count() == 1


def test_org_unit_limited_staff_sees_only_their_subtree(world):
    # given staff limited to "Văn phòng" and its sub-unit
    office = OrgUnitFactory(agency=world.own, name="Văn phòng")
    desk = OrgUnitFactory(agency=world.own, name="Tổ văn thư", parent=office)
    other = OrgUnitFactory(agency=world.own, name="Phòng Kinh tế")
    person = UserFactory()
    role_assign(actor=world.users["admin"], user=person, agency=world.own, role=Role.STAFF, org_unit=office)
    visible = set(OrgUnit.objects.restrict(person, "view"))
    assert {office, desk} <= visible
    assert other not in visible
    assert world.sibling_unit not in visible


def test_a_shared_qms_is_visible_to_every_sharing_agency_only(world):
    from eiso.organizations.models import QMS
    from eiso.organizations.services import qms_create

    office = AgencyFactory(admin_unit=world.own.admin_unit, name="Văn phòng UBND")
    qms = qms_create(actor=world.users["admin"], agency=world.own, code="HTQLCL-2", name="HTQLCL chung",
                     shared_with=[office])
    office_staff = UserFactory()
    RoleAssignment.objects.create(user=office_staff, agency=office, role=Role.STAFF)
    assert qms in QMS.objects.restrict(office_staff)
    assert qms in QMS.objects.restrict(world.users["staff"])
    sibling_staff = UserFactory()
    RoleAssignment.objects.create(user=sibling_staff, agency=world.sibling, role=Role.STAFF)
    assert qms not in QMS.objects.restrict(sibling_staff)
    assert set(qms.agencies.all()) == {world.own, office}
    with pytest.raises(ApplicationError):
        qms_create(actor=world.users["admin"], agency=world.own, code="HTQLCL-2", name="X")
