"""Who may do what where: the single source of tenancy decisions.

`scope_for(user)` reads the user's active role assignments once and caches the result on the user
object (one request = one user object). Every `restrict(user, action)` queryset method, and therefore
every UI view, API endpoint and form choice, decides visibility from this scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor (Department of Science and Technology)")
    NATIONAL_SUPERVISOR = "national_supervisor", _("National supervisor (Ministry of Science and Technology)")
    AGENCY_HEAD = "agency_head", _("Agency head")
    ISO_COORDINATOR = "iso_coordinator", _("ISO coordinator")
    STAFF = "staff", _("Staff")
    AUDITOR = "auditor", _("Internal auditor")
    CONSULTANT = "consultant", _("Consultant")


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    APPROVE = "approve", _("approve")
    MANAGE_ROLES = "manage_roles", _("manage roles")
    HANDLE = "handle", _("receive and process dossiers")


# What each role may do inside the agency (or org unit) it is assigned to. A model may narrow this
# with a `permitted_roles` mapping {action: {roles}} (see AgencyOwnedModel).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.AGENCY_HEAD: frozenset({"view", "add", "change", "delete", "approve", "manage_roles", "handle"}),
    Role.ISO_COORDINATOR: frozenset({"view", "add", "change", "delete", "manage_roles", "handle"}),
    Role.STAFF: frozenset({"view", "handle"}),
    Role.AUDITOR: frozenset({"view"}),
    Role.CONSULTANT: frozenset({"view", "add", "change"}),
    Role.SUPERVISOR: frozenset({"view"}),
    Role.NATIONAL_SUPERVISOR: frozenset({"view"}),
}

# Roles only a system administrator grants.
ADMIN_GRANTED_ROLES = frozenset({Role.SUPERVISOR, Role.NATIONAL_SUPERVISOR})

# The agency's managers of the QMS: they distribute documents and confirm periodic reviews (consultants may
# edit documents, but issuing them to the agency's people and vouching for them is the agency's own act).
AGENCY_MANAGERS = frozenset({Role.AGENCY_HEAD, Role.ISO_COORDINATOR})

# Roles that a manager (head or coordinator) of an agency may grant inside that agency.
ASSIGNABLE_BY_AGENCY_MANAGERS = frozenset(
    {Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR, Role.CONSULTANT}
)


@dataclass(frozen=True)
class Grant:
    role: str
    org_unit_id: object | None  # None: the whole agency
    is_recursive: bool
    read_only: bool = False  # a predecessor's records, seen by its successor's people (mergers)


@dataclass
class Scope:
    """The user's reach. Agency ids are UUIDs; province ids are AdminUnit primary keys.

    `supervised_provinces`: the provinces whose agencies the user reads as a supervisor (every province for a
    national supervisor); `authority_provinces`: those where the user acts as the supervising authority (opens
    reporting periods, inspects, confirms stages). `read_grants`: the predecessors of the user's agencies (merged
    into them), whose records the user reads with the role held in the successor and never changes.
    """

    is_global: bool = False
    grants: dict = field(default_factory=dict)  # agency_id -> list[Grant]
    supervised_provinces: frozenset = frozenset()
    authority_provinces: frozenset = frozenset()
    is_national: bool = False
    home_provinces: frozenset = frozenset()  # provinces of the user's own agencies
    read_grants: dict = field(default_factory=dict)  # predecessor agency_id -> list[Grant] (read_only)
    _org_subtrees: dict = field(default_factory=dict)

    @property
    def agency_ids(self) -> set:
        """The agencies where the user holds a role (not the predecessors read through a merger)."""
        return set(self.grants)

    def roles_in(self, agency_id) -> set[str]:
        return {g.role for g in self.grants.get(agency_id, ())}

    def _all_grants(self, action: str):
        yield from self.grants.items()
        if action == "view":
            yield from self.read_grants.items()

    def agencies_for(self, action: str, permitted_roles: dict | None = None) -> set:
        """Agencies where some role of the user allows `action` (optionally narrowed per model); for "view", also
        the predecessors of the user's agencies."""
        allowed_roles = (permitted_roles or {}).get(action)
        result = set()
        for agency_id, grants in self._all_grants(action):
            for grant in grants:
                if action in ROLE_ACTIONS.get(grant.role, ()) and (
                    allowed_roles is None or grant.role in allowed_roles
                ):
                    result.add(agency_id)
                    break
        return result

    def is_authority_for(self, province_id) -> bool:
        """Whether the user acts as the supervising authority of `province_id` (or is an administrator)."""
        return self.is_global or province_id in self.authority_provinces

    def supervises_for(self, action: str, permitted_roles: dict | None = None) -> bool:
        allowed_roles = (permitted_roles or {}).get(action)
        if not self.supervised_provinces or action not in ROLE_ACTIONS[Role.SUPERVISOR]:
            return False
        return allowed_roles is None or Role.SUPERVISOR in allowed_roles

    def org_unit_limits(self, action: str, permitted_roles: dict | None = None) -> dict:
        """agency_id -> set of org unit ids, for agencies where every grant allowing `action` is
        limited to org units. Agencies with a whole-agency grant are absent (no limit)."""
        allowed_roles = (permitted_roles or {}).get(action)
        limits: dict = {}
        for agency_id, grants in self._all_grants(action):
            relevant = [
                g
                for g in grants
                if action in ROLE_ACTIONS.get(g.role, ())
                and (allowed_roles is None or g.role in allowed_roles)
            ]
            if not relevant or any(g.org_unit_id is None for g in relevant):
                continue
            units: set = set()
            for g in relevant:
                units |= self._subtree(g.org_unit_id) if g.is_recursive else {g.org_unit_id}
            limits[agency_id] = units
        return limits

    def _subtree(self, org_unit_id) -> set:
        if org_unit_id not in self._org_subtrees:
            OrgUnit = apps.get_model("organizations", "OrgUnit")
            self._org_subtrees[org_unit_id] = OrgUnit.objects.subtree_ids(org_unit_id)
        return self._org_subtrees[org_unit_id]


