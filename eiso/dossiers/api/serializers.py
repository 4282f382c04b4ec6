"""Serializers of the dossiers API: the dossier (list row, detail with its control slip, clock stops and trail),
the public view of the lookup, and the inputs of receipt, transitions, rating and import.

Choice fields are `EnumField`s: each choice set is one named enum of the schema (DossierStatusEnum...), whatever
other apps call their fields ("status", "kind", "source" are used with other choice sets elsewhere)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eiso.catalog.choices import Channel
from eiso.dossiers.choices import (
    CANCELLED,
    ApplicantKind,
    DossierStatus,
    Outcome,
    PauseKind,
    ReturnMethod,
    Satisfaction,
    Source,
)
from eiso.dossiers.models import Dossier, DossierEvent, DossierPause, DossierStep
from eiso.dossiers.selectors import at_risk_until, dossier_flag, event_label, public_history

DECISIONS = [("accept", _("accept: give a code and a due date")),
             ("supplement", _("incomplete: ask for a supplement")),
             ("reject", _("not acceptable: refuse at receipt"))]
ENDINGS = [(status.value, status.label) for status in (DossierStatus.REFUSED, *CANCELLED)]
IMPORT_FORMATS = [("csv", "CSV"), ("json", "JSON")]


class EnumField(serializers.ChoiceField):
    """A choice field documented as the enum component `enum_name` (the same name wherever it is used)."""

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        values = [value for value in field.choices if value != ""]
        schema = {"type": "integer" if all(isinstance(v, int) for v in values) else "string", "enum": values,
                  "description": "\n".join(f"* `{value}` - {field.choices[value]}" for value in values)}
        component = ResolvedComponent(name=field.enum_name, type=ResolvedComponent.SCHEMA, schema=schema,
                                      object=field.enum_name)
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref


def _status():
    return EnumField(choices=DossierStatus.choices, enum_name="DossierStatusEnum", read_only=True)


def _outcome():
    return EnumField(choices=Outcome.choices, enum_name="DossierOutcomeEnum", read_only=True, allow_blank=True)


# --- Reading ----------------------------------------------------------------------------------------------------


class DossierComponentSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    kind = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 help_text="Original, copy, certified copy... (free text).")
    quantity = serializers.IntegerField(min_value=0, required=False, default=1)
    submitted = serializers.BooleanField(required=False, default=True)


@extend_schema_field(DossierComponentSerializer(many=True))
class ComponentsField(serializers.JSONField):
    pass


class DossierStepSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")
    assignee_name = serializers.StringRelatedField(source="assignee", read_only=True)
    finished_by_name = serializers.StringRelatedField(source="finished_by", read_only=True)
    result = _outcome()
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = DossierStep
        fields = ["id", "order", "action", "responsible", "unit", "unit_name", "hours", "assignee", "assignee_name",
                  "started_at", "due_at", "finished_at", "finished_by", "finished_by_name", "result", "note",
                  "is_current"]
        read_only_fields = fields


class DossierPauseSerializer(serializers.ModelSerializer):
    """A clock stop; as the body of `pause`, only kind and reason."""

    kind = EnumField(choices=PauseKind.choices, enum_name="DossierPauseKindEnum")
    reason = serializers.CharField(allow_blank=True, help_text="What the applicant must supplement or pay.")

    class Meta:
        model = DossierPause
        fields = ["id", "kind", "reason", "started_at", "ended_at"]
        read_only_fields = ["id", "started_at", "ended_at"]


class DossierEventSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    actor_name = serializers.StringRelatedField(source="actor", read_only=True)

    class Meta:
        model = DossierEvent
        fields = ["id", "action", "label", "from_status", "to_status", "actor", "actor_name", "at", "comment",
                  "public"]
        read_only_fields = fields

    def get_label(self, obj) -> str:
        return event_label(obj.action)


class DossierListSerializer(serializers.ModelSerializer):
    """A row of the list (no personal data beyond the applicant's name)."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True, default="")
    source = EnumField(choices=Source.choices, enum_name="DossierSourceEnum", read_only=True)
    status = _status()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    channel = EnumField(choices=Channel.choices, enum_name="DossierChannelEnum", read_only=True)
    applicant_kind = EnumField(choices=ApplicantKind.choices, enum_name="ApplicantKindEnum", read_only=True)
    outcome = _outcome()
    flag = serializers.SerializerMethodField(help_text="overdue, at_risk (due within DOSSIER_AT_RISK_HOURS working "
                                                       "hours) or empty.")

    class Meta:
        model = Dossier
        fields = ["id", "agency", "agency_name", "code", "procedure", "procedure_code", "case", "case_code", "source",
                  "status", "status_label", "channel", "applicant_kind", "applicant_name", "submitted_at",
                  "received_at", "due_at", "appointment_at", "finished_at", "outcome", "returned_at", "flag"]
        read_only_fields = fields

    def get_flag(self, obj) -> str:
        if not obj.is_open or obj.due_at is None:
            return ""
        context = self.context
        now = context.setdefault("now", timezone.now())
        if obj.due_at < now:
            return "overdue"
        limits = context.setdefault("risk_limits", {})
        if obj.agency_id not in limits:
            limits[obj.agency_id] = at_risk_until(agency_id=obj.agency_id, now=now)
        return dossier_flag(obj, now=now, risk_limit=limits[obj.agency_id])


class DossierSerializer(DossierListSerializer):
    """The whole dossier: the applicant, the deadline, the result, the control slip (steps), the clock stops
    (pauses) and the trail (events)."""

    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    components = ComponentsField(read_only=True)
    return_method = EnumField(choices=ReturnMethod.choices, enum_name="DossierReturnMethodEnum", read_only=True,
                              allow_blank=True)
    rating = EnumField(choices=Satisfaction.choices, enum_name="DossierRatingEnum", read_only=True, allow_null=True)
    steps = DossierStepSerializer(many=True, read_only=True)
    pauses = DossierPauseSerializer(many=True, read_only=True)
    events = DossierEventSerializer(many=True, read_only=True)

    class Meta(DossierListSerializer.Meta):
        fields = [*DossierListSerializer.Meta.fields, "procedure_name", "process", "applicant_id_number",
                  "applicant_phone", "applicant_email", "applicant_address", "components", "received_by",
                  "counted_from", "duration", "duration_unit", "notified_at", "return_method", "reason",
                  "apology_at", "apology_reason", "rating", "rating_comment", "rated_at", "steps", "pauses",
                  "events", "created_at", "updated_at"]
        read_only_fields = fields


class DossierHistoryLineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    label = serializers.CharField()
    comment = serializers.CharField()


class PublicDossierSerializer(serializers.ModelSerializer):
    """What the public lookup shows: no personal data of the applicant, no officer's name."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", read_only=True)
    status = _status()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = _outcome()
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    history = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = ["code", "agency_name", "procedure_code", "procedure_name", "status", "status_label", "received_at",
                  "appointment_at", "finished_at", "returned_at", "outcome", "outcome_label", "history", "can_rate"]
        read_only_fields = fields

    @extend_schema_field(DossierHistoryLineSerializer(many=True))
    def get_history(self, obj):
        return DossierHistoryLineSerializer(public_history(obj), many=True).data

    def get_can_rate(self, obj) -> bool:
        return obj.status == DossierStatus.RETURNED and obj.rating is None


# --- Inputs -----------------------------------------------------------------------------------------------------


class DossierApplicantSerializer(serializers.Serializer):
    kind = EnumField(choices=ApplicantKind.choices, enum_name="ApplicantKindEnum", default=ApplicantKind.PERSON)
    name = serializers.CharField(max_length=300)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                      help_text="ID (CCCD) or tax number.")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                  help_text="Its last 4 digits (else the ID number's) open the public lookup.")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DossierCreateSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    case = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="The procedure case's code, e.g. 1.000001.01 (gives the statutory time).")
    procedure = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="The procedure's code, e.g. 1.000001 (when no case is given).")
    applicant = DossierApplicantSerializer()
    channel = EnumField(choices=Channel.choices, enum_name="DossierChannelEnum", default=Channel.DIRECT)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                            help_text="ISO 8601; now when not given.")
    components = DossierComponentSerializer(many=True, required=False, default=list)
    decision = EnumField(choices=DECISIONS, enum_name="DossierDecisionEnum", default="accept")
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="What is missing (supplement) or why it is refused (reject).")

    def validate(self, attrs):
        if not attrs["case"].strip() and not attrs["procedure"].strip():
            message = _("Give the procedure case's code (case) or the procedure's code (procedure).")
            raise serializers.ValidationError({"case": [message], "procedure": [message]})
        return attrs


class DossierHandOverSerializer(serializers.Serializer):
    step = serializers.UUIDField(required=False, allow_null=True, default=None,
                                 help_text="The step handed over (default: the current one).")
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None,
                                        help_text="The user who receives the next step.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DossierResumeSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text="When the applicant supplemented or paid (default: now).")


class DossierConsultSerializer(serializers.Serializer):
    unit_name = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DossierApologiseSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    new_appointment = serializers.DateTimeField()


class DossierNotifySerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DossierReturnSerializer(serializers.Serializer):
    method = EnumField(choices=ReturnMethod.choices, enum_name="DossierReturnMethodEnum")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None, help_text="Default: now.")


class DossierEndSerializer(serializers.Serializer):
    status = EnumField(choices=ENDINGS, enum_name="DossierEndingEnum")
    reason = serializers.CharField(allow_blank=True, help_text="Sent to the applicant.")


class DossierLookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="The dossier's code, on the receipt.")
    digits = serializers.CharField(max_length=30, help_text="The last 4 digits of the phone number given at the "
                                                            "desk (else of the ID or tax number).")


class DossierRateSerializer(DossierLookupSerializer):
    rating = EnumField(choices=Satisfaction.choices, enum_name="DossierRatingEnum")
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DossierImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV or JSON export of the one-stop system (docs/dossier-import.md).")
    agency = serializers.UUIDField()
    format = EnumField(choices=IMPORT_FORMATS, enum_name="DossierImportFormatEnum", required=False,
                       help_text="Default: from the file name's extension.")


class DossierImportRejectionSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    code = serializers.CharField()
    reason = serializers.CharField()


class DossierImportReportSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = DossierImportRejectionSerializer(many=True)
