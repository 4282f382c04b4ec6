"""Reads with logic on controlled documents: what a document page shows, who must read what, the
distribution panel of a document, and the documents due for their periodic review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from eiso.core.dates import add_months
from eiso.core.permissions import AGENCY_MANAGERS, scope_for, today
from eiso.documents.choices import RevisionStatus
from eiso.documents.models import Attachment, Document, Revision, RevisionRecipient
from eiso.documents.workflow import available
from eiso.organizations.models import Agency, OrgUnit, RoleAssignment

REVIEW_HORIZON_DAYS = 30  # documents due within this many days are listed as upcoming


def can_manage_documents(*, user, agency_id) -> bool:
    """Whether the user is the head or ISO coordinator of the agency (or a system administrator):
    the people who distribute its documents and confirm their periodic review."""
    if user is None or not user.is_authenticated:
        return False
    scope = scope_for(user)
    return scope.is_global or agency_id in scope.agencies_for("change", {"change": AGENCY_MANAGERS})


# --- The document page ---------------------------------------------------------------------------------


def document_page_context(*, document: Document, user, revision: Revision | None, unread_only: bool,
                          known: dict | None = None) -> dict:
    """What the document page and the process page both show of a document, `revision` being its latest:
    the workflow actions open to the user, the draft's change summary, legal bases, attachments,
    amendment log, revisions and distribution. One restrict() query per permission asked, none for those
    already `known` ({permission: bool} on this document)."""
    from eiso.documents.services import amendment_log
    from eiso.legal.selectors import legal_bases_for

    transitions = available(revision.status) if revision else []
    allowed = dict(known or {})
    for permission in dict.fromkeys(["change", *(t.permission for t in transitions)]):
        if permission not in allowed:
            allowed[permission] = Document.objects.restrict(user, permission).filter(pk=document.pk).exists()
    return {
        "revision": revision,
        "actions": [t for t in transitions if allowed[t.permission]],
        "amendments": amendment_log(document=document),
        "attachments": document_attachments(document=document),
        "legal_bases": legal_bases_for(document),
        "object_document": document,
        "attachment_max_mb": settings.EISO["ATTACHMENT_MAX_MB"],
        "can_edit_summary": allowed["change"],
        "revisions": document.revisions.order_by("-number").select_related("drafted_by", "approved_by"),
        "distribution": distribution_panel(document=document, user=user, unread_only=unread_only),
    }


# --- Distribution and acknowledgement ------------------------------------------------------------------


def agency_members(*, agency_id, on: dt.date | None = None):
    """The active people holding an active role in the agency: who may receive its documents."""
    users = RoleAssignment.objects.active(on=on).filter(agency_id=agency_id).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True)


def org_unit_members(*, org_unit: OrgUnit, on: dt.date | None = None) -> list:
    """Ids of the active people holding an active role in the unit or one of its sub-units (a unit's
    documents reach the people of the units below it), in a stable order."""
    units = OrgUnit.objects.subtree_ids(org_unit.pk)
    return list(
        RoleAssignment.objects.active(on=on)
        .filter(agency_id=org_unit.agency_id, org_unit_id__in=units, user__is_active=True)
        .order_by("user_id").values_list("user_id", flat=True).distinct()
    )


def documents_to_read(*, user):
    """The revisions distributed to the user that they have not confirmed yet, newest first (superseded
    and withdrawn ones included: they can still be confirmed, and the page marks them)."""
    return (
        RevisionRecipient.objects.restrict(user, "view")
        .filter(user=user, acknowledged_at__isnull=True)
        .select_related("revision__document__process", "org_unit", "distributed_by")
        .order_by("-distributed_at", "revision__document__code")
    )


def to_read_count(*, user) -> int:
    """The number shown next to "To read" in the menu."""
    if user is None or not user.is_authenticated:
        return 0
    return RevisionRecipient.objects.restrict(user, "view").filter(user=user, acknowledged_at__isnull=True).count()


def distribution_choices(*, user, agency_id) -> tuple:
    """(internal units, people) of the agency that `user` may send a document to, as restrict() shows
    them: the distribution form's choices."""
    units = OrgUnit.objects.restrict(user, "view").filter(agency_id=agency_id).order_by("name")
    people = (
        get_user_model().objects.restrict(user, "view")
        .filter(pk__in=agency_members(agency_id=agency_id).values("pk"))
        .order_by("full_name", "username")
    )
    return units, people


@dataclass
class DistributionPanel:
    """What the distribution panel of a document page shows to one user."""

    document: Document
    revision: Revision | None  # the published issue, None when nothing is in force
    can_distribute: bool
    can_see_recipients: bool
    recipients: list  # the rows shown (all, or only those not yet read)
    total: int
    acknowledged: int
    unread_only: bool
    my_receipt: RevisionRecipient | None  # the viewing user's own row, to confirm from the document page
    unit_choices: object = ()  # for the distribution form (managers only)
    people_choices: object = ()

    @property
    def pending(self) -> int:
        return self.total - self.acknowledged


