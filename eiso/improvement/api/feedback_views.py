"""API of citizens' feedback and satisfaction surveys (the agency's side; citizens use the public pages, whose
check question the API has no equivalent of). Reads are scoped by restrict() (another agency's: 404); every
write is one service call. Related ids in the body are looked up among what the user may see: an unseen one
answers like an unknown one (400)."""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.accounts.models import User
from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.improvement import feedback_services, surveys
from eiso.improvement.api import feedback_serializers as s
from eiso.improvement.choices import FEEDBACK_PENDING
from eiso.improvement.models import Feedback, SatisfactionSurvey, SurveyQuestion
from eiso.organizations.models import Agency


class FeedbackFilterSet(IdFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Feedback
        fields = ["agency", "status", "kind", "channel", "year", "handler", "procedure"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=FEEDBACK_PENDING, due_on__lt=today())
        return queryset.filter(late) if value else queryset.exclude(late)


@extend_schema(tags=["improvement"])
class FeedbackViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Citizens' feedback and petitions. Filters: agency, status, kind, channel, year, handler, procedure, overdue
    (still unanswered after the due date). Staff record feedback received at the desk, by phone or by e-mail;
    the head or the coordinator assigns it, the handler responds, the head or the coordinator closes (or
    rejects) it and may raise a nonconformity from it."""

    queryset = Feedback.objects.select_related("nonconformity")
    serializer_class = s.FeedbackSerializer
    filterset_class = FeedbackFilterSet

    def _answer(self, feedback, status_code=status.HTTP_200_OK):
        fresh = Feedback.objects.select_related("nonconformity").get(pk=feedback.pk)
        return Response(s.FeedbackSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=s.FeedbackCreateSerializer, responses={201: s.FeedbackSerializer})
    def create(self, request, *args, **kwargs):
        """Record a feedback received at the desk, by phone or by e-mail; it gets its tracking code and due date."""
        from eiso.catalog.models import Procedure

        data = validated(request, s.FeedbackCreateSerializer)
        agency = visible(Agency.objects, request.user, data["agency"], "agency", _("Unknown agency."))
        procedure = None
        if data["procedure"] is not None:
            procedure = Procedure.objects.filter(pk=data["procedure"]).first()
            if procedure is None:
                message = _("Choose one of the agency's procedures.")
                raise ApplicationError(message, code="unknown_procedure", errors={"procedure": [message]})
        feedback = feedback_services.feedback_receive(
            actor=request.user, agency=agency, channel=data["channel"], kind=data["kind"], procedure=procedure,
            content=data["content"], submitter_name=data["submitter_name"], phone=data["phone"],
            email=data["email"])
        return self._answer(feedback, status.HTTP_201_CREATED)

    @extend_schema(request=s.FeedbackAssignSerializer, responses={200: s.FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the feedback to a handler (the agency's head, coordinator or staff)."""
        data = validated(request, s.FeedbackAssignSerializer)
        feedback = self.get_object()
        handler = User.objects.filter(pk=data["handler"]).first()
        return self._answer(feedback_services.feedback_assign(actor=request.user, feedback=feedback,
                                                              handler=handler))

    @extend_schema(request=s.FeedbackRespondSerializer, responses={200: s.FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Record the response (the handler, the head or the coordinator)."""
        data = validated(request, s.FeedbackRespondSerializer)
        return self._answer(feedback_services.feedback_respond(actor=request.user, feedback=self.get_object(),
                                                               response=data["response"]))

    @extend_schema(request=None, responses={200: s.FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an answered feedback."""
        return self._answer(feedback_services.feedback_close(actor=request.user, feedback=self.get_object()))

    @extend_schema(request=s.FeedbackRejectSerializer, responses={200: s.FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a feedback outside the agency's scope, with the reason."""
        data = validated(request, s.FeedbackRejectSerializer)
        return self._answer(feedback_services.feedback_reject(actor=request.user, feedback=self.get_object(),
                                                              reason=data["reason"]))

    @extend_schema(request=s.FeedbackNonconformitySerializer, responses={201: s.FeedbackSerializer})
    @action(detail=True, methods=["post"])
    def nonconformity(self, request, pk=None):
        """Raise a nonconformity (source: citizen feedback) from the feedback and link it."""
        data = validated(request, s.FeedbackNonconformitySerializer)
        feedback = self.get_object()
        feedback_services.feedback_raise_nonconformity(actor=request.user, feedback=feedback,
                                                       description=data["description"], grade=data["grade"])
        return self._answer(feedback, status.HTTP_201_CREATED)


class SurveyFilterSet(IdFilterSet):
    class Meta:
        model = SatisfactionSurvey
        fields = ["agency", "status"]


@extend_schema(tags=["improvement"])
class SatisfactionSurveyViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                                mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Satisfaction surveys with their questions. Managed by the head and the coordinator: created as drafts,
    questions set (survey-questions), opened (transition `open`), closed (`close`). Results: answers per
    question and the share of satisfied responses (average rating ≥ 4 of 5)."""

    queryset = SatisfactionSurvey.objects.prefetch_related("questions").annotate(
        response_count=Count("responses", distinct=True)).order_by(*SatisfactionSurvey._meta.ordering)
    serializer_class = s.SatisfactionSurveySerializer
    filterset_class = SurveyFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _answer(self, survey, status_code=status.HTTP_200_OK):
        fresh = SatisfactionSurvey.objects.prefetch_related("questions").get(pk=survey.pk)
        return Response(s.SatisfactionSurveySerializer(fresh).data, status=status_code)

    @extend_schema(request=s.SurveyCreateSerializer, responses={201: s.SatisfactionSurveySerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.SurveyCreateSerializer)
        agency = visible(Agency.objects, request.user, data.pop("agency"), "agency", _("Unknown agency."))
        return self._answer(surveys.survey_create(actor=request.user, agency=agency, **data), status.HTTP_201_CREATED)

    @extend_schema(request=s.SurveyInputSerializer, responses={200: s.SatisfactionSurveySerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change the title, introduction or period of a survey that is not closed."""
        survey = self.get_object()
        current = {"title": survey.title, "description": survey.description, "starts_on": survey.starts_on,
                   "ends_on": survey.ends_on}
        data = s.SurveyInputSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        return self._answer(surveys.survey_update(actor=request.user, survey=survey, **data.validated_data))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=s.SurveyTransitionSerializer, responses={200: s.SatisfactionSurveySerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Open a draft (it needs a question) or close an open survey."""
        data = validated(request, s.SurveyTransitionSerializer)
        return self._answer(surveys.survey_transition(actor=request.user, survey=self.get_object(),
                                                      action=data["action"]))

    @extend_schema(request=None, responses={200: s.SurveyResultsSerializer})
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(s.SurveyResultsSerializer(surveys.survey_results(self.get_object())).data)


class SurveyQuestionFilterSet(IdFilterSet):
    class Meta:
        model = SurveyQuestion
        fields = ["agency", "survey", "kind"]


@extend_schema(tags=["improvement"])
class SurveyQuestionViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                            mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                            viewsets.GenericViewSet):
    """Questions of the satisfaction surveys: added, changed and deleted while their survey is a draft."""

    queryset = SurveyQuestion.objects.select_related("survey")
    serializer_class = s.SurveyQuestionSerializer
    filterset_class = SurveyQuestionFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=s.SurveyQuestionCreateSerializer, responses={201: s.SurveyQuestionSerializer})
    def create(self, request, *args, **kwargs):
        data = validated(request, s.SurveyQuestionCreateSerializer)
        survey = visible(SatisfactionSurvey.objects, request.user, data.pop("survey"), "survey",
                          _("Unknown survey."))
        question = surveys.survey_question_add(actor=request.user, survey=survey, **data)
        return Response(s.SurveyQuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SurveyQuestionUpdateSerializer, responses={200: s.SurveyQuestionSerializer})
    def partial_update(self, request, *args, **kwargs):
        question = self.get_object()
        data = validated(request, s.SurveyQuestionUpdateSerializer)
        values = {"text": question.text, "kind": question.kind, "order": question.order,
                  "is_required": question.is_required, **data}
        question = surveys.survey_question_update(actor=request.user, question=question, **values)
        return Response(s.SurveyQuestionSerializer(question).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        surveys.survey_question_delete(actor=request.user, question=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
