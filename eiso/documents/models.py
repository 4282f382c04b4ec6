"""Controlled documents and their revisions (ISO 9001 clause 7.5, Decision 19/2014).

A `Document` is the identity (code, title, kind) inside a QMS; each issue is a `Revision`. At most one
revision of a document is open (draft, in review or approved) at a time; a published revision is
immutable and is superseded when the next one is published. Every workflow step writes a
`RevisionEvent` (who, when, from → to, comment). Processes (quy trình) are documents of kind
`process` or `system_procedure`: they share this mechanism. A published revision is distributed to the
agency's people (`RevisionRecipient`), who confirm having read it (clause 7.5.3, and Circular 26's
inspection point "documents disseminated to all staff").
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from eiso.core.errors import ApplicationError
from eiso.core.frozen import FrozenModel, FrozenQuerySet
from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, Role, scope_for
from eiso.core.querysets import RestrictedManager, RestrictedQuerySet, SearchableQuerySetMixin
from eiso.documents.choices import OPEN_STATUSES, DocumentKind, RevisionStatus
from eiso.documents.search import FoldedTextVector


class DocumentQuerySet(SearchableQuerySetMixin, RestrictedQuerySet):
    def search(self, text: str, *, history: bool = False):
        """Code, title and the content of the latest and current revisions; with `history`, of every
        revision (see eiso.documents.search)."""
        from eiso.documents.search import documents_matching

        return documents_matching(self, text, history=history)

    def with_latest_status(self):
        """Annotates `latest_status`: the status of each document's latest revision (what the list shows)."""
        if "latest_status" in self.query.annotations:
            return self
        latest = Revision.objects.filter(document=models.OuterRef("pk")).order_by("-number").values("status")[:1]
        return self.annotate(latest_status=models.Subquery(latest))


