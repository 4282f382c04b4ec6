"""API of internal audits: programmes (entries, approval, copy to a new year), audits (plan, team, schedule,
checklist, transitions, DOCX), checklist items (results) and findings (raise a nonconformity). Reads are scoped
by restrict() (another agency's: 404); every write is one service call. Related ids in a body are looked up
among what the user may see: an unseen one answers like an unknown one (400)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.audits import selectors, services
from eiso.audits.api import serializers as s
from eiso.audits.models import AuditFinding, AuditProgramme, ChecklistItem, InternalAudit
from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_people, validated, visible, visible_many
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.documents.models import Document
from eiso.organizations.models import Agency, OrgUnit
from eiso.processes.models import Process

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DOCX_RESPONSE = {(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY)}


class ProgrammeFilterSet(IdFilterSet):
    class Meta:
        model = AuditProgramme
        fields = ["agency", "year", "status"]


@extend_schema(tags=["audits"])
class AuditProgrammeViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                            mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Yearly internal audit programmes (ISO 9001 clause 9.2.2). Filters: agency, year, status."""

    queryset = AuditProgramme.objects.prefetch_related("entries")
    serializer_class = s.AuditProgrammeSerializer
    filterset_class = ProgrammeFilterSet

    def _answer(self, programme, status_code=status.HTTP_200_OK):
        fresh = AuditProgramme.objects.prefetch_related("entries").get(pk=programme.pk)
        return Response(s.AuditProgrammeSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.ProgrammeCreateSerializer, responses={201: s.AuditProgrammeSerializer})
    def create(self, request, *args, **kwargs):
        """A draft programme for the agency's year (one per year)."""
        data = validated(request, s.ProgrammeCreateSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency")
        programme = services.programme_create(actor=request.user, agency=agency, year=data["year"],
                                              title=data["title"], objectives=data["objectives"])
        return self._answer(programme, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProgrammeEntryCreateSerializer, responses={201: s.AuditProgrammeSerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request, pk=None):
        """Add a line (process and/or unit, clauses, month, auditor) to a draft programme."""
        programme = self.get_object()
        data = validated(request, s.ProgrammeEntryCreateSerializer)
        auditor = agency_people(programme.agency, [data["auditor"]] if data["auditor"] else [], "auditor")
        services.programme_entry_add(
            actor=request.user, programme=programme, planned_month=data["planned_month"],
            process=visible(Process.objects, request.user, data["process"], "process"),
            org_unit=visible(OrgUnit.objects, request.user, data["org_unit"], "org_unit"),
            clauses=data["clauses"], auditor=auditor[0] if auditor else None, notes=data["notes"])
        return self._answer(programme, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.AuditProgrammeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The agency head approves the programme."""
        return self._answer(services.programme_approve(actor=request.user, programme=self.get_object()))

    @extend_schema(request=s.ProgrammeCopySerializer, responses={201: s.AuditProgrammeSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """Start another year from this programme: a new draft with the same lines."""
        programme = self.get_object()
        data = validated(request, s.ProgrammeCopySerializer)
        copy = services.programme_copy_year(actor=request.user, agency=programme.agency, from_year=programme.year,
                                            to_year=data["to_year"])
        return self._answer(copy, status.HTTP_201_CREATED)


class AuditFilterSet(IdFilterSet):
    class Meta:
        model = InternalAudit
        fields = ["agency", "programme", "status", "lead_auditor"]


@extend_schema(tags=["audits"])
class InternalAuditViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Internal audits with their plan. Filters: agency, programme, status, lead_auditor. Plan (create), choose
    the team, add schedule items, build the checklist, then transition `start` and `complete`."""

    queryset = InternalAudit.objects.prefetch_related("processes", "org_units", "documents", "members", "schedule")
    serializer_class = s.InternalAuditSerializer
    filterset_class = AuditFilterSet

    def _answer(self, audit, status_code=status.HTTP_200_OK):
        fresh = self.queryset.model.objects.prefetch_related("schedule").get(pk=audit.pk)
        return Response(s.InternalAuditSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.AuditCreateSerializer, responses={201: s.InternalAuditSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.AuditCreateSerializer)
        user = request.user
        programme = visible(AuditProgramme.objects, user, data["programme"], "programme")
        audit = services.audit_create(
            actor=user, programme=programme, title=data["title"], objectives=data["objectives"],
            processes=visible_many(Process.objects, user, data["processes"], "processes"),
            org_units=visible_many(OrgUnit.objects, user, data["org_units"], "org_units"),
            documents=visible_many(Document.objects, user, data["documents"], "documents"),
            clauses=data["clauses"], auditees=data["auditees"], start_on=data["start_on"], end_on=data["end_on"])
        return self._answer(audit, status.HTTP_201_CREATED)

    @extend_schema(request=s.AuditTeamSerializer, responses={200: s.InternalAuditSerializer})
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        """Choose the lead auditor and the members (auditor independence is enforced)."""
        audit = self.get_object()
        data = validated(request, s.AuditTeamSerializer)
        lead = agency_people(audit.agency, [data["lead_auditor"]], "lead_auditor")[0]
        return self._answer(services.audit_team_set(actor=request.user, audit=audit, lead_auditor=lead,
                                                    members=agency_people(audit.agency, data["members"], "members")))

    @extend_schema(request=s.AuditScheduleCreateSerializer, responses={201: s.InternalAuditSerializer})
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Add a schedule item (the auditors must be on the team and independent of what they audit)."""
        audit, user = self.get_object(), request.user
        data = validated(request, s.AuditScheduleCreateSerializer)
        services.schedule_item_add(
            actor=user, audit=audit, on=data["on"], start_time=data["start_time"], end_time=data["end_time"],
            process=visible(Process.objects, user, data["process"], "process"),
            org_unit=visible(OrgUnit.objects, user, data["org_unit"], "org_unit"), clauses=data["clauses"],
            activity=data["activity"], auditors=agency_people(audit.agency, data["auditors"], "auditors"))
        return self._answer(audit, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ChecklistBuildResultSerializer})
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        """(Re)build the checklist from the clause library and the processes audited."""
        return Response({"count": services.checklist_build(actor=request.user, audit=self.get_object())})

    @extend_schema(request=s.AuditTransitionSerializer, responses={200: s.InternalAuditSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """`start` or `complete` (with the conclusions); a refused one answers 400 with what to do first."""
        data = validated(request, s.AuditTransitionSerializer)
        return self._answer(services.audit_transition(actor=request.user, audit=self.get_object(),
                                                      action=data["action"], conclusions=data["conclusions"]))

    @extend_schema(responses=DOCX_RESPONSE)
    @action(detail=True, methods=["get"], url_path="plan-docx", url_name="plan-docx")
    def plan_docx(self, request, pk=None):
        """The internal audit plan (KẾ HOẠCH ĐÁNH GIÁ NỘI BỘ) as DOCX."""
        from eiso.reports.audit_docx import render_audit_plan_docx

        audit = self.get_object()
        return _docx(render_audit_plan_docx(selectors.audit_document_data(audit)),
                     f"ke-hoach-dgnb-{audit.programme.year}-{audit.sequence:02d}.docx")

    @extend_schema(responses=DOCX_RESPONSE)
    @action(detail=True, methods=["get"], url_path="report-docx", url_name="report-docx")
    def report_docx(self, request, pk=None):
        """The internal audit report (BÁO CÁO ĐÁNH GIÁ NỘI BỘ) as DOCX."""
        from eiso.reports.audit_docx import render_audit_report_docx

        audit = self.get_object()
        return _docx(render_audit_report_docx(selectors.audit_document_data(audit)),
                     f"bao-cao-dgnb-{audit.programme.year}-{audit.sequence:02d}.docx")


class ChecklistFilterSet(IdFilterSet):
    class Meta:
        model = ChecklistItem
        fields = ["agency", "audit", "result", "clause", "process"]


@extend_schema(tags=["audits"])
class ChecklistItemViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """Checklist questions of the audits. Filters: agency, audit, result, clause, process."""

    queryset = ChecklistItem.objects.select_related("audit")
    serializer_class = s.ChecklistItemSerializer
    filterset_class = ChecklistFilterSet

    @extend_schema(request=s.ChecklistRecordSerializer, responses={200: s.ChecklistItemSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the result (audit team only, while the audit is in progress)."""
        data = validated(request, s.ChecklistRecordSerializer)
        item = services.checklist_item_record(actor=request.user, item=self.get_object(), result=data["result"],
                                              evidence=data["evidence"], notes=data["notes"])
        return Response(s.ChecklistItemSerializer(item).data)


class FindingFilterSet(IdFilterSet):
    class Meta:
        model = AuditFinding
        fields = ["agency", "audit", "grade", "clause", "process"]


@extend_schema(tags=["audits"])
class AuditFindingViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Audit findings. Filters: agency, audit, grade, clause, process. A major or minor nonconformity is raised
    at once as a nonconformity; an observation on request (raise-nonconformity)."""

    queryset = AuditFinding.objects.select_related("audit", "nonconformity")
    serializer_class = s.AuditFindingSerializer
    filterset_class = FindingFilterSet

    @extend_schema(request=s.AuditFindingCreateSerializer, responses={201: s.AuditFindingSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.AuditFindingCreateSerializer)
        user = request.user
        audit = visible(InternalAudit.objects, user, data["audit"], "audit")
        finding = services.finding_record(
            actor=user, audit=audit, grade=data["grade"], clause=data["clause"], description=data["description"],
            evidence=data["evidence"], process=visible(Process.objects, user, data["process"], "process"),
            checklist_item=visible(ChecklistItem.objects, user, data["checklist_item"], "checklist_item"))
        return Response(s.AuditFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.AuditFindingSerializer})
    @action(detail=True, methods=["post"], url_path="raise-nonconformity", url_name="raise-nonconformity")
    def raise_nonconformity(self, request, pk=None):
        """Raise a nonconformity for a finding not raised yet (an observation, on request)."""
        finding = self.get_object()
        services.finding_raise_nonconformity(actor=request.user, finding=finding)
        fresh = AuditFinding.objects.select_related("nonconformity").get(pk=finding.pk)
        return Response(s.AuditFindingSerializer(fresh).data, status=status.HTTP_201_CREATED)
