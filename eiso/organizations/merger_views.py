"""Pages of mergers: the supervising authority's list and form, the successor's "Predecessor agencies" page with
links into each predecessor's records (read-only), and starting the successor's QMS from one predecessor."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for
from eiso.organizations import mergers
from eiso.organizations.forms import MergerForm
from eiso.organizations.models import Agency

# The announcements app's page to prepare a (re-)announcement, when it exists.
REANNOUNCEMENT_PAGES = ("announcements:announcement_add", "announcements:announcement_create",
                        "announcements:announcement_list")
PROCESSES_SHOWN = 30
NEW_SUCCESSOR_FIELDS = {"code": "new_code", "name": "new_name", "kind": "new_kind", "admin_unit": "new_admin_unit"}


def _reannouncement_url(agency) -> str | None:
    for name in REANNOUNCEMENT_PAGES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


class MergerListView(LoginRequiredMixin, TemplateView):
    """The mergers recorded in the provinces the user supervises."""

    template_name = "organizations/merger_list.html"

    def get_context_data(self, **kwargs):
        scope = scope_for(self.request.user)
        if not (scope.is_global or scope.supervised_provinces):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        context.update({
            "title": _("Mergers of agencies"),
            "mergers": mergers.mergers_in(provinces=None if scope.is_global else scope.supervised_provinces),
            "can_record": scope.is_global or bool(scope.authority_provinces),
        })
        return context


class MergerRecordView(LoginRequiredMixin, FormView):
    template_name = "organizations/merger_form.html"
    form_class = MergerForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            scope = scope_for(request.user)
            if not (scope.is_global or scope.authority_provinces):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "agency": self.request.agency}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Record a merger")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            merger = mergers.merger_record(
                actor=self.request.user, predecessors=list(data["predecessors"]), successor=data.get("successor"),
                new_successor=form.new_successor(), effective_on=data["effective_on"],
                legal_basis=data["legal_basis"])
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            for name, errors in exc.errors.items():
                field = NEW_SUCCESSOR_FIELDS.get(name, name)
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Merger recorded: %(agencies)s merged into %(successor)s from %(date)s.") % {
            "agencies": ", ".join(str(a) for a in merger.predecessors), "successor": merger.successor,
            "date": merger.effective_on.strftime("%d/%m/%Y")})
        return redirect(f"{reverse('organizations:predecessors')}?agency={merger.successor.pk}")


def _agency(request):
    wanted = request.GET.get("agency")
    agency = getattr(request, "agency", None)
    if wanted:
        try:
            agency = Agency.objects.filter(pk=uuid.UUID(wanted)).first()
        except ValueError:
            agency = None
    if agency is None or not mergers.can_view_predecessors(request.user, agency):
        raise Http404
    return agency


def _records(user, agencies) -> dict:
    """agency id -> what that predecessor left, among what the user may see: counts, and its first processes with
    their pages. A few queries for all the predecessors together, however many there are."""
    from django.db.models import Count

    from eiso.documents.models import Document
    from eiso.dossiers.models import Dossier
    from eiso.processes.models import Process

    ids = [a.pk for a in agencies]

    def counts(model):
        return dict(model.objects.restrict(user, "view").filter(agency_id__in=ids).values("agency_id")
                    .annotate(n=Count("pk")).order_by().values_list("agency_id", "n"))

    processes: dict = {pk: [] for pk in ids}
    for process in Process.objects.restrict(user, "view").filter(agency_id__in=ids).order_by("code"):
        shown = processes[process.agency_id]
        if len(shown) < PROCESSES_SHOWN:
            shown.append(process)
    process_count, document_count, dossier_count = counts(Process), counts(Document), counts(Dossier)
    return {pk: {"processes": processes[pk], "process_count": process_count.get(pk, 0),
                 "document_count": document_count.get(pk, 0), "dossier_count": dossier_count.get(pk, 0)}
            for pk in ids}


class PredecessorsView(LoginRequiredMixin, TemplateView):
    """The agencies merged into this one, each with links into its records (read-only)."""

    template_name = "organizations/merger_predecessors.html"

    def get_context_data(self, **kwargs):
        from eiso.processes.models import Process

        context = super().get_context_data(**kwargs)
        agency = _agency(self.request)
        predecessors = mergers.predecessors_of(agency)
        records = _records(self.request.user, predecessors)
        reasons = mergers.reannouncement_reasons(agency) if predecessors else []
        context.update({
            "title": _("Predecessor agencies"), "agency": agency,
            "rows": [(p, mergers.predecessor_links(p), records[p.pk]) for p in predecessors],
            "reasons": reasons, "reannouncement_url": _reannouncement_url(agency) if reasons else None,
            "can_start": (mergers.can_start_from(self.request.user, agency)
                          and self.request.agency is not None and self.request.agency.pk == agency.pk
                          and not Process.objects.filter(agency=agency).exists()),
        })
        return context


class StartFromPredecessorView(LoginRequiredMixin, View):
    """Start the current agency's QMS from one of its predecessors."""

    def post(self, request, pk):
        successor = request.agency
        if successor is None or not mergers.can_view_predecessors(request.user, successor):
            raise Http404
        predecessor = next((a for a in mergers.predecessors_of(successor) if a.pk == pk), None)
        if predecessor is None:
            raise Http404
        target = reverse("organizations:predecessors")
        try:
            result = mergers.merger_start_from_predecessor(actor=request.user, successor=successor,
                                                           predecessor=predecessor)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(target)
        messages.success(request, _("The QMS of %(agency)s is started from %(predecessor)s: %(documents)s documents "
                                    "and %(processes)s processes copied as drafts.") % {
            "agency": successor, "predecessor": predecessor, "documents": result.documents,
            "processes": result.processes})
        if result.policy_copied:
            messages.info(request, _("The quality policy was copied as a draft: the head approves it."))
        for note in result.notes:
            messages.info(request, note)
        return redirect(target)
