"""Matrix rows: provincial oversight: rollout plans, QMS stages, dashboards (pages and API).

Rollout plans and their parts (milestones, budget lines, target agencies) are records of the supervising authority:
read and written by the supervisors of the province (own and sibling share Lào Cai's Department of Science and
Technology; foreign is Hà Nôi's) and the administrator; every agency role gets 404, on the pages (the plan list and
the form that creates a plan included: the pages do not exist for them) and on a plan's API detail; the API lists
answer 200 with only what the user may read, and a body naming an unseen plan answers 400 (unknown). Creating a plan
through the API for a province where the user is not the authority: 403.

The province dashboard (`?province=` the scope's province) and the province summary of the API: the supervisors of
the province and the administrator, 404 for everyone else; the national view: the administrator (and national
supervisors, not a role of the matrix), 404 for everyone else.

An agency's QMS stage is read by its head, ISO coordinator, staff and auditors, by the supervisor of the province
and the administrator (consultants and other agencies: 404); confirmed, and its conversion recorded, by the
supervisor of the province and the administrator: the agency's people who see it get 403.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.oversight import services
from eiso.oversight.models import AgencyStage, RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from tests.permission_matrix.harness import SCOPES, Check, Entry, authority_of, each_scope, everyone, only, qms_read

# --- Policies -------------------------------------------------------------------------------------------------


def plan_read(role: str, scope: str) -> int:
    """The province's supervisors (own and sibling: Lào Cai) and the administrator; nobody else."""
    if role == "admin":
        return 200
    return 200 if role == "supervisor" and scope != "foreign" else 404


def plan_write(ok: int):
    return lambda role, scope: ok if plan_read(role, scope) == 200 else 404


def part_create(ok: int):
    """A milestone or budget line of the scope's plan (API body `plan`): an unseen plan is unknown (400)."""
    return lambda role, scope: ok if plan_read(role, scope) == 200 else 400


def plan_create(ok: int):
    """A plan of the scope's province through the API: the authority of that province and the administrator."""
    return lambda role, scope: ok if plan_read(role, scope) == 200 else 403


def stage_write(ok: int):
    """Confirm a stage, record a conversion: 404 where the stage is not visible, 403 for the agency's people."""

    def policy(role, scope):
        if qms_read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "supervisor") else 403

    return policy


overseers = only({"supervisor"}, 200, refused=404)
national = only(set(), 200, refused=404)

# --- The objects: one plan per scope, made on first use --------------------------------------------------------


authority = authority_of


def plan(mx, scope: str) -> RolloutPlan:
    """The scope's plan, of the scope's province, with a milestone, a budget line and the scope's agency as target."""
    title = f"PLAN-marker-{scope}"
    found = RolloutPlan.objects.filter(title=title).first()
    if found is not None:
        return found
    dost = authority(mx, scope)
    made = services.rollout_plan_create(actor=None, province=dost.province, data={
        "number": f"{scope.upper()}/KH-UBND", "issued_on": dt.date(2026, 1, 15), "issuer": "UBND tỉnh",
        "title": title, "period_start": dt.date(2026, 2, 1), "period_end": dt.date(2026, 6, 30)})
    services.rollout_milestone_add(actor=None, plan=made, kind="survey", planned_on=dt.date(2026, 2, 10),
                                   title=f"MILESTONE-marker-{scope}")
    services.rollout_budget_line_add(actor=None, plan=made, item=f"BUDGET-marker-{scope}", amount=45_000_000)
    services.rollout_targets_add(actor=None, plan=made, agencies=[mx.agency[scope]], note=f"TARGET-marker-{scope}")
    return made


def every_scope(mx):
    for scope in SCOPES:
        plan(mx, scope)


def plan_pk(mx, role, scope):
    return plan(mx, scope).pk


def milestone_pk(mx, role, scope):
    return plan(mx, scope).milestones.get().pk


def line_pk(mx, role, scope):
    return plan(mx, scope).budget_lines.get().pk


def target_pk(mx, role, scope):
    return plan(mx, scope).targets.get().pk


def agency_pk(mx, role, scope):
    return mx.agency[scope].pk


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def in_province(name):
    """The URL with `?province=` the scope's province."""
    return lambda mx, role, scope: f"{reverse(name)}?province={mx.agency[scope].province_id}"


# --- States ---------------------------------------------------------------------------------------------------


def plans_count(mx, role, scope):
    return RolloutPlan.objects.count()


def plans_in_province(mx, role, scope):
    return RolloutPlan.objects.filter(agency__province=mx.agency[scope].province_id).count()


def plan_field(name):
    return lambda mx, role, scope: RolloutPlan.objects.filter(title=f"PLAN-marker-{scope}").values_list(
        name, flat=True).first()


def plan_exists(mx, role, scope):
    return RolloutPlan.objects.filter(title=f"PLAN-marker-{scope}").exists()


def targets_of(mx, role, scope):
    return RolloutTarget.objects.filter(plan=plan(mx, scope)).count()


