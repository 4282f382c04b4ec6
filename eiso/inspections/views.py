"""Pages of inspections: the supervising authority's plans (list, create, edit, the lines with "add every agency"
and the agencies left out, approve), each inspection (decision and its DOCX, checklist, findings, minutes and their
DOCX, the agency's corrective actions and report, the supervisor's review and closing) and the province's yearly
summary (page, XLSX, DOCX)."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for, today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, refusal_to_form
from eiso.inspections import documents, plans, rights, selectors, services, workflow
from eiso.inspections import points as art36
from eiso.inspections.choices import (
    FindingStatus,
    InspectionMethod,
    InspectionStatus,
    PlanStatus,
    PointResult,
)
from eiso.inspections.forms import (
    ActionForm,
    AddAllForm,
    CommentForm,
    DecisionForm,
    FindingForm,
    LineForm,
    MinutesForm,
    PlanForm,
    PlanningForm,
    ReportForm,
    ReviewForm,
    SummaryForm,
)
from eiso.inspections.models import Inspection, InspectionFinding, InspectionPlan
from eiso.organizations.selectors import supervised_provinces


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _form_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Correct the fields shown.")


# --- Plans ---------------------------------------------------------------------------------------------------


class PlanTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"))
    lines = tables.Column(verbose_name=gettext_lazy("agencies"), accessor="pk", orderable=False)
    issued_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = InspectionPlan
        fields = ["number", "year", "title", "agency", "issued_on", "status", "lines"]

    def render_number(self, value, record):
        return record.label

    def render_lines(self, value, record):
        count = getattr(record, "line_count", None)  # annotated by PlanListView
        return record.inspections.count() if count is None else count


class PlanFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = InspectionPlan
        fields = ["year", "status"]


def can_create_plan(user) -> bool:
    return supervised_provinces(user, "add").exists()


class PlanListView(ObjectListView):
    model = InspectionPlan
    table_class = PlanTable
    filterset_class = PlanFilterSet
    title = gettext_lazy("Inspection plans")
    add_url_name = "inspections:plan_add"

    def get_queryset(self):
        return (super().get_queryset().select_related("agency")
                .annotate(line_count=Count("inspections", distinct=True)).order_by(*InspectionPlan._meta.ordering))

    def can_add(self) -> bool:
        return can_create_plan(self.request.user)


def _plan_fields(form) -> dict:
    data = form.cleaned_data
    return {"year": data["year"], "title": data["title"], "issued_on": data["issued_on"],
            "notes": data["notes"] or "", "min_on_site_share": data["min_on_site_share"]}


class PlanCreateView(ObjectEditView):
    model = InspectionPlan
    form_class = PlanForm
    title = gettext_lazy("New inspection plan")

    def can_add(self) -> bool:
        return can_create_plan(self.request.user)

    def save(self, form):
        return plans.plan_create(actor=self.request.user, province=form.cleaned_data["province"],
                                    **_plan_fields(form))


class PlanEditView(ObjectEditView):
    model = InspectionPlan
    form_class = PlanForm

    def save(self, form):
        return plans.plan_update(actor=self.request.user, plan=self.object, **_plan_fields(form))


class PlanDetailView(ObjectDetailView):
    model = InspectionPlan
    queryset = InspectionPlan.objects.select_related("agency", "agency__province", "approved_by")
    template_name = "inspections/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        draft = plan.status == PlanStatus.DRAFT
        manage = context["can_change"]
        on_site, total, missing = plans.on_site_counts(plan)
        context.update({
            "lines": plan.inspections.select_related("agency").order_by("planned_month", "planned_on",
                                                                        "agency__name"),
            "on_site": on_site, "total": total, "missing": missing, "by_documents": total - on_site,
            "not_in_plan": list(selectors.agencies_not_in_plan(plan)),
            "can_edit": manage and draft, "can_approve": manage and draft,
            "approval_refusal": plans.approval_refusal(plan) if draft else None,
            "line_form": LineForm(plan=plan), "add_all_form": AddAllForm(), "planning_form": PlanningForm,
            "methods": InspectionMethod.choices, "months": range(1, 13),
        })
        return context


class PlanActionView(ObjectActionView):
    model = InspectionPlan
    permission = "change"
    follow_next = False


class PlanApproveView(PlanActionView):
    permission = "approve"

    def act(self, request, plan):
        plans.plan_approve(actor=request.user, plan=plan)
        return _("The plan is approved.")


class PlanAddAllView(PlanActionView):
    def act(self, request, plan):
        form = AddAllForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_form_error(form), code="invalid")
        added = plans.plan_add_all(actor=request.user, plan=plan, method=form.cleaned_data["method"],
                                      planned_month=form.cleaned_data["planned_month"])
        return _("Agencies added to the plan: %(count)s.") % {"count": added}


class PlanLineAddView(PlanActionView):
    def act(self, request, plan):
        form = LineForm(request.POST, plan=plan)
        if not form.is_valid():
            raise ApplicationError(_form_error(form), code="invalid")
        data = form.cleaned_data
        plans.plan_line_add(actor=request.user, plan=plan, agency=data["agency"], method=data["method"],
                               planned_month=data["planned_month"], planned_on=data["planned_on"])
        return _("%(agency)s is added to the plan.") % {"agency": data["agency"]}


class InspectionPlanningView(ObjectActionView):
    """Change a line of the plan: its method (draft plan) and planned month or date."""

    model = Inspection
    select_related = ("plan", "agency")
    follow_next = False

    def act(self, request, inspection):
        form = PlanningForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_form_error(form), code="invalid")
        data = form.cleaned_data
        plans.inspection_plan_update(actor=request.user, inspection=inspection, method=data["method"],
                                        planned_month=data["planned_month"], planned_on=data["planned_on"])
        return _("Saved.")

    def get_default_url(self, inspection):
        return inspection.plan.get_absolute_url() + "#lines"


class PlanLineRemoveView(InspectionPlanningView):
    def act(self, request, inspection):
        plans.plan_line_remove(actor=request.user, inspection=inspection)
        return _("%(agency)s is removed from the plan.") % {"agency": inspection.agency}


# --- Inspections ---------------------------------------------------------------------------------------------


def planned_label(inspection) -> str:
    if inspection.planned_on:
        return inspection.planned_on.strftime("%d/%m/%Y")
    if inspection.planned_month:
        return f"{inspection.planned_month:02d}/{inspection.year}"
    return "—"


class InspectionTable(tables.Table):
    agency = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=gettext_lazy("agency"))
    planned = tables.Column(verbose_name=gettext_lazy("planned"), accessor="pk", orderable=False)
    report_due_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Inspection
        fields = ["agency", "year", "method", "planned", "status", "report_due_on"]

    def render_planned(self, value, record):
        return planned_label(record)


class InspectionFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    status = django_filters.ChoiceFilter(choices=InspectionStatus.choices, label=gettext_lazy("status"))
    method = django_filters.ChoiceFilter(choices=InspectionMethod.choices, label=gettext_lazy("method"))

    class Meta:
        model = Inspection
        fields = ["year", "status", "method"]


class InspectionListView(ObjectListView):
    """The inspections the user sees: the agency's own; for supervisors, those of their provinces."""

    model = Inspection
    table_class = InspectionTable
    filterset_class = InspectionFilterSet
    title = gettext_lazy("Inspections")

    def get_queryset(self):
        return super().get_queryset().select_related("agency")


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    queryset = Inspection.objects.select_related("agency", "plan", "authority", "report_submitted_by", "closed_by")
    template_name = "inspections/inspection_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection, user = self.object, self.request.user
        status = inspection.status
        inspector = rights.is_inspector(user, inspection)
        reporter = rights.can_report(user, inspection)
        titles = art36.titles()
        findings = list(inspection.findings.select_related("reviewed_by"))
        for finding in findings:
            finding.point_title = titles.get(finding.point_key, finding.point_key) if finding.point_key else ""
        checklist = list(inspection.checklist.order_by("order"))
        for item in checklist:
            item.point_title = titles.get(item.key) or item.title or item.key
        decided = status == InspectionStatus.DECIDED
        sign_refusal = None
        if inspector and decided:
            sign_refusal = workflow.checklist_incomplete(inspection) or workflow.nonconformity_without_finding(
                inspection)
        report = selectors.report_state(inspection)
        context.update({
            "is_inspector": inspector, "is_reporter": reporter,
            "can_view_plan": InspectionPlan.objects.restrict(user, "view").filter(pk=inspection.plan_id).exists(),
            "checklist": checklist, "findings": findings, "results": PointResult.choices,
            "report_state": report, "report_label": selectors.REPORT_STATES[report],
            "report_overdue": report == "overdue",
            "can_plan": inspector and status == InspectionStatus.PLANNED,
            "method_locked": inspection.plan.status != PlanStatus.DRAFT,
            "can_decide": inspector and status in (InspectionStatus.PLANNED, InspectionStatus.DECIDED)
            and inspection.plan.status == PlanStatus.APPROVED,
            "can_checklist": inspector and decided, "can_findings": inspector and decided,
            "can_sign": inspector and decided, "sign_refusal": sign_refusal,
            "can_act": reporter and status == InspectionStatus.MINUTES_SIGNED,
            "can_submit": reporter and status == InspectionStatus.MINUTES_SIGNED and bool(findings),
            "can_review": inspector and status == InspectionStatus.REPORT_SUBMITTED,
            "can_close": inspector and status in workflow.TRANSITIONS["close"].sources,
            "open_findings": sum(1 for finding in findings if finding.status == FindingStatus.OPEN),
            "finding_form": FindingForm(), "action_form": ActionForm, "report_form": ReportForm(),
            "review_form": ReviewForm, "comment_form": CommentForm(), "months": range(1, 13),
            "methods": InspectionMethod.choices, "report_months": services.report_months(),
        })
        return context


