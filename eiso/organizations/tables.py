import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from eiso.organizations.models import AdminUnit, Agency, OrgUnit


class AdminUnitTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = AdminUnit
        fields = ["code", "name", "division_type", "level", "parent", "valid_from", "valid_to"]


class AgencyTable(tables.Table):
    name = tables.Column(linkify=True)
    province = tables.Column(verbose_name=_("Province"))

    class Meta:
        model = Agency
        fields = ["code", "name", "kind", "admin_unit", "province"]


class OrgUnitTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "parent", "agency"]
