"""Matrix rows: management reviews (pages and API).

Reviews are read by the agency's head, ISO coordinator, staff and auditors, by the supervisor of the province and
the administrator; consultants and other agencies get 404. The head and the coordinator manage them (plan, edit,
assemble the inputs, comment, hold, record decisions, issue the minutes); staff and auditors get 403, and staff
mark done only the actions they own (the actions here belong to another person: 403). The confirmation of
effectiveness is the agency head's alone: everyone else who sees the review, the administrator included, 403.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from eiso.core.permissions import Role
from eiso.reviews.models import ManagementReview, ReviewAction, ReviewInput
from eiso.reviews.services import (
    review_action_add,
    review_create,
    review_hold,
    review_input_comment,
    review_inputs_assemble,
)
from tests.factories import RoleAssignmentFactory, UserFactory
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

rv_read = qms_read
rv_manage = qms_manage
READERS = QMS_READERS
MANAGERS = QMS_MANAGERS


def rv_confirm(ok: int):
    """The agency head of the review's agency only; the administrator too is refused (403)."""

    def policy(role, scope):
        if rv_read(role, scope) == 404:
            return 404
        return ok if role == "agency_head" and scope == "own" else 403

    return policy


def rv_create(ok: int):
    """Planning in the scope's agency (API body `agency`): an agency the user cannot see is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in MANAGERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def action_create(ok: int):
    """Recording a decision on the scope's review (API body): an unseen review is unknown (400)."""

    def policy(role, scope):
        if rv_read(role, scope) == 404:
            return 400
        return rv_manage(ok)(role, scope)

    return policy


# --- The objects: one per scope and stage, made on first use --------------------------------------------------


def head(mx, scope):
    if scope == "own":
        return mx.users["agency_head"]
    user = UserFactory._meta.model.objects.filter(username=f"{scope}-head").first()
    if user is None:
        user = UserFactory(username=f"{scope}-head")
        RoleAssignmentFactory(user=user, agency=mx.agency[scope], role=Role.AGENCY_HEAD)
    return user


def review(mx, scope: str, stage: str = "planned") -> ManagementReview:
    """The scope's review at `stage`: planned, ready (inputs assembled and commented) or held (with one open
    action of the scope's person)."""
    title = f"REVIEW-marker-{stage}-{scope}"
    found = ManagementReview.objects.filter(agency=mx.agency[scope], title=title).first()
    if found:
        return found
    made = review_create(actor=None, agency=mx.agency[scope], title=title, year=2025,
                         period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
                         meeting_at=timezone.now() - dt.timedelta(hours=1), chair=head(mx, scope),
                         secretary=mx.person[scope])
    if stage in ("ready", "held"):
        made = review_inputs_assemble(actor=None, review=made)
        review_input_comment(actor=None, review_input=made.inputs.get(key="resources"), comment="Enough")
    if stage == "held":
        made = review_hold(actor=None, review=made)
        review_action_add(actor=None, review=made, kind="improvement", description=f"RVACTION-marker-{scope}",
                          owner=mx.person[scope], due_on=dt.date.today() + dt.timedelta(days=30))
    return made


def every_scope(mx):
    for scope in SCOPES:
        review(mx, scope, "held")


def rv_pk(stage="planned"):
    return lambda mx, role, scope: review(mx, scope, stage).pk


def action_pk(mx, role, scope):
    return review(mx, scope, "held").actions.get().pk


def input_pk(mx, role, scope):
    return review(mx, scope, "ready").inputs.get(key="resources").pk


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


# --- States ---------------------------------------------------------------------------------------------------


def stored(mx, scope, stage):
    return ManagementReview.objects.get(pk=review(mx, scope, stage).pk)


def state_of(stage, field):
    return lambda mx, role, scope: getattr(stored(mx, scope, stage), field)


def inputs_of(mx, role, scope):
    return (stored(mx, scope, "planned").status, ReviewInput.objects.filter(review=review(mx, scope)).count())


def comment_of(mx, role, scope):
    return ReviewInput.objects.get(pk=input_pk(mx, role, scope)).comment


def actions_of(mx, role, scope):
    return ReviewAction.objects.filter(review=review(mx, scope, "held")).count()


def action_status(mx, role, scope):
    return ReviewAction.objects.get(pk=action_pk(mx, role, scope)).status


def reviews_in(scope_of):
    return lambda mx, role, scope: ManagementReview.objects.filter(agency=mx.agency[scope_of(scope)]).count()


# --- Data -----------------------------------------------------------------------------------------------------


def review_form(mx, role, scope):
    """The edit form keeps the marker title (by which the review is found) and changes the place."""
    return {"title": f"REVIEW-marker-planned-{scope}", "year": 2025, "period_start": "2025-01-01",
            "period_end": "2025-12-31", "place": f"Changed by {role}", "attendees": ""}


def review_api_body(mx, role, scope):
    """A complete PUT body of the scope's planned review (title, year, period: required): the marker title (by which
    the review is found), its meeting, chair and secretary kept, the place changed."""
    return {"title": f"REVIEW-marker-planned-{scope}", "year": 2025, "period_start": "2025-01-01",
            "period_end": "2025-12-31", "meeting_at": stored(mx, scope, "planned").meeting_at.isoformat(),
            "place": f"Put by {role}", "chair": head(mx, scope).pk, "secretary": mx.person[scope].pk, "attendees": ""}