class InspectionFormView(LoginRequiredMixin, FormView):
    """A form page of the supervising authority on one inspection (the decision, the minutes): a refusal shows on
    the form, with what was typed."""

    template_name = "core/object_form.html"
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        queryset = Inspection.objects.restrict(request.user, "view").select_related("agency", "plan", "authority")
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])
        if not rights.is_inspector(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.object}

    def form_valid(self, form):
        try:
            self.save(form)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            refusal_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"object": self.object,
                                                     "title": f"{self.title} – {self.object.agency}"}


class InspectionDecideView(InspectionFormView):
    form_class = DecisionForm
    title = gettext_lazy("Inspection decision")

    def save(self, form):
        self.object = services.inspection_decide(actor=self.request.user, inspection=self.object,
                                                 **form.cleaned_data)


class MinutesSignView(InspectionFormView):
    form_class = MinutesForm
    title = gettext_lazy("Signed minutes")

    def save(self, form):
        self.object = services.minutes_sign(actor=self.request.user, inspection=self.object, **form.cleaned_data)


class DecisionDocxView(ObjectDetailView):
    model = Inspection
    queryset = Inspection.objects.select_related("agency", "plan", "authority", "authority__parent",
                                                 "authority__province")

    def get(self, request, *args, **kwargs):
        inspection = self.get_object()
        name = f"quyet-dinh-kiem-tra-{inspection.decision_number or 0:02d}-{inspection.year}.docx"
        return _download(documents.decision_docx(inspection), documents.DOCX_TYPE, name)


