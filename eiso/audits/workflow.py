"""The internal audit workflow as data: planned → in progress (start) → completed (complete). Each
transition has guards that must all pass; a failing guard's message says what to do first.
`services.audit_transition` is the only code that applies it."""

from django.utils.translation import gettext_lazy as _

from eiso.audits.choices import AuditStatus as S
from eiso.core.workflow import Transition
from eiso.core.workflow import available as core_available


def no_lead(audit):
    if not audit.lead_auditor_id:
        return _("Choose the audit team (at least the lead auditor) first.")
    return None


def no_checklist(audit):
    if not audit.checklist.exists():
        return _("Build the checklist first.")
    return None


def checklist_open(audit):
    count = audit.checklist.filter(result="").count()
    if count:
        return _("%(count)s checklist questions have no result yet: record them first (or mark them not "
                 "applicable).") % {"count": count}
    return None


def no_conclusions(audit):
    if not audit.conclusions.strip():
        return _("Write the conclusions of the audit first.")
    return None


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("start", _("Start the audit"), (S.PLANNED,), S.IN_PROGRESS, (no_lead, no_checklist)),
        Transition("complete", _("Complete the audit"), (S.IN_PROGRESS,), S.COMPLETED,
                   (checklist_open, no_conclusions)),
    )
}


def available(status: str) -> list[Transition]:
    return core_available(TRANSITIONS, status)
