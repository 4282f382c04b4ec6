"""Management review fixtures. The tests read messages in English (the interface's source language)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from eiso.reviews.services import review_create


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def plan(world, agency=None, year=2025, **changes):
    """A planned review of the own agency for 2025, chaired by its head, with its coordinator as secretary, the
    meeting an hour ago."""
    agency = agency or world.own
    values = {"title": f"Xem xét của lãnh đạo năm {year}", "year": year, "period_start": PERIOD[0],
              "period_end": PERIOD[1], "meeting_at": timezone.now() - dt.timedelta(hours=1),
              "place": "Phòng họp UBND phường", "attendees": "Ông A – Phó Chủ tịch\nBà B – Công chức Văn phòng"}
    if agency == world.own:
        values |= {"chair": world.users["agency_head"], "secretary": world.users["iso_coordinator"]}
    return review_create(actor=None, agency=agency, **(values | changes))


@pytest.fixture
def planned(world):
    return plan(world)
