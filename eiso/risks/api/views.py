"""API of the context, the risk register and the risk matrix. Reads are scoped by restrict() (another agency's:
404); every write is one service call. Related ids in the body (agency, process, risk, owner) are looked up
among what the user may see: an unseen one answers like an unknown one (400). PUT replaces the editable
fields, PATCH changes those given."""

import django_filters
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_person, validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.permissions import today
from eiso.organizations.models import Agency
from eiso.processes.models import Process
from eiso.risks import services
from eiso.risks.api import serializers as s
from eiso.risks.choices import RiskActionStatus
from eiso.risks.models import ContextIssue, InterestedParty, Risk, RiskAction
from eiso.risks.selectors import matrix_of
from eiso.risks.views import _may_read


def _agency(request, pk):
    return visible(Agency.objects, request.user, pk, "agency", _("Unknown agency."))


class _UpdateMixin:
    """PUT (every editable field) and PATCH (those given) through `save(instance, values)`."""

    input_serializer = None
    editable: tuple = ()

    def _changed(self, request, instance, partial: bool) -> dict:
        data = validated(request, self.input_serializer, partial=partial)
        values = {field: getattr(instance, field) for field in self.editable}
        values.update(data)
        return values

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        saved = self.save(instance, self._changed(request, instance, kwargs.get("partial", False)))
        return Response(self.get_serializer(self.get_queryset().get(pk=saved.pk)).data)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


