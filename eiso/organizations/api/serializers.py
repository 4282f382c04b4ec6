from django.contrib.auth import get_user_model
from rest_framework import serializers

from eiso.organizations.models import QMS, AdminUnit, Agency, OrgUnit, RoleAssignment


class AdminUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "level", "name", "division_type", "parent", "valid_from", "valid_to", "successors"]


class AgencySerializer(serializers.ModelSerializer):
    admin_unit_code = serializers.CharField(write_only=True, required=False)
    admin_unit = serializers.PrimaryKeyRelatedField(queryset=AdminUnit.objects.all(), required=False)

    class Meta:
        model = Agency
        fields = [
            "id", "code", "name", "short_name", "kind", "admin_unit", "admin_unit_code", "province", "parent",
            "address", "phone", "email", "website", "valid_from", "valid_to", "successors",
        ]
        read_only_fields = ["province", "successors"]
        # Uniqueness is checked by the service, which gives one clear message.
        validators = []
        extra_kwargs = {"code": {"validators": []}}


class QMSSerializer(serializers.ModelSerializer):
    class Meta:
        model = QMS
        fields = ["id", "agency", "code", "name", "standard", "scope", "agencies", "is_active"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "agency", "name", "code", "parent"]
        read_only_fields = ["agency"]
        validators = []


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "email", "position", "phone", "is_active"]


class RoleAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "agency", "role", "org_unit", "is_recursive", "valid_from", "valid_until"]
        validators = []
