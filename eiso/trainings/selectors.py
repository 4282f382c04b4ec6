"""Reads of trainings and consultants, including the contracts other apps call:

* `trained_people_by_agency(agency_ids, *, year=None) -> {agency_id: int}`: people trained per agency, counted as
  attendances (lượt người: a person on two courses counts twice), in courses whose first day falls in `year` (every
  year when None). Agencies without any are absent.
* `consultant_licensed(*, agency, on) -> bool | None`: None when no consultant was engaged with the agency on `on`;
  False when one of those consultants had no licence number, or a licence not yet valid or expired on `on`; True
  otherwise (Circular 26/2014 Art. 36, the last inspection point).

The totals by year and level (`training_totals`) group agencies by `eiso.oversight.levels.agency_level` when the
oversight app provides it, else by their kind (`fallback_level`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from eiso.compliance.contracts import resolve
from eiso.core.permissions import scope_for
from eiso.core.text import fold
from eiso.organizations.choices import AgencyKind
from eiso.trainings.models import Consultant, ConsultantEngagement, Participant, Training

AGENCY_LEVEL = "eiso.oversight.levels.agency_level"
LEVELS_PATH = "eiso.oversight.levels.LEVELS"

# Used only while the oversight app does not provide its levels (same keys as its contract).
FALLBACK_LEVELS = (
    ("province", gettext_lazy("Provincial People's Committee and its Office")),
    ("department", gettext_lazy("Departments and equivalent agencies")),
    ("sub_department", gettext_lazy("Sub-departments")),
    ("commune", gettext_lazy("Commune People's Committees")),
    ("other", gettext_lazy("Other agencies")),
)


# --- Contracts --------------------------------------------------------------------------------------------------


def trained_people_by_agency(agency_ids, *, year: int | None = None) -> dict:
    """Attendances per agency (see the module docstring); one query for any number of agencies."""
    rows = Participant.objects.filter(agency_id__in=list(agency_ids), attended=True)
    if year is not None:
        rows = rows.filter(training__year=year)
    return dict(rows.order_by().values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n"))


def engagements_on(*, agency, on: dt.date):
    """The consultants' engagements with the agency that were going on on `on`."""
    return (ConsultantEngagement.objects.filter(agency=agency, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).select_related("consultant"))


def consultant_licensed(*, agency, on: dt.date) -> bool | None:
    """Whether every consultant engaged with the agency on `on` was duly licensed on that day (None: none was)."""
    engagements = list(engagements_on(agency=agency, on=on))
    if not engagements:
        return None
    return all(engagement.consultant.is_licensed_on(on) for engagement in engagements)


# --- Who writes -------------------------------------------------------------------------------------------------


def authority_agencies(user) -> list:
    """The supervising authorities on whose behalf the user keeps courses and consultants (an administrator: all)."""
    from eiso.organizations.models import SupervisingAuthority

    scope = scope_for(user)
    authorities = SupervisingAuthority.objects.select_related("agency", "province").order_by("province__name")
    if not scope.is_global:
        authorities = authorities.filter(province__in=scope.authority_provinces)
    seen, result = set(), []
    for authority in authorities:
        if authority.agency_id not in seen:
            seen.add(authority.agency_id)
            result.append(authority.agency)
    return result


def can_keep_register(user) -> bool:
    """May add courses and consultants somewhere (a province's supervisor, an administrator)."""
    return bool(authority_agencies(user))


def province_agencies(authority):
    """The agencies of the authority's province that may take part in its courses and hire consultants (current
    ones: an agency that ceased to exist takes no new course)."""
    from eiso.organizations.models import Agency

    return Agency.objects.filter(province_id=authority.province_id, valid_to__isnull=True).order_by("name")


# --- Levels and totals ------------------------------------------------------------------------------------------


def fallback_level(agency) -> str:
    """The level from the agency's kind and place, for when the oversight app gives none."""
    parent = agency.parent if agency.parent_id else None
    at_province = agency.admin_unit_id == agency.province_id
    if agency.kind == AgencyKind.PEOPLES_COMMITTEE:
        return "province" if at_province else "commune"
    if (agency.kind == AgencyKind.OTHER and parent is not None and parent.kind == AgencyKind.PEOPLES_COMMITTEE
            and parent.admin_unit_id == parent.province_id and fold(agency.name).startswith("van phong")):
        return "province"
    if agency.kind == AgencyKind.DEPARTMENT:
        return "department"
    if agency.kind == AgencyKind.SUB_DEPARTMENT:
        return "sub_department"
    return "other"


def levels() -> list[tuple[str, str]]:
    """The levels as (key, label) pairs, in the order the oversight app gives them."""
    provided = resolve(LEVELS_PATH)
    return [(key, str(label)) for key, label in (provided or FALLBACK_LEVELS)]


def level_function():
    return resolve(AGENCY_LEVEL) or fallback_level


@dataclass
class LevelTotal:
    level: str
    label: str
    people: int = 0  # attendances
    agencies: int = 0  # agencies with at least one attendance
    agencies_in_level: int = 0  # the province's current agencies of the level


