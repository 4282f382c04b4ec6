"""Statistics from the tallies: counts per group and the on-time rate, tallies_rebuild equal to the tallies kept
step by step, who sees what, the page with its charts, the CSV and XLSX exports, the API, the synthetic generator."""

import datetime as dt
from decimal import Decimal

import pytest

from eiso.dossiers.models import DossierTally
from eiso.dossiers.services import (
    dossier_apologise,
    dossier_end,
    dossier_notify,
    dossier_pause,
    dossier_rate,
    dossier_receive,
    dossier_resume,
    dossier_return,
    dossier_step_complete,
)
from eiso.dossiers.tallies import COUNTERS, tallies_rebuild
from tests.dossiers.conftest import APPLICANT, at, frozen

pytestmark = pytest.mark.django_db


def current(dossier):
    return dossier.steps.get(started_at__isnull=False, finished_at__isnull=True)


def finish(dossier, actor, *moments):
    """Hand over the steps at these moments (the last one gives the result)."""
    for when in moments:
        with frozen(when):
            dossier = dossier_step_complete(actor=actor, step=current(dossier))
    return dossier


def tallies(agency_ids=None) -> dict:
    rows = DossierTally.objects.all() if agency_ids is None else DossierTally.objects.filter(agency_id__in=agency_ids)
    result = {}
    for row in rows:
        values = {counter: Decimal(getattr(row, counter)) for counter in COUNTERS}
        if any(values.values()):
            result[(row.agency_id, row.procedure_id, row.month)] = values
    return result


@pytest.fixture
def mixed(world, receive):
    """A mixed sequence over November and December 2026: early and returned and rated, a supplement request,
    fees, a late step, an apology, a withdrawal, a refusal, one still open, one incomplete at receipt."""
    staff, coordinator = world.users["staff"], world.users["iso_coordinator"]
    early = receive("2026-11-25 08:00")
    early = finish(early, coordinator, "2026-11-25 09:00", "2026-11-25 10:00", "2026-11-25 11:00")
    with frozen("2026-11-25 14:00"):
        dossier_notify(actor=staff, dossier=early)
        early = dossier_return(actor=staff, dossier=early, method="desk")
    with frozen("2026-11-26 09:00"):
        dossier_rate(dossier=early, rating=3)
    paused = receive("2026-11-25 09:00")
    with frozen("2026-11-26 09:00"):
        paused = dossier_pause(actor=staff, dossier=paused, kind="supplement", reason="Thiếu giấy tờ")
    with frozen("2026-12-01 10:00"):
        paused = dossier_resume(actor=staff, dossier=paused)
    paused = finish(paused, coordinator, "2026-12-02 09:00", "2026-12-07 09:00", "2026-12-07 10:00")  # B2 late
    fees = receive("2026-11-26 10:00")
    with frozen("2026-11-26 11:00"):
        fees = dossier_pause(actor=staff, dossier=fees, kind="fee", reason="Chờ nộp phí")
    with frozen("2026-11-27 09:00"):
        fees = dossier_resume(actor=staff, dossier=fees)
    fees = finish(fees, coordinator, "2026-11-27 10:00", "2026-11-30 10:00", "2026-11-30 11:00")
    apologised = receive("2026-11-26 08:00")
    with frozen("2026-11-26 16:00"):
        dossier_apologise(actor=staff, dossier=apologised, reason="Chờ xác minh",
                          new_appointment=at("2026-12-04 16:00"))
    apologised = finish(apologised, coordinator, "2026-11-30 09:00", "2026-12-02 09:00", "2026-12-03 09:00")
    with frozen("2026-12-03 10:00"):
        apologised = dossier_return(actor=staff, dossier=apologised, method="postal")
    with frozen("2026-12-04 10:00"):
        dossier_rate(dossier=apologised, rating=1)
    withdrawn = receive("2026-11-27 10:00")
    with frozen("2026-12-01 09:00"):
        dossier_end(actor=staff, dossier=withdrawn, status="withdrawn", reason="Theo đề nghị")
    refused = receive("2026-11-30 16:00")  # after the cut-off
    with frozen("2026-12-02 09:00"):
        dossier_end(actor=staff, dossier=refused, status="refused", reason="Không đủ điều kiện")
    receive("2026-12-01 08:00")  # still open
    receive("2026-12-01 09:00", decision="supplement", reason="Thiếu tờ khai")
    return world


