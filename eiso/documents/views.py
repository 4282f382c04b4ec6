"""Controlled documents (quality manual, policy, objectives, context...): list, read, workflow;
distribution and reading, periodic review. Processes have their own pages (eiso.processes) on the same
revision mechanism and show the same distribution panel."""

import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from eiso.core.dates import add_months
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.files import CONTENT_TYPES, PREVIEWABLE
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectListView
from eiso.documents.choices import RevisionStatus
from eiso.documents.filtersets import DocumentFilterSet
from eiso.documents.forms import DistributionForm, ReviewConfirmForm
from eiso.documents.models import Attachment, Document, RevisionRecipient
from eiso.documents.selectors import (
    ReviewState,
    can_manage_documents,
    document_page_context,
    documents_due_for_review,
    documents_to_read,
)
from eiso.documents.services import (
    attachment_add,
    attachment_remove,
    document_manage_require,
    document_review_confirm,
    revision_acknowledge,
    revision_distribute,
    revision_transition,
    revision_update,
)


class DocumentTable(tables.Table):
    code = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    status = tables.Column(verbose_name=gettext_lazy("Status"), empty_values=(), orderable=False)

    class Meta:
        model = Document
        fields = ["code", "title", "kind", "status"]

    def render_status(self, record):
        return RevisionStatus(record.latest_status).label if record.latest_status else "—"


class DocumentListView(ObjectListView):
    model = Document
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    title = gettext_lazy("Documents")
    ordering = ("kind", "code")  # the order of the index on (agency, kind, code)

    def get_queryset(self):
        queryset = super().get_queryset().with_latest_status()
        return self.in_current_agency(queryset)


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
        document = self.object
        revision = document.revisions.order_by("-number").first()
        context.update(document_page_context(document=document, user=self.request.user, revision=revision,
                                             unread_only=self.request.GET.get("recipients") == "unread",
                                             known={"change": context["can_change"],
                                                    "delete": context["can_delete"]}))
        context["sections"] = (revision.content or {}).get("sections", []) if revision else []
        return context


class DocumentTransitionView(ObjectActionView):
    model = Document
    follow_next = False

    def act(self, request, document):
        revision_transition(actor=request.user, revision=document.revisions.order_by("-number").first(),
                            action=request.POST.get("action", ""), comment=request.POST.get("comment", ""))
        return _("Done.")


def document_page(document: Document) -> str:
    """The page a document is read on: its process's page for a process."""
    return document.process.get_absolute_url() if hasattr(document, "process") else document.get_absolute_url()


class DocumentDistributeView(LoginRequiredMixin, View):
    """Send the document's published issue to units and people (the panel on the document page)."""

    def post(self, request, pk):
        document = get_object_or_404(
            Document.objects.restrict(request.user, "view").select_related("current_revision"), pk=pk)
        try:
            document_manage_require(request.user, document, _("Only the agency head or the ISO coordinator may "
                                                              "distribute documents."))
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        revision = document.current_revision
        form = DistributionForm(request.POST, user=request.user, agency_id=document.agency_id)
        if revision is None or revision.status != RevisionStatus.PUBLISHED:
            messages.error(request, _("%(document)s has no published issue to distribute. Publish it first.")
                           % {"document": document.code})
        elif not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                rows = revision_distribute(actor=request.user, revision=revision, **form.cleaned_data)
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                if rows:
                    messages.success(request, ngettext("Sent to %(count)s new person.", "Sent to %(count)s new people.",
                                                       len(rows)) % {"count": len(rows)})
                else:
                    messages.info(request, _("No one new: everyone chosen already has this issue, or the chosen "
                                             "units have no members."))
        return redirect(document_page(document) + "#distribution")


class ToReadTable(tables.Table):
    code = tables.Column(accessor="revision__document__code", verbose_name=gettext_lazy("code"),
                         linkify=lambda record: document_page(record.revision.document))
    title = tables.Column(accessor="revision__document__title", verbose_name=gettext_lazy("title"))
    issue = tables.Column(accessor="revision__number", verbose_name=gettext_lazy("issue number"))
    status = tables.Column(accessor="revision__status", verbose_name=gettext_lazy("Status"), orderable=False)
    distributed_at = tables.DateTimeColumn(format="H:i d/m/Y")
    distributed_by = tables.Column(default="—")
    confirm = tables.TemplateColumn(template_name="documents/partials/acknowledge_cell.html", verbose_name="",
                                    orderable=False)

    class Meta:
        model = RevisionRecipient
        fields = ["code", "title", "issue", "status", "distributed_at", "distributed_by", "confirm"]

    def render_status(self, record):
        revision = record.revision
        if revision.status == RevisionStatus.PUBLISHED:
            return revision.get_status_display()
        return _("%(status)s — no longer in force") % {"status": revision.get_status_display()}


class ToReadView(LoginRequiredMixin, SingleTableMixin, TemplateView):
    """The documents sent to me that I have not confirmed reading."""

    template_name = "documents/to_read.html"
    table_class = ToReadTable
    table_pagination = {"per_page": 50}

    def get_table_data(self):
        return documents_to_read(user=self.request.user)

    def get_table_kwargs(self):
        return {"empty_text": _("Nothing to read: you have confirmed every document sent to you.")}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("To read")}


