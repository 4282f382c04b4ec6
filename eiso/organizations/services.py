"""Writes on territories, agencies, units and roles. Each runs in one transaction and is audited."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import ADMIN_GRANTED_ROLES, ASSIGNABLE_BY_AGENCY_MANAGERS, Role, forget_scope, scope_for
from eiso.core.services import object_create, object_update, validate
from eiso.organizations.choices import AdminUnitLevel
from eiso.organizations.models import (
    QMS,
    TWO_TIER_START,
    AdminUnit,
    AdminUnitName,
    Agency,
    OrgUnit,
    RoleAssignment,
    SupervisingAuthority,
)

# --- Administrative units -------------------------------------------------------------------------

def _division_type(value) -> str:
    return getattr(value, "value", str(value))


@transaction.atomic
def admin_units_load(*, valid_from: dt.date = TWO_TIER_START) -> dict:
    """Load the 34 provinces and 3,321 communes of the two-tier system from `vietnam-provinces`.

    Idempotent: a unit already present (same level, code, valid_from) is left as it is, except that
    a changed name is recorded as a new `AdminUnitName` (the old one is closed, never rewritten).
    Returns counts {"created": n, "renamed": n, "unchanged": n}.
    """
    from vietnam_provinces import Province, Ward

    counts = {"created": 0, "renamed": 0, "unchanged": 0}
    existing = {
        (u.level, u.code): u for u in AdminUnit.objects.filter(valid_from=valid_from)
    }
    provinces: dict[int, AdminUnit] = {}

    def upsert(level, code, name, division_type, codename, parent):
        unit = existing.get((level, code))
        if unit is None:
            unit = AdminUnit.objects.create(
                level=level, code=code, name=name, division_type=division_type, codename=codename,
                parent=parent, valid_from=valid_from,
            )
            AdminUnitName.objects.create(unit=unit, name=name, valid_from=valid_from)
            counts["created"] += 1
        elif unit.name != name:
            today = dt.date.today()
            unit.names.filter(valid_to__isnull=True).update(valid_to=today - dt.timedelta(days=1))
            AdminUnitName.objects.create(unit=unit, name=name, valid_from=today)
            unit.name = name
            unit.save(update_fields=["name", "search_text"])
            counts["renamed"] += 1
        else:
            counts["unchanged"] += 1
        return unit

    for p in Province.iter_all():
        provinces[int(p.code)] = upsert(
            AdminUnitLevel.PROVINCE, f"{int(p.code):02d}", p.name, _division_type(p.division_type),
            p.codename, None,
        )
    for w in Ward.iter_all():
        upsert(
            AdminUnitLevel.COMMUNE, f"{int(w.code):05d}", w.name, _division_type(w.division_type),
            w.codename, provinces[int(w.province_code)],
        )
    return counts


@transaction.atomic
def admin_unit_record_historical(
    *, level: str, code: str, name: str, valid_from: dt.date | None, valid_to: dt.date,
    parent: AdminUnit | None = None, successors: list[AdminUnit] = (), division_type: str = "",
) -> AdminUnit:
    """Record a unit that no longer exists (a pre-2025 district or commune) and link it to the
    unit(s) it was merged into. Re-recording the same unit updates its successor links."""
    if valid_to is None:
        raise ApplicationError(_("A historical unit needs the date it ceased to exist."), code="valid_to_required")
    unit, created = AdminUnit.objects.get_or_create(
        level=level, code=code, valid_from=valid_from,
        defaults={"name": name, "valid_to": valid_to, "parent": parent, "division_type": division_type},
    )
    if created:
        AdminUnitName.objects.create(unit=unit, name=name, valid_from=valid_from, valid_to=valid_to)
    unit.successors.add(*successors)
    return unit


# --- Agencies -------------------------------------------------------------------------------------

def _check_admin_unit(admin_unit) -> None:
    if admin_unit is None:
        raise ApplicationError(
            _("Unknown administrative unit code. Load the national list with `eiso load_admin_units` "
              "or pick a unit from the list."),
            code="unknown_admin_unit", errors={"admin_unit": [_("Unknown administrative unit.")]},
        )
    if admin_unit.level == AdminUnitLevel.DISTRICT:
        raise ApplicationError(
            _("Districts were abolished on 01/07/2025; attach the agency to a province or commune."),
            code="district_unit", errors={"admin_unit": [_("Choose a province or a commune.")]},
        )


def agency_create(*, actor, data: dict) -> Agency:
    """Create an agency. Refuses a duplicate code or a duplicate name in the same unit."""
    _check_admin_unit(data.get("admin_unit"))
    if Agency.objects.filter(code__iexact=data.get("code", "")).exists():
        raise ApplicationError(
            _("An agency with code %(code)s already exists. Choose another code.") % {"code": data["code"]},
            code="duplicate_agency", errors={"code": [_("This code is already used.")]},
        )
    if Agency.objects.filter(admin_unit=data["admin_unit"], name=data.get("name"), valid_to__isnull=True).exists():
        raise ApplicationError(
            _("%(name)s already exists in %(unit)s. Open the existing agency instead of creating it twice.")
            % {"name": data.get("name"), "unit": data["admin_unit"]},
            code="duplicate_agency", errors={"name": [_("This agency already exists.")]},
        )
    if actor is not None and not scope_for(actor).is_global:
        province = data["admin_unit"].province
        if province is None or province.pk not in scope_for(actor).supervised_provinces:
            raise PermissionDeniedError(
                _("Only a system administrator or the supervisor of this province can add agencies.")
            )
    return object_create(actor=actor, model=Agency, data=data)


def agency_update(*, actor, agency: Agency, data: dict) -> Agency:
    if "admin_unit" in data:
        _check_admin_unit(data["admin_unit"])
    return object_update(actor=actor, instance=agency, data=data)


def _merger_refusal(*, predecessors: list[Agency], successor: Agency, on: dt.date | None) -> ApplicationError | None:
    """Why these agencies cannot be merged into `successor` on `on` (None: they can)."""
    if on is None:
        return ApplicationError(_("Give the date the merger takes effect (dd/mm/yyyy)."), code="date_required",
                                errors={"effective_on": [_("This field is required.")]})
    if not predecessors:
        return ApplicationError(_("Choose the agencies that are merged."), code="no_predecessors",
                                errors={"predecessors": [_("Choose at least one agency.")]})
    if any(agency.pk == successor.pk for agency in predecessors):
        return ApplicationError(_("%(agency)s cannot be merged into itself: choose another successor or leave it out "
                                  "of the merged agencies.") % {"agency": successor}, code="merged_into_itself",
                                errors={"predecessors": [_("The successor cannot be one of the merged agencies.")]})
    others = [agency for agency in predecessors if agency.province_id != successor.province_id]
    if others:
        return ApplicationError(_("%(agencies)s belong(s) to another province than %(successor)s: a merger joins "
                                  "agencies of one province.") % {"agencies": ", ".join(map(str, others)),
                                                                    "successor": successor},
                                code="other_province", errors={"predecessors": [_("Choose agencies of the province.")]})
    ended = [agency for agency in predecessors if agency.valid_to is not None]
    if ended:
        return ApplicationError(_("%(agencies)s already ended (%(date)s): an agency is merged once. Open its successor "
                                  "instead.") % {"agencies": ", ".join(map(str, ended)),
                                                 "date": ended[0].valid_to.strftime("%d/%m/%Y")},
                                code="already_ended", errors={"predecessors": [_("This agency has already ended.")]})
    if successor.valid_to is not None:
        return ApplicationError(_("%(agency)s ended on %(date)s and cannot receive other agencies.")
                                % {"agency": successor, "date": successor.valid_to.strftime("%d/%m/%Y")},
                                code="successor_ended", errors={"successor": [_("This agency has ended.")]})
    too_late = [agency for agency in predecessors if agency.valid_from is not None and agency.valid_from >= on]
    if too_late:
        return ApplicationError(_("%(agencies)s only started on %(date)s: the merger must take effect later.")
                                % {"agencies": ", ".join(map(str, too_late)),
                                   "date": too_late[0].valid_from.strftime("%d/%m/%Y")},
                                code="before_start", errors={"effective_on": [_("Choose a later date.")]})
    return None


@transaction.atomic
def agency_record_merger(*, actor, predecessors: list[Agency], successor: Agency, on: dt.date,
                         legal_basis: str = "") -> None:
    """Agencies merged into `successor` on `on`: they end the day before and point to it; each predecessor and the
    successor get an audit entry (with the legal basis). Refused, with nothing changed, for an agency merged into
    itself, an agency of another province, an agency that has already ended; `actor` (None: a system job) must be
    the province's supervising authority or an administrator."""
    if actor is not None and not scope_for(actor).is_authority_for(successor.province_id):
        raise PermissionDeniedError(_("Only the supervising authority of the province or an administrator records a "
                                      "merger."))
    predecessors = list({agency.pk: agency for agency in predecessors}.values())
    locked = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=[a.pk for a in predecessors])}
    predecessors = [locked.get(agency.pk, agency) for agency in predecessors]
    refusal = _merger_refusal(predecessors=predecessors, successor=successor, on=on)
    if refusal is not None:
        raise refusal
    basis = (legal_basis or "").strip()
    for agency in predecessors:
        before = snapshot(agency)
        agency.valid_to = on - dt.timedelta(days=1)
        agency.save(update_fields=["valid_to", "updated_at"])
        agency.successors.add(successor)
        note = _("Merged into %(successor)s") % {"successor": successor}
        audit_record(actor=actor, instance=agency, action=AuditAction.UPDATE, before=before,
                     note=f"{note} ({basis})" if basis else note)
    audit_record(actor=actor, instance=successor, action=AuditAction.UPDATE, before={}, after={
        "predecessors": sorted(str(agency.pk) for agency in predecessors), "effective_on": on.isoformat(),
        "legal_basis": basis,
    }, note=_("Successor of %(agencies)s from %(date)s") % {
        "agencies": ", ".join(str(a) for a in predecessors), "date": on.strftime("%d/%m/%Y")})