def active_assignments(user, on: dt.date | None = None):
    RoleAssignment = apps.get_model("organizations", "RoleAssignment")
    return RoleAssignment.objects.active(on=on).filter(user=user)


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_eiso_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_global=True)
    else:
        grants: dict = {}
        supervising_agencies = set()
        home_provinces = set()
        is_national = False
        for assignment in active_assignments(user).select_related("agency"):
            grants.setdefault(assignment.agency_id, []).append(
                Grant(assignment.role, assignment.org_unit_id, assignment.is_recursive)
            )
            if assignment.agency.province_id:
                home_provinces.add(assignment.agency.province_id)
            if assignment.role == Role.SUPERVISOR:
                supervising_agencies.add(assignment.agency_id)
            elif assignment.role == Role.NATIONAL_SUPERVISOR:
                is_national = True
        authority = set()
        if supervising_agencies:
            SupervisingAuthority = apps.get_model("organizations", "SupervisingAuthority")
            authority = set(
                SupervisingAuthority.objects.filter(agency_id__in=supervising_agencies).values_list(
                    "province_id", flat=True
                )
            )
        supervised = set(authority)
        if is_national:
            AdminUnit = apps.get_model("organizations", "AdminUnit")
            supervised |= set(AdminUnit.objects.filter(level="province").values_list("pk", flat=True))
        scope = Scope(
            grants=grants,
            supervised_provinces=frozenset(supervised),
            authority_provinces=frozenset(authority),
            is_national=is_national,
            home_provinces=frozenset(home_provinces | supervised),
            read_grants=_predecessor_grants(grants),
        )
    user._eiso_scope = scope
    return scope


def _predecessor_grants(grants: dict) -> dict:
    """The agencies merged into the user's agencies (and, transitively, into those), with the user's whole-agency
    roles of the successor, read-only. Org-unit-limited roles do not carry over: the units were the successor's."""
    if not grants:
        return {}
    Agency = apps.get_model("organizations", "Agency")
    links = Agency.successors.through.objects
    result: dict = {}
    frontier = {agency_id: [g for g in agency_grants if g.org_unit_id is None]
                for agency_id, agency_grants in grants.items()}
    while frontier:
        found: dict = {}
        for predecessor, successor in links.filter(to_agency_id__in=list(frontier)).values_list(
                "from_agency_id", "to_agency_id"):
            if predecessor in grants or predecessor in result:
                continue
            found.setdefault(predecessor, set()).update(
                Grant(g.role, None, True, read_only=True) for g in frontier[successor])
        result.update({agency_id: sorted(found[agency_id], key=lambda g: g.role) for agency_id in found})
        frontier = {agency_id: list(found[agency_id]) for agency_id in found}
    return {agency_id: agency_grants for agency_id, agency_grants in result.items() if agency_grants}


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's assignments changed in this request)."""
    if hasattr(user, "_eiso_scope"):
        del user._eiso_scope


def today() -> dt.date:
    return timezone.localdate()
