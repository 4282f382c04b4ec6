"""Shared fixtures: a small two-province world in which every role and scope can be tested."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from eiso.core.permissions import Role
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    OrgUnitFactory,
    ProvinceFactory,
    QMSFactory,
    UserFactory,
    supervising,
    user_with_role,
)


@dataclass
class World:
    """own: the agency the role users belong to; sibling: another agency of the same province;
    foreign: an agency of another province; dost: the province's supervising authority."""

    province: object
    other_province: object
    own: object
    sibling: object
    foreign: object
    dost: object
    own_unit: object
    sibling_unit: object
    foreign_unit: object
    users: dict


@pytest.fixture(autouse=True)
def _isolated_process_state():
    """What one test leaves in the process does not reach the next: the active language (a request sets it for
    its thread) and the cache (rate limits of the public endpoints are counted there)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(name="Lào Cai")
    other_province = ProvinceFactory(name="Thành phố Hà Nội")
    own = AgencyFactory(name="Ủy ban nhân dân phường Cam Đường", admin_unit=CommuneFactory(parent=province))
    sibling = AgencyFactory(name="Ủy ban nhân dân xã Bảo Hà", admin_unit=CommuneFactory(parent=province))
    foreign = AgencyFactory(name="Ủy ban nhân dân phường Hoàn Kiếm", admin_unit=CommuneFactory(parent=other_province))
    dost = AgencyFactory(name="Sở Khoa học và Công nghệ tỉnh Lào Cai", kind="department", admin_unit=province)
    supervising(dost)
    for agency in (own, sibling, foreign, dost):
        QMSFactory(agency=agency)
    users = {
        "admin": UserFactory(is_superuser=True, is_staff=True, username="admin"),
        "supervisor": user_with_role(Role.SUPERVISOR, dost),
    }
    for role in (Role.AGENCY_HEAD, Role.ISO_COORDINATOR, Role.STAFF, Role.AUDITOR):
        users[str(role)] = user_with_role(role, own)
    import datetime as dt

    users["consultant"] = user_with_role(Role.CONSULTANT, own, valid_until=dt.date.today() + dt.timedelta(days=30))
    return World(
        province=province, other_province=other_province, own=own, sibling=sibling, foreign=foreign, dost=dost,
        own_unit=OrgUnitFactory(agency=own, name="Bộ phận Một cửa"),
        sibling_unit=OrgUnitFactory(agency=sibling, name="Văn phòng"),
        foreign_unit=OrgUnitFactory(agency=foreign, name="Phòng Kinh tế"),
        users=users,
    )


@pytest.fixture
def api_client():
    return APIClient()


def login(client, user):
    client.force_login(user)
    return client
