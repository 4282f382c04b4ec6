"""Oversight fixtures: builders of the real records a stage is derived from (documents, a published process, a
completed internal audit, a held management review), made through the apps' own services; a fake of the
announcements contract (its provider is another app); a second province with its own supervising authority and
supervisor; a national supervisor. The tests read messages in English (the interface's source language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from eiso.core.permissions import Role
from eiso.oversight import stages
from tests.factories import AgencyFactory, supervising, user_with_role
from tests.qms_records import build_documents, complete_audit, hold_review, publish_process, qms_of  # noqa: F401 (used by the tests)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield












class Announcements:
    """Stands in for eiso.announcements.selectors.announced_on_by_agency: `announce(agency, on)`."""

    def __init__(self):
        self.days: dict = {}
        self.calls = 0

    def announce(self, agency, on: dt.date):
        self.days[agency.pk] = on

    def __call__(self, agency_ids):
        self.calls += 1
        return {pk: day for pk, day in self.days.items() if pk in set(agency_ids)}


@pytest.fixture
def announcements(monkeypatch):
    fake = Announcements()
    real = stages.resolve

    def resolve(path):
        return fake if path == stages.ANNOUNCED_ON_BY_AGENCY else real(path)

    monkeypatch.setattr(stages, "resolve", resolve)
    return fake


@pytest.fixture
def other_dost(world):
    """The supervising authority of the other province, with its own supervisor."""
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ thành phố Hà Nội", kind="department",
                         admin_unit=world.other_province)
    supervising(dost)
    return dost


@pytest.fixture
def other_supervisor(other_dost):
    return user_with_role(Role.SUPERVISOR, other_dost)


@pytest.fixture
def national(world):
    ministry = AgencyFactory(name="Bộ Khoa học và Công nghệ", kind="ministry", admin_unit=world.other_province)
    return user_with_role(Role.NATIONAL_SUPERVISOR, ministry)


def update_task(agency, due_on: dt.date, status="open", code="QT-01", closed_at=None):
    """An update task of the 3-month rule on a document of the agency."""
    from eiso.documents.models import Document
    from eiso.legal.models import UpdateTask

    document = Document.objects.create(agency=agency, qms=qms_of(agency), kind="process", code=code,
                                       title=f"Quy trình {code}")
    return UpdateTask.objects.create(agency=agency, document=document, reason="legal_change",
                                     starts_on=due_on - dt.timedelta(days=91), due_on=due_on, status=status,
                                     closed_at=closed_at, summary="Thông tư mới thay thế")


DAY = dt.date(2026, 10, 15)  # after the default due date of the internal audit (30/09)


@pytest.fixture
def fixed_day(monkeypatch):
    """The oversight pages and selectors see DAY as today."""
    from eiso.oversight import selectors

    monkeypatch.setattr(selectors, "local_today", lambda: DAY)
    return DAY


@pytest.fixture
def late_reports(monkeypatch):
    """Stands in for eiso.reporting.selectors.late_reports_by_agency: {agency_id: late reports}."""
    from eiso.oversight import selectors

    counts: dict = {}
    real = selectors.resolve

    def resolve(path):
        if path == selectors.LATE_REPORTS_BY_AGENCY:
            return lambda agency_ids, today=None: {pk: n for pk, n in counts.items() if pk in set(agency_ids)}
        return real(path)

    monkeypatch.setattr(selectors, "resolve", resolve)
    return counts


PLAN = {"number": "125/KH-UBND", "issued_on": dt.date(2026, 1, 15), "issuer": "UBND tỉnh Lào Cai",
        "title": "Kế hoạch triển khai áp dụng HTQLCL theo TCVN ISO 9001:2015 tại UBND cấp xã",
        "period_start": dt.date(2026, 2, 1), "period_end": dt.date(2026, 6, 30), "notes": ""}


@pytest.fixture
def plan(world):
    """A plan of the world's province, recorded by its supervisor."""
    from eiso.oversight.services import rollout_plan_create

    return rollout_plan_create(actor=world.users["supervisor"], province=world.province, data=dict(PLAN))


def consultant_of(authority, name="Công ty TNHH Tư vấn ISO Tây Bắc"):
    from eiso.trainings.models import Consultant

    return Consultant.objects.create(agency=authority, name=name, licence_number="12/GCN-BKHCN",
                                     licence_valid_until=dt.date(2028, 12, 31))
