"""Matrix rows: inspections by the supervising authority (pages and API).

Inspection plans are the supervising authority's records (AuthorityOwnedModel): read and written by the supervisors
of the province (own and sibling share Lào Cai's Department of Science and Technology; foreign is Hà Nội's) and the
administrator; every agency role gets 404 on a plan, 403 on the form that creates one. The plan list answers 200 to
everyone and lists only the plans the user may read.

An inspection belongs to the inspected agency: read by its head, ISO coordinator, staff and auditors, by the
supervisor of the province and the administrator; consultants and other agencies get 404. The supervising authority
(the supervisor, the administrator) writes the planning, the decision, the checklist, the findings, the minutes, the
review of each finding, the return of the report and the closing: the agency's people who see it get 403. The
agency's head and ISO coordinator (and the administrator) record the corrective actions and submit the report: staff,
auditors and the supervisor get 403. The yearly summary (page, XLSX, DOCX) is for supervisors and the administrator:
agency people get 403.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.core.permissions import today
from eiso.inspections import plans, services
from eiso.inspections.models import Inspection, InspectionChecklistItem, InspectionFinding, InspectionPlan
from eiso.organizations.models import Agency
from tests.factories import AgencyFactory, CommuneFactory
from tests.permission_matrix.harness import SCOPES, Check, Entry, authority_of, each_scope, everyone, only, qms_read

MANAGERS = frozenset({"agency_head", "iso_coordinator"})
TEAM = "Nguyễn Văn Trưởng – Chuyên viên – Trưởng đoàn"
YEAR = 2026


# --- Policies -------------------------------------------------------------------------------------------------


def plan_read(role: str, scope: str) -> int:
    """The province's supervisors (own and sibling: Lào Cai) and the administrator; nobody else sees a plan."""
    if role == "admin":
        return 200
    return 200 if role == "supervisor" and scope != "foreign" else 404


def plan_write(ok: int):
    return lambda role, scope: ok if plan_read(role, scope) == 200 else 404


insp_read = qms_read


def inspect(ok: int):
    """The supervising authority's acts on an inspection: 404 where it is not visible, 403 for the agency's people."""

    def policy(role, scope):
        if insp_read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "supervisor") else 403

    return policy


def report(ok: int):
    """The agency's acts (corrective actions, the report): its head and ISO coordinator, the administrator."""

    def policy(role, scope):
        if insp_read(role, scope) == 404:
            return 404
        return ok if role == "admin" or role in MANAGERS else 403

    return policy


def plan_create(ok: int):
    """A plan of the scope's province (API body `province`): the supervisor of Lào Cai (own, sibling), the admin."""
    return lambda role, scope: ok if role == "admin" or (role == "supervisor" and scope != "foreign") else 403


def line_create(ok: int):
    """A line of the scope's draft plan (API body `plan`): a plan the user cannot see is unknown (400)."""
    return lambda role, scope: ok if plan_read(role, scope) == 200 else 400


# --- The objects: one plan per scope and stage (with the scope's agency on site), made on first use ------------


authority = authority_of


def extra_agency(mx, scope: str):
    """Another agency of the scope's province, in no plan."""
    code = "MX-EXTRA-HNI" if scope == "foreign" else "MX-EXTRA-LCI"
    found = Agency.objects.filter(code=code).first()
    if found is None:
        province = mx.world.other_province if scope == "foreign" else mx.world.province
        found = AgencyFactory(code=code, admin_unit=CommuneFactory(parent=province))
    return found


STAGES = ("draft", "planned", "ready", "signed", "submitted", "reviewed")


def plan(mx, scope: str, stage: str = "draft") -> InspectionPlan:
    title = f"PLAN-marker-{stage}-{scope}"
    found = InspectionPlan.objects.filter(title=title).first()
    if found:
        return found
    extra_agency(mx, scope)  # so that "add every agency" has one to add in every province
    made = plans.plan_create(actor=None, province=authority(mx, scope).province, year=YEAR, title=title)
    plans.plan_line_add(actor=None, plan=made, agency=mx.agency[scope], method="on_site", planned_month=6)
    if stage != "draft":
        made = plans.plan_approve(actor=None, plan=made)
    return made