class MinutesDocxView(DecisionDocxView):
    def get(self, request, *args, **kwargs):
        inspection = self.get_object()
        name = f"bien-ban-kiem-tra-{inspection.agency.code}-{inspection.year}.docx".lower()
        return _download(documents.minutes_docx(inspection), documents.DOCX_TYPE, name)


class InspectionActionView(ObjectActionView):
    model = Inspection
    select_related = ("agency", "plan")
    follow_next = False


class ChecklistPrepareView(InspectionActionView):
    def act(self, request, inspection):
        services.checklist_prepare(actor=request.user, inspection=inspection)
        return _("The checklist is read again from eISO's records.")

    def get_default_url(self, inspection):
        return inspection.get_absolute_url() + "#checklist"


class ChecklistSaveView(ChecklistPrepareView):
    """The whole checklist in one form: result_<key> and evidence_<key> for each point."""

    def act(self, request, inspection):
        results = {}
        for item in inspection.checklist.all():
            if f"result_{item.key}" in request.POST:
                results[item.key] = {"result": request.POST.get(f"result_{item.key}", ""),
                                     "evidence": request.POST.get(f"evidence_{item.key}", "")}
        services.checklist_record(actor=request.user, inspection=inspection, results=results)
        return _("Saved.")


class FindingAddView(InspectionActionView):
    def act(self, request, inspection):
        form = FindingForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Describe the finding and the corrective action required."), code="invalid")
        services.finding_add(actor=request.user, inspection=inspection, **form.cleaned_data)
        return _("Saved.")

    def get_default_url(self, inspection):
        return inspection.get_absolute_url() + "#findings"


