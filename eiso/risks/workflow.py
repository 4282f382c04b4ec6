"""The risk workflow as data: which transition moves a risk from which status to which, and the guards that
must all pass. `services.risk_transition` and `services.risk_review` are the only code that applies it; a
failing guard's message says what to do first.

open → treating (a treatment option chosen and, unless the risk is accepted or the opportunity ignored, at
least one action planned) → reviewed (every action done, residual level assessed, actions found effective;
recorded by the effectiveness review) → closed. A review that finds the actions not effective keeps the risk
under treatment, so that more actions can be planned.
"""

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition
from eiso.core.workflow import available as core_available
from eiso.risks.choices import TREATMENTS_WITHOUT_ACTIONS, RiskActionStatus
from eiso.risks.choices import RiskStatus as S


def treatment_missing(risk):
    if not risk.treatment:
        return _("Choose the treatment option first.")
    return None


def actions_missing(risk):
    if risk.treatment not in TREATMENTS_WITHOUT_ACTIONS and not risk.actions.exists():
        return _("Plan at least one treatment action first.")
    return None


def actions_open(risk):
    count = risk.actions.filter(status=RiskActionStatus.OPEN).count()
    if count:
        return _("%(count)s treatment actions are still open: mark them done first.") % {"count": count}
    return None


def residual_missing(risk):
    if not (risk.residual_likelihood and risk.residual_consequence):
        return _("Assess the residual likelihood and consequence first.")
    return None


def not_reviewed_effective(risk):
    if risk.is_effective is not True:
        return _("Review the effectiveness of the actions first: it can be closed only when they were effective.")
    return None


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("start_treatment", _("Start the treatment"), (S.OPEN,), S.TREATING,
                   (treatment_missing, actions_missing)),
        Transition("review", _("Record the effectiveness review"), (S.TREATING,), S.REVIEWED,
                   (actions_open, residual_missing, not_reviewed_effective), manual=False),
        Transition("close", _("Close"), (S.REVIEWED,), S.CLOSED, (actions_open, not_reviewed_effective)),
    )
}

# Statuses in which the assessment (description, scores, treatment) may be edited.
EDIT_ALLOWED = (S.OPEN, S.TREATING)
# Statuses in which treatment actions may be added.
ACTIONS_ALLOWED = (S.OPEN, S.TREATING)
# Statuses in which the effectiveness review may be recorded.
REVIEW_ALLOWED = (S.TREATING,)


def available(status: str) -> list[Transition]:
    return core_available(TRANSITIONS, status)
