"""Writes of the PAR-index criteria: add, change, delete a criterion, and start a year from the previous one. Only
the supervising authority of the province (its supervisors) and administrators write them. Each write runs in one
transaction, validates before changing anything and is audited; a refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.permissions import scope_for
from eiso.organizations.services import authority_required
from eiso.par.choices import Scoring
from eiso.par.models import ParCriterion
from eiso.par.rules import RULES

FIELDS = ("year", "code", "name", "max_points", "rule", "scoring", "note")
FIRST_YEAR, LAST_YEAR = 2014, 2100


def _require_authority(actor, province) -> None:
    if actor is not None and not scope_for(actor).is_authority_for(province.pk):
        raise PermissionDeniedError(_("Only the supervising authority of %(province)s sets its PAR-index criteria.")
                                    % {"province": province})


def _authority(province):
    return authority_required(province)


def _year(value, field: str = "year") -> int:
    if not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        message = _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        raise ApplicationError(message, code="invalid_year", errors={field: [message]})
    return value


def _clean(data: dict) -> dict:
    """The criterion's fields, checked; every error at once, on its field."""
    errors: dict = {}
    values = {name: data.get(name) for name in FIELDS}
    try:
        values["year"] = _year(values["year"])
    except ApplicationError as exc:
        errors.update(exc.errors)
    for name, message in (("code", _("Give the criterion's number, e.g. 6.3.")),
                          ("name", _("Give the criterion's name as the methodology words it."))):
        values[name] = (values[name] or "").strip()
        if not values[name]:
            errors[name] = [message]
    try:
        points = Decimal(str(values["max_points"]))
        if not points.is_finite() or points <= 0 or points >= 10000:
            raise InvalidOperation
        values["max_points"] = points.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        errors["max_points"] = [_("Give the maximum points as a positive number, e.g. 1 or 0.5.")]
    if values["rule"] not in RULES:
        errors["rule"] = [_("Choose one of the rules in the list.")]
    values["scoring"] = values["scoring"] or Scoring.ALL_OR_NOTHING
    if values["scoring"] not in Scoring.values:
        errors["scoring"] = [_("Choose all or nothing, or in proportion to the sub-items met.")]
    values["note"] = (values["note"] or "").strip()
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], code="invalid_criterion", errors=errors)
    return values


def _check_unique(agency, year: int, code: str, exclude=None) -> None:
    clash = ParCriterion.objects.filter(agency=agency, year=year, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ApplicationError(_("%(year)s already has a criterion %(code)s: change that one instead.")
                               % {"year": year, "code": code}, code="duplicate_criterion",
                               errors={"code": [_("This number is already used in this year.")]})


@transaction.atomic
def criterion_create(*, actor, province, data: dict) -> ParCriterion:
    """Add a criterion to the province's methodology of a year."""
    _require_authority(actor, province)
    agency = _authority(province)
    values = _clean(data)
    _check_unique(agency, values["year"], values["code"])
    criterion = ParCriterion(agency=agency, **values)
    criterion.full_clean()
    criterion.save()
    audit_record(actor=actor, instance=criterion, action=AuditAction.CREATE)
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: ParCriterion, data: dict) -> ParCriterion:
    """Change a criterion (its wording, points, rule or scoring)."""
    criterion = ParCriterion.objects.select_for_update().select_related("agency").get(pk=criterion.pk)
    _require_authority(actor, criterion.agency.province)
    values = _clean({**{name: getattr(criterion, name) for name in FIELDS}, **data})
    _check_unique(criterion.agency, values["year"], values["code"], exclude=criterion)
    before = snapshot(criterion)
    for name, value in values.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    audit_record(actor=actor, instance=criterion, action=AuditAction.UPDATE, before=before)
    return criterion


@transaction.atomic
def criterion_delete(*, actor, criterion: ParCriterion) -> None:
    criterion = ParCriterion.objects.select_for_update().select_related("agency").get(pk=criterion.pk)
    _require_authority(actor, criterion.agency.province)
    audit_record(actor=actor, instance=criterion, action=AuditAction.DELETE, before=snapshot(criterion))
    criterion.delete()


@transaction.atomic
def criteria_copy_year(*, actor, province, from_year: int, to_year: int) -> list[ParCriterion]:
    """Start `to_year`'s criteria from `from_year`'s (same numbers, names, points, rules), to be edited to the new
    methodology. Refused when `to_year` already has criteria or `from_year` has none."""
    _require_authority(actor, province)
    agency = _authority(province)
    _year(from_year, "from_year")
    _year(to_year, "to_year")
    if from_year == to_year:
        raise ApplicationError(_("Choose two different years."), code="same_year",
                               errors={"to_year": [_("Choose two different years.")]})
    list(ParCriterion.objects.select_for_update().filter(agency=agency, year__in=(from_year, to_year)))
    if ParCriterion.objects.filter(agency=agency, year=to_year).exists():
        raise ApplicationError(_("%(year)s already has criteria: nothing was copied. Edit them, or delete them "
                                 "first to copy again.") % {"year": to_year}, code="year_not_empty")
    sources = list(ParCriterion.objects.filter(agency=agency, year=from_year))
    if not sources:
        raise ApplicationError(_("%(year)s has no criteria to copy. Add the criteria one by one.")
                               % {"year": from_year}, code="nothing_to_copy")
    copies = []
    for source in sources:
        copy = ParCriterion(agency=agency, year=to_year, **{name: getattr(source, name) for name in FIELDS
                                                            if name != "year"})
        copy.full_clean()
        copy.save()
        audit_record(actor=actor, instance=copy, action=AuditAction.CREATE,
                     note=_("Copied from %(year)s") % {"year": from_year})
        copies.append(copy)
    return copies
