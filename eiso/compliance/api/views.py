"""API of the compliance calendar. Reads are scoped by restrict() (another agency's item: 404; the supervisor
sees the items of its provinces' agencies); the status is computed on the day of the request. Writes are one
service call each: mark a manual item done, move a due date."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.compliance import selectors, services
from eiso.compliance.api import serializers as s
from eiso.compliance.choices import ItemStatus
from eiso.compliance.models import ComplianceItem
from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.core.permissions import today


class ComplianceItemFilterSet(IdFilterSet):
    class Meta:
        model = ComplianceItem
        fields = ["agency", "year", "obligation"]


STATUS_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=ItemStatus.values,
                     description="done, pending, due_soon or overdue (on the day of the request)"),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="true: overdue items only; false: the others"),
]


@extend_schema(tags=["compliance"])
class ComplianceItemViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            viewsets.GenericViewSet):
    """The obligations of the agencies' opened years (objectives set, internal audit, management review,
    effectiveness confirmation, legal updates, report to the supervising authority) with their status. Filters:
    agency, year, obligation, status, overdue."""

    queryset = ComplianceItem.objects.select_related("agency").order_by("agency__name", "year", "due_on")
    serializer_class = s.ComplianceItemSerializer
    filterset_class = ComplianceItemFilterSet

    def _status_filters(self, request):
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in ItemStatus.values:
            message = _("Choose a status among: %(values)s.") % {"values": ", ".join(ItemStatus.values)}
            raise ApplicationError(message, code="invalid_status", errors={"status": [message]})
        overdue = request.query_params.get("overdue", "").lower()
        if overdue and overdue not in ("true", "false", "1", "0"):
            message = _("overdue is true or false.")
            raise ApplicationError(message, code="invalid_overdue", errors={"overdue": [message]})
        return wanted, (None if not overdue else overdue in ("true", "1"))

    @extend_schema(parameters=STATUS_PARAMETERS)
    def list(self, request, *args, **kwargs):
        wanted, overdue = self._status_filters(request)
        day = today()
        states = selectors.item_states(self.filter_queryset(self.get_queryset()), today=day)
        if wanted:
            states = [st for st in states if st.status == wanted]
        if overdue is not None:
            states = [st for st in states if (st.status == ItemStatus.OVERDUE) == overdue]
        page = self.paginate_queryset(states)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(states, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.item_state(self.get_object())).data)

    @extend_schema(request=s.DoneSerializer, responses={200: s.ComplianceItemSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark a manual item (the report to the supervising authority) done, with its evidence."""
        data = validated(request, s.DoneSerializer)
        item = services.compliance_item_done(actor=request.user, item=self.get_object(), evidence=data["evidence"],
                                             done_on=data["done_on"])
        return Response(self.get_serializer(selectors.item_state(item)).data)

    @extend_schema(request=s.MoveSerializer, responses={200: s.ComplianceItemSerializer})
    @action(detail=True, methods=["post"])
    def due(self, request, pk=None):
        """Move the item's due date (in its year), with the reason (kept in the audit trail)."""
        data = validated(request, s.MoveSerializer)
        item = services.compliance_item_move(actor=request.user, item=self.get_object(), due_on=data["due_on"],
                                             reason=data["reason"])
        return Response(self.get_serializer(selectors.item_state(item)).data)
