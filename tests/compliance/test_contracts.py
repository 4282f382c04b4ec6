"""The real contract functions of the other QMS-year apps, as the calendar calls them (no fakes here): each one
exists, answers for an agency whose year holds nothing, and the pages work with them."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from eiso.compliance import contracts, obligations, selectors, services
from eiso.compliance.models import ComplianceItem
from tests.conftest import login


@pytest.mark.parametrize("path", [*contracts.ALL, obligations.REPORT_SUBMITTED_ON])
def test_every_contract_is_provided(path):
    assert contracts.resolve(path) is not None, f"{path} is missing"


def test_resolve_tells_a_missing_provider_from_a_broken_one(monkeypatch, tmp_path):
    assert contracts.resolve("eiso.nonexistent_app.selectors.evidence_records") is None
    assert contracts.resolve("eiso.legal.selectors.no_such_function") is None
    # a provider module whose own import fails is broken, not missing: the error shows
    package = tmp_path / "brokenprovider"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "selectors.py").write_text("import a_dependency_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        contracts.resolve("brokenprovider.selectors.evidence_records")


def test_derived_statuses_from_the_real_records(world):
    states = selectors.year_states(agency=world.own, year=2026, today=dt.date(2026, 12, 5))
    by_key = {s.item.obligation: s for s in states}
    for key in ("objectives_set", "internal_audit", "management_review", "effectiveness_confirmed"):
        assert by_key[key].available and by_key[key].status == "overdue" and by_key[key].done_on is None
    assert by_key["legal_updates"].status == "done"
    # no report submitted in eISO (eiso.reporting): still to do, by hand or by submitting it there
    assert by_key["supervisor_report"].available and by_key["supervisor_report"].status == "overdue"


def test_start_with_the_real_copies_reports_what_was_not_copied(world):
    year = dt.date.today().year
    result = services.compliance_year_start(actor=world.users["iso_coordinator"], agency=world.own, year=year)
    assert ComplianceItem.objects.filter(agency=world.own, year=year).count() == 6
    assert result.objectives_copied is None and result.programme is None
    assert len(result.notes) == 2  # nothing to copy from last year: both apps say so


def test_pages_with_the_real_providers(client, world):
    login(client, world.users["iso_coordinator"])
    assert client.get("/compliance/").status_code == 200
    body = client.get("/compliance/2026/evidence/").content.decode()
    assert "Not available in this installation yet." not in body
    response = client.get("/compliance/2026/evidence.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("Category", "Title", "Date", "Link")
