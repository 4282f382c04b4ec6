"""Pages of the one-stop desk: the list of dossiers, the receipt form, a dossier's page (summary, control
slip, clock stops, trail) and the actions on it. Every write goes through eiso.dossiers.services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from eiso.catalog.choices import DurationUnit
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectListView, can
from eiso.dossiers import forms, services
from eiso.dossiers.choices import OPEN_STATUSES, DossierStatus
from eiso.dossiers.filtersets import DossierFilterSet
from eiso.dossiers.models import Dossier
from eiso.dossiers.selectors import dossier_flag, event_label
from eiso.dossiers.tables import DossierTable


def moment(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


# --- List -----------------------------------------------------------------------------------------------------


class DossierListView(ObjectListView):
    model = Dossier
    table_class = DossierTable
    filterset_class = DossierFilterSet
    template_name = "dossiers/dossier_list.html"
    title = gettext_lazy("Dossiers")
    add_url_name = "dossiers:dossier_receive"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("procedure")
        return self.in_current_agency(queryset)

    def can_add(self) -> bool:
        return self.request.agency is not None and services.may_handle(self.request.user, self.request.agency.pk)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "now": timezone.now()}


# --- Receipt --------------------------------------------------------------------------------------------------


class DeskMixin(LoginRequiredMixin):
    """The current agency's desk: 403 for those who may not handle its dossiers."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agency = request.agency
        if self.agency is not None and not services.may_handle(request.user, self.agency.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DossierReceiveView(DeskMixin, FormView):
    template_name = "dossiers/dossier_receive.html"
    form_class = forms.ReceiveForm

    def get(self, request, *args, **kwargs):
        if self.agency is None:
            return render(request, self.template_name, {"title": _("Receive a dossier"), "form": None})
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.agency is None:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.agency}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Receive a dossier"), "agency": self.agency}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            dossier = services.dossier_receive(
                actor=self.request.user, agency=self.agency, procedure=data["procedure"], case=data["case"],
                applicant=data["applicant"], channel=data["channel"], components=data["components"],
                submitted_at=data["submitted_at"], decision=data["decision"], reason=data["reason"])
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, receipt_message(dossier))
        return HttpResponseRedirect(dossier.get_absolute_url())


def receipt_message(dossier: Dossier):
    if dossier.status == DossierStatus.INCOMPLETE:
        return _("Recorded without a code: the dossier is incomplete. Give the applicant the list of what to "
                 "supplement.")
    if dossier.status == DossierStatus.REJECTED:
        return _("Recorded without a code: the dossier was refused at receipt.")
    text = _("Dossier %(code)s received. Appointment to return the result: %(date)s.") % {
        "code": dossier.code, "date": moment(dossier.appointment_at)}
    return format_html('{} <a href="{}" data-print="receipt">{}</a>', text,
                       reverse("dossiers:dossier_pdf", args=[dossier.pk, "receipt"]), _("Print the receipt"))


class DossierReceiveOptionsView(DeskMixin, View):
    """The cases and the checklist of components of the chosen procedure (htmx, in the receipt form)."""

    def get(self, request):
        if self.agency is None:
            raise Http404
        initial = {key: request.GET.get(key, "") for key in ("procedure", "procedure_code", "case")}
        form = forms.ReceiveForm(initial=initial, agency=self.agency)
        return render(request, "dossiers/partials/receive_options.html", {"form": form})


# --- A dossier's page -----------------------------------------------------------------------------------------


def desk_context(dossier: Dossier, user) -> dict:
    """What the dossier's page shows, and the action forms the user may use in the dossier's status."""
    now = timezone.now()
    steps = list(dossier.steps.select_related("unit", "assignee", "finished_by").order_by("order"))
    events = list(dossier.events.select_related("actor").order_by("at", "created_at"))
    for event in events:
        event.label = event_label(event.action)
    current = next((step for step in steps if step.is_current), None)
    context = {
        "flag": dossier_flag(dossier, now=now), "steps": steps, "current_step": current, "events": events,
        "pauses": list(dossier.pauses.order_by("started_at")), "open_statuses": OPEN_STATUSES,
        "is_received": dossier.received_at is not None,
        "duration_unit": DurationUnit(dossier.duration_unit).label if dossier.duration_unit in DurationUnit.values
        else dossier.duration_unit,
        "actions": {},
    }
    if not can(user, dossier, "handle"):
        return context
    status, actions = dossier.status, context["actions"]
    if status == DossierStatus.IN_PROGRESS:
        if current is not None and services.may_hand_over(user, dossier, current):
            actions["hand_over"] = forms.HandOverForm(dossier=dossier, initial={"step": current.pk},
                                                      auto_id="id_hand_over_%s")
            context["is_last_step"] = current.order == steps[-1].order
        actions["pause"] = forms.PauseForm(auto_id="id_pause_%s")
    if status == DossierStatus.SUSPENDED:
        actions["resume"] = forms.ResumeForm(auto_id="id_resume_%s")
    if status in OPEN_STATUSES:
        actions["consult"] = forms.ConsultForm(auto_id="id_consult_%s")
        if dossier.apology_at is None and dossier.appointment_at is not None:
            if services.apology_in_time(dossier, now=now):
                actions["apologise"] = forms.ApologyForm(auto_id="id_apologise_%s")
            else:
                context["apology_too_late"] = True
        actions["end"] = forms.EndForm(auto_id="id_end_%s")
    if status == DossierStatus.RESULT_READY:
        if dossier.notified_at is None:
            actions["notify"] = forms.NotifyForm(auto_id="id_notify_%s")
        actions["return"] = forms.ReturnForm(auto_id="id_return_%s")
    return context


