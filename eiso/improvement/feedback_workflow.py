"""The feedback workflow as data: which transition moves a feedback from which status to which, and who may
apply it. `feedback_services` is the only code that applies it.

received → assigned (a handler is chosen) → answered (the response is written) → closed; a feedback out of the
agency's scope is rejected (with its reason) from received or assigned. Reassigning keeps it assigned.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from eiso.core import workflow
from eiso.improvement.choices import FeedbackStatus as S


@dataclass(frozen=True)
class Transition(workflow.Transition):
    by_handler: bool = False  # the assigned handler may apply it too (else only the managers)


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("assign", _("Assign"), (S.RECEIVED, S.ASSIGNED), S.ASSIGNED),
        Transition("respond", _("Record the response"), (S.RECEIVED, S.ASSIGNED), S.ANSWERED, by_handler=True),
        Transition("close", _("Close"), (S.ANSWERED,), S.CLOSED),
        Transition("reject", _("Reject (out of scope)"), (S.RECEIVED, S.ASSIGNED), S.REJECTED),
    )
}


def allowed(name: str, status: str) -> bool:
    return status in TRANSITIONS[name].sources