class ReportSubmitView(InspectionActionView):
    def act(self, request, inspection):
        services.report_submit(actor=request.user, inspection=inspection, summary=request.POST.get("summary", ""))
        return _("The corrective-action report is submitted to the supervising authority.")


class ReportReturnView(InspectionActionView):
    def act(self, request, inspection):
        services.report_return(actor=request.user, inspection=inspection, comment=request.POST.get("comment", ""))
        return _("The report is returned to the agency.")


class InspectionCloseView(InspectionActionView):
    def act(self, request, inspection):
        services.inspection_close(actor=request.user, inspection=inspection)
        return _("The inspection is closed.")


class FindingActionView(ObjectActionView):
    model = InspectionFinding
    select_related = ("inspection", "inspection__agency")
    follow_next = False

    def get_default_url(self, finding):
        return finding.get_absolute_url()


class FindingRemoveView(FindingActionView):
    def act(self, request, finding):
        services.finding_remove(actor=request.user, finding=finding)
        return _("The finding is removed.")

    def get_default_url(self, finding):
        return finding.inspection.get_absolute_url() + "#findings"


class FindingCorrectiveView(FindingActionView):
    def act(self, request, finding):
        services.finding_action_record(actor=request.user, finding=finding,
                                       action_taken=request.POST.get("action_taken", ""),
                                       evidence=request.POST.get("evidence", ""))
        return _("Saved.")


class FindingReviewView(FindingActionView):
    def act(self, request, finding):
        form = ReviewForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Choose closed or not closed yet."), code="invalid")
        services.finding_review(actor=request.user, finding=finding, closed=form.cleaned_data["closed"],
                                comment=form.cleaned_data["comment"])
        return _("Saved.")


# --- The yearly summary --------------------------------------------------------------------------------------


def chosen_summary(request):
    """The province and year of the summary: `?province=&year=` among the provinces the user supervises (the first
    one by default; another: 404). Nobody supervised: 403."""
    scope = scope_for(request.user)
    if not (scope.is_global or scope.supervised_provinces):
        raise PermissionDenied
    provinces = supervised_provinces(request.user)
    form = SummaryForm(request.GET or None, provinces=provinces)
    wanted = request.GET.get("province")
    if wanted and (not wanted.isdigit() or not provinces.filter(pk=wanted).exists()):
        raise Http404
    province = provinces.filter(pk=wanted).first() if wanted else (
        provinces.filter(pk__in=scope.authority_provinces).first() or provinces.first())
    if province is None:
        raise Http404
    year = today().year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    return form, province, year


class SummaryView(LoginRequiredMixin, TemplateView):
    template_name = "inspections/summary.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, province, year = chosen_summary(self.request)
        summary = selectors.province_summary(province=province, year=year)
        context.update({"title": _("Inspection summary %(year)s — %(province)s") % {"year": year,
                                                                                   "province": province},
                        "form": form, "summary": summary, "province": province, "year": year,
                        "query": f"?province={province.pk}&year={year}"})
        return context


class SummaryXlsxView(LoginRequiredMixin, View):
    def get(self, request):
        _form, province, year = chosen_summary(request)
        summary = selectors.province_summary(province=province, year=year)
        return _download(documents.summary_xlsx(summary), documents.XLSX_TYPE, f"tong-hop-kiem-tra-{year}.xlsx")


class SummaryDocxView(LoginRequiredMixin, View):
    def get(self, request):
        _form, province, year = chosen_summary(request)
        summary = selectors.province_summary(province=province, year=year)
        return _download(documents.summary_docx(summary), documents.DOCX_TYPE, f"bao-cao-kiem-tra-{year}.docx")

