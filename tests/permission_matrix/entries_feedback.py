"""Matrix rows: citizens' feedback and satisfaction surveys (pages, API, public pages).

Read as nonconformities: the agency's head, ISO coordinator, staff and auditors, the supervisor of the province
and the administrator; consultants and other agencies: 404. Feedback is recorded (desk, phone, e-mail) by the
head, the coordinator and staff; assigned, closed, rejected and turned into a nonconformity by the head and the
coordinator, answered by them or by its handler (the feedback here has none: 403 for the other readers).
Surveys and their questions are managed by the head and the coordinator. The public pages (form, status, survey)
answer everyone, signed in or not, the same way.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.improvement.feedback_services import feedback_receive, feedback_respond
from eiso.improvement.models import Feedback, SatisfactionSurvey, SurveyQuestion
from eiso.improvement.surveys import survey_create, survey_question_add, survey_transition
from tests.permission_matrix.entries_improvement import nc_manage, nc_read
from tests.permission_matrix.harness import SCOPES, Check, Entry, each_scope, everyone, only

RECORDERS = frozenset({"agency_head", "iso_coordinator", "staff"})
MANAGERS = frozenset({"agency_head", "iso_coordinator"})


def created_in(roles, ok: int):
    """Creating in the scope's agency (API body `agency`): unseen agency 400, seen without the right 403."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in roles):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def question_create(ok: int):
    def policy(role, scope):
        if nc_read(role, scope) == 404:
            return 400
        return nc_manage(ok)(role, scope)

    return policy


# --- The objects --------------------------------------------------------------------------------------------


def _made(mx, key):
    """The object made earlier in this test for `key` (by primary key: its fields may have been changed), if it
    still exists (a role's requests are rolled back with what they made)."""
    model, pk = getattr(mx, "_feedback_objects", {}).get(key, (None, None))
    return model.objects.filter(pk=pk).first() if model else None


def _remember(mx, key, obj):
    if not hasattr(mx, "_feedback_objects"):
        mx._feedback_objects = {}
    mx._feedback_objects[key] = (type(obj), obj.pk)
    return obj


def feedback(mx, scope: str, stage: str = "received") -> Feedback:
    content = f"FB-marker-{stage}-{scope}"
    found = _made(mx, ("feedback", scope, stage))
    if found:
        return found
    made = feedback_receive(actor=None, agency=mx.agency[scope], content=content, submitter_name="Trần Thị Bình",
                            phone="0987654321")
    if stage == "answered":
        made = feedback_respond(actor=None, feedback=made, response="Đã trả lời")
    return _remember(mx, ("feedback", scope, stage), made)


def survey(mx, scope: str, stage: str = "draft") -> SatisfactionSurvey:
    title = f"SURVEY-marker-{stage}-{scope}"
    found = _made(mx, ("survey", scope, stage))
    if found:
        return found
    made = survey_create(actor=None, agency=mx.agency[scope], title=title, starts_on=dt.date.today())
    survey_question_add(actor=None, survey=made, text=f"QUESTION-marker-{stage}-{scope}")
    if stage == "open":
        made = survey_transition(actor=None, survey=made, action="open")
    return _remember(mx, ("survey", scope, stage), made)


def every_scope(mx):
    for scope in SCOPES:
        feedback(mx, scope)
        survey(mx, scope)


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def feedback_pk(stage="received"):
    return lambda mx, role, scope: feedback(mx, scope, stage).pk


def survey_pk(stage="draft"):
    return lambda mx, role, scope: survey(mx, scope, stage).pk


def question_pk(mx, role, scope):
    return survey(mx, scope).questions.get().pk


# --- States -------------------------------------------------------------------------------------------------


def feedback_field(field, stage="received"):
    return lambda mx, role, scope: Feedback.objects.filter(pk=feedback(mx, scope, stage).pk).values_list(
        field, flat=True).get()


def survey_field(field, stage="draft"):
    return lambda mx, role, scope: SatisfactionSurvey.objects.filter(pk=survey(mx, scope, stage).pk).values_list(
        field, flat=True).get()


def feedback_in(scope_of):
    return lambda mx, role, scope: Feedback.objects.filter(agency=mx.agency[scope_of or scope]).count()


def surveys_in(scope_of):
    return lambda mx, role, scope: SatisfactionSurvey.objects.filter(agency=mx.agency[scope_of or scope]).count()


