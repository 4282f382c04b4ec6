"""Pages and API of the compliance calendar: who sees which agency's year, the supervising authority's overview,
opening a year and the actions from the page, the API's filters."""

import datetime as dt

import pytest

from eiso.compliance import contracts as paths
from eiso.compliance import selectors, services
from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import INTERNAL_AUDIT, SUPERVISOR_REPORT
from eiso.core.permissions import Role
from tests.compliance.conftest import update_task
from tests.conftest import login
from tests.factories import AgencyFactory, ProvinceFactory, supervising, user_with_role

YEAR = 2026
DAY = dt.date(YEAR, 12, 5)  # every default due date but 31/12 has passed


@pytest.fixture
def fixed_day(monkeypatch):
    monkeypatch.setattr(selectors, "local_today", lambda: DAY)
    monkeypatch.setattr(services, "local_today", lambda: DAY)
    import eiso.compliance.api.views as api_views
    import eiso.compliance.views as views

    monkeypatch.setattr(views, "today", lambda: DAY)
    monkeypatch.setattr(api_views, "today", lambda: DAY)
    return DAY


@pytest.fixture
def years(world, contracts, fixed_day):
    """Both agencies of the province and the foreign one opened 2026; at `own`, every derived obligation is done
    except the internal audit, and the report is not done: 2 overdue items. `sibling`: every derived obligation
    open (4 overdue + the report = 5)."""
    for agency in (world.own, world.sibling, world.foreign):
        services.compliance_year_start(actor=None, agency=agency, year=YEAR, today=dt.date(YEAR, 1, 2))

    def done_except_audit_at_own(**kwargs):
        return dt.date(YEAR, 3, 1) if kwargs["agency"] == world.own else None

    for path in (paths.OBJECTIVES_SET_ON, paths.REVIEW_HELD_ON, paths.EFFECTIVENESS_CONFIRMED_ON):
        contracts.functions[path] = done_except_audit_at_own
    contracts.answer(paths.AUDIT_COMPLETED_ON, None)
    return world


def other_supervisor():
    province = ProvinceFactory(name="Tỉnh Khác")
    dost = AgencyFactory(name="Sở KH&CN tỉnh Khác", kind="department", admin_unit=province)
    supervising(dost)
    return user_with_role(Role.SUPERVISOR, dost)


# --- The calendar page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff", "auditor"])
def test_calendar_shows_the_agencys_year(client, years, role):
    login(client, years.users[role])
    response = client.get(f"/compliance/?year={YEAR}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Internal audit carried out" in body and "30/09/2026" in body
    assert "overdue: <strong>2</strong>" in body
    assert years.own.name in body
    manage = role in ("agency_head", "iso_coordinator")
    assert ("/compliance/items/" in body) == manage


def test_calendar_refused_to_consultants_and_other_agencies(client, years):
    login(client, years.users["consultant"])
    assert client.get("/compliance/").status_code == 404
    login(client, years.users["staff"])
    assert client.get(f"/compliance/?agency={years.sibling.pk}").status_code == 404
    assert client.get("/compliance/?agency=not-a-uuid").status_code == 404


def test_supervisor_reads_an_agency_calendar_of_its_province_only(client, years):
    login(client, years.users["supervisor"])
    response = client.get(f"/compliance/?year={YEAR}&agency={years.sibling.pk}")
    assert response.status_code == 200 and years.sibling.name in response.content.decode()
    assert "/compliance/items/" not in response.content.decode()  # no action for the supervisor
    assert client.get(f"/compliance/?agency={years.foreign.pk}").status_code == 404


def test_calendar_before_the_year_is_opened_offers_to_open_it(client, world, contracts, fixed_day):
    login(client, world.users["iso_coordinator"])
    body = client.get(f"/compliance/?year={YEAR}").content.decode()
    assert "The year 2026 is not open yet" in body and f"/compliance/{YEAR}/start/" in body
    login(client, world.users["staff"])
    assert f"/compliance/{YEAR}/start/" not in client.get(f"/compliance/?year={YEAR}").content.decode()


def test_start_from_the_page_and_twice_refused(client, world, contracts, fixed_day):
    contracts.answer(paths.OBJECTIVES_COPY_YEAR, 3)
    login(client, world.users["iso_coordinator"])
    response = client.post(f"/compliance/{YEAR}/start/", follow=True)
    assert "The year 2026 is open: 6 obligations in the calendar." in response.content.decode()
    assert "3 quality objectives copied from 2025 as drafts." in response.content.decode()
    response = client.post(f"/compliance/{YEAR}/start/", follow=True)
    assert "The year 2026 is already open" in response.content.decode()
    assert ComplianceItem.objects.filter(agency=world.own).count() == 6
    assert len(contracts.calls) == 1


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("auditor", 403), ("consultant", 404)])
def test_start_refused_from_the_page(client, world, contracts, fixed_day, role, status):
    login(client, world.users[role])
    assert client.post(f"/compliance/{YEAR}/start/").status_code == status
    assert not ComplianceItem.objects.exists()


