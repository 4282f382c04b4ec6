"""API of the legal register (read by everyone signed in, recorded by administrators and supervising
authorities) and of update tasks (the 3-month rule, per agency; supervisors read their provinces')."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.viewsets import RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from eiso.core.filtersets import ApiSearchFilterSet
from eiso.core.permissions import today
from eiso.legal import services
from eiso.legal.api import serializers
from eiso.legal.choices import UpdateTaskStatus
from eiso.legal.models import LegalDocument, UpdateTask


class LegalDocumentFilterSet(ApiSearchFilterSet):
    class Meta:
        model = LegalDocument
        fields = ["doc_type", "number"]


@extend_schema(tags=["legal"])
class LegalDocumentViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The legal register. Filters: q (accent-insensitive search in number, title, issuer), doc_type,
    number. POST records a document with its relations; when it amends or replaces the legal basis of
    QMS documents and has an effective date, update tasks are created for every affected agency."""

    queryset = LegalDocument.objects.prefetch_related("relations_out__target")
    serializer_class = serializers.LegalDocumentSerializer
    filterset_class = LegalDocumentFilterSet

    @extend_schema(request=serializers.LegalDocumentInputSerializer,
                   responses={201: serializers.LegalDocumentSerializer})
    def create(self, request, *args, **kwargs):
        data = serializers.LegalDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        relations = [(r["kind"], r["target"]) for r in values.pop("relations", [])]
        document = services.legal_document_record(actor=request.user, relations=relations, **values)
        return Response(serializers.LegalDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class UpdateTaskFilterSet(ApiSearchFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = UpdateTask
        fields = ["status", "reason", "agency", "document", "legal_document"]

    def filter_overdue(self, queryset, name, value):
        late = queryset.filter(status=UpdateTaskStatus.OPEN, due_on__lt=today())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


@extend_schema(tags=["legal"])
class UpdateTaskViewSet(RestrictedReadOnlyViewSet):
    """Update tasks: QMS documents to update within 3 months of a change in the law or in the national
    catalogue. Filters: status, reason, agency, document, legal_document, overdue, q."""

    queryset = UpdateTask.objects.select_related("document")
    serializer_class = serializers.UpdateTaskSerializer
    filterset_class = UpdateTaskFilterSet

    @extend_schema(request=serializers.DismissInputSerializer, responses={200: serializers.UpdateTaskSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Close the task without a new revision, saying why the change does not affect the document."""
        data = serializers.DismissInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = services.update_task_dismiss(actor=request.user, task=self.get_object(),
                                            justification=data.validated_data["justification"])
        return Response(serializers.UpdateTaskSerializer(task).data)
