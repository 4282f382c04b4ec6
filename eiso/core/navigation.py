"""The navigation menu: each entry says which action on which model makes it visible."""

from dataclasses import dataclass

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import AGENCY_MANAGERS, scope_for


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    # Visible when the user's scope allows one of these: "any" (signed in), "manage_roles", "admin",
    # "audit" (roles that read the audit trail), "manage_documents" (agency head, ISO coordinator),
    # "dossiers" (read citizens' dossiers), "handle" (receive and process them), "statistics" (+ supervisors),
    # "improvement" (read nonconformities: the agency's people but consultants, and supervisors), "qms" (the QMS
    # year's records: the same people), "supervise" (supervisors of a province, national supervisors), "national"
    # (national supervisors), "par" (supervisors and agency managers), "successor" (people of an agency that others
    # were merged into).
    needs: str = "any"
    # Dotted path of a selector `f(*, user) -> int` whose value is shown next to the label when not zero
    # (a string, so that the framework layer imports no domain app).
    count: str = ""


@dataclass(frozen=True)
class MenuEntry:
    """A menu item as one user sees it."""

    label: str
    url_name: str
    count: int = 0


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple


MENU = (
    MenuGroup(_("My agency"), (
        MenuItem(_("Home"), "core:home"),
        MenuItem(_("Documents"), "documents:document_list"),
        MenuItem(_("To read"), "documents:to_read", count="eiso.documents.selectors.to_read_count"),
        MenuItem(_("Documents due for review"), "documents:review_due", "manage_documents"),
        MenuItem(_("Processes"), "processes:process_list"),
        MenuItem(_("Update tasks (3-month rule)"), "legal:updatetask_list"),
        MenuItem(_("Dossiers"), "dossiers:dossier_list", "dossiers"),
        MenuItem(_("Receive a dossier"), "dossiers:dossier_receive", "handle"),
        MenuItem(_("Dossier statistics"), "dossiers:statistics", "statistics"),
        MenuItem(_("Build the QMS"), "processes:bootstrap", "add"),
        MenuItem(_("Internal units"), "organizations:orgunit_list"),
        MenuItem(_("People and roles"), "accounts:user_list", "manage_roles"),
        MenuItem(_("Audit trail"), "core:auditlog_list", "audit"),
    )),
    MenuGroup(_("QMS year"), (
        MenuItem(_("Compliance calendar"), "compliance:calendar", "qms"),
        MenuItem(_("Quality policy"), "objectives:policy_detail", "qms"),
        MenuItem(_("Quality objectives"), "objectives:objective_list", "qms"),
        MenuItem(_("Context and interested parties"), "risks:context", "qms"),
        MenuItem(_("Risks and opportunities"), "risks:risk_list", "qms"),
        MenuItem(_("Internal audits"), "audits:programme_list", "qms"),
        MenuItem(_("Nonconformities"), "improvement:nonconformity_list", "improvement"),
        MenuItem(_("Citizens' feedback"), "improvement:feedback_list", "qms"),
        MenuItem(_("Satisfaction surveys"), "improvement:survey_list", "qms"),
        MenuItem(_("Management reviews"), "reviews:review_list", "qms"),
        MenuItem(_("Conformity announcements"), "announcements:announcement_list", "qms"),
        MenuItem(_("Periodic reports"), "reporting:report_list", "qms"),
        MenuItem(_("Inspections"), "inspections:inspection_list", "qms"),
        MenuItem(_("Our trainings"), "trainings:agency_trainings", "manage_documents"),
        MenuItem(_("Our consultants"), "trainings:agency_consultants", "manage_documents"),
        MenuItem(_("PAR index evidence"), "par:index", "par"),
        MenuItem(_("Predecessor agencies"), "organizations:predecessors", "successor"),
    )),
    MenuGroup(_("Oversight"), (
        MenuItem(_("Province dashboard"), "oversight:dashboard", "supervise"),
        MenuItem(_("National view"), "oversight:national", "national"),
        MenuItem(_("Compliance of supervised agencies"), "compliance:overview", "supervise"),
        MenuItem(_("Rollout plans"), "oversight:plan_list", "supervise"),
        MenuItem(_("Announcements received"), "announcements:received", "supervise",
                 count="eiso.announcements.selectors.unread_count"),
        MenuItem(_("Reporting periods"), "reporting:period_list", "supervise"),
        MenuItem(_("Inspection plans"), "inspections:plan_list", "supervise"),
        MenuItem(_("Inspection summary"), "inspections:summary", "supervise"),
        MenuItem(_("Trainings"), "trainings:training_list", "supervise"),
        MenuItem(_("Training totals"), "trainings:totals", "supervise"),
        MenuItem(_("Consultants"), "trainings:consultant_list", "supervise"),
        MenuItem(_("PAR-index criteria"), "par:criterion_list", "supervise"),
        MenuItem(_("Mergers"), "organizations:merger_list", "supervise"),
    )),
    MenuGroup(_("Directory"), (
        MenuItem(_("Agencies"), "organizations:agency_list"),
        MenuItem(_("Administrative units"), "organizations:adminunit_list"),
    )),
    MenuGroup(_("Procedure catalogue"), (
        MenuItem(_("Administrative procedures"), "catalog:procedure_list"),
        MenuItem(_("Legal register"), "legal:legaldocument_list"),
        MenuItem(_("Catalogue imports"), "catalog:import_list", "admin"),
        MenuItem(_("Posted procedures (public)"), "portal:index"),
        MenuItem(_("Dossier lookup (public)"), "portal:lookup"),
        MenuItem(_("Send feedback or a petition (public)"), "portal:feedback"),
        MenuItem(_("Announcements register (public)"), "portal:announcement_register"),
    )),
    MenuGroup(_("Working calendar"), (
        MenuItem(_("Holidays and day swaps"), "calendars:calendar"),
        MenuItem(_("Deadline calculator"), "calendars:deadline"),
    )),
    MenuGroup(_("Account"), (
        MenuItem(_("API tokens"), "accounts:token_list"),
        MenuItem(_("Change password"), "accounts:password_change"),
        MenuItem(_("Two-factor sign-in"), "accounts:two_factor_setup"),
        MenuItem(_("API documentation"), "api-docs"),
    )),
)

