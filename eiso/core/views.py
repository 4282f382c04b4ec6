"""Generic views (NetBox's shape): list, detail, edit and delete over restrict()-ed querysets.

A per-model view is a few declarative lines. Reads outside the user's scope give 404; inside the view
scope but without the right to act, 403. Edits call a service; an ApplicationError becomes a form
error and nothing is saved.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from eiso.core.audit import history_for
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.middleware import SESSION_KEY
from eiso.core.models import AuditLogEntry
from eiso.core.paginators import SearchPaginator


def viewed_agency(request, model):
    """The agency whose `model` records a page shows: `?agency=<id>` when the user may view that agency's records
    (one of its people, the supervisor of its province: the drill-down from a calendar or a dashboard), else the
    agency worked in. An agency the user may not look into: 404, as for an unknown one."""
    wanted = request.GET.get("agency")
    if not wanted:
        return getattr(request, "agency", None)
    from eiso.core.permissions import scope_for
    from eiso.organizations.models import Agency

    try:
        agency = Agency.objects.filter(pk=uuid.UUID(wanted)).first()
    except ValueError:
        agency = None
    if agency is None:
        raise Http404
    scope, permitted = scope_for(request.user), getattr(model, "permitted_roles", None)
    if (scope.is_global or agency.pk in scope.agencies_for("view", permitted)
            or (scope.supervises_for("view", permitted) and agency.province_id in scope.supervised_provinces)):
        return agency
    raise Http404


def refusal_to_form(form, exc: ApplicationError) -> None:
    """Show a refused service call on the form: its message on top, each field's errors on the field it names."""
    form.add_error(None, exc.message)
    for field, errors in exc.errors.items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)


def can(user, instance, action: str) -> bool:
    return type(instance).objects.restrict(user, action).filter(pk=instance.pk).exists()


def safe_next(request, default: str) -> str:
    """Where a POST goes back to: its `next` field when that is a URL of this site, else `default`
    (a URL or a URL name, as redirect() takes it)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


class ObjectListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """List with a filter form and a table; htmx requests get only the table (live search)."""

    template_name = "core/object_list.html"
    partial_template_name = "core/partials/table.html"
    paginate_by = 50
    add_url_name: str | None = None
    title = ""

    def get_queryset(self):
        queryset = super().get_queryset().restrict(self.request.user, "view")
        if self.request.GET.get("agency") and any(f.name == "agency" for f in self.model._meta.fields):
            # one agency's records among those the user sees (a supervisor's drill-down); another's: nothing
            try:
                queryset = queryset.filter(agency_id=uuid.UUID(self.request.GET["agency"]))
            except ValueError:
                queryset = queryset.none()
        return queryset

    def in_current_agency(self, queryset):
        """The records of the agency worked in, unless `?agency=` asked for another one (get_queryset has kept that
        agency's visible records: a supervisor's or a successor's drill-down)."""
        agency = getattr(self.request, "agency", None)
        if self.request.GET.get("agency") or agency is None:
            return queryset
        return queryset.filter(agency=agency)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def can_add(self) -> bool:
        return False

    def get_table_kwargs(self):
        return {"empty_text": _("Nothing found.")}

    def get_table_pagination(self, table):
        """A searched list is not counted in full (core.paginators)."""
        pagination = super().get_table_pagination(table)
        if pagination and self.request.GET.get("q", "").strip():
            pagination["paginator_class"] = SearchPaginator
        return pagination

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural
        context["add_url"] = reverse(self.add_url_name) if self.add_url_name and self.can_add() else None
        return context


class ObjectDetailView(LoginRequiredMixin, TemplateView):
    model = None
    queryset = None

    def get_object(self):
        queryset = (self.queryset if self.queryset is not None else self.model.objects.all())
        return get_object_or_404(queryset.restrict(self.request.user, "view"), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["object"] = self.object
        context["can_change"] = can(user, self.object, "change")
        context["can_delete"] = can(user, self.object, "delete")
        history = history_for(self.object)
        context["history"] = AuditLogEntry.objects.restrict(user, "view").filter(
            pk__in=history.values("pk")
        )[:50] if history.exists() else []
        return context


class ObjectEditView(LoginRequiredMixin, FormView):
    """Create (no pk) or update (pk) through `save(form)`, which subclasses implement with a service."""

    template_name = "core/object_form.html"
    model = None
    queryset = None
    title = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = None
        if "pk" in kwargs:
            queryset = self.queryset if self.queryset is not None else self.model.objects.all()
            self.object = get_object_or_404(queryset.restrict(request.user, "view"), pk=kwargs["pk"])
            if not can(request.user, self.object, "change"):
                raise PermissionDenied
        elif not self.can_add():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def can_add(self) -> bool:
        return False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if not kwargs.get("initial"):
            # FormView always passes the view's (empty) initial: leave it out so that a plain form's own initial
            # values (the instance's fields on an edit page, the defaults of a new record) are not overridden
            kwargs.pop("initial", None)
        kwargs["user"] = self.request.user
        kwargs["agency"] = getattr(self.request, "agency", None)
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form):
        try:
            obj = self.save(form)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            refusal_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.get_success_url(obj))

    def save(self, form):
        raise NotImplementedError

    def get_success_url(self, obj):
        return obj.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["title"] = self.title or (
            _("Edit %(object)s") % {"object": self.object} if self.object
            else _("Add %(type)s") % {"type": self.model._meta.verbose_name}
        )
        return context


