"""API shapes of trainings and consultants. Kinds, statuses and licence states are plain strings (their values in
the help text): enums named "kind" and "status" exist already in the schema with other choices."""

from rest_framework import serializers

from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue, Participant, Training

KIND_HELP = "awareness, internal_auditor, documentation or other"
STATUS_HELP = "open or resolved"
LICENCE_HELP = "missing, not_yet_valid, valid, expiring (within 60 days) or expired, on the day of the request"


class TrainingSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    reference = serializers.CharField(read_only=True, help_text="number/year, e.g. 03/2025")
    participant_count = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = ["id", "agency", "year", "number", "reference", "topic", "kind", "start_on", "end_on", "location",
                  "trainer", "consultant", "notes", "participant_count", "created_at", "updated_at"]
        read_only_fields = fields

    def get_participant_count(self, obj) -> int:
        annotated = getattr(obj, "participant_count", None)
        return annotated if annotated is not None else obj.participants.count()


class TrainingWriteSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=300)
    kind = serializers.CharField(help_text=KIND_HELP)
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    location = serializers.CharField(required=False, allow_blank=True, default="")
    trainer = serializers.CharField(required=False, allow_blank=True, default="")
    consultant = serializers.UUIDField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class TrainingCreateSerializer(TrainingWriteSerializer):
    authority = serializers.UUIDField(required=False, allow_null=True, default=None,
                                      help_text="The supervising authority's agency; needed only by a user who keeps "
                                                "the records of several provinces.")


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "training", "agency", "full_name", "position", "user", "attended", "passed",
                  "certificate_sequence", "certificate_number", "certificate_issued_on", "created_at", "updated_at"]
        read_only_fields = fields


class ParticipantWriteSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    full_name = serializers.CharField(max_length=200)
    position = serializers.CharField(required=False, allow_blank=True, default="")
    user = serializers.IntegerField(required=False, allow_null=True, default=None)
    attended = serializers.BooleanField(required=False, default=True)
    passed = serializers.BooleanField(required=False, default=False)


class ParticipantCreateSerializer(ParticipantWriteSerializer):
    training = serializers.UUIDField()


class ParticipantImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="XLSX: one participant per row (agency code, full name, position).")


class ParticipantRejectedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    values = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class ParticipantImportResultSerializer(serializers.Serializer):
    added = ParticipantSerializer(many=True)
    rejected = ParticipantRejectedRowSerializer(many=True)


class TrainingLevelTotalSerializer(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    people = serializers.IntegerField()
    agencies = serializers.IntegerField()
    agencies_in_level = serializers.IntegerField()


class TrainingYearTotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text="null: every year together")
    courses = serializers.IntegerField()
    people = serializers.IntegerField()
    agencies = serializers.IntegerField()
    levels = TrainingLevelTotalSerializer(many=True)


class ConsultantSerializer(serializers.ModelSerializer):
    licence_state = serializers.SerializerMethodField(help_text=LICENCE_HELP)

    class Meta:
        model = Consultant
        fields = ["id", "agency", "name", "licence_number", "licence_issuer", "licence_issued_on",
                  "licence_valid_until", "licence_state", "contact_person", "address", "phone", "email", "experts",
                  "notes", "is_active", "created_at", "updated_at"]
        read_only_fields = fields

    def get_licence_state(self, obj) -> str:
        return obj.licence_state()


class ConsultantWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    licence_number = serializers.CharField(required=False, allow_blank=True, default="")
    licence_issuer = serializers.CharField(required=False, allow_blank=True, default="")
    licence_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    licence_valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    contact_person = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    experts = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class ConsultantCreateSerializer(ConsultantWriteSerializer):
    authority = serializers.UUIDField(required=False, allow_null=True, default=None,
                                      help_text="The supervising authority's agency; needed only by a user who keeps "
                                                "the records of several provinces.")


class ConsultantEngagementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultantEngagement
        fields = ["id", "consultant", "agency", "started_on", "ended_on", "scope_note", "created_at", "updated_at"]
        read_only_fields = fields


class ConsultantEngagementWriteSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    scope_note = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultantEngagementCreateSerializer(ConsultantEngagementWriteSerializer):
    consultant = serializers.UUIDField()
    agency = serializers.UUIDField()


class ConsultantIssueSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = ConsultantIssue
        fields = ["id", "consultant", "agency", "reported_on", "description", "status", "resolution", "resolved_on",
                  "reported_by", "created_at", "updated_at"]
        read_only_fields = fields


class ConsultantIssueCreateSerializer(serializers.Serializer):
    engagement = serializers.UUIDField(help_text="The engagement of the consultant with the agency concerned.")
    description = serializers.CharField()
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsultantIssueResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    resolved_on = serializers.DateField(required=False, allow_null=True, default=None)
