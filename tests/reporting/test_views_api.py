"""The pages and the API of reporting: the supervisor's period page, the agency's report page and its actions, the
downloads; who sees what (other agencies and other provinces: 404; inside the reach without the right: 403)."""

import datetime as dt

import pytest
from django.urls import reverse

from eiso.reporting.models import PeriodicReport, ReportingPeriod
from tests.conftest import login
from tests.reporting.conftest import DUE_ON, YEAR, report_of, submitted

pytestmark = pytest.mark.django_db


def stored(report):
    return PeriodicReport.objects.get(pk=report.pk)


# --- Pages ----------------------------------------------------------------------------------------------------


def test_the_supervisor_opens_a_period_from_the_page(client, world):
    login(client, world.users["supervisor"])
    assert client.get(reverse("reporting:period_add")).status_code == 200
    response = client.post(reverse("reporting:period_add"), {
        "province": world.province.pk, "kind": "yearly", "year": YEAR, "due_on": "2026-11-30", "note": "Gửi sớm"})
    period = ReportingPeriod.objects.get()
    assert response.status_code == 302 and response["Location"] == period.get_absolute_url()
    assert period.reports.count() == 3 and period.note == "Gửi sớm"
    page = client.get(period.get_absolute_url()).content.decode()
    for agency in (world.own, world.sibling, world.dost):
        assert f'data-agency="{agency.pk}"' in page
    assert reverse("reporting:province_report_docx", args=[period.pk]) in page


def test_a_refused_opening_shows_the_error_and_creates_nothing(client, world, period):
    login(client, world.users["supervisor"])
    response = client.post(reverse("reporting:period_add"), {
        "province": world.province.pk, "kind": "yearly", "year": YEAR, "due_on": "2026-11-30"})
    assert response.status_code == 200 and "This period is already open" in response.content.decode()
    assert ReportingPeriod.objects.count() == 1


@pytest.mark.parametrize("role", ["agency_head", "iso_coordinator", "staff"])
def test_agencies_do_not_open_periods(client, world, role):
    login(client, world.users[role])
    assert client.get(reverse("reporting:period_add")).status_code == 403
    assert client.post(reverse("reporting:period_add"), {"province": world.province.pk, "kind": "yearly",
                                                         "year": YEAR, "due_on": "2026-11-30"}).status_code == 403
    assert not ReportingPeriod.objects.exists()


def test_the_period_page_filters_by_level_status_and_lateness(client, world, period):
    submitted(report_of(period, world.own), world)
    login(client, world.users["supervisor"])
    url = period.get_absolute_url()
    page = client.get(f"{url}?level=commune").content.decode()
    assert f'data-agency="{world.own.pk}"' in page and f'data-agency="{world.dost.pk}"' not in page
    page = client.get(f"{url}?status=submitted").content.decode()
    assert f'data-agency="{world.own.pk}"' in page and f'data-agency="{world.sibling.pk}"' not in page
    ReportingPeriod.objects.filter(pk=period.pk).update(due_on=dt.date(2020, 1, 1))
    page = client.get(f"{url}?late=on").content.decode()
    assert f'data-agency="{world.sibling.pk}"' in page and 'data-late="yes"' in page


def test_the_report_page_flow(client, world, period):
    report = report_of(period, world.own)
    url = report.get_absolute_url()
    PeriodicReport.objects.filter(pk=report.pk).update(figures={**report.figures, "last_audit_on": "2026-05-13"})
    # the coordinator completes the report and updates the figures
    login(client, world.users["iso_coordinator"])
    page = client.get(url).content.decode()
    assert 'id="point-scope_covers_procedures"' in page and "13/05/2026" in page
    assert reverse("reporting:report_edit", args=[report.pk]) in page
    form = {"number": "12/BC-UBND", "results": "Kết quả 2026", "difficulties": "", "proposals": "",
            "remark_consultant_licensed": "Không thuê tư vấn"}
    assert client.post(reverse("reporting:report_edit", args=[report.pk]), form).status_code == 302
    assert (stored(report).results, stored(report).remarks) == ("Kết quả 2026",
                                                                 {"consultant_licensed": "Không thuê tư vấn"})
    # the form opens again with what was written (nothing is lost by saving it again)
    form_page = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    assert "Kết quả 2026" in form_page and "Không thuê tư vấn" in form_page and "12/BC-UBND" in form_page
    assert client.post(reverse("reporting:report_refresh", args=[report.pk])).status_code == 302
    # the coordinator cannot sign off: the head does
    assert client.post(reverse("reporting:report_sign_off", args=[report.pk])).status_code == 403
    login(client, world.users["agency_head"])
    assert 'id="sign-off"' in client.get(url).content.decode()
    client.post(reverse("reporting:report_sign_off", args=[report.pk]))
    client.post(reverse("reporting:report_submit", args=[report.pk]))
    assert stored(report).status == "submitted"
    # the supervisor returns it: without a comment refused, with one done
    login(client, world.users["supervisor"])
    assert 'id="return-form"' in client.get(url).content.decode()
    response = client.post(reverse("reporting:report_return", args=[report.pk]), {"comment": ""}, follow=True)
    assert "Say what the agency should correct" in response.content.decode()
    assert stored(report).status == "submitted"
    client.post(reverse("reporting:report_return", args=[report.pk]), {"comment": "Bổ sung số liệu hồ sơ"})
    assert stored(report).status == "returned"
    # the coordinator sees the comment
    login(client, world.users["iso_coordinator"])
    assert "Bổ sung số liệu hồ sơ" in client.get(url).content.decode()