def test_tallies_rebuild_equals_the_tallies_kept_step_by_step(mixed):
    kept = tallies()
    assert sum(v["received"] for v in kept.values()) == 7
    assert sum(v["late"] for v in kept.values()) == 2  # the late step (after the supplement), the apology
    assert sum(v["used_hours"] for v in kept.values()) > 0
    DossierTally.objects.update(received=99, used_hours=0)  # damaged
    assert tallies_rebuild() == len(kept)
    assert tallies() == kept
    assert tallies_rebuild([mixed.own.pk]) == len(kept)  # idempotent
    assert tallies() == kept


# --- Counts, rates, scope ---------------------------------------------------------------------------------------

NOV, DEC = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
NOW = "2026-12-02 10:00"


def statistics(user, **kwargs):
    from eiso.dossiers.statistics import dossier_statistics

    kwargs.setdefault("date_from", NOV)
    kwargs.setdefault("date_to", DEC)
    with frozen(NOW):
        return dossier_statistics(user=user, **kwargs)


def by_key(rows) -> dict:
    return {row["key"]: row for row in rows if not row["is_total"]}


@pytest.fixture
def counted(world, receive):
    """own: one early and one on-time result in November, one late in December, one open and overdue;
    sibling (same province): one early; foreign (another province): one received."""
    coordinator = world.users["iso_coordinator"]
    finish(receive("2026-11-25 08:00"), coordinator, "2026-11-25 09:00", "2026-11-25 10:00", "2026-11-25 11:00")
    finish(receive("2026-11-25 08:00"), coordinator, "2026-11-26 09:00", "2026-11-27 09:00", "2026-11-30 07:45")
    finish(receive("2026-11-25 08:00"), coordinator, "2026-11-26 09:00", "2026-11-30 09:00", "2026-12-01 09:00")
    receive("2026-11-25 09:00")  # due 30/11 09:00: overdue on 02/12
    from eiso.catalog.models import Procedure

    procedure = Procedure.objects.get(code="1.000001")
    for agency in (world.sibling, world.foreign):
        with frozen("2026-11-26 08:00"):
            dossier = dossier_receive(actor=None, agency=agency, procedure=procedure, applicant=APPLICANT)
        finish(dossier, None, "2026-11-26 10:00") if agency == world.sibling else None
    return world


def test_counts_per_agency_and_the_on_time_rate(counted):
    world = counted
    rows = statistics(world.users["admin"])
    own, sibling, foreign = (by_key(rows)[a.pk] for a in (world.own, world.sibling, world.foreign))
    assert (own["received"], own["resolved"], own["early"], own["on_time"], own["late"]) == (4, 3, 1, 1, 1)
    assert own["on_time_rate"] == pytest.approx(2 / 3)
    assert (own["in_progress"], own["overdue"]) == (1, 1)
    assert own["label"] == world.own.name
    assert own["average_allowed_hours"] == pytest.approx(24)
    assert (sibling["received"], sibling["early"], sibling["on_time_rate"]) == (1, 1, 1.0)
    assert (foreign["received"], foreign["resolved"], foreign["on_time_rate"]) == (1, 0, None)
    assert foreign["in_progress"] == 1
    total = rows[-1]
    assert total["is_total"] and (total["received"], total["resolved"], total["in_progress"]) == (6, 4, 2)
    assert total["on_time_rate"] == pytest.approx(3 / 4)


def test_counts_per_month_procedure_and_field(counted):
    world = counted
    admin = world.users["admin"]
    months = by_key(statistics(admin, group_by="month", agency_ids=[world.own.pk]))
    assert (months[NOV]["received"], months[NOV]["resolved"], months[NOV]["on_time_rate"]) == (4, 2, 1.0)
    assert (months[DEC]["received"], months[DEC]["late"], months[DEC]["on_time_rate"]) == (0, 1, 0.0)
    assert months[DEC]["label"] == "12/2026" and months[DEC]["in_progress"] == 1 and months[NOV]["in_progress"] is None
    november = by_key(statistics(admin, group_by="month", date_to=NOV, agency_ids=[world.own.pk]))
    assert november[NOV]["in_progress"] is None  # the period does not include today: no figures of the moment
    procedures = statistics(admin, group_by="procedure")
    assert len(procedures) == 2 and procedures[0]["label"].startswith("1.000001") and procedures[0]["received"] == 6
    fields = statistics(admin, group_by="field")
    assert fields[0]["key"] is None and fields[0]["received"] == 6  # the procedure has no field
    assert statistics(admin, field_ids=[999])[-1]["received"] == 0


