"""Controlled documents (quality manual, policy, objectives, context...): list, read, workflow.
Processes have their own pages (eiso.processes) on the same revision mechanism."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.filtersets import SearchFilterSet
from eiso.core.views import ObjectDetailView, ObjectListView
from eiso.documents.choices import DocumentKind
from eiso.documents.models import Document
from eiso.documents.services import amendment_log, revision_transition
from eiso.documents.workflow import available


class DocumentTable(tables.Table):
    code = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = tables.Column(verbose_name=gettext_lazy("Status"), empty_values=(), orderable=False)

    class Meta:
        model = Document
        fields = ["code", "title", "kind", "status"]

    def render_status(self, record):
        revisions = record.revisions.all()
        return revisions[0].get_status_display() if revisions else "—"


class DocumentFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=gettext_lazy("kind"))

    class Meta:
        model = Document
        fields = ["q", "kind"]


class DocumentListView(ObjectListView):
    model = Document
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    title = gettext_lazy("Documents")

    def get_queryset(self):
        queryset = super().get_queryset().prefetch_related("revisions")
        agency = self.request.agency
        return queryset.filter(agency=agency) if agency is not None else queryset


class DocumentDetailView(ObjectDetailView):
    model = Document
    template_name = "documents/document_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if hasattr(self.object, "process"):
            return redirect(self.object.process.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document, user = self.object, self.request.user
        revision = document.revisions.order_by("-number").first()
        context.update({
            "revision": revision,
            "sections": (revision.content or {}).get("sections", []) if revision else [],
            "actions": [t for t in (available(revision.status) if revision else [])
                        if Document.objects.restrict(user, t.permission).filter(pk=document.pk).exists()],
            "amendments": amendment_log(document=document),
            "revisions": document.revisions.order_by("-number").select_related("approved_by"),
        })
        return context


class DocumentTransitionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = get_object_or_404(Document.objects.restrict(request.user, "view"), pk=pk)
        revision = document.revisions.order_by("-number").first()
        try:
            revision_transition(actor=request.user, revision=revision, action=request.POST.get("action", ""),
                                comment=request.POST.get("comment", ""))
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
        return redirect("documents:document_detail", pk=document.pk)
