"""The permission matrix: for every URL pattern of eISO, what each role gets in each scope.

Roles (tests/conftest.py `world`): admin (superuser), supervisor (DOST of the province of `own` and
`sibling`), agency_head, iso_coordinator, staff, auditor, consultant (all in `own`).
Scopes: own agency, sibling (another agency of the same province), foreign (an agency of another
province), and the anonymous visitor (tested per entry, without a role).

`MATRIX` names every URL pattern of eiso.urls; `test_every_url_pattern_has_a_matrix_entry` fails when
a new endpoint is added without a row. Each row lists the requests made on it (`Check`) and the
status each role must get in each scope; a refused write must leave the data unchanged and an
allowed one must change it; `shows` lists what a 200 response must and must not contain.

Decisions made visible here (the policy where the code had to choose):
* SCHEMA_IS_PUBLIC: /api/v1/schema/, /api/v1/docs/ and /api/v1/redoc/ answer anonymous visitors
  (drf-spectacular's SERVE_PERMISSIONS default, AllowAny). The schema describes endpoints, no data.
* A list page or list endpoint a role may open but holds nothing for it answers 200 with no rows
  (staff on /audit-log/); only the people directory refuses non-managers outright (403).
* People (users page/API) are visible like role assignments: head, coordinator, supervisor, admin,
  and every user sees themself.
* The administrator works "in" an agency chosen with the switcher like everyone else: the matrix
  signs the administrator in with `own` as the current agency.
* Creating an org unit in an agency the user cannot see (body field `agency`) answers like an
  unknown agency (400, same body as a random id); in a visible agency whose internals the user may
  not write: 403.
* Switching the current agency is limited to agencies where the user holds a role; the supervisor
  holds a role in DOST only, so switching to a supervised agency is 404.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from eiso.accounts.models import ApiToken, User
from eiso.accounts.services import api_token_create
from eiso.calendars.models import CalendarDay
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase
from eiso.core.audit import audit_record
from eiso.core.middleware import SESSION_KEY
from eiso.core.models import AuditAction, AuditLogEntry
from eiso.core.permissions import Role
from eiso.documents.models import Attachment, Document, RevisionRecipient
from eiso.documents.services import attachment_add, document_create, revision_distribute, revision_transition
from eiso.legal.models import LegalDocument, UpdateTask
from eiso.legal.services import legal_document_record
from eiso.organizations.models import QMS, Agency, OrgUnit, RoleAssignment
from eiso.processes.models import Process
from eiso.processes.services import process_create, process_steps_replace, process_transition
from tests.factories import PASSWORD, CommuneFactory, RoleAssignmentFactory, UserFactory

ROLES = ("admin", "supervisor", "agency_head", "iso_coordinator", "staff", "auditor", "consultant")
NON_ADMIN_ROLES = ROLES[1:]
SCOPES = ("own", "sibling", "foreign")

AGENCY_ROLES = frozenset({"agency_head", "iso_coordinator", "staff", "auditor", "consultant"})
MANAGERS = frozenset({"agency_head", "iso_coordinator"})  # manage roles, delete internal units
RECIPIENT_VIEWERS = MANAGERS | {"auditor"}  # see who has read a document
EDITORS = MANAGERS | {"consultant"}  # add and change internal units
PEOPLE_VIEWERS = MANAGERS  # + the supervisor of the province + admin (role assignments, people)
AUDIT_VIEWERS = MANAGERS | {"auditor"}  # + the supervisor of the province + admin

SCHEMA_IS_PUBLIC = True  # see the module docstring

LOGIN_URL = "/accounts/login/"
ERROR_KEYS = {"message", "code", "errors"}


# --- The world, extended with one object of each kind per scope --------------------------------------


@dataclass
class Matrix:
    world: object
    users: dict  # role -> User
    agency: dict  # scope -> Agency
    unit: dict  # scope -> OrgUnit
    qms: dict  # scope -> QMS
    person: dict  # scope -> a staff member of that agency (not one of the role users)
    assignment: dict  # scope -> the person's RoleAssignment
    audit: dict  # scope -> AuditLogEntry about the scope's org unit
    commune: dict  # scope -> a commune without an agency, in the scope's province
    tokens: dict  # user pk -> ApiToken
    newcomer: User  # an account without any role, to be given one
    day: CalendarDay  # a manual calendar entry
    process: dict  # scope -> a draft procedure process of that agency
    published: Process  # a published process of `own` (public posting)
    framework_doc: dict  # scope -> a draft quality policy of that agency
    legal: LegalDocument  # a circular replacing the legal basis of every scope's process
    update_task: dict  # scope -> the open update task of that agency's process
    recipient: dict  # scope -> the person's RevisionRecipient of a published manual of that agency
    attachment: dict  # scope -> a PDF attached to the scope's draft quality policy

    def token(self, role: str, scope: str) -> ApiToken:
        """Token scopes: own = the requester's token; sibling/foreign = a person's of that agency."""
        owner = self.users[role] if scope == "own" else self.person[scope]
        return self.tokens[owner.pk]


@pytest.fixture
def mx(world) -> Matrix:
    agency = {"own": world.own, "sibling": world.sibling, "foreign": world.foreign}
    unit = {"own": world.own_unit, "sibling": world.sibling_unit, "foreign": world.foreign_unit}
    person, assignment = {}, {}
    for scope, a in agency.items():
        person[scope] = UserFactory(username=f"{scope}-person", full_name=f"Người {scope}")
        assignment[scope] = RoleAssignmentFactory(user=person[scope], agency=a, role=Role.STAFF)
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
    )


@pytest.fixture(autouse=True)
def _attachments(mx):
    for scope, document in mx.framework_doc.items():
        mx.attachment[scope] = attachment_add(actor=None, document=document, file=_pdf(f"{scope}.pdf"))


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")


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


STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}


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


# --- Policies: (role, scope) -> the status the role must get ----------------------------------------

Policy = Callable[[str, str], int]


def everyone(status: int) -> Policy:
    return lambda role, scope: status


def only(roles, ok: int, refused: int = 403) -> Policy:
    """The administrator and `roles`; everyone else is refused (no object involved)."""
    return lambda role, scope: ok if role == "admin" or role in roles else refused


def directory(role: str, scope: str) -> int:
    """The agency directory: the agencies of the provinces where the user holds a role."""
    return 200 if role == "admin" or scope != "foreign" else 404


def agency_change(ok: int) -> Policy:
    """Agencies are changed by the administrator and the supervisor of their province."""

    def policy(role, scope):
        if role == "admin":
            return ok
        if scope == "foreign":
            return 404
        return ok if role == "supervisor" else 403

    return policy


def agency_create(ok: int) -> Policy:
    """Adding an agency (in the scope's province): administrator, or the supervisor of that province."""

    def policy(role, scope):
        if role == "admin" or (role == "supervisor" and scope != "foreign"):
            return ok
        return 403

    return policy


def internal_read(viewers) -> Policy:
    """Agency internals: the own agency's `viewers`, the supervisor of the province, the admin."""

    def policy(role, scope):
        if role == "admin":
            return 200
        if role == "supervisor":
            return 404 if scope == "foreign" else 200
        return 200 if scope == "own" and role in viewers else 404

    return policy


def internal_write(writers, ok: int, viewers=AGENCY_ROLES) -> Policy:
    """Not visible: 404. Visible without the right to act (supervisor, staff...): 403."""
    read = internal_read(viewers)

    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        if role == "admin" or (role in writers and scope == "own"):
            return ok
        return 403

    return policy


def create_in_agency(ok: int) -> Policy:
    """POST an org unit with `agency` = the scope's agency (see the module docstring)."""

    def policy(role, scope):
        if role == "admin":
            return ok
        if scope == "foreign":
            return 400
        return ok if role in EDITORS and scope == "own" else 403

    return policy


def assign_role(ok: int) -> Policy:
    """Granting a role in the scope's agency: the administrator, or a manager of that agency."""
    return lambda role, scope: ok if role == "admin" or (role in MANAGERS and scope == "own") else 403


def own_token(ok: int) -> Policy:
    return lambda role, scope: ok if scope == "own" else 404


def switch_agency(role: str, scope: str) -> int:
    if role == "admin":
        return 302
    if role == "supervisor":
        return 404  # holds a role in DOST only
    return 302 if scope == "own" else 404


def orgunit_page_list(role: str, scope: str) -> int:
    """The internal-units page lists the current agency's units (the supervisor's is DOST)."""
    return 200 if scope == "own" and role != "supervisor" else 404


# --- What a 200 response must (True) and must not (False) contain -----------------------------------

Shows = Callable[[Matrix, str, str], dict]


def each_scope(marker: Callable[[Matrix, str], str], policy: Policy) -> Shows:
    """For list responses: the scope's marker is present iff the policy lets the role see it."""
    return lambda mx, role, _scope: {marker(mx, s): policy(role, s) == 200 for s in SCOPES}


def agency_detail_shows(mx, role, scope):
    """An agency's page lists its units, QMS and people only to those who may see its internals."""
    internals = internal_read(AGENCY_ROLES)(role, scope) == 200
    people = internal_read(PEOPLE_VIEWERS)(role, scope) == 200
    return {mx.unit[scope].get_absolute_url(): internals, mx.qms[scope].name: internals, user_url(mx, scope): people}


def adminunit_detail_shows(mx, role, scope):
    return {mx.agency[scope].get_absolute_url(): directory(role, scope) == 200}


def user_url(mx, s):
    return reverse("accounts:user_detail", args=[mx.person[s].pk])


# --- The matrix ---------------------------------------------------------------------------------------

State = Callable[[Matrix, str, str], object]


@dataclass(frozen=True)
class Check:
    method: str
    expect: Policy
    data: Callable[[Matrix, str, str], dict] | None = None
    state: State | None = None  # must change when allowed, must not when refused
    shows: Shows | None = None
    query: str = ""


@dataclass(frozen=True)
class Entry:
    name: str  # the URL pattern's name, with its namespace
    kind: str  # "page" (anonymous: 302 to the login page) or "api" (anonymous: 401)
    path: Callable[[Matrix, str, str], str]
    checks: tuple[Check, ...]
    # True: one test per role x scope. False (no object in a scope): one test runs every role on the
    # own-scope URL, each role from the same world (what a role wrote is rolled back).
    scoped: bool = False
    anonymous: int | None = None  # public endpoints: the status an anonymous visitor gets

    @property
    def id(self) -> str:
        return self.name.replace(":", ".")


def url(name: str, arg: Callable[[Matrix, str, str], object] | None = None):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)] if arg else [])


