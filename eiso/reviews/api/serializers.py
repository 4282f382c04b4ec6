from rest_framework import serializers

from eiso.reviews.models import ManagementReview, ReviewAction, ReviewInput

# Kinds and statuses as plain strings (their values in the help text): enums named "kind" and "status" exist
# already in the schema with other choices.
KIND_HELP = "improvement (improvement opportunity), qms_change (change to the QMS) or resource (resource need)"


class ReviewActionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    status = serializers.CharField(read_only=True, help_text="open or done")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAction
        fields = ["id", "agency", "review", "kind", "description", "owner", "due_on", "status", "is_overdue",
                  "done_at", "evidence", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services

    def get_is_overdue(self, obj) -> bool:
        from eiso.core.permissions import today

        return obj.status == "open" and obj.due_on < today()


class ReviewInputSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    clause = serializers.SerializerMethodField()
    lines = serializers.ListField(child=serializers.ListField(child=serializers.CharField()), read_only=True)

    class Meta:
        model = ReviewInput
        fields = ["id", "key", "clause", "title", "lines", "comment", "assembled_at"]
        read_only_fields = fields

    def get_title(self, obj) -> str:
        return str(obj.source.title) if obj.source else obj.key

    def get_clause(self, obj) -> str:
        return obj.source.clause if obj.source else ""


class ManagementReviewSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="planned, inputs_assembled, held or closed")
    inputs = ReviewInputSerializer(many=True, read_only=True)
    actions = ReviewActionSerializer(many=True, read_only=True)

    class Meta:
        model = ManagementReview
        fields = ["id", "agency", "year", "number", "title", "meeting_at", "place", "chair", "secretary", "attendees",
                  "period_start", "period_end", "status", "inputs_assembled_at", "held_at", "conclusion", "closed_at",
                  "effectiveness_statement", "effectiveness_confirmed_by", "effectiveness_confirmed_at", "inputs",
                  "actions", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class ReviewWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    year = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    meeting_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    chair = serializers.IntegerField(required=False, allow_null=True, default=None)
    secretary = serializers.IntegerField(required=False, allow_null=True, default=None)
    attendees = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewCreateSerializer(ReviewWriteSerializer):
    agency = serializers.UUIDField()


class CommentSerializer(serializers.Serializer):
    key = serializers.CharField()
    comment = serializers.CharField(allow_blank=True)


class CloseSerializer(serializers.Serializer):
    conclusion = serializers.CharField()


class ConfirmSerializer(serializers.Serializer):
    statement = serializers.CharField()


class ReviewActionCreateSerializer(serializers.Serializer):
    review = serializers.UUIDField()
    kind = serializers.CharField(help_text=KIND_HELP)
    description = serializers.CharField()
    owner = serializers.IntegerField()
    due_on = serializers.DateField()


class ReviewActionDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()