def distribution_panel(*, document: Document, user, unread_only: bool = False) -> DistributionPanel:
    """The distribution of the document's published issue as `user` may see it: the head, the
    coordinator, auditors and the province's supervisor see every recipient; everyone sees their own row.
    The document and the process pages both show it. Three queries at most, whatever the number of
    recipients."""
    revision = document.current_revision
    if revision is None or revision.status != RevisionStatus.PUBLISHED:
        return DistributionPanel(document=document, revision=None, can_distribute=False, can_see_recipients=False,
                                 recipients=[], total=0, acknowledged=0, unread_only=unread_only, my_receipt=None)
    visible = RevisionRecipient.objects.restrict(user, "view").filter(revision=revision)
    can_see = _sees_distribution(user=user, agency_id=document.agency_id)
    recipients, total, acknowledged = [], 0, 0
    if can_see:
        counts = visible.aggregate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
        total, acknowledged = counts["total"], counts["acknowledged"]
        rows = visible.filter(acknowledged_at__isnull=True) if unread_only else visible
        recipients = list(rows.select_related("user", "org_unit", "distributed_by"))
    can_distribute = can_manage_documents(user=user, agency_id=document.agency_id)
    units, people = distribution_choices(user=user, agency_id=document.agency_id) if can_distribute else ((), ())
    return DistributionPanel(
        document=document, revision=revision, can_distribute=can_distribute, can_see_recipients=can_see,
        recipients=recipients, total=total, acknowledged=acknowledged, unread_only=unread_only,
        my_receipt=visible.filter(user=user).first(), unit_choices=units, people_choices=people,
    )


def _sees_distribution(*, user, agency_id) -> bool:
    """Whether restrict() shows the user the agency's whole distribution, not only their own rows."""
    scope = scope_for(user)
    if scope.is_global:
        return True
    permitted = RevisionRecipient.permitted_roles
    if agency_id in scope.agencies_for("view", permitted):
        return True
    if scope.supervises_for("view", permitted):
        return Agency.objects.filter(pk=agency_id, province__in=scope.supervised_provinces).exists()
    return False


# --- Periodic review ------------------------------------------------------------------------------------


class ReviewState:
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class ReviewDue:
    document: Document
    reviewed_from: dt.date  # the later of the effective date and the last confirmed review
    due_on: dt.date
    state: str  # ReviewState

    @property
    def is_overdue(self) -> bool:
        return self.state == ReviewState.OVERDUE


def documents_due_for_review(*, agency, on: dt.date | None = None,
                             horizon_days: int = REVIEW_HORIZON_DAYS) -> list[ReviewDue]:
    """Documents of the agency whose published issue must be reviewed: due (review_interval_months after
    the later of its effective date and the last confirmed review) before `on` — overdue — or on `on`
    and within `horizon_days` after it — upcoming. Most overdue first. An interval of 0 months means no
    periodic review. The date arithmetic is done here (in months, portable across databases); an agency
    holds a few hundred documents."""
    on = on or today()
    horizon = on + dt.timedelta(days=horizon_days)
    documents = (
        Document.objects.filter(agency=agency, current_revision__status=RevisionStatus.PUBLISHED,
                                review_interval_months__gt=0)
        .select_related("current_revision", "process")
        .order_by("code")
    )
    rows = []
    for document in documents:
        revision = document.current_revision
        issued = revision.effective_on or (revision.published_at and timezone.localdate(revision.published_at))
        if issued is None:
            continue
        reviewed_from = max(issued, document.last_reviewed_on) if document.last_reviewed_on else issued
        due_on = add_months(reviewed_from, document.review_interval_months)
        if due_on <= horizon:
            state = ReviewState.OVERDUE if due_on < on else ReviewState.UPCOMING
            rows.append(ReviewDue(document=document, reviewed_from=reviewed_from, due_on=due_on, state=state))
    rows.sort(key=lambda row: (row.due_on, row.document.code))
    return rows


def reminders_due(*, now, interval_days: int):
    """Recipients to remind: not confirmed, distributed at least `interval_days` ago, not reminded in the
    last `interval_days`, and the issue still in force (no one is reminded to read a withdrawn or
    superseded document)."""
    cutoff = now - dt.timedelta(days=interval_days)
    return RevisionRecipient.objects.filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff),
        acknowledged_at__isnull=True, distributed_at__lte=cutoff, revision__status=RevisionStatus.PUBLISHED,
        user__is_active=True,
    )


def document_attachments(*, document) -> list:
    """The files of every revision of a document, newest issue first."""
    return list(Attachment.objects.filter(revision__document=document).select_related("revision", "uploaded_by")
                .order_by("-revision__number", "name"))
