"""Inspection fixtures: the world's province (Lào Cai, its Department of Science and Technology as supervising
authority) with a plan, and helpers that take an inspection through its steps. Messages are read in English (the
interface's source language)."""

import datetime as dt

import pytest
from django.utils import translation

from eiso.core.permissions import Role
from eiso.inspections import plans, services
from tests.factories import AgencyFactory, user_with_role

TEAM = "Nguyễn Văn Trưởng – Chuyên viên – Trưởng đoàn\nTrần Thị Viên – Chuyên viên – Thành viên"
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def supervisor(world):
    return world.users["supervisor"]


def new_plan(world, year=2026, **changes):
    values = {"province": world.province, "year": year, "title": f"Kế hoạch kiểm tra năm {year}"} | changes
    return plans.plan_create(actor=world.users["supervisor"], **values)


@pytest.fixture
def plan(world):
    return new_plan(world)


def approved_plan_with(world, *agencies, on_site=None):
    """A plan of the world's province with the given agencies (default: own and sibling), the first `on_site` on site
    (default: all), approved."""
    supervisor = world.users["supervisor"]
    agencies = agencies or (world.own, world.sibling)
    plan = new_plan(world)
    on_site = len(agencies) if on_site is None else on_site
    lines = [plans.plan_line_add(actor=supervisor, plan=plan, agency=agency,
                                    method="on_site" if n < on_site else "by_documents", planned_month=6)
             for n, agency in enumerate(agencies)]
    plans.plan_approve(actor=supervisor, plan=plan)
    return plan, lines


def decide(world, inspection, **changes):
    values = {"decision_on": TODAY - dt.timedelta(days=10), "team": TEAM, "decision_signer": "Hoàng Văn Giám Đốc",
              "decision_signer_position": "Giám đốc", "on_site_on": TODAY - dt.timedelta(days=3)} | changes
    return services.inspection_decide(actor=world.users["supervisor"], inspection=inspection, **values)


def answer_checklist(world, inspection, not_conform=()):
    results = {item.key: {"result": "not_conform" if item.key in not_conform else "conform",
                          "evidence": f"Xem hồ sơ {item.key}"} for item in inspection.checklist.all()}
    return services.checklist_record(actor=world.users["supervisor"], inspection=inspection, results=results)


def sign(world, inspection, signed_on=None, **changes):
    values = {"signed_on": signed_on or TODAY - dt.timedelta(days=3), "place": "Trụ sở UBND phường Cam Đường",
              "participants": "Trần Văn Thủ Trưởng – Chủ tịch UBND\nLê Thị Thư Ký – Công chức",
              "conclusion": "Cơ quan áp dụng, duy trì HTQLCL phù hợp; còn 01 tồn tại.",
              "agency_representative": "Trần Văn Thủ Trưởng", "agency_representative_position": "Chủ tịch"} | changes
    return services.minutes_sign(actor=world.users["supervisor"], inspection=inspection, **values)


def signed_with_finding(world, inspection, signed_on=None):
    """An inspection decided, its checklist answered with one point not conform and its finding, minutes signed."""
    inspection = decide(world, inspection, decision_on=(signed_on or TODAY) - dt.timedelta(days=10),
                        on_site_on=signed_on or TODAY - dt.timedelta(days=3))
    answer_checklist(world, inspection, not_conform=("documents_disseminated",))
    services.finding_add(actor=world.users["supervisor"], inspection=inspection, point_key="documents_disseminated",
                         description="Tài liệu chưa phổ biến đến công chức mới",
                         required_action="Phổ biến tài liệu, có xác nhận đã đọc")
    return sign(world, inspection, signed_on=signed_on)


def other_province_supervisor(world):
    """A supervisor of the other province (Hà Nội): its own Department of Science and Technology."""
    from tests.factories import supervising

    dost = AgencyFactory(name="Sở Khoa học và Công nghệ Hà Nội", kind="department", admin_unit=world.other_province)
    supervising(dost)
    return user_with_role(Role.SUPERVISOR, dost)