def unit_name(mx, role, scope):
    return OrgUnit.objects.filter(pk=mx.unit[scope].pk).values_list("name", flat=True).first()


def unit_exists(mx, role, scope):
    return OrgUnit.objects.filter(pk=mx.unit[scope].pk).exists()


def agency_name(mx, role, scope):
    return Agency.objects.get(pk=mx.agency[scope].pk).name


def assignment_exists(mx, role, scope):
    return RoleAssignment.objects.filter(pk=mx.assignment[scope].pk).exists()


def newcomer_roles(mx, role, scope):
    return RoleAssignment.objects.filter(user=mx.newcomer).count()


def token_revoked(mx, role, scope):
    return ApiToken.objects.get(pk=mx.token(role, scope).pk).revoked_at


def person_name(mx, role, scope):
    return User.objects.get(pk=mx.person[scope].pk).full_name


def audit_entry(mx, role, scope):
    entry = mx.audit[scope]
    return AuditLogEntry.objects.count(), AuditLogEntry.objects.filter(pk=entry.pk).values_list(
        "object_repr", "action", "changes", "note"
    ).first()


def agency_form(mx, scope, **changes):
    a = mx.agency[scope]
    data = {
        "code": a.code,
        "name": a.name,
        "short_name": "",
        "kind": a.kind,
        "admin_unit": a.admin_unit.code,
        "parent": "",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "valid_from": "",
    }
    return {**data, **changes}


def new_agency(mx, role, scope, api=False):
    commune = mx.commune[scope]
    return {
        "code": f"NEW-{role}-{scope}",
        "name": f"Cơ quan mới {role} {scope}",
        "kind": "peoples_committee",
        "admin_unit": commune.pk if api else commune.code,
    }


def agency_code_exists(mx, role, scope):
    return Agency.objects.filter(code=f"NEW-{role}-{scope}").exists()


def procedure(mx):
    field, _created = Field.objects.get_or_create(name="Hộ tịch")
    return Procedure.objects.get_or_create(code="1.001193", defaults={"name": "Đăng ký khai sinh", "field": field})[0]


def procedure_case(mx):
    return ProcedureCase.objects.get_or_create(procedure=procedure(mx), code="1.001193.01",
                                               defaults={"name": "Đăng ký khai sinh"})[0]


def import_run(mx):
    return ImportRun.objects.get_or_create(source="matrix.jsonl", defaults={"status": "done"})[0]


def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("mau.pdf", b"%PDF-1.4 form", content_type="application/pdf")


def revision_status(process):
    return process.document.revisions.order_by("-number").values_list("status", flat=True).first()


def public_process_path(mx, scope):
    """own: the published process; elsewhere a draft process (never public)."""
    return mx.published.pk if scope == "own" else mx.process[scope].pk


def public_form_path(mx, scope):
    form = mx.published.forms.first() or mx.published.forms.create(
        agency=mx.published.agency, code="BM.01", title="Giấy tiếp nhận"
    )
    return form.pk


PAGE_EVERYONE_200 = (Check("get", everyone(200)),)

