"""API of reporting periods and periodic reports. Reads are scoped by restrict() (outside the user's reach: 404);
every write is one service call, which checks the right (403) and the workflow (400 with what to do)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.organizations.selectors import supervised_provinces
from eiso.reporting import services
from eiso.reporting.api import serializers as s
from eiso.reporting.models import PeriodicReport, ReportingPeriod


class PeriodFilterSet(IdFilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["agency", "kind", "year", "status"]


def _province(user, pk):
    """The province the period is opened for: `pk` among those where the user is the supervising authority, or
    their only one when left out."""
    provinces = supervised_provinces(user, "add")
    if not provinces.exists():
        raise PermissionDeniedError(_("Only the supervising authority of the province opens its reporting periods."))
    if pk is None:
        if provinces.count() == 1:
            return provinces.get()
        message = _("Say which province the period is for.")
        raise ApplicationError(message, code="province_required", errors={"province": [message]})
    province = provinces.filter(pk=pk).first()
    if province is None:
        message = _("Unknown province.")
        raise ApplicationError(message, code="unknown_province", errors={"province": [message]})
    return province


@extend_schema(tags=["reporting"])
class ReportingPeriodViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reporting periods of the supervising authorities (read by the province's and national supervisors). POST
    opens one (the province's supervisors): every agency of the province gets its report, pre-filled from its
    records. POST close closes it. Filters: agency, kind, year, status."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = s.ReportingPeriodSerializer
    filterset_class = PeriodFilterSet

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page of periods: their reports counted at once
            from eiso.reporting.selectors import status_counts_many

            page = list(args[0])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["report_counts"] = status_counts_many(page)
            args = (page, *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(request=s.PeriodCreateSerializer, responses={201: s.ReportingPeriodSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.PeriodCreateSerializer)
        province = _province(request.user, data.pop("province"))
        period = services.period_open(actor=request.user, province=province, **data)
        return Response(s.ReportingPeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ReportingPeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the period: its reports no longer change."""
        period = services.period_close(actor=request.user, period=self.get_object())
        return Response(s.ReportingPeriodSerializer(period).data)


class ReportFilterSet(IdFilterSet):
    class Meta:
        model = PeriodicReport
        fields = ["agency", "period", "status"]


@extend_schema(tags=["reporting"])
class PeriodicReportViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Agencies' periodic reports. PUT/PATCH completes one while draft or returned (the head and the coordinator);
    POST refresh (the figures again from the records), sign-off (the head), submit, accept and return (the
    supervisors of the province; return needs a comment). Filters: agency, period, status."""

    queryset = PeriodicReport.objects.select_related("period").prefetch_related("events")
    serializer_class = s.PeriodicReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _answer(self, report):
        fresh = PeriodicReport.objects.select_related("period").prefetch_related("events").get(pk=report.pk)
        return Response(s.PeriodicReportSerializer(fresh).data)

    @extend_schema(request=s.ReportUpdateSerializer, responses={200: s.PeriodicReportSerializer})
    def update(self, request, *args, **kwargs):
        """Complete the report: number, results, difficulties, proposals and remarks (PATCH: only those sent)."""
        report = self.get_object()
        data = dict(validated(request, s.ReportUpdateSerializer, partial=kwargs.get("partial", False)))
        remarks = data.pop("remarks", None)
        return self._answer(services.report_update(actor=request.user, report=report, remarks=remarks, **data))

    @extend_schema(request=s.ReportUpdateSerializer, responses={200: s.PeriodicReportSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        """Take the figures again from the agency's records (remarks and text kept)."""
        return self._answer(services.report_refresh(actor=request.user, report=self.get_object()))

    def _transition(self, request, name: str, serializer=s.ReportCommentSerializer):
        report = self.get_object()
        data = validated(request, serializer)
        report = services.report_transition(actor=request.user, report=report, action=name,
                                            comment=data.get("comment", ""))
        return self._answer(report)

    @extend_schema(request=None, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"], url_path="sign-off", url_name="sign-off")
    def sign_off(self, request, pk=None):
        """The agency head signs the report off (the results must be written)."""
        return self._transition(request, "sign_off")

    @extend_schema(request=None, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Take a signed-off report back to draft, to correct it before submitting."""
        return self._transition(request, "reopen")

    @extend_schema(request=None, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the signed-off report to the supervising authority."""
        return self._transition(request, "submit")

    @extend_schema(request=s.ReportCommentSerializer, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The supervising authority accepts the report (an optional comment)."""
        return self._transition(request, "accept")

    @extend_schema(request=s.ReportReturnSerializer, responses={200: s.PeriodicReportSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request, pk=None):
        """The supervising authority returns the report for correction, saying what to correct."""
        return self._transition(request, "return", s.ReportReturnSerializer)
