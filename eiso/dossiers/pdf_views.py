"""Printable documents of a dossier: the receipt and appointment, the process control slip and the apology letter,
as PDF shown in the browser (eiso.reports.dossier_pdf)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views import View

from eiso.core.errors import ApplicationError
from eiso.dossiers.models import Dossier
from eiso.reports.dossier_pdf import KINDS, pdf_filename, render_dossier_pdf


def _dossier_page(dossier: Dossier) -> str:
    try:
        return dossier.get_absolute_url()
    except NoReverseMatch:  # the desk pages are not wired yet
        return reverse("dossiers:dossier_list")


class DossierPdfView(LoginRequiredMixin, View):
    """GET <uuid:pk>/<slug:kind>.pdf, kind in KINDS: the document inline; a dossier the user may not view, or
    an unknown kind, is not found; a dossier that cannot have the document goes back to its page with why."""

    def get(self, request, pk, kind: str):
        if kind not in KINDS:
            raise Http404
        queryset = Dossier.objects.restrict(request.user, "view").select_related(
            "agency__parent", "agency__province", "procedure", "case", "process", "received_by")
        dossier = get_object_or_404(queryset, pk=pk)
        try:
            pdf = render_dossier_pdf(dossier, kind, base_url=request.build_absolute_uri("/"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(_dossier_page(dossier))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, pdf_filename(dossier, kind))
        response["Cache-Control"] = "private, no-store"  # citizens' personal data
        return response
