"""Pages of provincial oversight: the province dashboard, the national view, rollout plans (list, detail, create,
edit, delete, targets, milestones, budget lines) and an agency's QMS stage (confirm, conversion).

Who: the dashboards and plans are for supervisors of the province, national supervisors (read only) and
administrators; anyone else gets 404, as for a page that does not exist. The stage page of an agency is read also
by its own people (not consultants). Writes call eiso.oversight.services.
"""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.audit import history_for
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditLogEntry
from eiso.core.permissions import scope_for, today
from eiso.core.views import ObjectActionView, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.organizations.models import Agency
from eiso.organizations.selectors import supervised_provinces
from eiso.oversight import selectors, services
from eiso.oversight.choices import Stage
from eiso.oversight.forms import (
    BudgetLineForm,
    ConversionForm,
    DashboardForm,
    MilestoneEditForm,
    MilestoneForm,
    PlanForm,
    StageConfirmForm,
    TargetAddForm,
    TargetEditForm,
)
from eiso.oversight.levels import AGENCY_RELATED, LEVELS, agency_level
from eiso.oversight.models import RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.stages import STAGES, stage_of


class OverseerRequiredMixin(LoginRequiredMixin):
    """Supervisors, national supervisors and administrators; 404 for anyone else."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_oversee(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _history(user, instance):
    history = history_for(instance)
    return AuditLogEntry.objects.restrict(user, "view").filter(pk__in=history.values("pk"))[:50]


# --- Dashboards -----------------------------------------------------------------------------------------------


def _default_province(user, provinces):
    scope = scope_for(user)
    if len(scope.authority_provinces) == 1:
        return provinces.filter(pk__in=scope.authority_provinces).first()
    return provinces.first() if provinces.count() == 1 else None


class DashboardView(OverseerRequiredMixin, TemplateView):
    """A province's agencies by level and stage, overdue obligations, on-time rates, the heat table and the
    filterable agency table. `?province=` chooses among the provinces the user reads."""

    template_name = "oversight/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        provinces = supervised_provinces(user)
        query = self.request.GET.copy()
        if not query.get("province"):
            default = _default_province(user, provinces)
            query["province"] = default.pk if default is not None else ""
        form = DashboardForm(query, provinces=provinces)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        if query.get("province") and not data.get("province"):
            raise Http404  # a province the user does not read, or no province at all
        province = data.get("province")
        context.update({"form": form, "province": province, "title": _("Province dashboard"),
                        "stages": STAGES, "levels": LEVELS, "can_read_national": selectors.can_read_national(user)})
        if province is None:
            context["provinces"] = provinces
            return context
        overview = selectors.province_overview(province=province)
        context.update({
            "title": _("Province dashboard — %(province)s") % {"province": province},
            "overview": overview, "year": overview.today.year,
            "rows": selectors.filter_rows(overview.rows, level=data.get("level", ""), stage=data.get("stage", ""),
                                          overdue=bool(data.get("overdue"))),
            "filtered": any(data.get(name) for name in ("level", "stage", "overdue")),
            "can_confirm": scope_for(user).is_authority_for(province.pk),
        })
        return context


class NationalView(LoginRequiredMixin, TemplateView):
    """One row per province, for the Ministry's national supervisors and administrators."""

    template_name = "oversight/national.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_read_national(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.national_overview()
        context.update({"title": _("National view"), "rows": rows, "levels": LEVELS,
                        "total": selectors.total_row([level for row in rows for level in row.levels]),
                        "reports_available": any(row.late_reports is not None for row in rows)})
        return context


# --- Rollout plans --------------------------------------------------------------------------------------------


class PlanTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"))
    issued_on = tables.DateColumn(format="d/m/Y", verbose_name=gettext_lazy("issued on"))
    province = tables.Column(accessor="agency__province", verbose_name=gettext_lazy("province"), orderable=False)
    period = tables.Column(empty_values=(), orderable=False, verbose_name=gettext_lazy("period"))
    target_count = tables.Column(verbose_name=gettext_lazy("target agencies"))

    class Meta:
        model = RolloutPlan
        fields = ["number", "issued_on", "title", "issuer", "province", "period", "target_count"]

    def render_period(self, record):
        return f"{record.period_start:%d/%m/%Y} – {record.period_end:%d/%m/%Y}"


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="issued_on__year", label=gettext_lazy("year issued"))

    class Meta:
        model = RolloutPlan
        fields = ["year"]