class RevisionAcknowledgeView(ObjectActionView):
    """The recipient confirms having read an issue (POST; confirming twice changes nothing)."""

    model = RevisionRecipient
    select_related = ("revision__document",)

    def act(self, request, recipient):
        revision_acknowledge(actor=request.user, recipient=recipient)
        return (_("Recorded: you have read %(document)s, issue %(number)s.")
                % {"document": recipient.revision.document.code, "number": recipient.revision.number})

    def get_default_url(self, recipient):
        return "documents:to_read"


class ReviewDueTable(tables.Table):
    code = tables.Column(accessor="document__code", verbose_name=gettext_lazy("code"),
                         linkify=lambda record: document_page(record.document))
    title = tables.Column(accessor="document__title", verbose_name=gettext_lazy("title"))
    issue = tables.Column(accessor="document__current_revision__number", verbose_name=gettext_lazy("issue number"))
    reviewed_from = tables.DateColumn(format="d/m/Y", verbose_name=gettext_lazy("in force or last reviewed on"))
    interval = tables.Column(accessor="document__review_interval_months",
                             verbose_name=gettext_lazy("review every (months)"))
    due_on = tables.DateColumn(format="d/m/Y", verbose_name=gettext_lazy("review due on"))
    state = tables.Column(verbose_name=gettext_lazy("Status"))
    confirm = tables.TemplateColumn(template_name="documents/partials/review_confirm_cell.html", verbose_name="")

    class Meta:
        orderable = False
        attrs = {"id": "review-due"}
        row_attrs = {"data-state": lambda record: record.state}

    def render_state(self, record):
        return _("Overdue") if record.is_overdue else _("Due soon")


class ReviewDueView(LoginRequiredMixin, SingleTableMixin, TemplateView):
    """Documents of the current agency whose periodic review is overdue or due within 30 days, for the
    head and the coordinator, each with a "confirm review" button."""

    template_name = "documents/review_due.html"
    table_class = ReviewDueTable
    table_pagination = {"per_page": 100}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        agency = request.agency
        if agency is not None and not can_manage_documents(user=request.user, agency_id=agency.pk):
            raise PermissionDenied
        if agency is None and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_table_data(self):
        agency = self.request.agency
        rows = documents_due_for_review(agency=agency) if agency is not None else []
        self.counts = {state: sum(1 for row in rows if row.state == state)
                       for state in (ReviewState.OVERDUE, ReviewState.UPCOMING)}
        state = self.request.GET.get("state")
        return [row for row in rows if row.state == state] if state in self.counts else rows

    def get_table_kwargs(self):
        return {"empty_text": _("No document is due for review in the next 30 days.")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({"title": _("Documents due for review"), "agency": self.request.agency,
                        "counts": self.counts, "state": self.request.GET.get("state", "")})
        return context


class DocumentReviewConfirmView(ObjectActionView):
    """The head or coordinator confirms the periodic review of a document (POST, optional comment)."""

    model = Document

    def act(self, request, document):
        form = ReviewConfirmForm(request.POST)
        document_manage_require(request.user, document, _("Only the agency head or the ISO coordinator may "
                                                          "confirm reviews."))
        if not form.is_valid():
            raise ApplicationError(form.errors["comment"][0])
        document = document_review_confirm(actor=request.user, document=document,
                                           comment=form.cleaned_data["comment"])
        next_due = add_months(document.last_reviewed_on, document.review_interval_months)
        return (_("Review of %(document)s recorded. The next one is due on %(date)s.")
                % {"document": document.code, "date": next_due.strftime("%d/%m/%Y")})

    def get_default_url(self, document):
        return "documents:review_due"


class RevisionSummaryView(ObjectActionView):
    """Where and what the draft issue changes (printed in the amendment log)."""

    model = Document

    def act(self, request, document):
        revision_update(actor=request.user, revision=document.revisions.order_by("-number").first(),
                        change_summary=request.POST.get("change_summary", "").strip(),
                        change_location=request.POST.get("change_location", "").strip()[:200])
        return _("Saved.")


class AttachmentAddView(ObjectActionView):
    model = Document

    def act(self, request, document):
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Choose a file to attach."), code="file_missing")
        attachment_add(actor=request.user, document=document, file=upload)
        return _("Attached.")


class AttachmentRemoveView(ObjectActionView):
    model = Attachment
    select_related = ("revision__document",)

    def act(self, request, attachment):
        attachment_remove(actor=request.user, attachment=attachment)
        return _("Removed.")

    def get_default_url(self, attachment):
        return attachment.revision.document.get_absolute_url()


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Served only through here, to those who may see the document; PDFs and images open in the browser
    (the preview), the other files download."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
        return FileResponse(attachment.file.open("rb"), content_type=CONTENT_TYPES.get(attachment.kind),
                            as_attachment=attachment.kind not in PREVIEWABLE, filename=attachment.name)