def test_mark_done_and_move_from_the_page(client, years):
    login(client, years.users["iso_coordinator"])
    report = ComplianceItem.objects.get(agency=years.own, year=YEAR, obligation=SUPERVISOR_REPORT)
    response = client.post(f"/compliance/items/{report.pk}/done/", {"evidence": "", "done_on": ""}, follow=True)
    assert "Say what shows that it was done" in response.content.decode()
    client.post(f"/compliance/items/{report.pk}/done/", {"evidence": "Báo cáo 12/BC-UBND", "done_on": "2026-11-28"})
    assert ComplianceItem.objects.get(pk=report.pk).done_on == dt.date(YEAR, 11, 28)
    audit = ComplianceItem.objects.get(agency=years.own, year=YEAR, obligation=INTERNAL_AUDIT)
    client.post(f"/compliance/items/{audit.pk}/due/", {"due_on": "2026-12-20", "reason": "Kế hoạch 5/KH"})
    assert ComplianceItem.objects.get(pk=audit.pk).due_on == dt.date(YEAR, 12, 20)
    body = client.get(f"/compliance/?year={YEAR}").content.decode()
    assert "overdue: <strong>0</strong>" in body and "due soon: 1" in body


# --- The supervising authority's overview ------------------------------------------------------------------------


def test_supervisor_of_the_province_sees_the_overdue_items(client, years):
    login(client, years.users["supervisor"])
    response = client.get(f"/compliance/province/?year={YEAR}")
    assert response.status_code == 200
    rows = {r.agency: r for r in response.context["rows"]}
    assert years.foreign not in rows
    assert [s.item.obligation for s in rows[years.own].overdue] == [INTERNAL_AUDIT, SUPERVISOR_REPORT]
    assert len(rows[years.sibling].overdue) == 5
    body = response.content.decode()
    assert "Internal audit carried out (30/09/2026)" in body and years.foreign.name not in body


def test_overview_filters_by_obligation(client, years):
    login(client, years.users["supervisor"])
    response = client.get(f"/compliance/province/?year={YEAR}&obligation={SUPERVISOR_REPORT}&overdue=on")
    rows = response.context["rows"]
    # (the supervising authority's own QMS has not opened the year: its default report date has passed too)
    assert {r.agency for r in rows} == {years.own, years.sibling, years.dost}
    assert all([s.item.obligation for s in r.overdue] == [SUPERVISOR_REPORT] for r in rows)


def test_overdue_legal_updates_visible_to_the_supervisor(client, years):
    update_task(years.own, dt.date(YEAR, 6, 1))
    login(client, years.users["supervisor"])
    rows = {r.agency: r for r in client.get(f"/compliance/province/?year={YEAR}").context["rows"]}
    assert "legal_updates" in [s.item.obligation for s in rows[years.own].overdue]


