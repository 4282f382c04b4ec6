"""API of organisations: administrative units, agencies, QMS, internal units, people and roles."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from eiso.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from eiso.core.errors import ApplicationError
from eiso.core.filtersets import ApiSearchFilterSet
from eiso.organizations import services
from eiso.organizations.api import serializers
from eiso.organizations.models import QMS, AdminUnit, Agency, OrgUnit, RoleAssignment


class AdminUnitFilterSet(ApiSearchFilterSet):
    class Meta:
        model = AdminUnit
        fields = ["level", "parent", "code"]


class AgencyFilterSet(ApiSearchFilterSet):
    class Meta:
        model = Agency
        fields = ["kind", "province", "admin_unit", "parent"]


@extend_schema(tags=["organizations"])
class AdminUnitViewSet(RestrictedReadOnlyViewSet):
    queryset = AdminUnit.objects.select_related("parent").prefetch_related("successors").order_by("level", "code")
    serializer_class = serializers.AdminUnitSerializer
    filterset_class = AdminUnitFilterSet


@extend_schema(tags=["organizations"])
class AgencyViewSet(RestrictedModelViewSet):
    queryset = Agency.objects.select_related("admin_unit", "province").prefetch_related("successors")
    serializer_class = serializers.AgencySerializer
    filterset_class = AgencyFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @staticmethod
    def _resolve_unit(data):
        code = data.pop("admin_unit_code", None)
        if code and not data.get("admin_unit"):
            data["admin_unit"] = AdminUnit.objects.filter(code=code, valid_to__isnull=True).first()
            if data["admin_unit"] is None:
                raise ApplicationError(
                    _("Unknown administrative unit code %(code)s. Load the national list or check the code.")
                    % {"code": code},
                    code="unknown_admin_unit",
                    errors={"admin_unit_code": [_("Unknown administrative unit.")]},
                )
        return data

    def perform_create(self, serializer):
        data = self._resolve_unit(dict(serializer.validated_data))
        serializer.instance = services.agency_create(actor=self.request.user, data=data)

    def perform_update(self, serializer):
        data = self._resolve_unit(dict(serializer.validated_data))
        serializer.instance = services.agency_update(actor=self.request.user, agency=serializer.instance, data=data)


@extend_schema(tags=["organizations"])
class QMSViewSet(RestrictedReadOnlyViewSet):
    queryset = QMS.objects.select_related("agency").prefetch_related("agencies")
    serializer_class = serializers.QMSSerializer
    filterset_fields = ["agency"]


@extend_schema(tags=["organizations"])
class OrgUnitViewSet(RestrictedModelViewSet):
    queryset = OrgUnit.objects.select_related("agency", "parent")
    serializer_class = serializers.OrgUnitSerializer
    filterset_fields = ["agency", "parent"]

    def perform_create(self, serializer):
        agency = self.request.agency
        agency_id = self.request.data.get("agency")
        if agency_id:
            agency = Agency.objects.restrict(self.request.user, "view").filter(pk=agency_id).first()
        if agency is None:
            raise ApplicationError(
                _("Choose the agency (field 'agency')."),
                code="agency_required",
                errors={"agency": [_("This field is required.")]},
            )
        serializer.instance = services.org_unit_create(
            actor=self.request.user, agency=agency, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer):
        serializer.instance = services.org_unit_update(
            actor=self.request.user, org_unit=serializer.instance, data=dict(serializer.validated_data)
        )

    def perform_destroy(self, instance):
        from eiso.core.services import object_delete

        object_delete(actor=self.request.user, instance=instance)


@extend_schema(tags=["people"])
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.UserSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self):
        return get_user_model().objects.restrict(self.request.user, "view").order_by("username")


@extend_schema(tags=["people"])
class RoleAssignmentViewSet(RestrictedModelViewSet):
    queryset = RoleAssignment.objects.select_related("user", "agency", "org_unit")
    serializer_class = serializers.RoleAssignmentSerializer
    filterset_fields = ["agency", "user", "role"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.role_assign(actor=self.request.user, **data)

    def perform_destroy(self, instance):
        services.role_revoke(actor=self.request.user, assignment=instance)
