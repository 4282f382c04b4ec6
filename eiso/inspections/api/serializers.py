import math

from rest_framework import serializers

from eiso.inspections.models import Inspection, InspectionChecklistItem, InspectionFinding, InspectionPlan

# Choices as plain strings (their values in the help text): enums named "status", "method" or "result" exist already
# in the schema with other choices.
PLAN_STATUS_HELP = "draft or approved"
METHOD_HELP = "on_site or by_documents"
STATUS_HELP = "planned, decided, minutes_signed, report_submitted or closed"
RESULT_HELP = "conform, not_conform, not_applicable, or empty (not assessed yet)"
FINDING_STATUS_HELP = "open (not closed yet) or closed"
REPORT_HELP = "not_due (no findings), waiting (minutes not signed), open, overdue, on_time or late"


class InspectionPlanSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=PLAN_STATUS_HELP)
    label = serializers.CharField(read_only=True)
    province = serializers.SerializerMethodField()
    on_site = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    on_site_missing = serializers.SerializerMethodField(
        help_text="On-site inspections still needed to reach the plan's minimum share")

    class Meta:
        model = InspectionPlan
        fields = ["id", "agency", "province", "year", "number", "label", "issued_on", "title", "notes",
                  "min_on_site_share", "status", "approved_at", "approved_by", "on_site", "total", "on_site_missing",
                  "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services

    def _counts(self, obj):
        from eiso.inspections.plans import on_site_counts

        if not hasattr(obj, "_counts"):
            if hasattr(obj, "line_count"):  # annotated by InspectionPlanViewSet: the same as on_site_counts
                needed = math.ceil(obj.on_site_share * obj.line_count) if obj.line_count else 0
                obj._counts = obj.on_site_count, obj.line_count, max(needed - obj.on_site_count, 0)
            else:
                obj._counts = on_site_counts(obj)
        return obj._counts

    def get_province(self, obj) -> int:
        return obj.agency.province_id

    def get_on_site(self, obj) -> int:
        return self._counts(obj)[0]

    def get_total(self, obj) -> int:
        return self._counts(obj)[1]

    def get_on_site_missing(self, obj) -> int:
        return self._counts(obj)[2]


class InspectionPlanWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    min_on_site_share = serializers.CharField(required=False, allow_blank=True, default="",
                                              help_text="e.g. 1/3 (default: the installation's setting)")


class InspectionPlanCreateSerializer(InspectionPlanWriteSerializer):
    province = serializers.IntegerField(help_text="The province (administrative unit id) of the supervising authority")


class InspectionPlanAddAllSerializer(serializers.Serializer):
    method = serializers.CharField(required=False, default="by_documents", help_text=METHOD_HELP)
    planned_month = serializers.IntegerField(required=False, allow_null=True, default=None)


class InspectionChecklistItemSerializer(serializers.ModelSerializer):
    result = serializers.CharField(read_only=True, help_text=RESULT_HELP)

    class Meta:
        model = InspectionChecklistItem
        fields = ["key", "title", "result", "evidence", "records_met", "records_detail", "records_at"]
        read_only_fields = fields


class InspectionFindingSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=FINDING_STATUS_HELP)

    class Meta:
        model = InspectionFinding
        fields = ["id", "agency", "inspection", "point_key", "description", "required_action", "action_taken",
                  "action_evidence", "action_recorded_at", "status", "review_comment", "reviewed_at", "reviewed_by",
                  "created_at", "updated_at"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    method = serializers.CharField(read_only=True, help_text=METHOD_HELP)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    decision_label = serializers.CharField(read_only=True)
    report_state = serializers.SerializerMethodField(help_text=REPORT_HELP)
    checklist = InspectionChecklistItemSerializer(many=True, read_only=True)
    findings = InspectionFindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "agency", "plan", "authority", "year", "method", "planned_month", "planned_on", "status",
                  "decision_number", "decision_label", "decision_on", "decision_signer", "decision_signer_position",
                  "decision_grounds", "team", "on_site_on", "decided_at", "minutes_signed_on", "minutes_place",
                  "participants", "conclusion", "agency_representative", "agency_representative_position",
                  "report_due_on", "report_state", "report_summary", "report_first_submitted_on",
                  "report_submitted_on", "report_submitted_by", "return_comment", "closed_at", "closed_by",
                  "checklist", "findings", "created_at", "updated_at"]
        read_only_fields = fields

    def get_report_state(self, obj) -> str:
        from eiso.inspections.selectors import report_state

        return report_state(obj)


class InspectionCreateSerializer(serializers.Serializer):
    plan = serializers.UUIDField()
    agency = serializers.UUIDField()
    method = serializers.CharField(required=False, default="by_documents", help_text=METHOD_HELP)
    planned_month = serializers.IntegerField(required=False, allow_null=True, default=None)
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionPlanningSerializer(serializers.Serializer):
    method = serializers.CharField(required=False, help_text=METHOD_HELP)
    planned_month = serializers.IntegerField(required=False, allow_null=True, default=None)
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)


class InspectionDecisionSerializer(serializers.Serializer):
    decision_on = serializers.DateField()
    team = serializers.CharField(help_text="One member per line: name – position – role; the team leader first")
    decision_signer = serializers.CharField()
    decision_signer_position = serializers.CharField(required=False, allow_blank=True, default="")
    on_site_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_grounds = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionChecklistResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    result = serializers.CharField(allow_blank=True, help_text=RESULT_HELP)
    evidence = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class InspectionChecklistSerializer(serializers.Serializer):
    items = InspectionChecklistResultSerializer(many=True)


class InspectionFindingCreateSerializer(serializers.Serializer):
    point_key = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField()
    required_action = serializers.CharField()


class InspectionMinutesSerializer(serializers.Serializer):
    signed_on = serializers.DateField()
    place = serializers.CharField()
    participants = serializers.CharField()
    conclusion = serializers.CharField()
    agency_representative = serializers.CharField()
    agency_representative_position = serializers.CharField(required=False, allow_blank=True, default="")


class CorrectiveReportSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionCommentSerializer(serializers.Serializer):
    comment = serializers.CharField()


class FindingCorrectiveSerializer(serializers.Serializer):
    action_taken = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class FindingReviewSerializer(serializers.Serializer):
    closed = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
