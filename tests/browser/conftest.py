"""Browser fixtures: Debian's chromium driven by Playwright's sync API against pytest-django's live server.

Playwright is installed from PyPI without its bundled browsers; the system chromium is used instead:
    apt-get install -y chromium fonts-liberation
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found. The browser tests drive Debian's chromium; install it with:\n"
            "    apt-get update && apt-get install -y chromium fonts-liberation",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the test thread; Django would otherwise
    # refuse ORM calls made from the test (and from pytest-django's database teardown).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh browser profile per test. The browser asks for Vietnamese, as an official's would."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def demo(transactional_db):
    """The real demo: the national list of administrative units, Lào Cai and a bit of Hà Nội."""
    from eiso.calendars.services import holidays_seed_year
    from eiso.organizations.demo import demo_load
    from eiso.organizations.services import admin_units_load

    admin_units_load()
    summary = demo_load()
    holidays_seed_year(year=2026)
    return summary


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the login form; returns once the home page is shown."""

    def sign_in_as(username: str, password: str | None = None):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password or settings.EISO["DEMO_PASSWORD"])
        page.locator(".login button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))

    return sign_in_as
