"""API of the quality policy and objectives. Reads are scoped by restrict() (another agency's: 404); every write
is one service call. Related ids in the body (agency, objective, owner, document) are looked up among what the
user may see: an unseen one answers like an unknown one (400)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_person, validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import today
from eiso.documents.models import Document
from eiso.objectives import services
from eiso.objectives.api import serializers as s
from eiso.objectives.models import Indicator, ObjectivePlan, QualityObjective, QualityPolicy
from eiso.organizations.models import Agency


class PolicyFilterSet(IdFilterSet):
    class Meta:
        model = QualityPolicy
        fields = ["agency", "status", "version"]


@extend_schema(tags=["objectives"])
class QualityPolicyViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Versions of the agency's quality policy. POST writes the draft of the next version (created on the first
    save, edited afterwards); the agency head approves it (`approve`), and the version in force is superseded."""

    queryset = QualityPolicy.objects.all()
    serializer_class = s.QualityPolicySerializer
    filterset_class = PolicyFilterSet

    @extend_schema(request=s.PolicyInputSerializer, responses={201: s.QualityPolicySerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.PolicyInputSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        document = visible(Document.objects, request.user, data["document"], "document", _("Unknown document."))
        policy = services.policy_draft_save(actor=request.user, agency=agency, text=data["text"], document=document)
        return Response(s.QualityPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.QualityPolicySerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The agency head approves the draft: it comes into force."""
        policy = services.policy_approve(actor=request.user, policy=self.get_object())
        return Response(s.QualityPolicySerializer(policy).data)


class ObjectiveFilterSet(IdFilterSet):
    class Meta:
        model = QualityObjective
        fields = ["agency", "year", "status"]


@extend_schema(tags=["objectives"])
class QualityObjectiveViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                              mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Quality objectives per agency and year, with their indicators and plan. Edited while draft (PATCH/PUT),
    approved by the agency head (`approve`), closed at the year's end (`close`); `copy-year` starts a year from
    another one's objectives, copied as drafts."""

    queryset = QualityObjective.objects.prefetch_related("indicators", "plan")
    serializer_class = s.QualityObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _answer(self, objective, status_code=status.HTTP_200_OK):
        fresh = QualityObjective.objects.prefetch_related("indicators", "plan").get(pk=objective.pk)
        return Response(s.QualityObjectiveSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.ObjectiveCreateSerializer, responses={201: s.QualityObjectiveSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ObjectiveCreateSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        objective = services.objective_create(actor=request.user, agency=agency, year=data["year"],
                                              title=data["title"], description=data["description"],
                                              owner=agency_person(agency, data["owner"]))
        return self._answer(objective, status.HTTP_201_CREATED)

    @extend_schema(request=s.ObjectiveUpdateSerializer, responses={200: s.QualityObjectiveSerializer})
    def update(self, request, *args, **kwargs):
        objective = self.get_object()
        if not services.can_manage(request.user, objective.agency):  # before the body is judged
            raise PermissionDeniedError(_("Only the agency head and the ISO coordinator manage the quality policy "
                                          "and objectives."))
        # PUT replaces the three fields (description and owner default to empty); PATCH changes only those sent.
        data = validated(request, s.ObjectiveUpdateSerializer, partial=kwargs.get("partial", False))
        owner = agency_person(objective.agency, data["owner"]) if "owner" in data else objective.owner
        return self._answer(services.objective_update(
            actor=request.user, objective=objective, title=data.get("title", objective.title),
            description=data.get("description", objective.description), owner=owner))

    @extend_schema(request=s.ObjectiveUpdateSerializer, responses={200: s.QualityObjectiveSerializer})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=None, responses={200: s.QualityObjectiveSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The agency head approves a draft objective (it needs at least one indicator)."""
        return self._answer(services.objective_approve(actor=request.user, objective=self.get_object()))

    @extend_schema(request=None, responses={200: s.QualityObjectiveSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an approved objective at the year's end (from 1 December)."""
        return self._answer(services.objective_close(actor=request.user, objective=self.get_object()))

    @extend_schema(request=s.CopyYearSerializer, responses={201: s.CopyYearResultSerializer})
    @action(detail=False, methods=["post"], url_path="copy-year", url_name="copy-year")
    def copy_year(self, request):
        """Copy `from_year`'s objectives (with indicators and plans) to `to_year` as drafts; refused when
        `to_year` already has objectives."""
        data = validated(request, s.CopyYearSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        count = services.objectives_copy_year(actor=request.user, agency=agency, from_year=data["from_year"],
                                              to_year=data["to_year"])
        return Response({"copied": count}, status=status.HTTP_201_CREATED)


class IndicatorFilterSet(IdFilterSet):
    class Meta:
        model = Indicator
        fields = ["agency", "objective", "value_source", "metric", "frequency"]


@extend_schema(tags=["objectives"])
class IndicatorViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicators of the objectives: `computed` (a `metric` of the registry) or `entered` (with a unit); a target
    with a comparison (gte: at least, lte: at most) and a frequency. Added while the objective is draft.
    `measurements` lists the values recorded; `record` records one (entered: value and evidence; computed: eISO
    computes it)."""

    queryset = Indicator.objects.select_related("objective")
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.IndicatorCreateSerializer, responses={201: s.IndicatorSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.IndicatorCreateSerializer)
        objective = visible(QualityObjective.objects, request.user, data["objective"], "objective",
                             _("Unknown objective."))
        indicator = services.indicator_add(
            actor=request.user, objective=objective, name=data["name"], value_source=data["value_source"],
            metric=data["metric"], unit=data["unit"], comparison=data["comparison"], target=data["target"],
            frequency=data["frequency"], owner=agency_person(objective.agency, data["owner"]))
        return Response(s.IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.MeasurementSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def measurements(self, request, pk=None):
        """The indicator's measurements, period by period."""
        indicator = self.get_object()
        return Response(s.MeasurementSerializer(indicator.measurements.order_by("period_start"), many=True).data)

    @extend_schema(request={"multipart/form-data": s.MeasurementRecordSerializer,
                            "application/json": s.MeasurementRecordSerializer},
                   responses={200: s.MeasurementSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the measurement of a period (recording the same period again updates it)."""
        indicator = self.get_object()
        data = validated(request, s.MeasurementRecordSerializer)
        if indicator.is_computed:
            measurement = services.measurement_compute(actor=request.user, indicator=indicator,
                                                       on=data["period_start"] or today())
            if measurement is None:
                raise ApplicationError(_("Nothing to measure in this period yet."), code="nothing_to_measure")
        else:
            if data["period_start"] is None:
                message = _("Choose the period.")
                raise ApplicationError(message, code="period_required", errors={"period_start": [message]})
            measurement = services.measurement_enter(actor=request.user, indicator=indicator,
                                                     period_start=data["period_start"], value=data["value"],
                                                     evidence=data["evidence"], file=data["file"])
        return Response(s.MeasurementSerializer(measurement).data)


class PlanFilterSet(IdFilterSet):
    class Meta:
        model = ObjectivePlan
        fields = ["agency", "objective", "status", "owner"]


@extend_schema(tags=["objectives"])
class ObjectivePlanViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Actions of the plans to reach the objectives: planned by the agency head and the ISO coordinator, marked
    done (with evidence) by them or by the action's owner."""

    queryset = ObjectivePlan.objects.select_related("objective")
    serializer_class = s.ObjectivePlanSerializer
    filterset_class = PlanFilterSet

    @extend_schema(request=s.PlanActionCreateSerializer, responses={201: s.ObjectivePlanSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.PlanActionCreateSerializer)
        objective = visible(QualityObjective.objects, request.user, data["objective"], "objective",
                             _("Unknown objective."))
        plan_action = services.plan_action_add(actor=request.user, objective=objective,
                                               description=data["description"],
                                               owner=agency_person(objective.agency, data["owner"]),
                                               due_on=data["due_on"])
        return Response(s.ObjectivePlanSerializer(plan_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.PlanDoneSerializer, responses={200: s.ObjectivePlanSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the action done with its evidence."""
        data = validated(request, s.PlanDoneSerializer)
        plan_action = services.plan_action_done(actor=request.user, action=self.get_object(),
                                                evidence=data["evidence"])
        return Response(s.ObjectivePlanSerializer(plan_action).data)
