"""Pages of internal audits: programmes by year, the programme with its lines, the audit plan (scope, criteria,
team, schedule), the checklist (execution), findings, completion and the DOCX documents. Every POST calls one
service; a refusal is shown as a message and changes nothing."""

import django_tables2 as tables
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.audits import selectors, services, workflow
from eiso.audits.choices import AuditStatus, ProgrammeStatus
from eiso.audits.forms import (
    AuditForm,
    ChecklistResultForm,
    EntryForm,
    FindingForm,
    ProgrammeForm,
    ScheduleForm,
    TeamForm,
)
from eiso.audits.models import (
    AuditFinding,
    AuditProgramme,
    AuditScheduleItem,
    ChecklistItem,
    InternalAudit,
    ProgrammeEntry,
)
from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, can

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form_data(form_class, request, **kwargs) -> dict:
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        problems = [f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".lstrip(": ")
                    for f, e in form.errors.items()]
        raise ApplicationError(_("Check the form: %(problems)s") % {"problems": "; ".join(problems)}, code="invalid")
    return form.cleaned_data


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(prefix: str, audit) -> str:
    return f"{prefix}-dgnb-{audit.programme.year}-{audit.sequence:02d}.docx"


# --- Programmes ---------------------------------------------------------------------------------------------


class ProgrammeTable(tables.Table):
    year = tables.Column(linkify=True)
    title = tables.Column(linkify=True)
    approved_at = tables.DateTimeColumn(format="d/m/Y")

    class Meta:
        model = AuditProgramme
        fields = ["year", "title", "agency", "status", "approved_at"]


class ProgrammeListView(ObjectListView):
    model = AuditProgramme
    table_class = ProgrammeTable
    filterset_fields = ["year", "status"]
    title = gettext_lazy("Internal audit programmes")
    add_url_name = "audits:programme_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_add(self.request.user, agency)


class ProgrammeCreateView(ObjectEditView):
    model = AuditProgramme
    form_class = ProgrammeForm
    title = gettext_lazy("New internal audit programme")

    def get_initial(self):
        return {"year": today().year}

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_add(self.request.user, agency)

    def save(self, form):
        data = form.cleaned_data
        return services.programme_create(actor=self.request.user, agency=self.request.agency, year=data["year"],
                                         title=data["title"], objectives=data["objectives"])


class ProgrammeEditView(ObjectEditView):
    model = AuditProgramme
    form_class = ProgrammeForm

    def save(self, form):
        data = form.cleaned_data
        return services.programme_update(actor=self.request.user, programme=self.object,
                                         title=data["title"] or self.object.title, objectives=data["objectives"])


class ProgrammeDetailView(ObjectDetailView):
    model = AuditProgramme
    queryset = AuditProgramme.objects.select_related("agency", "approved_by")
    template_name = "audits/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme, user = self.object, self.request.user
        is_draft = programme.status == ProgrammeStatus.DRAFT
        context["entries"] = programme.entries.select_related("process", "org_unit", "auditor")
        context["audits"] = programme.audits.select_related("lead_auditor")
        context["can_edit_entries"] = context["can_change"] and is_draft
        context["can_approve"] = is_draft and can(user, programme, "approve")
        context["entry_form"] = EntryForm(agency=programme.agency)
        context["next_year"] = programme.year + 1
        return context


class EntryAddView(ObjectActionView):
    model = AuditProgramme
    permission = "change"
    follow_next = False

    def act(self, request, programme):
        data = _form_data(EntryForm, request, agency=programme.agency)
        services.programme_entry_add(actor=request.user, programme=programme, process=data["process"],
                                     org_unit=data["org_unit"], clauses=data["clauses"],
                                     planned_month=data["planned_month"], auditor=data["auditor"],
                                     notes=data["notes"])
        return _("Saved.")


class EntryDeleteView(ObjectActionView):
    model = ProgrammeEntry
    permission = "delete"
    follow_next = False

    def act(self, request, entry):
        services.programme_entry_delete(actor=request.user, entry=entry)
        return _("Deleted.")


