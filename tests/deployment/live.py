"""Helpers for the tests that run the app as real processes (gunicorn, Celery) on a database of their own: the
database and Redis they may use, a throwaway settings module, and a browser-like HTTP client with a cookie jar.
The process helpers themselves (create/drop a database, migrate, start/stop gunicorn, wait for /health/ready/)
are bench/server.py's, shared with the HTTP benchmarks; `server` here is that module.
"""

from __future__ import annotations

import html
import http.cookiejar
import importlib.util
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_DATABASES = (13, 14, 15, 12, 11, 10, 9, 8)
REDIS_LOCK_KEY = "eiso-stateless-test-lock"


def _load_server_module():
    """bench/server.py (process helpers shared with the HTTP benchmarks; standard library and psycopg only)."""
    spec = importlib.util.spec_from_file_location("eiso_bench_server", ROOT / "bench" / "server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


server = _load_server_module()


# --- Infrastructure ------------------------------------------------------------------------------------------

def postgres_url(what: str) -> str:
    """DATABASE_URL when it is PostgreSQL and answers; else skip `what` (e.g. "the two-process test")."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(f"{what} runs on PostgreSQL only (DATABASE_URL is not PostgreSQL): "
                    "the PostgreSQL pass of scripts/test.sh runs it")
    if not server.postgres_answers(url):
        pytest.skip(f"PostgreSQL does not answer at {url}")
    return url


def claim_redis_database() -> str:
    """A Redis database number among REDIS_DATABASES that no other run holds, flushed; release with
    server.redis_flush(url)."""
    base = os.environ.get("EISO_TEST_REDIS_URL", "redis://127.0.0.1:6379")
    base = re.sub(r"/\d+$", "", base.rstrip("/"))
    if not server.redis_answers(f"{base}/0"):
        pytest.skip(f"Redis does not answer at {base}")
    token = uuid.uuid4().hex
    for number in REDIS_DATABASES:
        url = f"{base}/{number}"
        client = server.redis_client(url)
        if client.set(REDIS_LOCK_KEY, token, nx=True, ex=900):
            client.flushdb()
            client.set(REDIS_LOCK_KEY, token, ex=900)
            return url
    pytest.skip(f"no free Redis database among {REDIS_DATABASES} (another run holds each {REDIS_LOCK_KEY})")


def write_settings(work: Path, name: str) -> str:
    """A settings module `name` in `work` (put `work` on PYTHONPATH): the production settings, except static files:
    collectstatic's hashed and compressed copies take a minute to build and are not what these tests are about, so
    the pages name the files as they are in the sources. Returns the module's name."""
    (work / f"{name}.py").write_text(
        "from eiso.settings import *  # noqa: F403\n"
        "STORAGES = {**STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n")
    return name


def free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = server.free_port()
        if port not in ports:
            ports.append(port)
    return ports


def print_logs(work: Path) -> None:
    """The end of every log in `work` (pytest shows it when the test or its fixture failed)."""
    for log in sorted(work.glob("*.log")):
        print(f"--- {log.name}\n{log.read_text(errors='replace')[-6000:]}")


# --- A browser: one cookie jar for every server ----------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path

    def __repr__(self):
        return f"<{self.status} {self.headers.get('Location', '')} {self.text[:300]!r}>"


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, port: int, path: str, *, data: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> Response:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers or {})
        if data is not None:  # Django's CSRF check of a plain-HTTP POST wants a same-origin Referer or none
            request.add_header("Referer", f"http://127.0.0.1:{port}{path}")
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            return Response(error.code, error.headers, error.read())

    def get(self, port: int, path: str, **params) -> Response:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self.request(port, f"{path}{query}")

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def post(self, port: int, path: str, fields: dict, *, files: dict | None = None) -> Response:
        """POST `fields` with the CSRF token from the cookie jar (the csrftoken cookie the form pages set)."""
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **fields}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(port, path, data=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        for key, (filename, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(port, path, data=b"".join(parts),
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def csrf_from_form(page: Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token in the form: {page!r}"
    return match.group(1)


def page_text(page: Response) -> str:
    """The page's text with tags removed and entities decoded (for checks on what a person reads)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text)))
