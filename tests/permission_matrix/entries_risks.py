"""Matrix rows: the context (issues, interested parties), the risk register, its heat map and its matrix (pages
and API).

Read by the agency's head, ISO coordinator, staff and auditors, by the supervisor of the province and the
administrator; consultants and other agencies get 404. The head and the coordinator manage everything (staff,
auditors and the supervisor: 403); staff mark done the actions they own (the actions here belong to another
person: 403). The heat map of another agency (`?agency=`) is 404 like its risks.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix
from eiso.risks.services import (
    context_issue_create,
    interested_party_create,
    risk_action_add,
    risk_action_done,
    risk_create,
    risk_transition,
)
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


def create_in(ok: int):
    """Creating in the scope's agency (API body `agency`): an agency the user cannot see is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in MANAGERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def action_create(ok: int):
    """Planning an action on the scope's risk (API body): an unseen risk is unknown (400)."""

    def policy(role, scope):
        return 400 if read(role, scope) == 404 else manage(ok)(role, scope)

    return policy


# --- The objects: one per scope and stage, made on first use --------------------------------------------------


def _made(mx) -> dict:
    """The objects made for this test's matrix, by key: found again by id even after a check renamed them."""
    return vars(mx).setdefault("risks_made", {})


def risk(mx, scope: str, stage: str = "open") -> Risk:
    """The scope's risk: open (treatment reduce, one open action of the scope's person) or treating (its action
    done, ready for the review)."""
    made = _made(mx).get(("risk", scope, stage))
    if made is not None:
        return made
    description = f"RISK-marker-{stage}-{scope}"
    made = risk_create(actor=None, agency=mx.agency[scope], description=description, likelihood=3, consequence=3,
                       treatment="reduce", process=mx.process[scope])
    action = risk_action_add(actor=None, risk=made, description=f"RACTION-marker-{stage}-{scope}",
                             owner=mx.person[scope], due_on=dt.date.today() + dt.timedelta(days=7))
    if stage == "treating":
        made = risk_transition(actor=None, risk=made, action="start_treatment")
        risk_action_done(actor=None, action=action, evidence="Done")
    _made(mx)[("risk", scope, stage)] = made
    return made


def issue(mx, scope: str) -> ContextIssue:
    key = ("issue", scope)
    if key not in _made(mx):
        _made(mx)[key] = context_issue_create(actor=None, agency=mx.agency[scope], kind="external",
                                              description=f"ISSUE-marker-{scope}")
    return _made(mx)[key]


def party(mx, scope: str) -> InterestedParty:
    key = ("party", scope)
    if key not in _made(mx):
        _made(mx)[key] = interested_party_create(actor=None, agency=mx.agency[scope], name=f"PARTY-marker-{scope}",
                                                 requirements="On time")
    return _made(mx)[key]


def every_scope(mx):
    for scope in SCOPES:
        risk(mx, scope)
        issue(mx, scope)
        party(mx, scope)


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def risk_pk(stage="open"):
    return lambda mx, role, scope: risk(mx, scope, stage).pk


def action_pk(mx, role, scope):
    return risk(mx, scope).actions.get().pk


def issue_pk(mx, role, scope):
    return issue(mx, scope).pk


def party_pk(mx, role, scope):
    return party(mx, scope).pk


def own_url(name):
    return lambda mx, role, scope: reverse(name)


def heatmap_of_scope(mx, role, scope):
    risk(mx, scope)
    return reverse("risks:heatmap") + f"?agency={mx.agency[scope].pk}"


def matrix_of_scope(mx, role, scope):
    return reverse("risk-matrix", args=[mx.agency[scope].pk])


# --- States ---------------------------------------------------------------------------------------------------


def stored(mx, scope, stage="open"):
    return Risk.objects.get(pk=risk(mx, scope, stage).pk)


def risk_description(mx, role, scope):
    return stored(mx, scope).description


def risk_status(mx, role, scope):
    return stored(mx, scope).status


def risk_effective(mx, role, scope):
    return stored(mx, scope, "treating").is_effective


def actions_of(mx, role, scope):
    return RiskAction.objects.filter(risk=risk(mx, scope)).count()


def action_status(mx, role, scope):
    return RiskAction.objects.get(pk=action_pk(mx, role, scope)).status


def risks_in_own(mx, role, scope):
    return Risk.objects.filter(agency=mx.agency["own"]).count()


def risks_in(mx, role, scope):
    return Risk.objects.filter(agency=mx.agency[scope]).count()


def issues_in_own(mx, role, scope):
    return ContextIssue.objects.filter(agency=mx.agency["own"]).count()


