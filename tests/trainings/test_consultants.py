"""Consultants: licence validity (expired flagged), consultant_licensed for the Art. 36 inspection point,
engagements within the province, issues reported by the supervisor or the agency's head or coordinator."""

import datetime as dt

import pytest

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.trainings.consultant_services import (
    consultant_update,
    engagement_add,
    engagement_update,
    issue_report,
    issue_resolve,
)
from eiso.trainings.models import Consultant, ConsultantEngagement, ConsultantIssue
from eiso.trainings.selectors import consultant_licensed
from tests.trainings.conftest import consultant

pytestmark = pytest.mark.django_db


def test_the_licence_state_on_a_day(world):
    firm = consultant(world, licence_issued_on=dt.date(2023, 5, 10), licence_valid_until=dt.date(2026, 5, 9))
    assert firm.licence_state(dt.date(2023, 5, 9)) == "not_yet_valid"
    assert firm.licence_state(dt.date(2023, 5, 10)) == "valid"
    assert firm.licence_state(dt.date(2026, 3, 9)) == "valid"  # 61 days before the end
    assert firm.licence_state(dt.date(2026, 3, 10)) == "expiring"  # within 60 days of the end
    assert firm.licence_state(dt.date(2026, 5, 9)) == "expiring"
    assert firm.licence_state(dt.date(2026, 5, 10)) == "expired"
    assert firm.is_licensed_on(dt.date(2026, 5, 9)) and not firm.is_licensed_on(dt.date(2026, 5, 10))
    unlicensed = consultant(world, name="Không có giấy phép", licence_number="", licence_issuer="",
                            licence_issued_on=None, licence_valid_until=None)
    assert unlicensed.licence_state(dt.date(2025, 1, 1)) == "missing"
    open_ended = consultant(world, name="Không thời hạn", licence_valid_until=None)
    assert open_ended.licence_state(dt.date(2040, 1, 1)) == "valid"


def test_licence_fields_are_checked(world):
    with pytest.raises(ApplicationError) as error:
        consultant(world, licence_number="", name="Thiếu số")
    assert "licence_number" in error.value.errors
    with pytest.raises(ApplicationError) as error:
        consultant(world, licence_issued_on=dt.date(2025, 1, 1), licence_valid_until=dt.date(2024, 1, 1))
    assert "licence_valid_until" in error.value.errors
    consultant(world)
    with pytest.raises(ApplicationError, match="already registered"):
        consultant(world)
    assert Consultant.objects.count() == 1


def test_consultant_licensed_follows_the_engagements_going_on_that_day(world):
    # given a licensed firm (until 9/5/2028) and one whose licence ended on 30/6/2025
    good = consultant(world)
    expired = consultant(world, name="Hết hạn", licence_issued_on=dt.date(2020, 7, 1),
                         licence_valid_until=dt.date(2025, 6, 30))
    # no engagement at all: None
    assert consultant_licensed(agency=world.own, on=dt.date(2025, 3, 1)) is None
    engagement_add(actor=None, consultant=good, agency=world.own, started_on=dt.date(2025, 1, 1),
                   ended_on=dt.date(2025, 12, 31))
    engagement_add(actor=None, consultant=expired, agency=world.sibling, started_on=dt.date(2025, 1, 1))
    # then
    assert consultant_licensed(agency=world.own, on=dt.date(2024, 12, 31)) is None  # before the engagement
    assert consultant_licensed(agency=world.own, on=dt.date(2025, 1, 1)) is True
    assert consultant_licensed(agency=world.own, on=dt.date(2026, 1, 1)) is None  # after it ended
    assert consultant_licensed(agency=world.sibling, on=dt.date(2025, 6, 30)) is True
    assert consultant_licensed(agency=world.sibling, on=dt.date(2025, 7, 1)) is False  # expired, still engaged
    # one licensed and one not, on the same day: False
    engagement_add(actor=None, consultant=expired, agency=world.own, started_on=dt.date(2025, 9, 1),
                   ended_on=dt.date(2025, 10, 31))
    assert consultant_licensed(agency=world.own, on=dt.date(2025, 9, 15)) is False
    assert consultant_licensed(agency=world.own, on=dt.date(2025, 11, 1)) is True
    # the register keeps the current licence only: once it is renewed, the past reads as licensed too
    consultant_update(actor=None, consultant=expired, licence_valid_until=dt.date(2030, 6, 30))
    assert consultant_licensed(agency=world.sibling, on=dt.date(2025, 7, 1)) is True


