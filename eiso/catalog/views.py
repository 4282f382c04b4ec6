"""Pages of the procedure catalogue: procedures for everyone signed in; imports for system administrators."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from eiso.catalog import services
from eiso.catalog.choices import ImportStatus
from eiso.catalog.filtersets import ImportRunFilterSet, ProcedureFilterSet
from eiso.catalog.forms import ImportUploadForm
from eiso.catalog.models import ImportRun, Procedure
from eiso.catalog.tables import ImportRunTable, ProcedureTable, ReportTable
from eiso.core.views import ObjectDetailView, ObjectEditView, ObjectListView

REPORT_PAGE_SIZE = 100


class SystemAdministratorMixin:
    """Signed-in users who are not system administrators get 403 (anonymous visitors: the login page)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProcedureListView(ObjectListView):
    model = Procedure
    queryset = Procedure.objects.select_related("field")
    table_class = ProcedureTable
    filterset_class = ProcedureFilterSet
    title = _("Administrative procedures")


class ProcedureDetailView(ObjectDetailView):
    model = Procedure
    queryset = Procedure.objects.select_related("field")
    template_name = "catalog/procedure_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        procedure = self.object
        context["cases"] = procedure.cases.all()
        context["channels"] = procedure.channels
        context["changes"] = procedure.changes.all()[:200]
        groups: dict = {}
        for component in procedure.dossier_components:
            groups.setdefault(component.get("group") or "", []).append(component)
        context["component_groups"] = list(groups.items())
        return context


class ImportRunListView(SystemAdministratorMixin, ObjectListView):
    model = ImportRun
    queryset = ImportRun.objects.select_related("started_by")
    table_class = ImportRunTable
    filterset_class = ImportRunFilterSet
    title = _("Catalogue imports")
    add_url_name = "catalog:import_add"

    def can_add(self):
        return self.request.user.is_superuser


class ImportRunCreateView(ObjectEditView):
    model = ImportRun
    form_class = ImportUploadForm
    template_name = "catalog/import_form.html"
    title = _("Import procedures from the national database")

    def can_add(self):
        return self.request.user.is_superuser

    def save(self, form):
        return services.catalog_import_upload(actor=self.request.user, uploaded=form.cleaned_data["file"])

    def get_success_url(self, obj):
        return reverse("catalog:import_detail", args=[obj.pk])


class ImportRunDetailView(SystemAdministratorMixin, ObjectDetailView):
    model = ImportRun
    queryset = ImportRun.objects.select_related("started_by")
    template_name = "catalog/importrun_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        level = self.request.GET.get("level")
        rows = [r for r in run.report or [] if not level or r.get("level") == level]
        table = ReportTable(rows, prefix="report-")
        RequestConfig(self.request, paginate={"per_page": REPORT_PAGE_SIZE}).configure(table)
        context.update(run=run, table=table, level=level, **progress_context(run))
        return context


def progress_context(run: ImportRun) -> dict:
    running = run.status == ImportStatus.RUNNING
    percent = None
    if run.expected:
        percent = min(100, round(100 * run.total / run.expected))
    elif not running:
        percent = 100
    return {"running": running, "percent": percent}


class ImportRunProgressView(SystemAdministratorMixin, ObjectDetailView):
    """The progress partial, polled by htmx every second while the import runs. When it has finished,
    htmx reloads the whole page (HX-Refresh) to show the report."""

    model = ImportRun
    template_name = "catalog/partials/import_progress.html"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        context.update(run=self.object, **progress_context(self.object))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if getattr(self.request, "htmx", False) and not context["running"]:
            response["HX-Refresh"] = "true"
        return response
