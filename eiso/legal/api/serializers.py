from rest_framework import serializers

from eiso.legal.choices import LegalDocumentType, RelationKind
from eiso.legal.models import LegalDocument, LegalRelation, UpdateTask


class LegalRelationSerializer(serializers.ModelSerializer):
    source_number = serializers.CharField(source="source.number", read_only=True)
    target_number = serializers.CharField(source="target.number", read_only=True)

    class Meta:
        model = LegalRelation
        fields = ["id", "source", "source_number", "kind", "target", "target_number"]


class LegalDocumentSerializer(serializers.ModelSerializer):
    relations = LegalRelationSerializer(source="relations_out", many=True, read_only=True)

    class Meta:
        model = LegalDocument
        fields = ["id", "doc_type", "number", "title", "issuer", "issued_on", "effective_on", "expires_on",
                  "summary", "url", "relations", "created_at", "updated_at"]


class RelationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    target = serializers.PrimaryKeyRelatedField(queryset=LegalDocument.objects.all())


class LegalDocumentInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=200)
    doc_type = serializers.ChoiceField(choices=LegalDocumentType.choices, required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=255)
    issued_on = serializers.DateField(required=False, allow_null=True)
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    relations = RelationInputSerializer(many=True, required=False)


class UpdateTaskSerializer(serializers.ModelSerializer):
    document_code = serializers.CharField(source="document.code", read_only=True)
    document_title = serializers.CharField(source="document.title", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = UpdateTask
        fields = ["id", "agency", "document", "document_code", "document_title", "reason", "legal_document",
                  "basis", "procedure", "summary", "starts_on", "due_on", "status", "is_overdue", "closed_at",
                  "closed_by", "revision", "justification"]

    def get_is_overdue(self, obj) -> bool:
        from eiso.core.permissions import today

        return obj.status == "open" and obj.due_on < today()


class DismissInputSerializer(serializers.Serializer):
    justification = serializers.CharField()