@transaction.atomic
def supervising_authority_set(*, actor, province: AdminUnit, agency: Agency) -> SupervisingAuthority:
    if actor is not None and not scope_for(actor).is_global:
        raise PermissionDeniedError(_("Only a system administrator can set a province's supervising authority."))
    if agency.province_id != province.pk:
        raise ApplicationError(
            _("The supervising authority must be an agency of %(province)s.") % {"province": province},
            code="authority_outside_province",
        )
    authority, _created = SupervisingAuthority.objects.update_or_create(
        province=province, defaults={"agency": agency}
    )
    return authority



def authority_required(province: AdminUnit) -> Agency:
    """The agency that supervises `province`, for a write that records something in its name; refused while the
    province has none."""
    from eiso.organizations.selectors import authority_of

    authority = authority_of(province)
    if authority is None:
        raise ApplicationError(_("%(province)s has no supervising authority yet: an administrator sets it first.")
                               % {"province": province}, code="no_authority")
    return authority


# --- Internal units -------------------------------------------------------------------------------

def org_unit_create(*, actor, agency: Agency, data: dict) -> OrgUnit:
    parent = data.get("parent")
    if parent is not None and parent.agency_id != agency.pk:
        raise ApplicationError(_("The parent unit belongs to another agency."), code="parent_other_agency")
    return object_create(actor=actor, model=OrgUnit, data={**data, "agency": agency})