@dataclass
class YearTotals:
    year: int | None  # None: every year
    levels: list[LevelTotal] = field(default_factory=list)
    courses: int = 0

    @property
    def people(self) -> int:
        return sum(level.people for level in self.levels)

    @property
    def agencies(self) -> int:
        return sum(level.agencies for level in self.levels)

    @property
    def agencies_in_levels(self) -> int:
        return sum(level.agencies_in_level for level in self.levels)


def training_years(*, province) -> list[int]:
    return sorted(set(Training.objects.filter(agency__province=province).values_list("year", flat=True)))


def training_totals(*, province, years: list[int] | None = None) -> list[YearTotals]:
    """People trained and agencies reached in the courses of the province's authority, by level, one row per year
    (the years with courses when `years` is None) and a last row for all those years together (its agencies are
    counted once however many years they attended)."""
    from eiso.organizations.models import Agency

    years = sorted(years) if years is not None else training_years(province=province)
    rows = (Participant.objects.filter(training__agency__province=province, training__year__in=years, attended=True)
            .order_by().values_list("training__year", "agency_id").annotate(n=Count("id")))
    people: dict = defaultdict(int)  # (year, agency_id) -> attendances
    for year, agency_id, count in rows:
        people[(year, agency_id)] += count
    level_of = level_function()
    current = Agency.objects.filter(province=province, valid_to__isnull=True)
    reached_ids = {agency_id for _year, agency_id in people}
    agency_levels = {agency.pk: level_of(agency) for agency in
                     Agency.objects.filter(Q(pk__in=reached_ids) | Q(pk__in=current.values("pk")))
                     .select_related("parent", "admin_unit", "province")}
    in_level: dict = defaultdict(int)
    for agency_id in current.values_list("pk", flat=True):
        in_level[agency_levels[agency_id]] += 1
    courses = dict(Training.objects.filter(agency__province=province, year__in=years).order_by()
                   .values("year").annotate(n=Count("id")).values_list("year", "n"))
    known = levels()
    extra = sorted({level for level in agency_levels.values()} - {key for key, _label in known})
    ordered = known + [(key, key) for key in extra]

    def totals_for(year_keys: list[int], label_year: int | None) -> YearTotals:
        result = YearTotals(year=label_year, courses=sum(courses.get(y, 0) for y in year_keys))
        by_level = {key: LevelTotal(key, label, agencies_in_level=in_level.get(key, 0)) for key, label in ordered}
        reached: dict = defaultdict(set)
        for (year, agency_id), count in people.items():
            if year in year_keys:
                level = agency_levels[agency_id]
                by_level[level].people += count
                reached[level].add(agency_id)
        for level, agency_ids in reached.items():
            by_level[level].agencies = len(agency_ids)
        result.levels = list(by_level.values())
        return result

    table = [totals_for([year], year) for year in years]
    if len(years) != 1:
        table.append(totals_for(years, None))
    return table
# --- Agency pages -----------------------------------------------------------------------------------------------


def agency_participants(*, user, agency):
    """The agency's people on courses, among what the user may see (its head and coordinator, the supervisors)."""
    return (Participant.objects.restrict(user, "view").filter(agency=agency)
            .select_related("training", "training__agency").order_by("-training__start_on", "full_name"))


def agency_engagements(*, user, agency):
    return (ConsultantEngagement.objects.restrict(user, "view").filter(agency=agency)
            .select_related("consultant__agency").order_by("-started_on"))


def agency_issues(*, user, agency):
    return (apps.get_model("trainings", "ConsultantIssue").objects.restrict(user, "view").filter(agency=agency)
            .select_related("consultant", "reported_by"))


# --- Consultants ------------------------------------------------------------------------------------------------


def consultant_rows(queryset, *, on: dt.date):
    """Consultants with their licence state on `on` and their engagements going on."""
    ongoing = dict(ConsultantEngagement.objects.filter(consultant__in=queryset, started_on__lte=on)
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on)).order_by()
                   .values("consultant_id").annotate(n=Count("id")).values_list("consultant_id", "n"))
    open_issues = dict(apps.get_model("trainings", "ConsultantIssue").objects.filter(
        consultant__in=queryset, status="open").order_by().values("consultant_id").annotate(n=Count("id"))
        .values_list("consultant_id", "n"))
    return [(consultant, consultant.licence_state(on), ongoing.get(consultant.pk, 0), open_issues.get(consultant.pk, 0))
            for consultant in queryset]


def rollout_assignments(*, user, consultant) -> list:
    """The agencies a rollout plan of the oversight app assigned to the consultant, when that app keeps such
    assignments (a model `oversight.RolloutTarget` with a `consultant` foreign key); else nothing."""
    try:
        model = apps.get_model("oversight", "RolloutTarget")
    except LookupError:
        return []
    if not any(f.name == "consultant" for f in model._meta.get_fields()):
        return []
    queryset = model.objects.all()
    if hasattr(queryset, "restrict"):
        queryset = queryset.restrict(user, "view")
    related = [name for name in ("agency", "plan") if any(f.name == name for f in model._meta.get_fields())]
    return list(queryset.filter(consultant=consultant).select_related(*related))


def expired_licence_count(*, user, on: dt.date) -> int:
    """Active consultants the user sees whose licence is missing or not valid on `on`."""
    return sum(1 for consultant in Consultant.objects.restrict(user, "view").filter(is_active=True)
               if not consultant.is_licensed_on(on))
