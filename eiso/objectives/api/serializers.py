from rest_framework import serializers

from eiso.objectives.choices import Comparison, Frequency, IndicatorSource
from eiso.objectives.models import Indicator, Measurement, ObjectivePlan, QualityObjective, QualityPolicy

# Read serializers are read-only: every write goes through the input serializers and the services.


class QualityPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityPolicy
        fields = ["id", "agency", "version", "text", "status", "document", "approved_at", "approved_by",
                  "superseded_at", "created_at", "updated_at"]
        read_only_fields = fields


class MeasurementSerializer(serializers.ModelSerializer):
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = Measurement
        fields = ["id", "agency", "indicator", "period_start", "period_end", "value", "target", "result",
                  "is_computed", "evidence", "evidence_file", "evidence_name", "recorded_by", "recorded_at"]
        read_only_fields = fields

    def get_evidence_file(self, obj) -> str | None:
        from django.urls import reverse

        return reverse("objectives:measurement_evidence", args=[obj.pk]) if obj.evidence_file else None


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "agency", "objective", "name", "value_source", "metric", "unit", "comparison", "target",
                  "frequency", "owner", "created_at", "updated_at"]
        read_only_fields = fields


class ObjectivePlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectivePlan
        fields = ["id", "agency", "objective", "description", "owner", "due_on", "status", "done_at", "evidence",
                  "created_at", "updated_at"]
        read_only_fields = fields


class QualityObjectiveSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    plan = ObjectivePlanSerializer(many=True, read_only=True)

    class Meta:
        model = QualityObjective
        fields = ["id", "agency", "year", "title", "description", "owner", "status", "approved_at", "approved_by",
                  "closed_at", "indicators", "plan", "created_at", "updated_at"]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------------------------------


class PolicyInputSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    text = serializers.CharField()
    document = serializers.UUIDField(required=False, allow_null=True, default=None)


class ObjectiveCreateSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)


class ObjectiveUpdateSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)


class CopyYearSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()


class CopyYearResultSerializer(serializers.Serializer):
    copied = serializers.IntegerField()


class IndicatorCreateSerializer(serializers.Serializer):
    objective = serializers.UUIDField()
    name = serializers.CharField()
    value_source = serializers.ChoiceField(choices=IndicatorSource.choices)
    metric = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    comparison = serializers.ChoiceField(choices=Comparison.choices, default=Comparison.AT_LEAST)
    target = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.MONTHLY)
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)


class MeasurementRecordSerializer(serializers.Serializer):
    """Entered indicator: `period_start` (any day of the period), `value`, and `evidence` and/or `file`.
    Computed indicator: only `period_start` (default today): eISO computes and records the value."""

    period_start = serializers.DateField(required=False, allow_null=True, default=None)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True, default=None)
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class PlanActionCreateSerializer(serializers.Serializer):
    objective = serializers.UUIDField()
    description = serializers.CharField()
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class PlanDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()
