"""Issue 7 ("a full reporting period runs in a browser") on the real demo province, Lào Cai.

Monday 02/11/2026: the Department of Science and Technology (the supervisor) opens the yearly reporting period of
2026 in the browser; every agency of the province gets a report pre-filled from its records. Three agencies report:
the demo commune (its coordinator and head), the Department of Justice and the Forest Protection Sub-department
(their coordinators and heads are given their roles here). Each coordinator sees the pre-filled figures and the
inspection points, writes the results, difficulties and proposals and a remark; the head signs the report off;
it is submitted. Friday 06/11: the supervisor returns the Department of Justice's report with a comment and accepts
the other two; its coordinator reads the comment, corrects the report, the head signs it off again and it is
submitted again; Tuesday 10/11 the supervisor accepts it. The province report downloads as DOCX and XLSX; both are
opened and their level × stage numbers are those of the supervisor's dashboard page (/oversight/). The demo
commune's compliance calendar shows its yearly report done, from the submission in eISO.
"""

import datetime as dt
import io
from unittest import mock

import pytest
from openpyxl import load_workbook

from tests.browser.story import STEPS, Clock, docx_text, download, send, status, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = {
    "commune": "Duy trì áp dụng HTQLCL cho các thủ tục hành chính cấp xã; cập nhật quy trình khai sinh.",
    "justice": "Duy trì HTQLCL tại Sở; rà soát quy trình lĩnh vực hộ tịch, chứng thực sau sắp xếp.",
    "forest": "Áp dụng HTQLCL cho các thủ tục lĩnh vực lâm nghiệp.",
}
DIFFICULTIES = "Công chức mới chưa được đào tạo về TCVN ISO 9001:2015."
PROPOSALS = "Đề nghị Sở tổ chức tập huấn chuyên gia đánh giá nội bộ."
RETURN_COMMENT = "Đề nghị bổ sung kết quả giải quyết hồ sơ và giải trình việc chưa đánh giá nội bộ."
CORRECTED = "Đã bổ sung: 1.250 hồ sơ giải quyết đúng hạn; đánh giá nội bộ dự kiến tháng 12/2026."


# --- The browser ----------------------------------------------------------------------------------------------


def numerator(text: str) -> int:
    return int(text.strip().split("/")[0])


# --- The world ------------------------------------------------------------------------------------------------


@pytest.fixture
def clock():
    clock = Clock()
    clock.set("2026-10-20 09:00")
    with mock.patch("django.utils.timezone.now", new=clock):
        yield clock


@pytest.fixture
def reporters(clock, demo):
    """The three reporting agencies and their people: the demo commune (coordinator, head) with its birth
    registration process in force; the Department of Justice and the Forest Protection Sub-department, whose
    coordinators and heads get their roles here."""
    from eiso.accounts.models import User
    from eiso.catalog.models import Procedure
    from eiso.core.permissions import Role
    from eiso.organizations.demo import _user
    from eiso.organizations.models import QMS, Agency, RoleAssignment
    from eiso.processes.services import process_create, process_steps_replace, process_transition

    commune = Agency.objects.get(name=demo["demo_commune"])
    coordinator, head = User.objects.get(username="coordinator"), User.objects.get(username="head")
    process = process_create(actor=coordinator, qms=QMS.objects.get(agency=commune), kind="procedure",
                             code="QT-01", title="Quy trình đăng ký khai sinh")
    process.procedures.set([Procedure.objects.by_code("1.001193").first()])
    process_steps_replace(actor=coordinator, process=process, steps=STEPS)
    for actor, action in ((coordinator, "submit"), (head, "approve"), (head, "publish")):
        process_transition(actor=actor, process=process, action=action)
    people = {"commune": (commune, "coordinator", "head")}
    for key, code, prefix in (("justice", "LCI-STP", "tp"), ("forest", "LCI-SNNMT-CCKL", "kl")):
        agency = Agency.objects.get(code=code)
        RoleAssignment.objects.create(user=_user(f"{prefix}-coordinator", f"Thư ký ISO {code}", "Chuyên viên"),
                                      agency=agency, role=Role.ISO_COORDINATOR)
        RoleAssignment.objects.create(user=_user(f"{prefix}-head", f"Thủ trưởng {code}", "Giám đốc"),
                                      agency=agency, role=Role.AGENCY_HEAD)
        people[key] = (agency, f"{prefix}-coordinator", f"{prefix}-head")
    return people