class DossierDetailView(ObjectDetailView):
    model = Dossier
    queryset = Dossier.objects.select_related("agency", "procedure", "case", "process", "received_by")
    template_name = "dossiers/dossier_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(desk_context(self.object, self.request.user))
        context["title"] = str(self.object)
        return context


# --- Actions --------------------------------------------------------------------------------------------------


def first_error(form) -> str:
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}: ".capitalize() if field is not None and field.label else ""
        return f"{label}{errors[0]}"
    return _("The action could not be completed.")


class DossierActionView(ObjectActionView):
    """An action on a dossier: the user must handle the agency's dossiers (403 otherwise); the posted form
    is checked, then the service acts. `seen_status`, the status the page showed, lets the service tell a
    change made meanwhile by someone else (a conflict) from an action the status does not allow."""

    model = Dossier
    permission = "handle"
    follow_next = False
    form_class = None

    def act(self, request, dossier):
        form = self.form_class(request.POST, dossier=dossier)
        if not form.is_valid():
            raise ApplicationError(first_error(form))
        seen = request.POST.get("seen_status", "")
        if seen in DossierStatus.values:
            dossier.status = seen
        return self.perform(request, dossier, form.cleaned_data)

    def perform(self, request, dossier, data) -> str:
        raise NotImplementedError


class DossierHandOverView(DossierActionView):
    form_class = forms.HandOverForm

    def perform(self, request, dossier, data):
        step = dossier.steps.filter(pk=data["step"]).first()
        if step is None:
            raise Http404
        step.dossier = dossier
        dossier = services.dossier_step_complete(actor=request.user, step=step, assignee=data["assignee"],
                                                 note=data["note"])
        if dossier.status == DossierStatus.RESULT_READY:
            return _("The result is ready (%(outcome)s).") % {"outcome": dossier.get_outcome_display()}
        following = dossier.steps.filter(order__gt=step.order).order_by("order").first()
        if data["assignee"] is not None:
            return _("Handed over to %(person)s: %(step)s") % {"person": data["assignee"], "step": following.action}
        return _("Handed over to the next step: %(step)s") % {"step": following.action}


class DossierPauseView(DossierActionView):
    form_class = forms.PauseForm

    def perform(self, request, dossier, data):
        services.dossier_pause(actor=request.user, dossier=dossier, kind=data["kind"], reason=data["reason"])
        return _("The clock is stopped until the applicant answers.")


class DossierResumeView(DossierActionView):
    form_class = forms.ResumeForm

    def perform(self, request, dossier, data):
        dossier = services.dossier_resume(actor=request.user, dossier=dossier)
        return _("Processing resumed. New appointment: %(date)s.") % {"date": moment(dossier.appointment_at)}


class DossierConsultView(DossierActionView):
    form_class = forms.ConsultForm

    def perform(self, request, dossier, data):
        services.dossier_consult(actor=request.user, dossier=dossier, unit_name=data["unit_name"],
                                 comment=data["comment"])
        return _("The consultation is recorded.")


class DossierApologiseView(DossierActionView):
    form_class = forms.ApologyForm

    def perform(self, request, dossier, data):
        dossier = services.dossier_apologise(actor=request.user, dossier=dossier, reason=data["reason"],
                                             new_appointment=data["new_appointment"])
        return _("Apology letter issued. New appointment: %(date)s.") % {"date": moment(dossier.appointment_at)}


class DossierNotifyView(DossierActionView):
    form_class = forms.NotifyForm

    def perform(self, request, dossier, data):
        services.dossier_notify(actor=request.user, dossier=dossier, comment=data["comment"])
        return _("Recorded: the applicant was told the result is ready.")


class DossierReturnView(DossierActionView):
    form_class = forms.ReturnForm

    def perform(self, request, dossier, data):
        services.dossier_return(actor=request.user, dossier=dossier, method=data["method"])
        return _("The result is returned.")


class DossierEndView(DossierActionView):
    form_class = forms.EndForm

    def perform(self, request, dossier, data):
        dossier = services.dossier_end(actor=request.user, dossier=dossier, status=data["status"],
                                       reason=data["reason"])
        return _("The dossier is closed: %(status)s.") % {"status": dossier.get_status_display()}
