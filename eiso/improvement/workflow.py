"""The nonconformity workflow as data: which transition moves a nonconformity from which status to
which, and the guards that must all pass. `services.nonconformity_transition` is the only code that
applies it; a failing guard's message says what to do first.

raised → analysed (the root-cause analysis is recorded) → actions (at least one action planned) →
verification (every action done) → closed (verified effective). A verification that finds the actions
not effective sends the nonconformity back to actions (`reopen`).
"""

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition
from eiso.core.workflow import available as core_available
from eiso.improvement.choices import ActionStatus
from eiso.improvement.choices import NonconformityStatus as S


def analysis_missing(nonconformity):
    if not nonconformity.has_analysis:
        return _("Record the root-cause analysis first (method, analysis and root cause).")
    return None


def no_actions(nonconformity):
    if not nonconformity.actions.exists():
        return _("Plan at least one corrective action first.")
    return None


def actions_open(nonconformity):
    count = nonconformity.actions.filter(status=ActionStatus.OPEN).count()
    if count:
        return _("%(count)s corrective actions are still open: mark them done first.") % {"count": count}
    return None


def not_verified_effective(nonconformity):
    if nonconformity.is_effective is not True:
        return _("Verify the effectiveness of the actions first: it can be closed only when they were effective.")
    return None


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("analyse", _("Mark analysed"), (S.RAISED,), S.ANALYSED, (analysis_missing,)),
        Transition("start_actions", _("Start the corrective actions"), (S.RAISED, S.ANALYSED), S.ACTIONS,
                   (analysis_missing, no_actions)),
        Transition("submit_verification", _("Send for verification"), (S.ACTIONS,), S.VERIFICATION,
                   (no_actions, actions_open)),
        Transition("close", _("Close"), (S.VERIFICATION,), S.CLOSED, (actions_open, not_verified_effective)),
        Transition("reopen", _("Back to the corrective actions"), (S.VERIFICATION,), S.ACTIONS, manual=False),
    )
}

# Statuses in which corrective actions may be added: after the analysis, before the verification.
ACTIONS_ALLOWED = (S.ANALYSED, S.ACTIONS)
# Statuses in which the analysis may still be written or corrected.
ANALYSIS_ALLOWED = (S.RAISED, S.ANALYSED, S.ACTIONS)


def available(status: str) -> list[Transition]:
    return core_available(TRANSITIONS, status)