class PlanListView(OverseerRequiredMixin, ObjectListView):
    model = RolloutPlan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    title = gettext_lazy("Rollout plans")
    add_url_name = "oversight:plan_add"

    def get_queryset(self):
        return (super().get_queryset().select_related("agency__province").annotate(target_count=Count("targets"))
                .order_by("-issued_on", "number"))

    def can_add(self) -> bool:
        return supervised_provinces(self.request.user, "add").exists()


class PlanCreateView(OverseerRequiredMixin, ObjectEditView):
    model = RolloutPlan
    form_class = PlanForm
    title = gettext_lazy("Record a rollout plan")

    def can_add(self) -> bool:
        return supervised_provinces(self.request.user, "add").exists()

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"provinces": supervised_provinces(self.request.user, "add")}

    def save(self, form):
        data = dict(form.cleaned_data)
        return services.rollout_plan_create(actor=self.request.user, province=data.pop("province"), data=data)


class PlanEditView(ObjectEditView):
    model = RolloutPlan
    form_class = PlanForm

    def save(self, form):
        return services.rollout_plan_update(actor=self.request.user, plan=self.object, data=form.cleaned_data)


class PlanDeleteView(ObjectDeleteView):
    model = RolloutPlan
    success_url_name = "oversight:plan_list"

    def delete(self, obj):
        services.rollout_plan_delete(actor=self.request.user, plan=obj)


class PlanDetailView(ObjectDetailView):
    model = RolloutPlan
    queryset = RolloutPlan.objects.select_related("agency__province")
    template_name = "oversight/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        progress = selectors.plan_progress(plan)
        context.update({
            "title": str(plan), "progress": progress, "stages": STAGES, "levels": LEVELS,
            "budget_lines": list(plan.budget_lines.all()), "budget_total": selectors.plan_budget_total(plan),
            "history": _history(self.request.user, plan),
        })
        if context["can_change"]:
            context.update({
                "milestone_form": MilestoneForm(initial={"planned_on": plan.period_start}),
                "budget_form": BudgetLineForm(),
                "target_form": TargetAddForm(plan=plan, candidates=selectors.plan_candidates(plan)),
            })
        return context


class PlanPartActionView(ObjectActionView):
    """A POST on a plan that the supervisors of its province make (others who see the plan: 403)."""

    model = RolloutPlan
    select_related = ("agency",)
    permission = "change"
    follow_next = False
    anchor = ""

    def get_default_url(self, plan):
        return plan.get_absolute_url() + self.anchor


def _invalid(form, message):
    """An ApplicationError carrying the form's own field errors."""
    return ApplicationError(message, code="invalid", errors={k: list(v) for k, v in form.errors.items()})


class TargetAddView(PlanPartActionView):
    anchor = "#targets"

    def act(self, request, plan):
        form = TargetAddForm(request.POST, plan=plan, candidates=selectors.plan_candidates(plan))
        if not form.is_valid():
            raise _invalid(form, _("Choose agencies of the province that are not targets yet, or a level."))
        data = form.cleaned_data
        added = services.rollout_targets_add(actor=request.user, plan=plan, agencies=data["agencies"],
                                             level=data["level"], consultant=data["consultant"], note=data["note"])
        return _("%(count)s target agencies added.") % {"count": len(added)}


class MilestoneAddView(PlanPartActionView):
    anchor = "#milestones"

    def act(self, request, plan):
        form = MilestoneForm(request.POST)
        if not form.is_valid():
            raise _invalid(form, _("Give the step and its planned date (dd/mm/yyyy)."))
        data = form.cleaned_data
        services.rollout_milestone_add(actor=request.user, plan=plan, kind=data["kind"],
                                       planned_on=data["planned_on"], title=data["title"])
        return _("Saved.")


class BudgetLineAddView(PlanPartActionView):
    anchor = "#budget"

    def act(self, request, plan):
        form = BudgetLineForm(request.POST)
        if not form.is_valid():
            raise _invalid(form, _("Give the item and its amount in đồng, a whole number more than 0."))
        data = form.cleaned_data
        services.rollout_budget_line_add(actor=request.user, plan=plan, item=data["item"], amount=data["amount"],
                                         source=data["source"], note=data["note"])
        return _("Saved.")


class TargetEditView(ObjectEditView):
    model = RolloutTarget
    queryset = RolloutTarget.objects.select_related("plan", "agency")
    form_class = TargetEditForm

    def save(self, form):
        return services.rollout_target_update(actor=self.request.user, target=self.object,
                                              consultant=form.cleaned_data["consultant"],
                                              note=form.cleaned_data["note"])


