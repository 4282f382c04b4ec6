"""The agency's pages of citizens' feedback and satisfaction surveys: lists, detail with the handling forms, and the
POST actions that call the services (feedback_services, surveys)."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.improvement import feedback_services as services
from eiso.improvement import surveys
from eiso.improvement.choices import (
    FEEDBACK_PENDING,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    SurveyStatus,
)
from eiso.improvement.feedback_forms import (
    AssignForm,
    FeedbackForm,
    QuestionForm,
    RaiseNonconformityForm,
    RejectForm,
    RespondForm,
    SurveyForm,
)
from eiso.improvement.feedback_workflow import allowed
from eiso.improvement.models import Feedback, SatisfactionSurvey, SurveyQuestion

# --- Feedback -------------------------------------------------------------------------------------------------


class FeedbackTable(tables.Table):
    number = tables.Column(linkify=True)
    received_at = tables.DateTimeColumn(format="d/m/Y")
    due_on = tables.DateColumn(format="d/m/Y")
    content = tables.Column(orderable=False)

    class Meta:
        model = Feedback
        fields = ["number", "kind", "channel", "content", "status", "handler", "received_at", "due_on"]

    def render_content(self, value):
        return value if len(value) <= 100 else value[:100] + "…"

    def render_due_on(self, value, record):
        text = value.strftime("%d/%m/%Y")
        return f"{text} — {_('Overdue')}" if record.is_overdue_on(today()) else text


class FeedbackFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("search"))
    status = django_filters.ChoiceFilter(choices=FeedbackStatus.choices, label=gettext_lazy("status"))
    kind = django_filters.ChoiceFilter(choices=FeedbackKind.choices, label=gettext_lazy("kind"))
    channel = django_filters.ChoiceFilter(choices=FeedbackChannel.choices, label=gettext_lazy("channel"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("overdue"))

    class Meta:
        model = Feedback
        fields = ["q", "status", "kind", "channel", "overdue"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(content__icontains=value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=FEEDBACK_PENDING, due_on__lt=today())
        return queryset.filter(late) if value else queryset.exclude(late)


class FeedbackListView(ObjectListView):
    model = Feedback
    table_class = FeedbackTable
    filterset_class = FeedbackFilterSet
    title = gettext_lazy("Citizens' feedback")
    add_url_name = "improvement:feedback_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "handler")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_record(self.request.user, agency)


class FeedbackCreateView(ObjectEditView):
    model = Feedback
    form_class = FeedbackForm
    title = gettext_lazy("Record a feedback received at the desk, by phone or by e-mail")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_record(self.request.user, agency)

    def save(self, form):
        data = form.cleaned_data
        return services.feedback_receive(
            actor=self.request.user, agency=self.request.agency, channel=data["channel"], kind=data["kind"],
            procedure=data["procedure"], content=data["content"], submitter_name=data["submitter_name"],
            phone=data["phone"], email=data["email"])


class FeedbackDetailView(ObjectDetailView):
    model = Feedback
    queryset = Feedback.objects.select_related("agency", "procedure", "handler", "answered_by", "recorded_by",
                                               "nonconformity")
    template_name = "improvement/feedback_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        feedback, user = self.object, self.request.user
        manage = services.can_manage(user, feedback)
        context["title"] = str(feedback)
        context["is_overdue"] = feedback.is_overdue_on(today())
        context["show_contact"] = services.can_see_contact(user, feedback)
        context["can_assign"] = manage and allowed("assign", feedback.status)
        context["can_respond"] = services.can_respond(user, feedback) and allowed("respond", feedback.status)
        context["can_close"] = manage and allowed("close", feedback.status)
        context["can_reject"] = manage and allowed("reject", feedback.status)
        context["can_raise"] = (manage and feedback.nonconformity_id is None
                                and feedback.status != FeedbackStatus.REJECTED)
        context["assign_form"] = AssignForm(agency=feedback.agency, initial={"handler": feedback.handler_id})
        context["respond_form"] = RespondForm()
        context["reject_form"] = RejectForm()
        context["raise_form"] = RaiseNonconformityForm()
        return context


class FeedbackActionView(ObjectActionView):
    model = Feedback
    follow_next = False


class FeedbackAssignView(FeedbackActionView):
    permission = "change"

    def act(self, request, feedback):
        form = AssignForm(request.POST, agency=feedback.agency)
        if not form.is_valid():
            raise ApplicationError(_("Choose the handler among the agency's head, ISO coordinator and staff."))
        services.feedback_assign(actor=request.user, feedback=feedback, handler=form.cleaned_data["handler"])
        return _("Assigned.")


class FeedbackRespondView(FeedbackActionView):
    """The handler answers: no model permission here, the service checks who the handler is (403 otherwise)."""

    def act(self, request, feedback):
        services.feedback_respond(actor=request.user, feedback=feedback, response=request.POST.get("response", ""))
        return _("Saved.")


class FeedbackCloseView(FeedbackActionView):
    permission = "change"

    def act(self, request, feedback):
        services.feedback_close(actor=request.user, feedback=feedback)
        return _("Closed.")


class FeedbackRejectView(FeedbackActionView):
    permission = "change"

    def act(self, request, feedback):
        services.feedback_reject(actor=request.user, feedback=feedback, reason=request.POST.get("reason", ""))
        return _("Rejected.")


class FeedbackRaiseNonconformityView(FeedbackActionView):
    permission = "change"

    def act(self, request, feedback):
        self.raised = services.feedback_raise_nonconformity(
            actor=request.user, feedback=feedback, description=request.POST.get("description", ""),
            grade=request.POST.get("grade", ""))
        return _("Nonconformity %(number)s raised.") % {"number": self.raised.number}


# --- Surveys --------------------------------------------------------------------------------------------------


class SurveyTable(tables.Table):
    title = tables.Column(linkify=True)
    starts_on = tables.DateColumn(format="d/m/Y")
    ends_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = SatisfactionSurvey
        fields = ["title", "status", "starts_on", "ends_on"]


class SurveyFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SurveyStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = SatisfactionSurvey
        fields = ["status"]


class SurveyListView(ObjectListView):
    model = SatisfactionSurvey
    table_class = SurveyTable
    filterset_class = SurveyFilterSet
    title = gettext_lazy("Satisfaction surveys")
    add_url_name = "improvement:survey_add"

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and surveys.can_manage(self.request.user, agency)


class SurveyCreateView(ObjectEditView):
    model = SatisfactionSurvey
    form_class = SurveyForm
    title = gettext_lazy("New satisfaction survey")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and surveys.can_manage(self.request.user, agency)

    def save(self, form):
        return surveys.survey_create(actor=self.request.user, agency=self.request.agency, **form.cleaned_data)


class SurveyEditView(ObjectEditView):
    model = SatisfactionSurvey
    form_class = SurveyForm

    def save(self, form):
        return surveys.survey_update(actor=self.request.user, survey=self.object, **form.cleaned_data)


class SurveyDetailView(ObjectDetailView):
    model = SatisfactionSurvey
    template_name = "improvement/survey_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = self.object
        manage = context["can_change"]
        context["title"] = survey.title
        context["questions"] = survey.questions.all()
        context["is_draft"] = survey.status == SurveyStatus.DRAFT
        context["can_edit_questions"] = manage and survey.status == SurveyStatus.DRAFT
        context["transitions"] = [(name, label) for name, (sources, _target, label) in surveys.TRANSITIONS.items()
                                  if survey.status in sources] if manage else []
        context["question_form"] = QuestionForm()
        context["responses"] = survey.responses.count()
        return context


class SurveyTransitionView(ObjectActionView):
    model = SatisfactionSurvey
    permission = "change"
    follow_next = False

    def act(self, request, survey):
        surveys.survey_transition(actor=request.user, survey=survey, action=request.POST.get("action", ""))
        return _("Done.")


class SurveyQuestionAddView(ObjectActionView):
    model = SatisfactionSurvey
    permission = "change"
    follow_next = False

    def act(self, request, survey):
        form = QuestionForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Complete the question: its text and the kind of answer."))
        data = form.cleaned_data
        surveys.survey_question_add(actor=request.user, survey=survey, text=data["text"], kind=data["kind"],
                                    order=data["order"], is_required=data["is_required"])
        return _("Saved.")


class SurveyQuestionDeleteView(ObjectActionView):
    model = SurveyQuestion
    permission = "change"
    select_related = ("survey",)
    follow_next = False

    def act(self, request, question):
        surveys.survey_question_delete(actor=request.user, question=question)
        return _("Deleted.")


class SurveyResultsView(ObjectDetailView):
    model = SatisfactionSurvey
    template_name = "improvement/survey_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Results: %(title)s") % {"title": self.object.title}
        context["results"] = surveys.survey_results(self.object)
        return context