# --- The story ------------------------------------------------------------------------------------------------


def test_a_reporting_period_from_opening_to_the_province_report(clock, reporters, page, live_server, sign_in,
                                                                settings):
    from eiso.organizations.models import Agency
    from eiso.reporting.models import PeriodicReport, ReportingPeriod
    from eiso.reporting.points import scope_counts

    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 60
    page.set_default_navigation_timeout(90_000)  # opening a period pre-fills a report for every agency
    base = live_server.url

    def as_user(username: str) -> None:
        page.context.clear_cookies()
        sign_in(username)

    def report_page(key: str) -> str:
        agency = reporters[key][0]
        return PeriodicReport.objects.get(period=period, agency=agency).get_absolute_url()

    # === Monday 02/11: the supervisor opens the yearly period ==================================================
    clock.set("2026-11-02 08:30")
    as_user("supervisor")
    page.goto(f"{base}/reporting/periods/")
    submit(page, page.locator("a[href$='/reporting/periods/new/']"))
    send(page, page.locator("main form.form"), kind="yearly", year="2026", due_on="2026-11-30",
         note="Các cơ quan gửi báo cáo năm 2026 qua eISO trước ngày 30/11/2026.")
    period = ReportingPeriod.objects.get(kind="yearly", year=2026)
    assert page.url == f"{base}{period.get_absolute_url()}"
    province_agencies = Agency.objects.filter(province=period.agency.province).valid_on(dt.date(2026, 11, 2))
    assert page.locator("#reports tr[data-agency]").count() == province_agencies.count()
    assert page.locator("#reports tr[data-status='draft']").count() == province_agencies.count()

    # === The agencies complete, sign off and submit their pre-filled reports ===================================
    for minute, (key, submitter) in enumerate((("commune", "coordinator"), ("justice", "head"),
                                               ("forest", "coordinator"))):
        agency, coordinator, head = reporters[key]
        clock.set(f"2026-11-0{3 + minute} 09:00")
        as_user(coordinator)
        page.goto(f"{base}/reporting/")
        submit(page, page.locator(f"a[href='{report_page(key)}']").first)
        # pre-filled from the records: the procedures in scope and the 13 inspection points
        assert page.locator("#points tr[id^='point-']").count() == 13
        counts = scope_counts(agency)
        figure = page.locator("#fig-procedures").inner_text()
        assert f"{counts['published']}/{counts['adopted']}" in figure
        if key == "commune":
            assert counts["covered"] == counts["published"] == 1
            assert f"1/{counts['catalogue']}" in figure
            assert page.locator("#point-scope_covers_procedures").get_attribute("data-met") == "no"
        submit(page, page.locator("#report-edit"))
        send(page, page.locator("main form.form"), results=RESULTS[key], difficulties=DIFFICULTIES,
             proposals=PROPOSALS, remark_consultant_licensed="Cơ quan không thuê đơn vị tư vấn.")
        assert RESULTS[key] in page.locator("#results").inner_text()
        submit(page, page.locator("#refresh"))
        as_user(head)
        page.goto(f"{base}{report_page(key)}")
        submit(page, page.locator("#sign-off"))
        assert status(page, "report-status") == "signed_off"
        clock.set(f"2026-11-0{3 + minute} 10:00")
        if submitter == "coordinator":
            as_user(coordinator)
            page.goto(f"{base}{report_page(key)}")
        submit(page, page.locator("#submit"))
        assert status(page, "report-status") == "submitted"

    # === Friday 06/11: the supervisor returns one report and accepts the other two ===========================
    clock.set("2026-11-06 10:00")
    as_user("supervisor")
    page.goto(f"{base}{period.get_absolute_url()}?status=submitted")
    assert page.locator("#reports tr[data-agency]").count() == 3
    page.goto(f"{base}{report_page('justice')}")
    send(page, page.locator("#return-form"), comment=RETURN_COMMENT)
    assert status(page, "report-status") == "returned"
    for key in ("commune", "forest"):
        page.goto(f"{base}{report_page(key)}")
        submit(page, page.locator("#accept-form button[type=submit]"))
        assert status(page, "report-status") == "accepted"

    # The Department of Justice reads the comment, corrects its report, signs it off again and submits it.
    clock.set("2026-11-09 08:00")
    agency, coordinator, head = reporters["justice"]
    as_user(coordinator)
    page.goto(f"{base}{report_page('justice')}")
    assert RETURN_COMMENT in page.locator("#supervisor-comment").inner_text()
    submit(page, page.locator("#report-edit"))
    send(page, page.locator("main form.form"), results=f"{RESULTS['justice']}\n{CORRECTED}")
    as_user(head)
    page.goto(f"{base}{report_page('justice')}")
    submit(page, page.locator("#sign-off"))
    clock.set("2026-11-09 08:30")
    submit(page, page.locator("#submit"))
    assert status(page, "report-status") == "submitted"
    assert [e.get_attribute("data-action") for e in page.locator("#events tr[data-action]").all()] == [
        "sign_off", "submit", "return", "sign_off", "submit"]

    # Tuesday 10/11: accepted.
    clock.set("2026-11-10 09:00")
    as_user("supervisor")
    page.goto(f"{base}{report_page('justice')}")
    submit(page, page.locator("#accept-form button[type=submit]"))
    page.goto(f"{base}{period.get_absolute_url()}?status=accepted")
    assert {e.get_attribute("data-agency") for e in page.locator("#reports tr[data-agency]").all()} == {
        str(reporters[key][0].pk) for key in reporters}
    assert page.locator("#reports tr[data-late='yes']").count() == 0

    # === The province report, DOCX and XLSX, read back against the dashboard =================================
    page.goto(f"{base}{period.get_absolute_url()}")
    narrative = docx_text(download(page, page.locator("#province-docx")))
    tables = load_workbook(io.BytesIO(download(page, page.locator("#province-xlsx"))))
    stages = [list(row) for row in tables["Cap - giai doan"].iter_rows(values_only=True)]
    by_label = {row[0]: row for row in stages[2:]}

    page.goto(f"{base}/oversight/?province={period.agency.province_id}")
    dashboard = page.locator("#summary table tbody tr[data-level]")
    assert dashboard.count() >= 3
    for row in dashboard.all():
        label = row.locator("th").inner_text().strip()
        label = "Cộng" if row.get_attribute("data-level") == "total" else label
        sheet = by_label[label]
        cells = [int(cell.inner_text()) for cell in row.locator("td[data-stage]").all()]
        assert sheet[1] == int(row.locator("td[data-total]").inner_text()), label
        assert list(sheet[2:2 + len(cells)]) == cells, label
        assert sheet[-2] == numerator(row.locator("td[data-announced]").inner_text()), label
        assert sheet[-1] == numerator(row.locator("td[data-converted]").inner_text()), label
        if label != "Cộng":
            announced = row.locator("td[data-announced]").inner_text().strip()
            assert f"{label}: {announced} cơ quan đã công bố" in narrative, label
    assert f"Tổng số {province_agencies.count()} cơ quan phải báo cáo; đã nhận 3 báo cáo (3 đã chấp nhận)" in narrative
    for key in reporters:
        stored = PeriodicReport.objects.get(period=period, agency=reporters[key][0])
        assert f"{reporters[key][0].name}: {DIFFICULTIES}" in narrative, stored.difficulties
    agencies = {row[1]: row for row in tables["Bao cao co quan"].iter_rows(min_row=3, values_only=True)}
    assert len(agencies) == province_agencies.count()
    for key in reporters:
        assert agencies[reporters[key][0].code][3] == "Đã chấp nhận"
    points = list(tables["Dieu 36 theo cap"].iter_rows(min_row=3, max_row=3, values_only=True))[0]
    assert points[-1] == 3  # the reports received, all levels

    # === The demo commune's calendar: the yearly report is done, from eISO =====================================
    as_user("coordinator")
    page.goto(f"{base}/compliance/?year=2026&agency={reporters['commune'][0].pk}")
    assert status(page, "item-supervisor_report") == "done"
    assert "03/11/2026" in page.locator("#item-supervisor_report").inner_text()  # the day it was submitted