@extend_schema(tags=["risks"])
class ContextIssueViewSet(_UpdateMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Internal and external issues (ISO 9001 clause 4.1). Filters: agency, kind, status."""

    queryset = ContextIssue.objects.all()
    serializer_class = s.ContextIssueSerializer
    filterset_fields = ["agency", "kind", "status"]
    input_serializer = s.ContextIssueInputSerializer
    editable = ("kind", "description", "effect", "status", "identified_on", "reviewed_on")

    @extend_schema(request=s.ContextIssueCreateSerializer, responses={201: s.ContextIssueSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.ContextIssueCreateSerializer))
        agency = _agency(request, data.pop("agency"))
        issue = services.context_issue_create(actor=request.user, agency=agency, **data)
        return Response(s.ContextIssueSerializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ContextIssueInputSerializer, responses={200: s.ContextIssueSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.ContextIssueInputSerializer, responses={200: s.ContextIssueSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def save(self, instance, values):
        values["identified_on"] = values["identified_on"] or instance.identified_on
        return services.context_issue_update(actor=self.request.user, issue=instance, **values)


@extend_schema(tags=["risks"])
class InterestedPartyViewSet(_UpdateMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Interested parties and their requirements (ISO 9001 clause 4.2). Filter: agency."""

    queryset = InterestedParty.objects.all()
    serializer_class = s.InterestedPartySerializer
    filterset_fields = ["agency"]
    input_serializer = s.InterestedPartyInputSerializer
    editable = ("name", "requirements", "monitoring")

    @extend_schema(request=s.InterestedPartyCreateSerializer, responses={201: s.InterestedPartySerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.InterestedPartyCreateSerializer))
        agency = _agency(request, data.pop("agency"))
        party = services.interested_party_create(actor=request.user, agency=agency, **data)
        return Response(s.InterestedPartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.InterestedPartyInputSerializer, responses={200: s.InterestedPartySerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.InterestedPartyInputSerializer, responses={200: s.InterestedPartySerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def save(self, instance, values):
        return services.interested_party_update(actor=self.request.user, party=instance, **values)


def _late_actions():
    return Exists(RiskAction.objects.filter(risk=OuterRef("pk"), status=RiskActionStatus.OPEN, due_on__lt=today()))


class RiskFilterSet(IdFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Risk
        fields = ["agency", "process", "kind", "level", "residual_level", "status", "treatment"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(_late_actions()) if value else queryset.exclude(_late_actions())


@extend_schema(tags=["risks"])
class RiskViewSet(_UpdateMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The register of risks and opportunities (ISO 9001 clause 6.1). Filters: agency, process, kind, level,
    residual_level, status, treatment, overdue (an open action past its due date). Likelihood and consequence
    are steps of the agency's risk matrix; the level is computed. The workflow: transition `start_treatment`,
    review (residual assessment and effectiveness, once every action is done), transition `close`."""

    queryset = Risk.objects.prefetch_related("actions")
    serializer_class = s.RiskSerializer
    filterset_class = RiskFilterSet
    input_serializer = s.RiskInputSerializer
    editable = ("process", "kind", "description", "cause", "consequence_description", "likelihood", "consequence",
                "treatment", "identified_on")

    def _answer(self, risk, status_code=status.HTTP_200_OK):
        return Response(s.RiskSerializer(Risk.objects.prefetch_related("actions").get(pk=risk.pk)).data,
                        status=status_code)

    def _process(self, pk):
        return visible(Process.objects, self.request.user, pk, "process", _("Unknown process."))

    @extend_schema(request=s.RiskCreateSerializer, responses={201: s.RiskSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.RiskCreateSerializer))
        agency = _agency(request, data.pop("agency"))
        data["process"] = self._process(data["process"])
        return self._answer(services.risk_create(actor=request.user, agency=agency, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.RiskInputSerializer, responses={200: s.RiskSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.RiskInputSerializer, responses={200: s.RiskSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def _changed(self, request, instance, partial):
        values = super()._changed(request, instance, partial)
        if "process" in request.data:
            values["process"] = self._process(values["process"])
        return values

    def save(self, instance, values):
        return services.risk_update(actor=self.request.user, risk=instance, **values)

    @extend_schema(request=s.RiskTransitionSerializer, responses={200: s.RiskSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Apply a transition: start_treatment or close. A refused one answers 400 with what to do first."""
        data = validated(request, s.RiskTransitionSerializer)
        return self._answer(services.risk_transition(actor=request.user, risk=self.get_object(),
                                                     action=data["action"], note=data["note"]))

    @extend_schema(request=s.RiskReviewSerializer, responses={200: s.RiskSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record the residual assessment and the effectiveness review (every action done). Effective: the risk
        becomes reviewed; not effective: it stays under treatment."""
        data = validated(request, s.RiskReviewSerializer)
        return self._answer(services.risk_review(actor=request.user, risk=self.get_object(), **data))


class RiskActionFilterSet(IdFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = RiskAction
        fields = ["agency", "risk", "status", "owner"]

    def filter_overdue(self, queryset, name, value):
        late = queryset.filter(status=RiskActionStatus.OPEN, due_on__lt=today())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


@extend_schema(tags=["risks"])
class RiskActionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Treatment actions of risks. Filters: agency, risk, status, owner, overdue. Planned by the agency head and
    the ISO coordinator; marked done by them or by the action's owner."""

    queryset = RiskAction.objects.select_related("risk")
    serializer_class = s.RiskActionSerializer
    filterset_class = RiskActionFilterSet

    @extend_schema(request=s.RiskActionCreateSerializer, responses={201: s.RiskActionSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.RiskActionCreateSerializer)
        risk = visible(Risk.objects, request.user, data["risk"], "risk", _("Unknown risk."))
        services.require_manager(request.user, risk.agency)  # before the owner is looked up: 403 first
        risk_action = services.risk_action_add(actor=request.user, risk=risk, description=data["description"],
                                               owner=agency_person(risk.agency, data["owner"]), due_on=data["due_on"])
        return Response(s.RiskActionSerializer(risk_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RiskActionDoneSerializer, responses={200: s.RiskActionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the action done with its evidence."""
        data = validated(request, s.RiskActionDoneSerializer)
        risk_action = services.risk_action_done(actor=request.user, action=self.get_object(),
                                                evidence=data["evidence"])
        return Response(s.RiskActionSerializer(risk_action).data)


@extend_schema(tags=["risks"])
class RiskMatrixView(APIView):
    """The risk matrix of one agency: GET (the defaults, 5×5 with low ≤ 4 and medium ≤ 12, until configured) by
    those who read its risks; PUT by its head and ISO coordinator. Saving recomputes the levels of its risks;
    a scale that no longer holds an existing risk is refused."""

    serializer_class = s.RiskMatrixSerializer

    def _agency(self, request, agency_id):
        agency = get_object_or_404(Agency, pk=agency_id)
        if not _may_read(request.user, agency):
            raise Http404
        return agency

    @extend_schema(responses={200: s.RiskMatrixSerializer})
    def get(self, request, agency_id):
        return Response(s.RiskMatrixSerializer(matrix_of(agency=self._agency(request, agency_id))).data)

    @extend_schema(request=s.RiskMatrixInputSerializer, responses={200: s.RiskMatrixSerializer})
    def put(self, request, agency_id):
        agency = self._agency(request, agency_id)
        data = validated(request, s.RiskMatrixInputSerializer)
        return Response(s.RiskMatrixSerializer(services.risk_matrix_update(actor=request.user, agency=agency,
                                                                           **data)).data)