def test_the_report_list_shows_the_agencys_own_reports(client, world, period):
    login(client, world.users["iso_coordinator"])
    page = client.get(reverse("reporting:report_list")).content.decode()
    assert report_of(period, world.own).get_absolute_url() in page
    assert report_of(period, world.sibling).get_absolute_url() not in page


def test_downloads(client, world, period):
    report = report_of(period, world.own)
    login(client, world.users["iso_coordinator"])
    response = client.get(reverse("reporting:report_docx", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("reporting:province_report_docx", args=[period.pk])).status_code == 404
    login(client, world.users["supervisor"])
    for name in ("province_report_docx", "province_report_xlsx"):
        response = client.get(reverse(f"reporting:{name}", args=[period.pk]))
        assert response.status_code == 200 and response.content[:2] == b"PK"


def test_tenancy_of_the_pages(client, world, period, other, national):
    own = report_of(period, world.own)
    sibling = report_of(period, world.sibling)
    login(client, world.users["iso_coordinator"])
    assert client.get(sibling.get_absolute_url()).status_code == 404  # another agency
    assert client.get(period.get_absolute_url()).status_code == 404  # the authority's record
    login(client, other.supervisor)
    assert client.get(own.get_absolute_url()).status_code == 404  # another province
    assert client.get(period.get_absolute_url()).status_code == 404
    login(client, national)  # the Ministry reads, writes nothing
    assert client.get(period.get_absolute_url()).status_code == 200
    assert client.get(own.get_absolute_url()).status_code == 200
    submitted(own, world)
    assert client.post(reverse("reporting:report_accept", args=[own.pk])).status_code == 403
    assert client.post(reverse("reporting:period_close", args=[period.pk])).status_code == 403
    assert stored(own).status == "submitted"


# --- API ------------------------------------------------------------------------------------------------------


def test_api_periods(api_client, world, other):
    login(api_client, world.users["supervisor"])
    response = api_client.post("/api/v1/reporting-periods/", {"kind": "six_monthly", "year": YEAR, "half": 1,
                                                              "due_on": "2026-06-20"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["report_counts"]["total"] == 3 and body["kind"] == "six_monthly" and body["half"] == 1
    assert api_client.get("/api/v1/reporting-periods/").json()["count"] == 1
    response = api_client.post(f"/api/v1/reporting-periods/{body['id']}/close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    # another province's supervisor: not found; an agency: nothing listed, 403 to open one
    login(api_client, other.supervisor)
    assert api_client.get(f"/api/v1/reporting-periods/{body['id']}/").status_code == 404
    response = api_client.post("/api/v1/reporting-periods/", {"province": world.province.pk, "kind": "yearly",
                                                              "year": YEAR, "due_on": "2026-11-30"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_province"
    login(api_client, world.users["iso_coordinator"])
    assert api_client.get("/api/v1/reporting-periods/").json()["count"] == 0
    response = api_client.post("/api/v1/reporting-periods/", {"kind": "yearly", "year": YEAR,
                                                              "due_on": "2026-11-30"}, format="json")
    assert response.status_code == 403 and ReportingPeriod.objects.count() == 1


def test_api_report_workflow(api_client, world, period):
    report = report_of(period, world.own)
    base = f"/api/v1/periodic-reports/{report.pk}"
    login(api_client, world.users["iso_coordinator"])
    listed = api_client.get("/api/v1/periodic-reports/").json()
    assert [row["id"] for row in listed["results"]] == [str(report.pk)]
    response = api_client.patch(f"{base}/", {"results": "Kết quả", "remarks": {"announcement_made": "2024"}},
                                format="json")
    assert response.status_code == 200 and response.json()["remarks"] == {"announcement_made": "2024"}
    response = api_client.patch(f"{base}/", {"remarks": {"nope": "x"}}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "unknown_point"
    assert api_client.post(f"{base}/refresh/").status_code == 200
    assert api_client.post(f"{base}/sign-off/").status_code == 403
    login(api_client, world.users["agency_head"])
    assert api_client.post(f"{base}/sign-off/").json()["status"] == "signed_off"
    assert api_client.post(f"{base}/submit/").json()["status"] == "submitted"
    assert api_client.post(f"{base}/accept/").status_code == 403
    login(api_client, world.users["supervisor"])
    response = api_client.post(f"{base}/return/", {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "comment_required"
    response = api_client.post(f"{base}/return/", {"comment": "Bổ sung"}, format="json")
    body = response.json()
    assert (body["status"], body["supervisor_comment"]) == ("returned", "Bổ sung")
    assert [e["action"] for e in body["events"]] == ["sign_off", "submit", "return"]
    # another agency's report: not found
    sibling = report_of(period, world.sibling)
    login(api_client, world.users["iso_coordinator"])
    assert api_client.get(f"/api/v1/periodic-reports/{sibling.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/periodic-reports/{sibling.pk}/submit/").status_code == 404


def test_the_due_date_moved_by_the_supervisor(client, world, period):
    login(client, world.users["supervisor"])
    assert period.title in client.get(reverse("reporting:period_edit", args=[period.pk])).content.decode()
    response = client.post(reverse("reporting:period_edit", args=[period.pk]),
                           {"title": period.title, "due_on": "2026-12-10", "note": ""})
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).due_on == dt.date(2026, 12, 10) != DUE_ON
