"""Internal audit fixtures: an agency with two internal units, one process per unit, an approved programme and a
planned audit. The tests read messages in English (the interface's source language)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import translation

from eiso.audits import services
from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from eiso.processes.models import FormTemplate
from eiso.processes.services import process_create, process_steps_replace
from tests.factories import OrgUnitFactory, RoleAssignmentFactory, user_with_role


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_process(agency, code, unit, records=None):
    process = process_create(actor=None, qms=QMS.objects.get(agency=agency), kind="procedure", code=code,
                             title=f"Quy trình {code}", data={"records": records or []})
    process_steps_replace(actor=None, process=process, steps=[
        {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"},
        {"action": "Thẩm định hồ sơ", "responsible_unit": unit, "duration": 2, "duration_unit": "day"},
    ])
    return process


@dataclass
class Setup:
    world: object
    justice: object  # an internal unit, with a sub-unit
    civil_status: object  # below justice
    one_stop: object
    birth: object  # a process whose step 2 is the work of civil_status (below justice)
    land: object  # a process whose step 2 is the work of one_stop
    auditor: object  # agency-wide auditor, independent of everything
    justice_auditor: object  # an auditor who is also staff of the justice unit
    programme: object
    audit: object


@pytest.fixture
def setup(world) -> Setup:
    own = world.own
    justice = OrgUnitFactory(agency=own, name="Tư pháp")
    civil_status = OrgUnitFactory(agency=own, name="Hộ tịch", parent=justice)
    one_stop = world.own_unit
    birth = make_process(own, "QT-01", civil_status,
                         records=[{"name": "Sổ đăng ký khai sinh", "place": "Tư pháp", "retention": "vĩnh viễn"}])
    FormTemplate.objects.create(agency=own, process=birth, code="BM.01", title="Tờ khai đăng ký khai sinh")
    land = make_process(own, "QT-02", one_stop)
    justice_auditor = user_with_role(Role.AUDITOR, own, )
    justice_auditor.full_name = "Trần Văn Tư Pháp"
    justice_auditor.save()
    RoleAssignmentFactory(user=justice_auditor, agency=own, role=Role.STAFF, org_unit=justice)
    head = world.users["agency_head"]
    programme = services.programme_create(actor=head, agency=own, year=2026)
    services.programme_entry_add(actor=head, programme=programme, planned_month=5, process=birth,
                                 clauses=["8.5.1"], auditor=world.users["auditor"])
    programme = services.programme_approve(actor=head, programme=programme)
    audit = services.audit_create(actor=world.users["iso_coordinator"], programme=programme,
                                  title="Đánh giá nội bộ đợt 1", processes=[birth, land], clauses=["9.2", "8.5.1"],
                                  start_on=dt.date(2026, 5, 12), end_on=dt.date(2026, 5, 13),
                                  auditees="Công chức Tư pháp - Hộ tịch")
    return Setup(world=world, justice=justice, civil_status=civil_status, one_stop=one_stop, birth=birth, land=land,
                 auditor=world.users["auditor"], justice_auditor=justice_auditor, programme=programme, audit=audit)


def started(setup, members=()):
    """The setup's audit with its team (the independent auditor leads), checklist built, in progress."""
    coordinator = setup.world.users["iso_coordinator"]
    services.audit_team_set(actor=coordinator, audit=setup.audit, lead_auditor=setup.auditor, members=members)
    services.checklist_build(actor=coordinator, audit=setup.audit)
    return services.audit_transition(actor=coordinator, audit=setup.audit, action="start")
