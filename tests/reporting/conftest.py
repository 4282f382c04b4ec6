"""Periodic reporting fixtures: the world's province (own, sibling and the Department itself, dost) with its
supervisor; builders of the real records a report is pre-filled from, made through the apps' own services; a
second province with its own supervising authority and supervisor. The tests read messages in English (the
interface's source language)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from eiso.core.permissions import Role
from eiso.reporting import services
from tests.factories import AgencyFactory, CommuneFactory, supervising, user_with_role
from tests.qms_records import complete_audit, hold_review, publish_process, qms_of  # noqa: F401 (used by the tests)

YEAR = 2026
TODAY = dt.date(YEAR, 11, 20)
DUE_ON = dt.date(YEAR, 11, 30)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))










def open_period(world, *, kind="yearly", year=YEAR, half=None, due_on=DUE_ON, today=TODAY, **kwargs):
    return services.period_open(actor=world.users["supervisor"], province=world.province, kind=kind, year=year,
                                half=half, due_on=due_on, today=today, **kwargs)


def report_of(period, agency):
    return period.reports.get(agency=agency)


def completed(report, world, **texts):
    """The own agency's report written by its coordinator and signed off by its head."""
    values = {"results": "Duy trì áp dụng HTQLCL đối với toàn bộ thủ tục hành chính.",
              "difficulties": "Công chức mới chưa được đào tạo.", "proposals": "Tổ chức tập huấn."} | texts
    report = services.report_update(actor=world.users["iso_coordinator"], report=report, **values)
    return services.report_transition(actor=world.users["agency_head"], report=report, action="sign_off")


def submitted(report, world, **texts):
    report = completed(report, world, **texts)
    return services.report_transition(actor=world.users["iso_coordinator"], report=report, action="submit")


@pytest.fixture
def period(world):
    """The yearly period of 2026 of the world's province: reports of own, sibling and the Department."""
    return open_period(world)


@pytest.fixture
def other(db):
    """A second province with its own Department of Science and Technology, a supervisor and an agency."""
    from tests.factories import ProvinceFactory

    province = ProvinceFactory(name="Yên Bái")
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ tỉnh Yên Bái", kind="department", admin_unit=province)
    supervising(dost)
    agency = AgencyFactory(name="Ủy ban nhân dân xã Yên Thế", admin_unit=CommuneFactory(parent=province))
    return SimpleNamespace(province=province, dost=dost, agency=agency,
                           supervisor=user_with_role(Role.SUPERVISOR, dost))


@pytest.fixture
def national(db):
    return user_with_role(Role.NATIONAL_SUPERVISOR, AgencyFactory(name="Bộ Khoa học và Công nghệ",
                                                                  kind="ministry"))
