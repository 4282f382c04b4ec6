"""Matrix rows: nonconformities and corrective actions (pages and API).

Nonconformities are read by the agency's head, ISO coordinator, staff and auditors, by the supervisor of the
province and the administrator; consultants and other agencies get 404. The head and the coordinator manage
them (analysis, actions, transitions, verification); staff and auditors raise them (403 on managing), and staff
mark done the actions they own (the actions here belong to another person: 403).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from eiso.dossiers.models import Dossier
from eiso.improvement.models import CorrectiveAction, Nonconformity
from eiso.improvement.services import (
    corrective_action_add,
    corrective_action_done,
    nonconformity_analysis_record,
    nonconformity_raise,
    nonconformity_transition,
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

nc_read = qms_read
nc_manage = qms_manage
READERS = QMS_READERS
RAISERS = READERS
MANAGERS = QMS_MANAGERS


def nc_create(ok: int):
    """Raising in the scope's agency (API body `agency`): an agency the user cannot see is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in RAISERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def action_create(ok: int):
    """Planning an action on the scope's nonconformity (API body): an unseen one is unknown (400)."""

    def policy(role, scope):
        if nc_read(role, scope) == 404:
            return 400
        return nc_manage(ok)(role, scope)

    return policy


def from_dossier(role: str, scope: str) -> int:
    """A late dossier: those who read the agency's dossiers raise (201); an unseen dossier is unknown (400)."""
    return 201 if role == "admin" or (scope == "own" and role in READERS) else 400


# --- The objects: one per scope and stage, made on first use --------------------------------------------------


def nonconformity(mx, scope: str, stage: str = "analysed") -> Nonconformity:
    """The scope's nonconformity at `stage`: analysed (one open action of the scope's person) or verification."""
    description = f"NC-marker-{stage}-{scope}"
    found = Nonconformity.objects.filter(agency=mx.agency[scope], description=description).first()
    if found:
        return found
    made = nonconformity_raise(actor=None, agency=mx.agency[scope], description=description, source="audit_finding")
    made = nonconformity_analysis_record(actor=None, nonconformity=made, method="five_whys",
                                         analysis="Why 1, why 2", root_cause="No checklist")
    action = corrective_action_add(actor=None, nonconformity=made, description=f"ACTION-marker-{stage}-{scope}",
                                   owner=mx.person[scope], due_on=dt.date.today() + dt.timedelta(days=7))
    if stage == "verification":
        made = nonconformity_transition(actor=None, nonconformity=made, action="start_actions")
        corrective_action_done(actor=None, action=action, evidence="Done")
        made = nonconformity_transition(actor=None, nonconformity=made, action="submit_verification")
    return made


def every_scope(mx):
    for scope in SCOPES:
        nonconformity(mx, scope)


def nc_pk(stage="analysed"):
    return lambda mx, role, scope: nonconformity(mx, scope, stage).pk


