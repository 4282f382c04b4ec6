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
