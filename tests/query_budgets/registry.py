"""`BUDGETS`: one entry per list endpoint of eISO (page or API), and the enumeration of the list endpoints.

An entry names the URL pattern, the role that sees the rows (signed in; the administrator works in `own`), and
`add(rows, i)`, the builder of one more row in that role's scope (tests/query_budgets/rows/). The test renders the
endpoint with 2 rows and again with 6; the counts must be equal, or differ by at most `slack` (say why in `note`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eiso.core.views import ObjectListView
from tests.permission_matrix.harness import walk_urls
from tests.query_budgets import rows as r


@dataclass(frozen=True)
class Budget:
    name: str  # the URL pattern's name, with its namespace
    add: Callable  # add(rows, i): make the i-th row in the role's scope
    role: str | None = "agency_head"  # None: the anonymous visitor (public pages)
    query: str = ""  # a query string (a filter that selects the rows)
    args: Callable | None = None  # args(rows) -> the URL's arguments
    slack: int = 0  # queries allowed on top with more rows: a documented constant, never per row
    marker: str | None = "<tr"  # pages: what the page shows once per row (the test checks the new rows are listed)
    note: str = ""

    @property
    def kind(self) -> str:
        return "page" if ":" in self.name else "api"

    @property
    def id(self) -> str:
        return self.name.replace(":", ".")


def page(name, add, role="agency_head", **kwargs) -> Budget:
    return Budget(name, add, role, **kwargs)


def api(name, add, role="agency_head", **kwargs) -> Budget:
    return Budget(name, add, role, **kwargs)


BUDGETS: list[Budget] = [
    # --- core, accounts, organizations
    page("core:auditlog_list", r.add_audit_entry),
    page("accounts:user_list", r.add_person),
    page("accounts:token_list", r.add_api_token),
    page("organizations:adminunit_list", r.add_admin_unit, "admin"),
    page("organizations:agency_list", r.add_agency, "supervisor"),
    page("organizations:orgunit_list", r.add_org_unit),
    page("organizations:merger_list", r.add_merger, "admin"),
    page("organizations:predecessors", r.add_predecessor, marker="data-predecessor="),
    api("auditlog-list", r.add_audit_entry),
    api("adminunit-list", r.add_admin_unit, "admin"),
    api("agency-list", r.add_agency, "supervisor"),
    api("qms-list", r.add_agency, "supervisor"),
    api("orgunit-list", r.add_org_unit),
    api("user-list", r.add_person),
    api("roleassignment-list", r.add_person),
    api("apitoken-list", r.add_api_token),
    # --- catalogue, processes, documents, legal register, dossiers
    page("catalog:procedure_list", r.add_procedure),
    page("catalog:import_list", r.add_import_run, "admin"),
    api("procedure-list", r.add_procedure),
    api("procedurecase-list", r.add_procedure),
    api("field-list", r.add_field),
    api("importrun-list", r.add_import_run, "admin"),
    page("processes:process_list", r.add_process),
    api("process-list", r.add_process),
    page("documents:document_list", r.add_document),
    page("documents:to_read", r.add_document_to_read, "staff"),
    page("documents:review_due", r.add_review_due),
    api("document-list", r.add_document),
    page("legal:legaldocument_list", r.add_legal_document),
    page("legal:updatetask_list", r.add_update_task),
    api("legaldocument-list", r.add_legal_document),
    api("updatetask-list", r.add_update_task),
    page("dossiers:dossier_list", r.add_dossier),
    api("dossier-list", r.add_dossier),
    # --- improvement
    page("improvement:nonconformity_list", r.add_nonconformity),
    api("nonconformity-list", r.add_nonconformity),
    api("correctiveaction-list", r.add_corrective_action),
    page("improvement:feedback_list", r.add_feedback),
    api("feedback-list", r.add_feedback),
    page("improvement:survey_list", r.add_survey),
    api("satisfactionsurvey-list", r.add_survey),
    api("surveyquestion-list", r.add_survey_question),
    # --- objectives, risks
    page("objectives:objective_list", r.add_objective),
    api("qualityobjective-list", r.add_objective),
    api("objectiveindicator-list", r.add_indicator),
    api("objectiveplan-list", r.add_objective_plan),
    api("qualitypolicy-list", r.add_policy, "supervisor"),
    page("risks:risk_list", r.add_risk),
    api("risk-list", r.add_risk),
    api("riskaction-list", r.add_risk_action),
    page("risks:context", r.add_context_issue),
    api("contextissue-list", r.add_context_issue),
    api("interestedparty-list", r.add_interested_party),
    # --- audits, reviews
    page("audits:programme_list", r.add_programme),
    api("auditprogramme-list", r.add_programme),
    api("internalaudit-list", r.add_internal_audit),
    api("auditchecklistitem-list", r.add_checklist_items),
    api("auditfinding-list", r.add_audit_finding),
    page("reviews:review_list", r.add_review),
    api("managementreview-list", r.add_review),
    api("reviewaction-list", r.add_review_action),
    # --- compliance and oversight (the supervisor: the agencies of its province)
    api("complianceitem-list", r.add_compliance_year, "supervisor"),
    api("agencystage-list", r.add_agency_stage, "supervisor"),
    page("oversight:plan_list", r.add_rollout_plan, "supervisor"),
    api("rolloutplan-list", r.add_rollout_plan, "supervisor"),
    api("rolloutmilestone-list", r.add_rollout_milestone, "supervisor"),
    api("rolloutbudgetline-list", r.add_rollout_budget_line, "supervisor"),
    api("rollouttarget-list", r.add_rollout_target, "supervisor"),
    # --- announcements, reporting
    page("announcements:announcement_list", r.add_announcement, "supervisor"),
    page("announcements:received", r.add_announcement, "supervisor"),
    api("conformityannouncement-list", r.add_announcement, "supervisor"),
    page("reporting:period_list", r.add_reporting_period, "supervisor"),
    api("reportingperiod-list", r.add_reporting_period, "supervisor"),
    page("reporting:report_list", r.add_periodic_report),
    api("periodicreport-list", r.add_periodic_report),
    # --- inspections, trainings and consultants, PAR criteria, the calendar
    page("inspections:plan_list", r.add_inspection_plan, "supervisor"),
    api("inspectionplan-list", r.add_inspection_plan, "supervisor"),
    page("inspections:inspection_list", r.add_inspection, "supervisor"),
    api("inspection-list", r.add_inspection, "supervisor"),
    api("inspectionfinding-list", r.add_inspection_finding, "supervisor"),
    page("trainings:training_list", r.add_training, "supervisor"),
    api("training-list", r.add_training, "supervisor"),
    api("trainingparticipant-list", r.add_participant, "supervisor"),
    page("trainings:consultant_list", r.add_consultant, "supervisor"),
    api("consultant-list", r.add_consultant, "supervisor"),
    api("consultantengagement-list", r.add_engagement, "supervisor"),
    api("consultantissue-list", r.add_consultant_issue, "supervisor"),
    page("par:criterion_list", r.add_par_criterion, "supervisor"),
    api("parcriterion-list", r.add_par_criterion, "supervisor"),
    api("calendarday-list", r.add_calendar_day),
    # --- list-like pages that the enumeration does not find: dashboards, overviews, registers (rows: agencies...)
    page("calendars:calendar", r.add_calendar_day),
    page("dossiers:statistics", r.add_dossier, marker="<td"),
    page("compliance:overview", r.add_agency_with_year, "supervisor", marker="/compliance/?year="),
    page("oversight:dashboard", r.add_agency, "supervisor"),
    page("oversight:national", r.add_province, "admin"),
    page("inspections:summary", r.add_approved_inspection, "supervisor"),
    page("trainings:totals", r.add_training, "supervisor", marker=None,
         note="totals by year and level of agency: the courses are counted, not listed"),
    page("trainings:agency_trainings", r.add_own_participant),
    page("trainings:agency_consultants", r.add_own_engagement),
    page("par:province", r.add_par_agency, "supervisor"),
    page("par:agency", r.add_par_criterion_scored),
    page("portal:index", r.add_public_agency, None, marker="/public/"),
    page("portal:agency", r.add_public_process, None, args=r.own_code),
    page("portal:announcement_register", r.add_announcement, None),
]


# Endpoints that `list_endpoint_names` finds but that do not list rows of their own: name -> why. Empty today: every
# endpoint it finds lists rows and has a budget above.
NOT_ROW_LISTS: dict[str, str] = {}

# Pages that look like lists but are not budgeted, and why (the enumeration does not find them; kept here so that
# nobody wonders):
# - core:home: the current agency's QMS, its first 20 units and a dossier summary (aggregates), not a list;
# - compliance:calendar: one agency's year, a fixed set of 6 obligations (the statuses are computed with
#   compliance.selectors.item_states, the same batched reads as the overview budgeted above);
# - risks:matrix, risks:heatmap: the matrix settings form and an SVG of counts per cell;
# - documents:to_read is budgeted above; the detail pages (a plan's lines, a period's reports...) are not lists.


# --- Enumerating the list endpoints ------------------------------------------------------------------------------


def list_endpoint_names() -> set[str]:
    """Pages whose view is an ObjectListView or whose name ends in `_list`; API routes named `*-list` (a router's
    list route) — from the URL resolver, so a new list endpoint shows up here without anyone listing it."""
    names = set()
    for route, name, callback in walk_urls():
        if "(?P<format>" in route or "<drf_format_suffix:format>" in route:
            continue
        view_class = getattr(callback, "view_class", None)
        is_list_view = isinstance(view_class, type) and issubclass(view_class, ObjectListView)
        if is_list_view or name.endswith("_list") or (":" not in name and name.endswith("-list")):
            names.add(name)
    return names


def url_names() -> set[str]:
    return {name for _route, name, _callback in walk_urls()}
