"""Pages of management reviews: the list by year, create and edit, the detail with the inputs (assemble, comment),
hold, the decisions and actions, the minutes, and the head's confirmation of effectiveness."""

import django_filters
import django_tables2 as tables
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.errors import ApplicationError
from eiso.core.permissions import today
from eiso.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from eiso.reports.review_docx import render_review_minutes_docx, review_minutes_snapshot
from eiso.reviews import services
from eiso.reviews.choices import HELD_STATUSES, PREPARING_STATUSES, ReviewActionStatus, ReviewStatus
from eiso.reviews.forms import ActionDoneForm, ActionForm, CloseForm, CommentForm, ConfirmForm, ReviewForm
from eiso.reviews.models import ManagementReview, ReviewAction, ReviewInput


class ReviewTable(tables.Table):
    number = tables.Column(linkify=True, verbose_name=gettext_lazy("number"))
    meeting_at = tables.DateTimeColumn(format="H:i d/m/Y")

    class Meta:
        model = ManagementReview
        fields = ["number", "year", "title", "agency", "meeting_at", "status"]

    def render_number(self, value, record):
        return f"{value:02d}/{record.year}"


class ReviewFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("year"))
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, label=gettext_lazy("status"))

    class Meta:
        model = ManagementReview
        fields = ["year", "status"]


class ReviewListView(ObjectListView):
    model = ManagementReview
    table_class = ReviewTable
    filterset_class = ReviewFilterSet
    title = gettext_lazy("Management reviews")
    add_url_name = "reviews:review_add"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_create(self.request.user, agency)


def _fields(form) -> dict:
    data = form.cleaned_data
    return {name: data[name] for name in services.EDITABLE} | {
        "place": data["place"] or "", "attendees": data["attendees"] or ""}


class ReviewCreateView(ObjectEditView):
    model = ManagementReview
    form_class = ReviewForm
    title = gettext_lazy("Plan a management review")

    def can_add(self) -> bool:
        agency = getattr(self.request, "agency", None)
        return agency is not None and services.can_create(self.request.user, agency)

    def save(self, form):
        return services.review_create(actor=self.request.user, agency=self.request.agency, **_fields(form))


class ReviewEditView(ObjectEditView):
    model = ManagementReview
    form_class = ReviewForm

    def save(self, form):
        return services.review_update(actor=self.request.user, review=self.object, **_fields(form))


class ReviewDetailView(ObjectDetailView):
    model = ManagementReview
    queryset = ManagementReview.objects.select_related("agency", "chair", "secretary", "effectiveness_confirmed_by")
    template_name = "reviews/review_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.object, self.request.user
        manage = context["can_change"]
        preparing = review.status in PREPARING_STATUSES
        context["inputs"] = list(review.inputs.order_by("order"))
        context["actions"] = [
            (a, a.status == ReviewActionStatus.OPEN and services.can_update_action(user, a),
             a.status == ReviewActionStatus.OPEN and a.due_on < today())
            for a in review.actions.select_related("owner")
        ]
        context["can_edit"] = manage and preparing
        context["can_assemble"] = manage and preparing
        context["can_comment"] = manage and preparing
        context["can_hold"] = manage and preparing
        context["hold_refusal"] = services.hold_refusal(review) if manage and preparing else None
        context["can_add_action"] = manage and review.status == ReviewStatus.HELD
        context["can_close"] = manage and review.status == ReviewStatus.HELD
        context["can_confirm"] = (review.status in HELD_STATUSES and review.effectiveness_confirmed_at is None
                                  and services.is_head(user, review.agency))
        context["comment_form"] = CommentForm()
        context["action_form"] = ActionForm(agency=review.agency)
        context["done_form"] = ActionDoneForm()
        context["close_form"] = CloseForm(initial={"conclusion": review.conclusion})
        context["confirm_form"] = ConfirmForm()
        return context


class ReviewAssembleView(ObjectActionView):
    model = ManagementReview
    permission = "change"
    follow_next = False

    def act(self, request, review):
        services.review_inputs_assemble(actor=request.user, review=review)
        return _("The inputs were assembled from the data of the period.")


class ReviewInputCommentView(ObjectActionView):
    model = ReviewInput
    select_related = ("review",)
    permission = "change"
    follow_next = False

    def act(self, request, review_input):
        services.review_input_comment(actor=request.user, review_input=review_input,
                                      comment=request.POST.get("comment", ""))
        return _("Saved.")

    def get_default_url(self, review_input):
        return review_input.review.get_absolute_url() + f"#input-{review_input.key}"


class ReviewHoldView(ObjectActionView):
    model = ManagementReview
    permission = "change"
    follow_next = False

    def act(self, request, review):
        services.review_hold(actor=request.user, review=review)
        return _("The review is recorded as held.")


class ReviewCloseView(ObjectActionView):
    model = ManagementReview
    permission = "change"
    follow_next = False

    def act(self, request, review):
        services.review_close(actor=request.user, review=review, conclusion=request.POST.get("conclusion", ""))
        return _("The minutes are issued.")


class ReviewConfirmView(ObjectActionView):
    """The head's confirmation; the service refuses anyone else (403)."""

    model = ManagementReview
    follow_next = False

    def act(self, request, review):
        services.review_effectiveness_confirm(actor=request.user, review=review,
                                              statement=request.POST.get("statement", ""))
        return _("The effectiveness of the QMS is confirmed.")


class ReviewActionAddView(ObjectActionView):
    model = ManagementReview
    permission = "change"
    follow_next = False

    def act(self, request, review):
        form = ActionForm(request.POST, agency=review.agency)
        if not form.is_valid():
            raise ApplicationError(_("Complete the action: kind, description, owner (one of the agency's people) and "
                                     "due date."), code="invalid")
        data = form.cleaned_data
        services.review_action_add(actor=request.user, review=review, kind=data["kind"],
                                   description=data["description"], owner=data["owner"], due_on=data["due_on"])
        return _("Saved.")


class ReviewActionDoneView(ObjectActionView):
    model = ReviewAction
    select_related = ("review",)
    follow_next = False

    def act(self, request, action):
        services.review_action_done(actor=request.user, action=action, evidence=request.POST.get("evidence", ""))
        return _("Done.")


class ReviewMinutesView(ObjectDetailView):
    """The minutes as a Word file (a draft until the review is closed)."""

    model = ManagementReview
    queryset = ManagementReview.objects.select_related("agency", "agency__parent", "agency__province", "chair",
                                                       "secretary", "effectiveness_confirmed_by")

    def get(self, request, *args, **kwargs):
        review = self.get_object()
        content = render_review_minutes_docx(review_minutes_snapshot(review))
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                       "wordprocessingml.document")
        name = f"bien-ban-xem-xet-{review.number:02d}-{review.year}.docx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