def org_unit_update(*, actor, org_unit: OrgUnit, data: dict) -> OrgUnit:
    parent = data.get("parent")
    if parent is not None:
        if parent.agency_id != org_unit.agency_id:
            raise ApplicationError(_("The parent unit belongs to another agency."), code="parent_other_agency")
        if parent.pk in OrgUnit.objects.subtree_ids(org_unit.pk):
            raise ApplicationError(
                _("A unit cannot be placed under itself or one of its sub-units."), code="org_unit_cycle"
            )
    return object_update(actor=actor, instance=org_unit, data=data)


# --- Roles ----------------------------------------------------------------------------------------

def _check_assigner(*, actor, agency: Agency, role: str) -> None:
    scope = scope_for(actor)
    if scope.is_global:
        return
    if role in ADMIN_GRANTED_ROLES:
        raise PermissionDeniedError(_("Only a system administrator can appoint supervisors."))
    if agency.pk not in scope.agencies_for("manage_roles") or role not in ASSIGNABLE_BY_AGENCY_MANAGERS:
        raise PermissionDeniedError(
            _("You can only assign roles in an agency where you are the head or the ISO coordinator."),
            code="assignment_outside_scope",
        )


def role_assign(
    *, actor, user, agency: Agency, role: str, org_unit: OrgUnit | None = None, is_recursive: bool = True,
    valid_from: dt.date | None = None, valid_until: dt.date | None = None,
) -> RoleAssignment:
    """Give `user` a role in `agency`. The actor must manage roles there; consultants need an end
    date; an org unit must belong to the agency."""
    _check_assigner(actor=actor, agency=agency, role=role)
    errors = {}
    if role == Role.CONSULTANT and valid_until is None:
        errors["valid_until"] = [_("A consultant's access must have an end date.")]
    if org_unit is not None and org_unit.agency_id != agency.pk:
        errors["org_unit"] = [_("This unit belongs to another agency.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("The end date is before the start date.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid_assignment", errors=errors)
    try:
        with transaction.atomic():
            assignment = RoleAssignment(
                user=user, agency=agency, role=role, org_unit=org_unit, is_recursive=is_recursive,
                valid_from=valid_from, valid_until=valid_until,
            )
            validate(assignment)
            assignment.save()
            audit_record(actor=actor, instance=assignment, action=AuditAction.CREATE)
    except IntegrityError as exc:
        raise ApplicationError(_("This user already has this role here."), code="duplicate_assignment") from exc
    forget_scope(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    _check_assigner(actor=actor, agency=assignment.agency, role=assignment.role)
    audit_record(actor=actor, instance=assignment, action=AuditAction.DELETE, before=snapshot(assignment))
    assignment.delete()
    forget_scope(assignment.user)


# --- QMS ------------------------------------------------------------------------------------------

@transaction.atomic
def qms_create(*, actor, agency: Agency, code: str, name: str, scope: str = "",
               shared_with: list[Agency] = ()) -> QMS:
    """A QMS hosted by `agency`, optionally shared with other agencies (e.g. the provincial People's
    Committee and its Office). The host always belongs to it."""
    if QMS.objects.filter(agency=agency, code=code).exists():
        raise ApplicationError(
            _("%(agency)s already has a QMS with code %(code)s.") % {"agency": agency, "code": code},
            code="duplicate_qms", errors={"code": [_("This code is already used.")]},
        )
    qms = object_create(actor=actor, model=QMS, data={"agency": agency, "code": code, "name": name, "scope": scope})
    qms.agencies.add(agency, *shared_with)
    return qms


def member_check(*, agency: Agency, user, field: str) -> None:
    """Refuse a person who holds no active role in the agency, as the owner, handler… of one of its records (the
    error sits on `field`). No person (None) passes: where one is required, the caller says so."""
    if user is not None and not RoleAssignment.objects.active().filter(user=user, agency=agency).exists():
        raise ApplicationError(_("%(user)s holds no role in %(agency)s: choose one of its people.")
                               % {"user": user, "agency": agency}, code="not_a_member",
                               errors={field: [_("Choose one of the agency's people.")]})
