"""Pages of periodic reporting. The supervising authority: the periods (open one, change its due date, close it), a
period's page with every agency's report (status, submitted on, late, filter by level), accept or return a
report, and the province report (DOCX, XLSX). The agencies: their reports (pre-filled, completed, refreshed,
signed off by the head, submitted) and each report as a Word file."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.reporting import documents, selectors, services, workflow
from eiso.reporting.choices import PeriodKind, PeriodStatus, ReportStatus
from eiso.reporting.forms import CommentForm, PeriodEditForm, PeriodFilterForm, PeriodForm, ReportForm
from eiso.reporting.models import PeriodicReport, ReportingPeriod
from eiso.reporting.points import BY_KEY, met_counts
from eiso.reports.layout import parse_date

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Periods --------------------------------------------------------------------------------------------------


class PeriodTable(tables.Table):
    title = tables.Column(linkify=True)
    due_on = tables.DateColumn(format="d/m/Y")
    agency = tables.Column(verbose_name=gettext_lazy("supervising authority"))

    class Meta:
        model = ReportingPeriod
        fields = ["title", "kind", "year", "due_on", "status", "agency"]


class PeriodFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=gettext_lazy("kind"))
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = ReportingPeriod
        fields = ["year", "kind", "status"]


class PeriodListView(ObjectListView):
    model = ReportingPeriod
    table_class = PeriodTable
    filterset_class = PeriodFilterSet
    title = gettext_lazy("Reporting periods")
    add_url_name = "reporting:period_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def can_add(self) -> bool:
        return selectors.can_open_period(self.request.user)


class PeriodCreateView(ObjectEditView):
    model = ReportingPeriod
    form_class = PeriodForm
    title = gettext_lazy("Open a reporting period")

    def can_add(self) -> bool:
        return selectors.can_open_period(self.request.user)

    def save(self, form):
        data = form.cleaned_data
        return services.period_open(
            actor=self.request.user, province=data["province"], kind=data["kind"], year=data["year"],
            half=data["half"], title=data["title"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            due_on=data["due_on"], note=data["note"])


class PeriodEditView(ObjectEditView):
    model = ReportingPeriod
    form_class = PeriodEditForm

    def save(self, form):
        data = form.cleaned_data
        return services.period_update(actor=self.request.user, period=self.object, title=data["title"],
                                      due_on=data["due_on"], note=data["note"])


class PeriodDetailView(ObjectDetailView):
    """Every agency's report of the period: status, submitted on, late; filtered by level, status, lateness."""

    model = ReportingPeriod
    queryset = ReportingPeriod.objects.select_related("agency", "agency__province", "opened_by", "closed_by")
    template_name = "reporting/period_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.object
        form = PeriodFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        rows = selectors.period_rows(period, level=data.get("level") or "", status=data.get("status") or "",
                                     late_only=bool(data.get("late")))
        context.update({
            "title": str(period), "period": period, "form": form, "rows": rows,
            "counts": selectors.status_counts(period), "kind_label": selectors.kind_label(period),
            "can_edit": context["can_change"] and period.is_open,
            "can_close": context["can_change"] and period.is_open,
        })
        return context


class PeriodCloseView(ObjectActionView):
    model = ReportingPeriod
    permission = "change"
    follow_next = False

    def act(self, request, period):
        services.period_close(actor=request.user, period=period)
        return _("The period is closed.")


class ProvinceReportDocxView(ObjectDetailView):
    model = ReportingPeriod
    queryset = ReportingPeriod.objects.select_related("agency", "agency__province", "agency__parent")

    def get(self, request, *args, **kwargs):
        period = self.get_object()
        return attachment(documents.province_report_docx(period), DOCX_TYPE,
                          f"bao-cao-tinh-{period.year}-{period.pk.hex[:8]}.docx")


class ProvinceReportXlsxView(ObjectDetailView):
    model = ReportingPeriod
    queryset = ReportingPeriod.objects.select_related("agency", "agency__province", "agency__parent")

    def get(self, request, *args, **kwargs):
        period = self.get_object()
        return attachment(documents.province_report_xlsx(period), XLSX_TYPE,
                          f"bao-cao-tinh-{period.year}-{period.pk.hex[:8]}.xlsx")


# --- Reports --------------------------------------------------------------------------------------------------


