"""The levels by which agencies are counted, from their kind and administrative unit; the database filter gives
the same answer as the Python rule."""

import pytest

from eiso.organizations.models import AdminUnit, Agency
from eiso.oversight.levels import AGENCY_RELATED, LEVEL_KEYS, LEVELS, agency_level, level_condition
from tests.factories import AgencyFactory, CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(world):
    province = world.province
    district = AdminUnit.objects.create(level="district", code="D001", name="Huyện Bảo Thắng", parent=province)
    committee = AgencyFactory(name="Ủy ban nhân dân tỉnh Lào Cai", admin_unit=province)
    department = AgencyFactory(name="Sở Tư pháp", kind="department", admin_unit=province, parent=committee)
    commune = CommuneFactory(parent=province)
    commune_committee = AgencyFactory(name="Ủy ban nhân dân xã Gia Phú", admin_unit=commune)
    return {
        "committee": (committee, "province"),
        "office": (AgencyFactory(name="Văn phòng UBND tỉnh", kind="other", admin_unit=province, parent=committee),
                   "province"),
        "department": (department, "department"),
        "sub_department": (AgencyFactory(name="Chi cục Kiểm lâm", kind="sub_department", admin_unit=province,
                                         parent=department), "sub_department"),
        "commune": (commune_committee, "commune"),
        "district": (AgencyFactory(name="Ủy ban nhân dân huyện Bảo Thắng", admin_unit=district), "other"),
        "ministry": (AgencyFactory(name="Bộ Nội vụ", kind="ministry", admin_unit=province), "other"),
        "unit_of_a_commune": (AgencyFactory(name="Trạm Y tế xã", kind="other", admin_unit=commune,
                                            parent=commune_committee), "other"),
        "other_without_parent": (AgencyFactory(name="Ban Quản lý dự án", kind="other", admin_unit=province),
                                 "other"),
    }


def test_levels_are_ordered_pairs_with_labels():
    assert LEVEL_KEYS == ("province", "department", "sub_department", "commune", "other")
    assert all(str(label) for _key, label in LEVELS)


def test_agency_level(agencies):
    for name, (agency, level) in agencies.items():
        assert agency_level(agency) == level, name


def test_the_database_filter_agrees_with_the_rule(world, agencies):
    every = Agency.objects.select_related(*AGENCY_RELATED)
    for level in LEVEL_KEYS:
        filtered = set(every.filter(level_condition(level)).values_list("pk", flat=True))
        assert filtered == {a.pk for a in every if agency_level(a) == level}, level
    # each agency in exactly one level
    counts = sum(every.filter(level_condition(level)).count() for level in LEVEL_KEYS)
    assert counts == every.count()


def test_an_unknown_level_is_an_error():
    with pytest.raises(ValueError):
        level_condition("district")
