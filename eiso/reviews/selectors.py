"""Reads of the reviews app that other apps use (the compliance calendar and the yearly evidence folder)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from eiso.reviews.choices import HELD_STATUSES
from eiso.reviews.models import ManagementReview


def review_held_on(*, agency, year: int) -> dt.date | None:
    """The day of the agency's last management review of `year` that was held (None: none held yet)."""
    days = [review.held_on for review in ManagementReview.objects.filter(agency=agency, year=year,
                                                                         status__in=HELD_STATUSES)]
    days = [day for day in days if day is not None]
    return max(days) if days else None


def effectiveness_confirmed_on(*, agency, year: int) -> dt.date | None:
    """The day the agency head confirmed the effectiveness of the QMS on a review of `year` (None: not yet)."""
    moment = (ManagementReview.objects.filter(agency=agency, year=year, effectiveness_confirmed_at__isnull=False)
              .order_by("-effectiveness_confirmed_at").values_list("effectiveness_confirmed_at", flat=True).first())
    return timezone.localtime(moment).date() if moment else None


def review_held_on_many(*, agency_ids, years) -> dict:
    """`review_held_on` for many agencies and years (the compliance lists): {(agency_id, year): day}."""
    return {(agency_id, year): day
            for agency_id, days in review_held_on_by_agency(agency_ids, years=years).items()
            for year, day in days.items()}


def effectiveness_confirmed_on_many(*, agency_ids, years) -> dict:
    """`effectiveness_confirmed_on` for many agencies and years in one query: {(agency_id, year): day}."""
    result: dict = {}
    for agency_id, year, moment in (
            ManagementReview.objects.filter(agency_id__in=list(agency_ids), year__in=list(years),
                                            effectiveness_confirmed_at__isnull=False)
            .order_by().values_list("agency_id", "year", "effectiveness_confirmed_at")):
        if (agency_id, year) not in result or moment > result[(agency_id, year)]:
            result[(agency_id, year)] = moment
    return {key: timezone.localtime(moment).date() for key, moment in result.items()}


def evidence_records(*, agency, year: int) -> list[dict]:
    """The year's records of management reviews: each held review (its minutes) and each confirmation of
    effectiveness, as {"title", "url", "on"}, oldest first."""
    from django.urls import reverse

    records = []
    for review in ManagementReview.objects.filter(agency=agency, year=year, status__in=HELD_STATUSES):
        records.append({"title": _("Minutes of management review %(review)s") % {"review": review},
                        "url": reverse("reviews:review_minutes", args=[review.pk]), "on": review.held_on})
        if review.effectiveness_confirmed_at:
            records.append({"title": _("Confirmation of the effectiveness of the QMS (review %(review)s)")
                            % {"review": review}, "url": review.get_absolute_url(),
                            "on": timezone.localtime(review.effectiveness_confirmed_at).date()})
    return sorted(records, key=lambda record: (record["on"], record["title"]))


def review_held_on_by_agency(agency_ids, *, years=None) -> dict:
    """`review_held_on` for many agencies and years in one query: {agency_id: {year: day of the year's last
    review held}}; agencies and years without a held review are absent. `years`: only these years."""
    reviews = ManagementReview.objects.filter(agency_id__in=list(agency_ids), status__in=HELD_STATUSES)
    if years is not None:
        reviews = reviews.filter(year__in=list(years))
    result: dict = {}
    for agency_id, year, meeting_at, held_at in reviews.order_by().values_list("agency_id", "year", "meeting_at",
                                                                               "held_at"):
        moment = meeting_at or held_at
        if moment is None:
            continue
        day = timezone.localtime(moment).date()
        days = result.setdefault(agency_id, {})
        days[year] = max(day, days.get(year, day))
    return result
