"""Pages of the legal register and of update tasks (the 3-month rule)."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.filtersets import SearchFilterSet
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.documents.models import Document
from eiso.legal import selectors, services
from eiso.legal.choices import LegalDocumentType, UpdateTaskStatus
from eiso.legal.forms import DismissForm, LegalDocumentForm
from eiso.legal.models import LegalDocument, UpdateTask


class LegalDocumentTable(tables.Table):
    number = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    issued_on = tables.DateColumn(format="d/m/Y")
    effective_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = LegalDocument
        fields = ["number", "doc_type", "title", "issuer", "issued_on", "effective_on"]


class LegalDocumentFilterSet(SearchFilterSet):
    doc_type = django_filters.ChoiceFilter(choices=LegalDocumentType.choices, label=gettext_lazy("type"))

    class Meta:
        model = LegalDocument
        fields = ["q", "doc_type"]


class LegalDocumentListView(ObjectListView):
    model = LegalDocument
    table_class = LegalDocumentTable
    filterset_class = LegalDocumentFilterSet
    title = gettext_lazy("Legal register")
    add_url_name = "legal:legaldocument_add"

    def can_add(self) -> bool:
        return services.can_record(self.request.user)


class LegalDocumentDetailView(ObjectDetailView):
    model = LegalDocument
    template_name = "legal/legaldocument_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.legal_document_context(self.object, self.request.user))
        return context


class LegalDocumentCreateView(ObjectEditView):
    model = LegalDocument
    form_class = LegalDocumentForm
    title = gettext_lazy("Record a legal document")

    def can_add(self) -> bool:
        return services.can_record(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        document = services.legal_document_record(
            actor=self.request.user, number=data["number"], doc_type=data["doc_type"], title=data["title"],
            issuer=data["issuer"], issued_on=data["issued_on"], effective_on=data["effective_on"],
            expires_on=data["expires_on"], url=data["url"],
            relations=[(data["relation"], target) for target in data["related"]],
        )
        tasks = document.update_tasks.count()
        if tasks:
            messages.info(self.request, _("%(count)s update tasks were created for the affected agencies.")
                          % {"count": tasks})
        return document


class UpdateTaskTable(tables.Table):
    document = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=gettext_lazy("document"))
    agency = tables.Column(verbose_name=gettext_lazy("agency"))
    due_on = tables.DateColumn(format="d/m/Y")
    state = tables.Column(verbose_name=gettext_lazy("Status"), empty_values=(), orderable=False)

    class Meta:
        model = UpdateTask
        fields = ["document", "agency", "reason", "legal_document", "due_on", "state"]

    def render_state(self, record):
        if record.status == UpdateTaskStatus.OPEN and record.due_on < today():
            return _("Overdue")
        return record.get_status_display()


class UpdateTaskFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(choices=UpdateTaskStatus.choices, label=gettext_lazy("status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=gettext_lazy("overdue"))

    class Meta:
        model = UpdateTask
        fields = ["q", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = queryset.filter(status=UpdateTaskStatus.OPEN, due_on__lt=today())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class UpdateTaskListView(ObjectListView):
    model = UpdateTask
    table_class = UpdateTaskTable
    filterset_class = UpdateTaskFilterSet
    title = gettext_lazy("Update tasks (3-month rule)")

    def get_queryset(self):
        return super().get_queryset().select_related("document", "agency", "legal_document")


class UpdateTaskDetailView(ObjectDetailView):
    model = UpdateTask
    queryset = UpdateTask.objects.select_related("document", "legal_document", "basis", "procedure", "revision")
    template_name = "legal/updatetask_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = DismissForm()
        context["overdue"] = self.object.status == UpdateTaskStatus.OPEN and self.object.due_on < today()
        return context


class UpdateTaskDismissView(ObjectActionView):
    model = UpdateTask
    permission = "change"
    follow_next = False

    def act(self, request, task):
        services.update_task_dismiss(actor=request.user, task=task,
                                     justification=request.POST.get("justification", ""))
        return _("Done.")


class DocumentLegalBasisView(ObjectActionView):
    """Link (POST number) or unlink (POST remove=<legal document id>) a legal basis of a QMS document."""

    model = Document
    follow_next = False

    def act(self, request, document):
        if request.POST.get("remove"):
            legal = get_object_or_404(LegalDocument, pk=request.POST["remove"])
            services.document_legal_basis_remove(actor=request.user, document=document, legal_document=legal)
        else:
            services.document_legal_basis_add(actor=request.user, document=document,
                                              number=request.POST.get("number", ""))
        return _("Saved.")
