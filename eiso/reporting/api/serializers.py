from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.reporting.models import PeriodicReport, PeriodicReportEvent, ReportingPeriod

# Kinds and statuses as plain strings (their values in the help text): enums named "kind" and "status" exist
# already in the schema with other choices.
KIND_HELP = "six_monthly, yearly or ad_hoc"
PERIOD_STATUS_HELP = "open or closed"
REPORT_STATUS_HELP = "draft, signed_off, submitted, accepted or returned"


class ReportingPeriodSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    status = serializers.CharField(read_only=True, help_text=PERIOD_STATUS_HELP)
    report_counts = serializers.SerializerMethodField()

    class Meta:
        model = ReportingPeriod
        fields = ["id", "agency", "kind", "year", "half", "title", "starts_on", "ends_on", "due_on", "status", "note",
                  "opened_by", "closed_at", "closed_by", "report_counts", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_report_counts(self, obj) -> dict:
        """The period's reports by status, with "total" and "late"."""
        from eiso.reporting.selectors import status_counts

        page = self.context.get("report_counts")  # counted for a whole list by ReportingPeriodViewSet
        return page[obj.pk] if page is not None and obj.pk in page else status_counts(obj)


class PeriodCreateSerializer(serializers.Serializer):
    province = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="The province (administrative unit id); may be left out by a "
                                                  "supervisor who acts for one province only.")
    kind = serializers.CharField(help_text=KIND_HELP)
    year = serializers.IntegerField()
    half = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="1 or 2 (6-monthly)")
    title = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodicReportEventSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text=REPORT_STATUS_HELP)
    to_status = serializers.CharField(read_only=True, help_text=REPORT_STATUS_HELP)

    class Meta:
        model = PeriodicReportEvent
        fields = ["action", "from_status", "to_status", "actor", "comment", "created_at"]
        read_only_fields = fields


class PeriodicReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=REPORT_STATUS_HELP)
    remarks = serializers.DictField(child=serializers.CharField(), read_only=True,
                                    help_text="Inspection point key -> the coordinator's remark.")
    figures = serializers.JSONField(read_only=True, help_text="The snapshot of the agency's records "
                                                              "(eiso.reporting.figures).")
    is_late = serializers.SerializerMethodField()
    events = PeriodicReportEventSerializer(many=True, read_only=True)

    class Meta:
        model = PeriodicReport
        fields = ["id", "agency", "period", "status", "number", "figures", "figures_at", "remarks", "results",
                  "difficulties", "proposals", "signed_off_by", "signed_off_at", "submitted_by", "submitted_at",
                  "first_submitted_at", "decided_by", "decided_at", "supervisor_comment", "is_late", "events",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def get_is_late(self, obj) -> bool:
        return obj.is_late()


class ReportUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    results = serializers.CharField(required=False, allow_blank=True)
    difficulties = serializers.CharField(required=False, allow_blank=True)
    proposals = serializers.CharField(required=False, allow_blank=True)
    remarks = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False,
                                    help_text="Inspection point key -> remark (an empty text removes it).")


class ReportCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReportReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="What the agency should correct (required: refused without it).")
