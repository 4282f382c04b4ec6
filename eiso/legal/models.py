"""The legal register and the 3-month rule.

`LegalDocument` is national reference data (laws, decrees, circulars, decisions...), seeded from the
legal bases of the procedure catalogue and recorded by administrators and supervising authorities.
`LegalRelation` says that one document amends, replaces, partly replaces or guides another. Catalogue
procedures and QMS documents link to their legal bases.

When a legal document that amends or replaces a legal basis of a QMS document takes effect, each
affected agency has 3 months to update that document: an `UpdateTask` per document, due on the
effective date + 3 months, closed when a new revision is published or dismissed with a justification.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.core.querysets import (
    ReferenceQuerySet,
    RestrictedManager,
    RestrictedQuerySet,
    SearchableQuerySetMixin,
)
from eiso.core.text import fold
from eiso.legal.choices import LegalDocumentType, RelationKind, UpdateTaskReason, UpdateTaskStatus


def can_record(user) -> bool:
    """Whether the user may write the legal register: system administrators and supervising authorities
    (the one rule behind restrict()'s actions other than view and the register's services)."""
    scope = scope_for(user)
    return bool(scope.is_global or scope.supervised_provinces)


class LegalDocumentQuerySet(SearchableQuerySetMixin, ReferenceQuerySet):
    def restrict(self, user, action: str = "view"):
        """Every signed-in user reads the register; administrators and supervising authorities record."""
        if user is None or not user.is_authenticated:
            return self.none()
        if action == "view":
            return self
        return self if can_record(user) else self.none()


class LegalDocument(models.Model):
    """A legal normative document (văn bản quy phạm pháp luật) or another legal text a QMS rests on."""

    doc_type = models.CharField(_("type"), max_length=20, choices=LegalDocumentType.choices,
                                default=LegalDocumentType.OTHER)
    number = models.CharField(_("number"), max_length=80, help_text=_("For example 03/2023/TT-BTP"))
    key = models.CharField(max_length=200, unique=True, editable=False,
                           help_text="normalised number (and issuer for local documents): one row per document")
    title = models.TextField(_("title"), blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    procedures = models.ManyToManyField("catalog.Procedure", related_name="legal_documents", blank=True,
                                        verbose_name=_("procedures"))
    documents = models.ManyToManyField("documents.Document", related_name="legal_documents", blank=True,
                                       verbose_name=_("QMS documents"))
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = models.Manager.from_queryset(LegalDocumentQuerySet)()

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.number}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.number} {self.title} {self.issuer}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("legal:legaldocument_detail", args=[self.pk])


class LegalRelation(models.Model):
    """`source` amends / replaces / partly replaces / guides `target`."""

    source = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="relations_out",
                               verbose_name=_("document"))
    kind = models.CharField(_("relation"), max_length=20, choices=RelationKind.choices)
    target = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="relations_in",
                               verbose_name=_("related document"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = models.Manager.from_queryset(LegalDocumentQuerySet)()

    class Meta:
        verbose_name = _("legal relation")
        verbose_name_plural = _("legal relations")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target"], name="legalrelation_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="legalrelation_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.source.number} {self.get_kind_display()} {self.target.number}"


class UpdateTaskQuerySet(SearchableQuerySetMixin, RestrictedQuerySet):
    pass


class UpdateTask(AgencyOwnedModel):
    """A QMS document an agency must update within 3 months of a change in the law (or in the national
    catalogue's record of a procedure it implements)."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="update_tasks",
                                 verbose_name=_("document"))
    reason = models.CharField(_("reason"), max_length=20, choices=UpdateTaskReason.choices)
    legal_document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="update_tasks", verbose_name=_("new legal document"))
    basis = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("affected legal basis"))
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("changed procedure"))
    summary = models.TextField(_("what changed"), blank=True)
    starts_on = models.DateField(_("counted from"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=UpdateTaskStatus.choices,
                              default=UpdateTaskStatus.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))
    revision = models.ForeignKey("documents.Revision", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("published revision"))
    justification = models.TextField(_("justification"), blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = RestrictedManager.from_queryset(UpdateTaskQuerySet)()
    # Dismissing says the law does not touch the document: the coordinator's or the head's call.
    permitted_roles = {"change": AGENCY_MANAGERS}

    class Meta:
        verbose_name = _("update task")
        verbose_name_plural = _("update tasks")
        ordering = ["due_on", "document__code"]
        constraints = [
            models.UniqueConstraint(fields=["document", "legal_document"], condition=Q(status="open"),
                                    name="updatetask_one_open_per_legal_change"),
            models.UniqueConstraint(fields=["document", "procedure"], condition=Q(status="open"),
                                    name="updatetask_one_open_per_catalogue_change"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="updatetask_status_due")]

    def __str__(self) -> str:
        return f"{self.document.code}: {self.get_reason_display()} ({self.due_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        source = self.legal_document.number if self.legal_document_id else ""
        self.search_text = fold(f"{self.document.code} {self.document.title} {source}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("legal:updatetask_detail", args=[self.pk])
