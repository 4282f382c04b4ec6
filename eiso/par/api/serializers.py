"""PAR-index criteria in the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.par.choices import Scoring
from eiso.par.models import ParCriterion
from eiso.par.rules import RULES


@extend_schema_field({"type": "string", "enum": list(RULES)})
class RuleField(serializers.CharField):
    """A key of eiso.par.rules.RULES (described inline: "rule" is a common name)."""


@extend_schema_field({"type": "string", "enum": list(Scoring.values)})
class ScoringField(serializers.CharField):
    pass


class ParCriterionSerializer(serializers.ModelSerializer):
    province = serializers.IntegerField(source="agency.province_id", read_only=True)
    rule = RuleField(read_only=True)
    scoring = ScoringField(read_only=True)

    class Meta:
        model = ParCriterion
        fields = ["id", "agency", "province", "year", "code", "name", "max_points", "rule", "scoring", "note",
                  "created_at", "updated_at"]
        read_only_fields = fields


class ParCriterionWriteSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    code = serializers.CharField(max_length=20)
    name = serializers.CharField(max_length=400)
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    rule = RuleField()
    scoring = ScoringField(required=False, default=Scoring.ALL_OR_NOTHING)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ParCriterionCreateSerializer(ParCriterionWriteSerializer):
    province = serializers.IntegerField(help_text="The province (administrative unit id) whose criterion it is.")


class CriteriaCopyYearSerializer(serializers.Serializer):
    province = serializers.IntegerField()
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()
