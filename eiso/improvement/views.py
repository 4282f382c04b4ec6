"""Pages of nonconformities and corrective actions: list, create, detail with the analysis, the actions
and the verification, and the POST actions that call the services."""

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.improvement import services, workflow
from eiso.improvement.choices import ActionStatus, NonconformitySource, NonconformityStatus
from eiso.improvement.forms import (
    ActionDoneForm,
    ActionForm,
    AnalysisForm,
    NonconformityEditForm,
    NonconformityForm,
    VerificationForm,
)
from eiso.improvement.models import CorrectiveAction, Nonconformity


def overdue_actions():
    return CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"), status=ActionStatus.OPEN,
                                           due_on__lt=today())


class NonconformityTable(tables.Table):
    number = tables.Column(linkify=True)
    raised_at = tables.DateTimeColumn(format="d/m/Y")
    description = tables.Column(orderable=False)

    class Meta:
        model = Nonconformity
        fields = ["number", "agency", "source", "grade", "description", "status", "raised_at"]

    def render_description(self, value):
        return value if len(value) <= 100 else value[:100] + "…"


class NonconformityFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=NonconformityStatus.choices, label=gettext_lazy("status"))
    source = django_filters.ChoiceFilter(choices=NonconformitySource.choices, label=gettext_lazy("source"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("overdue actions"))

    class Meta:
        model = Nonconformity
        fields = ["status", "source", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Exists(overdue_actions())
        return queryset.filter(late) if value else queryset.exclude(late)


class NonconformityListView(ObjectListView):
    model = Nonconformity
    table_class = NonconformityTable
    filterset_class = NonconformityFilterSet
    title = gettext_lazy("Nonconformities")
    add_url_name = "improvement:nonconformity_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_raise(self.request.user, agency)


class NonconformityCreateView(ObjectEditView):
    model = Nonconformity
    form_class = NonconformityForm
    title = gettext_lazy("Raise a nonconformity")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_raise(self.request.user, agency)

    def save(self, form):
        data = form.cleaned_data
        return services.nonconformity_raise(
            actor=self.request.user, agency=self.request.agency, description=data["description"],
            source=data["source"], correction=data["correction"], grade=data["grade"], owner=data["owner"],
            process=data["process"])


class NonconformityEditView(ObjectEditView):
    """Correct the description, the immediate correction, the grade, the owner and the process while the
    nonconformity is not closed (the service refuses a closed one)."""

    model = Nonconformity
    form_class = NonconformityEditForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.object.agency
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.nonconformity_update(
            actor=self.request.user, nonconformity=self.object, description=data["description"],
            correction=data["correction"], grade=data["grade"], owner=data["owner"], process=data["process"])


class NonconformityFromDossierView(ObjectActionView):
    """The "Raise a nonconformity" button of a late dossier's page: raises it and opens it (a refusal is shown on
    the dossier's page)."""

    model = None
    follow_next = False

    def get_queryset(self):
        from eiso.dossiers.models import Dossier

        return Dossier.objects.restrict(self.request.user, "view").select_related("procedure", "agency")

    def act(self, request, dossier):
        self.raised = services.nonconformity_from_late_dossier(actor=request.user, dossier=dossier)
        return _("Nonconformity %(number)s raised.") % {"number": self.raised.number}

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        raised = getattr(self, "raised", None)
        return redirect(raised.get_absolute_url()) if raised is not None else response


class NonconformityDetailView(ObjectDetailView):
    model = Nonconformity
    queryset = Nonconformity.objects.select_related("agency", "dossier", "process", "raised_by", "owner",
                                                    "analysed_by", "verified_by")
    template_name = "improvement/nonconformity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nonconformity, user = self.object, self.request.user
        manage = context["can_change"]
        context["actions"] = [
            (a, a.status == ActionStatus.OPEN and services.can_update_action(user, a),
             a.status == ActionStatus.OPEN and a.due_on < today())
            for a in nonconformity.actions.select_related("owner")
        ]
        context["transitions"] = workflow.available(nonconformity.status) if manage else []
        context["can_edit"] = manage and nonconformity.status != NonconformityStatus.CLOSED
        context["feedback_items"] = nonconformity.feedback_items.all()
        context["can_analyse"] = manage and nonconformity.status in workflow.ANALYSIS_ALLOWED
        context["can_add_action"] = manage and nonconformity.status in workflow.ACTIONS_ALLOWED
        context["can_verify"] = manage and nonconformity.status == NonconformityStatus.VERIFICATION
        context["analysis_form"] = AnalysisForm(initial={
            "method": nonconformity.analysis_method, "analysis": nonconformity.analysis,
            "root_cause": nonconformity.root_cause})
        context["action_form"] = ActionForm(agency=nonconformity.agency)
        context["done_form"] = ActionDoneForm()
        context["verification_form"] = VerificationForm()
        return context


class NonconformityAnalysisView(ObjectActionView):
    model = Nonconformity
    permission = "change"
    follow_next = False

    def act(self, request, nonconformity):
        services.nonconformity_analysis_record(
            actor=request.user, nonconformity=nonconformity, method=request.POST.get("method", ""),
            analysis=request.POST.get("analysis", ""), root_cause=request.POST.get("root_cause", ""))
        return _("Saved.")


class NonconformityTransitionView(ObjectActionView):
    model = Nonconformity
    permission = "change"
    follow_next = False

    def act(self, request, nonconformity):
        services.nonconformity_transition(actor=request.user, nonconformity=nonconformity,
                                          action=request.POST.get("action", ""), note=request.POST.get("note", ""))
        return _("Done.")


class NonconformityVerifyView(ObjectActionView):
    model = Nonconformity
    permission = "change"
    follow_next = False

    def act(self, request, nonconformity):
        form = VerificationForm(request.POST)
        is_effective = form.is_valid() and form.cleaned_data["is_effective"]
        services.nonconformity_verify(actor=request.user, nonconformity=nonconformity, is_effective=is_effective,
                                      comment=request.POST.get("comment", ""))
        return _("Saved.")


class CorrectiveActionAddView(ObjectActionView):
    model = Nonconformity
    permission = "change"
    follow_next = False

    def act(self, request, nonconformity):
        form = ActionForm(request.POST, agency=nonconformity.agency)
        if not form.is_valid():
            raise ApplicationError(_("Complete the action: description, owner (one of the agency's people) and "
                                     "due date."), code="invalid")
        data = form.cleaned_data
        services.corrective_action_add(actor=request.user, nonconformity=nonconformity,
                                       description=data["description"], owner=data["owner"], due_on=data["due_on"])
        return _("Saved.")


class CorrectiveActionDoneView(ObjectActionView):
    model = CorrectiveAction
    select_related = ("nonconformity",)
    follow_next = False

    def act(self, request, action):
        services.corrective_action_done(actor=request.user, action=action, evidence=request.POST.get("evidence", ""))
        return _("Done.")
