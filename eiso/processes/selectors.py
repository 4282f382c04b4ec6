"""Reads on processes: the snapshot every output renders, and validation problems."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from eiso.catalog.choices import DurationUnit
from eiso.documents.services import amendment_log
from eiso.processes.choices import StepDurationUnit
from eiso.processes.models import HOURS_PER_DAY, Process

CASE_UNIT_LABELS = {
    DurationUnit.WORKING_DAY: "ngày làm việc",
    DurationUnit.DAY: "ngày",
    DurationUnit.HOUR: "giờ làm việc",
    DurationUnit.MONTH: "tháng",
}


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value).normalize()
    text = f"{value:f}".replace(".", ",")
    return text.zfill(2) if value == value.to_integral_value() and value < 10 else text


def step_time_label(step) -> str:
    """How a step's time is printed (statutory documents are always in Vietnamese)."""
    if step.duration_unit == StepDurationUnit.NOT_COUNTED or step.duration is None:
        return step.duration_text or "Không tính thời gian"
    unit = "ngày làm việc" if step.duration_unit == StepDurationUnit.DAY else "giờ làm việc"
    return f"{_number(step.duration)} {unit}"


def case_label(case) -> str:
    if case.duration is None or case.duration_unit == DurationUnit.UNKNOWN:
        return "Chưa xác định"
    return f"{_number(case.duration)} {CASE_UNIT_LABELS[case.duration_unit]}"


def case_hours(case) -> Decimal | None:
    """The statutory duration of a case in working hours, or None where it cannot be compared
    (calendar days, months, unknown)."""
    if case.duration is None:
        return None
    if case.duration_unit == DurationUnit.WORKING_DAY:
        return case.duration * HOURS_PER_DAY
    if case.duration_unit == DurationUnit.HOUR:
        return case.duration
    return None


def _person(user):
    if user is None:
        return None
    return {"name": user.full_name or user.get_username(), "position": user.position}


def process_problems(*, process: Process, steps=None) -> list[str]:
    """Why the process cannot be sent for approval: steps that exceed a case's statutory duration, steps
    without a responsible, forms referenced but not listed. Empty list = valid."""
    steps = list(process.steps.all()) if steps is None else steps
    problems = []
    if not steps:
        problems.append(_("The process has no step."))
    total = sum((s.hours for s in steps), Decimal(0))
    for case in process.cases.all():
        limit = case_hours(case)
        if limit is not None and total > limit:
            problems.append(
                _("The steps take %(total)s working hours but case %(case)s must be settled in %(limit)s "
                  "(%(label)s). Shorten the steps.")
                % {"total": _number(total), "case": case.code, "limit": _number(limit), "label": case_label(case)}
            )
    known_forms = {f.code for f in process.forms.all()}
    for step in steps:
        if not (step.responsible or step.responsible_unit_id):
            problems.append(_("Step B%(order)s has no responsible.") % {"order": step.order})
        for code in step.forms or []:
            if code not in known_forms:
                problems.append(_("Step B%(order)s uses form %(code)s, which is not in the process's forms.")
                                % {"order": step.order, "code": code})
    return problems


def process_snapshot(*, process: Process, revision=None) -> dict:
    """Everything a process document shows, as JSON-ready data (see eiso.reports)."""
    document = process.document
    revision = revision or document.revisions.order_by("-number").first()
    agency = process.agency
    parent = agency.parent.name if agency.parent_id else (agency.province.name if agency.province_id else "")
    steps = list(process.steps.select_related("responsible_unit").order_by("order"))
    issue_date = revision.effective_on if revision and revision.effective_on else None
    return {
        "agency": {"name": agency.name, "parent_name": parent,
                   "province": agency.province.name if agency.province_id else "",
                   "place": agency.province.name if agency.province_id else ""},
        "document": {"code": process.code, "title": process.title,
                     "issue_number": revision.number if revision else 1,
                     "issue_date": issue_date.isoformat() if issue_date else None,
                     "status": revision.status if revision else "draft"},
        "approval": {
            "drafted_by": _person(revision.drafted_by) if revision else None,
            "reviewed_by": _person(revision.reviewed_by) if revision else None,
            "approved_by": _person(revision.approved_by) if revision else None,
        },
        "amendments": [
            {**row, "date": row["date"].isoformat() if row["date"] else None}
            for row in amendment_log(document=document, pending=revision)
        ],
        "process": {
            "kind": process.kind, "code": process.code, "title": process.title,
            "purpose": process.purpose, "scope": process.scope, "references": list(process.references),
            "definitions": list(process.definitions), "legal_bases": list(process.legal_bases),
            "conditions": process.conditions, "dossier_components": list(process.dossier_components),
            "number_of_sets": process.number_of_sets, "channels": list(process.channels),
            "place_of_receipt": process.place_of_receipt, "competent_units": process.competent_units,
            "cooperating_units": process.cooperating_units, "applicants": process.applicants,
            "fees": process.fees, "result": process.result, "content_intro": process.content_intro,
            "procedures": [{"code": p.code, "name": p.name} for p in process.procedures.all()],
            "cases": [
                {"code": c.code, "name": c.name, "duration": str(c.duration) if c.duration is not None else None,
                 "duration_unit": c.duration_unit, "label": case_label(c)}
                for c in process.cases.all()
            ],
            "steps": [
                {"order": s.order, "action": s.action,
                 "responsible": s.responsible or (s.responsible_unit.name if s.responsible_unit_id else ""),
                 "time_label": step_time_label(s), "hours": str(s.hours), "forms": list(s.forms or []),
                 "output": s.output, "description": s.description}
                for s in steps
            ],
            "total_hours": str(sum((s.hours for s in steps), Decimal(0))),
            "forms": [{"code": f.code, "title": f.title} for f in process.forms.all()],
            "records": list(process.records),
        },
    }


def published_snapshot(*, process: Process) -> dict | None:
    """The snapshot of the published revision (what the public and printed copies show)."""
    current = process.document.current_revision
    if current is None or current.status != "published" or not current.content:
        return None
    return current.content


def format_date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""
