"""API of inspection plans, inspections (with their checklist and findings) and findings. Reads are scoped by
restrict() (out of scope: 404); every write is one service call, which checks the actor's right (403) and refuses
what the rules do not allow (400 with what to do). Ids in the body are looked up among what the user may see: an
unseen one answers like an unknown one (400)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.inspections import plans, services
from eiso.inspections.api import serializers as s
from eiso.inspections.models import Inspection, InspectionFinding, InspectionPlan


def _province(pk):
    from eiso.organizations.models import AdminUnit

    province = AdminUnit.objects.filter(pk=pk, level="province").first()
    if province is None:
        message = _("Unknown province.")
        raise ApplicationError(message, code="unknown_province", errors={"province": [message]})
    return province


class PlanFilterSet(IdFilterSet):
    class Meta:
        model = InspectionPlan
        fields = ["agency", "year", "status"]


@extend_schema(tags=["inspections"])
class InspectionPlanViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                            mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Inspection plans of the supervising authorities (read by the supervisors of the province and national
    supervisors). Filters: agency (the authority), year, status. The province's supervisors create and change draft
    plans, POST add_all (every agency of the province not in the plan yet) and approve (refused with fewer
    on-site inspections than the plan's minimum share). The lines are the inspections (POST /inspections/)."""

    queryset = InspectionPlan.objects.select_related("agency")
    serializer_class = s.InspectionPlanSerializer
    filterset_class = PlanFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":  # the plans' lines counted in the list's query, not one query per plan
            queryset = queryset.annotate(**plan_line_counts()).order_by(*InspectionPlan._meta.ordering)
        return queryset

    def _answer(self, plan, status_code=status.HTTP_200_OK):
        return Response(s.InspectionPlanSerializer(InspectionPlan.objects.get(pk=plan.pk)).data, status=status_code)

    @extend_schema(request=s.InspectionPlanCreateSerializer, responses={201: s.InspectionPlanSerializer})
    def create(self, request, *args, **kwargs):
        """A draft plan of the province's supervising authority, numbered in its year."""
        data = dict(validated(request, s.InspectionPlanCreateSerializer))
        province = _province(data.pop("province"))
        plan = plans.plan_create(actor=request.user, province=province, **data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectionPlanWriteSerializer, responses={200: s.InspectionPlanSerializer})
    def update(self, request, *args, **kwargs):
        """Change a draft plan (PATCH: only the fields sent)."""
        plan = self.get_object()
        data = dict(validated(request, s.InspectionPlanWriteSerializer, partial=kwargs.get("partial", False)))
        if not (data.get("min_on_site_share") or "").strip():
            data.pop("min_on_site_share", None)  # empty: keep the plan's share
        return self._answer(plans.plan_update(actor=request.user, plan=plan, **data))

    @extend_schema(request=s.InspectionPlanWriteSerializer, responses={200: s.InspectionPlanSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: s.InspectionPlanSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the draft plan: refused (400) without agencies or with too few on-site inspections."""
        return self._answer(plans.plan_approve(actor=request.user, plan=self.get_object()))

    @extend_schema(request=s.InspectionPlanAddAllSerializer, responses={200: s.InspectionPlanSerializer})
    @action(detail=True, methods=["post"], url_path="add-all")
    def add_all(self, request, pk=None):
        """Add every agency of the province that is not in the draft plan yet, with the method and month given."""
        plan = self.get_object()
        data = validated(request, s.InspectionPlanAddAllSerializer)
        plans.plan_add_all(actor=request.user, plan=plan, **data)
        return self._answer(plan)


def plan_line_counts() -> dict:
    """Annotations of a plan's lines: `line_count` (inspections), `on_site_count` (those on site)."""
    from django.db.models import Count, Q

    from eiso.inspections.choices import InspectionMethod

    return {"line_count": Count("inspections", distinct=True),
            "on_site_count": Count("inspections", filter=Q(inspections__method=InspectionMethod.ON_SITE),
                                   distinct=True)}


class InspectionFilterSet(IdFilterSet):
    class Meta:
        model = Inspection
        fields = ["agency", "plan", "year", "method", "status"]


@extend_schema(tags=["inspections"])
class InspectionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    """Inspections, with their checklist and findings: read by the inspected agency's people and the supervisors of
    its province. Filters: agency, plan, year, method, status. The supervisors add agencies to a draft plan (POST),
    change the planning (PATCH), remove them (DELETE, draft plan), and POST decide, prepare_checklist, checklist,
    findings, sign, return_report, close; the agency head or ISO coordinator POST submit_report (the actions on the
    findings are under /inspection-findings/)."""

    queryset = Inspection.objects.select_related("agency", "plan").prefetch_related("checklist", "findings")
    serializer_class = s.InspectionSerializer
    filterset_class = InspectionFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _answer(self, inspection, status_code=status.HTTP_200_OK):
        fresh = Inspection.objects.prefetch_related("checklist", "findings").get(pk=inspection.pk)
        return Response(s.InspectionSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.InspectionCreateSerializer, responses={201: s.InspectionSerializer})
    def create(self, request, *args, **kwargs):
        """Add an agency of the province to a draft plan."""
        from eiso.organizations.models import Agency

        data = validated(request, s.InspectionCreateSerializer)
        plan = visible(InspectionPlan.objects, request.user, data["plan"], "plan", _("Unknown inspection plan."))
        agency = Agency.objects.filter(pk=data["agency"]).first()
        inspection = plans.plan_line_add(actor=request.user, plan=plan, agency=agency, method=data["method"],
                                            planned_month=data["planned_month"], planned_on=data["planned_on"])
        return self._answer(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectionPlanningSerializer, responses={200: s.InspectionSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change the planning: the method (draft plan), the planned month or date (before the decision)."""
        data = validated(request, s.InspectionPlanningSerializer, partial=True)
        return self._answer(plans.inspection_plan_update(actor=request.user, inspection=self.get_object(),
                                                            **data))

    def destroy(self, request, *args, **kwargs):
        """Remove the agency from the draft plan."""
        plans.plan_line_remove(actor=request.user, inspection=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.InspectionDecisionSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision (numbered in the authority's year) and prepare the checklist; on a decided
        inspection, correct it."""
        data = validated(request, s.InspectionDecisionSerializer)
        return self._answer(services.inspection_decide(actor=request.user, inspection=self.get_object(), **data))

    @extend_schema(request=None, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"], url_path="prepare-checklist")
    def prepare_checklist(self, request, pk=None):
        """Add the missing Art. 36 points and read what eISO's records show again."""
        return self._answer(services.checklist_prepare(actor=request.user, inspection=self.get_object()))

    @extend_schema(request=s.InspectionChecklistSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        """Record results and evidence notes of checklist points (the others keep theirs)."""
        data = validated(request, s.InspectionChecklistSerializer)
        results = {item["key"]: {"result": item["result"], "evidence": item["evidence"]} for item in data["items"]}
        return self._answer(services.checklist_record(actor=request.user, inspection=self.get_object(),
                                                      results=results))

    @extend_schema(request=s.InspectionFindingCreateSerializer, responses={201: s.InspectionFindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        """Record a finding with the corrective action required."""
        data = validated(request, s.InspectionFindingCreateSerializer)
        finding = services.finding_add(actor=request.user, inspection=self.get_object(), **data)
        return Response(s.InspectionFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InspectionMinutesSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Record the minutes signed by the team leader and the agency head; with findings, the corrective-action
        report is due 2 months later."""
        data = validated(request, s.InspectionMinutesSerializer)
        return self._answer(services.minutes_sign(actor=request.user, inspection=self.get_object(), **data))

    @extend_schema(request=s.CorrectiveReportSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"], url_path="submit-report")
    def submit_report(self, request, pk=None):
        """The agency submits its corrective-action report (every open finding has its action)."""
        data = validated(request, s.CorrectiveReportSerializer)
        return self._answer(services.report_submit(actor=request.user, inspection=self.get_object(),
                                                   summary=data["summary"]))

    @extend_schema(request=s.InspectionCommentSerializer, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"], url_path="return-report")
    def return_report(self, request, pk=None):
        """Return the report to the agency while some finding is not closed."""
        data = validated(request, s.InspectionCommentSerializer)
        return self._answer(services.report_return(actor=request.user, inspection=self.get_object(),
                                                   comment=data["comment"]))

    @extend_schema(request=None, responses={200: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the inspection once every finding is closed."""
        return self._answer(services.inspection_close(actor=request.user, inspection=self.get_object()))


class FindingFilterSet(IdFilterSet):
    class Meta:
        model = InspectionFinding
        fields = ["agency", "inspection", "status", "point_key"]


@extend_schema(tags=["inspections"])
class InspectionFindingViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               viewsets.GenericViewSet):
    """Findings of inspections. Filters: agency, inspection, status, point_key. The agency records the action taken
    (POST corrective, after the minutes and before its report); the supervisor reviews each finding of a submitted
    report (POST review: closed, or not yet with a comment)."""

    queryset = InspectionFinding.objects.select_related("inspection", "inspection__agency")
    serializer_class = s.InspectionFindingSerializer
    filterset_class = FindingFilterSet

    @extend_schema(request=s.FindingCorrectiveSerializer, responses={200: s.InspectionFindingSerializer})
    @action(detail=True, methods=["post"])
    def corrective(self, request, pk=None):
        data = validated(request, s.FindingCorrectiveSerializer)
        finding = services.finding_action_record(actor=request.user, finding=self.get_object(),
                                                 action_taken=data["action_taken"], evidence=data["evidence"])
        return Response(s.InspectionFindingSerializer(finding).data)

    @extend_schema(request=s.FindingReviewSerializer, responses={200: s.InspectionFindingSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = validated(request, s.FindingReviewSerializer)
        finding = services.finding_review(actor=request.user, finding=self.get_object(), closed=data["closed"],
                                          comment=data["comment"])
        return Response(s.InspectionFindingSerializer(finding).data)
