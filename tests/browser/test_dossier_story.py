"""Issue "Dossiers" in a real browser: on the Friday afternoon before the 2026 Lunar New Year, after the
15:00 cut-off, the one-stop officer of the demo commune receives a birth registration (1 working day) and
prints the receipt: the appointment is the first working day after Tết. The civil-status officer finds a
verification is needed and issues the apology letter with a new date; her step runs late; the head signs;
the desk returns the result. The control slip, the public lookup and the agency's on-time rate tell the same
story: one dossier, returned late, and an on-time rate of 0 % for February."""

import io
import re
from unittest import mock

import pytest
from pypdf import PdfReader

from tests.browser.story import STEPS, Clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "Nguyễn Thị Mai"
PHONE = "0987654321"


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def act(page, name: str, **fields):
    """Fill and submit one action form of the dossier page."""
    form = page.locator(f"form[data-action-form='{name}']")
    if form.locator("xpath=ancestor::details").count():
        form.locator("xpath=ancestor::details/summary").click()
    for field, value in fields.items():
        control = form.locator(f"[name='{field}']")
        if control.evaluate("e => e.tagName") == "SELECT":  # by value, else by the option's text
            option = control.locator(f"option[value='{value}']")
            if not option.count():
                option = control.locator("option", has_text=value).first
            control.select_option(option.get_attribute("value"))
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def birth_registration(demo):
    """The demo commune's QMS, with its birth-registration process in force: three steps of 1 + 5 + 2
    working hours (the statutory 1 working day)."""
    from eiso.accounts.models import User
    from eiso.organizations.models import Agency
    from eiso.processes.bootstrap import qms_bootstrap
    from eiso.processes.models import Process
    from eiso.processes.services import process_steps_replace, process_transition

    commune = Agency.objects.get(name=demo["demo_commune"])
    coordinator, head = User.objects.get(username="coordinator"), User.objects.get(username="head")
    qms_bootstrap(actor=coordinator, agency=commune)
    process = Process.objects.get(agency=commune, procedures__code="1.001193")
    process_steps_replace(actor=coordinator, process=process, steps=STEPS)
    for actor, action in ((coordinator, "submit"), (head, "approve"), (head, "publish")):
        process_transition(actor=actor, process=process, action=action)
    return process


