"""The compliance items of the API, with their status on the day of the request (computed, read-only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.compliance.choices import ItemStatus, StatusSource
from eiso.compliance.obligations import CHOICES


def _enum_field(values):
    """A read-only string with its allowed values described inline (no named enum component: the names
    "status" and "source" are used by other apps' choice sets)."""

    @extend_schema_field({"type": "string", "enum": list(values)})
    class EnumField(serializers.CharField):
        pass

    return EnumField


ObligationField = _enum_field(key for key, _title in CHOICES)
SourceField = _enum_field(StatusSource.values)
StatusField = _enum_field(ItemStatus.values)


class ComplianceItemSerializer(serializers.Serializer):
    """One obligation of an agency's year (`selectors.ItemState`). `due_on` is the item's due date, `deadline`
    the date its status is measured against (for legal updates: the first update task's deadline that matters),
    `done_on` when it was done (from the records, or marked by the coordinator for manual items)."""

    id = serializers.UUIDField(source="item.id", read_only=True)
    agency = serializers.UUIDField(source="item.agency_id", read_only=True)
    agency_name = serializers.CharField(source="item.agency.name", read_only=True)
    year = serializers.IntegerField(source="item.year", read_only=True)
    obligation = ObligationField(source="item.obligation", read_only=True)
    title = serializers.CharField(read_only=True)
    source = SourceField(source="definition.source", read_only=True)
    due_on = serializers.DateField(source="item.due_on", read_only=True)
    deadline = serializers.DateField(source="due_on", read_only=True)
    status = StatusField(read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    is_late = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)
    evidence = serializers.CharField(source="item.evidence", read_only=True)
    records_url = serializers.CharField(read_only=True, allow_null=True)


class DoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class MoveSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    reason = serializers.CharField()