def inspection(mx, scope: str, stage: str = "ready") -> Inspection:
    """The scope's agency's inspection at `stage`: draft (in a draft plan), planned, ready (decided, checklist all
    conform, one finding), signed (minutes signed, the finding's action recorded), submitted (report submitted),
    reviewed (the finding closed)."""
    made = plan(mx, scope, stage).inspections.get()
    if made.status != "planned" or stage in ("draft", "planned"):
        return made
    made = services.inspection_decide(actor=None, inspection=made, decision_on=today() - dt.timedelta(days=10),
                                      team=TEAM, decision_signer="Giám Đốc", on_site_on=today() - dt.timedelta(days=3))
    services.checklist_record(actor=None, inspection=made, results={
        item.key: {"result": "conform"} for item in made.checklist.all()})
    finding = services.finding_add(actor=None, inspection=made, point_key="", description=f"FINDING-marker-{scope}",
                                   required_action="Khắc phục")
    if stage == "ready":
        return made
    made = services.minutes_sign(actor=None, inspection=made, signed_on=today() - dt.timedelta(days=3),
                                 place="Trụ sở", participants="Ông A", conclusion="Phù hợp",
                                 agency_representative="Ông A")
    services.finding_action_record(actor=None, finding=finding, action_taken="Đã khắc phục")
    if stage == "signed":
        return made
    made = services.report_submit(actor=None, inspection=made)
    if stage == "submitted":
        return made
    services.finding_review(actor=None, finding=finding, closed=True)
    return Inspection.objects.get(pk=made.pk)


def finding(mx, scope: str, stage: str) -> InspectionFinding:
    return inspection(mx, scope, stage).findings.get()


def every_scope(mx):
    for scope in SCOPES:
        inspection(mx, scope, "ready")


def pk_of(stage: str):
    return lambda mx, role, scope: inspection(mx, scope, stage).pk


def plan_pk(stage: str = "draft"):
    return lambda mx, role, scope: plan(mx, scope, stage).pk


def finding_pk(stage: str):
    return lambda mx, role, scope: finding(mx, scope, stage).pk


