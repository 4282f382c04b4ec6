"""Content-Security-Policy: every page forbids inline and eval'd scripts, and no template needs them."""

import re
from pathlib import Path

import pytest

from eiso.core.permissions import Role
from tests.conftest import login

EISO = Path(__file__).resolve().parents[2] / "eiso"


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict(response):
    policy = directives(response)
    path = response.request["PATH_INFO"]
    assert policy["script-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in policy["default-src"] and "'unsafe-eval'" not in policy["default-src"], path
    assert policy["object-src"] == ["'none'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"], path


@pytest.mark.django_db
def test_public_pages_and_login_carry_a_strict_policy(client):
    for url in ("/public/", "/public/lookup/", "/public/feedback/", "/public/announcements/", "/accounts/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_signed_in_pages_carry_a_strict_policy(client, world):
    login(client, world.users[str(Role.ISO_COORDINATOR)])
    urls = ["/", "/organizations/agencies/", "/organizations/org-units/", f"/organizations/agencies/{world.own.pk}/",
            f"/organizations/org-units/{world.own_unit.pk}/", "/processes/", "/documents/", "/dossiers/", "/risks/",
            "/improvement/", "/objectives/", "/audits/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_documentation_relaxes_scripts_only_on_its_own_pages(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    # drf-spectacular's pages start their bundles with an inline <script>: allowed there and nowhere else.
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_template_needs_inline_script():
    templates = sorted(EISO.rglob("templates/**/*.html"))
    assert len(templates) > 50  # the walk found the templates
    offenders = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"), (EVENT_HANDLER, "on*= handler"),
                              (JAVASCRIPT_URL, "javascript: URL")):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(EISO)}: {what}")
    assert offenders == []


def test_the_checks_catch_what_they_look_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/eiso/eiso.js" defer></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert not EVENT_HANDLER.search('<button type="button" data-action="go">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