class ObjectDeleteView(LoginRequiredMixin, TemplateView):
    template_name = "core/object_confirm_delete.html"
    model = None
    success_url_name = "core:home"

    def get_object(self):
        obj = get_object_or_404(self.model.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
        if not can(self.request.user, obj, "delete"):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.delete(obj)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted."))
        return redirect(self.success_url_name)

    def delete(self, obj):
        from eiso.core.services import object_delete

        object_delete(actor=self.request.user, instance=obj)


class ObjectActionView(LoginRequiredMixin, View):
    """A POST that acts on one object through a service, then redirects.

    The object is looked up among those the user may view (404 otherwise); `permission`, when set, is
    also required on it (403 otherwise). `act()` calls the service and returns the success message (None:
    nothing to report). A PermissionDeniedError from it gives 403, another ApplicationError an error
    message. Then the view redirects to the POST's safe `next` field (when `follow_next`) or to
    `get_default_url()`.
    """

    model = None
    queryset = None
    select_related: tuple = ()
    permission: str | None = None
    follow_next = True

    def get_queryset(self):
        queryset = self.queryset if self.queryset is not None else self.model.objects.all()
        queryset = queryset.restrict(self.request.user, "view")
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def get_object(self):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if self.permission and not can(self.request.user, obj, self.permission):
            raise PermissionDenied
        return obj

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        default = self.get_default_url(obj)  # before act(), which may delete the object
        try:
            message = self.act(request, obj)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            self.report_error(request, exc)
        else:
            if message:
                messages.success(request, message)
        return redirect(safe_next(request, default) if self.follow_next else default)

    def act(self, request, obj) -> str | None:
        raise NotImplementedError

    def report_error(self, request, exc: ApplicationError) -> None:
        messages.error(request, exc.message)

    def get_default_url(self, obj) -> str:
        return obj.get_absolute_url()


class HomeView(LoginRequiredMixin, TemplateView):
    """The current agency's home page."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from eiso.core.permissions import scope_for
        from eiso.organizations.models import QMS, OrgUnit, RoleAssignment

        context = super().get_context_data(**kwargs)
        user, agency = self.request.user, self.request.agency
        context["agency"] = agency
        context["my_roles"] = RoleAssignment.objects.active().filter(user=user).select_related("agency", "org_unit")
        if agency is not None:
            context["qms_list"] = QMS.objects.restrict(user).filter(agency=agency) | QMS.objects.restrict(
                user
            ).filter(agencies=agency)
            context["org_units"] = OrgUnit.objects.restrict(user).filter(agency=agency)[:20]
            from eiso.dossiers.statistics import agency_dossier_summary

            context["dossier_summary"] = agency_dossier_summary(user=user, agency=agency)
        scope = scope_for(user)
        if scope.supervised_provinces:
            from eiso.organizations.models import AdminUnit, Agency

            context["supervised"] = [
                (province, Agency.objects.filter(province=province).count())
                for province in AdminUnit.objects.filter(pk__in=scope.supervised_provinces)
            ]
        return context


class SwitchAgencyView(LoginRequiredMixin, View):
    def post(self, request):
        from eiso.organizations.models import Agency
        from eiso.organizations.selectors import agencies_for_user

        agency_id = request.POST.get("agency")
        allowed = agencies_for_user(user=request.user)
        if request.user.is_superuser:
            allowed = Agency.objects.all()
        agency = allowed.filter(pk=agency_id).first() if agency_id else None
        if agency is None:
            raise Http404
        request.session[SESSION_KEY] = str(agency.pk)
        messages.info(request, _("You are now working in %(agency)s.") % {"agency": agency})
        target = request.POST.get("next") or reverse("core:home")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("core:home")
        return redirect(target)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)
