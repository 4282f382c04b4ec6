"""The `mx` fixture: tests/conftest.py's `world`, extended with one object of each kind per scope."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.accounts.services import api_token_create
from eiso.calendars.models import CalendarDay
from eiso.core.audit import audit_record
from eiso.core.models import AuditAction
from eiso.core.permissions import Role
from eiso.documents.models import Document, RevisionRecipient
from eiso.documents.services import attachment_add, document_create, revision_distribute, revision_transition
from eiso.legal.models import LegalDocument, UpdateTask
from eiso.legal.services import legal_document_record
from eiso.organizations.models import QMS
from eiso.processes.services import process_create, process_steps_replace, process_transition
from tests.factories import CommuneFactory, RoleAssignmentFactory, UserFactory
from tests.permission_matrix.harness import STEP, Matrix, _pdf


@pytest.fixture
def mx(world) -> Matrix:
    agency = {"own": world.own, "sibling": world.sibling, "foreign": world.foreign}
    unit = {"own": world.own_unit, "sibling": world.sibling_unit, "foreign": world.foreign_unit}
    person, assignment = {}, {}
    for scope, a in agency.items():
        person[scope] = UserFactory(username=f"{scope}-person", full_name=f"Người {scope}")
        assignment[scope] = RoleAssignmentFactory(user=person[scope], agency=a, role=Role.STAFF)
        # an authenticator, and a sign-in paused by wrong passwords, for a manager to reset and unlock
        TOTPDevice.objects.create(user=person[scope], name="authenticator", confirmed=True)
        AccessAttempt.objects.create(username=person[scope].username, ip_address="10.9.9.9", user_agent="",
                                     http_accept="", path_info="/accounts/login/", get_data="", post_data="",
                                     failures_since_start=settings.AXES_FAILURE_LIMIT)
    dossiers = _dossiers(agency)  # before the audit entries below, which must stay on the audit list's first page
    tokens = {}
    for user in [*world.users.values(), *person.values()]:
        token, _raw = api_token_create(user=user, name=f"token-of-{user.username}")
        tokens[user.pk] = token
    return Matrix(
        world=world,
        users=world.users,
        agency=agency,
        unit=unit,
        qms={scope: QMS.objects.get(agency=a) for scope, a in agency.items()},
        person=person,
        assignment=assignment,
        audit={s: audit_record(actor=None, instance=u, action=AuditAction.CREATE) for s, u in unit.items()},
        commune={
            "own": CommuneFactory(parent=world.province),
            "sibling": CommuneFactory(parent=world.province),
            "foreign": CommuneFactory(parent=world.other_province),
        },
        tokens=tokens,
        newcomer=UserFactory(username="newcomer"),
        day=CalendarDay.objects.create(date=dt.date(2026, 3, 11), kind="day_off", name="Ngày nghỉ thử"),
        process={s: _process(a, f"QT-{s}") for s, a in agency.items()},
        published=_published(world),
        framework_doc={s: document_create(actor=None, qms=QMS.objects.get(agency=a), kind="policy", code="CSCL",
                                          title=f"Chính sách chất lượng {s}") for s, a in agency.items()},
        **_legal_change(world),
        recipient={s: _distributed(a, person[s]) for s, a in agency.items()},
        attachment={},
        dossier=dossiers,
    )


@pytest.fixture(autouse=True)
def _attachments(mx):
    for scope, document in mx.framework_doc.items():
        mx.attachment[scope] = attachment_add(actor=None, document=document, file=_pdf(f"{scope}.pdf"))


def _dossiers(agency: dict) -> dict:
    """One dossier in progress per scope, received a working day ago (2 working days left of 3)."""
    from decimal import Decimal

    from eiso.calendars.services import holidays_seed_year
    from eiso.catalog.models import Procedure, ProcedureCase
    from eiso.dossiers.services import dossier_receive

    holidays_seed_year(year=dt.date.today().year)
    procedure = Procedure.objects.create(code="1.000894", name="Đăng ký kết hôn")
    case = ProcedureCase.objects.create(procedure=procedure, code="1.000894.01", name="Đăng ký kết hôn",
                                        duration=Decimal(3), duration_unit="working_day")
    return {scope: dossier_receive(actor=None, agency=a, procedure=procedure, case=case,
                                   applicant={"name": f"Người nộp {scope}", "phone": f"090000000{n}"})
            for n, (scope, a) in enumerate(agency.items(), start=1)}


def _distributed(agency, person):
    manual = document_create(actor=None, qms=QMS.objects.get(agency=agency), kind="manual", code="STCL",
                             title=f"Sổ tay chất lượng {agency.code}")
    revision = manual.revisions.get()
    for action in ("submit", "approve", "publish"):
        revision = revision_transition(actor=None, revision=revision, action=action)
    revision_distribute(actor=None, revision=revision, users=[person])
    return RevisionRecipient.objects.get(revision=revision, user=person)


def _legal_change(world) -> dict:
    """A circular, effective in the past, replacing the basis of each scope's process: one overdue task each."""
    basis = LegalDocument.objects.create(doc_type="circular", number="01/2022/TT-BTP", key="01/2022/TT-BTP")
    basis.documents.add(*Document.objects.filter(process__code__startswith="QT-", process__kind="procedure"))
    new = legal_document_record(actor=None, number="05/2026/TT-BTP", effective_on=dt.date(2026, 1, 15),
                                relations=[("replaces", basis)])
    tasks = {t.agency_id: t for t in UpdateTask.objects.filter(legal_document=new)}
    scopes = {"own": world.own, "sibling": world.sibling, "foreign": world.foreign}
    return {"legal": new, "update_task": {s: tasks[a.pk] for s, a in scopes.items()}}


def _process(agency, code):
    qms = QMS.objects.get(agency=agency)
    process = process_create(actor=None, qms=qms, kind="procedure", code=code, title=f"Quy trình {code}")
    process_steps_replace(actor=None, process=process, steps=[STEP])
    return process


def _published(world):
    process = _process(world.own, "QT-PUBLIC")
    for action in ("submit", "approve", "publish"):
        process_transition(actor=None, process=process, action=action)
    return process