class ProgrammeApproveView(ObjectActionView):
    model = AuditProgramme
    permission = "approve"
    follow_next = False

    def act(self, request, programme):
        services.programme_approve(actor=request.user, programme=programme)
        return _("The programme is approved.")


class ProgrammeCopyView(ObjectActionView):
    """Start the next year from this programme (a new draft)."""

    model = AuditProgramme
    permission = "add"
    follow_next = False

    def act(self, request, programme):
        self.copy = services.programme_copy_year(actor=request.user, agency=programme.agency,
                                                 from_year=programme.year, to_year=programme.year + 1)
        return _("The programme of %(year)s was created as a draft.") % {"year": self.copy.year}

    def post(self, request, *args, **kwargs):
        self.copy = None
        response = super().post(request, *args, **kwargs)
        if self.copy is not None:
            response["Location"] = self.copy.get_absolute_url()
        return response


class ProgrammeDocxView(ObjectDetailView):
    model = AuditProgramme

    def get(self, request, *args, **kwargs):
        from eiso.reports.audit_docx import render_programme_docx

        programme = self.get_object()
        return _docx(render_programme_docx(selectors.programme_document_data(programme)),
                     f"chuong-trinh-danh-gia-noi-bo-{programme.year}.docx")


# --- Audits -------------------------------------------------------------------------------------------------


class AuditCreateView(ObjectEditView):
    model = InternalAudit
    form_class = AuditForm
    title = gettext_lazy("Plan an internal audit")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.programme = get_object_or_404(AuditProgramme.objects.restrict(request.user, "view"),
                                               pk=kwargs.pop("programme"))
        return super().dispatch(request, *args, **kwargs)

    def can_add(self) -> bool:
        return can(self.request.user, self.programme, "change")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["agency"] = self.programme.agency
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return services.audit_create(
            actor=self.request.user, programme=self.programme, title=data["title"], objectives=data["objectives"],
            processes=data["processes"], org_units=data["org_units"], clauses=data["clauses"],
            documents=data["documents"], auditees=data["auditees"], start_on=data["start_on"], end_on=data["end_on"])


class AuditEditView(ObjectEditView):
    model = InternalAudit
    form_class = AuditForm

    def save(self, form):
        data = form.cleaned_data
        return services.audit_update(
            actor=self.request.user, audit=self.object, title=data["title"], objectives=data["objectives"],
            processes=data["processes"], org_units=data["org_units"], clauses=data["clauses"],
            documents=data["documents"], auditees=data["auditees"], start_on=data["start_on"], end_on=data["end_on"])


class AuditDetailView(ObjectDetailView):
    """The audit plan page: scope, criteria, team, schedule, checklist progress, findings, transitions."""

    model = InternalAudit
    queryset = InternalAudit.objects.select_related("agency", "programme", "lead_auditor")
    template_name = "audits/audit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit, user = self.object, self.request.user
        manage = context["can_change"]
        is_lead = user.pk == audit.lead_auditor_id
        open_plan = audit.status in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)
        context["team"] = audit.team()
        context["schedule"] = audit.schedule.select_related("process", "org_unit").prefetch_related("auditors")
        context["findings"] = audit.findings.select_related("process", "nonconformity", "recorded_by")
        context["checklist_total"] = audit.checklist.count()
        context["checklist_done"] = audit.checklist.exclude(result="").count()
        context["is_team_member"] = audit.is_team_member(user)
        context["can_plan"] = manage and audit.status == AuditStatus.PLANNED
        context["can_team"] = manage and open_plan
        context["can_build"] = (manage or is_lead) and audit.status == AuditStatus.PLANNED
        context["can_record"] = context["is_team_member"] and audit.status == AuditStatus.IN_PROGRESS
        context["can_raise"] = manage or context["is_team_member"]
        context["transitions"] = workflow.available(audit.status) if (manage or is_lead) else []
        context["team_form"] = TeamForm(agency=audit.agency, initial={
            "lead_auditor": audit.lead_auditor_id, "members": list(audit.members.values_list("pk", flat=True))})
        context["schedule_form"] = ScheduleForm(agency=audit.agency, initial={"on": audit.start_on})
        context["finding_form"] = FindingForm(audit=audit)
        library_clauses = ", ".join(audit.clauses)
        context["clauses"] = library_clauses
        return context