def target_state(mx, role, scope):
    return RolloutTarget.objects.filter(plan__title=f"PLAN-marker-{scope}").values_list("pk", "note").first()


def milestones_of(mx, role, scope):
    return RolloutMilestone.objects.filter(plan=plan(mx, scope)).values_list("pk", "title", "done_on").order_by("pk")


def milestones_state(mx, role, scope):
    return list(milestones_of(mx, role, scope))


def lines_of(mx, role, scope):
    return list(RolloutBudgetLine.objects.filter(plan=plan(mx, scope)).values_list("pk", flat=True).order_by("pk"))


def stage_of(mx, role, scope):
    return AgencyStage.objects.filter(agency=mx.agency[scope]).values_list(
        "confirmed_stage", "had_2008_system", "converted_on").first()


# --- Data -----------------------------------------------------------------------------------------------------


def plan_form(mx, role, scope, **changes):
    data = {"number": f"NEW-{role}/KH", "issued_on": "2026-01-15", "issuer": "UBND tỉnh Lào Cai",
            "title": f"New plan {role}", "period_start": "2026-02-01", "period_end": "2026-06-30", "notes": ""}
    return data | changes


def edit_form(mx, role, scope):
    return plan_form(mx, role, scope, number=f"{scope.upper()}/KH-UBND", title=f"PLAN-marker-{scope}",
                     notes=f"Changed by {role}")


def milestone_form(mx, role, scope):
    return {"kind": "survey", "title": f"By {role}", "planned_on": "2026-02-10", "done_on": "", "done_notes": ""}


MILESTONE = {"kind": "training", "planned_on": "2026-03-05", "title": "Tập huấn"}
LINE = {"item": "Tập huấn", "amount": "180000000", "source": "Ngân sách tỉnh", "note": ""}
CONFIRM = {"stage": "announced", "note": "Quyết định công bố năm 2019"}
CONVERSION = {"had_2008_system": "on", "converted_on": "2018-09-14"}

PLAN_MARKER = lambda mx, s: f"PLAN-marker-{s}"  # noqa: E731
MILESTONE_MARKER = lambda mx, s: f"MILESTONE-marker-{s}"  # noqa: E731
BUDGET_MARKER = lambda mx, s: f"BUDGET-marker-{s}"  # noqa: E731
TARGET_MARKER = lambda mx, s: f"TARGET-marker-{s}"  # noqa: E731
AGENCY_MARKER = lambda mx, s: str(mx.agency[s].pk)  # noqa: E731


def page_post(name: str, arg, data, state, policy) -> Entry:
    return Entry(f"oversight:{name}", "page", at(f"oversight:{name}", arg),
                 (Check("post", policy, data=data, state=state),), scoped=True)


