"""Who may audit what. Team members are holders of the auditor role or the ISO coordinator. Auditor independence:
nobody audits their own unit's work. A person's units are the internal units of their active role assignments in
the agency, with every unit below them; a process's units are the units responsible for its steps. A team member
(or a schedule item's auditor, or a programme entry's auditor) may audit neither such a process nor such a unit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from eiso.audits.models import TEAM_ROLES
from eiso.core.errors import ApplicationError


def team_candidates(agency):
    """People who may be on an audit team: holders of the auditor role, or the ISO coordinator."""
    from eiso.accounts.models import User
    from eiso.organizations.models import RoleAssignment

    holders = RoleAssignment.objects.active().filter(agency=agency, role__in=TEAM_ROLES).values("user")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("full_name", "username")


def check_candidates(agency, people, field: str) -> None:
    eligible = set(team_candidates(agency).values_list("pk", flat=True))
    for person in people:
        if person.pk not in eligible:
            message = _("%(person)s is neither an internal auditor nor the ISO coordinator of %(agency)s.") % {
                "person": person, "agency": agency}
            raise ApplicationError(message, code="not_an_auditor", errors={field: [message]})


def person_units(agency, person) -> dict:
    """{unit id: the unit of the person's assignment that covers it}: the units where the person holds an
    active role in the agency and every unit below them."""
    from eiso.organizations.models import OrgUnit, RoleAssignment

    covered: dict = {}
    assignments = RoleAssignment.objects.active().filter(agency=agency, user=person, org_unit__isnull=False)
    for assignment in assignments.select_related("org_unit"):
        for unit_id in OrgUnit.objects.subtree_ids(assignment.org_unit_id):
            covered.setdefault(unit_id, assignment.org_unit)
    return covered


def process_units(process) -> set:
    """The internal units responsible for a process: those of its steps."""
    return set(process.steps.exclude(responsible_unit=None).values_list("responsible_unit_id", flat=True))


def independence_conflicts(*, agency, person, processes=(), org_units=()) -> list[str]:
    """Why `person` may not audit these processes and units (empty: independent)."""
    covered = person_units(agency, person)
    if not covered:
        return []
    problems = []
    for process in processes:
        for unit_id in process_units(process):
            if unit_id in covered:
                problems.append(_("%(person)s may not audit process %(process)s: it is the work of %(unit)s, where "
                                  "%(person)s works.") % {"person": person, "process": process.code,
                                                          "unit": covered[unit_id]})
                break
    for unit in org_units:
        if unit.pk in covered:
            problems.append(_("%(person)s may not audit %(unit)s: it is their own unit.")
                            % {"person": person, "unit": unit})
    return problems


def check_independence(agency, people, processes, org_units, field: str) -> None:
    problems = []
    for person in people:
        problems += independence_conflicts(agency=agency, person=person, processes=processes, org_units=org_units)
    if problems:
        raise ApplicationError(" ".join(problems) + " " + _("Choose another auditor (auditor independence)."),
                               code="not_independent", errors={field: problems})
