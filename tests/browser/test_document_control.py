"""Issue "Document control" in a real browser: the coordinator drafts issue 2 of a published procedure
process, the head comments when passing the review, approves and publishes; the issue is distributed to
two internal units; the staff of each confirm in "to read"; the coordinator sees everyone has read it, the
amendment log, issue 1 superseded, and the printed approval table with names and positions."""

import re

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITED_ACTION = "Thẩm định hồ sơ, xác minh thông tin với cơ quan liên quan và dự thảo kết quả"


def _sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_revise_review_approve_distribute_and_acknowledge(page, live_server, demo, sign_in):
    from eiso.accounts.models import User
    from eiso.organizations.models import Agency
    from eiso.processes.bootstrap import qms_bootstrap
    from eiso.processes.models import Process
    from eiso.processes.services import process_transition

    # given: the demo commune's QMS built and one procedure process in force as issue 1
    commune = Agency.objects.get(name=demo["demo_commune"])
    coordinator, head = User.objects.get(username="coordinator"), User.objects.get(username="head")
    qms_bootstrap(actor=coordinator, agency=commune)
    process = (Process.objects.filter(agency=commune, kind="procedure", cases__duration__gte=3,
                                      cases__duration_unit="working_day").distinct().order_by("code").first())
    for actor, action in ((coordinator, "submit"), (head, "approve"), (head, "publish")):
        process_transition(actor=actor, process=process, action=action)
    url = f"{live_server.url}/processes/{process.pk}/"

    # the coordinator drafts issue 2, says what changes, and sends it for review
    sign_in("coordinator")
    page.goto(url)
    page.locator("#edit-steps").click()
    page.locator("textarea[name='form-1-action']").fill(EDITED_ACTION)
    page.locator("#save-steps").click()
    page.wait_for_url(re.compile(rf"/processes/{process.pk}/$"))
    page.locator("#revision-summary input[name='change_location']").fill("Mục 5, bước 2")
    page.locator("#revision-summary input[name='change_summary']").fill("Bổ sung xác minh thông tin")
    page.locator("#revision-summary button").click()
    page.wait_for_url(re.compile(rf"/processes/{process.pk}/"))
    page.locator("button[data-action='submit']").click()
    assert page.locator("#revision-status").inner_text() == "Đang xem xét"
    _sign_out(page)

    # the head comments when passing the review, approves and publishes
    sign_in("head")
    page.goto(url)
    page.locator("input[data-comment='review']").fill("Đã kiểm tra, đúng quy định")
    page.locator("button[data-action='review']").click()
    page.locator("button[data-action='approve']").click()
    assert page.locator("#revision-status").inner_text() == "Đã phê duyệt"
    page.locator("button[data-action='publish']").click()
    assert page.locator("#revision-status").inner_text() == "Đã ban hành"

    # and distributes it to the one-stop desk and the economic office
    units = page.locator("#distribute-form select[name='org_units']")
    units.select_option(label=["Bộ phận Một cửa", "Phòng Kinh tế"])
    page.locator("#distribute-form button[type='submit']").click()
    assert "0/2 người nhận đã xác nhận đọc." in page.locator("#distribution-counts").inner_text()
    _sign_out(page)

    # a staff member of each unit finds it in "to read" and confirms
    for username in ("staff", "staff2"):
        sign_in(username)
        page.goto(f"{live_server.url}/documents/to-read/")
        assert process.code in page.locator("main").inner_text()
        page.locator("button[data-action='acknowledge']").click()
        page.wait_for_url(re.compile(r"/documents/to-read/"))
        text = page.locator("main").inner_text()
        assert f"Đã ghi nhận: bạn đã đọc {process.code}, lần ban hành 2" in text and "0 kết quả" in text
        _sign_out(page)

    # the coordinator sees who has read it, the amendment log, the comment, issue 1 superseded
    sign_in("coordinator")
    page.goto(url)
    assert "2/2 người nhận đã xác nhận đọc." in page.locator("#distribution-counts").inner_text()
    amendments = page.locator("#amendments").inner_text()
    assert "Bổ sung xác minh thông tin" in amendments and "Mục 5, bước 2" in amendments
    assert "Đã được thay thế" in amendments and "Đã ban hành" in amendments  # issue 1 superseded, issue 2 in force
    assert "Đã kiểm tra, đúng quy định" in page.locator("main").inner_text()

    # the printed issue: approval table with names and positions, and the amendment log
    with page.expect_download() as pdf_download:
        page.locator("a[data-download='pdf']").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    flat = " ".join(text.split())
    for expected in ("Lê Thị Thư Ký", "Trần Văn Thủ Trưởng", "Chủ tịch UBND", "Bổ sung xác minh thông tin"):
        assert expected in flat, expected