def questions_of(mx, role, scope):
    return SurveyQuestion.objects.filter(survey=survey(mx, scope)).count()


# --- Data ---------------------------------------------------------------------------------------------------


def desk_feedback(mx, role, scope, api=False):
    data = {"channel": "desk", "kind": "petition", "content": f"Desk feedback by {role}",
            "submitter_name": "Lê Văn Cường", "phone": "0912000111", "email": ""}
    return {**data, "agency": str(mx.agency[scope].pk)} if api else data


def handler(mx, role, scope):
    return {"handler": mx.person[scope].pk}


def new_survey(mx, role, scope, api=False):
    data = {"title": f"Survey by {role}", "starts_on": dt.date.today().isoformat(), "description": ""}
    return {**data, "agency": str(mx.agency[scope].pk)} if api else data


def new_question(mx, role, scope, api=False):
    data = {"text": f"Question by {role}", "kind": "yes_no", "order": 5, "is_required": "on"}
    if api:
        return {"survey": str(survey(mx, scope).pk), "text": f"Question by {role}", "kind": "yes_no"}
    return data


FB_MARKER = lambda mx, s: f"FB-marker-received-{s}"  # noqa: E731
SURVEY_MARKER = lambda mx, s: f"SURVEY-marker-draft-{s}"  # noqa: E731
QUESTION_MARKER = lambda mx, s: f"QUESTION-marker-draft-{s}"  # noqa: E731


def page_action(name, arg, data, state, ok=302) -> Entry:
    return Entry(f"improvement:{name}", "page", at(f"improvement:{name}", arg),
                 (Check("post", nc_manage(ok), data=data, state=state),), scoped=True)


def public_survey(mx, role, scope):
    return reverse("portal:survey", args=[survey(mx, "own", "open").pk])


