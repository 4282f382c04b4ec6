"""A walk through the demo as its ISO coordinator, in a real browser.

Signs in through the form, sees the Vietnamese interface, switches to English and back, searches the
province's agencies (htmx live search, without accents), opens an agency, checks that an agency of
another province can be neither opened nor found, and uses the deadline calculator.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_AGENCY = "Ủy ban nhân dân phường Cam Đường"
HOME_SCREENSHOT = "/tmp/eiso-home.png"


def sidebar_link(page, label):
    return page.locator("nav.sidebar").get_by_role("link", name=label, exact=True)


def test_coordinator_walkthrough(page, live_server, demo, sign_in):
    from eiso.organizations.models import Agency

    base = live_server.url
    assert demo["demo_commune"] == DEMO_AGENCY

    # Sign in through the form: the login page itself is Vietnamese.
    page.goto(f"{base}/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    sign_in("coordinator")

    # Home: the coordinator's agency, in Vietnamese.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("main h1")).to_have_text(DEMO_AGENCY)
    sidebar = page.locator("nav.sidebar")
    for label in ("Cơ quan của tôi", "Trang chủ", "Phòng, ban, bộ phận", "Danh mục", "Lịch làm việc", "Tài khoản"):
        expect(sidebar).to_contain_text(label)
    expect(sidebar_link(page, "Cơ quan")).to_be_visible()
    expect(sidebar_link(page, "Đơn vị hành chính")).to_be_visible()
    expect(page.locator("header.topbar")).to_contain_text("Đăng xuất")
    expect(page.locator("main")).to_contain_text("Hệ thống quản lý chất lượng")
    expect(page.locator("main")).to_contain_text("Vai trò của tôi")
    expect(page.locator("main")).to_contain_text("Thư ký ISO")
    expect(page.locator("main")).to_contain_text("Bộ phận Một cửa")
    page.screenshot(path=HOME_SCREENSHOT, full_page=True)

    # EN in the top bar: the same page in English (names from the data stay Vietnamese).
    page.locator("form.lang button[data-lang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text(DEMO_AGENCY)
    for label in ("My agency", "Home", "Internal units", "Directory", "Working calendar", "Account"):
        expect(sidebar).to_contain_text(label)
    expect(sidebar_link(page, "Agencies")).to_be_visible()
    expect(page.locator("header.topbar")).to_contain_text("Sign out")
    expect(page.locator("main")).to_contain_text("My roles")
    expect(page.locator("main")).to_contain_text("ISO coordinator")
    expect(page.locator("form.lang button[data-lang=en]")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("body")).not_to_contain_text("Đăng xuất")

    # ...and back to Vietnamese.
    page.locator("form.lang button[data-lang=vi]").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("header.topbar")).to_contain_text("Đăng xuất")
    expect(sidebar).to_contain_text("Cơ quan của tôi")

    # Directory → Agencies; live search without accents, refreshed by htmx (no page load).
    sidebar_link(page, "Cơ quan").click()
    page.wait_for_url(re.compile(r"/organizations/agencies/"))
    expect(page.locator("main h1")).to_have_text("Cơ quan")
    results = page.locator("#results")
    expect(results).to_contain_text("kết quả")
    page.evaluate("window.__eisoNoReload = true")
    page.locator("form.filters input[name=q]").press_sequentially("cam duong", delay=30)
    rows = results.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name=DEMO_AGENCY, exact=True)).to_be_visible()
    assert page.evaluate("window.__eisoNoReload === true"), "the search reloaded the page instead of using htmx"
    expect(page).to_have_url(re.compile(r"[?&]q=cam(\+|%20)duong"))

    # Open it: the agency's detail page.
    results.get_by_role("link", name=DEMO_AGENCY, exact=True).click()
    page.wait_for_url(re.compile(r"/organizations/agencies/[0-9a-f-]{36}/$"))
    expect(page.locator("main h1")).to_have_text(DEMO_AGENCY)
    props = page.locator("dl.props")
    expect(props).to_contain_text("Ủy ban nhân dân")  # kind
    expect(props).to_contain_text("Lào Cai")  # province
    expect(page.locator("main")).to_contain_text("Bộ phận Một cửa")

    # Another agency of the same province is reachable too.
    department = Agency.objects.get(code="LCI-STP")
    page.goto(f"{base}/organizations/agencies/")
    page.locator("form.filters input[name=q]").press_sequentially("so tu phap", delay=30)
    expect(results.get_by_role("link", name=department.name, exact=True)).to_be_visible()
    results.get_by_role("link", name=department.name, exact=True).click()
    page.wait_for_url(f"**/organizations/agencies/{department.pk}/")
    expect(page.locator("main h1")).to_have_text(department.name)

    # An agency of Hà Nội: not reachable by URL...
    foreign = Agency.objects.get(code="HNI-UBND")
    assert "Hà Nội" in foreign.name
    response = page.goto(f"{base}/organizations/agencies/{foreign.pk}/")
    assert response.status == 404
    expect(page.locator("main h1")).to_have_text("Không tìm thấy")
    expect(page.locator("main")).to_contain_text("Trang này không tồn tại hoặc bạn không có quyền truy cập.")
    expect(page.locator("body")).not_to_contain_text(foreign.name)

    # ...nor by search.
    page.goto(f"{base}/organizations/agencies/")
    expect(results).to_contain_text("Lào Cai")
    page.locator("form.filters input[name=q]").press_sequentially("ha noi", delay=30)
    expect(results.locator("table tbody")).not_to_contain_text("Lào Cai")  # the htmx swap happened
    expect(results).not_to_contain_text("Hà Nội")
    expect(results.locator("tbody a")).to_have_count(0)
    assert Agency.objects.filter(province=foreign.province).count() > 1  # they exist, just not for us


def test_deadline_calculator(page, demo, sign_in):
    """30/04 and 01/05/2026 are public holidays, 02–03/05 a weekend: one working day from 29/04 09:00
    ends on Monday 04/05 at 09:00."""
    from eiso.calendars.services import add_working_time
    from eiso.organizations.models import Agency

    sign_in("coordinator")
    sidebar_link(page, "Tính thời hạn giải quyết").click()
    page.wait_for_url(re.compile(r"/calendar/deadline/"))
    expect(page.locator("main h1")).to_have_text("Tính thời hạn giải quyết")

    page.evaluate("window.__eisoNoReload = true")
    page.locator("#id_start").fill("29/04/2026 09:00")
    page.locator("#id_days").fill("1")
    page.locator("main form button[type=submit]").click()
    value = page.locator("#deadline-value")
    expect(value).to_be_visible()
    assert page.evaluate("window.__eisoNoReload === true"), "the calculator reloaded the page instead of using htmx"

    agency = Agency.objects.get(name=demo["demo_commune"])
    start = dt.datetime(2026, 4, 29, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    expected = add_working_time(start=start, days=1, agency=agency)
    expect(value).to_have_text(expected.astimezone(start.tzinfo).strftime("%H:%M %d/%m/%Y"))
    expect(value).to_have_text("09:00 04/05/2026")
    expect(page.locator("#deadline-result")).to_contain_text("Hạn giải quyết")

    # A wrong input gives a Vietnamese message, not an error page.
    page.locator("#id_hours").fill("2")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#deadline-result")).to_contain_text(
        "Nhập số ngày làm việc hoặc số giờ làm việc (chỉ một trong hai)."
    )
