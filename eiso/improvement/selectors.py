"""Reads of the improvement app that other apps use (objectives, reviews, compliance)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from eiso.dossiers.models import DossierTally
from eiso.dossiers.statistics import month_start


def satisfaction_counts(*, agency, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(satisfied, answered) over the months from `start` to `end`: the ratings citizens gave to their returned
    dossiers (counted in the dossier tallies)."""
    totals = DossierTally.objects.filter(agency=agency, month__gte=month_start(start),
                                         month__lte=month_start(end)).aggregate(r=Sum("ratings"), s=Sum("satisfied"))
    return totals["s"] or 0, totals["r"] or 0