OVERSIGHT: list[Entry] = [
    # --- Dashboards -----------------------------------------------------------------------------------------------
    Entry("oversight:dashboard", "page", in_province("oversight:dashboard"), (Check("get", plan_read),), scoped=True),
    Entry("oversight:national", "page", lambda mx, r, s: reverse("oversight:national"), (Check("get", national),)),
    # --- Rollout plans --------------------------------------------------------------------------------------------
    Entry("oversight:plan_list", "page", listed("oversight:plan_list"),
          (Check("get", overseers, shows=each_scope(PLAN_MARKER, plan_read)),), scoped=True),
    Entry("oversight:plan_add", "page", lambda mx, r, s: reverse("oversight:plan_add"), (
        Check("get", overseers),
        Check("post", only({"supervisor"}, 302, refused=404),
              data=lambda mx, r, s: plan_form(mx, r, s, province=mx.world.province.pk), state=plans_count),
    )),
    Entry("oversight:plan_detail", "page", at("oversight:plan_detail", plan_pk),
          (Check("get", plan_read, shows=lambda mx, r, s: {f"MILESTONE-marker-{s}": True,
                                                            f"BUDGET-marker-{s}": True}),), scoped=True),
    Entry("oversight:plan_edit", "page", at("oversight:plan_edit", plan_pk), (
        Check("get", plan_write(200)),
        Check("post", plan_write(302), data=edit_form, state=plan_field("notes")),
    ), scoped=True),
    Entry("oversight:plan_delete", "page", at("oversight:plan_delete", plan_pk), (
        Check("get", plan_write(200)),
        Check("post", plan_write(302), state=plan_exists),
    ), scoped=True),
    page_post("target_add", plan_pk, lambda mx, r, s: {"level": "department"}, targets_of, plan_write(302)),
    page_post("milestone_add", plan_pk, lambda mx, r, s: MILESTONE, milestones_state, plan_write(302)),
    page_post("budget_line_add", plan_pk, lambda mx, r, s: LINE, lines_of, plan_write(302)),
    Entry("oversight:target_edit", "page", at("oversight:target_edit", target_pk), (
        Check("get", plan_write(200)),
        Check("post", plan_write(302), data=lambda mx, r, s: {"consultant": "", "note": f"By {r}"},
              state=target_state),
    ), scoped=True),
    page_post("target_remove", target_pk, None, target_state, plan_write(302)),
    Entry("oversight:milestone_edit", "page", at("oversight:milestone_edit", milestone_pk), (
        Check("get", plan_write(200)),
        Check("post", plan_write(302), data=milestone_form, state=milestones_state),
    ), scoped=True),
    page_post("milestone_delete", milestone_pk, None, milestones_state, plan_write(302)),
    page_post("budget_line_delete", line_pk, None, lines_of, plan_write(302)),
    # --- Stages ---------------------------------------------------------------------------------------------------
    Entry("oversight:stage_detail", "page", at("oversight:stage_detail", agency_pk), (Check("get", qms_read),),
          scoped=True),
    page_post("stage_confirm", agency_pk, lambda mx, r, s: CONFIRM, stage_of, stage_write(302)),
    page_post("stage_conversion", agency_pk, lambda mx, r, s: CONVERSION, stage_of, stage_write(302)),
    # --- API ------------------------------------------------------------------------------------------------------
    Entry("rolloutplan-list", "api", listed("rolloutplan-list"), (
        Check("get", everyone(200), shows=each_scope(PLAN_MARKER, plan_read)),
        Check("post", plan_create(201), state=plans_in_province, data=lambda mx, r, s: plan_form(
            mx, r, s, number=f"API-{r}-{s}/KH", province=mx.agency[s].province_id)),
    ), scoped=True),
    Entry("rolloutplan-detail", "api", at("rolloutplan-detail", plan_pk), (
        Check("get", plan_read),
        Check("patch", plan_write(200), data=lambda mx, r, s: {"notes": f"Patched by {r}"}, state=plan_field("notes")),
        Check("put", plan_write(200), data=lambda mx, r, s: plan_form(
            mx, r, s, number=f"{s.upper()}/KH-UBND", title=f"PLAN-marker-{s}", notes=f"Put by {r}"),
            state=plan_field("notes")),
        Check("delete", plan_write(204), state=plan_exists),
    ), scoped=True),
    Entry("rolloutplan-targets", "api", at("rolloutplan-targets", plan_pk),
          (Check("post", plan_write(200), data=lambda mx, r, s: {"level": "department"}, state=targets_of),),
          scoped=True),
    Entry("rolloutmilestone-list", "api", listed("rolloutmilestone-list"), (
        Check("get", everyone(200), shows=each_scope(MILESTONE_MARKER, plan_read)),
        Check("post", part_create(201), data=lambda mx, r, s: MILESTONE | {"plan": str(plan(mx, s).pk)},
              state=milestones_state),
    ), scoped=True),
    Entry("rolloutmilestone-detail", "api", at("rolloutmilestone-detail", milestone_pk), (
        Check("get", plan_read),
        Check("patch", plan_write(200), data=lambda mx, r, s: {"title": f"By {r}"}, state=milestones_state),
        Check("delete", plan_write(204), state=milestones_state),
    ), scoped=True),
    Entry("rolloutbudgetline-list", "api", listed("rolloutbudgetline-list"), (
        Check("get", everyone(200), shows=each_scope(BUDGET_MARKER, plan_read)),
        Check("post", part_create(201), data=lambda mx, r, s: LINE | {"plan": str(plan(mx, s).pk)}, state=lines_of),
    ), scoped=True),
    Entry("rolloutbudgetline-detail", "api", at("rolloutbudgetline-detail", line_pk), (
        Check("get", plan_read),
        Check("delete", plan_write(204), state=lines_of),
    ), scoped=True),
    Entry("rollouttarget-list", "api", listed("rollouttarget-list"),
          (Check("get", everyone(200), shows=each_scope(TARGET_MARKER, plan_read)),), scoped=True),
    Entry("rollouttarget-detail", "api", at("rollouttarget-detail", target_pk), (
        Check("get", plan_read),
        Check("patch", plan_write(200), data=lambda mx, r, s: {"note": f"By {r}"}, state=target_state),
        Check("delete", plan_write(204), state=target_state),
    ), scoped=True),
    Entry("agencystage-list", "api", lambda mx, r, s: reverse("agencystage-list"),
          (Check("get", everyone(200), shows=each_scope(AGENCY_MARKER, qms_read)),), scoped=True),
    Entry("agencystage-detail", "api", at("agencystage-detail", agency_pk), (Check("get", qms_read),), scoped=True),
    Entry("agencystage-confirm", "api", at("agencystage-confirm", agency_pk),
          (Check("post", stage_write(200), data=lambda mx, r, s: CONFIRM, state=stage_of),), scoped=True),
    Entry("agencystage-conversion", "api", at("agencystage-conversion", agency_pk),
          (Check("post", stage_write(200), data=lambda mx, r, s: {"had_2008_system": True,
                                                                   "converted_on": "2018-09-14"}, state=stage_of),),
          scoped=True),
    Entry("province-summary", "api", in_province("province-summary"), (Check("get", plan_read),), scoped=True),
]
