"""Totals by year and level: people trained (attendances) and agencies reached, the same numbers on the page, in
the XLSX and through the API; the bulk contract trained_people_by_agency."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eiso.trainings import selectors
from eiso.trainings.selectors import trained_people_by_agency, training_totals
from eiso.trainings.services import participant_add
from tests.conftest import login
from tests.factories import AgencyFactory
from tests.trainings.conftest import course

pytestmark = pytest.mark.django_db


@pytest.fixture
def fallback_levels(monkeypatch):
    """The levels from the agencies' kinds, as when the oversight app gives none."""
    monkeypatch.setattr(selectors, "resolve", lambda path: None)


@pytest.fixture
def trained(world, foreign_dost):
    """2025: two of own attended and one was absent, one of the sibling, one of DOST; 2026: one of own and one of
    another department. A course of the other province does not count."""
    department = AgencyFactory(name="Sở Tư pháp tỉnh Lào Cai", kind="department", admin_unit=world.province)
    first = course(world)
    for agency, name, attended in ((world.own, "Nguyễn Văn An", True), (world.own, "Trần Thị Bình", True),
                                   (world.own, "Vắng Mặt", False), (world.sibling, "Lê Văn Chiến", True),
                                   (world.dost, "Hà Thị Dung", True)):
        participant_add(actor=None, training=first, agency=agency, full_name=name, attended=attended)
    second = course(world, start_on=dt.date(2026, 4, 7), end_on=dt.date(2026, 4, 8), kind="documentation")
    participant_add(actor=None, training=second, agency=world.own, full_name="Nguyễn Văn An")
    participant_add(actor=None, training=second, agency=department, full_name="Vũ Văn Em")
    elsewhere = course(world, authority=foreign_dost)
    participant_add(actor=None, training=elsewhere, agency=world.foreign, full_name="Người Hà Nội")
    return department


def figures(row):
    return {level.level: (level.people, level.agencies, level.agencies_in_level) for level in row.levels
            if level.people or level.agencies_in_level}


def test_people_and_agencies_by_year_and_level(world, trained, fallback_levels):
    # when
    table = training_totals(province=world.province)
    # then one row per year and one for all years
    assert [(row.year, row.courses, row.people, row.agencies) for row in table] == [
        (2025, 1, 4, 3), (2026, 1, 2, 2), (None, 2, 6, 4)]
    assert figures(table[0]) == {"commune": (3, 2, 2), "department": (1, 1, 2)}
    assert figures(table[1]) == {"commune": (1, 1, 2), "department": (1, 1, 2)}
    # an agency reached in both years counts once in the last row
    assert figures(table[2]) == {"commune": (4, 2, 2), "department": (2, 2, 2)}
    assert [level.level for level in table[0].levels] == ["province", "department", "sub_department", "commune",
                                                          "other"]


def test_the_levels_come_from_the_oversight_contract_when_it_exists(world, trained, monkeypatch):
    # given an oversight app that puts every People's Committee at one level and the rest at another
    provided = {
        selectors.LEVELS_PATH: (("committees", "Committees"), ("others", "Others")),
        selectors.AGENCY_LEVEL: lambda agency: "committees" if agency.kind == "peoples_committee" else "others",
    }
    monkeypatch.setattr(selectors, "resolve", provided.get)
    # when
    table = training_totals(province=world.province, years=[2025])
    # then
    assert [(level.level, level.label, level.people, level.agencies) for level in table[0].levels] == [
        ("committees", "Committees", 3, 2), ("others", "Others", 1, 1)]


def test_trained_people_by_agency_counts_attendances_in_bulk(world, trained):
    ids = [world.own.pk, world.sibling.pk, world.foreign.pk, trained.pk]
    assert trained_people_by_agency(ids) == {world.own.pk: 3, world.sibling.pk: 1, world.foreign.pk: 1,
                                             trained.pk: 1}
    assert trained_people_by_agency(ids, year=2025) == {world.own.pk: 2, world.sibling.pk: 1, world.foreign.pk: 1}
    assert trained_people_by_agency(ids, year=2026) == {world.own.pk: 1, trained.pk: 1}
    assert trained_people_by_agency([], year=2026) == {}


def test_the_page_the_workbook_and_the_api_show_the_same_numbers(client, api_client, world, trained,
                                                                 fallback_levels):
    supervisor = world.users["supervisor"]
    login(client, supervisor)
    # the page
    page = client.get(reverse("trainings:totals")).content.decode()
    assert 'data-year="2025"' in page and 'data-total-people="4"' in page and 'data-total-people="6"' in page
    assert 'data-level="commune" data-people="3"' in page
    # the workbook: year, level, people, agencies, agencies of the level
    response = client.get(reverse("trainings:totals_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    rows = [list(row) for row in book["Totals"].iter_rows(min_row=3, values_only=True)]
    table = training_totals(province=world.province)
    expected = []
    for row in table:
        year = row.year or "All years"
        expected += [[year, level.label, level.people, level.agencies, level.agencies_in_level] for level in row.levels]
        expected.append([year, "Total", row.people, row.agencies, row.agencies_in_levels])
    assert rows == expected
    assert ["All years", "Total", 6, 4, 4] in rows  # own, sibling, DOST, the department
    participants = [list(row) for row in book["Participants"].iter_rows(min_row=2, values_only=True)]
    assert len(participants) == 7 and all(row[0] in ("01/2025", "01/2026") for row in participants)
    courses = [list(row) for row in book["Courses"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[7], row[8]) for row in courses] == [("01/2025", 5, 4), ("01/2026", 2, 2)]
    # the API
    api_client.force_login(supervisor)
    body = api_client.get(reverse("training-totals")).json()
    assert [(row["year"], row["people"], row["agencies"]) for row in body] == [(2025, 4, 3), (2026, 2, 2),
                                                                               (None, 6, 4)]


def test_totals_are_for_supervisors_and_each_sees_its_own_province(client, world, trained, foreign_dost):
    login(client, world.users["agency_head"])
    assert client.get(reverse("trainings:totals")).status_code == 403
    assert client.get(reverse("trainings:totals_xlsx")).status_code == 403
    login(client, foreign_dost.supervisor)
    page = client.get(reverse("trainings:totals")).content.decode()
    assert 'data-total-people="1"' in page and 'data-total-people="4"' not in page
    assert client.get(reverse("trainings:totals") + f"?province={world.province.pk}").status_code == 404


def test_without_a_stand_in_the_levels_are_the_oversight_apps(world, trained):
    levels = pytest.importorskip("eiso.oversight.levels")
    assert selectors.levels() == [(key, str(label)) for key, label in levels.LEVELS]
    table = training_totals(province=world.province, years=[2025])
    by_level = {level.level: level.people for level in table[0].levels}
    assert by_level[levels.agency_level(world.own)] == 3