def test_birth_registration_received_before_tet_returned_late_with_an_apology(page, live_server, sign_in, settings,
                                                                            birth_registration):
    from eiso.dossiers.models import Dossier

    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 400  # the story spans two weeks of frozen time
    clock = Clock()
    procedure = birth_registration.procedures.get()
    with mock.patch("django.utils.timezone.now", new=clock):
        # Friday 13/02/2026, 15:30: after the cut-off; Tết closes the offices from 16/02 to 20/02.
        clock.set("2026-02-13 15:30")
        sign_in("staff")
        page.goto(f"{live_server.url}/dossiers/receive/")
        page.locator("select[name='procedure']").select_option(str(procedure.pk))
        page.locator("select[name='case'] option").nth(1).wait_for(state="attached")
        page.locator("select[name='case']").select_option(index=1)
        page.locator("[name='applicant_name']").fill(APPLICANT)
        page.locator("[name='applicant_id_number']").fill("010190001234")
        page.locator("[name='applicant_phone']").fill(PHONE)
        page.locator("[name='applicant_address']").fill("Thôn Cốc San")
        for box in page.locator("input[name='components']").all():
            box.check()
        page.locator("#receive-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/dossiers/[0-9a-f-]{36}/$"))

        dossier = Dossier.objects.get(applicant_name=APPLICANT)
        assert dossier.code in page.content()
        # Counted from Monday 23/02 07:30 (the next working day after the cut-off, weekend and Tết); 1 working
        # day = 8 working hours: the appointment is Monday 23/02/2026 at 17:00.
        assert page.locator("#appointment").inner_text() == "17:00 23/02/2026"
        receipt = pdf_text(page, f"{live_server.url}/dossiers/{dossier.pk}/receipt.pdf")
        assert dossier.code in receipt and "23/02/2026" in receipt and APPLICANT in receipt

        clock.set("2026-02-13 15:45")
        page.reload()
        act(page, "hand_over", assignee="Hoàng Thị Kinh Tế", note="Đủ giấy tờ")
        assert page.locator("#control-slip tr[data-current] .assignee").inner_text() == "Hoàng Thị Kinh Tế"
        sign_out(page)

        # 16:30: the civil-status officer needs the father's residence verified by another commune: the
        # apology letter, with a new date, one working day before the appointment at the latest.
        clock.set("2026-02-13 16:30")
        sign_in("staff2")
        page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
        act(page, "consult", unit_name="UBND xã Bản Xèo", comment="Xác minh nơi cư trú của người cha")
        act(page, "apologise", reason="Cần xác minh nơi cư trú của người cha tại xã Bản Xèo",
            new_appointment="16:00 25/02/2026")
        assert page.locator("#appointment").inner_text() == "16:00 25/02/2026"
        apology = pdf_text(page, f"{live_server.url}/dossiers/{dossier.pk}/apology.pdf")
        assert "xã Bản Xèo" in apology and "25/02/2026" in apology and "23/02/2026" in apology

        # Wednesday 25/02, 10:00: her step (due Monday) is handed to the head, late.
        clock.set("2026-02-25 10:00")
        page.reload()
        act(page, "hand_over", assignee="Trần Văn Thủ Trưởng")
        assert page.locator("#control-slip tr[data-order='2'] td").nth(7).inner_text().lower() in ("quá hạn", "late")
        sign_out(page)

        clock.set("2026-02-25 11:00")
        sign_in("head")
        page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
        act(page, "hand_over")
        assert page.locator("#dossier-status").get_attribute("data-status") == "result_ready"
        sign_out(page)

        clock.set("2026-02-25 14:00")
        sign_in("staff")
        page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
        act(page, "return", method="desk")
        assert page.locator("#dossier-status").get_attribute("data-status") == "returned"

        # The control slip: every hand-over, the late step, the return.
        slip = pdf_text(page, f"{live_server.url}/dossiers/{dossier.pk}/control-slip.pdf")
        assert dossier.code in slip and "Quá hạn" in slip and "25/02/2026" in slip
        sign_out(page)

        # The public lookup, without login: returned, late, the apology in the history.
        page.goto(f"{live_server.url}/public/lookup/?code={dossier.code}")
        page.locator("[name='digits']").fill(PHONE[-4:])
        page.locator("#lookup-form button[type=submit]").click()
        page.wait_for_load_state()
        lookup = page.content()
        assert dossier.code in lookup and "25/02/2026" in lookup
        assert PHONE not in lookup and "010190001234" not in lookup
        assert re.search(r"(?i)quá hạn|late", lookup)

        # The agency's statistics for February 2026: one dossier received and resolved, late; on time 0 %.
        sign_in("coordinator")
        page.goto(f"{live_server.url}/dossiers/statistics/?date_from=02/2026&date_to=02/2026&group_by=procedure")
        row = page.locator("table.statistics tbody tr:not(.total)")
        assert row.count() == 1 and procedure.code in row.locator("th").inner_text()
        cells = [cell.inner_text().strip() for cell in row.locator("td").all()]
        received, resolved, early, on_time, late, rate = cells[:6]
        assert (received, resolved, early, on_time, late) == ("1", "1", "0", "0", "1")
        assert re.fullmatch(r"0([,.]0)?\s*%", rate), rate
        assert page.locator("svg.chart").count() >= 1

    dossier.refresh_from_db()
    assert dossier.outcome == "late" and dossier.status == "returned"
    # B1 handed over before the count started; B2 two days late; B3 signed within its 2 hours, on its due day.
    assert [s.result for s in dossier.steps.order_by("order")] == ["early", "late", "on_time"]
