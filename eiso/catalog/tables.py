import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from eiso.catalog.models import ImportRun, Procedure

PROCEDURE_LINK = ("catalog:procedure_detail", {"pk": tables.A("pk")})
IMPORT_LINK = ("catalog:import_detail", {"pk": tables.A("pk")})


class ProcedureTable(tables.Table):
    code = tables.Column(linkify=PROCEDURE_LINK)
    name = tables.Column(linkify=PROCEDURE_LINK)
    field = tables.Column(verbose_name=_("field"), order_by=("field__name",))
    levels = tables.TemplateColumn(template_name="catalog/partials/levels_cell.html", verbose_name=_("level"),
                                   orderable=False)
    has_detail = tables.BooleanColumn(verbose_name=_("detail"))

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "has_detail"]


class ImportRunTable(tables.Table):
    started_at = tables.DateTimeColumn(format="H:i d/m/Y", linkify=IMPORT_LINK)
    source = tables.Column(linkify=IMPORT_LINK)
    started_by = tables.Column(default="—")

    class Meta:
        model = ImportRun
        fields = ["started_at", "source", "started_by", "status", "total", "created", "updated", "unchanged",
                  "failed", "warnings"]


class ReportTable(tables.Table):
    """The per-record report of an import (rows are the report's dicts)."""

    file = tables.Column(verbose_name=_("file"), default="")
    line = tables.Column(verbose_name=_("line"), default="")
    code = tables.Column(verbose_name=_("code"), default="")
    level = tables.TemplateColumn(template_name="catalog/partials/level_cell.html", verbose_name=_("level"))
    kind = tables.TemplateColumn(template_name="catalog/partials/kind_cell.html", verbose_name=_("problem"),
                                 orderable=False)
    message = tables.Column(verbose_name=_("details"), orderable=False)
