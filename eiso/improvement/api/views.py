"""API of nonconformities and corrective actions. Reads are scoped by restrict() (another agency's: 404);
every write, transition included, is one service call. Related ids in the body (agency, owner, process,
dossier, nonconformity) are looked up among what the user may see: an unseen one answers like an unknown
one (400)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_person, validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.permissions import today
from eiso.dossiers.models import Dossier
from eiso.improvement import services
from eiso.improvement.api import serializers as s
from eiso.improvement.choices import ActionStatus
from eiso.improvement.models import CorrectiveAction, Nonconformity
from eiso.organizations.models import Agency
from eiso.processes.models import Process


class NonconformityFilterSet(IdFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Nonconformity
        fields = ["agency", "status", "source", "grade", "year", "dossier", "process"]

    def filter_overdue(self, queryset, name, value):
        late = Exists(CorrectiveAction.objects.filter(nonconformity=OuterRef("pk"), status=ActionStatus.OPEN,
                                                      due_on__lt=today()))
        return queryset.filter(late) if value else queryset.exclude(late)


@extend_schema(tags=["improvement"])
class NonconformityViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Nonconformities (ISO 9001 clause 10.2). Filters: agency, status, source, grade, year, dossier, process,
    overdue (with an open action past its due date). The workflow: POST analysis, then transition
    `start_actions`, `submit_verification`, verify, and transition `close`."""

    queryset = Nonconformity.objects.prefetch_related("actions")
    serializer_class = s.NonconformitySerializer
    filterset_class = NonconformityFilterSet

    def _answer(self, nonconformity, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().model.objects.prefetch_related("actions").get(pk=nonconformity.pk)
        return Response(s.NonconformitySerializer(fresh).data, status=status_code)

    @extend_schema(request=s.NonconformityCreateSerializer, responses={201: s.NonconformitySerializer})
    def create(self, request, *args, **kwargs):
        """Raise a nonconformity in `agency`: numbered NC-<year>-<sequence> per agency and year."""
        data = validated(request, s.NonconformityCreateSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        nonconformity = services.nonconformity_raise(
            actor=request.user, agency=agency, description=data["description"], source=data["source"],
            correction=data["correction"], grade=data["grade"], owner=agency_person(agency, data["owner"]),
            process=visible(Process.objects, request.user, data["process"], "process", _("Unknown process.")),
            dossier=visible(Dossier.objects, request.user, data["dossier"], "dossier", _("Unknown dossier.")))
        return self._answer(nonconformity, status.HTTP_201_CREATED)

    @extend_schema(request=s.FromDossierSerializer, responses={201: s.NonconformitySerializer})
    @action(detail=False, methods=["post"], url_path="from-dossier", url_name="from-dossier")
    def from_dossier(self, request):
        """Raise a nonconformity for a late dossier (refused when the dossier is not late)."""
        data = validated(request, s.FromDossierSerializer)
        dossier = visible(Dossier.objects, request.user, data["dossier"], "dossier", _("Unknown dossier."))
        return self._answer(services.nonconformity_from_late_dossier(actor=request.user, dossier=dossier),
                            status.HTTP_201_CREATED)

    @extend_schema(request=s.AnalysisSerializer, responses={200: s.NonconformitySerializer})
    @action(detail=True, methods=["post"])
    def analysis(self, request, pk=None):
        """Record the root-cause analysis (5 whys or cause categories); a raised nonconformity becomes analysed."""
        data = validated(request, s.AnalysisSerializer)
        return self._answer(services.nonconformity_analysis_record(
            actor=request.user, nonconformity=self.get_object(), method=data["method"], analysis=data["analysis"],
            root_cause=data["root_cause"]))

    @extend_schema(request=s.TransitionSerializer, responses={200: s.NonconformitySerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Apply a transition: analyse, start_actions, submit_verification or close. A refused one answers 400
        with what to do first."""
        data = validated(request, s.TransitionSerializer)
        return self._answer(services.nonconformity_transition(
            actor=request.user, nonconformity=self.get_object(), action=data["action"], note=data["note"]))

    @extend_schema(request=s.VerificationSerializer, responses={200: s.NonconformitySerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Record the verification of effectiveness; not effective sends it back to the corrective actions."""
        data = validated(request, s.VerificationSerializer)
        return self._answer(services.nonconformity_verify(
            actor=request.user, nonconformity=self.get_object(), is_effective=data["is_effective"],
            comment=data["comment"]))


class CorrectiveActionFilterSet(IdFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = CorrectiveAction
        fields = ["agency", "nonconformity", "status", "owner"]

    def filter_overdue(self, queryset, name, value):
        late = queryset.filter(status=ActionStatus.OPEN, due_on__lt=today())
        return late if value else queryset.exclude(pk__in=late.values("pk"))


@extend_schema(tags=["improvement"])
class CorrectiveActionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                              mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Corrective actions. Filters: agency, nonconformity, status, owner, overdue. Planned by the agency head
    and the ISO coordinator after the root-cause analysis; marked done by them or by the action's owner."""

    queryset = CorrectiveAction.objects.select_related("nonconformity")
    serializer_class = s.CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilterSet

    @extend_schema(request=s.CorrectiveActionCreateSerializer, responses={201: s.CorrectiveActionSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.CorrectiveActionCreateSerializer)
        nonconformity = visible(Nonconformity.objects, request.user, data["nonconformity"], "nonconformity",
                                 _("Unknown nonconformity."))
        corrective_action = services.corrective_action_add(
            actor=request.user, nonconformity=nonconformity, description=data["description"],
            owner=agency_person(nonconformity.agency, data["owner"]), due_on=data["due_on"])
        return Response(s.CorrectiveActionSerializer(corrective_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActionDoneSerializer, responses={200: s.CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the action done with its evidence."""
        data = validated(request, s.ActionDoneSerializer)
        corrective_action = services.corrective_action_done(actor=request.user, action=self.get_object(),
                                                            evidence=data["evidence"])
        return Response(s.CorrectiveActionSerializer(corrective_action).data)