def test_the_supervisor_sees_the_province_and_not_another(counted):
    world = counted
    rows = by_key(statistics(world.users["supervisor"]))
    assert set(rows) == {world.own.pk, world.sibling.pk}
    assert rows[world.own.pk]["received"] == 4 and rows[world.own.pk]["overdue"] == 1
    assert statistics(world.users["supervisor"], agency_ids=[world.foreign.pk])[-1]["received"] == 0


def test_people_of_another_agency_see_nothing_of_ours(counted):
    from tests.factories import user_with_role

    world = counted
    other_staff = user_with_role("staff", world.sibling)
    rows = statistics(other_staff)
    assert set(by_key(rows)) == {world.sibling.pk}
    assert statistics(other_staff, agency_ids=[world.own.pk])[-1]["received"] == 0
    assert statistics(other_staff, agency_ids=[world.own.pk])[-1]["in_progress"] == 0
    assert by_key(statistics(world.users["auditor"])).keys() == {world.own.pk}
    assert statistics(world.users["consultant"])[-1]["received"] == 0  # consultants: no statistics


def test_the_agencies_counted_now_are_those_whose_tallies_the_user_reads(counted):
    from eiso.dossiers.statistics import statistics_agencies

    with_tallies = set(DossierTally.objects.values_list("agency_id", flat=True))
    assert len(with_tallies) == 3
    for user in counted.users.values():
        readable = set(DossierTally.objects.restrict(user, "view").values_list("agency_id", flat=True))
        assert readable == with_tallies & set(statistics_agencies(user).values_list("pk", flat=True)), user


# --- Page, exports, API, dashboard ---------------------------------------------------------------------------


def signed_in(client, user):
    with frozen(NOW):  # the session must not have expired at the frozen moment
        client.force_login(user)
    return client


QUERY = {"date_from": "2026-11", "date_to": "12/2026", "group_by": "agency"}


def expected_table(user, **kwargs):
    from eiso.dossiers.statistics import COLUMNS, table_value

    return [[row["label"], *(table_value(row, key) for key, _h in COLUMNS)] for row in statistics(user, **kwargs)]


