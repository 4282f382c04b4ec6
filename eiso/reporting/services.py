"""Writes of reporting periods and periodic reports. Each runs in one transaction, checks the actor's right first,
validates before changing anything and leaves an audit entry; a refusal raises ApplicationError
(PermissionDeniedError for a missing right) and changes nothing.

Periods: opened by a supervisor of the province (one pre-filled report per active agency of the province, the
supervising authority itself included), their title, due date and note changed while open, closed when the
supervisor chooses. Reports: edited and refreshed from the records while draft or returned, then moved along
`eiso.reporting.workflow` by `report_transition`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction
from eiso.core.numbering import next_number
from eiso.core.permissions import scope_for
from eiso.core.permissions import today as local_today
from eiso.core.services import text_required
from eiso.core.workflow import transition_check, transition_named
from eiso.reporting import selectors, workflow
from eiso.reporting.choices import PeriodKind, PeriodStatus
from eiso.reporting.figures import report_figures
from eiso.reporting.models import PeriodicReport, PeriodicReportEvent, ReportingPeriod
from eiso.reporting.points import KEYS

FIRST_YEAR = 2014  # Decision 19/2014


def _invalid(errors: dict) -> ApplicationError:
    message = next(iter(errors.values()))[0] if len(errors) == 1 else _("Correct the fields shown.")
    return ApplicationError(message, code="invalid_period", errors=errors)


def default_dates(kind: str, year: int, half: int | None) -> tuple[dt.date, dt.date]:
    """The period a report covers by default: the half or the whole year (ad hoc: the year so far)."""
    if kind == PeriodKind.SIX_MONTHLY and half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if kind == PeriodKind.SIX_MONTHLY and half == 2:
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def default_title(kind: str, year: int, half: int | None) -> str:
    """In Vietnamese, the language of the reports (the title is stored)."""
    with translation.override("vi"):
        if kind == PeriodKind.SIX_MONTHLY:
            return (_("QMS report, first half of %(year)s") if half == 1
                    else _("QMS report, second half of %(year)s")) % {"year": year}
        if kind == PeriodKind.YEARLY:
            return _("QMS report, year %(year)s") % {"year": year}
        return _("QMS report on request, %(year)s") % {"year": year}


def _validate_period(kind, year, half, starts_on, ends_on, due_on, today) -> dict:
    errors = {}
    if kind not in PeriodKind.values:
        errors["kind"] = [_("Choose 6-monthly, yearly or ad hoc.")]
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year + 1:
        errors["year"] = [_("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR,
                                                                            "last": today.year + 1}]
    if kind == PeriodKind.SIX_MONTHLY and half not in (1, 2):
        errors["half"] = [_("Say which half of the year: 1 or 2.")]
    if due_on is None:
        errors["due_on"] = [_("Give the date the reports are due (dd/mm/yyyy).")]
    if starts_on and ends_on and starts_on > ends_on:
        errors["ends_on"] = [_("The period must end after it starts.")]
    return errors


@transaction.atomic
def period_open(*, actor, province, kind: str, year: int, due_on: dt.date | None, half: int | None = None,
                title: str = "", starts_on: dt.date | None = None, ends_on: dt.date | None = None, note: str = "",
                today: dt.date | None = None) -> ReportingPeriod:
    """Open a reporting period of the province's supervising authority and create one report, pre-filled from the
    records, for every agency of the province in existence on `today` (the authority itself included). Refused when
    the same yearly or 6-monthly period exists already."""
    from eiso.organizations.models import Agency
    from eiso.organizations.services import authority_required

    today = today or local_today()
    if actor is not None and not scope_for(actor).is_authority_for(province.pk):
        raise PermissionDeniedError(_("Only the supervising authority of the province opens its reporting periods."))
    authority = authority_required(province)
    if kind != PeriodKind.SIX_MONTHLY:
        half = None
    errors = _validate_period(kind, year, half, starts_on, ends_on, due_on, today)
    if errors:
        raise _invalid(errors)
    default_start, default_end = default_dates(kind, year, half)
    starts_on, ends_on = starts_on or default_start, ends_on or default_end
    if starts_on > ends_on:
        raise _invalid({"ends_on": [_("The period must end after it starts.")]})
    Agency.objects.select_for_update().filter(pk=authority.pk).exists()  # one opening at a time
    existing = ReportingPeriod.objects.filter(agency=authority, kind=kind, year=year, half=half)
    if kind != PeriodKind.AD_HOC and existing.exists():
        raise ApplicationError(_("This period is already open: %(title)s.") % {"title": existing.first()},
                               code="period_exists", errors={"kind": [_("Already opened.")]})
    period = ReportingPeriod(agency=authority, kind=kind, year=year, half=half,
                             title=(title or "").strip() or default_title(kind, year, half), starts_on=starts_on,
                             ends_on=ends_on, due_on=due_on, note=(note or "").strip(), opened_by=actor)
    period.full_clean()
    period.save()
    audit_record(actor=actor, instance=period, action=AuditAction.CREATE)
    now, cache = timezone.now(), {}
    for agency in Agency.objects.filter(province=province).valid_on(today).select_related("admin_unit"):
        report = PeriodicReport(agency=agency, period=period, figures_at=now,
                                figures=report_figures(agency=agency, year=year, start=starts_on, end=ends_on,
                                                       today=today, cache=cache))
        report.save()
        audit_record(actor=actor, instance=report, action=AuditAction.CREATE, after={"agency_id": str(agency.pk),
                                                                                      "period_id": str(period.pk)})
    return period


def _locked_period(actor, period: ReportingPeriod) -> ReportingPeriod:
    if not selectors.can_manage_period(actor, period):
        raise PermissionDeniedError(_("Only the supervising authority of the province changes its reporting "
                                      "periods."))
    return ReportingPeriod.objects.select_for_update().get(pk=period.pk)


@transaction.atomic
def period_update(*, actor, period: ReportingPeriod, title: str, due_on: dt.date | None,
                  note: str = "") -> ReportingPeriod:
    """Change the title, the due date or the note of an open period (a due date moved for every agency)."""
    period = _locked_period(actor, period)
    if not period.is_open:
        raise ApplicationError(_("The period is closed: it can no longer change."), code="period_closed")
    title = text_required(title, "title", _("Give the period a title."))
    if due_on is None:
        raise _invalid({"due_on": [_("Give the date the reports are due (dd/mm/yyyy).")]})
    before = snapshot(period)
    period.title, period.due_on, period.note = title, due_on, (note or "").strip()
    period.full_clean()
    period.save()
    audit_record(actor=actor, instance=period, action=AuditAction.UPDATE, before=before)
    return period


@transaction.atomic
def period_close(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Close the period: its reports no longer change. Reports not submitted stay as they are (late)."""
    period = _locked_period(actor, period)
    if not period.is_open:
        raise ApplicationError(_("The period is already closed."), code="period_closed")
    before = snapshot(period)
    period.status, period.closed_at, period.closed_by = PeriodStatus.CLOSED, timezone.now(), actor
    period.save()
    audit_record(actor=actor, instance=period, action=AuditAction.TRANSITION, before=before, note=_("Closed"))
    return period


