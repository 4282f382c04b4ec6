"""Pages of the context and the risk register: the register with its heat map, the context (issues and
interested parties), a risk's page with its actions and effectiveness review, the forms, the matrix settings
and the heat map as an SVG file. Every write calls one service."""

import django_filters
import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.organizations.models import Agency
from eiso.processes.models import Process
from eiso.risks import services, workflow
from eiso.risks.choices import RiskActionStatus, RiskKind, RiskLevel, RiskStatus
from eiso.risks.forms import (
    ActionDoneForm,
    ContextIssueForm,
    InterestedPartyForm,
    RiskActionForm,
    RiskForm,
    RiskMatrixForm,
    RiskReviewForm,
)
from eiso.risks.heatmap import heatmap_svg
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix
from eiso.risks.selectors import heatmap_counts, matrix_of


def overdue_actions():
    return RiskAction.objects.filter(risk=OuterRef("pk"), status=RiskActionStatus.OPEN, due_on__lt=today())


class RiskTable(tables.Table):
    description = tables.Column(linkify=True, orderable=False)
    identified_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Risk
        fields = ["description", "agency", "kind", "process", "likelihood", "consequence", "level", "treatment",
                  "residual_level", "status", "identified_on"]

    def render_description(self, value):
        return value if len(value) <= 100 else value[:100] + "…"

    def render_process(self, value):
        return value.code if value else "—"


