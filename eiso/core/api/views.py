from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from eiso.core.api.viewsets import RestrictedReadOnlyViewSet
from eiso.core.models import AuditLogEntry


class AuditLogEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = AuditLogEntry
        fields = ["id", "created_at", "actor", "actor_repr", "agency", "object_type", "object_id",
                  "object_repr", "action", "changes", "note"]


@extend_schema(tags=["audit"])
class AuditLogViewSet(RestrictedReadOnlyViewSet):
    """The audit trail, read-only: there is no route that writes or edits it."""

    queryset = AuditLogEntry.objects.select_related("content_type")
    serializer_class = AuditLogEntrySerializer
    filterset_fields = ["agency", "object_id", "action"]