# --- Reports --------------------------------------------------------------------------------------------------


def _locked_report(report: PeriodicReport) -> PeriodicReport:
    return PeriodicReport.objects.select_for_update().select_related("period", "agency").get(pk=report.pk)


def _require_editable(report: PeriodicReport) -> None:
    message = workflow.period_closed(report)
    if message:
        raise ApplicationError(message, code="period_closed")
    if not report.is_editable:
        raise ApplicationError(_("The report is %(status)s: it can be changed only as a draft or once returned. "
                                 "Take it back to draft first if it is not submitted yet.")
                               % {"status": report.get_status_display()}, code="not_editable")


def _require_manager(actor, report) -> None:
    if not selectors.can_manage(actor, report):
        raise PermissionDeniedError(_("Only the agency head and the ISO coordinator complete the agency's report."))


EDITABLE = ("number", "results", "difficulties", "proposals")


@transaction.atomic
def report_update(*, actor, report: PeriodicReport, remarks: dict | None = None, **changes) -> PeriodicReport:
    """Complete the report while draft or returned: its number, narrative (results, difficulties, proposals) and the
    remark on each inspection point (`remarks`: point key -> text; the keys given replace theirs)."""
    _require_manager(actor, report)
    report = _locked_report(report)
    _require_editable(report)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s.")
                               % {"fields": ", ".join(sorted(unknown))}, code="not_editable")
    if remarks is not None:
        wrong = sorted(set(remarks) - set(KEYS))
        if wrong:
            message = _("Unknown inspection points: %(keys)s.") % {"keys": ", ".join(wrong)}
            raise ApplicationError(message, code="unknown_point", errors={"remarks": [message]})
    before = snapshot(report)
    for name, value in changes.items():
        setattr(report, name, (value or "").strip())
    if remarks is not None:
        merged = dict(report.remarks)
        for key, text in remarks.items():
            text = (text or "").strip()
            if text:
                merged[key] = text
            else:
                merged.pop(key, None)
        report.remarks = {key: merged[key] for key in KEYS if key in merged}
    report.full_clean()
    report.save()
    audit_record(actor=actor, instance=report, action=AuditAction.UPDATE, before=before)
    return report