def test_supervisor_of_another_province_does_not_see_them(client, years):
    login(client, other_supervisor())
    response = client.get(f"/compliance/province/?year={YEAR}")
    assert response.status_code == 200
    assert [r.agency.name for r in response.context["rows"]] == ["Sở KH&CN tỉnh Khác"]
    assert years.own.name not in response.content.decode()


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff", "auditor", "consultant"])
def test_overview_refused_to_agency_people(client, years, role):
    login(client, years.users[role])
    assert client.get("/compliance/province/").status_code == 403


# --- API --------------------------------------------------------------------------------------------------------


def ids(response):
    return {(r["agency"], r["obligation"]) for r in response.json()["results"]}


def test_api_lists_with_status_filters(api_client, years):
    api_client.force_authenticate(years.users["staff"])
    response = api_client.get("/api/v1/compliance-items/", {"year": YEAR, "overdue": "true"})
    assert response.status_code == 200
    assert ids(response) == {(str(years.own.pk), INTERNAL_AUDIT), (str(years.own.pk), SUPERVISOR_REPORT)}
    row = response.json()["results"][0]
    assert row["status"] == "overdue" and row["agency_name"] == years.own.name
    response = api_client.get("/api/v1/compliance-items/", {"status": "done"})
    assert {r["obligation"] for r in response.json()["results"]} == {
        "objectives_set", "management_review", "effectiveness_confirmed", "legal_updates"}
    assert api_client.get("/api/v1/compliance-items/", {"status": "late"}).status_code == 400


def test_api_supervisor_sees_the_provinces_agencies(api_client, years):
    api_client.force_authenticate(years.users["supervisor"])
    agencies = {r[0] for r in ids(api_client.get("/api/v1/compliance-items/", {"overdue": "true"}))}
    assert agencies == {str(years.own.pk), str(years.sibling.pk)}
    api_client.force_authenticate(other_supervisor())
    assert api_client.get("/api/v1/compliance-items/").json()["results"] == []


def test_api_tenancy(api_client, years):
    foreign = ComplianceItem.objects.get(agency=years.foreign, obligation=SUPERVISOR_REPORT)
    api_client.force_authenticate(years.users["iso_coordinator"])
    assert api_client.get(f"/api/v1/compliance-items/{foreign.pk}/").status_code == 404
    response = api_client.post(f"/api/v1/compliance-items/{foreign.pk}/done/", {"evidence": "x"}, format="json")
    assert response.status_code == 404
    assert ComplianceItem.objects.get(pk=foreign.pk).done_on is None


def test_api_mark_done_for_manual_items(api_client, years):
    report = ComplianceItem.objects.get(agency=years.own, obligation=SUPERVISOR_REPORT)
    audit = ComplianceItem.objects.get(agency=years.own, obligation=INTERNAL_AUDIT)
    api_client.force_authenticate(years.users["staff"])
    assert api_client.post(f"/api/v1/compliance-items/{report.pk}/done/", {"evidence": "x"},
                           format="json").status_code == 403
    api_client.force_authenticate(years.users["iso_coordinator"])
    response = api_client.post(f"/api/v1/compliance-items/{audit.pk}/done/", {"evidence": "x"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "not_manual"
    response = api_client.post(f"/api/v1/compliance-items/{report.pk}/done/",
                               {"evidence": "Báo cáo 12/BC-UBND", "done_on": "2026-12-01"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["done_on"]) == ("done", "2026-12-01")


def test_api_move_due_date(api_client, years):
    audit = ComplianceItem.objects.get(agency=years.own, obligation=INTERNAL_AUDIT)
    api_client.force_authenticate(years.users["agency_head"])
    response = api_client.post(f"/api/v1/compliance-items/{audit.pk}/due/", {"due_on": "2026-12-20", "reason": ""},
                               format="json")
    assert response.status_code == 400
    response = api_client.post(f"/api/v1/compliance-items/{audit.pk}/due/",
                               {"due_on": "2026-12-20", "reason": "Kế hoạch 5/KH"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "due_soon"
