from rest_framework import serializers

from eiso.announcements.models import ConformityAnnouncement

# Kinds, reasons and statuses as plain strings (their values in the help text): enums named "kind", "reason" and
# "status" exist already in the schema with other choices.
KIND_HELP = "first (first announcement) or reannouncement (re-announcement)"
REASON_HELP = ("For a re-announcement: scope_extended, scope_narrowed, scope_adjusted or merger (merger of agencies); "
               "empty for a first announcement")
STATUS_HELP = "draft, signed (in force) or superseded"


class AnnouncementProcedureSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The process code, e.g. QT-01")
    title = serializers.CharField()
    procedures = serializers.ListField(child=serializers.CharField(), help_text="Catalogue codes of the procedures")


class ConformityAnnouncementSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=KIND_HELP)
    reason = serializers.CharField(read_only=True, help_text=REASON_HELP)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    number_display = serializers.CharField(read_only=True, help_text="e.g. 15/QĐ-UBND; empty for a draft")
    procedures = AnnouncementProcedureSerializer(many=True, read_only=True)

    class Meta:
        model = ConformityAnnouncement
        fields = ["id", "agency", "qms", "kind", "reason", "reason_detail", "replaces", "status", "number", "symbol",
                  "number_display", "year", "signed_on", "signed_by", "signer_name", "signer_position", "standard",
                  "scope", "procedures", "effectiveness_confirmed_on", "notified_at", "acknowledged_at",
                  "acknowledged_by", "posted_on", "posted_url", "superseded_on", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class AnnouncementWriteSerializer(serializers.Serializer):
    scope = serializers.CharField(required=False)
    standard = serializers.CharField(required=False, max_length=60)
    symbol = serializers.CharField(required=False, max_length=40)
    signer_position = serializers.CharField(required=False, max_length=150)
    reason = serializers.CharField(required=False, allow_blank=True, help_text=REASON_HELP)
    reason_detail = serializers.CharField(required=False, allow_blank=True)


class AnnouncementCreateSerializer(AnnouncementWriteSerializer):
    agency = serializers.UUIDField()
    qms = serializers.UUIDField(required=False, allow_null=True, default=None,
                                help_text="The QMS hosted by the agency; default: its active QMS")


class AnnouncementSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Default: today")
    number = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                      help_text="Default: the next number of the agency's year")


class AnnouncementPostingSerializer(serializers.Serializer):
    posted_on = serializers.DateField()
    posted_url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
