"""Scores computed from the real records through the contracts: each rule, both ways of giving points, a contract
that is not available, and the province page with its XLSX."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eiso.compliance import contracts
from eiso.par import selectors
from eiso.par.rules import REPORT_SUBMITTED_ON, SUB_ITEMS
from eiso.par.selectors import agency_score, criteria_for, province_scores
from tests.conftest import login
from tests.par.conftest import YEAR, completed_audit, criterion, held_review, update_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 15)


def items(score):
    return {item.key: item for row in score.scores for item in row.items}


def report_expected():
    """The periodic report is not in the test records: "no" once the reporting app provides its contract,
    "not available" before."""
    return None if contracts.resolve(REPORT_SUBMITTED_ON) is None else False


def announcement_expected():
    return False  # own has no announcement in these records


def test_each_rule_reads_the_records(world):
    # given own's year: audit completed, review held and effectiveness confirmed, no change in the law
    completed_audit(world.own)
    held_review(world.own)
    criteria = [criterion(world, code=f"6.{n}", rule=key) for n, key in enumerate(SUB_ITEMS, start=1)]
    # when
    score = agency_score(agency=world.own, year=YEAR, criteria=criteria_for(province=world.province, year=YEAR),
                         today=TODAY)
    # then
    found = items(score)
    assert found["internal_audit_done"].met is True and "20/05/2026" in found["internal_audit_done"].detail
    assert found["management_review_done"].met is True and "10/06/2026" in found["management_review_done"].detail
    assert found["effectiveness_confirmed"].met is True
    assert found["legal_updates_on_time"].met is True
    assert found["periodic_report_submitted"].met is report_expected()
    assert found["announcement_in_force"].met is announcement_expected()
    points = {row.criterion.rule: row.points for row in score.scores}
    assert points["internal_audit_done"] == Decimal("1.00") and points["periodic_report_submitted"] == 0
    assert score.total == Decimal("4.00") and score.maximum == Decimal("6.00")
    assert len(criteria) == 6


def test_the_sibling_with_no_records_gets_nothing(world):
    criteria = [criterion(world, code="1", rule="internal_audit_done"), criterion(world, code="2", rule="all",
                                                                                 scoring="proportional")]
    score = agency_score(agency=world.sibling, year=YEAR, criteria=criteria, today=TODAY)
    # only "no change in the law left undone" holds: 1 of the 6 sub-items
    assert [row.points for row in score.scores] == [0, Decimal("0.17")]
    assert items(score)["internal_audit_done"].detail == "No internal audit completed in 2026."
    # the year matters: own's 2025 audit does not count for 2026
    completed_audit(world.own, year=2025, on=dt.date(2025, 11, 3))
    assert agency_score(agency=world.own, year=YEAR, criteria=criteria[:1], today=TODAY).total == 0


def test_all_or_nothing_and_proportional(world):
    completed_audit(world.own)
    held_review(world.own, confirmed=False)
    whole = criterion(world, code="A", rule="all", points="1", scoring="all_or_nothing")
    share = criterion(world, code="B", rule="all", points="1.5", scoring="proportional")
    score = agency_score(agency=world.own, year=YEAR, criteria=[whole, share], today=TODAY)
    by_code = {row.criterion.code: row for row in score.scores}
    # audit, review and legal updates are met; confirmation, announcement and report are not (or not available)
    assert by_code["B"].met == 3 and len(by_code["B"].items) == 6
    assert by_code["A"].points == 0
    assert by_code["B"].points == Decimal("0.75")  # 1.5 × 3/6


def test_legal_updates_late_or_overdue_lose_the_points(world):
    rule = criterion(world, code="L", rule="legal_updates_on_time")
    update_task(world.own, due_on=dt.date(2026, 4, 1), closed_on=dt.date(2026, 3, 20), code="QT-01")
    assert agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY).total == Decimal("1.00")
    late = update_task(world.own, due_on=dt.date(2026, 5, 1), closed_on=dt.date(2026, 5, 10), code="QT-02")
    result = agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY)
    assert result.total == 0 and "1 update(s) of 2026 made after the 3-month deadline" in items(result)[
        "legal_updates_on_time"].detail
    late.delete()
    update_task(world.own, due_on=dt.date(2026, 9, 1), code="QT-03")  # still open, past its deadline
    result = agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY)
    assert result.total == 0 and "01/09/2026" in items(result)["legal_updates_on_time"].detail


def test_a_missing_contract_is_not_available_and_scores_nothing(world):
    completed_audit(world.own)
    rule = criterion(world, code="1", rule="internal_audit_done")
    real = contracts.resolve
    score = agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY,
                         resolve=lambda path: None if path.startswith("eiso.audits.") else real(path))
    item = items(score)["internal_audit_done"]
    assert item.met is None and not item.available and "eiso.audits.selectors.audit_completed_on" in item.detail
    assert score.total == 0 and score.notes == [f"Internal audit done in the year: {item.detail}"]


def test_an_announcement_in_force_gives_the_points(world):
    from eiso.announcements.services import announcement_record

    rule = criterion(world, code="6.3.1", rule="announcement_in_force", points="0.5")
    assert agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY).total == 0
    announcement_record(actor=None, agency=world.own, signed_on=dt.date(2026, 3, 2), number=15,
                        signer_name="Trần Văn Thủ Trưởng")
    score = agency_score(agency=world.own, year=YEAR, criteria=[rule], today=TODAY)
    assert score.total == Decimal("0.50") and "02/03/2026" in items(score)["announcement_in_force"].detail
    # signed in 2026, it was not in force in 2025
    earlier = criterion(world, code="6.3.1", rule="announcement_in_force", points="0.5", year=2025)
    assert agency_score(agency=world.own, year=2025, criteria=[earlier], today=TODAY).total == 0
    # the sibling has none
    assert agency_score(agency=world.sibling, year=YEAR, criteria=[rule], today=TODAY).total == 0


# --- The province page ----------------------------------------------------------------------------------------


def test_the_province_page_shows_agencies_by_criteria(client, world):
    completed_audit(world.own)
    held_review(world.own)
    criterion(world, code="6.3.2", rule="internal_audit_done", points="0.5")
    criterion(world, code="6.3.10", rule="management_review_done", points="0.25")
    login(client, world.users["supervisor"])
    page = client.get(reverse("par:province"), {"year": YEAR})
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index("6.3.2") < body.index("6.3.10")  # the methodology's order, not the text order
    assert world.own.name in body and world.sibling.name in body and world.foreign.name not in body
    rows = {row.agency.pk: row for row in page.context["rows"]}
    assert rows[world.own.pk].total == Decimal("0.75") and rows[world.sibling.pk].total == 0
    # the XLSX holds the same numbers
    response = client.get(reverse("par:province_xlsx"), {"year": YEAR, "province": world.province.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = values[2]
    assert header[2].startswith("6.3.2") and header[3].startswith("6.3.10")
    own_row = next(row for row in values if row[0] == world.own.name)
    assert own_row[2:6] == (0.5, 0.25, 0.75, 0.75)
    sibling_row = next(row for row in values if row[0] == world.sibling.name)
    assert sibling_row[4] == 0


def test_the_level_filter(client, world, monkeypatch):
    criterion(world)
    levels = {world.own.pk: "commune", world.sibling.pk: "commune", world.dost.pk: "department"}
    real = contracts.resolve
    monkeypatch.setattr(selectors, "levels", lambda: [("department", "Sở, ban, ngành"), ("commune", "Cấp xã")])
    monkeypatch.setattr(contracts, "resolve", lambda path: (lambda agency: levels.get(agency.pk, "other"))
                        if path == selectors.AGENCY_LEVEL_PATH else real(path))
    _criteria, rows = province_scores(province=world.province, year=YEAR, level="department", today=TODAY)
    assert [row.agency for row in rows] == [world.dost]
    login(client, world.users["supervisor"])
    body = client.get(reverse("par:province"), {"year": YEAR, "level": "commune"}).content.decode()
    assert f'data-agency="{world.own.pk}"' in body and f'data-agency="{world.sibling.pk}"' in body
    assert f'data-agency="{world.dost.pk}"' not in body


@pytest.mark.parametrize(("who", "status"), [("supervisor", 200), ("national", 200), ("admin", 200),
                                             ("agency_head", 403), ("staff", 403), ("other_supervisor", 404)])
def test_who_opens_the_province_page(client, world, national, other_supervisor, who, status):
    user = {"national": national, "other_supervisor": other_supervisor}.get(who) or world.users[who]
    login(client, user)
    assert client.get(reverse("par:province"), {"province": world.province.pk}).status_code == status


def test_the_menu_entry_leads_each_user_to_their_page(client, world):
    login(client, world.users["supervisor"])
    assert client.get(reverse("par:index"))["Location"] == reverse("par:province")
    login(client, world.users["iso_coordinator"])
    assert client.get(reverse("par:index"))["Location"] == reverse("par:agency")
    login(client, world.users["staff"])
    assert client.get(reverse("par:index")).status_code == 403
