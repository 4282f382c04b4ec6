"""Process pages: list, detail (with workflow actions), editing, step table, exports, bootstrap wizard."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, can
from eiso.documents.models import Revision
from eiso.documents.selectors import document_page_context
from eiso.processes import services
from eiso.processes.bootstrap import agency_level, qms_bootstrap
from eiso.processes.filtersets import ProcessFilterSet
from eiso.processes.forms import ProcessForm, StepFormSet, TransitionForm
from eiso.processes.models import Process
from eiso.processes.selectors import process_problems, process_snapshot
from eiso.processes.tables import ProcessTable
from eiso.reports.flowchart import process_flowchart_svg
from eiso.reports.process_pdf import process_context


def _revisions_prefetch():
    return Prefetch("document__revisions", queryset=Revision.objects.order_by("-number"))


class ProcessListView(ObjectListView):
    model = Process
    table_class = ProcessTable
    filterset_class = ProcessFilterSet
    title = gettext_lazy("Processes")

    def get_queryset(self):
        queryset = super().get_queryset().select_related("document").prefetch_related(_revisions_prefetch())
        return self.in_current_agency(queryset)


class ProcessDetailView(ObjectDetailView):
    model = Process
    template_name = "processes/process_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        document = process.document
        revision = document.revisions.order_by("-number").first()
        snapshot = process_snapshot(process=process, revision=revision)
        context.update(document_page_context(document=document, user=self.request.user, revision=revision,
                                             unread_only=self.request.GET.get("recipients") == "unread"))
        context.update({
            "document": document, "snapshot": snapshot, "transition_form": TransitionForm(),
            "flowchart": process_flowchart_svg(snapshot), **process_context(snapshot),
            "problems": process_problems(process=process) if revision and revision.status == "draft" else [],
            "forms": process.forms.all(),
            "events": [e for r in document.revisions.all() for e in r.events.select_related("actor")],
            "can_edit": context["can_edit_summary"] and revision is not None and revision.status in (
                "draft", "published"),
        })
        return context


class ProcessEditView(ObjectEditView):
    model = Process
    form_class = ProcessForm

    def save(self, form):
        return services.process_update(actor=self.request.user, process=self.object, data=form.cleaned_data)


class ProcessStepsView(LoginRequiredMixin, View):
    """Edit the whole step table at once (a formset); saving replaces the steps in one transaction."""

    template_name = "processes/process_steps.html"

    def _process(self, request, pk):
        process = get_object_or_404(Process.objects.restrict(request.user, "view"), pk=pk)
        if not can(request.user, process, "change"):
            raise PermissionDenied
        return process

    def get(self, request, pk, formset=None):
        process = self._process(request, pk)
        if formset is None:
            initial = [{"action": s.action, "responsible": s.responsible, "duration": s.duration,
                        "duration_unit": s.duration_unit, "duration_text": s.duration_text,
                        "form_codes": ", ".join(s.forms or []), "output": s.output} for s in process.steps.all()]
            formset = StepFormSet(initial=initial)
        return render(request, self.template_name, {"object": process, "formset": formset,
                                                    "title": _("Steps of %(code)s") % {"code": process.code}})

    def post(self, request, pk):
        process = self._process(request, pk)
        formset = StepFormSet(request.POST)
        if formset.is_valid():
            steps = [{**f.cleaned_data, "forms": f.cleaned_data.get("form_codes", [])} for f in formset.forms
                     if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("action")]
            try:
                services.process_steps_replace(actor=request.user, process=process, steps=steps)
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
            except ApplicationError as exc:
                formset._non_form_errors = formset.error_class([exc.message])
                return self.get(request, pk, formset=formset)
            messages.success(request, _("The steps have been saved."))
            return redirect(process.get_absolute_url())
        return self.get(request, pk, formset=formset)


class ProcessFormUploadView(ObjectActionView):
    """Attach a form's file (PDF, Word, Excel): the public page then offers it for download."""

    model = Process
    follow_next = False

    def act(self, request, process):
        upload = request.FILES.get("file")
        code = (request.POST.get("code") or "").strip()
        if upload is None or not code:
            raise ApplicationError(_("Choose the form code and a file."))
        services.form_template_attach(actor=request.user, process=process, code=code,
                                      title=(request.POST.get("title") or "").strip(), file=upload)
        return _("The form file has been saved.")


class ProcessTransitionView(ObjectActionView):
    model = Process
    follow_next = False

    def act(self, request, process):
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return None
        services.process_transition(actor=request.user, process=process, action=form.cleaned_data["action"],
                                    comment=form.cleaned_data["comment"])
        return _("Done.")

    def report_error(self, request, exc):
        super().report_error(request, exc)
        for problem in exc.errors.get("process", [])[1:]:
            messages.error(request, problem)


def _snapshot_for_export(request, pk):
    process = get_object_or_404(Process.objects.restrict(request.user, "view"), pk=pk)
    revision_id = request.GET.get("revision")
    revision = process.document.revisions.filter(pk=revision_id).first() if revision_id else None
    if revision is not None and revision.content and revision.status != "draft":
        return process, revision.content
    return process, process_snapshot(process=process, revision=revision)


class ProcessDocxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from eiso.reports.process_docx import render_process_docx

        process, snapshot = _snapshot_for_export(request, pk)
        response = HttpResponse(render_process_docx(snapshot), content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        response["Content-Disposition"] = f'attachment; filename="{process.code}.docx"'
        return response


class ProcessPdfView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from eiso.reports.process_pdf import render_process_pdf

        process, snapshot = _snapshot_for_export(request, pk)
        try:
            pdf = render_process_pdf(snapshot)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(process.get_absolute_url())
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{process.code}.pdf"'
        return response


class ProcessFlowchartView(LoginRequiredMixin, View):
    def get(self, request, pk):
        _process, snapshot = _snapshot_for_export(request, pk)
        return HttpResponse(process_flowchart_svg(snapshot), content_type="image/svg+xml")


class BootstrapView(LoginRequiredMixin, View):
    """The wizard: what will be created for the current agency, then one click builds it."""

    template_name = "processes/bootstrap.html"

    def _agency(self, request):
        agency = request.agency
        scope = scope_for(request.user)
        if agency is None or not (scope.is_global or agency.pk in scope.agencies_for("add")):
            raise PermissionDenied
        return agency

    def get(self, request, result=None):
        from eiso.catalog.models import Procedure
        from eiso.processes.library import framework_manifest

        agency = self._agency(request)
        level = agency_level(agency)
        manifest = framework_manifest()
        adopted = Process.objects.filter(agency=agency, kind="procedure").count()
        return render(request, self.template_name, {
            "title": _("Build the QMS"), "agency": agency, "level": level, "manifest": manifest,
            "procedure_count": Procedure.objects.for_level(level).count(), "adopted": adopted,
            "result": result,
        })

    def post(self, request):
        agency = self._agency(request)
        try:
            result = qms_bootstrap(actor=request.user, agency=agency)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("processes:bootstrap")
        messages.success(request, _("The QMS has been built: %(documents)s framework documents and %(processes)s "
                                    "processes created as drafts.")
                         % {"documents": result["framework_documents"], "processes": result["procedure_processes"]})
        return redirect("processes:process_list")
