"""An agency's processes (quy trình): how it handles one administrative procedure (or internal work).

A `Process` is the working content; its identity, issue numbers, approvals and amendment log are
those of its controlled `documents.Document` (one-to-one). The content is frozen into the document's
revision when it is submitted and is final once published: the public page and the printed DOCX/PDF
of a published process read that snapshot, never the live rows.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.core.models import AgencyOwnedModel
from eiso.core.querysets import RestrictedManager, RestrictedQuerySet, SearchableQuerySetMixin
from eiso.core.text import fold
from eiso.processes.choices import ProcessKind, StepDurationUnit

HOURS_PER_DAY = Decimal(8)


class ProcessQuerySet(SearchableQuerySetMixin, RestrictedQuerySet):
    pass


class Process(AgencyOwnedModel):
    """A process document of an agency's QMS."""

    qms = models.ForeignKey(  # no index of its own: the unique (qms, code) index serves lookups by QMS
        "organizations.QMS", on_delete=models.PROTECT, related_name="processes", verbose_name=_("QMS"),
        db_index=False,
    )
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="process", verbose_name=_("document")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices, default=ProcessKind.PROCEDURE)
    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    procedures = models.ManyToManyField(
        "catalog.Procedure", blank=True, related_name="processes", verbose_name=_("administrative procedures")
    )
    cases = models.ManyToManyField(
        "catalog.ProcedureCase", blank=True, related_name="processes", verbose_name=_("procedure cases")
    )
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    references = models.JSONField(_("references"), default=list, blank=True)
    definitions = models.JSONField(
        _("definitions and abbreviations"), default=list, blank=True, help_text="[{term, meaning}]"
    )
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True)
    conditions = models.TextField(_("requirements and conditions"), blank=True)
    dossier_components = models.JSONField(
        _("dossier components"),
        default=list,
        blank=True,
        help_text="[{name, kind: original|copy|original_or_copy, quantity}]",
    )
    number_of_sets = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    place_of_receipt = models.TextField(_("place of receipt and return"), blank=True)
    competent_units = models.TextField(_("competent authority"), blank=True)
    cooperating_units = models.TextField(_("cooperating units"), blank=True)
    applicants = models.TextField(_("applicants"), blank=True)
    fees = models.TextField(_("fees"), blank=True)
    result = models.TextField(_("result"), blank=True)
    content_intro = models.TextField(_("content (introduction)"), blank=True)
    records = models.JSONField(_("records to keep"), default=list, blank=True, help_text="[{name, place, retention}]")
    supplement_restarts_clock = models.BooleanField(
        _("after a supplement, the time counts again from zero"), default=True,
        help_text=_("The 2018 rule. Untick to resume the count where it stopped."))
    framework_key = models.CharField(_("framework model key"), max_length=80, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = RestrictedManager.from_queryset(ProcessQuerySet)()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["qms", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["qms", "code"], name="process_unique_code_in_qms")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.title} {' '.join(self.procedure_codes)}")
        super().save(*args, **kwargs)

    @property
    def procedure_codes(self) -> list[str]:
        if not self.pk:
            return []
        return [p.code for p in self.procedures.all()]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("processes:process_detail", args=[self.pk])


class ProcessStep(AgencyOwnedModel):
    """One step (B1…Bn) of a process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps",
                                db_index=False)  # the unique (process, order) index serves it
    order = models.PositiveSmallIntegerField(_("step"))
    action = models.TextField(_("action"))
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    responsible_unit = models.ForeignKey(
        "organizations.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="process_steps",
        verbose_name=_("responsible unit"),
    )
    duration = models.DecimalField(_("time"), max_digits=7, decimal_places=2, null=True, blank=True)
    duration_unit = models.CharField(
        _("time unit"), max_length=20, choices=StepDurationUnit.choices, default=StepDurationUnit.HOUR
    )
    duration_text = models.CharField(
        _("time (as printed)"),
        max_length=500,
        blank=True,
        help_text=_("Free text for steps whose time is not counted, e.g. 'In office hours'."),
    )
    forms = models.JSONField(_("forms used"), default=list, blank=True, help_text="[form code]")
    output = models.TextField(_("output"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "order"]
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="processstep_unique_order")]

    def __str__(self) -> str:
        return f"B{self.order}. {self.action[:60]}"

    @property
    def hours(self) -> Decimal:
        """Working hours this step counts against the statutory deadline (8 hours a day)."""
        if self.duration is None or self.duration_unit == StepDurationUnit.NOT_COUNTED:
            return Decimal(0)
        return self.duration * (HOURS_PER_DAY if self.duration_unit == StepDurationUnit.DAY else 1)


class FormTemplate(AgencyOwnedModel):
    """A blank form (biểu mẫu) used by a process, optionally with its file."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="forms",
                                db_index=False)  # the unique (process, code) index serves it
    code = models.CharField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="forms/%Y/", blank=True)

    class Meta:
        verbose_name = _("form")
        verbose_name_plural = _("forms")
        ordering = ["process", "code"]
        constraints = [models.UniqueConstraint(fields=["process", "code"], name="formtemplate_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
