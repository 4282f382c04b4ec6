"""Two-factor sign-in in a real browser, on the demo, as production runs it (EISO_TWO_FACTOR_REQUIRED on): the ISO
coordinator sets up an authenticator from the page (its key read off the page, its codes computed as a phone app
would), keeps the backup codes, signs out, and signs in again with the password and the next code; a wrong code and
a too-many-passwords pause are shown in Vietnamese."""

import base64
import re

import pytest
from django.conf import settings
from django.test import override_settings
from django_otp.oath import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def authenticator_code(secret: str, drift: int = 0) -> str:
    """What a phone app shows for `secret` now (drift=1: in the next 30 seconds)."""
    return f"{totp(base64.b32decode(secret), step=30, digits=6, drift=drift):06d}"


def test_coordinator_sets_up_and_uses_two_factor_sign_in(page, live_server, demo):
    url = live_server.url
    with override_settings(EISO_TWO_FACTOR_REQUIRED=True):
        page.goto(f"{url}/accounts/login/")
        page.locator("#id_username").fill("coordinator")
        page.locator("#id_password").fill(settings.EISO["DEMO_PASSWORD"])
        page.locator(".login button[type=submit]").click()
        # the password alone leads to setting up the authenticator, in Vietnamese
        page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
        assert page.locator("h1").inner_text() == "Thiết lập đăng nhập hai bước"
        assert page.locator("#qr").evaluate("img => img.complete && img.naturalWidth > 0")  # the QR code is drawn
        secret = page.locator("#secret").inner_text()
        # a wrong code is refused with the reason
        page.locator("#id_code").fill("000000" if authenticator_code(secret) != "000000" else "111111")
        page.locator("form.form button[type=submit]").click()
        assert "không đúng" in page.locator(".msg-error").inner_text()
        # the code the app shows turns it on and the backup codes are shown once
        page.locator("#id_code").fill(authenticator_code(secret))
        page.locator("form.form button[type=submit]").click()
        codes = page.locator("#backup-codes li").all_inner_texts()
        assert len(codes) == 10
        page.get_by_role("link", name="Tiếp tục").click()
        page.wait_for_url(re.compile(r"/$"))
        assert "Đăng xuất" in page.content()
        # sign out, and in again: the next code (the app's next time step) completes the sign-in
        page.locator("header form button", has_text="Đăng xuất").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))
        page.locator("#id_username").fill("coordinator")
        page.locator("#id_password").fill(settings.EISO["DEMO_PASSWORD"])
        page.locator(".login button[type=submit]").click()
        page.wait_for_url(re.compile(r"/accounts/two-factor/\?"))
        page.locator("#id_code").fill(authenticator_code(secret, drift=1))
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/$"))
        assert page.locator("h1").count() >= 1 and "/accounts/" not in page.url


def test_too_many_wrong_passwords_pause_sign_in(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    for _i in range(settings.AXES_FAILURE_LIMIT):
        page.locator("#id_username").fill("staff")
        page.locator("#id_password").fill("sai-mat-khau")
        page.locator(".login button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tạm dừng đăng nhập"
    assert "15 phút" in page.locator(".msg-error").inner_text()
