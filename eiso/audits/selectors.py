"""Reads of the audits app that other apps use (reviews, compliance) and the data of its documents."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from eiso.audits.choices import AuditStatus, FindingGrade
from eiso.audits.clause_library import clause_library
from eiso.audits.models import AuditFinding, AuditProgramme, InternalAudit


def review_input(*, agency, start: dt.date, end: dt.date) -> list[tuple[str, str]]:
    """Audit results for the management review (ISO 9001 9.3.2): the audits held in the period (started or
    completed in it), their findings by grade, and the nonconformities raised from them, with how many are
    closed. Empty when no audit was held in the period."""
    audits = InternalAudit.objects.filter(agency=agency).filter(
        Q(completed_on__range=(start, end)) | Q(start_on__range=(start, end), status__in=[
            AuditStatus.IN_PROGRESS, AuditStatus.COMPLETED])).order_by("start_on")
    audits = list(audits)
    if not audits:
        return []
    completed = sum(1 for a in audits if a.status == AuditStatus.COMPLETED)
    lines = [(_("Internal audits held"), _("%(count)s (%(completed)s completed): %(numbers)s") % {
        "count": len(audits), "completed": completed, "numbers": ", ".join(a.number for a in audits)})]
    findings = AuditFinding.objects.filter(audit__in=audits)
    counts = dict(findings.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    lines.append((_("Audit findings"), "; ".join(
        f"{label}: {counts.get(value, 0)}" for value, label in FindingGrade.choices)))
    raised = findings.exclude(nonconformity=None)
    total = raised.count()
    closed = raised.filter(nonconformity__status="closed").count()
    lines.append((_("Nonconformities raised from the audits"),
                  _("%(total)s raised, %(closed)s closed, %(open)s still open") % {
                      "total": total, "closed": closed, "open": total - closed}))
    return lines


def evidence_records(*, agency, year: int) -> list[dict]:
    """The year's internal audit records for the evidence folder: the approved programme and each audit."""
    records = []
    programme = AuditProgramme.objects.filter(agency=agency, year=year).first()
    if programme is None:
        return records
    on = (programme.approved_at.date() if programme.approved_at else programme.created_at.date())
    records.append({"title": str(programme), "url": programme.get_absolute_url(), "on": on})
    for audit in programme.audits.order_by("sequence"):
        records.append({"title": _("Internal audit plan %(number)s") % {"number": audit.number},
                        "url": reverse("audits:audit_plan_docx", args=[audit.pk]), "on": audit.start_on})
        if audit.status == AuditStatus.COMPLETED:
            records.append({"title": _("Internal audit report %(number)s") % {"number": audit.number},
                            "url": reverse("audits:audit_report_docx", args=[audit.pk]),
                            "on": audit.completed_on or audit.end_on})
    return records


def audit_completed_on(*, agency, year: int) -> dt.date | None:
    """When the last audit of the year's programme was completed; None without a programme, without audits,
    or while one of its audits is not completed."""
    programme = AuditProgramme.objects.filter(agency=agency, year=year).first()
    if programme is None:
        return None
    audits = list(programme.audits.values_list("status", "completed_on"))
    if not audits or any(status != AuditStatus.COMPLETED for status, _on in audits):
        return None
    return max(on for _status, on in audits if on is not None)


# --- Document data ------------------------------------------------------------------------------------------


def _agency(agency) -> dict:
    parent = agency.parent.name if agency.parent_id else (agency.province.name if agency.province_id else "")
    return {"name": agency.name, "parent_name": parent,
            "place": agency.province.name if agency.province_id else ""}


def _person(user) -> str:
    return (user.full_name or user.get_username()) if user else ""


def _clause_label(library, number: str) -> str:
    return str(library.get(number)) if number in library else number


