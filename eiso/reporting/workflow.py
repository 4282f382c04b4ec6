"""The periodic report's workflow as data. `services.report_transition` is the only code that applies it.

draft → signed off (sign_off: the agency head, once the results are written) → submitted (submit: the coordinator
or the head) → accepted (accept) | returned (return_: with the supervisor's comment, back to the agency, editable
like a draft) → signed off again → submitted again. A report signed off but not yet submitted may go back to draft
(reopen) to be corrected. Nothing moves once the period is closed.

`permission` says who may apply a transition: "approve" the agency head, "change" the agency's head and
coordinator, "supervise" the supervisors of the agency's province (see services._require_right).
"""

from django.utils.translation import gettext_lazy as _

from eiso.core.workflow import Transition, by_name
from eiso.core.workflow import available as core_available
from eiso.reporting.choices import ReportStatus as S


def period_closed(report):
    if not report.period.is_open:
        return _("The reporting period is closed: the report can no longer change. Ask the supervising authority.")
    return None


def results_missing(report):
    if not report.results.strip():
        return _("Write the results of the period first (what was done to maintain and apply the QMS).")
    return None


def no_figures(report):
    if not report.figures:
        return _("Update the figures from the records first.")
    return None


SUPERVISE = "supervise"

TRANSITIONS = by_name(
    Transition("sign_off", _("Sign off"), (S.DRAFT, S.RETURNED), S.SIGNED_OFF, (period_closed, no_figures,
                                                                                  results_missing), "approve"),
    Transition("reopen", _("Back to draft"), (S.SIGNED_OFF,), S.DRAFT, (period_closed,), "change"),
    Transition("submit", _("Submit to the supervising authority"), (S.SIGNED_OFF,), S.SUBMITTED, (period_closed,),
               "change"),
    Transition("accept", _("Accept"), (S.SUBMITTED,), S.ACCEPTED, (period_closed,), SUPERVISE),
    Transition("return", _("Return for correction"), (S.SUBMITTED,), S.RETURNED, (period_closed,), SUPERVISE),
)


def available(status: str):
    return core_available(TRANSITIONS, status)
