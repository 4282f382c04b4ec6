"""The province dashboard and the national view: counts by level and stage (the same as province_summary),
overdue obligations, on-time rates, the heat table, the filters; who may open them; query counts that do not grow
with the number of agencies."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.oversight.selectors import national_overview, province_summary
from eiso.oversight.services import stage_confirm, stage_conversion_record
from tests.conftest import login
from tests.factories import AgencyFactory, CommuneFactory, user_with_role
from tests.oversight.conftest import DAY, build_documents, complete_audit, hold_review, publish_process, update_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, announcements, fixed_day):
    """own: applying (a process published, this year's internal audit completed, a review held last year);
    sibling: building, had a 2008 system and converted, two legal update tasks overdue; dost: confirmed announced
    by the supervisor."""
    publish_process(world.own)
    complete_audit(world.own, DAY.year)
    hold_review(world.own, 2025)
    build_documents(world.sibling)
    update_task(world.sibling, dt.date(2026, 8, 1), code="QT-L1")
    update_task(world.sibling, dt.date(2026, 9, 1), code="QT-L2")
    supervisor = world.users["supervisor"]
    stage_conversion_record(actor=supervisor, agency=world.sibling, had_2008_system=True,
                            converted_on=dt.date(2018, 6, 1))
    stage_confirm(actor=supervisor, agency=world.dost, stage="announced", note="Quyết định số 15/QĐ-SKHCN")
    return world


def by_level(levels):
    return {row.level: (row.total, row.by_stage, row.announced, row.converted) for row in levels}


def stages(**counts):
    return {"not_started": 0, "building": 0, "applying": 0, "announced": 0, "maintaining": 0} | counts


def test_province_summary_of_a_small_world(records):
    levels = province_summary(province=records.province, today=DAY)
    assert [row.level for row in levels] == ["department", "commune"]
    assert by_level(levels) == {
        "department": (1, stages(announced=1), 1, 0),
        "commune": (2, stages(building=1, applying=1), 0, 1),
    }
    assert by_level(province_summary(province=records.other_province, today=DAY)) == {
        "commune": (1, stages(not_started=1), 0, 0)}


def test_the_dashboard_shows_the_counts_of_province_summary(client, records):
    login(client, records.users["supervisor"])
    response = client.get("/oversight/")
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.province == records.province  # the supervisor's own province by default
    assert by_level(overview.levels) == by_level(province_summary(province=records.province, today=DAY))
    body = response.content.decode()
    assert re.search(r'<tr data-level="commune">.*?data-announced>0/2<', body, re.S)
    assert re.search(r'<tr data-level="department">.*?data-announced>1/1<', body, re.S)
    assert re.search(r'<li data-level="commune"><strong>0/2</strong>', body)


def test_the_counts_change_when_an_agency_announces(client, records, announcements):
    login(client, records.users["supervisor"])
    announcements.announce(records.own, dt.date(2026, 7, 1))
    response = client.get("/oversight/")
    commune = next(row for row in response.context["overview"].levels if row.level == "commune")
    assert (commune.announced, commune.by_stage["announced"], commune.by_stage["applying"]) == (1, 1, 0)
    assert re.search(r'<tr data-level="commune">.*?data-announced>1/2<', response.content.decode(), re.S)


def test_overdue_obligations(client, records, late_reports):
    late_reports[records.own.pk] = 1
    login(client, records.users["supervisor"])
    overview = client.get("/oversight/").context["overview"]
    assert {row.agency for row in overview.audit_overdue} == {records.sibling, records.dost}  # own's is done
    assert [(row.agency, row.legal_overdue) for row in overview.legal_overdue] == [(records.sibling, 2)]
    assert [row.agency for row in overview.late_reports] == [records.own]
    assert {row.agency for row in overview.overdue} == {records.own, records.sibling, records.dost}


def test_late_reports_not_available_are_said_so(client, records, monkeypatch):
    from eiso.oversight import selectors

    real = selectors.resolve
    monkeypatch.setattr(selectors, "resolve", lambda path: None if path == selectors.LATE_REPORTS_BY_AGENCY
                        else real(path))
    login(client, records.users["supervisor"])
    response = client.get("/oversight/")
    assert not response.context["overview"].reports_available
    assert "Periodic reports are not available in this installation yet." in response.content.decode()


def test_a_moved_audit_due_date_is_used(client, records):
    from eiso.compliance.models import ComplianceItem

    ComplianceItem.objects.create(agency=records.sibling, year=DAY.year, obligation="internal_audit",
                                  due_on=dt.date(DAY.year, 11, 30))
    login(client, records.users["supervisor"])
    overview = client.get("/oversight/").context["overview"]
    assert records.sibling not in {row.agency for row in overview.audit_overdue}


def test_on_time_rate_of_the_year(client, records):
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import DossierTally

    procedure = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh")
    DossierTally.objects.create(agency=records.own, procedure=procedure, month=dt.date(2026, 3, 1), early=1,
                                on_time=2, late=1)
    login(client, records.users["supervisor"])
    response = client.get("/oversight/")
    row = next(r for r in response.context["overview"].rows if r.agency == records.own)
    assert (row.resolved, row.on_time, row.on_time_percent) == (4, 3, 75.0)
    assert "75.0% <small" in response.content.decode()


def test_the_agency_table_filters(client, records):
    login(client, records.users["supervisor"])
    pk = records.province.pk
    rows = client.get(f"/oversight/?province={pk}&level=commune&stage=building").context["rows"]
    assert [row.agency for row in rows] == [records.sibling]
    rows = client.get(f"/oversight/?province={pk}&level=department").context["rows"]
    assert [row.agency for row in rows] == [records.dost]
    rows = client.get(f"/oversight/?province={pk}&overdue=on").context["rows"]
    assert {row.agency for row in rows} == {records.sibling, records.dost}


def test_the_heat_table_writes_the_stage_in_every_cell_and_has_a_legend(client, records):
    login(client, records.users["supervisor"])
    body = client.get("/oversight/").content.decode()
    heat = body[body.index('id="heat"'):body.index('id="agencies"')]
    cells = re.findall(r'<li class="stage-(\w+)[^"]*" data-agency="([^"]+)" data-stage="(\w+)">.*?'
                       r'<span class="heat-stage">([^<]+)</span>', heat, re.S)
    assert {(agency, stage) for _cls, agency, stage, _label in cells} == {
        (str(records.own.pk), "applying"), (str(records.sibling.pk), "building"), (str(records.dost.pk), "announced")}
    labels = {stage: label.split("·")[0].strip() for _cls, _agency, stage, label in cells}
    assert labels == {"building": "Building", "applying": "Applying", "announced": "Announced"}
    legend = re.search(r'<ul class="legend".*?</ul>', heat, re.S).group(0)
    assert all(f"stage-{s}" in legend for s in ("not_started", "building", "applying", "announced", "maintaining"))
    assert "Not started" in legend and "Maintaining" in legend
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # no inline script
    assert "css/oversight.css" in body


def test_drill_down_links_to_the_agencys_evidence(client, records):
    login(client, records.users["supervisor"])
    body = client.get("/oversight/").content.decode()
    assert f"/compliance/?year={DAY.year}&amp;agency={records.sibling.pk}" in body
    assert f"/compliance/{DAY.year}/evidence/?agency={records.sibling.pk}" in body
    # and the supervisor may open them
    assert client.get(f"/compliance/?year={DAY.year}&agency={records.sibling.pk}").status_code == 200


# --- Who opens the dashboards ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff", "auditor", "consultant"])
def test_agency_people_get_404(client, world, role):
    login(client, world.users[role])
    for url in ("/oversight/", f"/oversight/?province={world.province.pk}", "/oversight/national/",
                "/oversight/plans/"):
        assert client.get(url).status_code == 404, url


def test_a_supervisor_of_another_province_gets_404(client, world, other_supervisor):
    login(client, other_supervisor)
    assert client.get(f"/oversight/?province={world.province.pk}").status_code == 404
    response = client.get("/oversight/")
    assert response.status_code == 200 and response.context["province"] == world.other_province
    assert client.get("/oversight/national/").status_code == 404


def test_a_national_supervisor_reads_every_province_without_writing(client, records, national):
    login(client, national)
    response = client.get("/oversight/")
    assert response.status_code == 200 and response.context["province"] is None  # chooses a province
    assert f"?province={records.province.pk}" in response.content.decode()
    response = client.get(f"/oversight/?province={records.province.pk}")
    assert response.status_code == 200 and not response.context["can_confirm"]
    assert by_level(response.context["overview"].levels) == by_level(province_summary(province=records.province,
                                                                                       today=DAY))
    assert client.get("/oversight/national/").status_code == 200


def test_the_administrator_picks_a_province(client, records):
    login(client, records.users["admin"])
    assert client.get("/oversight/").context["province"] is None
    response = client.get(f"/oversight/?province={records.other_province.pk}")
    assert response.context["province"] == records.other_province and response.context["can_confirm"]
    assert client.get("/oversight/?province=999999").status_code == 404


# --- The national view ----------------------------------------------------------------------------------------


def test_the_national_view_has_one_row_per_province_with_its_summary(client, records, national, late_reports):
    late_reports[records.foreign.pk] = 2
    login(client, national)
    response = client.get("/oversight/national/")
    rows = {row.province: row for row in response.context["rows"]}
    assert set(rows) == {records.province, records.other_province}
    for province, row in rows.items():
        assert by_level(row.levels) == by_level(province_summary(province=province, today=DAY))
    lao_cai = rows[records.province]
    assert (lao_cai.total.total, lao_cai.total.announced, lao_cai.total.converted) == (3, 1, 1)
    assert (lao_cai.overdue_agencies, lao_cai.audit_overdue, lao_cai.legal_overdue) == (2, 2, 1)
    assert rows[records.other_province].late_reports == 1
    body = response.content.decode()
    assert f'href="/oversight/?province={records.province.pk}"' in body
    assert re.search(rf'<tr data-province="{records.province.pk}">.*?data-announced>1/3<', body, re.S)


def test_national_overview_limited_to_some_provinces(records):
    rows = national_overview(today=DAY, provinces=type(records.province).objects.filter(pk=records.province.pk))
    assert [row.province for row in rows] == [records.province]


# --- Query counts ---------------------------------------------------------------------------------------------


def _grow(world, n):
    """n more commune People's Committees in the province, a third of them with documents and a tally."""
    from eiso.catalog.models import Procedure
    from eiso.dossiers.models import DossierTally

    procedure = Procedure.objects.get_or_create(code="1.000001", defaults={"name": "Thủ tục"})[0]
    for index in range(n):
        agency = AgencyFactory(admin_unit=CommuneFactory(parent=world.province))
        if index % 3 == 0:
            build_documents(agency)
            DossierTally.objects.create(agency=agency, procedure=procedure, month=dt.date(2026, 2, 1), on_time=1)
            update_task(agency, dt.date(2026, 5, 1), code="QT-Q")


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/oversight/", "/oversight/national/"])
def test_query_counts_do_not_grow_with_the_number_of_agencies(client, world, fixed_day, url):
    login(client, world.users["admin"])
    url = url + (f"?province={world.province.pk}" if url == "/oversight/" else "")
    _grow(world, 3)
    client.get(url)  # warm the per-process caches (content types, templates)
    few = _queries(client, url)
    _grow(world, 27)
    many = _queries(client, url)
    assert many == few, f"{few} queries for 3 more agencies, {many} for 30 more"


def test_the_dashboard_of_a_supervisor_with_many_agencies_keeps_its_query_count(client, world,
                                                                                fixed_day):
    supervisor = user_with_role("supervisor", world.dost)
    login(client, supervisor)
    _grow(world, 3)
    client.get("/oversight/")
    few = _queries(client, "/oversight/")
    _grow(world, 27)
    assert _queries(client, "/oversight/") == few
