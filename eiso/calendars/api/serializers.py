from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eiso.calendars.models import CalendarDay


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "date", "kind", "name", "source", "note"]
        read_only_fields = ["source"]
        validators = []
        extra_kwargs = {"date": {"validators": []}}


class AddWorkingTimeSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="ISO 8601 moment; without offset it is read in Asia/Ho_Chi_Minh.")
    days = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, required=False)
    hours = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)
    agency = serializers.UUIDField(required=False, help_text="Use this agency's office hours.")

    def validate(self, attrs):
        if ("days" in attrs) == ("hours" in attrs):
            raise serializers.ValidationError(_("Give either `days` or `hours`, not both and not neither."))
        return attrs


class AddWorkingTimeResultSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class WorkingTimeBetweenSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    agency = serializers.UUIDField(required=False)


class WorkingTimeBetweenResultSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=12, decimal_places=2)
