"""The world the query budgets add rows to (`Rows`) and the helpers the row makers share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.core.permissions import Role
from eiso.organizations.models import QMS
from tests.factories import AgencyFactory, CommuneFactory, OrgUnitFactory, UserFactory

STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}
YEAR = dt.date.today().year


@dataclass
class Rows:
    world: object
    made: dict = field(default_factory=dict)  # objects shared by the rows of one test (a programme, a plan...)

    @property
    def own(self):
        return self.world.own

    @property
    def province(self):
        return self.world.province

    @property
    def qms(self):
        return QMS.objects.get(agency=self.own)

    def once(self, key, make):
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def person(self, i: int, role: str = Role.STAFF):
        """A member of the own agency: the i-th row's owner, handler, auditor..."""
        return _member(self.own, i, role)

    def unit(self, i: int):
        return OrgUnitFactory(agency=self.own, name=f"Bộ phận thứ {i}")

    def process(self, i: int, *, published: bool = False, procedures=(), agency=None):
        from eiso.processes.services import process_create, process_steps_replace, process_transition

        qms = QMS.objects.get(agency=agency) if agency is not None else self.qms
        process = process_create(actor=None, qms=qms, kind="procedure", code=f"QT-B{i:02d}",
                                 title=f"Quy trình thứ {i}", procedures=procedures)
        if published:
            process_steps_replace(actor=None, process=process, steps=[STEP])
            for action in ("submit", "approve", "publish"):
                process_transition(actor=None, process=process, action=action)
        return process

    def procedure(self, i: int):
        from eiso.catalog.models import Field, Procedure, ProcedureCase

        field_ = Field.objects.create(name=f"Lĩnh vực thứ {i}")
        procedure = Procedure.objects.create(code=f"1.00{i:04d}", name=f"Thủ tục thứ {i}", field=field_,
                                             is_commune_level=True)
        ProcedureCase.objects.create(procedure=procedure, code=f"1.00{i:04d}.01", name=f"Trường hợp {i}",
                                     duration=Decimal(3), duration_unit="working_day")
        return procedure

    def agency(self, i: int, province=None):
        """Another agency of the own province (or of `province`), with its QMS."""
        from tests.factories import QMSFactory

        agency = AgencyFactory(name=f"Ủy ban nhân dân xã Thêm {i}",
                               admin_unit=CommuneFactory(parent=province or self.province))
        QMSFactory(agency=agency)
        return agency


def _member(agency, i, role):
    user = UserFactory(full_name=f"Người thứ {i}")
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(user=user, agency=agency, role=role)
    return user


def pdf(name="minh-chung.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def today():
    return timezone.localdate()
