"""API of management reviews and their actions. Reads are scoped by restrict() (another agency's: 404); every write
is one service call. Related ids in the body (agency, people, review) are looked up among what the user may see:
an unseen one answers like an unknown one (400)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import agency_person, validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.organizations.models import Agency
from eiso.reviews import services
from eiso.reviews.api import serializers as s
from eiso.reviews.models import ManagementReview, ReviewAction


def _fields(agency, data: dict) -> dict:
    return {"title": data["title"], "year": data["year"], "period_start": data["period_start"],
            "period_end": data["period_end"], "meeting_at": data["meeting_at"], "place": data["place"],
            "chair": agency_person(agency, data["chair"], "chair"),
            "secretary": agency_person(agency, data["secretary"], "secretary"), "attendees": data["attendees"]}


class ReviewFilterSet(IdFilterSet):
    class Meta:
        model = ManagementReview
        fields = ["agency", "year", "status"]


@extend_schema(tags=["reviews"])
class ManagementReviewViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                              mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Management reviews (ISO 9001 clause 9.3). Filters: agency, year, status. Prepare (PUT/PATCH the details),
    POST assemble (the inputs from the data), comment (one input), hold, close (the minutes with the conclusion),
    confirm (the agency head's confirmation of effectiveness)."""

    queryset = ManagementReview.objects.prefetch_related("inputs", "actions")
    serializer_class = s.ManagementReviewSerializer
    filterset_class = ReviewFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _answer(self, review, status_code=status.HTTP_200_OK):
        fresh = ManagementReview.objects.prefetch_related("inputs", "actions").get(pk=review.pk)
        return Response(s.ManagementReviewSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.ReviewCreateSerializer, responses={201: s.ManagementReviewSerializer})
    def create(self, request, *args, **kwargs):
        """Plan a review of `agency` with the next number of its year."""
        data = validated(request, s.ReviewCreateSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        review = services.review_create(actor=request.user, agency=agency, **_fields(agency, data))
        return self._answer(review, status.HTTP_201_CREATED)

    @extend_schema(request=s.ReviewWriteSerializer, responses={200: s.ManagementReviewSerializer})
    def update(self, request, *args, **kwargs):
        """Change the details while the review is being prepared (PATCH: only the fields sent)."""
        review = self.get_object()
        partial = kwargs.get("partial", False)
        data = s.ReviewWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        changes = {}
        for name, value in data.validated_data.items():
            changes[name] = agency_person(review.agency, value, name) if name in ("chair", "secretary") else value
        return self._answer(services.review_update(actor=request.user, review=review, **changes))

    @extend_schema(request=s.ReviewWriteSerializer, responses={200: s.ManagementReviewSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: s.ManagementReviewSerializer})
    @action(detail=True, methods=["post"])
    def assemble(self, request, pk=None):
        """Assemble (or refresh) the inputs from the data of the period; comments are kept."""
        return self._answer(services.review_inputs_assemble(actor=request.user, review=self.get_object()))

    @extend_schema(request=s.CommentSerializer, responses={200: s.ManagementReviewSerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """The coordinator's comment on the input `key`."""
        review = self.get_object()
        data = validated(request, s.CommentSerializer)
        review_input = review.inputs.filter(key=data["key"]).first()
        if review_input is None:
            message = _("Unknown input: assemble the inputs first.")
            raise ApplicationError(message, code="unknown_input", errors={"key": [message]})
        services.review_input_comment(actor=request.user, review_input=review_input, comment=data["comment"])
        return self._answer(review)

    @extend_schema(request=None, responses={200: s.ManagementReviewSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Record the review as held: refused without inputs that say something (400, with what to do)."""
        return self._answer(services.review_hold(actor=request.user, review=self.get_object()))

    @extend_schema(request=s.CloseSerializer, responses={200: s.ManagementReviewSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Issue the minutes with the meeting's conclusion."""
        data = validated(request, s.CloseSerializer)
        return self._answer(services.review_close(actor=request.user, review=self.get_object(),
                                                  conclusion=data["conclusion"]))

    @extend_schema(request=s.ConfirmSerializer, responses={200: s.ManagementReviewSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The agency head confirms the effectiveness of the QMS (once, on a held review)."""
        data = validated(request, s.ConfirmSerializer)
        return self._answer(services.review_effectiveness_confirm(actor=request.user, review=self.get_object(),
                                                                  statement=data["statement"]))


class ReviewActionFilterSet(IdFilterSet):
    class Meta:
        model = ReviewAction
        fields = ["agency", "review", "kind", "status", "owner"]


@extend_schema(tags=["reviews"])
class ReviewActionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Decisions and actions of management reviews. Filters: agency, review, kind, status, owner. Recorded by the
    agency head and the ISO coordinator on a held review; marked done by them or by the action's owner."""

    queryset = ReviewAction.objects.select_related("review")
    serializer_class = s.ReviewActionSerializer
    filterset_class = ReviewActionFilterSet

    @extend_schema(request=s.ReviewActionCreateSerializer, responses={201: s.ReviewActionSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ReviewActionCreateSerializer)
        review = visible(ManagementReview.objects, request.user, data["review"], "review", _("Unknown review."))
        review_action = services.review_action_add(
            actor=request.user, review=review, kind=data["kind"], description=data["description"],
            owner=agency_person(review.agency, data["owner"], "owner"), due_on=data["due_on"])
        return Response(s.ReviewActionSerializer(review_action).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReviewActionDoneSerializer, responses={200: s.ReviewActionSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the action done with its evidence."""
        data = validated(request, s.ReviewActionDoneSerializer)
        review_action = services.review_action_done(actor=request.user, action=self.get_object(),
                                                    evidence=data["evidence"])
        return Response(s.ReviewActionSerializer(review_action).data)
