import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from eiso.accounts import services
from eiso.accounts.forms import ApiTokenForm, LoginForm, UserEditForm
from eiso.accounts.models import ApiToken
from eiso.accounts.tables import UserTable
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.core.views import ObjectDetailView, ObjectEditView, ObjectListView
from eiso.organizations.forms import RoleAssignmentForm, UserCreateForm
from eiso.organizations.models import RoleAssignment
from eiso.organizations.services import role_assign, role_revoke

User = get_user_model()


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("Search"))

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))

    class Meta:
        model = User
        fields = ["q"]


def _manages_people(user) -> bool:
    scope = scope_for(user)
    return scope.is_global or bool(scope.agencies_for("manage_roles"))


class UserListView(ObjectListView):
    model = User
    table_class = UserTable
    filterset_class = UserFilterSet
    title = gettext_lazy("People and roles")
    add_url_name = "accounts:user_add"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            _manages_people(request.user) or scope_for(request.user).supervised_provinces
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def can_add(self):
        return _manages_people(self.request.user)


class UserDetailView(ObjectDetailView):
    model = User
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            RoleAssignment.objects.restrict(self.request.user)
            .filter(user=self.object)
            .select_related("agency", "org_unit")
        )
        context["can_assign"] = _manages_people(self.request.user)
        return context


class UserCreateView(ObjectEditView):
    model = User
    form_class = UserCreateForm
    title = gettext_lazy("Add a person")

    def can_add(self):
        return _manages_people(self.request.user)

    def save(self, form):
        return services.user_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.pk])


class UserEditView(ObjectEditView):
    model = User
    form_class = UserEditForm

    def save(self, form):
        return services.user_update(actor=self.request.user, user=self.object, data=form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.pk])


class RoleAssignView(ObjectEditView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    title = gettext_lazy("Assign a role")

    def can_add(self):
        return _manages_people(self.request.user)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("user"):
            initial["user"] = self.request.GET["user"]
        return initial

    def save(self, form):
        return role_assign(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, obj):
        return reverse("accounts:user_detail", args=[obj.user_id])


class RoleRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(RoleAssignment.objects.restrict(request.user, "view"), pk=pk)
        try:
            role_revoke(actor=request.user, assignment=assignment)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The role has been removed."))
        return redirect("accounts:user_detail", pk=assignment.user_id)


class ApiTokenListView(LoginRequiredMixin, View):
    template_name = "accounts/token_list.html"

    def get(self, request, form=None, raw=None):
        return render(
            request,
            self.template_name,
            {
                "tokens": ApiToken.objects.restrict(request.user),
                "form": form or ApiTokenForm(),
                "raw_token": raw,
            },
        )

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, raw = services.api_token_create(user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return self.get(request, raw=raw)
        return self.get(request, form=form)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken.objects.restrict(request.user), pk=pk)
        services.api_token_revoke(user=request.user, token=token)
        messages.success(request, _("The token has been revoked."))
        return redirect("accounts:token_list")
