"""Pages of conformity announcements: the agency's list with its announcement in force and the re-announcement
prompt, prepare and edit a draft, the detail (sign, post, acknowledge), the decision as DOCX and PDF, and the
supervisors' list of announcements received."""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.announcements import documents, selectors, services
from eiso.announcements.choices import (
    ISSUED_STATUSES,
    AnnouncementKind,
    AnnouncementStatus,
)
from eiso.announcements.forms import AnnouncementForm, PostingForm, SignForm
from eiso.announcements.models import ConformityAnnouncement
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView, viewed_agency

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class AnnouncementTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"), empty_values=())
    signed_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = ConformityAnnouncement
        fields = ["number", "signed_on", "agency", "kind", "reason", "status"]

    def render_number(self, value, record):
        return record.number_display or _("draft")


class AnnouncementFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AnnouncementStatus.choices, label=gettext_lazy("status"))
    kind = django_filters.ChoiceFilter(choices=AnnouncementKind.choices, label=gettext_lazy("kind"))
    year = django_filters.NumberFilter(label=gettext_lazy("year"))

    class Meta:
        model = ConformityAnnouncement
        fields = ["status", "kind", "year"]


def _can_prepare(request, agency) -> bool:
    return agency is not None and services.can_prepare(request.user, agency)


class AnnouncementListView(ObjectListView):
    """The announcements the user sees; above them, the viewed agency's announcement in force, its draft and why a
    re-announcement is due."""

    model = ConformityAnnouncement
    table_class = AnnouncementTable
    filterset_class = AnnouncementFilterSet
    template_name = "announcements/announcement_list.html"
    title = gettext_lazy("Conformity announcements")

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = viewed_agency(self.request, ConformityAnnouncement)
        if agency is not None and not selectors.can_read(self.request.user, agency):
            agency = None  # a consultant: not the agency's announcements
        context["agency"] = agency
        if agency is not None:
            context["current"] = selectors.current_announcement(agency)
            context["due"] = selectors.reannouncement_due(agency)
            context["draft"] = ConformityAnnouncement.objects.restrict(self.request.user, "view").filter(
                agency=agency, status=AnnouncementStatus.DRAFT).first()
            context["can_prepare"] = _can_prepare(self.request, agency) and agency == getattr(
                self.request, "agency", None)
        return context


def _fields(form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in services.EDITABLE if name in data}


class AnnouncementCreateView(ObjectEditView):
    model = ConformityAnnouncement
    form_class = AnnouncementForm
    template_name = "announcements/announcement_form.html"

    def can_add(self) -> bool:
        return _can_prepare(self.request, getattr(self.request, "agency", None))

    def get(self, request, *args, **kwargs):
        draft = ConformityAnnouncement.objects.filter(agency=request.agency, status=AnnouncementStatus.DRAFT).first()
        if draft is not None:
            messages.info(request, _("A draft announcement is already being prepared: continue it."))
            return redirect(draft.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = self.request.agency
        reannouncement = context["form"].reannouncement
        context["title"] = _("Prepare a re-announcement") if reannouncement else _("Prepare the conformity "
                                                                                      "announcement")
        context["current"] = selectors.current_announcement(agency) if reannouncement else None
        context["due"] = selectors.reannouncement_due(agency) if reannouncement else []
        qms = selectors.hosted_qms(agency)
        context["procedures"] = selectors.procedures_snapshot(qms) if qms is not None else []
        return context

    def save(self, form):
        return services.announcement_prepare(actor=self.request.user, agency=self.request.agency,
                                             qms=form.cleaned_data["qms"], **_fields(form))


class AnnouncementEditView(ObjectEditView):
    model = ConformityAnnouncement
    form_class = AnnouncementForm
    template_name = "announcements/announcement_form.html"

    def get(self, request, *args, **kwargs):
        if not self.object.is_draft:
            messages.error(request, _("A signed announcement cannot be changed. If the scope changed, prepare a "
                                      "re-announcement."))
            return redirect(self.object.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit the draft announcement")
        context["procedures"] = selectors.procedures_snapshot(self.object.qms)
        return context

    def save(self, form):
        return services.announcement_update(actor=self.request.user, announcement=self.object, **_fields(form))


class AnnouncementDetailView(ObjectDetailView):
    model = ConformityAnnouncement
    queryset = ConformityAnnouncement.objects.select_related("agency", "agency__province", "qms", "replaces",
                                                            "signed_by", "acknowledged_by")
    template_name = "announcements/announcement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        announcement, user = self.object, self.request.user
        manage = context["can_change"]
        draft = announcement.is_draft
        context["can_edit"] = manage and draft
        context["can_delete"] = context["can_delete"] and draft
        context["is_head"] = services.is_head(user, announcement.agency)
        context["can_sign"] = draft and context["is_head"]
        context["sign_refusal"] = services.sign_refusal(announcement) if draft else None
        context["can_post"] = manage and announcement.is_in_force
        context["can_acknowledge"] = (announcement.status in ISSUED_STATUSES and announcement.notified_at is not None
                                      and announcement.acknowledged_at is None
                                      and services.can_acknowledge(user, announcement))
        context["procedures"] = (selectors.procedures_snapshot(announcement.qms) if draft
                                 else announcement.procedures)
        context["replaced_by"] = announcement.replaced_by.exclude(status=AnnouncementStatus.DRAFT).first()
        if announcement.is_in_force:
            context["due"] = selectors.reannouncement_due(announcement.agency)
            context["can_prepare"] = (manage and announcement.agency == getattr(self.request, "agency", None)
                                      and not ConformityAnnouncement.objects.filter(
                                          agency=announcement.agency, status=AnnouncementStatus.DRAFT).exists())
        context["sign_form"] = SignForm()
        context["posting_form"] = PostingForm(initial={"posted_on": announcement.posted_on,
                                                       "posted_url": announcement.posted_url})
        return context


class AnnouncementSignView(ObjectActionView):
    """The head's signature; the service refuses anyone else (403)."""

    model = ConformityAnnouncement
    follow_next = False

    def act(self, request, announcement):
        form = SignForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Write the date of signing (and the number, if the office's register gave "
                                     "one)."), code="invalid")
        signed = services.announcement_sign(actor=request.user, announcement=announcement,
                                            signed_on=form.cleaned_data["signed_on"],
                                            number=form.cleaned_data["number"])
        return _("Decision %(number)s is signed; the supervising authority is notified.") % {
            "number": signed.number_display}


class AnnouncementDeleteView(ObjectActionView):
    """Delete a draft (back to the list); a signed announcement is refused (back to it, with the reason)."""

    model = ConformityAnnouncement
    permission = "delete"

    def post(self, request, *args, **kwargs):
        announcement = self.get_object()
        try:
            services.announcement_delete(actor=request.user, announcement=announcement)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(announcement.get_absolute_url())
        messages.success(request, _("The draft was deleted."))
        return redirect("announcements:announcement_list")


class AnnouncementPostingView(ObjectActionView):
    model = ConformityAnnouncement
    permission = "change"
    follow_next = False

    def act(self, request, announcement):
        form = PostingForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Write the date of the posting at the seat and, if any, the full web address "
                                     "(https://…)."), code="invalid")
        services.announcement_posting_record(actor=request.user, announcement=announcement,
                                             posted_on=form.cleaned_data["posted_on"],
                                             posted_url=form.cleaned_data["posted_url"])
        return _("The posting is recorded.")


