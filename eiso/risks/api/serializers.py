from rest_framework import serializers

from eiso.core.permissions import today
from eiso.risks.choices import ContextIssueKind, ContextIssueStatus, RiskActionStatus, RiskKind, Treatment
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction, RiskMatrix


class ContextIssueSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContextIssue
        fields = ["id", "agency", "kind", "description", "effect", "status", "identified_on", "reviewed_on",
                  "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class ContextIssueInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContextIssueKind.choices)
    description = serializers.CharField()
    effect = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=ContextIssueStatus.choices, default=ContextIssueStatus.ACTIVE)
    identified_on = serializers.DateField(required=False, default=None)
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)


class InterestedPartySerializer(serializers.ModelSerializer):
    class Meta:
        model = InterestedParty
        fields = ["id", "agency", "name", "requirements", "monitoring", "created_at", "updated_at"]
        read_only_fields = fields


class InterestedPartyInputSerializer(serializers.Serializer):
    name = serializers.CharField()
    requirements = serializers.CharField()
    monitoring = serializers.CharField(required=False, allow_blank=True, default="")


class RiskActionSerializer(serializers.ModelSerializer):
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = RiskAction
        fields = ["id", "agency", "risk", "description", "owner", "due_on", "status", "is_overdue", "done_at",
                  "evidence", "created_at", "updated_at"]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.status == RiskActionStatus.OPEN and obj.due_on < today()


class RiskSerializer(serializers.ModelSerializer):
    actions = RiskActionSerializer(many=True, read_only=True)
    score = serializers.IntegerField(read_only=True)
    residual_score = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Risk
        fields = ["id", "agency", "process", "kind", "description", "cause", "consequence_description", "likelihood",
                  "consequence", "score", "level", "treatment", "status", "identified_on", "residual_likelihood",
                  "residual_consequence", "residual_score", "residual_level", "reviewed_on", "reviewer",
                  "is_effective", "review_comment", "closed_at", "actions", "created_at", "updated_at"]
        read_only_fields = fields


class RiskInputSerializer(serializers.Serializer):
    process = serializers.UUIDField(required=False, allow_null=True, default=None,
                                    help_text="Empty: the risk concerns the whole QMS.")
    kind = serializers.ChoiceField(choices=RiskKind.choices, default=RiskKind.RISK)
    description = serializers.CharField()
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    consequence_description = serializers.CharField(required=False, allow_blank=True, default="")
    likelihood = serializers.IntegerField(help_text="A step of the agency's likelihood scale (1 to its size).")
    consequence = serializers.IntegerField(help_text="A step of the agency's consequence scale (1 to its size).")
    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False, allow_blank=True, default="")
    identified_on = serializers.DateField(required=False, allow_null=True, default=None)


class RiskTransitionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text="start_treatment or close")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RiskReviewSerializer(serializers.Serializer):
    residual_likelihood = serializers.IntegerField()
    residual_consequence = serializers.IntegerField()
    is_effective = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)


class ContextIssueCreateSerializer(ContextIssueInputSerializer):
    agency = serializers.UUIDField()


class InterestedPartyCreateSerializer(InterestedPartyInputSerializer):
    agency = serializers.UUIDField()


class RiskCreateSerializer(RiskInputSerializer):
    agency = serializers.UUIDField()


class RiskActionCreateSerializer(serializers.Serializer):
    risk = serializers.UUIDField()
    description = serializers.CharField()
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class RiskActionDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()


class RiskMatrixSerializer(serializers.ModelSerializer):
    agency = serializers.UUIDField(source="agency_id", read_only=True)
    is_stored = serializers.SerializerMethodField(help_text="False: the defaults, not yet configured.")

    class Meta:
        model = RiskMatrix
        fields = ["agency", "likelihood_size", "consequence_size", "likelihood_labels", "consequence_labels",
                  "low_max", "medium_max", "is_stored"]
        read_only_fields = fields

    def get_is_stored(self, obj) -> bool:
        return not obj._state.adding


class RiskMatrixInputSerializer(serializers.Serializer):
    likelihood_size = serializers.IntegerField()
    consequence_size = serializers.IntegerField()
    likelihood_labels = serializers.ListField(child=serializers.CharField(allow_blank=True))
    consequence_labels = serializers.ListField(child=serializers.CharField(allow_blank=True))
    low_max = serializers.IntegerField()
    medium_max = serializers.IntegerField()
