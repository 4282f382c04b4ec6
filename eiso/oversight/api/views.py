"""API of provincial oversight. Reads are scoped by restrict() (a plan of another province: 404; the agencies'
people see no plan); every write is one service call, refused with 403 to whoever may read but not write (a
national supervisor). Ids in a body (plan, agencies, consultant) are looked up among what the user may see: an
unseen one answers like an unknown one (400)."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.core.permissions import scope_for
from eiso.core.permissions import today as local_today
from eiso.organizations.models import AdminUnit, Agency
from eiso.organizations.selectors import supervised_provinces
from eiso.oversight import selectors, services
from eiso.oversight.api import serializers as s
from eiso.oversight.choices import Stage
from eiso.oversight.levels import AGENCY_RELATED, LEVEL_KEYS, agency_level, level_condition
from eiso.oversight.models import RolloutBudgetLine, RolloutMilestone, RolloutPlan, RolloutTarget
from eiso.oversight.stages import stages_by_agency

PLAN_QUERYSET = RolloutPlan.objects.select_related("agency").prefetch_related(
    "milestones", "budget_lines",
    Prefetch("targets", queryset=RolloutTarget.objects.select_related(
        "consultant", *(f"agency__{name}" for name in AGENCY_RELATED)).order_by("agency__name")))


def _consultant(user, pk):
    from eiso.trainings.models import Consultant

    return visible(Consultant.objects, user, pk, "consultant", _("Unknown consultant."))


class PlanFilterSet(IdFilterSet):
    class Meta:
        model = RolloutPlan
        fields = ["agency"]


@extend_schema(tags=["oversight"])
class RolloutPlanViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                         viewsets.GenericViewSet):
    """Rollout plans of the provinces the user supervises, with their milestones, budget lines and target
    agencies. Written by the supervisors of the plan's province; POST targets adds target agencies (given, or
    every agency of a level)."""

    queryset = PLAN_QUERYSET
    serializer_class = s.RolloutPlanSerializer
    filterset_class = PlanFilterSet
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _answer(self, plan, status_code=status.HTTP_200_OK):
        return Response(s.RolloutPlanSerializer(PLAN_QUERYSET.get(pk=plan.pk)).data, status=status_code)

    @extend_schema(request=s.RolloutPlanCreateSerializer, responses={201: s.RolloutPlanSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.RolloutPlanCreateSerializer))
        province = AdminUnit.objects.filter(level="province", pk=data.pop("province")).first()
        if province is None:
            message = _("Unknown province.")
            raise ApplicationError(message, code="unknown_province", errors={"province": [message]})
        plan = services.rollout_plan_create(actor=request.user, province=province, data=data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=s.RolloutPlanWriteSerializer, responses={200: s.RolloutPlanSerializer})
    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        data = validated(request, s.RolloutPlanWriteSerializer, partial=kwargs.get("partial", False))
        return self._answer(services.rollout_plan_update(actor=request.user, plan=plan, data=dict(data)))

    @extend_schema(request=s.RolloutPlanWriteSerializer, responses={200: s.RolloutPlanSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.rollout_plan_delete(actor=request.user, plan=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.RolloutTargetsAddSerializer, responses={200: s.RolloutPlanSerializer})
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        """Add target agencies: `agencies` (ids) and/or every agency of `level` of the plan's province; those
        already targeted are skipped."""
        plan = self.get_object()
        data = validated(request, s.RolloutTargetsAddSerializer)
        agencies = [visible(Agency.objects, request.user, pk, "agencies", _("Unknown agency."))
                    for pk in dict.fromkeys(data["agencies"])]
        services.rollout_targets_add(actor=request.user, plan=plan, agencies=agencies, level=data["level"],
                                     consultant=_consultant(request.user, data["consultant"]), note=data["note"])
        return self._answer(plan)


class MilestoneFilterSet(IdFilterSet):
    class Meta:
        model = RolloutMilestone
        fields = ["plan", "kind"]


@extend_schema(tags=["oversight"])
class RolloutMilestoneViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                              mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                              viewsets.GenericViewSet):
    """Milestones of rollout plans. Filters: plan, kind. PATCH done_on (and done_notes) marks a step done."""

    queryset = RolloutMilestone.objects.select_related("plan")
    serializer_class = s.RolloutMilestoneSerializer
    filterset_class = MilestoneFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=s.RolloutMilestoneCreateSerializer, responses={201: s.RolloutMilestoneSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.RolloutMilestoneCreateSerializer)
        plan = visible(RolloutPlan.objects, request.user, data["plan"], "plan", _("Unknown rollout plan."))
        milestone = services.rollout_milestone_add(actor=request.user, plan=plan, kind=data["kind"],
                                                   planned_on=data["planned_on"], title=data["title"])
        return Response(s.RolloutMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RolloutMilestoneUpdateSerializer, responses={200: s.RolloutMilestoneSerializer})
    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        data = validated(request, s.RolloutMilestoneUpdateSerializer, partial=True)
        milestone = services.rollout_milestone_update(actor=request.user, milestone=milestone, data=dict(data))
        return Response(s.RolloutMilestoneSerializer(milestone).data)

    def destroy(self, request, *args, **kwargs):
        services.rollout_milestone_delete(actor=request.user, milestone=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class BudgetLineFilterSet(IdFilterSet):
    class Meta:
        model = RolloutBudgetLine
        fields = ["plan"]


@extend_schema(tags=["oversight"])
class RolloutBudgetLineViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                               mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Budget lines of rollout plans (amounts in đồng). Filter: plan."""

    queryset = RolloutBudgetLine.objects.select_related("plan")
    serializer_class = s.RolloutBudgetLineSerializer
    filterset_class = BudgetLineFilterSet

    @extend_schema(request=s.RolloutBudgetLineCreateSerializer, responses={201: s.RolloutBudgetLineSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.RolloutBudgetLineCreateSerializer)
        plan = visible(RolloutPlan.objects, request.user, data["plan"], "plan", _("Unknown rollout plan."))
        line = services.rollout_budget_line_add(actor=request.user, plan=plan, item=data["item"],
                                                amount=data["amount"], source=data["source"], note=data["note"])
        return Response(s.RolloutBudgetLineSerializer(line).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.rollout_budget_line_delete(actor=request.user, line=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetFilterSet(IdFilterSet):
    class Meta:
        model = RolloutTarget
        fields = ["plan", "agency", "consultant"]


@extend_schema(tags=["oversight"])
class RolloutTargetViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Target agencies of rollout plans with their consultants. Filters: plan, agency, consultant. Added through
    POST rollout-plans/{id}/targets/; PATCH assigns the consultant."""

    queryset = RolloutTarget.objects.select_related("plan", "consultant",
                                                    *(f"agency__{name}" for name in AGENCY_RELATED))
    serializer_class = s.RolloutTargetSerializer
    filterset_class = TargetFilterSet
    http_method_names = ["get", "patch", "delete", "head", "options"]

    @extend_schema(request=s.RolloutTargetUpdateSerializer, responses={200: s.RolloutTargetSerializer})
    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        data = validated(request, s.RolloutTargetUpdateSerializer, partial=True)
        consultant = _consultant(request.user, data["consultant"]) if "consultant" in data else target.consultant
        target = services.rollout_target_update(actor=request.user, target=target, consultant=consultant,
                                                note=data.get("note", target.note))
        return Response(s.RolloutTargetSerializer(self.get_queryset().get(pk=target.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.rollout_target_remove(actor=request.user, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Stages ---------------------------------------------------------------------------------------------------


STAGE_PARAMETERS = [
    OpenApiParameter("province", OpenApiTypes.INT, description="Only the agencies of this province."),
    OpenApiParameter("level", OpenApiTypes.STR, enum=list(LEVEL_KEYS), description="Only the agencies of this level."),
    OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values, description="Only the agencies at this stage "
                                                                                 "(in effect)."),
]


def _invalid_parameter(name: str, message):
    raise ApplicationError(message, code=f"invalid_{name}", errors={name: [message]})


@extend_schema(tags=["oversight"])
class AgencyStageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The QMS stage of each agency the user may follow (its own; those of the provinces it supervises): derived
    from the records, confirmed by the supervisor, in effect; converted to TCVN ISO 9001:2015. The supervisors
    of the agency's province POST confirm (or clear) a stage and record the conversion."""

    queryset = Agency.objects.none()  # the agencies of the user: get_queryset
    serializer_class = s.AgencyStageSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.stage_agencies(self.request.user).select_related(*AGENCY_RELATED).order_by("name")

    def _filtered(self, request):
        agencies = self.get_queryset()
        province, level, stage = (request.query_params.get(name, "") for name in ("province", "level", "stage"))
        if province:
            if not province.isdigit():
                _invalid_parameter("province", _("province is the id of a province."))
            agencies = agencies.filter(province_id=int(province))
        if level:
            if level not in LEVEL_KEYS:
                _invalid_parameter("level", _("Choose a level among: %(levels)s.") % {"levels": ", ".join(LEVEL_KEYS)})
            agencies = agencies.filter(level_condition(level))
        if stage and stage not in Stage.values:
            _invalid_parameter("stage", _("Choose a stage among: %(stages)s.") % {"stages": ", ".join(Stage.values)})
        return agencies, stage

    @staticmethod
    def _rows(agencies) -> list[dict]:
        agencies = list(agencies)
        stages = stages_by_agency(agencies, today=local_today())
        return [{"agency": agency, "level": agency_level(agency), "info": stages[agency.pk]} for agency in agencies]

    @extend_schema(parameters=STAGE_PARAMETERS)
    def list(self, request, *args, **kwargs):
        agencies, stage = self._filtered(request)
        if stage:
            rows = [row for row in self._rows(agencies) if row["info"].stage == stage]
            page = self.paginate_queryset(rows)
        else:
            page = self.paginate_queryset(agencies)
            page = self._rows(page if page is not None else agencies)
        data = s.AgencyStageSerializer(page, many=True).data
        return self.get_paginated_response(data) if self.paginator is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(s.AgencyStageSerializer(self._rows([self.get_object()])[0]).data)

    def _answer(self, agency):
        agency = self.get_queryset().get(pk=agency.pk)
        return Response(s.AgencyStageSerializer(self._rows([agency])[0]).data)

    @extend_schema(request=s.StageConfirmSerializer, responses={200: s.AgencyStageSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the agency's stage, with what it rests on (`note`); an empty stage clears the confirmation."""
        agency = self.get_object()
        data = validated(request, s.StageConfirmSerializer)
        services.stage_confirm(actor=request.user, agency=agency, stage=data["stage"] or "", note=data["note"])
        return self._answer(agency)

    @extend_schema(request=s.StageConversionSerializer, responses={200: s.AgencyStageSerializer})
    @action(detail=True, methods=["post"])
    def conversion(self, request, pk=None):
        """Record whether the agency had a TCVN ISO 9001:2008 system and when it converted to the 2015 version."""
        agency = self.get_object()
        data = validated(request, s.StageConversionSerializer)
        services.stage_conversion_record(actor=request.user, agency=agency, had_2008_system=data["had_2008_system"],
                                         converted_on=data["converted_on"])
        return self._answer(agency)


# --- The province summary -------------------------------------------------------------------------------------


@extend_schema(
    tags=["oversight"],
    summary="Agencies of a province by level and stage",
    description="One row per level with agencies: total, by stage in effect, announced (announced or maintaining), "
                "converted to TCVN ISO 9001:2015. The same counts as the province dashboard and the province report. "
                "For supervisors of the province, national supervisors and administrators.",
    parameters=[OpenApiParameter("province", OpenApiTypes.INT,
                                 description="The province (default: the one the user supervises).")],
    responses={200: s.ProvinceSummarySerializer},
)
class ProvinceSummaryView(APIView):
    def get(self, request):
        if not selectors.can_oversee(request.user):
            raise Http404
        provinces = supervised_provinces(request.user)
        wanted = request.query_params.get("province", "")
        if wanted:
            if not wanted.isdigit():
                _invalid_parameter("province", _("province is the id of a province."))
            province = provinces.filter(pk=int(wanted)).first()
            if province is None:
                raise Http404
        else:
            authority = scope_for(request.user).authority_provinces
            own = provinces.filter(pk__in=authority) if len(authority) == 1 else provinces
            if own.count() != 1:
                _invalid_parameter("province", _("Give the province (its id)."))
            province = own.first()
        today = local_today()
        levels = selectors.province_summary(province=province, today=today)
        payload = {"province": province.pk, "province_name": province.name, "on": today, "levels": levels}
        return Response(s.ProvinceSummarySerializer(payload).data)
