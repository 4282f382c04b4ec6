"""Processes API: list/retrieve with steps, edit a draft, replace the step table, workflow actions,
bootstrap, and exports (DOCX, PDF, SVG)."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.documents.filtersets import ApiDocumentFilterSet
from eiso.documents.models import Document, Revision
from eiso.organizations.models import Agency
from eiso.processes import services
from eiso.processes.bootstrap import qms_bootstrap
from eiso.processes.choices import StepDurationUnit
from eiso.processes.models import Process, ProcessStep
from eiso.processes.selectors import process_problems, process_snapshot


class StepSerializer(serializers.ModelSerializer):
    duration_unit = serializers.ChoiceField(choices=StepDurationUnit.choices, default=StepDurationUnit.HOUR)
    forms = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = ProcessStep
        fields = ["order", "action", "responsible", "responsible_unit", "duration", "duration_unit", "duration_text",
                  "forms", "output", "description"]
        read_only_fields = ["order"]


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Revision
        fields = ["id", "number", "status", "effective_on", "change_summary", "drafted_by", "reviewed_by",
                  "approved_by", "approved_at", "published_at"]


class ProcessSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    procedure_codes = serializers.SerializerMethodField()
    revision = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = ["id", "agency", "qms", "kind", "code", "title", "procedure_codes", "purpose", "scope", "references",
                  "definitions", "legal_bases", "conditions", "dossier_components", "number_of_sets", "channels",
                  "place_of_receipt", "competent_units", "cooperating_units", "applicants", "fees", "result",
                  "records", "steps", "revision"]
        read_only_fields = ["agency", "qms", "kind", "code"]

    def get_procedure_codes(self, obj) -> list[str]:
        return [p.code for p in obj.procedures.all()]

    def get_revision(self, obj) -> dict | None:
        newest_first = getattr(obj.document, "revisions_newest_first", None)  # prefetched by the list
        if newest_first is not None:
            revision = newest_first[0] if newest_first else None
        else:
            revision = obj.document.revisions.order_by("-number").first()
        return RevisionSerializer(revision).data if revision else None


class StepsInputSerializer(serializers.Serializer):
    steps = StepSerializer(many=True)


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class BootstrapInputSerializer(serializers.Serializer):
    agency = serializers.UUIDField()


class BootstrapResultSerializer(serializers.Serializer):
    qms = serializers.UUIDField()
    framework_documents = serializers.IntegerField()
    procedure_processes = serializers.IntegerField()
    framework_version = serializers.CharField()


@extend_schema(tags=["processes"])
class ProcessViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Process.objects.select_related("document").prefetch_related(
        "steps", "procedures",
        Prefetch("document__revisions", queryset=Revision.objects.order_by("-number"),
                 to_attr="revisions_newest_first"))
    serializer_class = ProcessSerializer
    filterset_fields = ["agency", "qms", "kind"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.process_update(actor=self.request.user, process=serializer.instance,
                                                      data=dict(serializer.validated_data))

    @extend_schema(request=StepsInputSerializer, responses={200: ProcessSerializer})
    @action(detail=True, methods=["put"])
    def steps(self, request, pk=None):
        """Replace the step table of the draft (steps are renumbered in the given order)."""
        process = self.get_object()
        data = StepsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.process_steps_replace(actor=request.user, process=process, steps=data.validated_data["steps"])
        return Response(ProcessSerializer(Process.objects.get(pk=process.pk)).data)

    @extend_schema(responses={200: serializers.ListSerializer(child=serializers.CharField())})
    @action(detail=True, methods=["get"])
    def problems(self, request, pk=None):
        """What prevents the process from being sent for approval."""
        return Response(process_problems(process=self.get_object()))

    def _transition(self, request, name):
        process = self.get_object()
        data = TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = services.process_transition(actor=request.user, process=process, action=name,
                                               comment=data.validated_data["comment"])
        return Response(RevisionSerializer(revision).data)

    @extend_schema(request=TransitionInputSerializer, responses={200: RevisionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, "submit")

    @extend_schema(request=TransitionInputSerializer, responses={200: RevisionSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._transition(request, "review")

    @extend_schema(request=TransitionInputSerializer, responses={200: RevisionSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, "return")

    @extend_schema(request=TransitionInputSerializer, responses={200: RevisionSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, "approve")

    @extend_schema(request=TransitionInputSerializer, responses={200: RevisionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._transition(request, "publish")

    def _snapshot(self):
        process = self.get_object()
        current = process.document.current_revision
        if self.request.query_params.get("published") and current is not None and current.content:
            return process, current.content
        return process, process_snapshot(process=process)

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
                              OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        from eiso.reports.process_docx import render_process_docx

        process, snapshot = self._snapshot()
        response = HttpResponse(render_process_docx(snapshot), content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        response["Content-Disposition"] = f'attachment; filename="{process.code}.docx"'
        return response

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from eiso.reports.process_pdf import render_process_pdf

        process, snapshot = self._snapshot()
        response = HttpResponse(render_process_pdf(snapshot), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{process.code}.pdf"'
        return response

    @extend_schema(responses={(200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR)})
    @action(detail=True, methods=["get"])
    def flowchart(self, request, pk=None):
        from eiso.reports.flowchart import process_flowchart_svg

        _process, snapshot = self._snapshot()
        return HttpResponse(process_flowchart_svg(snapshot), content_type="image/svg+xml")

    @extend_schema(request=BootstrapInputSerializer, responses={201: BootstrapResultSerializer})
    @action(detail=False, methods=["post"])
    def bootstrap(self, request):
        """Build the agency's draft QMS from the framework model and the national catalogue (idempotent)."""
        data = BootstrapInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.restrict(request.user).filter(pk=data.validated_data["agency"]).first()
        if agency is None:
            raise ApplicationError(_("Unknown agency."), code="unknown_agency",
                                   errors={"agency": [_("Unknown agency.")]})
        result = qms_bootstrap(actor=request.user, agency=agency)
        return Response(result, status=status.HTTP_201_CREATED)


class DocumentSerializer(serializers.ModelSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "agency", "qms", "kind", "code", "title", "framework_key", "current_revision", "revisions"]


@extend_schema(tags=["documents"])
class DocumentViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Document.objects.prefetch_related("revisions")
    serializer_class = DocumentSerializer
    filterset_class = ApiDocumentFilterSet
