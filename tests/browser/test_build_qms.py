"""Issue "Build the QMS" in a real browser: a commune's coordinator runs the bootstrap wizard, edits a
process's steps and sends it for approval; the head approves and publishes; the public sees it with its
flowchart; the DOCX and PDF download and read back."""

import io
import re

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITED_ACTION = "Thẩm định hồ sơ, xác minh thông tin và dự thảo kết quả"


def _sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_bootstrap_edit_approve_publish_and_post(page, browser, live_server, demo, sign_in):
    from eiso.catalog.models import Procedure
    from eiso.organizations.models import Agency
    from eiso.processes.models import Process

    commune = Agency.objects.get(name=demo["demo_commune"])
    expected = Procedure.objects.for_level("commune").count()
    assert expected > 100  # the real catalogue: every commune-level procedure

    # the coordinator runs the wizard
    sign_in("coordinator")
    page.goto(f"{live_server.url}/processes/bootstrap/")
    assert str(expected) in page.locator("main").inner_text()
    page.locator("#run-bootstrap").click()
    page.wait_for_url(re.compile(r"/processes/$"))
    assert Process.objects.filter(agency=commune, kind="procedure").count() == expected
    assert Process.objects.filter(agency=commune, kind="system").count() == 6
    page.goto(f"{live_server.url}/processes/?kind=procedure&q=khai+sinh")
    assert "Quy trình giải quyết thủ tục" in page.locator("#results").inner_text()

    # edit one process's steps (a procedure with a statutory deadline of several working days)
    process = (Process.objects.filter(agency=commune, kind="procedure", cases__duration__gte=3,
                                      cases__duration_unit="working_day").distinct().order_by("code").first())
    page.goto(f"{live_server.url}/processes/{process.pk}/")
    page.locator("#edit-steps").click()
    page.locator("textarea[name='form-1-action']").fill(EDITED_ACTION)
    page.locator("#save-steps").click()
    page.wait_for_url(re.compile(rf"/processes/{process.pk}/$"))
    assert EDITED_ACTION in page.locator("main").inner_text()
    page.locator("button[data-action='submit']").click()
    assert page.locator("#revision-status").inner_text() == "Đang xem xét"
    assert page.locator("button[data-action='approve']").count() == 0  # the coordinator cannot approve
    _sign_out(page)

    # the head approves and publishes
    sign_in("head")
    page.goto(f"{live_server.url}/processes/{process.pk}/")
    page.locator("button[data-action='approve']").click()
    assert page.locator("#revision-status").inner_text() == "Đã phê duyệt"
    page.locator("button[data-action='publish']").click()
    assert page.locator("#revision-status").inner_text() == "Đã ban hành"

    # downloads: DOCX and PDF open with the right header, tables and Vietnamese text
    with page.expect_download() as docx_download:
        page.locator("a[data-download='docx']").click()
    docx = DocxDocument(io.BytesIO(open(docx_download.value.path(), "rb").read()))
    cells = " ".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "QUY TRÌNH" in cells and process.code in cells and commune.name.upper() in cells.upper()
    assert EDITED_ACTION in cells and "Trần Văn Thủ Trưởng" in cells
    with page.expect_download() as pdf_download:
        page.locator("a[data-download='pdf']").click()
    pdf_text = " ".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "QUY TRÌNH" in pdf_text and "Thẩm định hồ sơ" in pdf_text

    # the public page, without login, accent-insensitive search, flowchart
    visitor = browser.new_context(locale="vi-VN").new_page()
    visitor.goto(f"{live_server.url}/public/{commune.code}/")
    words = process.title.split()[-2:]
    from eiso.core.text import fold

    visitor.locator("#public-search").fill(fold(" ".join(words)))
    visitor.wait_for_function(
        "code => document.querySelector('#public-processes').innerText.includes(code)", arg=process.code
    )
    visitor.locator("#public-processes a", has_text=process.title[:40]).first.click()
    assert visitor.locator("#public-flowchart svg").count() == 1
    assert EDITED_ACTION in visitor.locator("main").inner_text()
    visitor.context.close()
