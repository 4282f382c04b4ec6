"""Public posting (niêm yết công khai): no login; only published processes, from their frozen snapshot."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from eiso.announcements.selectors import current_announcement
from eiso.catalog.models import Field
from eiso.organizations.models import Agency
from eiso.portal.selectors import public_agencies, public_process, public_processes
from eiso.processes.models import FormTemplate
from eiso.reports.flowchart import process_flowchart_svg
from eiso.reports.process_pdf import process_context


class PublicIndexView(View):
    def get(self, request):
        q = request.GET.get("q", "")
        return render(request, "portal/index.html", {"agencies": public_agencies(q=q)[:200], "q": q,
                                                     "title": _("Posted procedures")})


class PublicAgencyView(View):
    def get(self, request, code):
        agency = get_object_or_404(Agency, code=code)
        q, field, level = request.GET.get("q", ""), request.GET.get("field", ""), request.GET.get("level", "")
        processes = public_processes(agency=agency, q=q, field=field, level=level)
        template = "portal/partials/process_list.html" if request.htmx else "portal/agency.html"
        return render(request, template, {
            "agency": agency, "processes": processes, "q": q, "field": field, "level": level,
            "announcement": None if request.htmx else current_announcement(agency),
            "fields": Field.objects.filter(procedures__processes__agency=agency).distinct().order_by("name"),
            "title": _("Posted procedures of %(agency)s") % {"agency": agency.name},
        })


class PublicProcessView(View):
    def get(self, request, code, pk):
        agency = get_object_or_404(Agency, code=code)
        process = public_process(agency=agency, pk=pk)
        if process is None:
            raise Http404
        snapshot = process.document.current_revision.content
        files = {f.code: f for f in process.forms.exclude(file="")}
        return render(request, "portal/process.html", {
            "agency": agency, "process": process, "snapshot": snapshot,
            "flowchart": process_flowchart_svg(snapshot), **process_context(snapshot),
            "forms": [(f, files.get(f["code"])) for f in snapshot["process"]["forms"]],
            "title": snapshot["document"]["title"],
        })


class PublicFormView(View):
    def get(self, request, code, pk, form_pk):
        agency = get_object_or_404(Agency, code=code)
        process = public_process(agency=agency, pk=pk)
        form = get_object_or_404(FormTemplate, pk=form_pk, process=process) if process else None
        if form is None or not form.file:
            raise Http404
        response = HttpResponse(form.file.read(), content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{form.file.name.rsplit("/", 1)[-1]}"'
        return response
