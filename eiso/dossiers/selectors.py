"""Reading dossiers: the public lookup (code + the phone number's last digits), the public history, and the
moments that make a dossier "at risk" or "overdue" for the desk's lists and flags."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from eiso.dossiers.choices import OPEN_STATUSES, DossierStatus
from eiso.dossiers.models import Dossier

LOOKUP_DIGITS = 4  # the second factor: the last digits of the applicant's phone (or ID number)


def _digits(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def lookup_secret(dossier: Dossier) -> str:
    """What the applicant types besides the code: the last 4 digits of the phone given at the desk, else of
    the ID or tax number."""
    return _digits(dossier.applicant_phone or dossier.applicant_id_number)[-LOOKUP_DIGITS:]


def dossier_lookup(*, code: str, digits: str) -> Dossier | None:
    """The dossier with this code whose second factor matches, else None (the same answer for a wrong code
    and a wrong second factor, so that codes cannot be probed)."""
    code, digits = (code or "").strip(), _digits(digits)
    if not code or len(digits) < LOOKUP_DIGITS:
        return None
    candidates = (Dossier.objects.filter(code=code).exclude(code="")
                  .select_related("agency", "procedure", "case"))[:5]
    for dossier in candidates:
        secret = lookup_secret(dossier)
        if secret and constant_time_compare(secret, digits[-LOOKUP_DIGITS:]):
            return dossier
    return None


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    label: str
    comment: str = ""


EVENT_LABELS = {
    "receive": lambda: _("Received"),
    "supplement": lambda: _("Incomplete: supplement requested"),
    "reject": lambda: _("Not accepted"),
    "hand_over": lambda: _("Handed over to the next step"),
    "result_ready": lambda: _("Result ready"),
    "fee": lambda: _("Waiting for fees"),
    "resume": lambda: _("Processing resumed"),
    "apologise": lambda: _("Apology letter issued"),
    "notify": lambda: _("Applicant notified"),
    "return": lambda: _("Result returned"),
    "refused": lambda: _("Refused after review"),
    "stopped": lambda: _("Stopped at the applicant's request"),
    "withdrawn": lambda: _("Withdrawn"),
    "imported": lambda: _("Recorded by the one-stop system"),
}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return label() if label else action


# The comments written for the applicant (what to supplement, why refused, the delay, the new date); other
# comments are the officers' notes and stay internal.
PUBLIC_COMMENTS = frozenset({"supplement", "reject", "fee", "resume", "apologise", "refused", "stopped", "withdrawn"})


_NUMBER = re.compile(r"\+?\d(?:[ .\-]?\d)+")
_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.500.000 (đồng): not a personal number


def _personal_number(match: re.Match) -> str:
    """Phone, ID and tax numbers (9 digits or more, however spaced) are blanked; amounts and dates are kept."""
    text = match.group()
    return text if sum(ch.isdigit() for ch in text) < 9 or _AMOUNT.fullmatch(text) else "…"


def _blank_personal_data(dossier: Dossier, comment: str) -> str:
    """A comment with the applicant's phone, ID number, e-mail and address, and any long number, blanked out."""
    for secret in (dossier.applicant_phone, dossier.applicant_id_number, dossier.applicant_email,
                   dossier.applicant_address):
        if len(secret or "") >= 4:
            comment = re.sub(re.escape(secret), "…", comment, flags=re.IGNORECASE)
    return _NUMBER.sub(_personal_number, comment)


def public_history(dossier: Dossier) -> list[HistoryLine]:
    """What the applicant sees (the lookup page and API): the public events with the comments meant for them
    (PUBLIC_COMMENTS), personal data blanked out of them; for a dossier imported from the one-stop system, which
    has no events, the moments it was recorded with."""
    lines = [HistoryLine(e.at, event_label(e.action),
                         _blank_personal_data(dossier, e.comment) if e.action in PUBLIC_COMMENTS else "")
             for e in dossier.events.filter(public=True).order_by("at", "created_at")]
    if lines:
        return lines
    moments = [(dossier.received_at, _("Received")), (dossier.finished_at, _("Result ready")),
               (dossier.returned_at, _("Result returned"))]
    return [HistoryLine(moment, label) for moment, label in moments if moment is not None]


# --- At risk, overdue -----------------------------------------------------------------------------------------


def at_risk_until(*, agency_id, now: dt.datetime | None = None) -> dt.datetime:
    """Open dossiers due before this moment are "at risk": it is DOSSIER_AT_RISK_HOURS working hours from now."""
    from eiso.calendars.services import add_working_time

    return add_working_time(start=now or timezone.now(), hours=settings.EISO["DOSSIER_AT_RISK_HOURS"],
                            agency=agency_id)


def overdue_q(now: dt.datetime | None = None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())


def at_risk_q(*, agency_id, now: dt.datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status=DossierStatus.IN_PROGRESS, due_at__gte=now, due_at__lt=at_risk_until(agency_id=agency_id, now=now))


def with_flags(queryset: QuerySet, *, agency_id, now: dt.datetime | None = None) -> list[tuple[Dossier, str]]:
    """[(dossier, "overdue" | "at_risk" | "")] for a page of dossiers."""
    now = now or timezone.now()
    limit = at_risk_until(agency_id=agency_id, now=now)
    return [(d, dossier_flag(d, now=now, risk_limit=limit)) for d in queryset]


def dossier_flag(dossier: Dossier, *, now: dt.datetime | None = None, risk_limit: dt.datetime | None = None) -> str:
    """"overdue", "at_risk" or "" (`risk_limit`: at_risk_until(), when already computed for a page)."""
    now = now or timezone.now()
    if dossier.status not in OPEN_STATUSES or dossier.due_at is None:
        return ""
    if dossier.due_at < now:
        return "overdue"
    limit = risk_limit or at_risk_until(agency_id=dossier.agency_id, now=now)
    return "at_risk" if dossier.status == DossierStatus.IN_PROGRESS and dossier.due_at < limit else ""


def resolved_on_time_by_agency(agency_ids, *, year: int) -> dict:
    """Dossiers resolved in `year` by many agencies, from the tallies in one query: {agency_id: (resolved,
    resolved early or on time)}; agencies that resolved none are absent. The on-time rate of the statistics is
    the second over the first."""
    from django.db.models import Sum

    from eiso.dossiers.models import DossierTally

    rows = (DossierTally.objects.filter(agency_id__in=list(agency_ids), month__gte=dt.date(year, 1, 1),
                                        month__lte=dt.date(year, 12, 31))
            .order_by().values("agency_id").annotate(early=Sum("early"), on_time=Sum("on_time"), late=Sum("late")))
    result = {}
    for row in rows:
        resolved = (row["early"] or 0) + (row["on_time"] or 0) + (row["late"] or 0)
        if resolved:
            result[row["agency_id"]] = (resolved, (row["early"] or 0) + (row["on_time"] or 0))
    return result
