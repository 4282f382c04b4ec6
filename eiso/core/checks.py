"""System checks for eISO's invariants (run by `eiso check` and in CI)."""

from django.apps import apps
from django.core import checks

from eiso.core.models import AgencyOwnedModel

# Global reference tables and framework tables that are deliberately not agency-owned.
NOT_AGENCY_OWNED = {
    "accounts.User",
    "accounts.ApiToken",
    "core.AuditLogEntry",
    "organizations.AdminUnit",
    "organizations.AdminUnitName",
    "organizations.Agency",
    "organizations.SupervisingAuthority",
    "calendars.CalendarDay",
    "calendars.OfficeHours",
    "catalog.Field",
    "catalog.Procedure",
    "catalog.ProcedureCase",
    "legal.LegalDocument",
    "legal.LegalRelation",
    "catalog.ProcedureChange",
    "catalog.ImportRun",
}

DOMAIN_APP_PREFIX = "eiso."


@checks.register()
def check_agency_owned_base(app_configs=None, **kwargs):
    """eiso.E001: every eISO domain model inherits AgencyOwnedModel or is on the allowlist;
    eiso.E002: every such model's manager offers restrict()."""
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith(DOMAIN_APP_PREFIX):
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        is_owned = issubclass(model, AgencyOwnedModel)
        if not is_owned and label not in NOT_AGENCY_OWNED and not model._meta.auto_created:
            errors.append(
                checks.Error(
                    f"{label} is a domain model but does not inherit AgencyOwnedModel.",
                    hint="Inherit eiso.core.models.AgencyOwnedModel, or add it to NOT_AGENCY_OWNED in "
                    "eiso/core/checks.py if it is global reference data.",
                    obj=model,
                    id="eiso.E001",
                )
            )
        if not hasattr(model._default_manager.get_queryset(), "restrict") and not model._meta.auto_created:
            errors.append(
                checks.Error(
                    f"{label}'s default manager has no restrict(user, action).",
                    hint="Use RestrictedManager or ReferenceManager from eiso.core.querysets.",
                    obj=model,
                    id="eiso.E002",
                )
            )
    return errors