def test_the_page_shows_the_table_and_the_charts(client, counted):
    world = counted
    signed_in(client, world.users["supervisor"])
    with frozen(NOW):
        response = client.get("/dossiers/statistics/", QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 2 and 'role="img"' in page and "<title id=\"chart-outcomes-title\">" in page
    assert "<desc id=\"chart-rate-desc\">" in page
    assert world.own.name in page and world.sibling.name in page and world.foreign.name not in page
    assert "66,7%" in page or "66.7%" in page
    with frozen(NOW):
        default = client.get("/dossiers/statistics/")
    assert default.status_code == 200 and "12/2026" in default.content.decode()
    with frozen(NOW):
        wrong = client.get("/dossiers/statistics/", {"date_from": "2026-13"})
    assert wrong.status_code == 200 and "mm/yyyy" in wrong.content.decode()


def test_the_csv_and_xlsx_exports_read_back_equal_the_table(client, counted):
    import csv
    import io

    from openpyxl import load_workbook

    world = counted
    signed_in(client, world.users["supervisor"])
    expected = expected_table(world.users["supervisor"])
    with frozen(NOW):
        response = client.get("/dossiers/statistics/export/", {**QUERY, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(lines) == len(expected) + 1
    assert lines[1:] == [["" if value is None else str(value) for value in row] for row in expected]
    with frozen(NOW):
        response = client.get("/dossiers/statistics/export/", {**QUERY, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Agency" or values[0][0] == "Cơ quan"
    assert values[1:] == expected
    assert isinstance(values[1][1], int) and isinstance(values[1][6], float)
    with frozen(NOW):
        assert client.get("/dossiers/statistics/export/", {"format": "pdf"}).status_code == 404


def test_the_api_returns_the_same_rows(api_client, counted):
    world = counted
    api_client.force_authenticate(world.users["supervisor"])
    with frozen(NOW):
        response = api_client.get("/api/v1/dossier-statistics/", {**QUERY, "date_to": "2026-12"})
    assert response.status_code == 200
    data = response.json()
    rows = statistics(world.users["supervisor"])
    assert data["date_from"] == "2026-11-01" and data["now_included"] is True
    assert [(r["key"], r["received"], r["early"], r["late"], r["in_progress"], r["overdue"]) for r in data["rows"]] == [
        (str(r["key"]) if r["key"] else None, r["received"], r["early"], r["late"], r["in_progress"], r["overdue"])
        for r in rows]
    assert data["rows"][0]["on_time_rate"] == pytest.approx(rows[0]["on_time_rate"])
    with frozen(NOW):
        by_month = api_client.get("/api/v1/dossier-statistics/", {"group_by": "month", "agency": str(world.own.pk)})
    assert [r["key"] for r in by_month.json()["rows"]] == ["2026-11-01", "2026-12-01", None]
    assert api_client.get("/api/v1/dossier-statistics/", {"date_from": "x"}).status_code == 400
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/dossier-statistics/"]["get"]
    assert operation["tags"] == ["dossiers"] and "200" in operation["responses"]
    assert {p["name"] for p in operation["parameters"]} >= {"date_from", "date_to", "group_by", "agency"}


def test_the_agency_dashboard_shows_the_dossier_summary(client, counted):
    world = counted
    signed_in(client, world.users["staff"])
    with frozen(NOW):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="chart-dashboard-title"' in page
    assert "/dossiers/statistics/" in page
    summary = response.context["dossier_summary"]
    assert (summary["month"]["received"], summary["month"]["late"], summary["year"]["received"]) == (0, 1, 4)
    assert (summary["in_progress"], summary["overdue"], len(summary["months"])) == (1, 1, 12)
    signed_in(client, world.users["consultant"])
    with frozen(NOW):
        assert client.get("/").context["dossier_summary"] is None


# --- The synthetic generator -----------------------------------------------------------------------------------


def test_generate_dossiers_then_the_statistics_equal_a_direct_count(world, calendar):
    from django.core.management import call_command
    from django.db.models import Count, Q

    from eiso.dossiers.choices import FINISHED, NOT_RECEIVED, DossierStatus
    from eiso.dossiers.clock import classify, due_moment
    from eiso.dossiers.models import Dossier, dossier_search_text
    from eiso.dossiers.statistics import dossier_statistics
    from eiso.organizations.models import Agency

    now = at("2026-11-24 10:00")
    with frozen("2026-11-24 10:00"):
        call_command("generate_dossiers", agencies=3, dossiers=1500, months=6, seed=7, province=world.province.code,
                     verbosity=0)
    synthetic = list(Agency.objects.filter(code__startswith="SYN-").values_list("pk", flat=True))
    assert len(synthetic) == 3 and Dossier.objects.filter(agency_id__in=synthetic).count() == 1500
    dossiers = Dossier.objects.filter(agency_id__in=synthetic)
    for dossier in dossiers.exclude(status__in=NOT_RECEIVED).select_related("agency")[:200]:
        assert dossier.due_at == due_moment(agency=dossier.agency, start=dossier.counted_from,
                                            amount=dossier.duration, unit=dossier.duration_unit)
        assert dossier.received_at <= now and dossier.search_text == dossier_search_text(dossier)
        if dossier.status in FINISHED:
            assert dossier.outcome == classify(dossier.finished_at, dossier.due_at)
    rows = dossier_statistics(user=world.users["admin"], date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 11, 1),
                              agency_ids=synthetic, now=now)
    received = dossiers.exclude(status__in=NOT_RECEIVED)
    direct = dossiers.aggregate(
        received=Count("pk", filter=~Q(status__in=NOT_RECEIVED)),
        early=Count("pk", filter=Q(status__in=FINISHED, outcome="early")),
        on_time=Count("pk", filter=Q(status__in=FINISHED, outcome="on_time")),
        late=Count("pk", filter=Q(status__in=FINISHED, outcome="late")),
        cancelled=Count("pk", filter=Q(status__in=[DossierStatus.STOPPED, DossierStatus.WITHDRAWN])),
        ratings=Count("pk", filter=Q(rating__isnull=False)),
        satisfied=Count("pk", filter=Q(rating__gte=2)),
        in_progress=Count("pk", filter=Q(status__in=["in_progress", "suspended"])),
        overdue=Count("pk", filter=Q(status__in=["in_progress", "suspended"], due_at__lt=now)))
    total = rows[-1]
    assert {key: total[key] for key in direct} == direct
    assert direct["late"] and direct["cancelled"] and direct["overdue"] and direct["ratings"]
    assert 0.8 < (direct["early"] + direct["on_time"] + direct["late"]) / direct["received"] < 0.97
    assert 0.03 < direct["late"] / (direct["early"] + direct["on_time"] + direct["late"]) < 0.12
    by_agency = {row["key"]: row["received"] for row in rows[:-1]}
    assert by_agency == dict(received.values_list("agency_id").annotate(n=Count("pk")))