def test_a_missing_licence_number_is_not_licensed(world):
    firm = consultant(world, name="Không giấy phép", licence_number="", licence_issuer="", licence_issued_on=None,
                      licence_valid_until=None)
    engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 1, 1))
    assert consultant_licensed(agency=world.own, on=dt.date(2025, 2, 1)) is False


def test_engagements_are_with_agencies_of_the_province_and_do_not_overlap(world, foreign_dost):
    firm = consultant(world)
    with pytest.raises(ApplicationError, match="is not an agency of the province"):
        engagement_add(actor=None, consultant=firm, agency=world.foreign, started_on=dt.date(2025, 1, 1))
    first = engagement_add(actor=world.users["supervisor"], consultant=firm, agency=world.own,
                           started_on=dt.date(2025, 1, 1), ended_on=dt.date(2025, 6, 30))
    with pytest.raises(ApplicationError, match="already works for"):
        engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 6, 1))
    with pytest.raises(ApplicationError, match="end on or after"):
        engagement_update(actor=None, engagement=first, ended_on=dt.date(2024, 12, 31))
    engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 7, 1))
    for actor in (foreign_dost.supervisor, world.users["agency_head"]):
        with pytest.raises(PermissionDeniedError):
            engagement_add(actor=actor, consultant=firm, agency=world.sibling, started_on=dt.date(2025, 1, 1))
    assert ConsultantEngagement.objects.filter(agency=world.sibling).count() == 0
    assert ConsultantEngagement.objects.get(pk=first.pk).ended_on == dt.date(2025, 6, 30)


def test_issues_are_reported_by_the_supervisor_or_the_agencys_head_and_coordinator(world):
    firm = consultant(world)
    engagement = engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 1, 1))
    by_head = issue_report(actor=world.users["agency_head"], engagement=engagement,
                           description="Chuyên gia không đến theo lịch", reported_on=dt.date(2025, 5, 1))
    by_supervisor = issue_report(actor=world.users["supervisor"], engagement=engagement,
                                 description="Tài liệu chưa cập nhật")
    assert (by_head.agency, by_head.consultant, by_head.reported_by, by_head.status) == (
        world.own, firm, world.users["agency_head"], "open")
    assert by_supervisor.reported_on <= dt.date.today()
    for actor in (world.users["staff"], world.users["auditor"], world.users["consultant"]):
        with pytest.raises(PermissionDeniedError):
            issue_report(actor=actor, engagement=engagement, description="Không được phép")
    with pytest.raises(ApplicationError, match="Describe the issue"):
        issue_report(actor=world.users["iso_coordinator"], engagement=engagement, description="  ")
    assert ConsultantIssue.objects.count() == 2
    # resolved by the coordinator, once
    with pytest.raises(ApplicationError, match="before it was reported"):
        issue_resolve(actor=world.users["iso_coordinator"], issue=by_head, resolution="Đã bố trí lại",
                      resolved_on=dt.date(2025, 4, 1))
    resolved = issue_resolve(actor=world.users["iso_coordinator"], issue=by_head, resolution="Đã bố trí lại",
                             resolved_on=dt.date(2025, 5, 10))
    assert (resolved.status, resolved.resolved_on) == ("resolved", dt.date(2025, 5, 10))
    with pytest.raises(ApplicationError, match="already resolved"):
        issue_resolve(actor=None, issue=by_head, resolution="Again")
    with pytest.raises(PermissionDeniedError):
        issue_resolve(actor=world.users["staff"], issue=by_supervisor, resolution="Không được phép")
    assert ConsultantIssue.objects.get(pk=by_supervisor.pk).status == "open"


def test_the_head_of_another_agency_cannot_report_on_this_engagement(world):
    from eiso.core.permissions import Role
    from tests.factories import user_with_role

    firm = consultant(world)
    engagement = engagement_add(actor=None, consultant=firm, agency=world.own, started_on=dt.date(2025, 1, 1))
    sibling_head = user_with_role(Role.AGENCY_HEAD, world.sibling)
    with pytest.raises(PermissionDeniedError):
        issue_report(actor=sibling_head, engagement=engagement, description="Không phải việc của tôi")
    assert not ConsultantIssue.objects.exists()
