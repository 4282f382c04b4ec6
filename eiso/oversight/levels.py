"""The levels by which the supervising authority counts agencies ("19/20 provincial departments, 74/102 commune
committees"): derived from the agency's kind and its administrative unit, never stored.

- `province`: the provincial People's Committee and its Office (an agency of kind "other" at the province whose
  parent is the provincial People's Committee; the two share one QMS, DOMAIN.md §1);
- `department`: the provincial departments (Sở, ban, ngành);
- `sub_department`: the sub-departments (Chi cục) of a department;
- `commune`: the People's Committees of communes, wards and special zones;
- `other`: everything else (district People's Committees until 30/06/2025, ministries, other units).

`agency_level(agency)` reads `agency.admin_unit` and, for the Office, `agency.parent`: select them with the agency
(`AGENCY_RELATED`) when classifying many. `level_condition(level)` is the same rule as a database filter.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.organizations.choices import AdminUnitLevel, AgencyKind

PROVINCE = "province"
DEPARTMENT = "department"
SUB_DEPARTMENT = "sub_department"
COMMUNE = "commune"
OTHER = "other"

LEVELS: tuple[tuple[str, str], ...] = (
    (PROVINCE, _("Provincial People's Committee and its Office")),
    (DEPARTMENT, _("Provincial departments")),
    (SUB_DEPARTMENT, _("Sub-departments")),
    (COMMUNE, _("Commune People's Committees")),
    (OTHER, _("Other agencies")),
)
LEVEL_KEYS = tuple(key for key, _label in LEVELS)
LEVEL_LABELS = dict(LEVELS)

# What agency_level() reads besides the agency's own columns.
AGENCY_RELATED = ("admin_unit", "parent")


def agency_level(agency) -> str:
    """The level of `agency` (one of LEVEL_KEYS)."""
    kind = agency.kind
    if kind == AgencyKind.DEPARTMENT:
        return DEPARTMENT
    if kind == AgencyKind.SUB_DEPARTMENT:
        return SUB_DEPARTMENT
    unit_level = agency.admin_unit.level
    if kind == AgencyKind.PEOPLES_COMMITTEE:
        if unit_level == AdminUnitLevel.PROVINCE:
            return PROVINCE
        if unit_level == AdminUnitLevel.COMMUNE:
            return COMMUNE
        return OTHER
    if (kind == AgencyKind.OTHER and unit_level == AdminUnitLevel.PROVINCE and agency.parent_id is not None
            and agency.parent.kind == AgencyKind.PEOPLES_COMMITTEE):
        return PROVINCE  # the Office of the provincial People's Committee
    return OTHER


def level_condition(level: str, prefix: str = "") -> Q:
    """A filter on Agency (or on a relation to it, `prefix` = "agency__") keeping the agencies of `level`."""
    def q(**lookups):
        return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})

    province_committee = q(kind=AgencyKind.PEOPLES_COMMITTEE, admin_unit__level=AdminUnitLevel.PROVINCE)
    office = q(kind=AgencyKind.OTHER, admin_unit__level=AdminUnitLevel.PROVINCE,
               parent__kind=AgencyKind.PEOPLES_COMMITTEE)
    conditions = {
        PROVINCE: province_committee | office,
        DEPARTMENT: q(kind=AgencyKind.DEPARTMENT),
        SUB_DEPARTMENT: q(kind=AgencyKind.SUB_DEPARTMENT),
        COMMUNE: q(kind=AgencyKind.PEOPLES_COMMITTEE, admin_unit__level=AdminUnitLevel.COMMUNE),
    }
    if level == OTHER:
        combined = Q()
        for condition in conditions.values():
            combined |= condition
        return ~combined
    if level not in conditions:
        raise ValueError(f"unknown level {level!r}")
    return conditions[level]
