"""Row makers: organizations, accounts, the audit log."""

from __future__ import annotations

import datetime as dt

from eiso.core.permissions import Role
from tests.factories import CommuneFactory, OrgUnitFactory, ProvinceFactory, UserFactory

# --- Organizations, accounts, the audit log ---------------------------------------------------------------------


def add_admin_unit(rows, i):
    CommuneFactory(parent=ProvinceFactory() if i % 2 else rows.province)


def add_agency(rows, i):
    rows.agency(i, province=rows.province if i % 2 else None)


def add_org_unit(rows, i):
    parent = rows.once("parent_unit", lambda: OrgUnitFactory(agency=rows.own, name="Văn phòng gốc"))
    OrgUnitFactory(agency=rows.own, name=f"Phòng thứ {i}", parent=parent if i % 2 else None)


def add_person(rows, i):
    from tests.factories import RoleAssignmentFactory

    user = UserFactory(full_name=f"Cán bộ thứ {i}")
    RoleAssignmentFactory(user=user, agency=rows.own, role=[Role.STAFF, Role.AUDITOR][i % 2], org_unit=rows.unit(i))


def add_api_token(rows, i):
    from eiso.accounts.services import api_token_create

    api_token_create(user=rows.world.users[rows.made["role"]], name=f"token-{i}")


def add_audit_entry(rows, i):
    from eiso.core.audit import audit_record
    from eiso.core.models import AuditAction

    instance = rows.unit(i) if i % 2 else rows.process(i)
    audit_record(actor=rows.person(i, Role.ISO_COORDINATOR), instance=instance, action=AuditAction.CREATE)


def add_merger(rows, i):
    from eiso.organizations.services import agency_record_merger

    successor = rows.agency(100 + i)
    agency_record_merger(actor=None, predecessors=[rows.agency(200 + i)], successor=successor,
                         on=dt.date(2025, 7, 1))


def add_predecessor(rows, i):
    from eiso.organizations.services import agency_record_merger

    agency_record_merger(actor=None, predecessors=[rows.agency(300 + i)], successor=rows.own, on=dt.date(2025, 7, 1))