class TargetRemoveView(ObjectActionView):
    model = RolloutTarget
    select_related = ("plan",)
    permission = "delete"
    follow_next = False

    def act(self, request, target):
        services.rollout_target_remove(actor=request.user, target=target)
        return _("The agency is no longer a target of the plan.")


class MilestoneEditView(ObjectEditView):
    model = RolloutMilestone
    queryset = RolloutMilestone.objects.select_related("plan")
    form_class = MilestoneEditForm

    def save(self, form):
        return services.rollout_milestone_update(actor=self.request.user, milestone=self.object,
                                                 data=form.cleaned_data)


class MilestoneDeleteView(ObjectActionView):
    model = RolloutMilestone
    select_related = ("plan",)
    permission = "delete"
    follow_next = False

    def act(self, request, milestone):
        services.rollout_milestone_delete(actor=request.user, milestone=milestone)
        return _("Deleted.")


class BudgetLineDeleteView(ObjectActionView):
    model = RolloutBudgetLine
    select_related = ("plan",)
    permission = "delete"
    follow_next = False

    def act(self, request, line):
        services.rollout_budget_line_delete(actor=request.user, line=line)
        return _("Deleted.")


# --- An agency's stage ----------------------------------------------------------------------------------------


def _stage_agency(request, pk):
    return get_object_or_404(selectors.stage_agencies(request.user).select_related("province", *AGENCY_RELATED),
                             pk=pk)


class StageDetailView(LoginRequiredMixin, TemplateView):
    """An agency's QMS stage: derived from which records, confirmed by whom, converted when; the supervisor of
    the province confirms or clears a stage and records the conversion here."""

    template_name = "oversight/stage_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        agency = _stage_agency(self.request, self.kwargs["pk"])
        info = stage_of(agency)
        record = selectors.agency_stage_record(agency)
        can_confirm = selectors.can_confirm_stage(user, agency)
        context.update({
            "title": _("QMS stage — %(agency)s") % {"agency": agency},
            "agency": agency, "level_label": dict(LEVELS)[agency_level(agency)], "info": info, "record": record,
            "stages": STAGES, "can_confirm": can_confirm, "year": today().year,
            "audit_years": sorted(info.audit_years.items(), reverse=True),
            "review_years": sorted(info.review_years.items(), reverse=True),
            "records_of": Agency.objects.filter(pk=info.records_of).first() if info.records_of else None,
            "targets": RolloutTarget.objects.restrict(user).filter(agency=agency).select_related("plan", "consultant"),
            "history": _history(user, record) if record is not None else [],
            "is_supervisor": selectors.can_oversee(user),
        })
        if can_confirm:
            context["confirm_form"] = StageConfirmForm(initial={"stage": info.confirmed or "",
                                                                "note": record.note if record else ""})
            context["conversion_form"] = ConversionForm(initial={
                "had_2008_system": info.had_2008_system, "converted_on": info.converted_on})
        return context


class StageActionView(LoginRequiredMixin, View):
    """A POST on an agency's stage: the agency must be readable (404), the service checks the authority (403)."""

    def post(self, request, pk):
        agency = _stage_agency(request, pk)
        try:
            message = self.act(request, agency)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect(reverse("oversight:stage_detail", args=[agency.pk]))


class StageConfirmView(StageActionView):
    def act(self, request, agency):
        form = StageConfirmForm(request.POST)
        if not form.is_valid():
            raise _invalid(form, _("Choose a stage among: %(stages)s.") % {"stages": ", ".join(Stage.values)})
        record = services.stage_confirm(actor=request.user, agency=agency, stage=form.cleaned_data["stage"],
                                        note=form.cleaned_data["note"])
        if record.confirmed_stage:
            return _("The stage “%(stage)s” is confirmed.") % {"stage": record.get_confirmed_stage_display()}
        return _("The confirmation is cleared: the stage derived from the records stands.")


class StageConversionView(StageActionView):
    def act(self, request, agency):
        form = ConversionForm(request.POST)
        if not form.is_valid():
            raise _invalid(form, _("Give the day of the conversion as dd/mm/yyyy, or leave it empty."))
        services.stage_conversion_record(actor=request.user, agency=agency,
                                         had_2008_system=form.cleaned_data["had_2008_system"],
                                         converted_on=form.cleaned_data["converted_on"])
        return _("Saved.")
