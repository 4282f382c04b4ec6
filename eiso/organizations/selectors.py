"""Reads with logic on territories and agencies."""

import datetime as dt

from django.db.models import Q

from eiso.organizations.models import AdminUnit, AdminUnitName, Agency


def admin_unit_name_on(*, unit: AdminUnit, on: dt.date) -> str:
    """The name the unit bore on a date (a rename never rewrites history)."""
    row = (
        AdminUnitName.objects.filter(unit=unit)
        .filter(Q(valid_from__lte=on) | Q(valid_from__isnull=True))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return row.name if row else unit.name


def admin_unit_current_successors(*, unit: AdminUnit) -> list[AdminUnit]:
    """Follow successor links to the units in force today (a commune merged twice ends at the last)."""
    result, frontier, seen = [], [unit], set()
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        nexts = list(current.successors.all())
        if not nexts and current.pk != unit.pk:
            result.append(current)
        frontier.extend(nexts)
    return sorted(result, key=lambda u: u.name)


def agencies_for_user(*, user):
    """The agencies where the user holds an active role (for the agency switcher)."""
    from eiso.core.permissions import scope_for

    scope = scope_for(user)
    if scope.is_global:
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=scope.agency_ids).order_by("name")


# --- The provinces a supervisor works on -------------------------------------------------------------------------


def supervised_provinces(user, action: str = "view"):
    """The current provinces `user` reads as a supervisor (action "view": those supervised, every one for a national
    supervisor or an administrator), or acts in as the supervising authority (any other action: those of the user's
    authority; for an administrator every province that has one). By name."""
    from eiso.core.permissions import scope_for
    from eiso.organizations.choices import AdminUnitLevel

    scope = scope_for(user)
    provinces = AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE, valid_to__isnull=True).order_by("name")
    if action != "view":
        provinces = provinces.filter(supervising_authority__isnull=False)
    if scope.is_global:
        return provinces
    return provinces.filter(pk__in=scope.supervised_provinces if action == "view" else scope.authority_provinces)


def chosen_province(user, wanted=None, *, agency=None, action: str = "view"):
    """The province a supervisor's page or request is about: `wanted` (an id, e.g. `?province=`) among
    `supervised_provinces(user, action)` — None when it is not one of them; without `wanted`, the province where the
    user acts as the authority, else that of `agency` (the current one), else the first. None: nothing to show."""
    from eiso.core.permissions import scope_for

    provinces = supervised_provinces(user, action)
    if wanted not in (None, ""):
        try:
            return provinces.filter(pk=int(wanted)).first()
        except (TypeError, ValueError):
            return None
    scope = scope_for(user)
    return (provinces.filter(pk__in=scope.authority_provinces).first()
            or (provinces.filter(pk=agency.province_id).first() if agency is not None else None)
            or provinces.first())


def authority_of(province):
    """The agency that supervises `province` (its Department of Science and Technology); None: none is set yet."""
    from eiso.organizations.models import SupervisingAuthority

    row = SupervisingAuthority.objects.filter(province=province).select_related("agency").first()
    return row.agency if row else None