def issues_in(mx, role, scope):
    return ContextIssue.objects.filter(agency=mx.agency[scope]).count()


def parties_in_own(mx, role, scope):
    return InterestedParty.objects.filter(agency=mx.agency["own"]).count()


def parties_in(mx, role, scope):
    return InterestedParty.objects.filter(agency=mx.agency[scope]).count()


def issue_state(mx, role, scope):
    return ContextIssue.objects.filter(pk=issue(mx, scope).pk).values_list("description", "status").first()


def party_state(mx, role, scope):
    return InterestedParty.objects.filter(pk=party(mx, scope).pk).values_list("name", "requirements").first()


def matrix_state(scope):
    return lambda mx, role, s: list(RiskMatrix.objects.filter(agency=mx.agency[scope if scope else s]).values_list(
        "likelihood_size", "consequence_size", "low_max", "medium_max"))


# --- Data -----------------------------------------------------------------------------------------------------


def risk_form(mx, role, scope):
    return {"kind": "risk", "description": f"Changed by {role}", "likelihood": "2", "consequence": "2",
            "treatment": "reduce"}


def risk_api_body(mx, role, scope):
    """A complete PUT body of the scope's open risk (description, likelihood, consequence: required): its process,
    kind, scores and treatment kept, the description changed."""
    return {"process": str(mx.process[scope].pk), "kind": "risk", "description": f"Put by {role}", "cause": "",
            "consequence_description": "", "likelihood": 3, "consequence": 3, "treatment": "reduce"}


def new_action(mx, role, scope, api=False):
    data = {"description": f"New action {role}", "owner": mx.person[scope].pk,
            "due_on": (dt.date.today() + dt.timedelta(days=5)).isoformat()}
    return {**data, "risk": str(risk(mx, scope).pk)} if api else data


def review(mx, role, scope, api=False):
    if api:
        return {"residual_likelihood": 1, "residual_consequence": 2, "is_effective": True}
    return {"residual_likelihood": "1", "residual_consequence": "2", "is_effective": "yes"}


MATRIX_FORM = {"likelihood_size": "4", "likelihood_labels": "a\nb\nc\nd", "consequence_size": "4",
               "consequence_labels": "a\nb\nc\nd", "low_max": "3", "medium_max": "9"}
MATRIX_API = {"likelihood_size": 4, "consequence_size": 4, "likelihood_labels": list("abcd"),
              "consequence_labels": list("abcd"), "low_max": 3, "medium_max": 9}
ISSUE_FORM = {"kind": "internal", "description": "Changed issue", "status": "no_longer_relevant",
              "identified_on": "2026-01-10"}
PARTY_FORM = {"name": "Changed party", "requirements": "Changed requirements"}

RISK_MARKER = lambda mx, s: f"RISK-marker-open-{s}"  # noqa: E731
ACTION_MARKER = lambda mx, s: f"RACTION-marker-open-{s}"  # noqa: E731
ISSUE_MARKER = lambda mx, s: f"ISSUE-marker-{s}"  # noqa: E731
PARTY_MARKER = lambda mx, s: f"PARTY-marker-{s}"  # noqa: E731


def shows_context(mx, role, scope):
    return {**each_scope(ISSUE_MARKER, read)(mx, role, scope), **each_scope(PARTY_MARKER, read)(mx, role, scope)}


def page_action(name: str, arg, data, state) -> Entry:
    return Entry(f"risks:{name}", "page", at(f"risks:{name}", arg),
                 (Check("post", manage(302), data=data, state=state),), scoped=True)


def page_edit(name: str, arg, data, state) -> Entry:
    return Entry(f"risks:{name}", "page", at(f"risks:{name}", arg),
                 (Check("get", manage(200)), Check("post", manage(302), data=data, state=state)), scoped=True)


def page_add(name: str, data, state) -> Entry:
    return Entry(f"risks:{name}", "page", own_url(f"risks:{name}"),
                 (Check("get", only(MANAGERS, 200)), Check("post", only(MANAGERS, 302), data=data, state=state)))


