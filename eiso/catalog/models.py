"""The national catalogue of administrative procedures (global reference data, read by everyone).

A `Procedure` comes from the national portal (a catalogue line, a detail record, or both); its cases
(`ProcedureCase`) carry the statutory durations. Re-imports update rows and append a
`ProcedureChange` for every field that changed, so a changed deadline or legal basis can be traced.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eiso.catalog.choices import DurationUnit, ImportStatus
from eiso.core.querysets import ReferenceManager, ReferenceQuerySet, SearchableQuerySetMixin
from eiso.core.text import fold


class Field(models.Model):
    """A field (lĩnh vực) of procedures, e.g. Hộ tịch."""

    code = models.CharField(_("code"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=255, unique=True)

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def current_first(prefix: str = "") -> tuple:
    """The ordering that puts, of several procedures under one code (see Procedure), the current one first: with
    its detail record, the most recently updated in the national database, the latest. `prefix`: the path to the
    procedure ("procedure__") when ordering its cases."""
    return (models.F(f"{prefix}has_detail").desc(), models.F(f"{prefix}source_updated_at").desc(nulls_last=True),
            models.F(f"{prefix}pk").desc())


class ProcedureQuerySet(SearchableQuerySetMixin, ReferenceQuerySet):
    def for_level(self, level: str):
        return self.filter(**{f"is_{level}_level": True})

    def by_code(self, code: str):
        """The procedures under `code`, the current one first (the code is not unique)."""
        return self.filter(code=code).order_by(*current_first())


class Procedure(models.Model):
    """One administrative procedure (TTHC) of the national catalogue, code like 1.001193.

    The national database identifies a procedure by its id (`source_id`, shared by the catalogue line and
    the detail record); the code is what people use and is unique in practice, but the portal serves one
    pair of different procedures under the same code, so the code is indexed, not unique."""

    code = models.CharField(_("code"), max_length=40, db_index=True)
    name = models.TextField(_("name"))
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True, related_name="procedures",
                              verbose_name=_("field"))
    promulgating_body = models.CharField(_("promulgating body"), max_length=255, blank=True)
    executing_bodies = models.TextField(_("executing bodies"), blank=True)
    is_commune_level = models.BooleanField(_("commune level"), default=False)
    is_province_level = models.BooleanField(_("province level"), default=False)
    is_ministry_level = models.BooleanField(_("ministry level"), default=False)
    is_vertical_level = models.BooleanField(_("vertical agency"), default=False)
    is_other_level = models.BooleanField(_("other agency"), default=False)
    state = models.CharField(_("state in the national database"), max_length=20, blank=True)
    procedure_type = models.CharField(_("type"), max_length=40, blank=True)
    applicants = models.JSONField(_("applicants"), default=list, blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    channels = models.JSONField(_("channels and fees"), default=list, blank=True,
                                help_text="[{channel, duration, duration_unit, fees: [{description, amount}]}]")
    legal_bases = models.JSONField(_("legal bases"), default=list, blank=True,
                                   help_text="[{code, name}]")
    dossier_components = models.JSONField(_("dossier components"), default=list, blank=True,
                                          help_text="[{group, name, original_quantity, copy_quantity, code}]")
    steps_text = models.TextField(_("steps (as published)"), blank=True)
    conditions = models.TextField(_("requirements and conditions"), blank=True)
    has_detail = models.BooleanField(_("detail record imported"), default=False)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    source_created_at = models.DateTimeField(_("created in the national database"), null=True, blank=True)
    source_updated_at = models.DateTimeField(_("updated in the national database"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = ReferenceManager.from_queryset(ProcedureQuerySet)()

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code", "source_id"]
        constraints = [models.UniqueConstraint(fields=["source_id"], condition=~models.Q(source_id=""),
                                               name="procedure_unique_source_id")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)


class ProcedureCase(models.Model):
    """A case of a procedure with its own statutory duration, code like 1.001193.02."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="cases")
    code = models.CharField(_("code"), max_length=50)
    name = models.TextField(_("name"))
    duration = models.DecimalField(_("statutory duration"), max_digits=8, decimal_places=2, null=True, blank=True)
    duration_unit = models.CharField(_("unit"), max_length=20, choices=DurationUnit.choices,
                                     default=DurationUnit.UNKNOWN)
    dossier_components = models.JSONField(_("dossier components"), default=list, blank=True)

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("procedure case")
        verbose_name_plural = _("procedure cases")
        ordering = ["procedure", "code"]
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="procedurecase_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureChange(models.Model):
    """What a re-import changed in a procedure: field, before, after. `is_significant` marks the
    changes that oblige agencies to update their processes (deadlines, legal bases)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    field_name = models.CharField(_("field"), max_length=60)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    is_significant = models.BooleanField(_("significant"), default=False)

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("procedure change")
        verbose_name_plural = _("procedure changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.procedure.code}: {self.field_name}"


class ImportRun(models.Model):
    """One import of catalogue files: counts and the per-record report (code, problem)."""

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    started_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    expected = models.PositiveIntegerField(_("records expected"), null=True, blank=True,
                                           help_text="Counted by a first pass over the files (progress bar).")
    total = models.PositiveIntegerField(_("records read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    warnings = models.PositiveIntegerField(_("warnings"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True,
                              help_text="[{file, line, code, level: warning|error, message}]")

    objects = ReferenceManager()

    class Meta:
        verbose_name = _("catalogue import")
        verbose_name_plural = _("catalogue imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.started_at:%d/%m/%Y %H:%M})"