class Document(AgencyOwnedModel):
    """A controlled QMS document. `framework_key` marks documents created from the framework model
    (so bootstrapping twice creates nothing twice)."""

    # No index of its own: the unique (qms, code) index serves lookups by QMS.
    qms = models.ForeignKey("organizations.QMS", on_delete=models.PROTECT, related_name="documents",
                            verbose_name=_("QMS"), db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    owner_unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="documents", verbose_name=_("owner unit"))
    review_interval_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    framework_key = models.CharField(_("framework model key"), max_length=80, blank=True)
    current_revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("current revision"))
    search_text = models.TextField(editable=False, blank=True)
    search_vector = models.GeneratedField(expression=FoldedTextVector("search_text"),
                                          output_field=SearchVectorField(null=True), db_persist=True)

    objects = RestrictedManager.from_queryset(DocumentQuerySet)()
    org_unit_field = None

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["qms", "kind", "code"]
        # The list's order within an agency: its first page is read in this order, stopping at 50 matches.
        indexes = [models.Index(fields=["agency", "kind", "code"], name="document_agency_kind_code")]
        constraints = [
            models.UniqueConstraint(fields=["qms", "code"], name="document_unique_code_in_qms",
                                    violation_error_message=_("This code is already used in this QMS.")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        from eiso.documents.search import document_search_text

        self.search_text = document_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("documents:document_detail", args=[self.pk])

    @property
    def open_revision(self):
        return self.revisions.filter(status__in=OPEN_STATUSES).first()


class RevisionQuerySet(FrozenQuerySet, RestrictedQuerySet):
    """Bulk writes cannot change a published issue either."""


class Revision(FrozenModel, AgencyOwnedModel):
    """One issue (lần ban hành) of a document. `content` is the structured content frozen at
    submission and final once published; `number` is the issue number."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions",
                                 verbose_name=_("document"), db_index=False)  # (document, number) serves it
    number = models.PositiveIntegerField(_("issue number"))
    status = models.CharField(_("status"), max_length=20, choices=RevisionStatus.choices,
                              default=RevisionStatus.DRAFT)
    content = models.JSONField(_("content"), default=dict, blank=True)
    change_summary = models.TextField(_("summary of changes"), blank=True)
    change_location = models.CharField(_("where changed"), max_length=200, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("drafted by"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("superseded or withdrawn at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = RestrictedManager.from_queryset(RevisionQuerySet)()

    # Once published an issue is final (eiso.core.frozen): it may only be superseded or withdrawn, with the moment
    # it ended; its text, numbers and who approved it never change again.
    FROZEN_MOVES = {
        RevisionStatus.PUBLISHED: {RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN},
        RevisionStatus.SUPERSEDED: {RevisionStatus.SUPERSEDED},
        RevisionStatus.WITHDRAWN: {RevisionStatus.WITHDRAWN},
    }
    LIFECYCLE_FIELDS = frozenset({"status", "ended_at", "updated_at", "search_text"})

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="revision_unique_number"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="revision_one_open_per_document",
                violation_error_message=_("This document already has a revision in progress."),
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="published"), name="revision_one_published_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} — {self.number}"

    def save(self, *args, **kwargs):
        from eiso.documents.search import document_search_refresh, revision_search_text

        self.search_text = revision_search_text(content=self.content, change_summary=self.change_summary,
                                                change_location=self.change_location)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)
        document_search_refresh(self.document_id)

    @property
    def is_editable(self) -> bool:
        return self.status == RevisionStatus.DRAFT

    @classmethod
    def frozen_error(cls):
        return ApplicationError(gettext("A published issue cannot be changed: draft a new issue of the document."),
                                code="revision_published")


class RevisionEvent(AgencyOwnedModel):
    """A workflow step on a revision: who, when, from → to, and the comment."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("revision event")
        verbose_name_plural = _("revision events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.revision}: {self.action}"


class RevisionRecipientQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        """The agency's managers, auditors and the province's supervisor see the whole distribution (per
        `permitted_roles`); every person also sees their own rows, in the agencies where they still hold a
        role."""
        rows = super().restrict(user, action)
        scope = scope_for(user)
        if action != "view" or scope.is_global or not scope.agency_ids:
            return rows
        return rows | self.filter(user=user, agency__in=scope.agency_ids)


class RevisionRecipient(AgencyOwnedModel):
    """One person a published revision was distributed to, and when they confirmed having read it.

    One row per (revision, person): distributing again adds only new people. `org_unit` is the internal
    unit the revision was sent to when the person was reached through it (None when chosen by name or
    with the whole agency). `reminded_at` / `reminder_count` are kept by the reminder job, so that a
    person is reminded at most once per interval. Rows stay after the revision is superseded or
    withdrawn: they are the record of who had the document.
    """

    # No index of its own: the unique (revision, user) index serves lookups by revision.
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="recipients",
                                 verbose_name=_("revision"), db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_receipts",
                             verbose_name=_("recipient"))
    org_unit = models.ForeignKey("organizations.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("through internal unit"))
    distributed_at = models.DateTimeField(_("distributed at"))
    distributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("distributed by"))
    acknowledged_at = models.DateTimeField(_("read at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    objects = RestrictedManager.from_queryset(RevisionRecipientQuerySet)()
    permitted_roles = {
        "view": {Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.AUDITOR, Role.SUPERVISOR},
        "add": AGENCY_MANAGERS,
        "change": AGENCY_MANAGERS,
        "delete": AGENCY_MANAGERS,
    }

    class Meta:
        verbose_name = _("document recipient")
        verbose_name_plural = _("document recipients")
        ordering = ["revision", "user__full_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "user"], name="revisionrecipient_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.revision} → {self.user}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def _attachment_path(instance, filename: str) -> str:
    # Unguessable, per agency; the original name is kept in `name` and in the download's file name.
    return f"documents/{instance.agency_id}/{instance.revision_id}/{instance.pk}-{filename}"


class Attachment(AgencyOwnedModel):
    """A file of a revision (the signed scan, a form, a spreadsheet...): checked by content and size when
    uploaded, added only to a draft (a published revision never changes), served only to those who may see
    the document."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="attachments",
                                 verbose_name=_("revision"))
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("uploaded by"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["revision", "name"]

    def __str__(self) -> str:
        return self.name
