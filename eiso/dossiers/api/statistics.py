"""GET /api/v1/dossier-statistics/: the rows of the statistics page (statistics.dossier_statistics), with the
same filters as query parameters. Only the agencies whose statistics the caller may read are counted."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from eiso.dossiers.statistics import GROUPS, dossier_statistics, month_start, parse_month


class MonthParameterField(serializers.CharField):
    def to_internal_value(self, data):
        month = parse_month(super().to_internal_value(data))
        if month is None:
            raise serializers.ValidationError(_("Enter a month as yyyy-mm or mm/yyyy."))
        return month


class StatisticsQuerySerializer(serializers.Serializer):
    date_from = MonthParameterField(required=False)
    date_to = MonthParameterField(required=False)
    group_by = serializers.ChoiceField(choices=list(GROUPS), required=False, default="agency")
    agency = serializers.ListField(child=serializers.UUIDField(), required=False)
    province = serializers.ListField(child=serializers.IntegerField(), required=False)
    procedure = serializers.ListField(child=serializers.IntegerField(), required=False)
    field = serializers.ListField(child=serializers.IntegerField(), required=False)

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise serializers.ValidationError({"date_to": [_("The end of the period is before its start.")]})
        return data


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="The group: agency id, procedure id, field id or "
                                "the month's first day; null for the totals row.")
    label = serializers.CharField()
    is_total = serializers.BooleanField()
    received = serializers.IntegerField()
    resolved = serializers.IntegerField(help_text="early + on_time + late")
    early = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    cancelled = serializers.IntegerField(help_text="Stopped at the applicant's request or withdrawn.")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="(early + on_time) / resolved, 0–1.")
    used_hours = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    allowed_hours = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False)
    average_hours = serializers.FloatField(allow_null=True, help_text="Working hours used per resolved dossier.")
    average_allowed_hours = serializers.FloatField(allow_null=True,
                                                   help_text="Statutory working hours per resolved dossier.")
    ratings = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="satisfied / ratings, 0–1.")
    in_progress = serializers.IntegerField(allow_null=True, help_text="Open dossiers now; null when the period "
                                           "does not include the current month.")
    overdue = serializers.IntegerField(allow_null=True, help_text="Open dossiers past their due moment now; null "
                                       "when the period does not include the current month.")


class StatisticsSerializer(serializers.Serializer):
    date_from = serializers.DateField(help_text="The first month of the period (its first day).")
    date_to = serializers.DateField(help_text="The last month of the period (its first day).")
    group_by = serializers.ChoiceField(choices=list(GROUPS))
    now_included = serializers.BooleanField(help_text="Whether in_progress and overdue are given.")
    rows = StatisticsRowSerializer(many=True, help_text="One row per group, then the totals row.")


def _list(name: str, kind, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, many=True, explode=True, description=description)


@extend_schema(
    tags=["dossiers"],
    summary="Dossier statistics by agency, procedure, field or month",
    description="Added up from the monthly tallies, by whole months from date_from to date_to (both included; "
                "default: January of this year to this month). A dossier counts as received in the month of its "
                "receipt, as resolved or cancelled in the month its processing ended, its rating in the month it "
                "was given. in_progress and overdue are counted now, when the period includes the current month.",
    parameters=[
        OpenApiParameter("date_from", OpenApiTypes.STR, description="First month, yyyy-mm."),
        OpenApiParameter("date_to", OpenApiTypes.STR, description="Last month, yyyy-mm."),
        OpenApiParameter("group_by", OpenApiTypes.STR, enum=list(GROUPS), description="Default: agency."),
        _list("agency", OpenApiTypes.UUID, "Only these agencies (repeat the parameter)."),
        _list("province", OpenApiTypes.INT, "Only the agencies of these provinces."),
        _list("procedure", OpenApiTypes.INT, "Only these procedures."),
        _list("field", OpenApiTypes.INT, "Only the procedures of these fields."),
    ],
    responses={200: StatisticsSerializer},
)
class DossierStatisticsView(APIView):
    def get(self, request):
        from django.utils import timezone

        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        this_month = month_start(timezone.localdate())
        date_from = data.get("date_from") or this_month.replace(month=1)
        date_to = data.get("date_to") or this_month
        rows = dossier_statistics(
            user=request.user, date_from=date_from, date_to=date_to, group_by=data["group_by"],
            agency_ids=data.get("agency"), province_ids=data.get("province"), procedure_ids=data.get("procedure"),
            field_ids=data.get("field"))
        payload = {"date_from": month_start(date_from), "date_to": month_start(date_to), "group_by": data["group_by"],
                   "now_included": rows[-1]["in_progress"] is not None, "rows": rows}
        return Response(StatisticsSerializer(payload).data)