def audit_document_data(audit: InternalAudit) -> dict:
    """Everything the plan and the report show, as plain data (see eiso.reports.audit_docx)."""
    library = clause_library(audit.library_version)
    lead = audit.lead_auditor
    findings = list(audit.findings.select_related("process", "nonconformity").order_by("sequence"))
    return {
        "agency": _agency(audit.agency),
        "number": audit.number,
        "title": audit.title,
        "year": audit.programme.year,
        "objectives": audit.objectives,
        "start_on": audit.start_on,
        "end_on": audit.end_on,
        "completed_on": audit.completed_on,
        "processes": [f"{p.code} {p.title}" for p in audit.processes.order_by("code")],
        "org_units": [u.name for u in audit.org_units.order_by("name")],
        "clauses": [_clause_label(library, n) for n in audit.clauses],
        "standard": library.standard,
        "documents": [f"{d.code} {d.title}" for d in audit.documents.order_by("code")],
        "lead": _person(lead),
        "members": [_person(m) for m in audit.team() if lead is None or m.pk != lead.pk],
        "auditees": audit.auditees,
        "schedule": [{
            "on": item.on, "time": f"{item.start_time:%H:%M} - {item.end_time:%H:%M}",
            "subject": " ".join(filter(None, [item.org_unit.name if item.org_unit_id else "",
                                              f"{item.process.code} {item.process.title}" if item.process_id else "",
                                              item.activity])),
            "clauses": ", ".join(item.clauses),
            "auditors": ", ".join(_person(a) for a in item.auditors.order_by("full_name")),
        } for item in audit.schedule.select_related("process", "org_unit").order_by("on", "start_time")],
        "findings": [{
            "no": f.sequence, "grade": f.grade, "grade_label": f.get_grade_display(), "clause": f.clause,
            "process": f.process.code if f.process_id else "", "description": f.description,
            "evidence": f.evidence, "nonconformity": f.nonconformity.number if f.nonconformity_id else "",
        } for f in findings],
        "checklist_total": audit.checklist.count(),
        "checklist_counts": dict(audit.checklist.values_list("result").annotate(n=Count("pk"))
                                 .values_list("result", "n")),
        "conclusions": audit.conclusions,
    }


def programme_document_data(programme: AuditProgramme) -> dict:
    entries = programme.entries.select_related("process", "org_unit", "auditor")
    return {
        "agency": _agency(programme.agency),
        "year": programme.year,
        "title": programme.title,
        "objectives": programme.objectives,
        "approved_by": _person(programme.approved_by),
        "approved_on": programme.approved_at.date() if programme.approved_at else None,
        "entries": [{
            "month": e.planned_month,
            "subject": " ".join(filter(None, [e.org_unit.name if e.org_unit_id else "",
                                              f"{e.process.code} {e.process.title}" if e.process_id else ""])),
            "clauses": ", ".join(e.clauses), "auditor": _person(e.auditor), "notes": e.notes,
        } for e in entries],
    }


def audit_completed_on_many(*, agency_ids, years) -> dict:
    """`audit_completed_on` for many agencies and years (the compliance lists): {(agency_id, year): day}."""
    return {(agency_id, year): day
            for agency_id, days in audit_completed_on_by_agency(agency_ids, years=years).items()
            for year, day in days.items()}


def audit_completed_on_by_agency(agency_ids, *, years=None) -> dict:
    """`audit_completed_on` for many agencies and years in one query: {agency_id: {year: day}}, a year present
    when every audit of the agency's programme of that year is completed (the day the last one was). Agencies
    and years without a completed programme are absent. `years`: only these years (default: all)."""
    audits = InternalAudit.objects.filter(programme__agency_id__in=list(agency_ids))
    if years is not None:
        audits = audits.filter(programme__year__in=list(years))
    grouped: dict = {}
    for agency_id, year, status, on in audits.order_by().values_list("programme__agency_id", "programme__year",
                                                                      "status", "completed_on"):
        grouped.setdefault((agency_id, year), []).append((status, on))
    result: dict = {}
    for (agency_id, year), rows in grouped.items():
        days = [on for status, on in rows if on is not None]
        if all(status == AuditStatus.COMPLETED for status, _on in rows) and days:
            result.setdefault(agency_id, {})[year] = max(days)
    return result
