"""Matrix rows: quality policy and objectives (pages and API).

The policy and the objectives are read by the agency's head, ISO coordinator, staff and auditors, by the supervisor
of the province and the administrator; consultants and other agencies get 404. The head and the coordinator manage
them (drafts, indicators, measurements, plans, the year copy); only the head approves (the coordinator: 403).
Plan actions are marked done by the managers or their owner (here another person: 403 for staff).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eiso.core.permissions import today
from eiso.objectives import services
from eiso.objectives.models import Indicator, Measurement, ObjectivePlan, QualityObjective, QualityPolicy
from tests.permission_matrix.harness import (
    QMS_MANAGERS,
    QMS_READERS,
    SCOPES,
    Check,
    Entry,
    each_scope,
    everyone,
    only,
    qms_manage,
    qms_read,
)

read = qms_read
manage = qms_manage
READERS = QMS_READERS
MANAGERS = QMS_MANAGERS
PAST = today().year - 1  # the approved objective's year: closing it is allowed now
COPY_FROM, COPY_TO = 2031, 2032


def approve(ok: int):
    return manage(ok, frozenset({"agency_head"}))


def in_agency(ok: int):
    """A write naming the scope's agency in the body: an agency the user cannot see is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in MANAGERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def on_objective(ok: int):
    """A write naming the scope's objective in the body: an unseen one is unknown (400)."""

    def policy(role, scope):
        if read(role, scope) == 404:
            return 400
        return manage(ok)(role, scope)

    return policy


# --- The objects: one set per scope, made on first use ----------------------------------------------------------


