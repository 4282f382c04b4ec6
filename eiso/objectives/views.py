"""Pages of the quality policy and objectives: the year's page (policy, objectives, indicators and their live
values), the policy with its history, an objective with its indicators, measurements, chart and plan, the
forms, and the POST actions that call the services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.files import CONTENT_TYPES, PREVIEWABLE
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, can, viewed_agency
from eiso.objectives import selectors, services
from eiso.objectives.charts import measurement_chart
from eiso.objectives.choices import ObjectiveStatus, PlanActionStatus, PolicyStatus
from eiso.objectives.forms import (
    IndicatorForm,
    MeasurementForm,
    ObjectiveForm,
    PlanActionForm,
    PlanDoneForm,
    PolicyForm,
)
from eiso.objectives.metrics import METRICS
from eiso.objectives.models import Indicator, Measurement, ObjectivePlan, QualityObjective, QualityPolicy
from eiso.objectives.periods import period_label, periods_of_year


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


class ObjectiveListView(LoginRequiredMixin, TemplateView):
    """/objectives/?year=: the current agency's policy in force and the year's objectives with their
    indicators, the live value of each in its current period, and whether the target is reached."""

    template_name = "objectives/objective_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agency, year = self.request.user, viewed_agency(self.request, QualityObjective), _year(self.request)
        visible = QualityObjective.objects.restrict(user, "view").filter(agency=agency) if agency else \
            QualityObjective.objects.none()
        objectives = list(visible.filter(year=year).select_related("owner").prefetch_related("indicators__agency"))
        # The period shown: the current one this year, the last one of a past year, the first of a future year.
        on = today() if today().year == year else dt.date(year, 12, 31) if year < today().year else dt.date(year, 1, 1)
        readings = selectors.live_readings([i for o in objectives for i in o.indicators.all()], on=on)
        rows = [(objective, [(i, readings[i.pk]) for i in objective.indicators.all()]) for objective in objectives]
        years = sorted({*visible.values_list("year", flat=True).distinct(), today().year, today().year + 1, year})
        manage = agency is not None and services.can_manage(user, agency)
        policy = None
        if agency is not None and QualityPolicy.objects.restrict(user, "view").filter(agency=agency).exists():
            policy = selectors.current_policy(agency)
        context.update({"agency": agency, "year": year, "years": years, "rows": rows, "policy": policy,
                        "can_manage": manage, "previous_year": year - 1,
                        "can_copy": manage and not objectives and visible.filter(year=year - 1).exists(),
                        "set_on": selectors.objectives_set_on(agency=agency, year=year) if objectives else None})
        return context


# --- Policy -------------------------------------------------------------------------------------------------


class PolicyDetailView(LoginRequiredMixin, TemplateView):
    """The policy in force, the draft of the next version, and every version before."""

    template_name = "objectives/policy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agency = self.request.user, getattr(self.request, "agency", None)
        versions = list(QualityPolicy.objects.restrict(user, "view").filter(agency=agency)
                        .select_related("approved_by", "document")) if agency else []
        context.update({
            "agency": agency, "versions": versions,
            "current": next((p for p in versions if p.status == PolicyStatus.APPROVED), None),
            "draft": next((p for p in versions if p.status == PolicyStatus.DRAFT), None),
            "can_manage": agency is not None and services.can_manage(user, agency),
            "can_approve": agency is not None and services.can_approve(user, agency),
        })
        return context


class PolicyEditView(ObjectEditView):
    """Write the draft of the next version (the first save creates it)."""

    model = QualityPolicy
    form_class = PolicyForm
    title = gettext_lazy("Quality policy: draft of the next version")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_initial(self):
        draft = QualityPolicy.objects.filter(agency=self.request.agency, status=PolicyStatus.DRAFT).first()
        current = selectors.current_policy(self.request.agency)
        source = draft or current
        return {"text": source.text, "document": source.document_id} if source else {}

    def save(self, form):
        return services.policy_draft_save(actor=self.request.user, agency=self.request.agency,
                                          text=form.cleaned_data["text"], document=form.cleaned_data["document"])


class PolicyApproveView(ObjectActionView):
    model = QualityPolicy
    permission = "approve"
    follow_next = False

    def act(self, request, policy):
        services.policy_approve(actor=request.user, policy=policy)
        return _("The quality policy version %(version)s is in force.") % {"version": policy.version}

    def get_default_url(self, obj):
        return reverse("objectives:policy_detail")


# --- Objectives ---------------------------------------------------------------------------------------------


class ObjectiveCreateView(ObjectEditView):
    model = QualityObjective
    form_class = ObjectiveForm
    title = gettext_lazy("Add a quality objective")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_manage(self.request.user, agency)

    def get_initial(self):
        return {"year": _year(self.request)}

    def save(self, form):
        data = form.cleaned_data
        return services.objective_create(actor=self.request.user, agency=self.request.agency, year=data["year"],
                                         title=data["title"], description=data["description"], owner=data["owner"])


class ObjectiveEditView(ObjectEditView):
    model = QualityObjective
    form_class = ObjectiveForm

    def save(self, form):
        data = form.cleaned_data
        return services.objective_update(actor=self.request.user, objective=self.object, title=data["title"],
                                         description=data["description"], owner=data["owner"])


class ObjectiveDetailView(ObjectDetailView):
    model = QualityObjective
    queryset = QualityObjective.objects.select_related("agency", "owner", "approved_by")
    template_name = "objectives/objective_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objective, user = self.object, self.request.user
        manage = context["can_change"]
        on = today() if today().year == objective.year else None
        indicators = []
        for index, indicator in enumerate(objective.indicators.select_related("owner", "agency")):
            measurements = {m.period_start: m for m in indicator.measurements.select_related("recorded_by")}
            live = selectors.live_reading(indicator, on=on) if on else None
            readings = []
            for start, end in periods_of_year(indicator.frequency, objective.year):
                measured = measurements.get(start)
                if live is not None and start == live.start and indicator.is_computed:
                    readings.append((period_label(start, end), live.value, live.result))
                else:
                    readings.append((period_label(start, end), measured.value if measured else None,
                                     measured.result if measured else None))
            indicators.append({
                "indicator": indicator, "live": live, "measurements": list(measurements.values()),
                "metric": METRICS.get(indicator.metric),
                "target": selectors.target_text(indicator),
                "chart": measurement_chart(indicator, readings, chart_id=f"indicator-{index}"),
            })
        context.update({
            "indicators": indicators,
            "is_draft": objective.status == ObjectiveStatus.DRAFT,
            "is_approved": objective.status == ObjectiveStatus.APPROVED,
            "can_manage": manage,
            "can_approve": objective.status == ObjectiveStatus.DRAFT and can(user, objective, "approve"),
            "can_close": manage and objective.status == ObjectiveStatus.APPROVED
            and today() >= services.closing_opens_on(objective.year),
            "plan": [(a, a.status == PlanActionStatus.OPEN and objective.status != ObjectiveStatus.CLOSED
                      and services.can_update_plan_action(user, a), a.status == PlanActionStatus.OPEN
                      and a.due_on < today()) for a in objective.plan.select_related("owner")],
            "plan_form": PlanActionForm(agency=objective.agency),
            "done_form": PlanDoneForm(),
        })
        return context


class ObjectiveApproveView(ObjectActionView):
    model = QualityObjective
    permission = "approve"
    follow_next = False

    def act(self, request, objective):
        services.objective_approve(actor=request.user, objective=objective)
        return _("The objective is approved.")


class ObjectiveCloseView(ObjectActionView):
    model = QualityObjective
    permission = "change"
    follow_next = False

    def act(self, request, objective):
        services.objective_close(actor=request.user, objective=objective)
        return _("The objective is closed.")


class CopyYearView(LoginRequiredMixin, View):
    """Start a year from the previous one: the objectives, indicators and plans copied as drafts."""

    def post(self, request):
        agency = getattr(request, "agency", None)
        if agency is None or not services.can_manage(request.user, agency):
            raise PermissionDenied
        try:
            to_year = int(request.POST.get("to_year", ""))
            from_year = int(request.POST.get("from_year", to_year - 1))
        except ValueError:
            messages.error(request, _("Choose the year to start."))
            return redirect("objectives:objective_list")
        try:
            count = services.objectives_copy_year(actor=request.user, agency=agency, from_year=from_year,
                                                  to_year=to_year)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(count)s objectives of %(from)s copied to %(to)s as drafts.")
                             % {"count": count, "from": from_year, "to": to_year})
        return redirect(selectors.objectives_url(to_year))


# --- Indicators and measurements ----------------------------------------------------------------------------


class IndicatorCreateView(ObjectEditView):
    """Add an indicator to the objective `pk` (a draft)."""

    model = QualityObjective
    form_class = IndicatorForm
    title = gettext_lazy("Add an indicator")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["agency"] = self.object.agency
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        services.indicator_add(actor=self.request.user, objective=self.object, name=data["name"],
                               value_source=data["value_source"], metric=data["metric"], unit=data["unit"],
                               comparison=data["comparison"], target=data["target"], frequency=data["frequency"],
                               owner=data["owner"])
        return self.object


class IndicatorEditView(ObjectEditView):
    model = Indicator
    form_class = IndicatorForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.object.agency
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.indicator_update(actor=self.request.user, indicator=self.object, name=data["name"],
                                         value_source=data["value_source"], metric=data["metric"], unit=data["unit"],
                                         comparison=data["comparison"], target=data["target"],
                                         frequency=data["frequency"], owner=data["owner"])


class MeasurementCreateView(ObjectEditView):
    """Enter the value of an entered indicator for a period, with its evidence (text and/or file)."""

    model = Indicator
    form_class = MeasurementForm
    template_name = "objectives/form.html"

    def get_initial(self):
        return {"period_start": today()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Enter a measurement: %(indicator)s") % {"indicator": self.object}
        context["multipart"] = True
        return context

    def save(self, form):
        data = form.cleaned_data
        return services.measurement_enter(actor=self.request.user, indicator=self.object,
                                          period_start=data["period_start"], value=data["value"],
                                          evidence=data["evidence"], file=data["file"])


class MeasurementComputeView(ObjectActionView):
    """Record now the current period's value of a computed indicator (the monthly job does it too)."""

    model = Indicator
    permission = "change"
    follow_next = False

    def act(self, request, indicator):
        if services.measurement_compute(actor=request.user, indicator=indicator) is None:
            return _("Nothing to measure in the current period yet.")
        return _("Recorded.")


