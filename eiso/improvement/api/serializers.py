from rest_framework import serializers

from eiso.improvement.choices import AnalysisMethod, NonconformityGrade, NonconformitySource
from eiso.improvement.models import CorrectiveAction, Nonconformity


class CorrectiveActionSerializer(serializers.ModelSerializer):
    nonconformity_number = serializers.CharField(source="nonconformity.number", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = CorrectiveAction
        fields = ["id", "agency", "nonconformity", "nonconformity_number", "description", "owner", "due_on",
                  "status", "is_overdue", "done_at", "evidence", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services

    def get_is_overdue(self, obj) -> bool:
        from eiso.core.permissions import today

        return obj.status == "open" and obj.due_on < today()


class NonconformitySerializer(serializers.ModelSerializer):
    actions = CorrectiveActionSerializer(many=True, read_only=True)

    class Meta:
        model = Nonconformity
        fields = ["id", "agency", "number", "year", "source", "dossier", "process", "description", "correction",
                  "grade", "status", "raised_by", "raised_at", "owner", "analysis_method", "analysis", "root_cause",
                  "analysed_by", "analysed_at", "verified_by", "verified_at", "is_effective", "verification_comment",
                  "closed_at", "actions", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class NonconformityCreateSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    source = serializers.ChoiceField(choices=NonconformitySource.choices, default=NonconformitySource.OTHER)
    description = serializers.CharField()
    correction = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.ChoiceField(choices=NonconformityGrade.choices, required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    process = serializers.UUIDField(required=False, allow_null=True, default=None)
    dossier = serializers.UUIDField(required=False, allow_null=True, default=None)


class FromDossierSerializer(serializers.Serializer):
    dossier = serializers.UUIDField()


class AnalysisSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=AnalysisMethod.choices)
    analysis = serializers.CharField()
    root_cause = serializers.CharField()


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VerificationSerializer(serializers.Serializer):
    is_effective = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectiveActionCreateSerializer(serializers.Serializer):
    nonconformity = serializers.UUIDField()
    description = serializers.CharField()
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class ActionDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()
