"""The public register of conformity announcements (no login): every signed announcement, searchable by province and
agency name (accent-insensitive), with a page per announcement and its decision as PDF. Drafts are never public
(404)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from eiso.announcements import documents
from eiso.announcements.selectors import public_announcement, public_announcements, public_provinces
from eiso.core.errors import ApplicationError

PAGE_SIZE = 25


class AnnouncementRegisterView(View):
    def get(self, request):
        q, province, status = request.GET.get("q", ""), request.GET.get("province", ""), request.GET.get("status", "")
        provinces = list(public_provinces())
        chosen = next((p for p in provinces if str(p.pk) == province), None)
        queryset = public_announcements(q=q, province=chosen.pk if chosen else None, status=status)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "portal/announcement_register.html", {
            "page": page, "q": q, "province": province, "status": status, "provinces": provinces,
            "query": query.urlencode(), "title": _("Register of conformity announcements"),
        })


class PublicAnnouncementView(View):
    def get(self, request, pk):
        announcement = public_announcement(pk)
        if announcement is None:
            raise Http404
        return render(request, "portal/announcement_detail.html", {
            "announcement": announcement,
            "replaced_by": announcement.replaced_by.filter(status__in=("signed", "superseded")).first(),
            "title": _("Conformity announcement %(number)s") % {"number": announcement.number_display},
        })


class PublicAnnouncementPdfView(View):
    def get(self, request, pk):
        announcement = public_announcement(pk)
        if announcement is None:
            raise Http404
        try:
            content = documents.decision_pdf(announcement)
        except ApplicationError as exc:  # the server cannot render PDF (Pango missing)
            return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{documents.filename(announcement, "pdf")}"'
        return response