class AuditTeamView(ObjectActionView):
    model = InternalAudit
    permission = "change"
    follow_next = False

    def act(self, request, audit):
        data = _form_data(TeamForm, request, agency=audit.agency)
        services.audit_team_set(actor=request.user, audit=audit, lead_auditor=data["lead_auditor"],
                                members=list(data["members"]))
        return _("Saved.")


class ScheduleAddView(ObjectActionView):
    model = InternalAudit
    permission = "change"
    follow_next = False

    def act(self, request, audit):
        data = _form_data(ScheduleForm, request, agency=audit.agency)
        services.schedule_item_add(actor=request.user, audit=audit, on=data["on"], start_time=data["start_time"],
                                   end_time=data["end_time"], process=data["process"], org_unit=data["org_unit"],
                                   clauses=data["clauses"], activity=data["activity"],
                                   auditors=list(data["auditors"]))
        return _("Saved.")


class ScheduleDeleteView(ObjectActionView):
    model = AuditScheduleItem
    permission = "delete"
    follow_next = False

    def act(self, request, item):
        services.schedule_item_delete(actor=request.user, item=item)
        return _("Deleted.")


class ChecklistView(ObjectDetailView):
    """The checklist: one form per question for the team while the audit is in progress."""

    model = InternalAudit
    template_name = "audits/checklist.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = self.object
        context["items"] = audit.checklist.select_related("process", "recorded_by")
        context["can_record"] = audit.is_team_member(self.request.user) and audit.status == AuditStatus.IN_PROGRESS
        context["result_form"] = ChecklistResultForm()
        return context


class ChecklistBuildView(ObjectActionView):
    model = InternalAudit
    follow_next = False

    def act(self, request, audit):
        count = services.checklist_build(actor=request.user, audit=audit)
        return _("Checklist built: %(count)s questions.") % {"count": count}

    def get_default_url(self, audit):
        return reverse("audits:checklist", args=[audit.pk])


class ChecklistRecordView(ObjectActionView):
    model = ChecklistItem
    select_related = ("audit",)
    follow_next = False

    def act(self, request, item):
        data = _form_data(ChecklistResultForm, request)
        services.checklist_item_record(actor=request.user, item=item, result=data["result"],
                                       evidence=data["evidence"], notes=data["notes"])
        return _("Saved.")


class FindingAddView(ObjectActionView):
    model = InternalAudit
    follow_next = False

    def act(self, request, audit):
        data = _form_data(FindingForm, request, audit=audit)
        finding = services.finding_record(actor=request.user, audit=audit, grade=data["grade"],
                                          clause=data["clause"], process=data["process"],
                                          description=data["description"], evidence=data["evidence"])
        if finding.nonconformity_id:
            return _("Saved. Nonconformity %(number)s was raised.") % {"number": finding.nonconformity.number}
        return _("Saved.")


class FindingRaiseView(ObjectActionView):
    model = AuditFinding
    select_related = ("audit",)
    follow_next = False

    def act(self, request, finding):
        nonconformity = services.finding_raise_nonconformity(actor=request.user, finding=finding)
        return _("Nonconformity %(number)s was raised.") % {"number": nonconformity.number}


class AuditTransitionView(ObjectActionView):
    model = InternalAudit
    follow_next = False

    def act(self, request, audit):
        services.audit_transition(actor=request.user, audit=audit, action=request.POST.get("action", ""),
                                  conclusions=request.POST.get("conclusions"))
        return _("Done.")


class AuditPlanDocxView(ObjectDetailView):
    model = InternalAudit

    def get(self, request, *args, **kwargs):
        from eiso.reports.audit_docx import render_audit_plan_docx

        audit = self.get_object()
        return _docx(render_audit_plan_docx(selectors.audit_document_data(audit)), _filename("ke-hoach", audit))


class AuditReportDocxView(ObjectDetailView):
    model = InternalAudit

    def get(self, request, *args, **kwargs):
        from eiso.reports.audit_docx import render_audit_report_docx

        audit = self.get_object()
        return _docx(render_audit_report_docx(selectors.audit_document_data(audit)), _filename("bao-cao", audit))
