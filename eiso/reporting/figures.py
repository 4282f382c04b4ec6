"""The figures a periodic report is pre-filled with, read from the agency's records: a JSON-ready snapshot, taken
when the report is created and each time the coordinator refreshes it while it is a draft.

    {"computed_on": "2026-11-20", "year": 2026, "start": "2026-01-01", "end": "2026-12-31",
     "points": [{"key", "met", "detail", "available"}, ...],          # eiso.reporting.points, in their order
     "procedures": {"adopted", "published", "catalogue", "covered"},   # catalogue/covered None: not known
     "documents": {"issued", "revised"},                               # revisions published in the period
     "last_audit_on", "last_review_on",                                # ISO dates or None (up to the period's end)
     "nonconformities": {"raised", "closed", "open"},                  # raised / closed in the period; open now
     "legal_updates": {"due", "on_time", "late", "open"},              # update tasks due in the period
     "dossiers": {"resolved", "early", "on_time", "late", "on_time_rate"}}  # DossierTally of the period's months

`on_time_rate` is a string with one decimal ("97.5") or None when nothing was resolved.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Sum
from django.utils import timezone

from eiso.audits.choices import AuditStatus
from eiso.audits.models import InternalAudit
from eiso.documents.models import Revision
from eiso.dossiers.models import DossierTally
from eiso.dossiers.statistics import month_start
from eiso.improvement.choices import NonconformityStatus
from eiso.improvement.models import Nonconformity
from eiso.legal.choices import UpdateTaskStatus
from eiso.legal.models import UpdateTask
from eiso.objectives.metrics import percent
from eiso.reporting.points import Context, states_for
from eiso.reviews.choices import HELD_STATUSES
from eiso.reviews.models import ManagementReview


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _documents(agency, start, end) -> dict:
    published = Revision.objects.filter(agency=agency, published_at__date__gte=start, published_at__date__lte=end)
    return {"issued": published.filter(number=1).count(), "revised": published.filter(number__gt=1).count()}


def _last_audit_on(agency, end) -> dt.date | None:
    return InternalAudit.objects.filter(agency=agency, status=AuditStatus.COMPLETED, completed_on__lte=end).aggregate(
        last=Max("completed_on"))["last"]


def _last_review_on(agency, end) -> dt.date | None:
    days = [review.held_on for review in ManagementReview.objects.filter(agency=agency, status__in=HELD_STATUSES)]
    days = [day for day in days if day is not None and day <= end]
    return max(days) if days else None


def _nonconformities(agency, start, end) -> dict:
    rows = Nonconformity.objects.filter(agency=agency)
    return {
        "raised": rows.filter(raised_at__date__gte=start, raised_at__date__lte=end).count(),
        "closed": rows.filter(status=NonconformityStatus.CLOSED, closed_at__date__gte=start,
                              closed_at__date__lte=end).count(),
        "open": rows.exclude(status=NonconformityStatus.CLOSED).count(),
    }


def _legal_updates(agency, start, end, today) -> dict:
    """Tasks due in the period: done by their deadline, late (done after it, or still open past it), open within
    it. Dismissed tasks do not count."""
    tasks = UpdateTask.objects.filter(agency=agency, due_on__gte=start, due_on__lte=end).filter(
        status__in=[UpdateTaskStatus.DONE, UpdateTaskStatus.OPEN])
    counts = {"due": 0, "on_time": 0, "late": 0, "open": 0}
    for status, due_on, closed_at in tasks.values_list("status", "due_on", "closed_at"):
        counts["due"] += 1
        if status == UpdateTaskStatus.DONE:
            counts["on_time" if closed_at and timezone.localdate(closed_at) <= due_on else "late"] += 1
        else:
            counts["late" if due_on < today else "open"] += 1
    return counts


def _dossiers(agency, start, end) -> dict:
    totals = DossierTally.objects.filter(agency=agency, month__gte=month_start(start), month__lte=month_start(end)) \
        .aggregate(early=Sum("early"), on_time=Sum("on_time"), late=Sum("late"))
    early, on_time, late = (totals[k] or 0 for k in ("early", "on_time", "late"))
    rate = percent(early + on_time, early + on_time + late)
    return {"resolved": early + on_time + late, "early": early, "on_time": on_time, "late": late,
            "on_time_rate": str(rate) if rate is not None else None}


def report_figures(*, agency, year: int, start: dt.date, end: dt.date, today: dt.date,
                   cache: dict | None = None) -> dict:
    """The snapshot of the agency's records for a report of `year` covering `start`..`end` (see the module).
    `cache`: kept between the agencies of one run (the catalogue's counts)."""
    ctx = Context(agency, year, today, cache)
    return {
        "computed_on": today.isoformat(), "year": year, "start": start.isoformat(), "end": end.isoformat(),
        "points": [{"key": s.key, "met": s.met, "detail": s.detail, "available": s.available}
                   for s in states_for(ctx)],
        "procedures": ctx.scope,
        "documents": _documents(agency, start, end),
        "last_audit_on": _iso(_last_audit_on(agency, end)),
        "last_review_on": _iso(_last_review_on(agency, end)),
        "nonconformities": _nonconformities(agency, start, end),
        "legal_updates": _legal_updates(agency, start, end, today),
        "dossiers": _dossiers(agency, start, end),
    }