class ReportTable(tables.Table):
    period = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=gettext_lazy("report"))
    due_on = tables.DateColumn(accessor="period__due_on", format="d/m/Y", verbose_name=gettext_lazy("due date"))
    submitted_at = tables.DateTimeColumn(format="d/m/Y")

    class Meta:
        model = PeriodicReport
        fields = ["period", "agency", "due_on", "status", "submitted_at"]


class ReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="period__year", label=gettext_lazy("year"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = PeriodicReport
        fields = ["year", "status"]


class ReportListView(ObjectListView):
    model = PeriodicReport
    table_class = ReportTable
    filterset_class = ReportFilterSet
    title = gettext_lazy("Periodic reports")

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "period").order_by("-period__due_on", "agency__name")


class ReportDetailView(ObjectDetailView):
    model = PeriodicReport
    queryset = PeriodicReport.objects.select_related("agency", "period", "period__agency", "signed_off_by",
                                                     "submitted_by", "decided_by")
    template_name = "reporting/report_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        figures = report.figures or {}
        points = [{"point": BY_KEY.get(p["key"]), "key": p["key"], "met": p.get("met"), "detail": p.get("detail", ""),
                   "remark": (report.remarks or {}).get(p["key"], "")} for p in figures.get("points", [])]
        manage = context["can_change"]
        open_period = report.period.is_open
        status = report.status
        context.update({
            "title": str(report), "report": report, "figures": figures, "points": points,
            "met": met_counts(figures.get("points", [])), "is_late": report.is_late(today()),
            "last_audit_on": parse_date(figures.get("last_audit_on")),
            "last_review_on": parse_date(figures.get("last_review_on")),
            "events": report.events.select_related("actor"),
            "can_edit": manage and report.is_editable and open_period,
            "can_sign_off": open_period and status in workflow.TRANSITIONS["sign_off"].sources
            and selectors.is_head(user, report.agency),
            "sign_off_refusal": (workflow.no_figures(report) or workflow.results_missing(report)),
            "can_reopen": manage and open_period and status in workflow.TRANSITIONS["reopen"].sources,
            "can_submit": manage and open_period and status in workflow.TRANSITIONS["submit"].sources,
            "can_decide": open_period and status == ReportStatus.SUBMITTED and selectors.can_supervise(user, report),
            "comment_form": CommentForm(),
        })
        return context


class ReportEditView(ObjectEditView):
    model = PeriodicReport
    form_class = ReportForm

    def save(self, form):
        data = form.cleaned_data
        return services.report_update(actor=self.request.user, report=self.object, remarks=form.remarks(),
                                      number=data["number"], results=data["results"],
                                      difficulties=data["difficulties"], proposals=data["proposals"])


class ReportRefreshView(ObjectActionView):
    model = PeriodicReport
    permission = "change"
    follow_next = False

    def act(self, request, report):
        services.report_refresh(actor=request.user, report=report)
        return _("The figures were updated from the records.")


class ReportTransitionView(ObjectActionView):
    """One transition of the workflow; who may apply it is the service's rule (403 otherwise)."""

    model = PeriodicReport
    select_related = ("agency", "period")
    follow_next = False
    action = ""
    message = ""

    def act(self, request, report):
        services.report_transition(actor=request.user, report=report, action=self.action,
                                   comment=request.POST.get("comment", ""))
        return str(self.message)


class ReportSignOffView(ReportTransitionView):
    action, message = "sign_off", gettext_lazy("The report is signed off.")


class ReportReopenView(ReportTransitionView):
    action, message = "reopen", gettext_lazy("The report is back to draft.")


class ReportSubmitView(ReportTransitionView):
    action, message = "submit", gettext_lazy("The report is submitted to the supervising authority.")


class ReportAcceptView(ReportTransitionView):
    action, message = "accept", gettext_lazy("The report is accepted.")


class ReportReturnView(ReportTransitionView):
    action, message = "return", gettext_lazy("The report is returned to the agency with your comment.")


class ReportDocxView(ObjectDetailView):
    model = PeriodicReport
    queryset = PeriodicReport.objects.select_related("agency", "agency__parent", "agency__province", "period",
                                                     "period__agency", "signed_off_by")

    def get(self, request, *args, **kwargs):
        report = self.get_object()
        return attachment(documents.report_docx(report), DOCX_TYPE, documents.report_filename(report))
