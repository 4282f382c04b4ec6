"""API of the procedure catalogue: procedures, cases and fields (read by everyone signed in) and imports
(system administrators)."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from eiso.catalog import services
from eiso.catalog.api import serializers
from eiso.catalog.choices import ProcedureLevel
from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase
from eiso.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from eiso.core.filtersets import ApiSearchFilterSet


class ProcedureFilterSet(ApiSearchFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search in code and name (accent-insensitive)")
    level = django_filters.ChoiceFilter(choices=ProcedureLevel.choices, method="filter_level")

    class Meta:
        model = Procedure
        fields = ["field", "code", "has_detail"]

    def filter_level(self, queryset, name, value):
        return queryset.for_level(value)


@extend_schema(tags=["catalog"])
class ProcedureViewSet(RestrictedReadOnlyViewSet):
    """Administrative procedures of the national catalogue. Filters: q (accent-insensitive search in code
    and name), field, level (commune, province, ministry, vertical, other), code, has_detail."""

    queryset = Procedure.objects.select_related("field")
    serializer_class = serializers.ProcedureSerializer
    filterset_class = ProcedureFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("cases", "changes")
        return queryset

    def get_serializer_class(self):
        return serializers.ProcedureDetailSerializer if self.action == "retrieve" else serializers.ProcedureSerializer


@extend_schema(tags=["catalog"])
class ProcedureCaseViewSet(RestrictedReadOnlyViewSet):
    """Cases of procedures with their statutory durations."""

    queryset = ProcedureCase.objects.select_related("procedure")
    serializer_class = serializers.ProcedureCaseSerializer
    filterset_fields = {"procedure": ["exact"], "procedure__code": ["exact"], "code": ["exact"],
                        "duration_unit": ["exact"]}


@extend_schema(tags=["catalog"])
class FieldViewSet(RestrictedReadOnlyViewSet):
    """Fields (lĩnh vực) of procedures."""

    queryset = Field.objects.all()
    serializer_class = serializers.FieldSerializer
    filterset_fields = ["code", "name"]


class IsSystemAdministrator(BasePermission):
    message = "Only a system administrator may see or start catalogue imports."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_superuser)


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": serializers.ImportUploadSerializer},
        responses={201: serializers.ImportRunDetailSerializer},
        description="Upload a .json, .jsonl or .jsonl.gz file (field `file`, at most 50 MB) and import it. "
                    "Without a task broker the import runs before the answer (status done or failed); with "
                    "one, the run is returned while it runs: poll it.",
    ),
)
class ImportRunViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Imports of the national catalogue, with their counts and per-record report (system administrators)."""

    queryset = ImportRun.objects.select_related("started_by")
    permission_classes = [IsAuthenticated, IsSystemAdministrator]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["status"]

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.ImportUploadSerializer
        if self.action == "retrieve":
            return serializers.ImportRunDetailSerializer
        return serializers.ImportRunSerializer

    def create(self, request, *args, **kwargs):
        upload = serializers.ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        run = services.catalog_import_upload(actor=request.user, uploaded=upload.validated_data["file"])
        return Response(serializers.ImportRunDetailSerializer(run).data, status=status.HTTP_201_CREATED)