class MeasurementEvidenceView(LoginRequiredMixin, View):
    """The evidence file, served only to those who may see the measurement."""

    def get(self, request, pk):
        measurement = get_object_or_404(Measurement.objects.restrict(request.user, "view"), pk=pk)
        if not measurement.evidence_file:
            raise Http404
        return FileResponse(measurement.evidence_file.open("rb"), content_type=CONTENT_TYPES.get(
            measurement.evidence_kind), as_attachment=measurement.evidence_kind not in PREVIEWABLE,
            filename=measurement.evidence_name)


# --- Plan ---------------------------------------------------------------------------------------------------


class PlanActionAddView(ObjectActionView):
    model = QualityObjective
    permission = "change"
    follow_next = False

    def act(self, request, objective):
        form = PlanActionForm(request.POST, agency=objective.agency)
        if not form.is_valid():
            raise ApplicationError(_("Complete the action: description, owner (one of the agency's people) and "
                                     "due date."), code="invalid")
        data = form.cleaned_data
        services.plan_action_add(actor=request.user, objective=objective, description=data["description"],
                                 owner=data["owner"], due_on=data["due_on"])
        return _("Saved.")


class PlanActionDoneView(ObjectActionView):
    model = ObjectivePlan
    select_related = ("objective__agency",)
    follow_next = False

    def act(self, request, action):
        services.plan_action_done(actor=request.user, action=action, evidence=request.POST.get("evidence", ""))
        return _("Done.")
