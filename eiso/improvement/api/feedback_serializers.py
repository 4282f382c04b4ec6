from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.improvement.choices import (
    STAFF_CHANNELS,
    FeedbackChannel,
    FeedbackKind,
    FeedbackStatus,
    NonconformityGrade,
    QuestionKind,
    SurveyStatus,
)
from eiso.improvement.models import Feedback, SatisfactionSurvey, SurveyQuestion

CONTACT_FIELDS = ("phone", "email")


@extend_schema_field(OpenApiTypes.STR)
class CodeField(serializers.ChoiceField):
    """A choice given by its code, documented as a string whose values the help text lists (an enum named after
    the field would collide with the other apps' "kind" and "status" enums in the schema)."""

    def __init__(self, choices, **kwargs):
        kwargs.setdefault("help_text", "; ".join(f"{value}: {label}" for value, label in choices))
        super().__init__(choices=choices, **kwargs)


class FeedbackListSerializer(serializers.ListSerializer):
    """A page of feedback: who may see each one's contact is decided for the whole page in two queries."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        if request is not None and request.user is not None:
            self.child.contact_ids = contact_visible_ids(request.user, items)
        return super().to_representation(items)


def contact_visible_ids(user, feedbacks) -> set:
    """The ids among `feedbacks` whose contact `user` sees (eiso.improvement.feedback_services.can_see_contact for
    each): those the user manages, and those assigned to the user that the user still sees."""
    pks = [f.pk for f in feedbacks]
    managed = set(Feedback.objects.restrict(user, "change").filter(pk__in=pks).values_list("pk", flat=True))
    handled = set(Feedback.objects.restrict(user, "view").filter(pk__in=pks, handler_id=user.pk)
                  .values_list("pk", flat=True))
    return managed | handled


class FeedbackSerializer(serializers.ModelSerializer):
    """A feedback as the agency sees it. The submitter's phone and e-mail are given only to those who handle it
    (its handler, the head, the coordinator): null for the other readers."""

    kind = CodeField(FeedbackKind.choices, read_only=True)
    status = CodeField(FeedbackStatus.choices, read_only=True)
    is_overdue = serializers.SerializerMethodField()
    nonconformity_number = serializers.CharField(source="nonconformity.number", read_only=True, default=None)

    class Meta:
        model = Feedback
        fields = ["id", "agency", "number", "year", "kind", "procedure", "content", "submitter_name", "phone",
                  "email", "channel", "received_at", "recorded_by", "due_on", "is_overdue", "status", "handler",
                  "assigned_at", "response", "answered_by", "answered_at", "rejection_reason", "closed_at",
                  "nonconformity", "nonconformity_number", "created_at", "updated_at"]
        read_only_fields = fields  # written through the input serializers and the services
        extra_kwargs = {"phone": {"allow_null": True}, "email": {"allow_null": True}}
        list_serializer_class = FeedbackListSerializer

    def get_is_overdue(self, obj) -> bool:
        from eiso.core.permissions import today

        return obj.is_overdue_on(today())

    def to_representation(self, instance):
        from eiso.improvement.feedback_services import can_see_contact

        data = super().to_representation(instance)
        request = self.context.get("request")
        page_ids = getattr(self, "contact_ids", None)  # decided for a whole list (FeedbackListSerializer)
        if page_ids is not None:
            sees = instance.pk in page_ids
        else:
            sees = request is not None and can_see_contact(request.user, instance)
        if not sees:
            for name in CONTACT_FIELDS:
                data[name] = None
        return data


class FeedbackCreateSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    channel = serializers.ChoiceField(choices=[c for c in FeedbackChannel.choices if c[0] in STAFF_CHANNELS])
    kind = CodeField(FeedbackKind.choices, default=FeedbackKind.FEEDBACK)
    procedure = serializers.IntegerField(required=False, allow_null=True, default=None)
    content = serializers.CharField()
    submitter_name = serializers.CharField(max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class FeedbackAssignSerializer(serializers.Serializer):
    handler = serializers.IntegerField()


class FeedbackRespondSerializer(serializers.Serializer):
    response = serializers.CharField()


class FeedbackRejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class FeedbackNonconformitySerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    grade = serializers.ChoiceField(choices=NonconformityGrade.choices, required=False, allow_blank=True, default="")


class SurveyQuestionSerializer(serializers.ModelSerializer):
    kind = CodeField(QuestionKind.choices, read_only=True)

    class Meta:
        model = SurveyQuestion
        fields = ["id", "agency", "survey", "text", "kind", "order", "is_required", "created_at", "updated_at"]
        read_only_fields = fields


class ResponseCountField(serializers.IntegerField):
    """The number of responses: annotated on a list's rows (`response_count`), counted for a single survey."""

    def get_attribute(self, instance):
        count = getattr(instance, "response_count", None)
        return instance.responses.count() if count is None else count


class SatisfactionSurveySerializer(serializers.ModelSerializer):
    status = CodeField(SurveyStatus.choices, read_only=True)
    questions = SurveyQuestionSerializer(many=True, read_only=True)
    responses = ResponseCountField(read_only=True)

    class Meta:
        model = SatisfactionSurvey
        fields = ["id", "agency", "title", "description", "starts_on", "ends_on", "status", "opened_at", "closed_at",
                  "questions", "responses", "created_at", "updated_at"]
        read_only_fields = fields


class SurveyInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class SurveyCreateSerializer(SurveyInputSerializer):
    agency = serializers.UUIDField()


class SurveyTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("open", "open"), ("close", "close")])


class SurveyQuestionCreateSerializer(serializers.Serializer):
    survey = serializers.UUIDField()
    text = serializers.CharField(max_length=500)
    kind = CodeField(QuestionKind.choices, default=QuestionKind.RATING)
    order = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    is_required = serializers.BooleanField(required=False, default=True)


class SurveyQuestionUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500, required=False)
    kind = CodeField(QuestionKind.choices, required=False)
    order = serializers.IntegerField(required=False, min_value=0)
    is_required = serializers.BooleanField(required=False)


class QuestionResultSerializer(serializers.Serializer):
    question = serializers.UUIDField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=3, decimal_places=2, allow_null=True)
    distribution = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    yes = serializers.IntegerField()
    yes_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    texts = serializers.ListField(child=serializers.CharField())


class SurveyResultsSerializer(serializers.Serializer):
    responses = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    satisfied_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    questions = QuestionResultSerializer(many=True)
