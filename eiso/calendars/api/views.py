"""Calendar API: holidays and day swaps, and deadline computation."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from eiso.calendars import services
from eiso.calendars.api import serializers
from eiso.calendars.models import CalendarDay
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.organizations.models import Agency


def _agency(request, agency_id):
    if not agency_id:
        return getattr(request, "agency", None)
    return Agency.objects.restrict(request.user).filter(pk=agency_id).first()


@extend_schema(tags=["calendar"])
class CalendarDayViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """National public holidays (seeded) and official days off / working days (entered by administrators)."""

    queryset = CalendarDay.objects.order_by("date")
    serializer_class = serializers.CalendarDaySerializer
    filterset_fields = {"date": ["exact", "gte", "lte", "year"], "kind": ["exact"]}

    def perform_create(self, serializer):
        serializer.instance = services.calendar_day_create(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.calendar_day_delete(actor=self.request.user, day=instance)


@extend_schema(tags=["calendar"])
class AddWorkingTimeView(APIView):
    @extend_schema(request=serializers.AddWorkingTimeSerializer,
                   responses={200: serializers.AddWorkingTimeResultSerializer})
    def post(self, request):
        """Add N working days or N working hours to a moment (weekends, holidays, day swaps, office
        hours and lunch breaks honoured). The same service computes every deadline in eISO."""
        s = serializers.AddWorkingTimeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        end = services.add_working_time(
            start=data["start"], days=data.get("days"), hours=data.get("hours"),
            agency=_agency(request, data.get("agency")),
        )
        return Response({"start": data["start"], "end": end})


@extend_schema(tags=["calendar"])
class WorkingTimeBetweenView(APIView):
    @extend_schema(request=serializers.WorkingTimeBetweenSerializer,
                   responses={200: serializers.WorkingTimeBetweenResultSerializer})
    def post(self, request):
        """Working time between two moments, in hours."""
        s = serializers.WorkingTimeBetweenSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        spent = services.working_time_between(
            start=data["start"], end=data["end"], agency=_agency(request, data.get("agency"))
        )
        hours = (Decimal(spent.total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))
        return Response(serializers.WorkingTimeBetweenResultSerializer({"hours": hours}).data)