AUDIT_ROLES = {"agency_head", "iso_coordinator", "auditor", "supervisor"}
DOSSIER_ROLES = {"agency_head", "iso_coordinator", "staff", "auditor"}  # read citizens' dossiers
IMPROVEMENT_ROLES = {"agency_head", "iso_coordinator", "staff", "auditor"}  # read nonconformities (+ supervisors)


def allows(user, needs: str) -> bool:
    scope = scope_for(user)
    if needs == "any" or scope.is_global:
        return True
    if needs == "admin":
        return False
    if needs == "manage_roles":
        return bool(scope.agencies_for("manage_roles")) or bool(scope.supervised_provinces)
    if needs == "add":
        return bool(scope.agencies_for("add"))
    if needs == "audit":
        return any(scope.roles_in(a) & AUDIT_ROLES for a in scope.agency_ids)
    if needs == "dossiers":
        return any(scope.roles_in(a) & DOSSIER_ROLES for a in scope.agency_ids)
    if needs == "handle":
        return bool(scope.agencies_for("handle"))
    if needs == "statistics":
        return any(scope.roles_in(a) & DOSSIER_ROLES for a in scope.agency_ids) or bool(scope.supervised_provinces)
    if needs in ("improvement", "qms"):
        return any(scope.roles_in(a) & IMPROVEMENT_ROLES for a in scope.agency_ids) or bool(scope.supervised_provinces)
    if needs == "supervise":
        return bool(scope.supervised_provinces)
    if needs == "national":
        return scope.is_national
    if needs == "par":  # the PAR evidence: the supervisors, and the managers of an agency for their own
        return bool(scope.supervised_provinces) or any(scope.roles_in(a) & AGENCY_MANAGERS for a in scope.agency_ids)
    if needs == "successor":  # people of an agency that others were merged into
        return bool(scope.read_grants)
    if needs == "manage_documents":
        return any(scope.roles_in(a) & AGENCY_MANAGERS for a in scope.agency_ids)
    return False


def menu_for(user):
    if not user.is_authenticated:
        return []
    groups = []
    for group in MENU:
        items = [
            MenuEntry(item.label, item.url_name, import_string(item.count)(user=user) if item.count else 0)
            for item in group.items if allows(user, item.needs)
        ]
        if items:
            groups.append((group.label, items))
    return groups