def at(name: str, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def listed(name: str, *, plans: bool = False):
    def path(mx, role, scope):
        if plans:
            for s in SCOPES:
                plan(mx, s)
        else:
            every_scope(mx)
        return reverse(name)

    return path


# --- States ---------------------------------------------------------------------------------------------------


def stored(mx, scope, stage) -> Inspection:
    return Inspection.objects.get(pk=inspection(mx, scope, stage).pk)


def status_of(stage: str):
    return lambda mx, role, scope: stored(mx, scope, stage).status


def planning_of(mx, role, scope):
    return Inspection.objects.filter(pk=inspection(mx, scope, "draft").pk).values_list("planned_month",
                                                                                      flat=True).first()


def line_exists(mx, role, scope):
    return Inspection.objects.filter(plan__title=f"PLAN-marker-draft-{scope}").exists()


def lines_of(mx, role, scope):
    return Inspection.objects.filter(plan=plan(mx, scope)).count()


def plan_field(field: str, stage: str = "draft"):
    return lambda mx, role, scope: getattr(InspectionPlan.objects.get(pk=plan(mx, scope, stage).pk), field)


def plans_of(scope_of):
    return lambda mx, role, scope: InspectionPlan.objects.filter(agency=authority(mx, scope_of(scope))).count()


def records_read_at(mx, role, scope):
    return list(InspectionChecklistItem.objects.filter(inspection=inspection(mx, scope, "ready")).order_by(
        "order").values_list("records_at", flat=True))


def point_result(mx, role, scope):
    return InspectionChecklistItem.objects.get(inspection=inspection(mx, scope, "ready"),
                                               key="consultant_licensed").result


def findings_of(mx, role, scope):
    return InspectionFinding.objects.filter(inspection=inspection(mx, scope, "ready")).count()


def finding_exists(mx, role, scope):
    return InspectionFinding.objects.filter(inspection__plan__title=f"PLAN-marker-ready-{scope}").exists()


def finding_field(stage: str, field: str):
    return lambda mx, role, scope: getattr(InspectionFinding.objects.get(pk=finding(mx, scope, stage).pk), field)


# --- Data -----------------------------------------------------------------------------------------------------


def plan_form(mx, role, scope):
    """The edit form keeps the marker title (by which the plan is found) and changes the notes."""
    return {"year": YEAR, "title": f"PLAN-marker-draft-{scope}", "min_on_site_share": "1/3",
            "notes": f"Changed by {role}"}


def new_plan(mx, role, scope, api=False):
    data = {"year": YEAR, "title": f"New plan by {role}", "min_on_site_share": "1/3", "notes": ""}
    return {**data, "province": authority(mx, scope).province_id if api else mx.world.province.pk}


def decision_form(mx, role, scope):
    return {"decision_on": (today() - dt.timedelta(days=5)).isoformat(), "team": TEAM,
            "decision_signer": "Giám Đốc", "decision_signer_position": "Giám đốc",
            "on_site_on": (today() - dt.timedelta(days=2)).isoformat(), "decision_grounds": ""}


def minutes_form(mx, role, scope):
    return {"signed_on": (today() - dt.timedelta(days=1)).isoformat(), "place": "Trụ sở", "participants": "Ông A",
            "conclusion": "Phù hợp", "agency_representative": "Ông A", "agency_representative_position": ""}


def new_finding(mx, role, scope):
    return {"point_key": "complaints_handled", "description": f"New finding by {role}", "required_action": "Sửa"}


def new_line(mx, role, scope):
    return {"plan": str(plan(mx, scope).pk), "agency": str(extra_agency(mx, scope).pk), "method": "by_documents"}


PLAN_MARKER = lambda mx, s: f"PLAN-marker-draft-{s}"  # noqa: E731
FINDING_MARKER = lambda mx, s: f"FINDING-marker-{s}"  # noqa: E731


def inspection_url(mx, s):
    return inspection(mx, s, "ready").get_absolute_url()


def inspection_id(mx, s):
    return str(inspection(mx, s, "ready").pk)


def page_action(name: str, arg, policy, data=None, state=None) -> Entry:
    return Entry(f"inspections:{name}", "page", at(f"inspections:{name}", arg),
                 (Check("post", policy, data=data, state=state),), scoped=True)


def api_action(name: str, stage: str, policy, data=None, state=None, basename="inspection", arg=None) -> Entry:
    return Entry(f"{basename}-{name}", "api", at(f"{basename}-{name}", arg or pk_of(stage)),
                 (Check("post", policy, data=data, state=state),), scoped=True)


SUPERVISORS = frozenset({"supervisor"})

INSPECTIONS: list[Entry] = [
    # --- Plans (pages) ------------------------------------------------------------------------------------------
    Entry("inspections:plan_list", "page", listed("inspections:plan_list", plans=True),
          (Check("get", everyone(200), shows=each_scope(PLAN_MARKER, plan_read)),), scoped=True),
    Entry("inspections:plan_add", "page", lambda mx, r, s: reverse("inspections:plan_add"), (
        Check("get", only(SUPERVISORS, 200)),
        Check("post", only(SUPERVISORS, 302), data=new_plan, state=plans_of(lambda s: "own")),
    )),
    Entry("inspections:plan_detail", "page", at("inspections:plan_detail", plan_pk()),
          (Check("get", plan_read, shows=lambda mx, r, s: {PLAN_MARKER(mx, s): True}),), scoped=True),
    Entry("inspections:plan_edit", "page", at("inspections:plan_edit", plan_pk()), (
        Check("get", plan_write(200)),
        Check("post", plan_write(302), data=plan_form, state=plan_field("notes")),
    ), scoped=True),
    page_action("plan_approve", plan_pk(), plan_write(302), state=plan_field("status")),
    page_action("plan_add_all", plan_pk(), plan_write(302), data=lambda mx, r, s: {"method": "by_documents"},
                state=lines_of),
    page_action("line_add", plan_pk(), plan_write(302),
                data=lambda mx, r, s: {"agency": extra_agency(mx, s).pk, "method": "by_documents"}, state=lines_of),
    page_action("inspection_planning", pk_of("draft"), inspect(302),
                data=lambda mx, r, s: {"method": "on_site", "planned_month": "9"}, state=planning_of),
    page_action("line_remove", pk_of("draft"), inspect(302), state=line_exists),
    # --- Inspections (pages) ------------------------------------------------------------------------------------
    Entry("inspections:inspection_list", "page", listed("inspections:inspection_list"),
          (Check("get", everyone(200), shows=each_scope(inspection_url, insp_read)),), scoped=True),
    Entry("inspections:inspection_detail", "page", at("inspections:inspection_detail", pk_of("ready")),
          (Check("get", insp_read, shows=lambda mx, r, s: {FINDING_MARKER(mx, s): True}),), scoped=True),
    Entry("inspections:inspection_decide", "page", at("inspections:inspection_decide", pk_of("planned")), (
        Check("get", inspect(200)),
        Check("post", inspect(302), data=decision_form, state=status_of("planned")),
    ), scoped=True),
    Entry("inspections:decision_docx", "page", at("inspections:decision_docx", pk_of("ready")),
          (Check("get", insp_read),), scoped=True),
    Entry("inspections:minutes_docx", "page", at("inspections:minutes_docx", pk_of("signed")),
          (Check("get", insp_read),), scoped=True),
    page_action("checklist_prepare", pk_of("ready"), inspect(302), state=records_read_at),
    page_action("checklist_save", pk_of("ready"), inspect(302),
                data=lambda mx, r, s: {"result_consultant_licensed": "not_applicable"}, state=point_result),
    page_action("finding_add", pk_of("ready"), inspect(302), data=new_finding, state=findings_of),
    page_action("finding_remove", finding_pk("ready"), inspect(302), state=finding_exists),
    Entry("inspections:minutes_sign", "page", at("inspections:minutes_sign", pk_of("ready")), (
        Check("get", inspect(200)),
        Check("post", inspect(302), data=minutes_form, state=status_of("ready")),
    ), scoped=True),
    page_action("finding_action", finding_pk("signed"), report(302),
                data=lambda mx, r, s: {"action_taken": f"Done by {r}"}, state=finding_field("signed", "action_taken")),
    page_action("report_submit", pk_of("signed"), report(302), data=lambda mx, r, s: {"summary": "Xong"},
                state=status_of("signed")),
    page_action("finding_review", finding_pk("submitted"), inspect(302), data=lambda mx, r, s: {"closed": "1"},
                state=finding_field("submitted", "status")),
    page_action("report_return", pk_of("submitted"), inspect(302), data=lambda mx, r, s: {"comment": "Bổ sung"},
                state=status_of("submitted")),
    page_action("inspection_close", pk_of("reviewed"), inspect(302), state=status_of("reviewed")),
    # --- The yearly summary ------------------------------------------------------------------------------------
    Entry("inspections:summary", "page", lambda mx, r, s: reverse("inspections:summary"),
          (Check("get", only(SUPERVISORS, 200)),)),
    Entry("inspections:summary_xlsx", "page", lambda mx, r, s: reverse("inspections:summary_xlsx"),
          (Check("get", only(SUPERVISORS, 200)),)),
    Entry("inspections:summary_docx", "page", lambda mx, r, s: reverse("inspections:summary_docx"),
          (Check("get", only(SUPERVISORS, 200)),)),
    # --- API: plans ---------------------------------------------------------------------------------------------
    Entry("inspectionplan-list", "api", listed("inspectionplan-list", plans=True), (
        Check("get", everyone(200), shows=each_scope(PLAN_MARKER, plan_read)),
        Check("post", plan_create(201), data=lambda mx, r, s: new_plan(mx, r, s, api=True),
              state=plans_of(lambda s: s)),
    ), scoped=True),
    Entry("inspectionplan-detail", "api", at("inspectionplan-detail", plan_pk()), (
        Check("get", plan_read),
        Check("patch", plan_write(200), data=lambda mx, r, s: {"notes": f"Patched by {r}"},
              state=plan_field("notes")),
        Check("put", plan_write(200), data=lambda mx, r, s: {**plan_form(mx, r, s), "notes": f"Put by {r}"},
              state=plan_field("notes")),
    ), scoped=True),
    api_action("approve", "draft", plan_write(200), state=plan_field("status"), basename="inspectionplan",
               arg=plan_pk()),
    api_action("add-all", "draft", plan_write(200), data=lambda mx, r, s: {"method": "by_documents"},
               state=lines_of, basename="inspectionplan", arg=plan_pk()),
    # --- API: inspections ---------------------------------------------------------------------------------------
    Entry("inspection-list", "api", listed("inspection-list"), (
        Check("get", everyone(200), shows=each_scope(inspection_id, insp_read)),
        Check("post", line_create(201), data=new_line, state=lines_of),
    ), scoped=True),
    Entry("inspection-detail", "api", at("inspection-detail", pk_of("draft")), (
        Check("get", insp_read),
        Check("patch", inspect(200), data=lambda mx, r, s: {"planned_month": 9}, state=planning_of),
        Check("delete", inspect(204), state=line_exists),
    ), scoped=True),
    api_action("decide", "planned", inspect(200), data=decision_form, state=status_of("planned")),
    api_action("prepare-checklist", "ready", inspect(200), state=records_read_at),
    api_action("checklist", "ready", inspect(200), state=point_result,
               data=lambda mx, r, s: {"items": [{"key": "consultant_licensed", "result": "not_applicable"}]}),
    api_action("findings", "ready", inspect(201), data=new_finding, state=findings_of),
    api_action("sign", "ready", inspect(200), data=minutes_form, state=status_of("ready")),
    api_action("submit-report", "signed", report(200), data=lambda mx, r, s: {"summary": "Xong"},
               state=status_of("signed")),
    api_action("return-report", "submitted", inspect(200), data=lambda mx, r, s: {"comment": "Bổ sung"},
               state=status_of("submitted")),
    api_action("close", "reviewed", inspect(200), state=status_of("reviewed")),
    # --- API: findings ------------------------------------------------------------------------------------------
    Entry("inspectionfinding-list", "api", listed("inspectionfinding-list"),
          (Check("get", everyone(200), shows=each_scope(FINDING_MARKER, insp_read)),), scoped=True),
    Entry("inspectionfinding-detail", "api", at("inspectionfinding-detail", finding_pk("ready")),
          (Check("get", insp_read),), scoped=True),
    api_action("corrective", "signed", report(200), data=lambda mx, r, s: {"action_taken": f"Done by {r}"},
               state=finding_field("signed", "action_taken"), basename="inspectionfinding",
               arg=finding_pk("signed")),
    api_action("review", "submitted", inspect(200), data=lambda mx, r, s: {"closed": True},
               state=finding_field("submitted", "status"), basename="inspectionfinding",
               arg=finding_pk("submitted")),
]
