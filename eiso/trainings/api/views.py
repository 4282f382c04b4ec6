"""API of training courses, participants, consultants, their engagements and issues. Reads are scoped by restrict()
(another province's course or consultant, another agency's participant: 404); every write is one service call.
Related ids in the body (authority, agency, consultant, course, engagement) are looked up among what the user may
see: an unseen one answers like an unknown one (400)."""

from django.db.models import Count
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_person, validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.organizations.models import Agency
from eiso.organizations.selectors import chosen_province
from eiso.trainings import consultant_services, imports, selectors, services
from eiso.trainings.api import serializers as s
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue, Participant, Training


def chosen_authority(user, pk):
    """The authority named in the body, or the user's only one (400 when there is none or the choice is open)."""
    if pk is not None:
        return visible(Agency.objects, user, pk, "authority", _("Unknown authority."))
    authorities = selectors.authority_agencies(user)
    if len(authorities) == 1:
        return authorities[0]
    if not authorities:
        raise PermissionDeniedError(_("Only the supervisors of the province (its Department of Science and "
                                      "Technology) keep its training courses and consultants."))
    message = _("Choose the supervising authority.")
    raise ApplicationError(message, code="authority_required", errors={"authority": [message]})


class WriteViewSetMixin:
    """Create and update through `create_object` / `update_object`, answering with the read serializer."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    write_serializer_class = None

    def answer(self, instance, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset_unrestricted().get(pk=instance.pk)
        return Response(self.get_serializer_class()(fresh).data, status=status_code)

    def get_queryset_unrestricted(self):
        return self.queryset.model.objects.all()

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        partial = kwargs.get("partial", False)
        data = self.write_serializer_class(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        return self.answer(self.update_object(instance, data.validated_data))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


# --- Courses ----------------------------------------------------------------------------------------------------


class TrainingFilterSet(IdFilterSet):
    class Meta:
        model = Training
        fields = ["agency", "year", "kind", "consultant"]


def _training_values(user, data: dict) -> dict:
    values = {name: data[name] for name in ("topic", "kind", "start_on", "end_on", "location", "trainer", "notes")
              if name in data}
    if "consultant" in data:
        values["consultant"] = visible(Consultant.objects, user, data["consultant"], "consultant",
                                       _("Unknown consultant."))
    return values


TOTALS_PARAMETERS = [OpenApiParameter("province", OpenApiTypes.INT,
                                      description="AdminUnit id of the province (default: the user's)")]


@extend_schema(tags=["trainings"])
class TrainingViewSet(WriteViewSetMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Training courses of the supervising authorities. Filters: agency (the authority), year, kind, consultant.
    POST import (an XLSX of participants: bad rows are reported, good rows added), certificates (number the
    certificates of those who passed); GET totals (people trained and agencies reached by year and level)."""

    queryset = Training.objects.annotate(participant_count=Count("participants")).order_by("-start_on", "-number")
    serializer_class = s.TrainingSerializer
    write_serializer_class = s.TrainingWriteSerializer
    filterset_class = TrainingFilterSet

    @extend_schema(request=s.TrainingCreateSerializer, responses={201: s.TrainingSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.TrainingCreateSerializer)
        authority = chosen_authority(request.user, data["authority"])
        training = services.training_create(actor=request.user, authority=authority,
                                            **_training_values(request.user, data))
        return self.answer(training, status.HTTP_201_CREATED)

    @extend_schema(request=s.TrainingWriteSerializer, responses={200: s.TrainingSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.TrainingWriteSerializer, responses={200: s.TrainingSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def update_object(self, training, data):
        return services.training_update(actor=self.request.user, training=training,
                                        **_training_values(self.request.user, data))

    def perform_destroy(self, instance):
        services.training_delete(actor=self.request.user, training=instance)

    @extend_schema(request={"multipart/form-data": s.ParticipantImportSerializer},
                   responses={200: s.ParticipantImportResultSerializer})
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser],
            filter_backends=[])
    def import_participants(self, request, pk=None):
        """Add the participants listed in an XLSX workbook; each refused row comes back with its line and reason."""
        training = self.get_object()
        data = validated(request, s.ParticipantImportSerializer)
        result = imports.participants_import(actor=request.user, training=training, file=data["file"])
        return Response(s.ParticipantImportResultSerializer({"added": result.added, "rejected": result.rejected}).data)

    @extend_schema(request=None, responses={200: s.ParticipantSerializer(many=True)})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def certificates(self, request, pk=None):
        """Number a certificate for every participant who passed and has none yet (from the course's last day)."""
        issued = services.certificates_issue(actor=request.user, training=self.get_object())
        return Response(s.ParticipantSerializer(issued, many=True).data)

    @extend_schema(parameters=TOTALS_PARAMETERS, responses={200: s.TrainingYearTotalsSerializer(many=True)})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def totals(self, request):
        """People trained (attendances) and agencies reached, by year and level; the last row is all years."""
        scope = scope_for(request.user)
        if not (scope.is_global or scope.supervised_provinces):
            raise PermissionDeniedError(_("The training totals are for the supervisors."))
        province = chosen_province(request.user, request.query_params.get("province"))
        if province is None:
            message = _("Unknown province.")
            raise ApplicationError(message, code="unknown_province", errors={"province": [message]})
        table = selectors.training_totals(province=province)
        return Response(s.TrainingYearTotalsSerializer(table, many=True).data)


# --- Participants -----------------------------------------------------------------------------------------------


class ParticipantFilterSet(IdFilterSet):
    class Meta:
        model = Participant
        fields = ["training", "agency", "attended", "passed"]


def _participant_values(user, data: dict) -> dict:
    values = {name: data[name] for name in ("full_name", "position", "attended", "passed") if name in data}
    if "agency" in data:
        values["agency"] = visible(Agency.objects, user, data["agency"], "agency", _("Unknown agency."))
    return values


@extend_schema(tags=["trainings"])
class ParticipantViewSet(WriteViewSetMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                         mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                         viewsets.GenericViewSet):
    """Participants of the courses: the supervisors see those of their province, an agency's head and ISO coordinator
    their own people. Filters: training, agency, attended, passed. Written by the supervisors of the course's
    province; a participant with a certificate stays (agency, attendance and result kept)."""

    queryset = Participant.objects.select_related("training").order_by("training", "full_name")
    serializer_class = s.ParticipantSerializer
    write_serializer_class = s.ParticipantWriteSerializer
    filterset_class = ParticipantFilterSet

    @extend_schema(request=s.ParticipantCreateSerializer, responses={201: s.ParticipantSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ParticipantCreateSerializer)
        training = visible(Training.objects, request.user, data["training"], "training", _("Unknown course."))
        values = _participant_values(request.user, data)
        participant = services.participant_add(
            actor=request.user, training=training,
            user=agency_person(values["agency"], data["user"], "user"), **values)
        return self.answer(participant, status.HTTP_201_CREATED)

    @extend_schema(request=s.ParticipantWriteSerializer, responses={200: s.ParticipantSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.ParticipantWriteSerializer, responses={200: s.ParticipantSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def update_object(self, participant, data):
        values = _participant_values(self.request.user, data)
        if "user" in data:
            values["user"] = agency_person(values.get("agency", participant.agency), data["user"], "user")
        return services.participant_update(actor=self.request.user, participant=participant, **values)

    def perform_destroy(self, instance):
        services.participant_remove(actor=self.request.user, participant=instance)


# --- Consultants ------------------------------------------------------------------------------------------------


class ConsultantFilterSet(IdFilterSet):
    class Meta:
        model = Consultant
        fields = ["agency", "is_active"]


@extend_schema(tags=["trainings"])
class ConsultantViewSet(WriteViewSetMixin, RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Consulting organisations registered by the supervising authorities, with their licence (and its state on the
    day of the request). Filters: agency (the authority), is_active."""

    queryset = Consultant.objects.order_by("name")
    serializer_class = s.ConsultantSerializer
    write_serializer_class = s.ConsultantWriteSerializer
    filterset_class = ConsultantFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(request=s.ConsultantCreateSerializer, responses={201: s.ConsultantSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.ConsultantCreateSerializer))
        authority = chosen_authority(request.user, data.pop("authority"))
        consultant = consultant_services.consultant_create(actor=request.user, authority=authority, **data)
        return self.answer(consultant, status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsultantWriteSerializer, responses={200: s.ConsultantSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.ConsultantWriteSerializer, responses={200: s.ConsultantSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def update_object(self, consultant, data):
        return consultant_services.consultant_update(actor=self.request.user, consultant=consultant, **data)


class EngagementFilterSet(IdFilterSet):
    class Meta:
        model = ConsultantEngagement
        fields = ["consultant", "agency"]


@extend_schema(tags=["trainings"])
class ConsultantEngagementViewSet(WriteViewSetMixin, RestrictedViewSetMixin, mixins.CreateModelMixin,
                                  mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                                  mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The agencies each consultant serves, from/to: the supervisors see those of their province, an agency's head
    and ISO coordinator the consultants engaged with it. Filters: consultant, agency. Written by the supervisors."""

    queryset = ConsultantEngagement.objects.select_related("consultant").order_by("-started_on")
    serializer_class = s.ConsultantEngagementSerializer
    write_serializer_class = s.ConsultantEngagementWriteSerializer
    filterset_class = EngagementFilterSet

    @extend_schema(request=s.ConsultantEngagementCreateSerializer, responses={201: s.ConsultantEngagementSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ConsultantEngagementCreateSerializer)
        consultant = visible(Consultant.objects, request.user, data["consultant"], "consultant",
                             _("Unknown consultant."))
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        engagement = consultant_services.engagement_add(
            actor=request.user, consultant=consultant, agency=agency, started_on=data["started_on"],
            ended_on=data["ended_on"], scope_note=data["scope_note"])
        return self.answer(engagement, status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsultantEngagementWriteSerializer, responses={200: s.ConsultantEngagementSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=s.ConsultantEngagementWriteSerializer, responses={200: s.ConsultantEngagementSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def update_object(self, engagement, data):
        return consultant_services.engagement_update(actor=self.request.user, engagement=engagement, **data)

    def perform_destroy(self, instance):
        consultant_services.engagement_delete(actor=self.request.user, engagement=instance)


class IssueFilterSet(IdFilterSet):
    class Meta:
        model = ConsultantIssue
        fields = ["consultant", "agency", "status"]


@extend_schema(tags=["trainings"])
class ConsultantIssueViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issues with consultants' work, reported by the supervisors or by the head or ISO coordinator of the agency
    served. Filters: consultant, agency, status. POST resolve records how an open issue was resolved."""

    queryset = ConsultantIssue.objects.order_by("-reported_on", "-created_at")
    serializer_class = s.ConsultantIssueSerializer
    filterset_class = IssueFilterSet

    @extend_schema(request=s.ConsultantIssueCreateSerializer, responses={201: s.ConsultantIssueSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ConsultantIssueCreateSerializer)
        engagement = visible(ConsultantEngagement.objects, request.user, data["engagement"], "engagement",
                             _("Unknown engagement."))
        issue = consultant_services.issue_report(actor=request.user, engagement=engagement,
                                                 description=data["description"], reported_on=data["reported_on"])
        return Response(s.ConsultantIssueSerializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsultantIssueResolveSerializer, responses={200: s.ConsultantIssueSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def resolve(self, request, pk=None):
        data = validated(request, s.ConsultantIssueResolveSerializer)
        issue = consultant_services.issue_resolve(actor=request.user, issue=self.get_object(),
                                                  resolution=data["resolution"], resolved_on=data["resolved_on"])
        return Response(s.ConsultantIssueSerializer(issue).data)