RISKS: list[Entry] = [
    Entry("risks:risk_list", "page", listed("risks:risk_list"),
          (Check("get", everyone(200), shows=each_scope(RISK_MARKER, read)),), scoped=True),
    Entry("risks:heatmap", "page", heatmap_of_scope, (Check("get", read),), scoped=True),
    page_add("risk_add", lambda mx, r, s: {"kind": "risk", "description": f"Risk by {r}", "likelihood": "3",
                                           "consequence": "2"}, risks_in_own),
    page_add("matrix", lambda mx, r, s: MATRIX_FORM, matrix_state("own")),
    Entry("risks:risk_detail", "page", at("risks:risk_detail", risk_pk()), (Check("get", read),), scoped=True),
    page_edit("risk_edit", risk_pk(), risk_form, risk_description),
    page_action("risk_transition", risk_pk(), lambda mx, r, s: {"action": "start_treatment"}, risk_status),
    page_action("risk_review", risk_pk("treating"), review, risk_effective),
    page_action("action_add", risk_pk(), new_action, actions_of),
    page_action("action_done", action_pk, lambda mx, r, s: {"evidence": "Evidence"}, action_status),
    Entry("risks:context", "page", listed("risks:context"), (Check("get", everyone(200), shows=shows_context),),
          scoped=True),
    page_add("issue_add", lambda mx, r, s: {**ISSUE_FORM, "description": f"Issue by {r}", "status": "active"},
             issues_in_own),
    page_edit("issue_edit", issue_pk, lambda mx, r, s: ISSUE_FORM, issue_state),
    page_add("party_add", lambda mx, r, s: {"name": f"Party of {r}", "requirements": "On time"}, parties_in_own),
    page_edit("party_edit", party_pk, lambda mx, r, s: PARTY_FORM, party_state),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("contextissue-list", "api", listed("contextissue-list"), (
        Check("get", everyone(200), shows=each_scope(ISSUE_MARKER, read)),
        Check("post", create_in(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "kind": "internal",
                                                             "description": f"Issue by {r}"}, state=issues_in),
    ), scoped=True),
    Entry("contextissue-detail", "api", at("contextissue-detail", issue_pk), (
        Check("get", read),
        Check("patch", manage(200), data=lambda mx, r, s: {"status": "no_longer_relevant"}, state=issue_state),
        Check("put", manage(200), data=lambda mx, r, s: {"kind": "internal", "description": f"Put by {r}"},
              state=issue_state),
    ), scoped=True),
    Entry("interestedparty-list", "api", listed("interestedparty-list"), (
        Check("get", everyone(200), shows=each_scope(PARTY_MARKER, read)),
        Check("post", create_in(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "name": f"Party {r}",
                                                             "requirements": "On time"}, state=parties_in),
    ), scoped=True),
    Entry("interestedparty-detail", "api", at("interestedparty-detail", party_pk), (
        Check("get", read),
        Check("patch", manage(200), data=lambda mx, r, s: {"requirements": f"Patched by {r}"}, state=party_state),
        Check("put", manage(200), data=lambda mx, r, s: {"name": f"PARTY-marker-{s}", "requirements": f"Put by {r}",
                                                         "monitoring": ""}, state=party_state),
    ), scoped=True),
    Entry("risk-list", "api", listed("risk-list"), (
        Check("get", everyone(200), shows=each_scope(RISK_MARKER, read)),
        Check("post", create_in(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "likelihood": 2,
                                                             "consequence": 2, "description": f"Risk by {r}"},
              state=risks_in),
    ), scoped=True),
    Entry("risk-detail", "api", at("risk-detail", risk_pk()), (
        Check("get", read),
        Check("patch", manage(200), data=lambda mx, r, s: {"description": f"Patched by {r}"}, state=risk_description),
        Check("put", manage(200), data=risk_api_body, state=risk_description),
    ), scoped=True),
    Entry("risk-transition", "api", at("risk-transition", risk_pk()),
          (Check("post", manage(200), data=lambda mx, r, s: {"action": "start_treatment"}, state=risk_status),),
          scoped=True),
    Entry("risk-review", "api", at("risk-review", risk_pk("treating")),
          (Check("post", manage(200), data=lambda mx, r, s: review(mx, r, s, api=True), state=risk_effective),),
          scoped=True),
    Entry("riskaction-list", "api", listed("riskaction-list"), (
        Check("get", everyone(200), shows=each_scope(ACTION_MARKER, read)),
        Check("post", action_create(201), data=lambda mx, r, s: new_action(mx, r, s, api=True), state=actions_of),
    ), scoped=True),
    Entry("riskaction-detail", "api", at("riskaction-detail", action_pk), (Check("get", read),), scoped=True),
    Entry("riskaction-done", "api", at("riskaction-done", action_pk),
          (Check("post", manage(200), data=lambda mx, r, s: {"evidence": "Evidence"}, state=action_status),),
          scoped=True),
    Entry("risk-matrix", "api", matrix_of_scope, (
        Check("get", read),
        Check("put", manage(200), data=lambda mx, r, s: MATRIX_API, state=matrix_state(None)),
    ), scoped=True),
]
