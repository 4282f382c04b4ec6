"""API of the PAR-index criteria. Reads are scoped by restrict() (the supervisors of the province, national
supervisors; others see none); every write is one service call, refused (403) to anyone but the province's
supervising authority and administrators. A province the user does not supervise answers like an unknown one."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.organizations.selectors import supervised_provinces
from eiso.par import services
from eiso.par.api import serializers as s
from eiso.par.models import ParCriterion


class ParCriterionFilterSet(IdFilterSet):
    class Meta:
        model = ParCriterion
        fields = ["year", "rule"]


def _province(user, pk):
    province = supervised_provinces(user).filter(pk=pk).first()
    if province is None:
        message = _("Unknown province.")
        raise ApplicationError(message, code="unknown_province", errors={"province": [message]})
    return province


@extend_schema(tags=["par"])
class ParCriterionViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                          viewsets.GenericViewSet):
    """The criteria of the provinces' PAR-index methodologies, per year. Filters: year, rule. POST copy_year starts
    a year from another year's criteria."""

    queryset = ParCriterion.objects.select_related("agency").order_by("year", "code")
    serializer_class = s.ParCriterionSerializer
    filterset_class = ParCriterionFilterSet
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    @extend_schema(request=s.ParCriterionCreateSerializer, responses={201: s.ParCriterionSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(validated(request, s.ParCriterionCreateSerializer))
        province = _province(request.user, data.pop("province"))
        criterion = services.criterion_create(actor=request.user, province=province, data=data)
        return Response(s.ParCriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ParCriterionWriteSerializer, responses={200: s.ParCriterionSerializer})
    def update(self, request, *args, **kwargs):
        criterion = self.get_object()
        data = validated(request, s.ParCriterionWriteSerializer, partial=kwargs.get("partial", False))
        criterion = services.criterion_update(actor=request.user, criterion=criterion, data=dict(data))
        return Response(s.ParCriterionSerializer(criterion).data)

    @extend_schema(request=s.ParCriterionWriteSerializer, responses={200: s.ParCriterionSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.criterion_delete(actor=request.user, criterion=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.CriteriaCopyYearSerializer, responses={201: s.ParCriterionSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="copy-year")
    def copy_year(self, request):
        """Copy a year's criteria of the province to another year (refused when that year has criteria)."""
        data = validated(request, s.CriteriaCopyYearSerializer)
        copies = services.criteria_copy_year(actor=request.user, province=_province(request.user, data["province"]),
                                             from_year=data["from_year"], to_year=data["to_year"])
        return Response(s.ParCriterionSerializer(copies, many=True).data, status=status.HTTP_201_CREATED)
