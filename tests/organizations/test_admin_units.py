import datetime as dt

import pytest

from eiso.organizations.choices import AdminUnitLevel
from eiso.organizations.models import AdminUnit, AdminUnitName
from eiso.organizations.selectors import admin_unit_current_successors, admin_unit_name_on
from eiso.organizations.services import admin_unit_record_historical, admin_units_load

pytestmark = pytest.mark.django_db


def test_load_admin_units_gives_34_provinces_and_3321_communes_and_is_idempotent():
    # when
    first = admin_units_load()
    second = admin_units_load()
    # then
    assert AdminUnit.objects.filter(level=AdminUnitLevel.PROVINCE).count() == 34
    assert AdminUnit.objects.filter(level=AdminUnitLevel.COMMUNE).count() == 3321
    assert first == {"created": 3355, "renamed": 0, "unchanged": 0}
    assert second == {"created": 0, "renamed": 0, "unchanged": 3355}
    assert AdminUnit.objects.count() == 3355
    assert AdminUnitName.objects.count() == 3355


def test_loaded_units_are_effective_from_the_two_tier_reform_and_linked_to_their_province():
    admin_units_load()
    hanoi = AdminUnit.objects.get(level=AdminUnitLevel.PROVINCE, code="01")
    hoan_kiem = AdminUnit.objects.get(level=AdminUnitLevel.COMMUNE, code="00070")
    assert hanoi.name == "Thành phố Hà Nội"
    assert hoan_kiem.name == "Phường Hoàn Kiếm"
    assert hoan_kiem.parent == hanoi
    assert hoan_kiem.valid_from == dt.date(2025, 7, 1)
    assert hanoi.children.count() == 126


def test_the_command_runs_twice_without_adding(capsys):
    from django.core.management import call_command

    call_command("load_admin_units")
    call_command("load_admin_units")
    assert "0 created" in capsys.readouterr().out
    assert AdminUnit.objects.count() == 3355


def test_search_is_accent_insensitive():
    admin_units_load()
    assert list(AdminUnit.objects.search("ha noi").filter(level="province").values_list("code", flat=True)) == ["01"]
    assert AdminUnit.objects.search("hoan kiem").filter(code="00070").exists()
    assert AdminUnit.objects.search("ĐIỆN BIÊN").filter(level="province").exists()


def test_rename_is_recorded_not_rewritten():
    # given a unit whose name changes in the national list
    admin_units_load()
    unit = AdminUnit.objects.get(level="commune", code="00070")
    unit.name = "Phường Cũ"
    unit.save()
    AdminUnitName.objects.filter(unit=unit).update(name="Phường Cũ")
    # when the list is loaded again
    counts = admin_units_load()
    # then the current name is the package's and the old one is kept for its period
    unit.refresh_from_db()
    assert counts["renamed"] == 1
    assert unit.name == "Phường Hoàn Kiếm"
    assert admin_unit_name_on(unit=unit, on=dt.date(2025, 8, 1)) == "Phường Cũ"
    assert admin_unit_name_on(unit=unit, on=dt.date.today()) == "Phường Hoàn Kiếm"


def test_a_pre_2025_district_and_commune_are_recorded_as_merged_into_their_successor():
    admin_units_load()
    successor = AdminUnit.objects.get(level="commune", code="00070")
    district = admin_unit_record_historical(
        level=AdminUnitLevel.DISTRICT, code="002", name="Quận Hoàn Kiếm", valid_from=None,
        valid_to=dt.date(2025, 6, 30), parent=successor.parent,
    )
    old_commune = admin_unit_record_historical(
        level=AdminUnitLevel.COMMUNE, code="00037", name="Phường Hàng Bạc", valid_from=None,
        valid_to=dt.date(2025, 6, 30), parent=district, successors=[successor],
    )
    # re-recording does not duplicate
    admin_unit_record_historical(
        level=AdminUnitLevel.COMMUNE, code="00037", name="Phường Hàng Bạc", valid_from=None,
        valid_to=dt.date(2025, 6, 30), parent=district, successors=[successor],
    )
    assert AdminUnit.objects.filter(code="00037", level="commune").count() == 1
    assert admin_unit_current_successors(unit=old_commune) == [successor]
    assert list(AdminUnit.objects.valid_on(dt.date(2025, 1, 1)).filter(pk__in=[old_commune.pk, successor.pk])) == [
        old_commune
    ]
    assert admin_unit_name_on(unit=old_commune, on=dt.date(2024, 5, 1)) == "Phường Hàng Bạc"
