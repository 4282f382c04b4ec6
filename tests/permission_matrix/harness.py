"""The machinery of the permission matrix (the policy itself: this package's docstring).

Roles, scopes and the role groups; `Matrix`, the world extended with one object of each kind per scope
(built by the `mx` fixture in conftest.py); the policies, (role, scope) -> status; `Check` and `Entry`,
the rows of the matrix and the probes they use; the enumeration of eISO's URL patterns; running a check.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from eiso.accounts.models import ApiToken, User
from eiso.calendars.models import CalendarDay
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase
from eiso.core.middleware import SESSION_KEY
from eiso.core.models import AuditLogEntry
from eiso.legal.models import LegalDocument
from eiso.organizations.models import Agency, OrgUnit, RoleAssignment
from eiso.processes.models import Process

ROLES = ("admin", "supervisor", "agency_head", "iso_coordinator", "staff", "auditor", "consultant")
NON_ADMIN_ROLES = ROLES[1:]
SCOPES = ("own", "sibling", "foreign")

AGENCY_ROLES = frozenset({"agency_head", "iso_coordinator", "staff", "auditor", "consultant"})
MANAGERS = frozenset({"agency_head", "iso_coordinator"})  # manage roles, delete internal units
RECIPIENT_VIEWERS = MANAGERS | {"auditor"}  # see who has read a document
EDITORS = MANAGERS | {"consultant"}  # add and change internal units
PEOPLE_VIEWERS = MANAGERS  # + the supervisor of the province + admin (role assignments, people)
AUDIT_VIEWERS = MANAGERS | {"auditor"}  # + the supervisor of the province + admin

SCHEMA_IS_PUBLIC = True  # see the package docstring (__init__.py)

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
    dossier: dict  # scope -> a dossier in progress at that agency's desk (phone ending 0001, 0002, 0003)

    def token(self, role: str, scope: str) -> ApiToken:
        """Token scopes: own = the requester's token; sibling/foreign = a person's of that agency."""
        owner = self.users[role] if scope == "own" else self.person[scope]
        return self.tokens[owner.pk]


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n")


STEP = {"action": "Tiếp nhận hồ sơ", "responsible": "Bộ phận Một cửa", "duration": 4, "duration_unit": "hour"}


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
    """POST an org unit with `agency` = the scope's agency (see the package docstring)."""

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


# URL patterns that are not endpoints of eISO's own (framework plumbing with no data).
NOT_IN_MATRIX = {"javascript-catalog"}


# --- Enumerating the URL configuration --------------------------------------------------------------


def walk_urls(patterns=None, prefix="", namespace=""):
    """(route, name, view callback) of every URL pattern of the configuration (name: the route when unnamed)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk_urls(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            yield route, (f"{namespace}{p.name}" if p.name else route), p.callback


def _is_format_suffix_duplicate(route: str) -> bool:
    return "(?P<format>" in route or "<drf_format_suffix:format>" in route


def url_pattern_names() -> set[str]:
    names = set()
    for route, name, _callback in walk_urls():
        if route.startswith(("django-admin/", "static/", "jsi18n/")) or _is_format_suffix_duplicate(route):
            continue
        names.add(name)
    return names - NOT_IN_MATRIX


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
    if kind == "api":  # JSON, or multipart when a file is sent
        upload = any(hasattr(value, "read") for value in (data or {}).values())
        return call(path, data or {}, format="multipart" if upload else "json")
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


@contextmanager
def fresh_cell(mx: Matrix):
    """One cell of the matrix from the world as the fixture made it: the database writes are rolled back, the objects
    the entries remembered on `mx` during the cell forgotten, the cache (rate limits) cleared."""
    from django.core.cache import cache

    saved = {key: (dict(value) if isinstance(value, dict) else value) for key, value in vars(mx).items()}
    cache.clear()
    try:
        with rolled_back():
            yield
    finally:
        vars(mx).clear()
        vars(mx).update(saved)


# --- The common policy of the QMS records (nonconformities, objectives, risks, audits, reviews, the calendar) ----

QMS_READERS = frozenset({"agency_head", "iso_coordinator", "staff", "auditor"})  # + the supervisor, the admin
QMS_MANAGERS = frozenset({"agency_head", "iso_coordinator"})


def qms_read(role: str, scope: str) -> int:
    """Read by the agency's people but consultants, by the supervisor of its province and the administrator."""
    if role == "admin":
        return 200
    if role == "supervisor":
        return 404 if scope == "foreign" else 200
    return 200 if scope == "own" and role in QMS_READERS else 404


def qms_manage(ok: int, writers=QMS_MANAGERS):
    """Not visible: 404. Visible without the right (supervisor, staff, auditor; the coordinator where only the head
    may act): 403."""

    def policy(role, scope):
        if qms_read(role, scope) == 404:
            return 404
        return ok if role == "admin" or role in writers else 403

    return policy


# --- The supervising authority of a scope's province (oversight rows) ---------------------------------------------


def authority_of(mx, scope: str):
    """The supervising authority (Sở KH&CN) of the scope's province: the world's for own and sibling; for foreign, the
    other province's, created once (by whichever row asks first) and then found by its province."""
    if scope != "foreign":
        return mx.world.dost
    from eiso.organizations.models import SupervisingAuthority
    from tests.factories import AgencyFactory, supervising

    found = SupervisingAuthority.objects.filter(province=mx.world.other_province).select_related("agency").first()
    if found is not None:
        return found.agency
    agency = AgencyFactory(code="MX-DOST-HNI", name="Sở Khoa học và Công nghệ Hà Nội", kind="department",
                           admin_unit=mx.world.other_province)
    supervising(agency)
    return agency
