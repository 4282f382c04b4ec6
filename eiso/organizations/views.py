from django.utils.translation import gettext_lazy as _

from eiso.core.permissions import scope_for
from eiso.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.organizations import services
from eiso.organizations.filtersets import AdminUnitFilterSet, AgencyFilterSet, OrgUnitFilterSet
from eiso.organizations.forms import AgencyForm, OrgUnitForm
from eiso.organizations.models import QMS, AdminUnit, Agency, OrgUnit, RoleAssignment
from eiso.organizations.selectors import admin_unit_current_successors
from eiso.organizations.tables import AdminUnitTable, AgencyTable, OrgUnitTable


class AdminUnitListView(ObjectListView):
    model = AdminUnit
    queryset = AdminUnit.objects.select_related("parent")
    table_class = AdminUnitTable
    filterset_class = AdminUnitFilterSet
    title = _("Administrative units")


class AdminUnitDetailView(ObjectDetailView):
    model = AdminUnit
    template_name = "organizations/adminunit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["names"] = unit.names.all()
        context["children"] = unit.children.order_by("name")[:500]
        context["successors"] = admin_unit_current_successors(unit=unit)
        context["agencies"] = Agency.objects.restrict(self.request.user).filter(admin_unit=unit)
        return context


class AgencyListView(ObjectListView):
    model = Agency
    queryset = Agency.objects.select_related("admin_unit", "province")
    table_class = AgencyTable
    filterset_class = AgencyFilterSet
    title = _("Agencies")
    add_url_name = "organizations:agency_add"

    def can_add(self):
        scope = scope_for(self.request.user)
        return scope.is_global or bool(scope.supervised_provinces)


class AgencyDetailView(ObjectDetailView):
    model = Agency
    template_name = "organizations/agency_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agency = self.request.user, self.object
        context["qms_list"] = (QMS.objects.restrict(user).filter(agency=agency)
                               | QMS.objects.restrict(user).filter(agencies=agency)).distinct()
        context["org_units"] = OrgUnit.objects.restrict(user).filter(agency=agency)
        context["assignments"] = RoleAssignment.objects.restrict(user).filter(agency=agency).select_related(
            "user", "org_unit"
        )
        visible = Agency.objects.restrict(user)
        context["parent"] = visible.filter(pk=agency.parent_id).first()
        context["successors"] = visible.filter(predecessors=agency)
        context["predecessors"] = visible.filter(successors=agency)
        return context


class AgencyEditView(ObjectEditView):
    model = Agency
    form_class = AgencyForm

    def can_add(self):
        scope = scope_for(self.request.user)
        return scope.is_global or bool(scope.supervised_provinces)

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}
        if self.object is None:
            return services.agency_create(actor=self.request.user, data=data)
        return services.agency_update(actor=self.request.user, agency=self.object, data=data)


class OrgUnitListView(ObjectListView):
    model = OrgUnit
    queryset = OrgUnit.objects.select_related("parent", "agency")
    table_class = OrgUnitTable
    filterset_class = OrgUnitFilterSet
    title = _("Internal units")
    add_url_name = "organizations:orgunit_add"

    def get_queryset(self):
        queryset = super().get_queryset()
        agency = self.request.agency
        return queryset.filter(agency=agency) if agency is not None else queryset

    def can_add(self):
        agency = self.request.agency
        return agency is not None and agency.pk in scope_for(self.request.user).agencies_for("add")


class OrgUnitDetailView(ObjectDetailView):
    model = OrgUnit
    template_name = "organizations/orgunit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = OrgUnit.objects.restrict(self.request.user).filter(parent=self.object)
        return context


class OrgUnitEditView(ObjectEditView):
    model = OrgUnit
    form_class = OrgUnitForm

    def can_add(self):
        agency = self.request.agency
        scope = scope_for(self.request.user)
        return agency is not None and (scope.is_global or agency.pk in scope.agencies_for("add"))

    def save(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if self.object is None:
            return services.org_unit_create(actor=self.request.user, agency=self.request.agency, data=data)
        return services.org_unit_update(actor=self.request.user, org_unit=self.object, data=data)


class OrgUnitDeleteView(ObjectDeleteView):
    model = OrgUnit
    success_url_name = "organizations:orgunit_list"