def action_pk(mx, role, scope):
    return nonconformity(mx, scope).actions.get().pk


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def late_dossier(mx, role, scope):
    Dossier.objects.filter(pk=mx.dossier[scope].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    return reverse("nonconformity-from-dossier")


def late_dossier_page(mx, role, scope):
    Dossier.objects.filter(pk=mx.dossier[scope].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    return reverse("improvement:nonconformity_from_dossier", args=[mx.dossier[scope].pk])


def from_dossier_page(role: str, scope: str) -> int:
    """The dossier page's button: those who read the agency's dossiers raise (302); others do not see it (404)."""
    return 302 if role == "admin" or (scope == "own" and role in READERS) else 404


# --- States ---------------------------------------------------------------------------------------------------


def stored(mx, scope, stage="analysed"):
    return Nonconformity.objects.get(pk=nonconformity(mx, scope, stage).pk)


def analysis_of(mx, role, scope):
    return stored(mx, scope).root_cause


def status_of(mx, role, scope):
    return stored(mx, scope).status


def effective_of(mx, role, scope):
    return stored(mx, scope, "verification").is_effective


def actions_of(mx, role, scope):
    return CorrectiveAction.objects.filter(nonconformity=nonconformity(mx, scope)).count()


def action_status(mx, role, scope):
    return CorrectiveAction.objects.get(pk=action_pk(mx, role, scope)).status


def raised_in_own(mx, role, scope):
    return Nonconformity.objects.filter(agency=mx.agency["own"]).count()


def raised_in(mx, role, scope):
    return Nonconformity.objects.filter(agency=mx.agency[scope]).count()


def dossier_nonconformities(mx, role, scope):
    return Nonconformity.objects.filter(dossier=mx.dossier[scope]).count()


# --- Data -----------------------------------------------------------------------------------------------------


def analysis(mx, role, scope):
    return {"method": "cause_categories", "analysis": "Method: no checklist", "root_cause": f"Changed by {role}"}


def new_action(mx, role, scope, api=False):
    data = {"description": f"New action {role}", "owner": mx.person[scope].pk,
            "due_on": (dt.date.today() + dt.timedelta(days=5)).isoformat()}
    return {**data, "nonconformity": str(nonconformity(mx, scope).pk)} if api else data


def api_raise(mx, role, scope):
    return {"agency": str(mx.agency[scope].pk), "source": "inspection", "description": f"Raised by {role}"}


NC_MARKER = lambda mx, s: f"NC-marker-analysed-{s}"  # noqa: E731
ACTION_MARKER = lambda mx, s: f"ACTION-marker-analysed-{s}"  # noqa: E731
START = {"action": "start_actions"}


def page_action(name: str, arg, data, state) -> Entry:
    return Entry(f"improvement:{name}", "page", at(f"improvement:{name}", arg),
                 (Check("post", nc_manage(302), data=data, state=state),), scoped=True)


IMPROVEMENT: list[Entry] = [
    Entry("improvement:nonconformity_list", "page", listed("improvement:nonconformity_list"),
          (Check("get", everyone(200), shows=each_scope(NC_MARKER, nc_read)),), scoped=True),
    Entry("improvement:nonconformity_add", "page", lambda mx, r, s: reverse("improvement:nonconformity_add"), (
        Check("get", only(RAISERS, 200)),
        Check("post", only(RAISERS, 302), data=lambda mx, r, s: {"source": "other", "description": f"Raised by {r}"},
              state=raised_in_own),
    )),
    Entry("improvement:nonconformity_detail", "page", at("improvement:nonconformity_detail", nc_pk()),
          (Check("get", nc_read),), scoped=True),
    Entry("improvement:nonconformity_edit", "page", at("improvement:nonconformity_edit", nc_pk()), (
        Check("get", nc_manage(200)),
        Check("post", nc_manage(302), data=lambda mx, r, s: {"description": NC_MARKER(mx, s),
                                                             "correction": f"Edited by {r}", "grade": "major"},
              state=lambda mx, r, s: stored(mx, s).correction),
    ), scoped=True),
    Entry("improvement:nonconformity_from_dossier", "page", late_dossier_page,
          (Check("post", from_dossier_page, state=dossier_nonconformities),), scoped=True),
    page_action("nonconformity_analysis", nc_pk(), analysis, analysis_of),
    page_action("nonconformity_transition", nc_pk(), lambda mx, r, s: START, status_of),
    page_action("nonconformity_verify", nc_pk("verification"), lambda mx, r, s: {"is_effective": "yes"},
                effective_of),
    page_action("action_add", nc_pk(), new_action, actions_of),
    page_action("action_done", action_pk, lambda mx, r, s: {"evidence": "Evidence"}, action_status),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("nonconformity-list", "api", listed("nonconformity-list"), (
        Check("get", everyone(200), shows=each_scope(NC_MARKER, nc_read)),
        Check("post", nc_create(201), data=api_raise, state=raised_in),
    ), scoped=True),
    Entry("nonconformity-detail", "api", at("nonconformity-detail", nc_pk()), (Check("get", nc_read),), scoped=True),
    Entry("nonconformity-analysis", "api", at("nonconformity-analysis", nc_pk()),
          (Check("post", nc_manage(200), data=analysis, state=analysis_of),), scoped=True),
    Entry("nonconformity-transition", "api", at("nonconformity-transition", nc_pk()),
          (Check("post", nc_manage(200), data=lambda mx, r, s: START, state=status_of),), scoped=True),
    Entry("nonconformity-verify", "api", at("nonconformity-verify", nc_pk("verification")),
          (Check("post", nc_manage(200), data=lambda mx, r, s: {"is_effective": True}, state=effective_of),),
          scoped=True),
    Entry("nonconformity-from-dossier", "api", late_dossier,
          (Check("post", from_dossier, data=lambda mx, r, s: {"dossier": str(mx.dossier[s].pk)},
                 state=dossier_nonconformities),), scoped=True),
    Entry("correctiveaction-list", "api", listed("correctiveaction-list"), (
        Check("get", everyone(200), shows=each_scope(ACTION_MARKER, nc_read)),
        Check("post", action_create(201), data=lambda mx, r, s: new_action(mx, r, s, api=True), state=actions_of),
    ), scoped=True),
    Entry("correctiveaction-detail", "api", at("correctiveaction-detail", action_pk),
          (Check("get", nc_read),), scoped=True),
    Entry("correctiveaction-done", "api", at("correctiveaction-done", action_pk),
          (Check("post", nc_manage(200), data=lambda mx, r, s: {"evidence": "Evidence"}, state=action_status),),
          scoped=True),
]