def objective(mx, scope: str, stage: str = "draft") -> QualityObjective:
    """draft: this year's, with an entered indicator and a plan action of the scope's person; approved: last
    year's, with an entered indicator (a measurement with an evidence file) and a computed one."""
    title = f"OBJ-marker-{stage}-{scope}"
    # Found again by key, not by title (an edit changes it); a rolled-back world makes them again.
    cache: dict = mx.__dict__.setdefault("objectives_made", {})
    found = QualityObjective.objects.filter(pk=cache.get((stage, scope))).first()
    if found:
        return found
    made = services.objective_create(actor=None, agency=mx.agency[scope],
                                     year=today().year if stage == "draft" else PAST, title=title)
    cache[(stage, scope)] = made.pk
    indicator = services.indicator_add(actor=None, objective=made, name=f"IND-marker-{stage}-{scope}",
                                       value_source="entered", unit="người", target=Decimal(10), frequency="quarterly")
    cache[("indicator", stage, scope)] = indicator.pk
    if stage == "draft":
        services.plan_action_add(actor=None, objective=made, description=f"PLAN-marker-{scope}",
                                 owner=mx.person[scope], due_on=today() + dt.timedelta(days=30))
        return made
    services.indicator_add(actor=None, objective=made, name=f"COMPUTED-{scope}", value_source="computed",
                           metric="dossier_on_time_rate", target=Decimal(98))
    made = services.objective_approve(actor=None, objective=made)
    services.measurement_enter(actor=None, indicator=entered(mx, scope, "approved"),
                               period_start=dt.date(PAST, 1, 1), value=12, evidence="Sổ",
                               file=SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4\n%%EOF\n"))
    return made


def entered(mx, scope, stage="draft") -> Indicator:
    objective(mx, scope, stage)
    return Indicator.objects.get(pk=mx.objectives_made[("indicator", stage, scope)])


def computed(mx, scope) -> Indicator:
    objective(mx, scope, "approved")
    return Indicator.objects.get(agency=mx.agency[scope], name=f"COMPUTED-{scope}")


def policy(mx, scope) -> QualityPolicy:
    found = QualityPolicy.objects.filter(agency=mx.agency[scope]).first()
    return found or services.policy_draft_save(actor=None, agency=mx.agency[scope], text=f"POLICY-marker-{scope}")


def every_scope(mx):
    for scope in SCOPES:
        objective(mx, scope)
        objective(mx, scope, "approved")
        policy(mx, scope)


def objective_pk(stage="draft"):
    return lambda mx, role, scope: objective(mx, scope, stage).pk


def indicator_pk(stage="draft"):
    def pk(mx, role, scope):
        objective(mx, scope, stage)
        return entered(mx, scope, stage).pk

    return pk


def plan_pk(mx, role, scope):
    return objective(mx, scope).plan.get().pk


def measurement_pk(mx, role, scope):
    objective(mx, scope, "approved")
    return Measurement.objects.get(indicator=entered(mx, scope, "approved")).pk


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def own_page(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


# --- States -----------------------------------------------------------------------------------------------------


def title_of(stage="draft"):
    return lambda mx, role, scope: QualityObjective.objects.get(pk=objective(mx, scope, stage).pk).title


def status_of(stage="draft"):
    return lambda mx, role, scope: QualityObjective.objects.get(pk=objective(mx, scope, stage).pk).status


def indicators_of(mx, role, scope):
    return Indicator.objects.filter(objective=objective(mx, scope)).count()


def indicator_name(mx, role, scope):
    return Indicator.objects.get(pk=indicator_pk()(mx, role, scope)).name


def evidence_of(mx, role, scope):
    return list(Measurement.objects.filter(indicator_id=indicator_pk("approved")(mx, role, scope))
                .values_list("evidence", "value"))


def plan_of(mx, role, scope):
    return ObjectivePlan.objects.filter(objective=objective(mx, scope)).count()


def plan_status(mx, role, scope):
    return ObjectivePlan.objects.get(pk=plan_pk(mx, role, scope)).status


def policy_status(mx, role, scope):
    return QualityPolicy.objects.get(pk=policy(mx, scope).pk).status


def policy_texts(mx, role, scope):
    return list(QualityPolicy.objects.filter(agency=mx.agency[scope]).values_list("text", flat=True))


def own_policy_texts(mx, role, scope):
    return policy_texts(mx, role, "own")


def objectives_in(mx, role, scope):
    return QualityObjective.objects.filter(agency=mx.agency[scope]).count()


def own_objectives(mx, role, scope):
    return objectives_in(mx, role, "own")


def copied_in(mx, role, scope):
    return QualityObjective.objects.filter(agency=mx.agency[scope], year=COPY_TO).count()


def copy_source(mx, scope):
    if not QualityObjective.objects.filter(agency=mx.agency[scope], year=COPY_FROM).exists():
        services.objective_create(actor=None, agency=mx.agency[scope], year=COPY_FROM, title=f"COPY-{scope}")


def copy_page(mx, role, scope):
    copy_source(mx, "own")
    return reverse("objectives:objective_copy_year")


def copy_api(mx, role, scope):
    for s in SCOPES:
        copy_source(mx, s)
    return reverse("qualityobjective-copy-year")


# --- Data -------------------------------------------------------------------------------------------------------


def new_indicator(mx, role, scope, api=False):
    data = {"name": f"Indicator by {role}", "value_source": "entered", "unit": "lần", "comparison": "lte",
            "target": "2", "frequency": "monthly", "metric": "", "owner": ""}
    if api:
        data = {**data, "objective": str(objective(mx, scope).pk), "owner": None}
    return data


def new_plan_action(mx, role, scope, api=False):
    data = {"description": f"New action {role}", "owner": mx.person[scope].pk,
            "due_on": (today() + dt.timedelta(days=5)).isoformat()}
    return {**data, "objective": str(objective(mx, scope).pk)} if api else data


def measurement_data(mx, role, scope):
    return {"period_start": dt.date(PAST, 4, 2).isoformat(), "value": "7", "evidence": f"Evidence {role}"}


def edit_objective(mx, role, scope, api=False):
    return {"title": f"Edited by {role}", "description": "", **({} if api else {"owner": ""})}


OBJ_MARKER = lambda mx, s: f"OBJ-marker-draft-{s}"  # noqa: E731
IND_MARKER = lambda mx, s: f"IND-marker-draft-{s}"  # noqa: E731
PLAN_MARKER = lambda mx, s: f"PLAN-marker-{s}"  # noqa: E731
POLICY_MARKER = lambda mx, s: f"POLICY-marker-{s}"  # noqa: E731


def own_list_shows(mx, role, scope):
    """The year's page lists the current agency's objectives (the supervisor's current agency is DOST)."""
    return {OBJ_MARKER(mx, "own"): role == "admin" or role in READERS, OBJ_MARKER(mx, "sibling"): False,
            OBJ_MARKER(mx, "foreign"): False}


def own_policy_shows(mx, role, scope):
    return {POLICY_MARKER(mx, "own"): role == "admin" or role in READERS, POLICY_MARKER(mx, "sibling"): False,
            POLICY_MARKER(mx, "foreign"): False}


def page(name, path, *checks, scoped=True):
    return Entry(f"objectives:{name}", "page", path, tuple(checks), scoped=scoped)


OBJECTIVES: list[Entry] = [
    page("objective_list", own_page("objectives:objective_list"),
         Check("get", everyone(200), shows=own_list_shows), scoped=False),
    page("objective_add", own_page("objectives:objective_add"),
         Check("get", only(MANAGERS, 200)),
         Check("post", only(MANAGERS, 302), data=lambda mx, r, s: {"year": today().year, "title": f"By {r}"},
               state=own_objectives), scoped=False),
    page("objective_copy_year", copy_page,
         Check("post", only(MANAGERS, 302), data=lambda mx, r, s: {"from_year": COPY_FROM, "to_year": COPY_TO},
               state=copied_in), scoped=False),
    page("policy_detail", own_page("objectives:policy_detail"),
         Check("get", everyone(200), shows=own_policy_shows), scoped=False),
    page("policy_edit", own_page("objectives:policy_edit"),
         Check("get", only(MANAGERS, 200)),
         Check("post", only(MANAGERS, 302), data=lambda mx, r, s: {"text": f"Policy by {r}", "document": ""},
               state=own_policy_texts), scoped=False),
    page("policy_approve", at("objectives:policy_approve", lambda mx, r, s: policy(mx, s).pk),
         Check("post", approve(302), state=policy_status)),
    page("objective_detail", at("objectives:objective_detail", objective_pk()), Check("get", read)),
    page("objective_edit", at("objectives:objective_edit", objective_pk()),
         Check("get", manage(200)), Check("post", manage(302), data=edit_objective, state=title_of())),
    page("objective_approve", at("objectives:objective_approve", objective_pk()),
         Check("post", approve(302), state=status_of())),
    page("objective_close", at("objectives:objective_close", objective_pk("approved")),
         Check("post", manage(302), state=status_of("approved"))),
    page("indicator_add", at("objectives:indicator_add", objective_pk()),
         Check("get", manage(200)), Check("post", manage(302), data=new_indicator, state=indicators_of)),
    page("indicator_edit", at("objectives:indicator_edit", indicator_pk()),
         Check("get", manage(200)),
         Check("post", manage(302), data=lambda mx, r, s: {**new_indicator(mx, r, s), "name": f"Renamed by {r}"},
               state=indicator_name)),
    page("measurement_add", at("objectives:measurement_add", indicator_pk("approved")),
         Check("get", manage(200)), Check("post", manage(302), data=measurement_data, state=evidence_of)),
    page("measurement_compute", at("objectives:measurement_compute", lambda mx, r, s: computed(mx, s).pk),
         Check("post", manage(302))),
    page("measurement_evidence", at("objectives:measurement_evidence", measurement_pk), Check("get", read)),
    page("plan_add", at("objectives:plan_add", objective_pk()),
         Check("post", manage(302), data=new_plan_action, state=plan_of)),
    page("plan_done", at("objectives:plan_done", plan_pk),
         Check("post", manage(302), data=lambda mx, r, s: {"evidence": "Evidence"}, state=plan_status)),
    # --- API ----------------------------------------------------------------------------------------------------
    Entry("qualitypolicy-list", "api", listed("qualitypolicy-list"), (
        Check("get", everyone(200), shows=each_scope(POLICY_MARKER, read)),
        Check("post", in_agency(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "text": f"By {r}"},
              state=policy_texts),
    ), scoped=True),
    Entry("qualitypolicy-detail", "api", at("qualitypolicy-detail", lambda mx, r, s: policy(mx, s).pk),
          (Check("get", read),), scoped=True),
    Entry("qualitypolicy-approve", "api", at("qualitypolicy-approve", lambda mx, r, s: policy(mx, s).pk),
          (Check("post", approve(200), state=policy_status),), scoped=True),
    Entry("qualityobjective-list", "api", listed("qualityobjective-list"), (
        Check("get", everyone(200), shows=each_scope(OBJ_MARKER, read)),
        Check("post", in_agency(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "year": 2027,
                                                              "title": f"By {r}"}, state=objectives_in),
    ), scoped=True),
    Entry("qualityobjective-detail", "api", at("qualityobjective-detail", objective_pk()), (
        Check("get", read, shows=lambda mx, r, s: {IND_MARKER(mx, s): read(r, s) == 200}),
        Check("patch", manage(200), data=lambda mx, r, s: edit_objective(mx, r, s, api=True), state=title_of()),
        Check("put", manage(200), data=lambda mx, r, s: {"title": f"Put by {r}", "description": "", "owner": None},
              state=title_of()),
    ), scoped=True),
    Entry("qualityobjective-approve", "api", at("qualityobjective-approve", objective_pk()),
          (Check("post", approve(200), state=status_of()),), scoped=True),
    Entry("qualityobjective-close", "api", at("qualityobjective-close", objective_pk("approved")),
          (Check("post", manage(200), state=status_of("approved")),), scoped=True),
    Entry("qualityobjective-copy-year", "api", copy_api, (
        Check("post", in_agency(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "from_year": COPY_FROM,
                                                              "to_year": COPY_TO}, state=copied_in),
    ), scoped=True),
    Entry("objectiveindicator-list", "api", listed("objectiveindicator-list"), (
        Check("get", everyone(200), shows=each_scope(IND_MARKER, read)),
        Check("post", on_objective(201), data=lambda mx, r, s: new_indicator(mx, r, s, api=True),
              state=indicators_of),
    ), scoped=True),
    Entry("objectiveindicator-detail", "api", at("objectiveindicator-detail", indicator_pk()),
          (Check("get", read),), scoped=True),
    Entry("objectiveindicator-measurements", "api", at("objectiveindicator-measurements", indicator_pk("approved")),
          (Check("get", read, shows=lambda mx, r, s: {"minh-chung.pdf": read(r, s) == 200}),), scoped=True),
    Entry("objectiveindicator-record", "api", at("objectiveindicator-record", indicator_pk("approved")),
          (Check("post", manage(200), data=measurement_data, state=evidence_of),), scoped=True),
    Entry("objectiveplan-list", "api", listed("objectiveplan-list"), (
        Check("get", everyone(200), shows=each_scope(PLAN_MARKER, read)),
        Check("post", on_objective(201), data=lambda mx, r, s: new_plan_action(mx, r, s, api=True), state=plan_of),
    ), scoped=True),
    Entry("objectiveplan-detail", "api", at("objectiveplan-detail", plan_pk), (Check("get", read),), scoped=True),
    Entry("objectiveplan-done", "api", at("objectiveplan-done", plan_pk),
          (Check("post", manage(200), data=lambda mx, r, s: {"evidence": "Evidence"}, state=plan_status),),
          scoped=True),
]
