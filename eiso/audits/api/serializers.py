from rest_framework import serializers

from eiso.audits.models import (
    AuditFinding,
    AuditProgramme,
    AuditScheduleItem,
    ChecklistItem,
    InternalAudit,
    ProgrammeEntry,
)


class ProgrammeEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeEntry
        fields = ["id", "process", "org_unit", "clauses", "planned_month", "auditor", "notes"]
        read_only_fields = fields


# Choice fields as plain text (the values are in the docstrings of the models' choices): their enums would
# collide by name with the other apps' status, grade, result and source enums in the schema.
def _text(help_text: str):
    return serializers.CharField(read_only=True, help_text=help_text)


class AuditProgrammeSerializer(serializers.ModelSerializer):
    status = _text("draft | approved")
    entries = ProgrammeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = AuditProgramme
        fields = ["id", "agency", "year", "title", "objectives", "status", "approved_by", "approved_at", "entries",
                  "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class ScheduleItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditScheduleItem
        fields = ["id", "on", "start_time", "end_time", "process", "org_unit", "clauses", "activity", "auditors"]
        read_only_fields = fields


class InternalAuditSerializer(serializers.ModelSerializer):
    status = _text("planned | in_progress | completed")
    schedule = ScheduleItemSerializer(many=True, read_only=True)

    class Meta:
        model = InternalAudit
        fields = ["id", "agency", "programme", "number", "title", "objectives", "processes", "org_units", "clauses",
                  "library_version", "documents", "lead_auditor", "members", "auditees", "start_on", "end_on",
                  "status", "started_at", "completed_on", "conclusions", "schedule", "created_at", "updated_at"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    source = _text("library | process")
    result = _text("'' (not answered) | conforming | nonconformity | observation | not_applicable")
    class Meta:
        model = ChecklistItem
        fields = ["id", "agency", "audit", "order", "source", "clause", "process", "question", "guidance", "result",
                  "evidence", "notes", "recorded_by", "recorded_at"]
        read_only_fields = fields


class AuditFindingSerializer(serializers.ModelSerializer):
    grade = _text("major | minor | observation | improvement")
    nonconformity_number = serializers.CharField(source="nonconformity.number", read_only=True, default=None)

    class Meta:
        model = AuditFinding
        fields = ["id", "agency", "audit", "sequence", "grade", "clause", "process", "checklist_item", "description",
                  "evidence", "nonconformity", "nonconformity_number", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ProgrammeCreateSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    year = serializers.IntegerField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    objectives = serializers.CharField(required=False, allow_blank=True, default="")


class ProgrammeEntryCreateSerializer(serializers.Serializer):
    process = serializers.UUIDField(required=False, allow_null=True, default=None)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    clauses = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    planned_month = serializers.IntegerField(min_value=1, max_value=12)
    auditor = serializers.IntegerField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ProgrammeCopySerializer(serializers.Serializer):
    to_year = serializers.IntegerField()


class AuditCreateSerializer(serializers.Serializer):
    programme = serializers.UUIDField()
    title = serializers.CharField()
    objectives = serializers.CharField(required=False, allow_blank=True, default="")
    processes = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    org_units = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    clauses = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    documents = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    auditees = serializers.CharField(required=False, allow_blank=True, default="")
    start_on = serializers.DateField()
    end_on = serializers.DateField()


class AuditTeamSerializer(serializers.Serializer):
    lead_auditor = serializers.IntegerField()
    members = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class AuditScheduleCreateSerializer(serializers.Serializer):
    on = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    process = serializers.UUIDField(required=False, allow_null=True, default=None)
    org_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    clauses = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    activity = serializers.CharField(required=False, allow_blank=True, default="")
    auditors = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class AuditTransitionSerializer(serializers.Serializer):
    action = serializers.CharField()
    conclusions = serializers.CharField(required=False, allow_blank=True, default=None)


class ChecklistBuildResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ChecklistRecordSerializer(serializers.Serializer):
    result = serializers.CharField(help_text="conforming | nonconformity | observation | not_applicable")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AuditFindingCreateSerializer(serializers.Serializer):
    audit = serializers.UUIDField()
    grade = serializers.CharField(help_text="major | minor | observation | improvement")
    clause = serializers.CharField()
    process = serializers.UUIDField(required=False, allow_null=True, default=None)
    checklist_item = serializers.UUIDField(required=False, allow_null=True, default=None)
    description = serializers.CharField()
    evidence = serializers.CharField()
