"""Serializers of the oversight API. Kinds, stages and levels are plain strings with their values in the help
text: enums named "kind", "stage" and "level" exist already in the schema with other choices (and one choice set
under several field names would be named twice)."""

from functools import partial

from rest_framework import serializers

from eiso.oversight.choices import MilestoneKind, Stage
from eiso.oversight.levels import LEVEL_KEYS
from eiso.oversight.models import RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget

STAGE_HELP = "One of: " + ", ".join(Stage.values) + "."
LEVEL_HELP = "One of: " + ", ".join(LEVEL_KEYS) + "."
KIND_HELP = "One of: " + ", ".join(MilestoneKind.values) + "."

StageField = partial(serializers.CharField, help_text=STAGE_HELP)
LevelField = partial(serializers.CharField, help_text=LEVEL_HELP)
KindField = partial(serializers.CharField, help_text=KIND_HELP)


# --- Rollout plans --------------------------------------------------------------------------------------------


class RolloutMilestoneSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)

    class Meta:
        model = RolloutMilestone
        fields = ["id", "plan", "kind", "title", "planned_on", "done_on", "done_notes", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services


class RolloutBudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = RolloutBudgetLine
        fields = ["id", "plan", "item", "amount", "source", "note", "created_at"]
        read_only_fields = fields


class RolloutTargetSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    level = serializers.SerializerMethodField(help_text=LEVEL_HELP)
    consultant_name = serializers.CharField(source="consultant.name", read_only=True, allow_null=True,
                                            default=None)

    class Meta:
        model = RolloutTarget
        fields = ["id", "plan", "agency", "agency_name", "level", "consultant", "consultant_name", "note"]
        read_only_fields = fields

    def get_level(self, obj) -> str:
        from eiso.oversight.levels import agency_level

        return agency_level(obj.agency)


class RolloutPlanSerializer(serializers.ModelSerializer):
    province = serializers.IntegerField(source="agency.province_id", read_only=True)
    budget_total = serializers.SerializerMethodField()
    milestones = RolloutMilestoneSerializer(many=True, read_only=True)
    budget_lines = RolloutBudgetLineSerializer(many=True, read_only=True)
    targets = RolloutTargetSerializer(many=True, read_only=True)

    class Meta:
        model = RolloutPlan
        fields = ["id", "agency", "province", "number", "issued_on", "issuer", "title", "period_start",
                  "period_end", "notes", "budget_total", "milestones", "budget_lines", "targets", "created_at",
                  "updated_at"]
        read_only_fields = fields

    def get_budget_total(self, obj) -> int:
        return int(sum(line.amount for line in obj.budget_lines.all()))


class RolloutPlanWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    issued_on = serializers.DateField()
    issuer = serializers.CharField(max_length=255)
    title = serializers.CharField(max_length=500)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RolloutPlanCreateSerializer(RolloutPlanWriteSerializer):
    province = serializers.IntegerField(help_text="The province (administrative unit id) whose plan it is.")


class RolloutTargetsAddSerializer(serializers.Serializer):
    agencies = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    level = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="Every agency of this level of the plan's province (e.g. commune). "
                                  + LEVEL_HELP)
    consultant = serializers.UUIDField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RolloutTargetUpdateSerializer(serializers.Serializer):
    consultant = serializers.UUIDField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RolloutMilestoneCreateSerializer(serializers.Serializer):
    plan = serializers.UUIDField()
    kind = KindField()
    title = serializers.CharField(required=False, allow_blank=True, default="")
    planned_on = serializers.DateField()


class RolloutMilestoneUpdateSerializer(serializers.Serializer):
    kind = KindField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    planned_on = serializers.DateField(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)
    done_notes = serializers.CharField(required=False, allow_blank=True)


class RolloutBudgetLineCreateSerializer(serializers.Serializer):
    plan = serializers.UUIDField()
    item = serializers.CharField(max_length=300)
    amount = serializers.DecimalField(max_digits=15, decimal_places=0)
    source = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- Stages ---------------------------------------------------------------------------------------------------


class AgencyStageSerializer(serializers.Serializer):
    """An agency's QMS stage: `stage` in effect (the confirmed one, else the derived one)."""

    agency = serializers.UUIDField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.name")
    province = serializers.IntegerField(source="agency.province_id")
    level = LevelField()
    stage = StageField(source="info.stage")
    derived_stage = StageField(source="info.derived")
    confirmed_stage = StageField(source="info.confirmed", allow_null=True)
    confirmed_by = serializers.IntegerField(source="info.confirmed_by", allow_null=True)
    confirmed_at = serializers.DateTimeField(source="info.confirmed_at", allow_null=True)
    note = serializers.CharField(source="info.note")
    had_2008_system = serializers.BooleanField(source="info.had_2008_system")
    converted_on = serializers.DateField(source="info.converted_on", allow_null=True)
    converted = serializers.BooleanField(source="info.converted")
    announced_on = serializers.DateField(source="info.announced_on", allow_null=True)


class StageConfirmSerializer(serializers.Serializer):
    stage = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="",
                                  help_text="The stage confirmed; empty or null clears the confirmation. " + STAGE_HELP)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StageConversionSerializer(serializers.Serializer):
    had_2008_system = serializers.BooleanField()
    converted_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- Province summary -----------------------------------------------------------------------------------------


class ProvinceSummaryStageCountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    building = serializers.IntegerField()
    applying = serializers.IntegerField()
    announced = serializers.IntegerField()
    maintaining = serializers.IntegerField()


class ProvinceSummaryLevelSerializer(serializers.Serializer):
    level = LevelField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    by_stage = ProvinceSummaryStageCountsSerializer()
    announced = serializers.IntegerField(help_text="Agencies whose stage is announced or maintaining.")
    converted = serializers.IntegerField(help_text="Agencies converted from TCVN ISO 9001:2008 to 2015.")
    had_2008_system = serializers.IntegerField()


class ProvinceSummarySerializer(serializers.Serializer):
    province = serializers.IntegerField()
    province_name = serializers.CharField()
    on = serializers.DateField(help_text="The day the figures are for.")
    levels = ProvinceSummaryLevelSerializer(many=True)