def new_action(mx, role, scope, api=False):
    data = {"kind": "resource", "description": f"New action {role}", "owner": mx.person[scope].pk,
            "due_on": (dt.date.today() + dt.timedelta(days=5)).isoformat()}
    return {**data, "review": str(review(mx, scope, "held").pk)} if api else data


def api_plan(mx, role, scope):
    return {"agency": str(mx.agency[scope].pk), "title": f"Planned by {role}", "year": 2025,
            "period_start": "2025-01-01", "period_end": "2025-12-31"}


RV_MARKER = lambda mx, s: f"REVIEW-marker-held-{s}"  # noqa: E731
ACTION_MARKER = lambda mx, s: f"RVACTION-marker-{s}"  # noqa: E731
CONFIRM = {"statement": "The QMS is effective"}
CONCLUSION = {"conclusion": "Suitable, adequate, effective"}


def page_action(name: str, arg, data, state, policy=None) -> Entry:
    return Entry(f"reviews:{name}", "page", at(f"reviews:{name}", arg),
                 (Check("post", policy or rv_manage(302), data=data, state=state),), scoped=True)


def api_action(name: str, stage: str, data, state, policy=None) -> Entry:
    return Entry(f"managementreview-{name}", "api", at(f"managementreview-{name}", rv_pk(stage)),
                 (Check("post", policy or rv_manage(200), data=data, state=state),), scoped=True)


REVIEWS: list[Entry] = [
    Entry("reviews:review_list", "page", listed("reviews:review_list"),
          (Check("get", everyone(200), shows=each_scope(RV_MARKER, rv_read)),), scoped=True),
    Entry("reviews:review_add", "page", lambda mx, r, s: reverse("reviews:review_add"), (
        Check("get", only(MANAGERS, 200)),
        Check("post", only(MANAGERS, 302), data=review_form, state=reviews_in(lambda s: "own")),
    )),
    Entry("reviews:review_detail", "page", at("reviews:review_detail", rv_pk("held")),
          (Check("get", rv_read, shows=lambda mx, r, s: {f"RVACTION-marker-{s}": True}),), scoped=True),
    Entry("reviews:review_minutes", "page", at("reviews:review_minutes", rv_pk("held")),
          (Check("get", rv_read),), scoped=True),
    Entry("reviews:review_edit", "page", at("reviews:review_edit", rv_pk()), (
        Check("get", rv_manage(200)),
        Check("post", rv_manage(302), data=review_form, state=state_of("planned", "place")),
    ), scoped=True),
    page_action("review_assemble", rv_pk(), None, inputs_of),
    page_action("input_comment", input_pk, lambda mx, r, s: {"comment": f"By {r}"}, comment_of),
    page_action("review_hold", rv_pk("ready"), None, state_of("ready", "status")),
    page_action("review_close", rv_pk("held"), lambda mx, r, s: CONCLUSION, state_of("held", "status")),
    page_action("review_confirm", rv_pk("held"), lambda mx, r, s: CONFIRM,
                state_of("held", "effectiveness_confirmed_at"), policy=rv_confirm(302)),
    page_action("action_add", rv_pk("held"), new_action, actions_of),
    page_action("action_done", action_pk, lambda mx, r, s: {"evidence": "Evidence"}, action_status),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("managementreview-list", "api", listed("managementreview-list"), (
        Check("get", everyone(200), shows=each_scope(RV_MARKER, rv_read)),
        Check("post", rv_create(201), data=api_plan, state=reviews_in(lambda s: s)),
    ), scoped=True),
    Entry("managementreview-detail", "api", at("managementreview-detail", rv_pk()), (
        Check("get", rv_read),
        Check("patch", rv_manage(200), data=lambda mx, r, s: {"place": f"Patched by {r}"},
              state=state_of("planned", "place")),
        Check("put", rv_manage(200), data=review_api_body, state=state_of("planned", "place")),
    ), scoped=True),
    api_action("assemble", "planned", None, inputs_of),
    api_action("comment", "ready", lambda mx, r, s: {"key": "resources", "comment": f"By {r}"}, comment_of),
    api_action("hold", "ready", None, state_of("ready", "status")),
    api_action("close", "held", lambda mx, r, s: CONCLUSION, state_of("held", "status")),
    api_action("confirm", "held", lambda mx, r, s: CONFIRM, state_of("held", "effectiveness_confirmed_at"),
               policy=rv_confirm(200)),
    Entry("reviewaction-list", "api", listed("reviewaction-list"), (
        Check("get", everyone(200), shows=each_scope(ACTION_MARKER, rv_read)),
        Check("post", action_create(201), data=lambda mx, r, s: new_action(mx, r, s, api=True), state=actions_of),
    ), scoped=True),
    Entry("reviewaction-detail", "api", at("reviewaction-detail", action_pk), (Check("get", rv_read),), scoped=True),
    Entry("reviewaction-done", "api", at("reviewaction-done", action_pk),
          (Check("post", rv_manage(200), data=lambda mx, r, s: {"evidence": "Evidence"}, state=action_status),),
          scoped=True),
]