class AnnouncementAcknowledgeView(ObjectActionView):
    """The supervising authority acknowledges receipt; the service refuses anyone else (403)."""

    model = ConformityAnnouncement

    def act(self, request, announcement):
        services.announcement_acknowledge(actor=request.user, announcement=announcement)
        return _("Receipt is acknowledged.")


class DecisionDocxView(ObjectDetailView):
    model = ConformityAnnouncement

    def get(self, request, *args, **kwargs):
        announcement = self.get_object()
        response = HttpResponse(documents.decision_docx(announcement), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(announcement, "docx")}"'
        return response


class DecisionPdfView(ObjectDetailView):
    model = ConformityAnnouncement

    def get(self, request, *args, **kwargs):
        announcement = self.get_object()
        try:
            content = documents.decision_pdf(announcement)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(announcement.get_absolute_url())
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(announcement, "pdf")}"'
        return response


# --- The supervisors' inbox -----------------------------------------------------------------------------------


class ReceivedTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"), empty_values=())
    signed_on = tables.DateColumn(format="d/m/Y")
    notified_at = tables.DateTimeColumn(format="H:i d/m/Y")
    receipt = tables.TemplateColumn(template_name="announcements/partials/receipt_cell.html",
                                    verbose_name=gettext_lazy("receipt"), orderable=False, empty_values=())

    class Meta:
        model = ConformityAnnouncement
        fields = ["number", "signed_on", "agency", "kind", "status", "notified_at", "receipt"]

    def render_number(self, value, record):
        return record.number_display


class ReceivedFilterSet(django_filters.FilterSet):
    READ_STATES = (("unread", gettext_lazy("not acknowledged")), ("acknowledged", gettext_lazy("acknowledged")))
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Search"))
    receipt = django_filters.ChoiceFilter(choices=READ_STATES, method="by_receipt", label=gettext_lazy("receipt"))

    class Meta:
        model = ConformityAnnouncement
        fields = ["q", "receipt"]

    def search(self, queryset, name, value):
        from eiso.core.text import fold

        key = fold(value)
        return queryset.filter(agency__search_text__contains=key) if key else queryset

    def by_receipt(self, queryset, name, value):
        if value == "unread":
            return queryset.filter(acknowledged_at__isnull=True)
        if value == "acknowledged":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


class ReceivedListView(ObjectListView):
    """The announcements notified to the supervising authority of the user's provinces (none for other users)."""

    model = ConformityAnnouncement
    table_class = ReceivedTable
    filterset_class = ReceivedFilterSet
    title = gettext_lazy("Announcements received")

    def get_queryset(self):
        return selectors.received_for(self.request.user)

