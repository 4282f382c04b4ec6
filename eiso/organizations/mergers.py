"""Mergers of agencies (the 2025 reorganisation and after): recording one, reading them, and starting a successor's
QMS from one of its predecessors.

A merger is not a row of its own: it is the predecessors' end date (`valid_to`, the day before it takes effect),
their successor links (`Agency.successors`) and the audit entries written with it — on each predecessor, and on
the successor with the legal basis. Both histories stay: the predecessors' records keep their agency, and the
successor's people read them (read-only grants of eiso.core.permissions) through the `?agency=` drill-down of
the list pages.

Services: `merger_record`, `merger_start_from_predecessor`. Selectors: `predecessors_of`, `mergers_in`,
`predecessor_links`, `reannouncement_reasons`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eiso.core.audit import audit_record, snapshot
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.models import AuditAction, AuditLogEntry
from eiso.core.permissions import AGENCY_MANAGERS, scope_for
from eiso.organizations.models import QMS, AdminUnit, Agency
from eiso.organizations.services import agency_create, agency_record_merger

REANNOUNCEMENT_DUE = "eiso.announcements.selectors.reannouncement_due"

# --- Recording -------------------------------------------------------------------------------------------------


@dataclass
class Merger:
    successor: Agency
    effective_on: dt.date
    predecessors: list[Agency] = field(default_factory=list)
    legal_basis: str = ""
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None
    is_new_successor: bool = False


def _province_of(*, predecessors, successor, new_successor) -> AdminUnit | None:
    if successor is not None:
        return successor.province
    unit = (new_successor or {}).get("admin_unit")
    if unit is not None:
        return unit.province
    return predecessors[0].province if predecessors else None


@transaction.atomic
def merger_record(*, actor, predecessors: list[Agency], effective_on: dt.date | None, legal_basis: str,
                  successor: Agency | None = None, new_successor: dict | None = None) -> Merger:
    """Record that `predecessors` merge into `successor` (an existing agency: one predecessor or more) or into a new
    agency created in the same step from `new_successor` (agency_create's data: code, name, kind, admin_unit...;
    two predecessors or more). The predecessors end the day before `effective_on`. Only the province's supervising
    authority or an administrator; refused with nothing changed for an agency merged into itself, agencies of
    another province, an agency that has already ended, or a missing date or legal basis."""
    predecessors = list({agency.pk: agency for agency in predecessors}.values())
    province = _province_of(predecessors=predecessors, successor=successor, new_successor=new_successor)
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and (province is None or not scope.is_authority_for(province.pk)):
        raise PermissionDeniedError(_("Only the supervising authority of the province or an administrator records a "
                                      "merger."))
    if (successor is None) == (new_successor is None):
        raise ApplicationError(_("Choose the successor: an existing agency, or a new agency to create."),
                               code="successor_required", errors={"successor": [_("Choose one.")]})
    minimum = 1 if successor is not None else 2
    if len(predecessors) < minimum:
        message = (_("Choose at least one agency to merge into %(successor)s.") % {"successor": successor}
                   if successor is not None else
                   _("A new agency is formed from at least two agencies: choose them, or merge into an existing "
                     "agency."))
        raise ApplicationError(message, code="too_few_predecessors", errors={"predecessors": [message]})
    basis = (legal_basis or "").strip()
    if not basis:
        message = _("Give the legal basis of the merger, e.g. Nghị quyết 1670/NQ-UBTVQH15.")
        raise ApplicationError(message, code="legal_basis_required", errors={"legal_basis": [message]})
    if effective_on is None:
        raise ApplicationError(_("Give the date the merger takes effect (dd/mm/yyyy)."), code="date_required",
                               errors={"effective_on": [_("This field is required.")]})
    others = [a for a in predecessors if province is not None and a.province_id != province.pk]
    if others:
        raise ApplicationError(_("%(agencies)s belong(s) to another province: a merger joins agencies of one "
                                 "province.") % {"agencies": ", ".join(map(str, others))}, code="other_province",
                               errors={"predecessors": [_("Choose agencies of the province.")]})
    is_new = successor is None
    if is_new:
        successor = agency_create(actor=actor, data={**new_successor, "valid_from": effective_on})
    agency_record_merger(actor=actor, predecessors=predecessors, successor=successor, on=effective_on,
                         legal_basis=basis)
    return Merger(successor=successor, effective_on=effective_on, predecessors=predecessors, legal_basis=basis,
                  is_new_successor=is_new)


# --- Reading ---------------------------------------------------------------------------------------------------


def predecessors_of(agency: Agency) -> list[Agency]:
    """Every agency merged into `agency`, directly or through an earlier merger, latest first."""
    found: dict = {}
    frontier = [agency.pk]
    while frontier:
        rows = list(Agency.objects.filter(successors__in=frontier).exclude(pk__in=[agency.pk, *found])
                    .select_related("admin_unit").distinct())
        for row in rows:
            found[row.pk] = row
        frontier = [row.pk for row in rows]
    return sorted(found.values(), key=lambda a: (-(a.valid_to or dt.date.min).toordinal(), a.name))


def _merger_entries(successor_ids) -> dict:
    """successor id -> its merger audit entries (the ones that carry the legal basis), newest first."""
    entries: dict = {}
    content_type = ContentType.objects.get_for_model(Agency)
    for entry in AuditLogEntry.objects.filter(content_type=content_type,
                                              object_id__in=[str(pk) for pk in successor_ids]).order_by("-created_at"):
        if "legal_basis" in entry.changes or "effective_on" in entry.changes:
            entries.setdefault(entry.object_id, []).append(entry)
    return entries


def mergers_in(*, provinces) -> list[Merger]:
    """The mergers recorded in `provinces` (admin: None = all), newest first: one per successor and date."""
    ended = Agency.objects.filter(valid_to__isnull=False, successors__isnull=False).prefetch_related("successors")
    if provinces is not None:
        ended = ended.filter(province__in=provinces)
    groups: dict = {}
    for predecessor in ended.distinct():
        for successor in predecessor.successors.all():
            on = predecessor.valid_to + dt.timedelta(days=1)
            merger = groups.setdefault((successor.pk, on), Merger(successor=successor, effective_on=on))
            merger.predecessors.append(predecessor)
    entries = _merger_entries({key[0] for key in groups})
    for (successor_id, on), merger in groups.items():
        merger.predecessors.sort(key=lambda a: a.name)
        for entry in entries.get(str(successor_id), []):
            effective = entry.changes.get("effective_on", [None, None])[1]
            if effective == on.isoformat():
                merger.legal_basis = entry.changes.get("legal_basis", [None, ""])[1] or ""
                merger.recorded_by, merger.recorded_at = entry.actor_repr, entry.created_at
                merger.is_new_successor = merger.successor.valid_from == on
                break
    return sorted(groups.values(), key=lambda m: (m.effective_on, m.successor.name), reverse=True)


# The list pages of an agency's records, opened on a predecessor with `?agency=<id>` (read-only for the successor's
# people). A page whose app is not installed is left out.
RECORD_PAGES = (
    ("documents:document_list", gettext_lazy("Documents")),
    ("processes:process_list", gettext_lazy("Processes")),
    ("dossiers:dossier_list", gettext_lazy("Dossiers")),
    ("objectives:objective_list", gettext_lazy("Quality objectives")),
    ("risks:risk_list", gettext_lazy("Risks and opportunities")),
    ("audits:programme_list", gettext_lazy("Internal audits")),
    ("improvement:nonconformity_list", gettext_lazy("Nonconformities")),
    ("reviews:review_list", gettext_lazy("Management reviews")),
    ("legal:updatetask_list", gettext_lazy("Update tasks (3-month rule)")),
    ("compliance:calendar", gettext_lazy("Compliance calendar")),
    ("announcements:announcement_list", gettext_lazy("Conformity announcements")),
)


def predecessor_links(agency: Agency) -> list[tuple[str, str]]:
    """(label, url) of the record pages of `agency`, each with `?agency=`."""
    links = []
    for name, label in RECORD_PAGES:
        try:
            links.append((str(label), f"{reverse(name)}?agency={agency.pk}"))
        except NoReverseMatch:
            continue
    return links


def reannouncement_reasons(agency: Agency) -> list[str]:
    """Why the agency should re-announce its QMS (announcements app's contract), [] while it is not available."""
    from eiso.compliance.contracts import resolve

    function = resolve(REANNOUNCEMENT_DUE)
    return [str(reason) for reason in function(agency)] if function is not None else []


def can_view_predecessors(user, agency: Agency) -> bool:
    """The successor's people (any role in it) and the supervisors of its province; administrators."""
    scope = scope_for(user)
    return (scope.is_global or agency.pk in scope.agency_ids
            or agency.province_id in scope.supervised_provinces)


def can_start_from(user, agency: Agency) -> bool:
    scope = scope_for(user)
    return scope.is_global or bool(scope.roles_in(agency.pk) & AGENCY_MANAGERS)


# --- Starting the successor's QMS from a predecessor -------------------------------------------------------------


@dataclass
class StartResult:
    qms: QMS
    documents: int = 0
    processes: int = 0
    policy_copied: bool = False
    notes: list[str] = field(default_factory=list)


PROCESS_FIELDS = ("purpose", "scope", "references", "definitions", "legal_bases", "conditions", "dossier_components",
                  "number_of_sets", "channels", "place_of_receipt", "competent_units", "cooperating_units",
                  "applicants", "fees", "result", "content_intro", "records")


def _copy_documents(*, actor, source: QMS, target: QMS) -> int:
    from eiso.documents.services import document_create

    used = set(target.documents.values_list("code", flat=True))
    copied = 0
    for document in source.documents.filter(process__isnull=True).order_by("code"):
        if document.code in used:
            continue
        latest = document.current_revision or document.revisions.order_by("-number").first()
        document_create(actor=actor, qms=target, kind=document.kind, code=document.code, title=document.title,
                        framework_key=document.framework_key, content=latest.content if latest else {})
        copied += 1
    return copied


def _copy_processes(*, actor, source: QMS, target: QMS) -> int:
    from eiso.processes.models import FormTemplate, ProcessStep
    from eiso.processes.services import process_create

    copied = 0
    for process in source.processes.prefetch_related("steps", "forms", "procedures", "cases").order_by("code"):
        copy = process_create(actor=actor, qms=target, kind=process.kind, code=process.code, title=process.title,
                              data={name: getattr(process, name) for name in PROCESS_FIELDS},
                              procedures=list(process.procedures.all()), cases=list(process.cases.all()),
                              framework_key=process.framework_key)
        ProcessStep.objects.bulk_create([
            ProcessStep(agency_id=target.agency_id, process=copy, order=s.order, action=s.action,
                        responsible=s.responsible, duration=s.duration, duration_unit=s.duration_unit,
                        duration_text=s.duration_text, forms=s.forms, output=s.output, description=s.description)
            for s in process.steps.all()])
        FormTemplate.objects.bulk_create([
            FormTemplate(agency_id=target.agency_id, process=copy, code=f.code, title=f.title, file=f.file)
            for f in process.forms.all()])
        copied += 1
    return copied


def _copy_policy(*, actor, predecessor: Agency, successor: Agency) -> bool:
    from eiso.objectives.models import QualityPolicy
    from eiso.objectives.services import policy_draft_save

    if QualityPolicy.objects.filter(agency=successor).exists():
        return False
    source = (QualityPolicy.objects.filter(agency=predecessor, status="approved").first()
              or QualityPolicy.objects.filter(agency=predecessor).order_by("-version").first())
    if source is None:
        return False
    policy_draft_save(actor=actor, agency=successor, text=source.text)
    return True


@transaction.atomic
def merger_start_from_predecessor(*, actor, successor: Agency, predecessor: Agency) -> StartResult:
    """Start the successor's QMS from one predecessor's: the scope, every document and process copied as drafts of
    issue 1 of the successor (the content, not the history), and the quality policy as a draft when the successor
    has none. The predecessor is not changed. Only the successor's head or ISO coordinator; refused, with nothing
    changed, when the agency is not a predecessor, has no QMS, or the successor already has processes."""
    from eiso.processes.models import Process

    if actor is not None and not can_start_from(actor, successor):
        raise PermissionDeniedError(_("Only the head or the ISO coordinator of %(agency)s starts its QMS.")
                                    % {"agency": successor})
    if predecessor.pk not in {a.pk for a in predecessors_of(successor)}:
        raise ApplicationError(_("%(agency)s was not merged into %(successor)s: choose one of its predecessors.")
                               % {"agency": predecessor, "successor": successor}, code="not_a_predecessor")
    Agency.objects.select_for_update().get(pk=successor.pk)  # two starts of one successor run one after the other
    existing = Process.objects.filter(agency=successor).count()
    if existing:
        raise ApplicationError(_("%(agency)s already has %(count)s processes: its QMS is started. Open the "
                                 "predecessor's processes from this page and bring their content into yours one by "
                                 "one, or delete your drafts first.") % {"agency": successor, "count": existing},
                               code="successor_has_processes")
    source = QMS.objects.filter(agency=predecessor).order_by("created_at").first()
    if source is None:
        raise ApplicationError(_("%(agency)s has no QMS to start from: choose another predecessor, or build the QMS "
                                 "from the framework model.") % {"agency": predecessor}, code="no_source_qms")
    target = QMS.objects.filter(agency=successor).order_by("created_at").first()
    if target is None:
        target = QMS.objects.create(agency=successor, code=source.code, name=f"HTQLCL — {successor.name}",
                                    scope=source.scope, process_code_pattern=source.process_code_pattern)
        target.agencies.add(successor)
        audit_record(actor=actor, instance=target, action=AuditAction.CREATE)
    elif source.scope and target.scope != source.scope:
        before = snapshot(target)
        target.scope = source.scope
        target.save(update_fields=["scope", "updated_at"])
        audit_record(actor=actor, instance=target, action=AuditAction.UPDATE, before=before)
    result = StartResult(qms=target)
    result.documents = _copy_documents(actor=actor, source=source, target=target)
    result.processes = _copy_processes(actor=actor, source=source, target=target)
    result.policy_copied = _copy_policy(actor=actor, predecessor=predecessor, successor=successor)
    result.notes.append(_("Quality objectives are set for each year: set %(agency)s's own on the objectives page.")
                        % {"agency": successor})
    audit_record(actor=actor, instance=target, action=AuditAction.UPDATE, before={}, after={"started_from": str(
        predecessor.pk)}, note=_("QMS started from the predecessor %(agency)s: %(documents)s documents, %(processes)s "
                                 "processes") % {"agency": predecessor, "documents": result.documents,
                                                 "processes": result.processes})
    return result