MATRIX: list[Entry] = [
    # --- core ---------------------------------------------------------------------------------------
    Entry("core:home", "page", url("core:home"), PAGE_EVERYONE_200),
    Entry(
        "core:switch_agency",
        "page",
        url("core:switch_agency"),
        (Check("post", switch_agency, data=lambda mx, r, s: {"agency": str(mx.agency[s].pk)}),),
        scoped=True,
    ),
    Entry(
        "core:auditlog_list",
        "page",
        url("core:auditlog_list"),
        (
            Check(
                "get",
                everyone(200),
                query="?all=1",
                shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AUDIT_VIEWERS)),
            ),
        ),
    ),
    # --- accounts -----------------------------------------------------------------------------------
    Entry("accounts:login", "page", url("accounts:login"), (Check("get", everyone(302)),), anonymous=200),
    Entry("accounts:logout", "page", url("accounts:logout"), (Check("post", everyone(302)),)),
    Entry("accounts:password_change", "page", url("accounts:password_change"), PAGE_EVERYONE_200),
    Entry(
        "accounts:user_list",
        "page",
        url("accounts:user_list"),
        (
            Check(
                "get", only(MANAGERS | {"supervisor"}, 200), shows=each_scope(user_url, internal_read(PEOPLE_VIEWERS))
            ),
        ),
    ),
    Entry(
        "accounts:user_add",
        "page",
        url("accounts:user_add"),
        (
            Check("get", only(MANAGERS, 200)),
            Check(
                "post",
                only(MANAGERS, 302),
                data=lambda mx, r, s: {"username": f"new-{r}", "full_name": "Người mới", "password": PASSWORD},
                state=lambda mx, r, s: User.objects.filter(username=f"new-{r}").exists(),
            ),
        ),
    ),
    Entry(
        "accounts:user_detail",
        "page",
        url("accounts:user_detail", lambda mx, r, s: mx.person[s].pk),
        (Check("get", internal_read(PEOPLE_VIEWERS)),),
        scoped=True,
    ),
    Entry(
        "accounts:user_edit",
        "page",
        url("accounts:user_edit", lambda mx, r, s: mx.person[s].pk),
        (
            Check("get", internal_write(MANAGERS, 200, PEOPLE_VIEWERS)),
            Check(
                "post",
                internal_write(MANAGERS, 302, PEOPLE_VIEWERS),
                state=person_name,
                data=lambda mx, r, s: {
                    "full_name": "Tên đã đổi",
                    "position": "",
                    "email": "",
                    "phone": "",
                    "is_active": "on",
                },
            ),
        ),
        scoped=True,
    ),
    Entry(
        "accounts:role_add",
        "page",
        url("accounts:role_add"),
        (
            Check("get", only(MANAGERS, 200)),
            Check(
                "post",
                only(MANAGERS, 302),
                state=newcomer_roles,
                data=lambda mx, r, s: {
                    "user": "newcomer",
                    "agency": str(mx.agency["own"].pk),
                    "role": "staff",
                    "is_recursive": "on",
                },
            ),
        ),
    ),
    Entry(
        "accounts:role_revoke",
        "page",
        url("accounts:role_revoke", lambda mx, r, s: mx.assignment[s].pk),
        (Check("post", internal_write(MANAGERS, 302, PEOPLE_VIEWERS), state=assignment_exists),),
        scoped=True,
    ),
    Entry(
        "accounts:token_list",
        "page",
        url("accounts:token_list"),
        (
            Check("get", everyone(200), shows=lambda mx, r, s: {mx.token(r, sc).name: sc == "own" for sc in SCOPES}),
            Check(
                "post",
                everyone(200),
                data=lambda mx, r, s: {"name": "nouveau"},
                state=lambda mx, r, s: ApiToken.objects.filter(user=mx.users[r]).count(),
            ),
        ),
    ),
    Entry(
        "accounts:token_revoke",
        "page",
        url("accounts:token_revoke", lambda mx, r, s: mx.token(r, s).pk),
        (Check("post", own_token(302), state=token_revoked),),
        scoped=True,
    ),
    # --- organizations ------------------------------------------------------------------------------
    Entry("organizations:adminunit_list", "page", url("organizations:adminunit_list"), PAGE_EVERYONE_200),
    Entry(
        "organizations:adminunit_detail",
        "page",
        url("organizations:adminunit_detail", lambda mx, r, s: mx.agency[s].admin_unit_id),
        (Check("get", everyone(200), shows=adminunit_detail_shows),),
        scoped=True,
    ),
    Entry(
        "organizations:agency_list",
        "page",
        url("organizations:agency_list"),
        (Check("get", everyone(200), shows=each_scope(lambda mx, s: mx.agency[s].get_absolute_url(), directory)),),
    ),
    Entry(
        "organizations:agency_add",
        "page",
        url("organizations:agency_add"),
        (
            Check("get", only({"supervisor"}, 200)),
            Check("post", only({"supervisor"}, 302), data=new_agency, state=agency_code_exists),
        ),
    ),
    Entry(
        "organizations:agency_detail",
        "page",
        url("organizations:agency_detail", lambda mx, r, s: mx.agency[s].pk),
        (Check("get", directory, shows=agency_detail_shows),),
        scoped=True,
    ),
    Entry(
        "organizations:agency_edit",
        "page",
        url("organizations:agency_edit", lambda mx, r, s: mx.agency[s].pk),
        (
            Check("get", agency_change(200)),
            Check(
                "post",
                agency_change(302),
                state=agency_name,
                data=lambda mx, r, s: agency_form(mx, s, name=f"Đổi tên {s}"),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_list",
        "page",
        url("organizations:orgunit_list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: mx.unit[s].get_absolute_url(), orgunit_page_list)
            ),
        ),
    ),
    Entry(
        "organizations:orgunit_add",
        "page",
        url("organizations:orgunit_add"),
        (
            Check("get", only(EDITORS, 200)),
            Check(
                "post",
                only(EDITORS, 302),
                data=lambda mx, r, s: {"name": f"Đơn vị mới {r}", "code": "", "parent": ""},
                state=lambda mx, r, s: OrgUnit.objects.filter(name=f"Đơn vị mới {r}").exists(),
            ),
        ),
    ),
    Entry(
        "organizations:orgunit_detail",
        "page",
        url("organizations:orgunit_detail", lambda mx, r, s: mx.unit[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_edit",
        "page",
        url("organizations:orgunit_edit", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_write(EDITORS, 200)),
            Check(
                "post",
                internal_write(EDITORS, 302),
                state=unit_name,
                data=lambda mx, r, s: {"name": "Tên mới", "code": "", "parent": ""},
            ),
        ),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_delete",
        "page",
        url("organizations:orgunit_delete", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_write(MANAGERS, 200)),
            Check("post", internal_write(MANAGERS, 302), state=unit_exists),
        ),
        scoped=True,
    ),
    # --- calendar -----------------------------------------------------------------------------------
    Entry(
        "calendars:calendar",
        "page",
        url("calendars:calendar"),
        (
            Check("get", everyone(200)),
            Check(
                "post",
                only((), 302),
                state=lambda mx, r, s: CalendarDay.objects.count(),
                data=lambda mx, r, s: {"date": "10/03/2026", "kind": "day_off", "name": "Nghỉ bù", "note": ""},
            ),
        ),
    ),
    Entry("calendars:deadline", "page", url("calendars:deadline"), PAGE_EVERYONE_200),
    Entry(
        "set_language",
        "page",
        url("set_language"),
        (Check("post", everyone(302), data=lambda mx, r, s: {"language": "vi"}),),
        anonymous=302,
    ),
    # --- API ----------------------------------------------------------------------------------------
    Entry("api-root", "api", url("api-root"), (Check("get", everyone(200)),)),
    Entry(
        "adminunit-list",
        "api",
        url("adminunit-list"),
        (
            Check("get", everyone(200)),
            Check("post", everyone(405), data=lambda mx, r, s: {"code": "99", "name": "X", "level": "province"}),
        ),
    ),
    Entry(
        "adminunit-detail",
        "api",
        url("adminunit-detail", lambda mx, r, s: mx.agency[s].admin_unit_id),
        (
            Check("get", everyone(200)),
            Check("put", everyone(405), data=lambda mx, r, s: {"name": "X"}),
            Check("patch", everyone(405), data=lambda mx, r, s: {"name": "X"}),
            Check("delete", everyone(405)),
        ),
    ),
    Entry(
        "agency-list",
        "api",
        url("agency-list"),
        (
            Check("get", everyone(200), shows=each_scope(lambda mx, s: str(mx.agency[s].pk), directory)),
            Check(
                "post",
                agency_create(201),
                data=lambda mx, r, s: new_agency(mx, r, s, api=True),
                state=agency_code_exists,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "agency-detail",
        "api",
        url("agency-detail", lambda mx, r, s: mx.agency[s].pk),
        (
            Check("get", directory),
            Check("patch", agency_change(200), data=lambda mx, r, s: {"name": f"Đổi tên {s}"}, state=agency_name),
            Check("delete", everyone(405), state=lambda mx, r, s: Agency.objects.filter(pk=mx.agency[s].pk).exists()),
        ),
        scoped=True,
    ),
    Entry(
        "qms-list",
        "api",
        url("qms-list"),
        (
            Check("get", everyone(200), shows=each_scope(lambda mx, s: str(mx.qms[s].pk), internal_read(AGENCY_ROLES))),
            Check("post", everyone(405), data=lambda mx, r, s: {"code": "X", "name": "X"}),
        ),
    ),
    Entry(
        "qms-detail",
        "api",
        url("qms-detail", lambda mx, r, s: mx.qms[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check(
                "patch",
                everyone(405),
                data=lambda mx, r, s: {"name": "X"},
                state=lambda mx, r, s: QMS.objects.get(pk=mx.qms[s].pk).name,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "orgunit-list",
        "api",
        url("orgunit-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AGENCY_ROLES))
            ),
            Check(
                "post",
                create_in_agency(201),
                data=lambda mx, r, s: {"name": "Đơn vị API", "agency": str(mx.agency[s].pk)},
                state=lambda mx, r, s: OrgUnit.objects.filter(name="Đơn vị API").count(),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "orgunit-detail",
        "api",
        url("orgunit-detail", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check("patch", internal_write(EDITORS, 200), data=lambda mx, r, s: {"name": "Tên API"}, state=unit_name),
            Check("delete", internal_write(MANAGERS, 204), state=unit_exists),
        ),
        scoped=True,
    ),
    Entry(
        "user-list",
        "api",
        url("user-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: f'"{mx.person[s].username}"', internal_read(PEOPLE_VIEWERS)),
            ),
            Check("post", everyone(405), data=lambda mx, r, s: {"username": "x"}),
        ),
    ),
    Entry(
        "user-detail",
        "api",
        url("user-detail", lambda mx, r, s: mx.person[s].pk),
        (
            Check("get", internal_read(PEOPLE_VIEWERS)),
            Check("patch", everyone(405), data=lambda mx, r, s: {"full_name": "X"}, state=person_name),
        ),
        scoped=True,
    ),
    Entry(
        "roleassignment-list",
        "api",
        url("roleassignment-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: str(mx.assignment[s].pk), internal_read(PEOPLE_VIEWERS)),
            ),
            Check(
                "post",
                assign_role(201),
                state=newcomer_roles,
                data=lambda mx, r, s: {"user": mx.newcomer.pk, "agency": str(mx.agency[s].pk), "role": "staff"},
            ),
        ),
        scoped=True,
    ),
    Entry(
        "roleassignment-detail",
        "api",
        url("roleassignment-detail", lambda mx, r, s: mx.assignment[s].pk),
        (
            Check("get", internal_read(PEOPLE_VIEWERS)),
            Check(
                "patch",
                everyone(405),
                data=lambda mx, r, s: {"role": "agency_head"},
                state=lambda mx, r, s: RoleAssignment.objects.get(pk=mx.assignment[s].pk).role,
            ),
            Check("delete", internal_write(MANAGERS, 204, PEOPLE_VIEWERS), state=assignment_exists),
        ),
        scoped=True,
    ),
    Entry(
        "apitoken-list",
        "api",
        url("apitoken-list"),
        (
            Check("get", everyone(200), shows=lambda mx, r, s: {str(mx.token(r, sc).pk): sc == "own" for sc in SCOPES}),
            Check(
                "post",
                everyone(201),
                data=lambda mx, r, s: {"name": "nouveau"},
                state=lambda mx, r, s: ApiToken.objects.filter(user=mx.users[r]).count(),
            ),
        ),
    ),
    Entry(
        "apitoken-detail",
        "api",
        url("apitoken-detail", lambda mx, r, s: mx.token(r, s).pk),
        (
            Check("get", own_token(200)),
            Check(
                "delete", everyone(405), state=lambda mx, r, s: ApiToken.objects.filter(pk=mx.token(r, s).pk).exists()
            ),
        ),
        scoped=True,
    ),
    Entry(
        "apitoken-revoke",
        "api",
        url("apitoken-revoke", lambda mx, r, s: mx.token(r, s).pk),
        (Check("post", own_token(200), state=token_revoked),),
        scoped=True,
    ),
    Entry(
        "auditlog-list",
        "api",
        url("auditlog-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AUDIT_VIEWERS))
            ),
            Check(
                "post",
                everyone(405),
                state=lambda mx, r, s: AuditLogEntry.objects.count(),
                data=lambda mx, r, s: {"object_repr": "forged", "action": "create", "object_id": "1"},
            ),
        ),
    ),
    Entry(
        "auditlog-detail",
        "api",
        url("auditlog-detail", lambda mx, r, s: mx.audit[s].pk),
        (
            Check("get", internal_read(AUDIT_VIEWERS)),
            Check("put", everyone(405), data=lambda mx, r, s: {"object_repr": "forged"}, state=audit_entry),
            Check("patch", everyone(405), data=lambda mx, r, s: {"object_repr": "forged"}, state=audit_entry),
            Check("delete", everyone(405), state=audit_entry),
        ),
        scoped=True,
    ),
    Entry(
        "calendarday-list",
        "api",
        url("calendarday-list"),
        (
            Check("get", everyone(200)),
            Check(
                "post",
                only((), 201),
                state=lambda mx, r, s: CalendarDay.objects.count(),
                data=lambda mx, r, s: {"date": "2026-03-10", "kind": "day_off", "name": "Nghỉ bù"},
            ),
        ),
    ),
    Entry(
        "calendarday-detail",
        "api",
        url("calendarday-detail", lambda mx, r, s: mx.day.pk),
        (
            Check("get", everyone(200)),
            Check("delete", only((), 204), state=lambda mx, r, s: CalendarDay.objects.filter(pk=mx.day.pk).exists()),
        ),
    ),
    Entry(
        "calendar-add-working-time",
        "api",
        url("calendar-add-working-time"),
        (Check("post", everyone(200), data=lambda mx, r, s: {"start": "2026-03-10T08:00:00+07:00", "days": "1"}),),
    ),
    Entry(
        "calendar-working-time-between",
        "api",
        url("calendar-working-time-between"),
        (
            Check(
                "post",
                everyone(200),
                data=lambda mx, r, s: {"start": "2026-03-10T08:00:00+07:00", "end": "2026-03-11T08:00:00+07:00"},
            ),
        ),
    ),
    # --- processes (pages) -----------------------------------------------------------------------------
    Entry(
        "processes:process_list",
        "page",
        url("processes:process_list"),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {
                    mx.process["own"].code: r in AGENCY_ROLES or r == "admin",
                    mx.process["sibling"].code: False,
                    mx.process["foreign"].code: False,
                },
            ),
        ),
    ),
    Entry(
        "processes:bootstrap",
        "page",
        url("processes:bootstrap"),
        (
            Check("get", only(EDITORS, 200)),
            Check(
                "post",
                only(EDITORS, 302),
                state=lambda mx, r, s: Document.objects.filter(agency=mx.agency["own"]).count(),
            ),
        ),
    ),
    Entry(
        "processes:process_detail",
        "page",
        url("processes:process_detail", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "processes:process_edit",
        "page",
        url("processes:process_edit", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_write(EDITORS, 200)),),
        scoped=True,
    ),
    Entry(
        "processes:process_steps",
        "page",
        url("processes:process_steps", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_write(EDITORS, 200)),),
        scoped=True,
    ),
    Entry("processes:process_form_upload", "page",
          url("processes:process_form_upload", lambda mx, r, s: mx.process[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"code": "BM.09", "title": "Mẫu",
                                                                         "file": pdf_upload()},
              state=lambda mx, r, s: mx.process[s].forms.filter(code="BM.09").exists()),
    ), scoped=True),
    Entry(
        "processes:process_transition",
        "page",
        url("processes:process_transition", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 302),
                data=lambda mx, r, s: {"action": "submit", "comment": ""},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "processes:process_docx",
        "page",
        url("processes:process_docx", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "processes:process_pdf",
        "page",
        url("processes:process_pdf", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
    ),
    Entry(
        "processes:process_flowchart",
        "page",
        url("processes:process_flowchart", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    # --- public posting (no login) ----------------------------------------------------------------------
    Entry(
        "portal:index",
        "page",
        url("portal:index"),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {mx.agency["own"].name: True, mx.agency["foreign"].name: False},
            ),
        ),
        anonymous=200,
    ),
    Entry(
        "portal:agency",
        "page",
        url("portal:agency", lambda mx, r, s: mx.agency[s].code),
        (
            Check(
                "get",
                everyone(200),
                shows=lambda mx, r, s: {
                    mx.published.title: s == "own",
                    mx.process["own"].title: False,
                    mx.process["sibling"].title: False,
                },
            ),
        ),
        scoped=True,
        anonymous=200,
    ),
    Entry(
        "portal:process",
        "page",
        lambda mx, r, s: reverse("portal:process", args=[mx.agency[s].code, public_process_path(mx, s)]),
        (Check("get", lambda r, s: 200 if s == "own" else 404),),
        scoped=True,
        anonymous=200,
    ),
    Entry(
        "portal:form",
        "page",
        lambda mx, r, s: reverse("portal:form", args=[mx.agency["own"].code, mx.published.pk, public_form_path(mx, s)]),
        (Check("get", everyone(404)),),
        anonymous=404,
    ),
    # --- processes and documents (API) ------------------------------------------------------------------
    Entry(
        "process-list",
        "api",
        url("process-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.process[s].pk), internal_read(AGENCY_ROLES))
            ),
        ),
    ),
    Entry(
        "process-detail",
        "api",
        url("process-detail", lambda mx, r, s: mx.process[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check(
                "patch",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {"fees": f"Phí {r}"},
                state=lambda mx, r, s: Process.objects.get(pk=mx.process[s].pk).fees,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-steps",
        "api",
        url("process-steps", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "put",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {"steps": [{**STEP, "action": f"Bước {r}"}]},
                state=lambda mx, r, s: list(mx.process[s].steps.values_list("action", flat=True)),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-problems",
        "api",
        url("process-problems", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "process-submit",
        "api",
        url("process-submit", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 200),
                data=lambda mx, r, s: {},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-review",
        "api",
        url("process-review", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 400),
                data=lambda mx, r, s: {},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-return",
        "api",
        url("process-return", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 400),
                data=lambda mx, r, s: {"comment": "x"},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-approve",
        "api",
        url("process-approve", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write({"agency_head"}, 400),
                data=lambda mx, r, s: {},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-publish",
        "api",
        url("process-publish", lambda mx, r, s: mx.process[s].pk),
        (
            Check(
                "post",
                internal_write(EDITORS, 400),
                data=lambda mx, r, s: {},
                state=lambda mx, r, s: revision_status(mx.process[s]),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "process-docx",
        "api",
        url("process-docx", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "process-pdf",
        "api",
        url("process-pdf", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
    ),
    Entry(
        "process-flowchart",
        "api",
        url("process-flowchart", lambda mx, r, s: mx.process[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "process-bootstrap",
        "api",
        url("process-bootstrap"),
        (
            Check(
                "post",
                only(EDITORS, 201),
                data=lambda mx, r, s: {"agency": str(mx.agency["own"].pk)},
                state=lambda mx, r, s: Document.objects.filter(agency=mx.agency["own"]).count(),
            ),
        ),
    ),
    Entry(
        "document-list",
        "api",
        url("document-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: str(mx.process[s].document_id), internal_read(AGENCY_ROLES)),
            ),
        ),
    ),
    Entry(
        "document-detail",
        "api",
        url("document-detail", lambda mx, r, s: mx.process[s].document_id),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    # --- national catalogue (global reference data; imports for administrators) -----------------------
    Entry("catalog:procedure_list", "page", url("catalog:procedure_list"), PAGE_EVERYONE_200),
    Entry("catalog:procedure_detail", "page", url("catalog:procedure_detail", lambda mx, r, s: procedure(mx).pk),
          PAGE_EVERYONE_200),
    Entry("catalog:import_list", "page", url("catalog:import_list"), (Check("get", only((), 200)),)),
    Entry("catalog:import_add", "page", url("catalog:import_add"), (Check("get", only((), 200)),)),
    Entry("catalog:import_detail", "page", url("catalog:import_detail", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    Entry("catalog:import_progress", "page", url("catalog:import_progress", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    Entry("procedure-list", "api", url("procedure-list"), (
        Check("get", everyone(200)),
        Check("post", everyone(405), data=lambda mx, r, s: {"code": "9.999999", "name": "X"}),
    )),
    Entry("procedure-detail", "api", url("procedure-detail", lambda mx, r, s: procedure(mx).pk), (
        Check("get", everyone(200)),
        Check("delete", everyone(405), state=lambda mx, r, s: Procedure.objects.count()),
    )),
    Entry("procedurecase-list", "api", url("procedurecase-list"), (Check("get", everyone(200)),)),
    Entry("procedurecase-detail", "api", url("procedurecase-detail", lambda mx, r, s: procedure_case(mx).pk),
          (Check("get", everyone(200)),)),
    Entry("field-list", "api", url("field-list"), (Check("get", everyone(200)),)),
    Entry("field-detail", "api", url("field-detail", lambda mx, r, s: procedure(mx).field_id),
          (Check("get", everyone(200)),)),
    Entry("importrun-list", "api", url("importrun-list"), (Check("get", only((), 200)),)),
    Entry("importrun-detail", "api", url("importrun-detail", lambda mx, r, s: import_run(mx).pk),
          (Check("get", only((), 200)),)),
    # --- controlled documents (pages) -------------------------------------------------------------------
    Entry("documents:document_list", "page", url("documents:document_list"), (
        Check("get", everyone(200), shows=lambda mx, r, s: {
            mx.framework_doc["sibling"].title: False,
            mx.framework_doc["foreign"].title: False}),
    )),
    Entry("documents:document_detail", "page",
          url("documents:document_detail", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("get", internal_read(AGENCY_ROLES)),
    ), scoped=True),
    Entry("documents:document_transition", "page",
          url("documents:document_transition", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"action": "submit"},
              state=lambda mx, r, s: mx.framework_doc[s].revisions.get().status),
    ), scoped=True),
    Entry("documents:to_read", "page", url("documents:to_read"), (Check("get", everyone(200)),)),
    Entry("documents:review_due", "page", url("documents:review_due"), (
        Check("get", only(MANAGERS, 200)),
    )),
    Entry("documents:distribute", "page", url("documents:distribute", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"everyone": "on"}),
    ), scoped=True),
    Entry("documents:review_confirm", "page",
          url("documents:review_confirm", lambda mx, r, s: mx.recipient[s].revision.document_id), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"comment": "Còn phù hợp"},
              state=lambda mx, r, s: Document.objects.get(pk=mx.recipient[s].revision.document_id).last_reviewed_on),
    ), scoped=True),
    Entry("documents:revision_summary", "page",
          url("documents:revision_summary", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"change_summary": f"Sửa bởi {r}"},
              state=lambda mx, r, s: mx.framework_doc[s].revisions.get().change_summary),
    ), scoped=True),
    Entry("documents:attachment_add", "page",
          url("documents:attachment_add", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"file": _pdf(f"{r}.pdf")},
              state=lambda mx, r, s: Attachment.objects.filter(revision__document=mx.framework_doc[s]).count()),
    ), scoped=True),
    Entry("documents:attachment_download", "page",
          url("documents:attachment_download", lambda mx, r, s: mx.attachment[s].pk), (
        Check("get", internal_read(AGENCY_ROLES)),
    ), scoped=True),
    Entry("documents:attachment_remove", "page",
          url("documents:attachment_remove", lambda mx, r, s: mx.attachment[s].pk), (
        Check("post", internal_write(EDITORS, 302),
              state=lambda mx, r, s: Attachment.objects.filter(pk=mx.attachment[s].pk).exists()),
    ), scoped=True),
    Entry("documents:acknowledge", "page", url("documents:acknowledge", lambda mx, r, s: mx.recipient[s].pk), (
        # only the recipient (a person outside the tested roles) confirms: the others may at most see the row
        Check("post", lambda role, scope: 404 if internal_read(RECIPIENT_VIEWERS)(role, scope) == 404 else 403,
              state=lambda mx, r, s: RevisionRecipient.objects.get(pk=mx.recipient[s].pk).acknowledged_at),
    ), scoped=True),
    # --- legal register and update tasks (the 3-month rule) ------------------------------------------------
    Entry("legal:legaldocument_list", "page", url("legal:legaldocument_list"), (Check("get", everyone(200)),)),
    Entry("legal:legaldocument_add", "page", url("legal:legaldocument_add"), (
        Check("get", only(("supervisor",), 200)),
        Check("post", only(("supervisor",), 302), data=lambda mx, r, s: {"number": "09/2026/TT-BTP"},
              state=lambda mx, r, s: LegalDocument.objects.filter(number="09/2026/TT-BTP").exists()),
    )),
    Entry("legal:legaldocument_detail", "page", url("legal:legaldocument_detail", lambda mx, r, s: mx.legal.pk),
          (Check("get", everyone(200)),)),
    Entry("legal:document_bases", "page", url("legal:document_bases", lambda mx, r, s: mx.framework_doc[s].pk), (
        Check("post", internal_write(EDITORS, 302), data=lambda mx, r, s: {"number": "05/2026/TT-BTP"},
              state=lambda mx, r, s: mx.legal.documents.filter(pk=mx.framework_doc[s].pk).exists()),
    ), scoped=True),
    Entry("legal:updatetask_list", "page", url("legal:updatetask_list"), (
        Check("get", everyone(200),
              shows=each_scope(lambda mx, s: f"Quy trình QT-{s}", internal_read(AGENCY_ROLES))),
    )),
    Entry("legal:updatetask_detail", "page",
          url("legal:updatetask_detail", lambda mx, r, s: mx.update_task[s].pk),
          (Check("get", internal_read(AGENCY_ROLES)),), scoped=True),
    Entry("legal:updatetask_dismiss", "page",
          url("legal:updatetask_dismiss", lambda mx, r, s: mx.update_task[s].pk), (
        Check("post", internal_write(MANAGERS, 302), data=lambda mx, r, s: {"justification": "Không ảnh hưởng"},
              state=lambda mx, r, s: UpdateTask.objects.get(pk=mx.update_task[s].pk).status),
    ), scoped=True),
    Entry("legaldocument-list", "api", url("legaldocument-list"), (
        Check("get", everyone(200)),
        Check("post", only(("supervisor",), 201), data=lambda mx, r, s: {"number": "09/2026/TT-BTP"},
              state=lambda mx, r, s: LegalDocument.objects.filter(number="09/2026/TT-BTP").exists()),
    )),
    Entry("legaldocument-detail", "api", url("legaldocument-detail", lambda mx, r, s: mx.legal.pk),
          (Check("get", everyone(200)),)),
    Entry("updatetask-list", "api", url("updatetask-list"), (
        Check("get", everyone(200),
              shows=each_scope(lambda mx, s: str(mx.update_task[s].pk), internal_read(AGENCY_ROLES))),
    )),
    Entry("updatetask-detail", "api", url("updatetask-detail", lambda mx, r, s: mx.update_task[s].pk),
          (Check("get", internal_read(AGENCY_ROLES)),), scoped=True),
    Entry("updatetask-dismiss", "api", url("updatetask-dismiss", lambda mx, r, s: mx.update_task[s].pk), (
        Check("post", internal_write(MANAGERS, 200), data=lambda mx, r, s: {"justification": "Không ảnh hưởng"},
              state=lambda mx, r, s: UpdateTask.objects.get(pk=mx.update_task[s].pk).status),
    ), scoped=True),
    Entry(
        "api-schema",
        "api",
        url("api-schema"),
        (Check("get", everyone(200)),),
        anonymous=200 if SCHEMA_IS_PUBLIC else 401,
    ),
    Entry(
        "api-docs", "api", url("api-docs"), (Check("get", everyone(200)),), anonymous=200 if SCHEMA_IS_PUBLIC else 401
    ),
    Entry(
        "api-redoc", "api", url("api-redoc"), (Check("get", everyone(200)),), anonymous=200 if SCHEMA_IS_PUBLIC else 401
    ),
]

# URL patterns that are not endpoints of eISO's own (framework plumbing with no data).
NOT_IN_MATRIX = {"javascript-catalog"}


# --- Enumerating the URL configuration --------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            yield route, (f"{namespace}{p.name}" if p.name else route)


def _is_format_suffix_duplicate(route: str) -> bool:
    return "(?P<format>" in route or "<drf_format_suffix:format>" in route


def url_pattern_names() -> set[str]:
    names = set()
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("django-admin/", "static/", "jsi18n/")) or _is_format_suffix_duplicate(route):
            continue
        names.add(name)
    return names - NOT_IN_MATRIX


def test_every_url_pattern_has_a_matrix_entry():
    # given every named pattern of eiso.urls
    names = url_pattern_names()
    # then each one has a row in the matrix: a new endpoint must say who may use it
    missing = sorted(names - {e.name for e in MATRIX})
    assert not missing, f"URL patterns without a permission-matrix entry: {missing}"


def test_every_matrix_entry_names_a_url_pattern():
    stale = sorted({e.name for e in MATRIX} - url_pattern_names())
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"
    assert len({e.name for e in MATRIX}) == len(MATRIX), "one matrix entry per URL pattern"


# --- Running a check ----------------------------------------------------------------------------------


_HANDLERS: dict = {}


def client_for(mx: Matrix | None, kind: str, role: str | None):
    client = APIClient() if kind == "api" else Client()
    # A new client loads the middleware chain again, and WhiteNoise then indexes every static file
    # (~25 ms): one handler per kind for the whole module keeps the matrix fast. Clients sign in
    # with sessions (force_login), so the shared handler holds no user.
    client.handler = _HANDLERS.setdefault(kind, client.handler)
    client.raise_request_exception = False  # a crash is a 500 in the matrix, not an error of the test
    if role is not None:
        client.force_login(mx.users[role])
        if role == "admin":  # the administrator works in `own`, chosen with the switcher
            session = client.session
            session[SESSION_KEY] = str(mx.agency["own"].pk)
            session.save()
    return client


def send(client, kind: str, method: str, path: str, data: dict | None):
    if method == "get":
        return client.get(path)
    call = getattr(client, method)
    if kind == "api":
        return call(path, data or {}, format="json")
    return call(path, data or {})


def has_error_format(response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and set(body) == ERROR_KEYS and isinstance(body["errors"], dict)


def assert_api_error_format(response, context: str):
    body = response.json()
    assert set(body) == ERROR_KEYS, f"{context}: error body {body} is not {{message, code, errors}}"
    assert isinstance(body["errors"], dict), context


def check_cell(mx: Matrix, entry: Entry, role: str, scope: str) -> list[str]:
    """Run the entry's checks in order as `role` on the scope's objects; return every mismatch."""
    failures = []
    client = client_for(mx, entry.kind, role)
    for check in entry.checks:
        # given
        path = entry.path(mx, role, scope) + check.query
        before = check.state(mx, role, scope) if check.state else None
        # when
        response = send(client, entry.kind, check.method, path, check.data(mx, role, scope) if check.data else None)
        # then
        expected = check.expect(role, scope)
        context = f"{role} {check.method.upper()} {path} [{scope}]"
        if response.status_code != expected:
            failures.append(f"{context}: got {response.status_code}, expected {expected}")
        elif entry.kind == "api" and 400 <= expected < 500 and not has_error_format(response):
            failures.append(f"{context}: error body {response.content[:200]!r} is not {{message, code, errors}}")
        if check.state:
            after = check.state(mx, role, scope)
            if expected >= 400 and after != before:
                failures.append(f"{context}: refused ({expected}) but changed {before!r} -> {after!r}")
            if expected < 400 and response.status_code == expected and after == before:
                failures.append(f"{context}: allowed ({expected}) but changed nothing ({before!r})")
        if check.shows and expected == 200 and response.status_code == 200:
            body = response.content.decode()
            for marker, present in check.shows(mx, role, scope).items():
                if present and marker not in body:
                    failures.append(f"{context}: should show {marker!r}")
                if not present and marker in body:
                    failures.append(f"{context}: leaks {marker!r}")
    return failures


@contextmanager
def rolled_back():
    """Each role starts from the same world: what one role's requests wrote is undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


SCOPED_CASES = [
    pytest.param(e, role, scope, id=f"{e.id}-{role}-{scope}")
    for e in MATRIX
    if e.scoped
    for role in ROLES
    for scope in SCOPES
]


@pytest.mark.parametrize(("entry", "role", "scope"), SCOPED_CASES)
def test_matrix_by_role_and_scope(mx, entry, role, scope):
    failures = check_cell(mx, entry, role, scope)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in MATRIX if not e.scoped])
def test_matrix_every_role(mx, entry):
    """Endpoints without an object in a scope: every role, each from the same world."""
    failures = []
    for role in ROLES:
        with rolled_back():
            failures += check_cell(mx, entry, role, "own")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in MATRIX])
def test_matrix_anonymous(mx, entry):
    for check in entry.checks:
        # given an anonymous visitor
        client = client_for(mx, entry.kind, None)
        path = entry.path(mx, "staff", "own") + check.query
        before = check.state(mx, "staff", "own") if check.state else None
        # when
        response = send(client, entry.kind, check.method, path, check.data(mx, "staff", "own") if check.data else None)
        # then
        context = f"anonymous {check.method.upper()} {path}"
        if entry.anonymous is not None:
            assert response.status_code == entry.anonymous, f"{context}: got {response.status_code}"
        elif entry.kind == "page":
            assert response.status_code == 302, f"{context}: got {response.status_code}"
            assert response["Location"].startswith(LOGIN_URL), f"{context}: redirects to {response['Location']}"
        else:
            assert response.status_code == 401, f"{context}: got {response.status_code}"
            assert_api_error_format(response, context)
            assert response.json()["code"] == "not_authenticated", context
            assert response["WWW-Authenticate"].startswith("Bearer"), context
        if check.state:
            assert check.state(mx, "staff", "own") == before, f"{context}: changed data"


# --- Lists, counts and search never leak --------------------------------------------------------------

ROW = re.compile(r'<tr[^>]*class="(?:even|odd)')
COUNT = re.compile(r'<p class="count">(\d+)')


def page_rows(response) -> int:
    """Rows of the django-tables2 table of a list page."""
    assert response.status_code == 200
    return len(ROW.findall(response.content.decode()))


def displayed_count(response) -> int:
    """The "N results" line above a list page's table."""
    shown = COUNT.search(response.content.decode())
    assert shown, "the list page shows how many results it found"
    return int(shown.group(1))


def visible_agencies(mx, role) -> set:
    if role == "admin":
        return set(Agency.objects.values_list("pk", flat=True))
    return {mx.world.own.pk, mx.world.sibling.pk, mx.world.dost.pk}


@pytest.mark.parametrize("role", ROLES)
def test_agency_directory_list_count_and_search_exclude_the_other_province(mx, role):
    # given
    page, api = client_for(mx, "page", role), client_for(mx, "api", role)
    foreign = mx.world.foreign
    expected_ids = {str(pk) for pk in visible_agencies(mx, role)}
    sees_foreign = role == "admin"
    # when / then: the page list and its count
    response = page.get(reverse("organizations:agency_list"))
    assert page_rows(response) == displayed_count(response) == len(expected_ids)
    assert (foreign.name in response.content.decode()) is sees_foreign
    # the page search by the foreign agency's exact name (the search box echoes the name: look for the link)
    response = page.get(reverse("organizations:agency_list"), {"q": foreign.name})
    assert page_rows(response) == displayed_count(response) == (1 if sees_foreign else 0)
    assert (foreign.get_absolute_url() in response.content.decode()) is sees_foreign
    # the API list, its count and its search
    body = api.get(reverse("agency-list")).json()
    assert {row["id"] for row in body["results"]} == expected_ids
    assert body["count"] == len(expected_ids)
    body = api.get(reverse("agency-list"), {"q": foreign.name}).json()
    assert body["count"] == (1 if sees_foreign else 0)
    # filtering on the other province finds nothing outside the scope
    body = api.get(reverse("agency-list"), {"province": mx.world.other_province.pk}).json()
    assert body["count"] == (1 if sees_foreign else 0)
    # the sibling agency is found by everyone of the province
    assert api.get(reverse("agency-list"), {"q": mx.world.sibling.name}).json()["count"] == 1
    # the live search (htmx asks for the table alone) filters the same way
    response = page.get(reverse("organizations:agency_list"), {"q": foreign.name}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert page_rows(response) == (1 if sees_foreign else 0)


API_LISTS = [
    # (id, list URL name, marker of the scope's row, policy, agency of a row or None)
    ("org-units", "orgunit-list", lambda mx, s: str(mx.unit[s].pk), internal_read(AGENCY_ROLES), "agency"),
    ("qms", "qms-list", lambda mx, s: str(mx.qms[s].pk), internal_read(AGENCY_ROLES), "agency"),
    (
        "role-assignments",
        "roleassignment-list",
        lambda mx, s: str(mx.assignment[s].pk),
        internal_read(PEOPLE_VIEWERS),
        "agency",
    ),
    ("audit-log", "auditlog-list", lambda mx, s: mx.audit[s].pk, internal_read(AUDIT_VIEWERS), "agency"),
    ("users", "user-list", lambda mx, s: mx.person[s].pk, internal_read(PEOPLE_VIEWERS), None),
]


def allowed_row_agencies(mx, role, policy) -> set[str]:
    """Agencies whose rows the role may get in a list, from the same policy as the detail views."""
    if role == "admin":  # and rows of no agency (the audit trail of national reference data: legal register)
        return {str(pk) for pk in Agency.objects.values_list("pk", flat=True)} | {None}
    if role == "supervisor":
        return {str(a.pk) for a in (mx.world.own, mx.world.sibling, mx.world.dost)}
    return {str(mx.world.own.pk)} if policy(role, "own") == 200 else set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "list_url", "marker", "policy", "agency_key"), [pytest.param(*row, id=row[0]) for row in API_LISTS]
)
def test_api_lists_hold_exactly_the_rows_in_scope(mx, role, name, list_url, marker, policy, agency_key):
    # given
    client = client_for(mx, "api", role)
    # when
    body = client.get(reverse(list_url), {"page_size": 500}).json()
    ids = {row["id"] for row in body["results"]}
    # then: the scope rows the role may see, and only those
    for scope in SCOPES:
        assert (marker(mx, scope) in ids) is (policy(role, scope) == 200), f"{name} {role}: row of {scope}"
    # the count is the count of what is returned, never of what exists
    assert body["count"] == len(body["results"])
    if agency_key:
        rows_agencies = {row[agency_key] for row in body["results"]}
        assert rows_agencies <= allowed_row_agencies(mx, role, policy), f"{name} {role}: rows of other agencies"
        # filtering on the foreign agency returns nothing unless the role may see it
        foreign = client.get(reverse(list_url), {"agency": str(mx.world.foreign.pk)}).json()
        assert (foreign["count"] >= 1) if role == "admin" else (foreign["count"] == 0)


@pytest.mark.parametrize("role", ROLES)
def test_org_unit_page_search_never_finds_units_outside_the_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    for scope in ("sibling", "foreign"):
        # when searching for the other agency's unit by name
        response = client.get(reverse("organizations:orgunit_list"), {"q": mx.unit[scope].name})
        # then (the page lists the current agency's units; the admin's current agency is `own`)
        assert response.status_code == 200
        assert page_rows(response) == 0
        assert mx.unit[scope].get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_audit_page_counts_only_entries_in_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    policy = internal_read(AUDIT_VIEWERS)
    visible = [mx.agency[s] for s in SCOPES if policy(role, s) == 200]
    expected = (
        AuditLogEntry.objects.count() if role == "admin" else AuditLogEntry.objects.filter(agency__in=visible).count()
    )
    # when
    every = client.get(reverse("core:auditlog_list"), {"all": "1"})
    searched = client.get(reverse("core:auditlog_list"), {"all": "1", "object_repr": mx.unit["foreign"].name})
    # then
    assert page_rows(every) == displayed_count(every) == expected
    assert page_rows(searched) == displayed_count(searched) == (1 if role == "admin" else 0)
    assert (mx.world.foreign.name in every.content.decode()) is (role == "admin")


@pytest.mark.parametrize("role", ["admin", "supervisor", "agency_head", "iso_coordinator"])
def test_people_page_search_never_finds_people_outside_the_scope(mx, role):
    # given
    client = client_for(mx, "page", role)
    policy = internal_read(PEOPLE_VIEWERS)
    for scope in SCOPES:
        # when
        response = client.get(reverse("accounts:user_list"), {"q": mx.person[scope].username})
        # then
        visible = policy(role, scope) == 200
        assert page_rows(response) == (1 if visible else 0), scope
        assert (user_url(mx, scope) in response.content.decode()) is visible, scope


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_no_page_shows_anything_outside_the_scope(mx, role):
    # given the pages a signed-in user can reach, on their own and on the sibling agency
    client = client_for(mx, "page", role)
    pages = [
        reverse("core:home"),
        reverse("core:auditlog_list") + "?all=1",
        reverse("accounts:token_list"),
        reverse("organizations:agency_list"),
        reverse("organizations:orgunit_list"),
        reverse("calendars:calendar"),
        reverse("calendars:deadline"),
        mx.world.own.get_absolute_url(),
        mx.world.sibling.get_absolute_url(),
        mx.unit["own"].get_absolute_url(),
        reverse("organizations:adminunit_detail", args=[mx.world.foreign.admin_unit_id]),
        reverse("accounts:user_list"),
        reverse("accounts:user_detail", args=[mx.person["own"].pk]),
    ]
    markers = outside_markers(mx, role) | {"foreign person's token": mx.token(role, "foreign").name}
    for page in pages:
        # when
        response = client.get(page)
        # then
        assert response.status_code in (200, 403, 404), page
        body = response.content.decode()
        leaked = [label for label, text in markers.items() if text in body]
        assert not leaked, f"{page} shows {leaked}"


# --- Writes with rules of their own ---------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["sibling", "foreign"])
def test_coordinator_cannot_assign_a_role_in_another_agency_api(mx, scope):
    # given
    client = client_for(mx, "api", "iso_coordinator")
    before = RoleAssignment.objects.count()
    # when
    response = client.post(
        reverse("roleassignment-list"),
        {"user": mx.newcomer.pk, "agency": str(mx.agency[scope].pk), "role": "staff"},
        format="json",
    )
    # then
    assert response.status_code == 403
    assert_api_error_format(response, scope)
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("scope", ["sibling", "foreign"])
def test_coordinator_cannot_assign_a_role_in_another_agency_page(mx, scope):
    # given: the form offers only the agencies the coordinator manages
    client = client_for(mx, "page", "iso_coordinator")
    before = RoleAssignment.objects.count()
    # when
    response = client.post(
        reverse("accounts:role_add"), {"user": "newcomer", "agency": str(mx.agency[scope].pk), "role": "staff"}
    )
    # then: the form is shown again with an error on the agency, and nothing is created
    assert response.status_code == 200
    assert response.context["form"].errors.get("agency")
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator"])
def test_agency_managers_cannot_grant_supervisor(mx, role):
    # given
    api, page = client_for(mx, "api", role), client_for(mx, "page", role)
    before = RoleAssignment.objects.count()
    own = str(mx.world.own.pk)
    # when
    api_response = api.post(
        reverse("roleassignment-list"), {"user": mx.newcomer.pk, "agency": own, "role": "supervisor"}, format="json"
    )
    page_response = page.post(reverse("accounts:role_add"), {"user": "newcomer", "agency": own, "role": "supervisor"})
    # then
    assert api_response.status_code == 403
    assert page_response.status_code == 200
    assert page_response.context["form"].errors.get("role")
    assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_creating_an_org_unit_in_an_invisible_agency_looks_like_an_unknown_agency(mx, role):
    # given
    client = client_for(mx, "api", role)
    before = OrgUnit.objects.count()
    # when
    foreign = client.post(reverse("orgunit-list"), {"name": "X", "agency": str(mx.world.foreign.pk)}, format="json")
    unknown = client.post(reverse("orgunit-list"), {"name": "X", "agency": str(uuid.uuid4())}, format="json")
    # then: no oracle on which agencies exist elsewhere
    assert (foreign.status_code, foreign.json()) == (unknown.status_code, unknown.json())
    assert foreign.status_code == 400
    assert OrgUnit.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_token_lists_hold_only_the_users_own_tokens(mx, role):
    # given a second token of the user, and tokens of other people
    client = client_for(mx, "api", role)
    extra, _raw = api_token_create(user=mx.users[role], name="second")
    mine = {str(mx.tokens[mx.users[role].pk].pk), str(extra.pk)}
    # when
    body = client.get(reverse("apitoken-list")).json()
    # then
    assert {row["id"] for row in body["results"]} == mine
    assert body["count"] == 2


@pytest.mark.parametrize("role", ["supervisor", "agency_head"])
def test_list_pages_display_the_count_of_what_they_list(mx, role):
    # given list pages that hold rows for this role
    client = client_for(mx, "page", role)
    pages = [
        reverse("organizations:agency_list"),
        reverse("core:auditlog_list") + "?all=1",
        reverse("accounts:user_list"),
        reverse("organizations:adminunit_list"),
    ]
    for page in pages:
        # when
        response = client.get(page)
        # then the "N results" line counts the rows of the scope (never more, never 0 for a full list)
        assert displayed_count(response) == page_rows(response) > 0, page


def outside_markers(mx: Matrix, role: str) -> dict[str, str]:
    """Text that must never reach `role`: everything of the other province and, except for the
    supervisor, the sibling agency's internals (its directory entry is public to the province)."""
    markers = {
        "foreign agency name": mx.world.foreign.name,
        "foreign agency id": str(mx.world.foreign.pk),
        "foreign unit name": mx.unit["foreign"].name,
        "foreign unit id": str(mx.unit["foreign"].pk),
        "foreign QMS": mx.qms["foreign"].name,
        "foreign person": mx.person["foreign"].username,
        "foreign person's name": mx.person["foreign"].full_name,
    }
    if role != "supervisor":
        markers |= {
            "sibling unit id": str(mx.unit["sibling"].pk),
            "sibling QMS": mx.qms["sibling"].name,
            "sibling person's name": mx.person["sibling"].full_name,
        }
    return markers


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_browsable_api_never_shows_objects_outside_the_scope(mx, role):
    # given the HTML rendering (DRF's browsable API, with its forms and filter forms) of every API
    # endpoint that answers GET, on the role's own objects
    client = client_for(mx, "api", role)
    markers = outside_markers(mx, role)
    leaks = {}
    for entry in MATRIX:
        if entry.kind != "api" or entry.anonymous is not None or not any(c.method == "get" for c in entry.checks):
            continue
        path = entry.path(mx, role, "own")
        # when
        response = client.get(path, HTTP_ACCEPT="text/html")
        # then
        body = response.content.decode()
        found = [label for label, text in markers.items() if text in body]
        if found:
            leaks[path] = found
    assert not leaks, f"the browsable API shows {role} objects outside the scope: {leaks}"


def test_supervisor_cannot_move_an_agency_out_of_the_province(mx):
    # given a supervisor, who may change the agencies of the province
    client = client_for(mx, "api", "supervisor")
    own = mx.world.own
    # when moving one to a commune of another province
    response = client.patch(
        reverse("agency-detail", args=[own.pk]), {"admin_unit": mx.commune["foreign"].pk}, format="json"
    )
    # then the write is refused and nothing moved
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.province_id == mx.world.province.pk


@pytest.mark.parametrize("role", sorted(EDITORS))
def test_org_unit_cannot_be_moved_under_another_agencys_unit(mx, role):
    # given
    client = client_for(mx, "api", role)
    unit = mx.unit["own"]
    # when
    response = client.patch(
        reverse("orgunit-detail", args=[unit.pk]), {"parent": str(mx.unit["sibling"].pk)}, format="json"
    )
    # then
    assert response.status_code == 400
    assert OrgUnit.objects.get(pk=unit.pk).parent_id is None


@pytest.mark.parametrize("role", ["supervisor", "staff"])
def test_a_personal_token_carries_the_same_scope_as_a_session(mx, role):
    # given an API client authenticated by the role's personal token, not by a session
    _token, raw = api_token_create(user=mx.users[role], name="integration")
    client = APIClient()
    client.handler = _HANDLERS.setdefault("api", client.handler)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    policy = internal_read(AGENCY_ROLES)
    for scope in SCOPES:
        # when
        unit = client.get(reverse("orgunit-detail", args=[mx.unit[scope].pk]))
        agency = client.get(reverse("agency-detail", args=[mx.agency[scope].pk]))
        # then
        assert unit.status_code == policy(role, scope), scope
        assert agency.status_code == directory(role, scope), scope
    listed = {row["id"] for row in client.get(reverse("orgunit-list")).json()["results"]}
    assert listed == {str(mx.unit[s].pk) for s in SCOPES if policy(role, s) == 200}
    # a write through the token is refused like through a session, and changes nothing
    response = client.patch(reverse("orgunit-detail", args=[mx.unit["own"].pk]), {"name": "X"}, format="json")
    assert response.status_code == 403
    assert OrgUnit.objects.get(pk=mx.unit["own"].pk).name == mx.unit["own"].name
