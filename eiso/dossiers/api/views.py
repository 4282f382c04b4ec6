"""Dossiers API: the agency's dossiers (list with filters, detail with the control slip, receipt, every transition
of processing), the public lookup and rating (no login, limited per client address), and the import of files
exported by the provincial one-stop system. Every write is a call to eiso.dossiers.services (or the importer),
which checks the right to handle the agency's dossiers; reads are restricted to what the user may view."""

import django_filters
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from eiso.catalog.choices import Channel
from eiso.catalog.models import Procedure, ProcedureCase, current_first
from eiso.core.api.filters import IdFilterSet
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.core.throttle import allow, client_ip
from eiso.dossiers import selectors, services
from eiso.dossiers.api import serializers as s
from eiso.dossiers.choices import DossierStatus, Source
from eiso.dossiers.importer import dossiers_import, read_csv, read_json
from eiso.dossiers.models import Dossier, DossierEvent, DossierStep
from eiso.organizations.models import Agency


class TooManyRequestsError(ApplicationError):
    code = "throttled"
    status_code = 429


class DossierFilterSet(IdFilterSet):
    agency = django_filters.UUIDFilter()
    procedure = django_filters.NumberFilter()
    status = django_filters.ChoiceFilter(choices=DossierStatus.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte",
                                                      help_text="Received at or after this moment (ISO 8601).")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt",
                                                       help_text="Received before this moment (ISO 8601).")
    flag = django_filters.ChoiceFilter(choices=[("overdue", gettext_lazy("overdue")),
                                                ("at_risk", gettext_lazy("at risk"))], method="filter_flag")
    q = django_filters.CharFilter(method="filter_q", help_text="Accent-insensitive search in the code, the "
                                                                "applicant's name, ID number and phone.")

    class Meta:
        model = Dossier
        fields = ["agency", "procedure", "status", "channel", "source"]

    def filter_flag(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(selectors.overdue_q())
        agencies = queryset.filter(status=DossierStatus.IN_PROGRESS).values_list("agency_id", flat=True).distinct()
        condition = Q(pk__in=[])
        for agency_id in agencies.order_by():
            condition |= Q(agency_id=agency_id) & selectors.at_risk_q(agency_id=agency_id)
        return queryset.filter(condition)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


def _procedure_and_case(*, case_code: str, procedure_code: str):
    """The catalogue's procedure and case for the codes given; 400 naming the field when unknown."""
    if case_code:
        cases = ProcedureCase.objects.filter(code=case_code).select_related("procedure")
        if procedure_code:
            cases = cases.filter(procedure__code=procedure_code)
        case = cases.order_by(*current_first("procedure__")).first()
        if case is None:
            message = _("Unknown procedure case %(code)s: it is not in the catalogue.") % {"code": case_code}
            raise ApplicationError(message, code="unknown_case", errors={"case": [message]})
        return case.procedure, case
    procedure = Procedure.objects.by_code(procedure_code).first()
    if procedure is None:
        message = _("Unknown procedure code %(code)s: it is not in the catalogue.") % {"code": procedure_code}
        raise ApplicationError(message, code="unknown_procedure", errors={"procedure": [message]})
    return procedure, None


def _visible_agency(user, agency_id):
    """The agency if the user may see it; otherwise the same answer as for an id that does not exist."""
    agency = Agency.objects.restrict(user, "view").filter(pk=agency_id).first()
    if agency is None:
        raise ApplicationError(_("Unknown agency."), code="unknown_agency", errors={"agency": [_("Unknown agency.")]})
    return agency


_TOO_MANY = OpenApiResponse(description="Too many lookups and ratings from this address in a minute: wait and retry.")


def _throttle(request) -> None:
    if not allow(f"dossier-lookup:{client_ip(request)}", limit=settings.EISO["DOSSIER_LOOKUP_PER_MINUTE"]):
        raise TooManyRequestsError(_("Too many lookups from your address. Wait a minute and try again."))


def _looked_up(code: str, digits: str) -> Dossier:
    dossier = selectors.dossier_lookup(code=code, digits=digits)
    if dossier is None:
        raise exceptions.NotFound(_("No dossier has this code with these digits. Check the code on your receipt "
                                    "and the last 4 digits of the phone number (or ID number) you gave."))
    return dossier


def _step(dossier: Dossier, step_id) -> DossierStep:
    """The step to hand over: the one named, or the current one (else the last, which the service refuses with
    the dossier's status)."""
    steps = dossier.steps.all()
    if step_id is not None:
        step = steps.filter(pk=step_id).first()
        if step is None:
            message = _("This is not a step of this dossier.")
            raise ApplicationError(message, code="invalid", errors={"step": [message]})
    else:
        step = steps.filter(started_at__isnull=False, finished_at__isnull=True).first() or steps.order_by(
            "-order").first()
        if step is None:
            raise ApplicationError(_("This dossier has no step to hand over."), code="no_step")
    step.dossier = dossier
    return step


def _assignee(dossier: Dossier, user_id):
    if user_id is None:
        return None
    user = services.dossier_handlers(dossier.agency_id).filter(pk=user_id).first()
    if user is None:
        message = _("Choose one of the agency's one-stop officers, its head or its ISO coordinator.")
        raise ApplicationError(message, code="invalid", errors={"assignee": [message]})
    return user


def _transition(request_serializer, summary: str, **kwargs):
    return extend_schema(request=request_serializer, responses={200: s.DossierSerializer}, summary=summary, **kwargs)


@extend_schema(tags=["dossiers"])
class DossierViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):
    """Dossiers (hồ sơ TTHC) of the agencies the user may see. Filters: agency, procedure (id), status, channel,
    source, received_after, received_before, flag (overdue | at_risk), q (code, applicant's
    name, ID number, phone; accents optional)."""

    queryset = Dossier.objects.select_related("agency", "procedure", "case")
    serializer_class = s.DossierSerializer
    filterset_class = DossierFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        return self._detailed(queryset) if self.action == "retrieve" else queryset

    @staticmethod
    def _detailed(queryset):
        return queryset.prefetch_related(
            Prefetch("steps", DossierStep.objects.select_related("unit", "assignee", "finished_by")
                     .order_by("order")),
            "pauses",
            Prefetch("events", DossierEvent.objects.select_related("actor").order_by("at", "created_at")),
        )

    def get_serializer_class(self):
        return s.DossierListSerializer if self.action == "list" else s.DossierSerializer

    def _answer(self, dossier: Dossier, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self._detailed(Dossier.objects.select_related("agency", "procedure", "case")).get(pk=dossier.pk)
        return Response(s.DossierSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def _input(self, serializer_class) -> dict:
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    # --- Receipt ------------------------------------------------------------------------------------------------

    @extend_schema(request=s.DossierCreateSerializer, responses={201: s.DossierSerializer},
                   summary="Receive a dossier at the desk")
    def create(self, request, *args, **kwargs):
        """Record a dossier handed in: `accept` gives it a code, the time counted from (the next working day after
        the receipt cut-off) and the due moment, and starts its first step; `supplement` and `reject` record it
        without code, with the reason. Give the procedure case's code (its statutory time) or the procedure's."""
        data = self._input(s.DossierCreateSerializer)
        agency = _visible_agency(request.user, data["agency"])
        procedure, case = _procedure_and_case(case_code=data["case"].strip(), procedure_code=data["procedure"].strip())
        try:
            dossier = services.dossier_receive(
                actor=request.user, agency=agency, procedure=procedure, case=case, applicant=data["applicant"],
                channel=data["channel"], components=[dict(c) for c in data["components"]],
                submitted_at=data["received_at"], decision=data["decision"], reason=data["reason"])
        except ApplicationError as exc:  # the service's submitted_at is this API's received_at
            if "submitted_at" in exc.errors:
                exc.errors["received_at"] = exc.errors.pop("submitted_at")
            raise
        return self._answer(dossier, status.HTTP_201_CREATED)

    # --- Processing ---------------------------------------------------------------------------------------------

    @_transition(s.DossierHandOverSerializer, "Hand the current step over")
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over")
    def hand_over(self, request, pk=None):
        """Finish the step (classified against its due moment) and start the next one with `assignee`; after the
        last step the result is ready. 409 when someone else has just handed the step over."""
        dossier = self.get_object()
        data = self._input(s.DossierHandOverSerializer)
        step = _step(dossier, data["step"])
        services.dossier_step_complete(actor=request.user, step=step, assignee=_assignee(dossier, data["assignee"]),
                                       note=data["note"])
        return self._answer(dossier)

    @_transition(s.DossierPauseSerializer, "Stop the clock (supplement requested, waiting for fees)")
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        data = self._input(s.DossierPauseSerializer)
        dossier = services.dossier_pause(actor=request.user, dossier=self.get_object(), kind=data["kind"],
                                         reason=data["reason"])
        return self._answer(dossier)

    @_transition(s.DossierResumeSerializer, "Restart the clock (the applicant supplemented or paid)")
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        data = self._input(s.DossierResumeSerializer)
        dossier = services.dossier_resume(actor=request.user, dossier=self.get_object(), at=data["at"])
        return self._answer(dossier)

    @_transition(s.DossierConsultSerializer, "Record a consultation with another unit")
    @action(detail=True, methods=["post"])
    def consult(self, request, pk=None):
        data = self._input(s.DossierConsultSerializer)
        dossier = services.dossier_consult(actor=request.user, dossier=self.get_object(),
                                           unit_name=data["unit_name"], comment=data["comment"])
        return self._answer(dossier)

    @_transition(s.DossierApologiseSerializer, "Issue the apology letter with a new appointment")
    @action(detail=True, methods=["post"])
    def apologise(self, request, pk=None):
        """Once, no later than one working day before the appointment; the dossier still counts as late."""
        data = self._input(s.DossierApologiseSerializer)
        dossier = services.dossier_apologise(actor=request.user, dossier=self.get_object(), reason=data["reason"],
                                             new_appointment=data["new_appointment"])
        return self._answer(dossier)

    @_transition(s.DossierNotifySerializer, "Record that the applicant was told the result is ready")
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        data = self._input(s.DossierNotifySerializer)
        dossier = services.dossier_notify(actor=request.user, dossier=self.get_object(), comment=data["comment"])
        return self._answer(dossier)

    @_transition(s.DossierReturnSerializer, "Return the result to the applicant")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        data = self._input(s.DossierReturnSerializer)
        dossier = services.dossier_return(actor=request.user, dossier=self.get_object(), method=data["method"],
                                          at=data["at"])
        return self._answer(dossier)

    @_transition(s.DossierEndSerializer, "Refuse after review, stop or record a withdrawal")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = self._input(s.DossierEndSerializer)
        dossier = services.dossier_end(actor=request.user, dossier=self.get_object(), status=data["status"],
                                       reason=data["reason"])
        return self._answer(dossier)

    # --- Public -------------------------------------------------------------------------------------------------

    @extend_schema(summary="Public lookup of a dossier (no login)", auth=[],
                   parameters=[OpenApiParameter("code", str, required=True, description="The dossier's code."),
                               OpenApiParameter("digits", str, required=True,
                                                description="The last 4 digits of the phone number given at the "
                                                            "desk (else of the ID or tax number).")],
                   responses={200: s.PublicDossierSerializer, 429: _TOO_MANY})
    @action(detail=False, methods=["get"], permission_classes=[AllowAny], authentication_classes=[],
            filter_backends=[], pagination_class=None)
    def lookup(self, request):
        """What the applicant may see of their dossier: status, dates, classification and the public history,
        never personal data or officers' names. 404 with one message for a wrong code or wrong digits; 429 after
        EISO_DOSSIER_LOOKUP_PER_MINUTE lookups and ratings from one address in a minute."""
        _throttle(request)
        data = s.DossierLookupSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        dossier = _looked_up(data.validated_data["code"], data.validated_data["digits"])
        return Response(s.PublicDossierSerializer(dossier).data)

    @extend_schema(summary="Rate a returned dossier (no login)", auth=[], request=s.DossierRateSerializer,
                   responses={200: s.PublicDossierSerializer, 429: _TOO_MANY})
    @action(detail=False, methods=["post"], permission_classes=[AllowAny], authentication_classes=[],
            filter_backends=[], pagination_class=None)
    def rate(self, request):
        """The applicant's satisfaction (1 not satisfied, 2 satisfied, 3 very satisfied), once, after the result
        was returned; found by code and digits like the lookup, and limited the same way."""
        _throttle(request)
        data = s.DossierRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        dossier = _looked_up(values["code"], values["digits"])
        dossier = services.dossier_rate(dossier=dossier, rating=values["rating"], comment=values["comment"])
        return Response(s.PublicDossierSerializer(dossier).data)

    # --- Import -------------------------------------------------------------------------------------------------

    @extend_schema(summary="Import dossiers exported by the one-stop system",
                   request={"multipart/form-data": s.DossierImportSerializer},
                   responses={200: s.DossierImportReportSerializer})
    @action(detail=False, methods=["post"], url_path="import", url_name="import",
            parser_classes=[MultiPartParser, FormParser], filter_backends=[], pagination_class=None)
    def import_(self, request):
        """A CSV or JSON file (columns: docs/dossier-import.md) into the agency's dossiers, by the people who handle
        them. The same code updates the same dossier: importing a file again leaves every row unchanged. Bad rows
        are reported with their line and reason and the others imported."""
        data = self._input(s.DossierImportSerializer)
        agency = _visible_agency(request.user, data["agency"])
        upload = data["file"]
        kind = data.get("format") or {"csv": "csv", "json": "json"}.get(upload.name.rsplit(".", 1)[-1].lower())
        if kind is None:
            message = _("Cannot tell the format of %(name)s: give format csv or json.") % {"name": upload.name}
            raise ApplicationError(message, code="invalid_file", errors={"format": [message]})
        reader = read_csv if kind == "csv" else read_json
        upload.seek(0)
        report = dossiers_import(agency=agency, rows=reader(upload.file), actor=request.user, source=upload.name)
        return Response(s.DossierImportReportSerializer({"total": report.total, **report.counts(),
                                                  "rejected": report.rejected}).data)
