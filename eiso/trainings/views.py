"""Pages of the training courses (list, add, edit, delete, the course with its participants, the import from a
workbook, certificates), the totals by year and level (page and XLSX), and what an agency sees of them: its own
people on courses, with their certificates. The consultants' pages are in views_consultants.py."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for, today
from eiso.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    can,
    viewed_agency,
)
from eiso.organizations.selectors import chosen_province, supervised_provinces
from eiso.reports.training_docx import certificate_snapshot, render_certificates_docx
from eiso.trainings import imports, selectors, services
from eiso.trainings.choices import TrainingKind
from eiso.trainings.forms import ImportForm, ParticipantEditForm, ParticipantForm, TotalsForm, TrainingForm
from eiso.trainings.models import READ_BY_MANAGERS, Participant, Training
from eiso.trainings.spreadsheets import totals_xlsx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Courses ----------------------------------------------------------------------------------------------------


class TrainingTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"), order_by=("year", "number"))
    start_on = tables.DateColumn(format="d/m/Y")
    end_on = tables.DateColumn(format="d/m/Y")
    participant_count = tables.Column(verbose_name=gettext_lazy("participants"), orderable=False)
    agency_count = tables.Column(verbose_name=gettext_lazy("agencies"), orderable=False)

    class Meta:
        model = Training
        fields = ["number", "topic", "kind", "start_on", "end_on", "location", "participant_count", "agency_count"]

    def render_number(self, value, record):
        return record.reference


class TrainingFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    kind = django_filters.ChoiceFilter(choices=TrainingKind.choices, label=gettext_lazy("kind"))
    topic = django_filters.CharFilter(lookup_expr="icontains", label=gettext_lazy("topic"))

    class Meta:
        model = Training
        fields = ["year", "kind", "topic"]


class TrainingListView(ObjectListView):
    model = Training
    table_class = TrainingTable
    filterset_class = TrainingFilterSet
    title = gettext_lazy("Training courses")
    add_url_name = "trainings:training_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency").annotate(
            participant_count=Count("participants", distinct=True),
            agency_count=Count("participants__agency", distinct=True)).order_by("-start_on", "-number")

    def can_add(self) -> bool:
        return selectors.can_keep_register(self.request.user)


class TrainingCreateView(ObjectEditView):
    model = Training
    form_class = TrainingForm
    title = gettext_lazy("Add a training course")

    def can_add(self) -> bool:
        return selectors.can_keep_register(self.request.user)

    def save(self, form):
        return services.training_create(actor=self.request.user, authority=form.chosen_authority(), **form.values())


class TrainingEditView(ObjectEditView):
    model = Training
    form_class = TrainingForm

    def save(self, form):
        return services.training_update(actor=self.request.user, training=self.object, **form.values())


class TrainingDeleteView(ObjectDeleteView):
    model = Training
    success_url_name = "trainings:training_list"

    def delete(self, obj):
        services.training_delete(actor=self.request.user, training=obj)


def agency_breakdown(participants) -> list[dict]:
    """Per agency: people on the course, attended, passed."""
    rows: dict = {}
    for participant in participants:
        row = rows.setdefault(participant.agency_id, {"agency": participant.agency, "people": 0, "attended": 0,
                                                      "passed": 0})
        row["people"] += 1
        row["attended"] += int(participant.attended)
        row["passed"] += int(participant.passed)
    return sorted(rows.values(), key=lambda row: row["agency"].name)


class TrainingDetailView(ObjectDetailView):
    model = Training
    queryset = Training.objects.select_related("agency", "consultant")
    template_name = "trainings/training_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        training = self.object
        participants = list(training.participants.select_related("agency", "user").order_by("agency__name",
                                                                                           "full_name"))
        manage = context["can_change"]
        context.update({
            "participants": participants,
            "breakdown": agency_breakdown(participants),
            "attended": sum(1 for p in participants if p.attended),
            "passed": sum(1 for p in participants if p.passed),
            "certified": sum(1 for p in participants if p.certificate_sequence is not None),
            "waiting": sum(1 for p in participants if p.passed and p.certificate_sequence is None),
            "can_manage": manage,
            "can_issue": manage and training.end_on <= today(),
            "participant_form": ParticipantForm(training=training) if manage else None,
            "import_form": ImportForm() if manage else None,
        })
        return context


class ParticipantAddView(ObjectActionView):
    model = Training
    permission = "change"
    follow_next = False

    def act(self, request, training):
        form = ParticipantForm(request.POST, training=training)
        if not form.is_valid():
            raise ApplicationError(_("Choose the agency (one of the province's) and write the full name."),
                                   code="invalid")
        data = form.cleaned_data
        participant = services.participant_add(actor=request.user, training=training, agency=data["agency"],
                                               full_name=data["full_name"], position=data["position"] or "")
        return _("%(name)s is added to the course.") % {"name": participant.full_name}

    def get_default_url(self, training):
        return training.get_absolute_url() + "#participants"


class ParticipantImportView(LoginRequiredMixin, View):
    """Import participants from a workbook; the page that answers lists the rows added and those refused."""

    def post(self, request, pk):
        training = get_object_or_404(Training.objects.restrict(request.user, "view").select_related("agency"),
                                     pk=pk)
        if not can(request.user, training, "change"):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose the workbook (XLSX) to import."))
            return redirect(training.get_absolute_url() + "#import")
        try:
            result = imports.participants_import(actor=request.user, training=training, file=form.cleaned_data["file"])
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(training.get_absolute_url() + "#import")
        return render(request, "trainings/import_result.html", {
            "title": _("Participants imported"), "training": training, "result": result})


class CertificatesIssueView(ObjectActionView):
    model = Training
    permission = "change"
    follow_next = False

    def act(self, request, training):
        issued = services.certificates_issue(actor=request.user, training=training)
        return _("%(count)s certificates issued, from %(first)s to %(last)s.") % {
            "count": len(issued), "first": issued[0].certificate_number, "last": issued[-1].certificate_number}

    def get_default_url(self, training):
        return training.get_absolute_url() + "#participants"


class TrainingCertificatesView(ObjectDetailView):
    """Every certificate issued on the course, one per page, as a Word file."""

    model = Training

    def get(self, request, *args, **kwargs):
        training = self.get_object()
        participants = (training.participants.filter(certificate_sequence__isnull=False)
                        .select_related("agency", "training__agency__parent", "training__agency__province",
                                        "training__consultant").order_by("certificate_sequence"))
        if not participants:
            messages.error(request, _("No certificate is issued on this course yet."))
            return redirect(training.get_absolute_url())
        content = render_certificates_docx([certificate_snapshot(p) for p in participants])
        return file_response(content, DOCX_TYPE, f"giay-chung-nhan-khoa-{training.number:02d}-{training.year}.docx")


class ParticipantEditView(ObjectEditView):
    model = Participant
    queryset = Participant.objects.select_related("training", "training__agency", "agency")
    form_class = ParticipantEditForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Participant of course %(course)s") % {"course": self.object.training}
        return context

    def save(self, form):
        data = form.cleaned_data
        return services.participant_update(actor=self.request.user, participant=self.object,
                                           agency=data["agency"], full_name=data["full_name"],
                                           position=data["position"] or "", user=data["user"],
                                           attended=data["attended"], passed=data["passed"])


class ParticipantDeleteView(ObjectActionView):
    model = Participant
    select_related = ("training",)
    permission = "delete"
    follow_next = False

    def act(self, request, participant):
        services.participant_remove(actor=request.user, participant=participant)
        return _("%(name)s is removed from the course.") % {"name": participant.full_name}

    def get_default_url(self, participant):
        return participant.training.get_absolute_url() + "#participants"


class ParticipantCertificateView(LoginRequiredMixin, View):
    """One person's certificate: for the supervisors and for the head and coordinator of the person's agency."""

    def get(self, request, pk):
        participant = get_object_or_404(
            Participant.objects.restrict(request.user, "view").select_related(
                "agency", "training", "training__agency__parent", "training__agency__province",
                "training__consultant"), pk=pk)
        if participant.certificate_sequence is None:
            raise Http404
        content = render_certificates_docx([certificate_snapshot(participant)])
        name = participant.certificate_number.replace("/", "-").replace(".", "-")
        return file_response(content, DOCX_TYPE, f"giay-chung-nhan-{name}.docx")


class ImportTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        return file_response(imports.import_template_xlsx(), XLSX_TYPE, "mau-danh-sach-hoc-vien.xlsx")


# --- Totals -----------------------------------------------------------------------------------------------------


class TotalsMixin(LoginRequiredMixin):
    """The supervisors (of a province, or national) and administrators; `?province=` among those they read."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        scope = scope_for(request.user)
        if not (scope.is_global or scope.supervised_provinces):
            raise PermissionDenied
        self.province = chosen_province(request.user, request.GET.get("province"))
        if self.province is None and request.GET.get("province"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TotalsView(TotalsMixin, TemplateView):
    template_name = "trainings/totals.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provinces = supervised_provinces(self.request.user)
        table = selectors.training_totals(province=self.province) if self.province else []
        context.update({
            "title": _("Training totals by year and level"), "province": self.province, "table": table,
            "levels": selectors.levels(),
            "form": TotalsForm(initial={"province": self.province.pk if self.province else ""},
                               provinces=provinces) if len(provinces) > 1 else None,
        })
        return context


class TotalsXlsxView(TotalsMixin, View):
    def get(self, request):
        if self.province is None:
            raise Http404
        table = selectors.training_totals(province=self.province)
        return file_response(totals_xlsx(table, province=self.province), XLSX_TYPE,
                             f"dao-tao-iso-{self.province.code}.xlsx")


# --- What an agency sees ----------------------------------------------------------------------------------------


def may_read_agency(user, agency) -> bool:
    """The agency's head and ISO coordinator (and its successors' through a merger), the supervisors of its
    province, administrators."""
    scope = scope_for(user)
    return (scope.is_global or agency.pk in scope.agencies_for("view", READ_BY_MANAGERS)
            or (scope.supervises_for("view", READ_BY_MANAGERS) and agency.province_id in scope.supervised_provinces))


def chosen_agency(request):
    agency = viewed_agency(request, Participant)
    if agency is None:
        raise Http404
    if not may_read_agency(request.user, agency):
        raise PermissionDenied
    return agency


class AgencyTrainingsView(LoginRequiredMixin, TemplateView):
    """The agency's own people on the province's courses, with their certificates."""

    template_name = "trainings/agency_trainings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = chosen_agency(self.request)
        participants = list(selectors.agency_participants(user=self.request.user, agency=agency))
        courses: dict = {}
        for participant in participants:
            courses.setdefault(participant.training, []).append(participant)
        context.update({
            "title": _("Trainings of our people"), "agency": agency, "courses": list(courses.items()),
            "people": len(participants), "attended": sum(1 for p in participants if p.attended),
            "certified": sum(1 for p in participants if p.certificate_sequence is not None),
            "other_agency": self.request.agency is None or self.request.agency.pk != agency.pk,
        })
        return context