FEEDBACK: list[Entry] = [
    # --- feedback pages ----------------------------------------------------------------------------------
    Entry("improvement:feedback_list", "page", listed("improvement:feedback_list"),
          (Check("get", everyone(200), shows=each_scope(FB_MARKER, nc_read)),), scoped=True),
    Entry("improvement:feedback_add", "page", lambda mx, r, s: reverse("improvement:feedback_add"), (
        Check("get", only(RECORDERS, 200)),
        Check("post", only(RECORDERS, 302), data=desk_feedback, state=feedback_in("own")),
    )),
    Entry("improvement:feedback_detail", "page", at("improvement:feedback_detail", feedback_pk()),
          (Check("get", nc_read),), scoped=True),
    page_action("feedback_assign", feedback_pk(), handler, feedback_field("handler")),
    page_action("feedback_respond", feedback_pk(), lambda mx, r, s: {"response": f"Answer by {r}"},
                feedback_field("response")),
    page_action("feedback_close", feedback_pk("answered"), lambda mx, r, s: {},
                feedback_field("status", "answered")),
    page_action("feedback_reject", feedback_pk(), lambda mx, r, s: {"reason": "Out of scope"},
                feedback_field("status")),
    page_action("feedback_nonconformity", feedback_pk(), lambda mx, r, s: {"grade": "minor"},
                feedback_field("nonconformity")),
    # --- survey pages ------------------------------------------------------------------------------------
    Entry("improvement:survey_list", "page", listed("improvement:survey_list"),
          (Check("get", everyone(200), shows=each_scope(SURVEY_MARKER, nc_read)),), scoped=True),
    Entry("improvement:survey_add", "page", lambda mx, r, s: reverse("improvement:survey_add"), (
        Check("get", only(MANAGERS, 200)),
        Check("post", only(MANAGERS, 302), data=new_survey, state=surveys_in("own")),
    )),
    Entry("improvement:survey_detail", "page", at("improvement:survey_detail", survey_pk()),
          (Check("get", nc_read),), scoped=True),
    Entry("improvement:survey_edit", "page", at("improvement:survey_edit", survey_pk()), (
        Check("get", nc_manage(200)),
        Check("post", nc_manage(302), data=lambda mx, r, s: new_survey(mx, r, s), state=survey_field("title")),
    ), scoped=True),
    page_action("survey_transition", survey_pk(), lambda mx, r, s: {"action": "open"}, survey_field("status")),
    page_action("survey_question_add", survey_pk(), new_question, questions_of),
    page_action("survey_question_delete", question_pk, lambda mx, r, s: {}, questions_of),
    Entry("improvement:survey_results", "page", at("improvement:survey_results", survey_pk()),
          (Check("get", nc_read),), scoped=True),
    # --- public pages: no login, one answer for everyone ---------------------------------------------------
    Entry("portal:feedback", "page", lambda mx, r, s: reverse("portal:feedback") + f"?agency={mx.agency['own'].code}",
          (Check("get", everyone(200)),), anonymous=200),
    Entry("portal:feedback_status", "page", lambda mx, r, s: reverse("portal:feedback_status"),
          (Check("get", everyone(200), query="?code=KHONG-CO&digits=0000"),), anonymous=200),
    Entry("portal:survey", "page", public_survey, (Check("get", everyone(200)),), anonymous=200),
    # --- API ---------------------------------------------------------------------------------------------
    Entry("feedback-list", "api", listed("feedback-list"), (
        Check("get", everyone(200), shows=each_scope(FB_MARKER, nc_read)),
        Check("post", created_in(RECORDERS, 201), data=lambda mx, r, s: desk_feedback(mx, r, s, api=True),
              state=feedback_in(None)),
    ), scoped=True),
    Entry("feedback-detail", "api", at("feedback-detail", feedback_pk()), (Check("get", nc_read),), scoped=True),
    Entry("feedback-assign", "api", at("feedback-assign", feedback_pk()),
          (Check("post", nc_manage(200), data=handler, state=feedback_field("handler")),), scoped=True),
    Entry("feedback-respond", "api", at("feedback-respond", feedback_pk()),
          (Check("post", nc_manage(200), data=lambda mx, r, s: {"response": f"Answer by {r}"},
                 state=feedback_field("response")),), scoped=True),
    Entry("feedback-close", "api", at("feedback-close", feedback_pk("answered")),
          (Check("post", nc_manage(200), state=feedback_field("status", "answered")),), scoped=True),
    Entry("feedback-reject", "api", at("feedback-reject", feedback_pk()),
          (Check("post", nc_manage(200), data=lambda mx, r, s: {"reason": "Out of scope"},
                 state=feedback_field("status")),), scoped=True),
    Entry("feedback-nonconformity", "api", at("feedback-nonconformity", feedback_pk()),
          (Check("post", nc_manage(201), data=lambda mx, r, s: {"grade": "minor"},
                 state=feedback_field("nonconformity")),), scoped=True),
    Entry("satisfactionsurvey-list", "api", listed("satisfactionsurvey-list"), (
        Check("get", everyone(200), shows=each_scope(SURVEY_MARKER, nc_read)),
        Check("post", created_in(MANAGERS, 201),
              data=lambda mx, r, s: new_survey(mx, r, s, api=True), state=surveys_in(None)),
    ), scoped=True),
    Entry("satisfactionsurvey-detail", "api", at("satisfactionsurvey-detail", survey_pk()), (
        Check("get", nc_read),
        Check("patch", nc_manage(200), data=lambda mx, r, s: {"title": f"Changed by {r}"},
              state=survey_field("title")),
    ), scoped=True),
    Entry("satisfactionsurvey-transition", "api", at("satisfactionsurvey-transition", survey_pk()),
          (Check("post", nc_manage(200), data=lambda mx, r, s: {"action": "open"}, state=survey_field("status")),),
          scoped=True),
    Entry("satisfactionsurvey-results", "api", at("satisfactionsurvey-results", survey_pk()),
          (Check("get", nc_read),), scoped=True),
    Entry("surveyquestion-list", "api", listed("surveyquestion-list"), (
        Check("get", everyone(200), shows=each_scope(QUESTION_MARKER, nc_read)),
        Check("post", question_create(201), data=lambda mx, r, s: new_question(mx, r, s, api=True),
              state=questions_of),
    ), scoped=True),
    Entry("surveyquestion-detail", "api", at("surveyquestion-detail", question_pk), (
        Check("get", nc_read),
        Check("patch", nc_manage(200), data=lambda mx, r, s: {"text": f"Changed by {r}"},
              state=lambda mx, r, s: SurveyQuestion.objects.filter(survey=survey(mx, s)).values_list(
                  "text", flat=True).first()),
        Check("delete", nc_manage(204), state=questions_of),
    ), scoped=True),
]
