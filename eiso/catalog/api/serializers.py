from rest_framework import serializers

from eiso.catalog.models import Field, ImportRun, Procedure, ProcedureCase, ProcedureChange


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name"]


class ProcedureCaseSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)

    class Meta:
        model = ProcedureCase
        fields = ["id", "procedure", "procedure_code", "code", "name", "duration", "duration_unit",
                  "dossier_components"]


class ProcedureChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureChange
        fields = ["id", "changed_at", "field_name", "before", "after", "is_significant"]


class ProcedureSerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)

    class Meta:
        model = Procedure
        fields = ["id", "code", "name", "field", "promulgating_body", "executing_bodies", "is_commune_level",
                  "is_province_level", "is_ministry_level", "is_vertical_level", "is_other_level", "state",
                  "procedure_type", "has_detail", "source_updated_at", "imported_at"]


class ProcedureDetailSerializer(ProcedureSerializer):
    cases = serializers.SerializerMethodField()
    changes = ProcedureChangeSerializer(many=True, read_only=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "applicants", "results", "channels", "legal_bases",
                  "dossier_components", "steps_text", "conditions", "source_id", "source_created_at", "cases",
                  "changes"]

    def get_cases(self, procedure) -> list[dict]:
        return [
            {"id": c.id, "code": c.code, "name": c.name, "duration": None if c.duration is None else str(c.duration),
             "duration_unit": c.duration_unit, "dossier_components": c.dossier_components}
            for c in procedure.cases.all()
        ]


class ImportRunSerializer(serializers.ModelSerializer):
    # A plain string: as an enum, drf-spectacular would name it after the field and collide with the other
    # models' "status" (fix: ENUM_NAME_OVERRIDES in settings).
    status = serializers.CharField(read_only=True, help_text="running, done (something was imported) or failed "
                                                             "(nothing could be imported)")
    started_by_username = serializers.CharField(source="started_by.username", read_only=True, default=None)

    class Meta:
        model = ImportRun
        fields = ["id", "started_at", "finished_at", "source", "started_by", "started_by_username", "status",
                  "expected", "total",
                  "created", "updated", "unchanged", "failed", "warnings"]


class ImportRunDetailSerializer(ImportRunSerializer):
    class Meta(ImportRunSerializer.Meta):
        fields = [*ImportRunSerializer.Meta.fields, "report"]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A .json, .jsonl or .jsonl.gz file, at most 50 MB.")
