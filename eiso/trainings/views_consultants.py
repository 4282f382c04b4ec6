"""Pages of the consultants: the register (list with the licence flagged, add, edit), a consultant with the agencies
it serves, the rollout plans' assignments, the issues reported; and what an agency sees: the consultants engaged
with it, where its head or ISO coordinator reports an issue."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, can
from eiso.trainings import consultant_services as services
from eiso.trainings import selectors
from eiso.trainings.choices import LICENSED_STATES, IssueStatus
from eiso.trainings.forms import ConsultantForm, EngagementEditForm, EngagementForm, IssueForm, ResolveForm
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue
from eiso.trainings.views import chosen_agency


class ConsultantTable(tables.Table):
    name = tables.Column(linkify=True)
    licence_valid_until = tables.DateColumn(format="d/m/Y")
    licence = tables.Column(verbose_name=gettext_lazy("licence"), empty_values=(), orderable=False)
    is_active = tables.BooleanColumn()

    class Meta:
        model = Consultant
        fields = ["name", "licence_number", "licence_issuer", "licence_valid_until", "licence", "phone",
                  "is_active"]

    def render_licence(self, record):
        state = record.licence_state()
        css = "" if state in LICENSED_STATES else "error"
        return format_html('<strong class="{}" data-licence="{}">{}</strong>', css, state,
                           record.licence_state_label())


class ConsultantFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=gettext_lazy("organisation"))
    is_active = django_filters.BooleanFilter(label=gettext_lazy("active"))

    class Meta:
        model = Consultant
        fields = ["name", "is_active"]


class ConsultantListView(ObjectListView):
    model = Consultant
    table_class = ConsultantTable
    filterset_class = ConsultantFilterSet
    title = gettext_lazy("Consultants")
    add_url_name = "trainings:consultant_add"

    def can_add(self) -> bool:
        return selectors.can_keep_register(self.request.user)


class ConsultantCreateView(ObjectEditView):
    model = Consultant
    form_class = ConsultantForm
    title = gettext_lazy("Register a consultant")

    def can_add(self) -> bool:
        return selectors.can_keep_register(self.request.user)

    def save(self, form):
        values = form.values()
        return services.consultant_create(actor=self.request.user, authority=form.chosen_authority(), **values)


class ConsultantEditView(ObjectEditView):
    model = Consultant
    form_class = ConsultantForm

    def save(self, form):
        return services.consultant_update(actor=self.request.user, consultant=self.object, **form.values())


class ConsultantDetailView(ObjectDetailView):
    model = Consultant
    queryset = Consultant.objects.select_related("agency")
    template_name = "trainings/consultant_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultant, user, on = self.object, self.request.user, today()
        manage = context["can_change"]
        engagements = list(consultant.engagements.select_related("agency").order_by("-started_on"))
        issues = list(consultant.issues.select_related("agency", "reported_by"))
        context.update({
            "licence_state": consultant.licence_state(on),
            "licence_ok": consultant.licence_state(on) in LICENSED_STATES,
            "engagements": [(e, e.is_active_on(on)) for e in engagements],
            "assignments": selectors.rollout_assignments(user=user, consultant=consultant),
            "issues": issues,
            "open_issues": sum(1 for issue in issues if issue.status == IssueStatus.OPEN),
            "trainings": consultant.trainings.order_by("-start_on")[:20],
            "can_manage": manage,
            "engagement_form": EngagementForm(consultant=consultant) if manage else None,
            "issue_form": IssueForm() if manage else None,
            "resolve_form": ResolveForm() if manage else None,
        })
        return context


class EngagementAddView(ObjectActionView):
    model = Consultant
    select_related = ("agency",)
    permission = "change"
    follow_next = False

    def act(self, request, consultant):
        form = EngagementForm(request.POST, consultant=consultant)
        if not form.is_valid():
            raise ApplicationError(_("Choose the agency served (one of the province's) and the first day."),
                                   code="invalid")
        data = form.cleaned_data
        engagement = services.engagement_add(actor=request.user, consultant=consultant, agency=data["agency"],
                                             started_on=data["started_on"], ended_on=data["ended_on"],
                                             scope_note=data["scope_note"] or "")
        return _("%(agency)s is added to the agencies served.") % {"agency": engagement.agency}

    def get_default_url(self, consultant):
        return consultant.get_absolute_url() + "#engagements"


class EngagementEditView(ObjectEditView):
    model = ConsultantEngagement
    queryset = ConsultantEngagement.objects.select_related("consultant", "agency")
    form_class = EngagementEditForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Engagement of %(consultant)s with %(agency)s") % {
            "consultant": self.object.consultant, "agency": self.object.agency}
        return context

    def save(self, form):
        data = form.cleaned_data
        return services.engagement_update(actor=self.request.user, engagement=self.object,
                                          started_on=data["started_on"], ended_on=data["ended_on"],
                                          scope_note=data["scope_note"] or "")


class EngagementDeleteView(ObjectActionView):
    model = ConsultantEngagement
    permission = "delete"
    follow_next = False

    def act(self, request, engagement):
        services.engagement_delete(actor=request.user, engagement=engagement)
        return _("The engagement is removed.")

    def get_default_url(self, engagement):
        return reverse("trainings:consultant_detail", args=[engagement.consultant_id]) + "#engagements"


def back_to(request, consultant_id, agency) -> str:
    """The consultant's page for those who see it (the supervisors), else the agency's consultants page."""
    if Consultant.objects.restrict(request.user, "view").filter(pk=consultant_id).exists():
        return reverse("trainings:consultant_detail", args=[consultant_id]) + "#issues"
    url = reverse("trainings:agency_consultants")
    if request.agency is None or request.agency.pk != agency.pk:
        url += f"?agency={agency.pk}"
    return url + "#issues"


class IssueReportView(ObjectActionView):
    """Report an issue with the consultant of an engagement (the service checks who may)."""

    model = ConsultantEngagement
    select_related = ("consultant", "agency")
    follow_next = False

    def act(self, request, engagement):
        form = IssueForm(request.POST)
        form.is_valid()
        if "reported_on" in form.errors:
            raise ApplicationError(_("Give the date as dd/mm/yyyy."), code="invalid_date")
        services.issue_report(actor=request.user, engagement=engagement,
                              description=request.POST.get("description", ""),
                              reported_on=form.cleaned_data.get("reported_on"))
        return _("The issue is recorded.")

    def get_default_url(self, engagement):
        return back_to(self.request, engagement.consultant_id, engagement.agency)


class IssueResolveView(ObjectActionView):
    model = ConsultantIssue
    select_related = ("agency",)
    permission = "change"
    follow_next = False

    def act(self, request, issue):
        form = ResolveForm(request.POST)
        form.is_valid()
        if "resolved_on" in form.errors:
            raise ApplicationError(_("Give the date as dd/mm/yyyy."), code="invalid_date")
        services.issue_resolve(actor=request.user, issue=issue, resolution=request.POST.get("resolution", ""),
                               resolved_on=form.cleaned_data.get("resolved_on"))
        return _("The issue is resolved.")

    def get_default_url(self, issue):
        return back_to(self.request, issue.consultant_id, issue.agency)


class AgencyConsultantsView(LoginRequiredMixin, TemplateView):
    """The consultants engaged with the agency, their licence, and the issues reported."""

    template_name = "trainings/agency_consultants.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, on = self.request.user, today()
        agency = chosen_agency(self.request)
        engagements = list(selectors.agency_engagements(user=user, agency=agency))
        issues = list(selectors.agency_issues(user=user, agency=agency))
        context.update({
            "title": _("Consultants engaged with the agency"), "agency": agency,
            "engagements": [(e, e.is_active_on(on), e.consultant.licence_state(on),
                             e.consultant.licence_state(on) in LICENSED_STATES,
                             services.can_report_issue(user, e)) for e in engagements],
            "issues": [(issue, issue.status == IssueStatus.OPEN and can(user, issue, "change")) for issue in issues],
            "licensed": selectors.consultant_licensed(agency=agency, on=on),
            "issue_form": IssueForm(), "resolve_form": ResolveForm(),
            "other_agency": self.request.agency is None or self.request.agency.pk != agency.pk,
        })
        return context