class RiskFilterSet(django_filters.FilterSet):
    process = django_filters.ModelChoiceFilter(queryset=Process.objects.none(), label=gettext_lazy("process"))
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, label=gettext_lazy("kind"))
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=gettext_lazy("level"))
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=gettext_lazy("status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("overdue actions"))

    class Meta:
        model = Risk
        fields = ["process", "kind", "level", "status", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        # the processes of the agency worked in (published processes of other agencies are visible, not theirs)
        agency = getattr(request, "agency", None)
        self.filters["process"].queryset = Process.objects.restrict(user, "view").filter(agency=agency)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Exists(overdue_actions())
        return queryset.filter(late) if value else queryset.exclude(late)


def _heatmap_agency(request):
    """The agency whose heat map is drawn: `?agency=` when the user may read its risks, else the current
    agency. 404 when the user may not read the risks of that agency."""
    agency_id = request.GET.get("agency")
    try:
        agency = Agency.objects.filter(pk=agency_id).first() if agency_id else request.agency
    except ValidationError:
        agency = None
    if agency is None or not _may_read(request.user, agency):
        raise Http404
    return agency


def _may_read(user, agency) -> bool:
    """Whether `user` reads the context and risks of `agency` (the same roles as Risk's view)."""
    from eiso.core.permissions import scope_for

    scope = scope_for(user)
    if scope.is_global:
        return True
    return agency.pk in scope.agencies_for("view", Risk.permitted_roles) or (
        scope.supervises_for("view", Risk.permitted_roles) and agency.province_id in scope.supervised_provinces)


def _heatmap(request, agency):
    """(matrix, SVG text, table rows) for the agency's risks passing the page's filters."""
    matrix = matrix_of(agency=agency)
    risks = RiskFilterSet(request.GET or None, queryset=Risk.objects.restrict(request.user, "view").filter(
        agency=agency), request=request).qs
    current = heatmap_counts(risks=risks, matrix=matrix)
    residual = heatmap_counts(risks=risks, matrix=matrix, residual=True)
    rows = [(matrix.likelihood_label(likelihood),
             [(current[(likelihood, c)], residual[(likelihood, c)], matrix.level_for(likelihood, c),
               RiskLevel(matrix.level_for(likelihood, c)).label)
              for c in range(1, matrix.consequence_size + 1)])
            for likelihood in range(matrix.likelihood_size, 0, -1)]
    return matrix, heatmap_svg(matrix=matrix, current=current, residual=residual), rows


class RiskListView(ObjectListView):
    model = Risk
    table_class = RiskTable
    filterset_class = RiskFilterSet
    title = gettext_lazy("Risks and opportunities")
    add_url_name = "risks:risk_add"
    template_name = "risks/risk_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "process")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.request.agency
        if agency is not None and _may_read(self.request.user, agency):
            matrix, svg, rows = _heatmap(self.request, agency)
            context.update(heatmap_agency=agency, heatmap_matrix=matrix, heatmap_svg=mark_safe(svg),  # noqa: S308  # nosec B308 B703
                           heatmap_rows=rows, heatmap_query=self.request.GET.urlencode(),
                           consequence_steps=[matrix.consequence_label(c)
                                              for c in range(1, matrix.consequence_size + 1)])
            context["can_manage"] = services.can_manage(self.request.user, agency)
        return context


class HeatmapSvgView(LoginRequiredMixin, View):
    """The heat map of the current agency (or `?agency=`), with the register's filters, as an SVG file."""

    def get(self, request):
        agency = _heatmap_agency(request)
        _matrix, svg, _rows = _heatmap(request, agency)
        response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + svg,
                                content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="risk-heatmap.svg"'
        return response


class RiskCreateView(ObjectEditView):
    model = Risk
    form_class = RiskForm
    title = gettext_lazy("Record a risk or opportunity")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["matrix"] = matrix_of(agency=self.object.agency if self.object else self.request.agency)
        return kwargs

    def _values(self, form) -> dict:
        data = form.cleaned_data
        return {"kind": data["kind"], "description": data["description"], "cause": data["cause"],
                "consequence_description": data["consequence_description"], "likelihood": data["likelihood"],
                "consequence": data["consequence"], "treatment": data["treatment"], "process": data["process"],
                "identified_on": data["identified_on"]}

    def save(self, form):
        return services.risk_create(actor=self.request.user, agency=self.request.agency, **self._values(form))


class RiskEditView(RiskCreateView):
    title = ""

    def save(self, form):
        return services.risk_update(actor=self.request.user, risk=self.object, **self._values(form))


class RiskDetailView(ObjectDetailView):
    model = Risk
    queryset = Risk.objects.select_related("agency", "process", "reviewer")
    template_name = "risks/risk_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk, user = self.object, self.request.user
        manage = context["can_change"]
        matrix = matrix_of(agency=risk.agency)
        context["matrix"] = matrix
        context["likelihood_label"] = matrix.likelihood_label(risk.likelihood)
        context["consequence_label"] = matrix.consequence_label(risk.consequence)
        if risk.residual_likelihood:
            context["residual_likelihood_label"] = matrix.likelihood_label(risk.residual_likelihood)
            context["residual_consequence_label"] = matrix.consequence_label(risk.residual_consequence)
        context["actions"] = [
            (a, a.status == RiskActionStatus.OPEN and services.can_update_action(user, a),
             a.status == RiskActionStatus.OPEN and a.due_on < today())
            for a in risk.actions.select_related("owner", "risk__agency")
        ]
        context["transitions"] = workflow.available(risk.status) if manage else []
        context["can_edit"] = manage and risk.status in workflow.EDIT_ALLOWED
        context["can_add_action"] = manage and risk.status in workflow.ACTIONS_ALLOWED
        context["can_review"] = manage and risk.status in workflow.REVIEW_ALLOWED
        context["action_form"] = RiskActionForm(agency=risk.agency)
        context["done_form"] = ActionDoneForm()
        context["review_form"] = RiskReviewForm(matrix=matrix, initial={
            "residual_likelihood": risk.residual_likelihood or risk.likelihood,
            "residual_consequence": risk.residual_consequence or risk.consequence, "reviewed_on": today()})
        return context


class RiskTransitionView(ObjectActionView):
    model = Risk
    permission = "change"
    follow_next = False

    def act(self, request, risk):
        services.risk_transition(actor=request.user, risk=risk, action=request.POST.get("action", ""),
                                 note=request.POST.get("note", ""))
        return _("Done.")


class RiskReviewView(ObjectActionView):
    model = Risk
    permission = "change"
    follow_next = False

    def act(self, request, risk):
        form = RiskReviewForm(request.POST, matrix=matrix_of(agency=risk.agency))
        if not form.is_valid():
            raise ApplicationError(_("Complete the review: residual likelihood and consequence within the matrix, "
                                     "and whether the actions were effective."), code="invalid")
        data = form.cleaned_data
        services.risk_review(actor=request.user, risk=risk, residual_likelihood=data["residual_likelihood"],
                             residual_consequence=data["residual_consequence"], is_effective=data["is_effective"],
                             comment=data["comment"], reviewed_on=data["reviewed_on"])
        return _("Saved.")


class RiskActionAddView(ObjectActionView):
    model = Risk
    permission = "change"
    follow_next = False

    def act(self, request, risk):
        form = RiskActionForm(request.POST, agency=risk.agency)
        if not form.is_valid():
            raise ApplicationError(_("Complete the action: description, owner (one of the agency's people) and "
                                     "due date."), code="invalid")
        data = form.cleaned_data
        services.risk_action_add(actor=request.user, risk=risk, description=data["description"],
                                 owner=data["owner"], due_on=data["due_on"])
        return _("Saved.")


class RiskActionDoneView(ObjectActionView):
    model = RiskAction
    select_related = ("risk", "risk__agency")
    follow_next = False

    def act(self, request, action):
        services.risk_action_done(actor=request.user, action=action, evidence=request.POST.get("evidence", ""))
        return _("Done.")


# --- Context ------------------------------------------------------------------------------------------------


class ContextView(LoginRequiredMixin, TemplateView):
    """The context issues and interested parties the user may read (clauses 4.1 and 4.2)."""

    template_name = "risks/context.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agency = self.request.user, self.request.agency
        context["issues"] = ContextIssue.objects.restrict(user, "view").select_related("agency")
        context["parties"] = InterestedParty.objects.restrict(user, "view").select_related("agency")
        context["can_manage"] = agency is not None and services.can_manage(user, agency)
        context["manageable"] = set(ContextIssue.objects.restrict(user, "change").values_list("pk", flat=True)) | set(
            InterestedParty.objects.restrict(user, "change").values_list("pk", flat=True))
        return context


class _ManagerAddMixin:
    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class ContextIssueCreateView(_ManagerAddMixin, ObjectEditView):
    model = ContextIssue
    form_class = ContextIssueForm
    title = gettext_lazy("Record a context issue")

    def save(self, form):
        return services.context_issue_create(actor=self.request.user, agency=self.request.agency,
                                             **form.cleaned_data)


class ContextIssueEditView(_ManagerAddMixin, ObjectEditView):
    model = ContextIssue
    form_class = ContextIssueForm

    def save(self, form):
        return services.context_issue_update(actor=self.request.user, issue=self.object, **form.cleaned_data)


class InterestedPartyCreateView(_ManagerAddMixin, ObjectEditView):
    model = InterestedParty
    form_class = InterestedPartyForm
    title = gettext_lazy("Record an interested party")

    def save(self, form):
        return services.interested_party_create(actor=self.request.user, agency=self.request.agency,
                                                **form.cleaned_data)


class InterestedPartyEditView(_ManagerAddMixin, ObjectEditView):
    model = InterestedParty
    form_class = InterestedPartyForm

    def save(self, form):
        return services.interested_party_update(actor=self.request.user, party=self.object, **form.cleaned_data)


# --- The matrix ---------------------------------------------------------------------------------------------


class RiskMatrixView(ObjectEditView):
    """The current agency's matrix settings (the agency head and the ISO coordinator)."""

    model = RiskMatrix
    form_class = RiskMatrixForm
    template_name = "risks/matrix_form.html"
    title = gettext_lazy("Risk matrix")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_form_kwargs(self):
        kwargs = super(ObjectEditView, self).get_form_kwargs()
        matrix = matrix_of(agency=self.request.agency)
        kwargs["initial"] = {
            "likelihood_size": matrix.likelihood_size, "consequence_size": matrix.consequence_size,
            "likelihood_labels": "\n".join(matrix.likelihood_labels),
            "consequence_labels": "\n".join(matrix.consequence_labels),
            "low_max": matrix.low_max, "medium_max": matrix.medium_max}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matrix"] = matrix_of(agency=self.request.agency)
        return context

    def save(self, form):
        return services.risk_matrix_update(actor=self.request.user, agency=self.request.agency,
                                           **form.cleaned_data)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.can_add():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