@transaction.atomic
def report_refresh(*, actor, report: PeriodicReport, today: dt.date | None = None) -> PeriodicReport:
    """Take the figures again from the records ("Update the figures"), while draft or returned. The remarks and the
    narrative are kept."""
    _require_manager(actor, report)
    report = _locked_report(report)
    _require_editable(report)
    before = snapshot(report)
    period = report.period
    report.figures = report_figures(agency=report.agency, year=period.year, start=period.starts_on,
                                    end=period.ends_on, today=today or local_today())
    report.figures_at = timezone.now()
    report.save()
    audit_record(actor=actor, instance=report, action=AuditAction.UPDATE, before=before,
                 note=_("Figures updated from the records"))
    return report


def _require_right(actor, report: PeriodicReport, transition) -> None:
    """Who may apply `transition` (None: the system, for commands and the demo)."""
    if actor is None:
        return
    if transition.permission == "approve":
        if not selectors.is_head(actor, report.agency):
            raise PermissionDeniedError(_("Only the agency head signs off the agency's report."))
    elif transition.permission == workflow.SUPERVISE:
        if not selectors.can_supervise(actor, report):
            raise PermissionDeniedError(_("Only the supervising authority of the province accepts or returns "
                                          "reports."))
    else:
        _require_manager(actor, report)


@transaction.atomic
def report_transition(*, actor, report: PeriodicReport, action: str, comment: str = "") -> PeriodicReport:
    """Apply a transition of the workflow: sign_off (the head), reopen and submit (head or coordinator), accept and
    return (the supervisors of the province; returning needs a comment saying what to correct)."""
    transition = transition_named(workflow.TRANSITIONS, action)
    _require_right(actor, report, transition)
    report = _locked_report(report)
    transition_check(transition, report, refused=_("“%(action)s” is not possible while the report is %(status)s."))
    comment = (comment or "").strip()
    if action == "return":
        comment = text_required(comment, "comment", _("Say what the agency should correct: the comment is sent back "
                                                      "with the report."))
    before = snapshot(report)
    from_status = report.status
    now = timezone.now()
    report.status = transition.target
    if action == "sign_off":
        report.signed_off_by, report.signed_off_at = actor, now
    elif action == "reopen":
        report.signed_off_by, report.signed_off_at = None, None
    elif action == "submit":
        report.submitted_by, report.submitted_at = actor, now
        report.first_submitted_at = report.first_submitted_at or now
    elif action in ("accept", "return"):
        report.decided_by, report.decided_at, report.supervisor_comment = actor, now, comment
    report.save()
    PeriodicReportEvent.objects.create(agency_id=report.agency_id, report=report, action=action,
                                       sequence=next_number(report.events.all(), field="sequence"),
                                       from_status=from_status, to_status=report.status, actor=actor, comment=comment)
    audit_record(actor=actor, instance=report, action=AuditAction.TRANSITION, before=before,
                 note=" — ".join(filter(None, [str(transition.label), comment])))
    return report

