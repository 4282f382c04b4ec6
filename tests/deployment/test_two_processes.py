"""Statelessness of the app processes: two gunicorn servers and a Celery worker on one PostgreSQL database and one
Redis database, all on loopback, with production settings (DEBUG off, Redis cache and broker, tasks not eager).
One browser-like client (one cookie jar, as behind a load balancer) sends interleaved requests to both servers:
signed in on A, it works on B with the same session; the current agency chosen on one is the one used on the
other; the dossier lookup's rate limit is counted across both; a catalogue import uploaded on one is run by the
worker and its result read on the other; a day off added on one moves the deadline the other computes.

It needs real servers, so it runs only when DATABASE_URL is PostgreSQL (the PostgreSQL pass of scripts/test.sh)
and PostgreSQL and Redis answer (Redis at EISO_TEST_REDIS_URL, default redis://127.0.0.1:6379). It creates its
own database (eiso_stateless_<random>, dropped at the end) and takes a Redis database number among 8–15 (13 first)
that no other run of this test holds, flushed before and after. The processes run the production settings except
for static files (served from the sources: collectstatic's hashed copies take a minute to build and are not what
this is about). The whole scenario is one test (a module fixture starts the processes once): pytest-xdist may send
it to any worker, never split it. About 20–40 s.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django_otp.oath import totp

from tests.deployment.live import (
    ROOT,
    Browser,
    claim_redis_database,
    csrf_from_form,
    free_ports,
    page_text,
    postgres_url,
    print_logs,
    server,
    write_settings,
)

PASSWORD = "a-Strong-test-password-1"
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, hex: the administrator's authenticator
LOOKUP_LIMIT = 6  # the lookups allowed per minute and address, spent across both servers

# The data the scenario needs, created in the new database by a subprocess with the servers' environment.
SETUP = f"""
import datetime as dt
from zoneinfo import ZoneInfo
from eiso.accounts.models import User
from eiso.catalog.models import Procedure
from eiso.core.permissions import Role
from eiso.dossiers.choices import DossierStatus, Source
from eiso.dossiers.models import Dossier
from eiso.organizations.models import RoleAssignment
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.factories import AgencyFactory

one = AgencyFactory(code="STL-ONE", name="Ủy ban nhân dân xã Một Thử Nghiệm")
two = AgencyFactory(code="STL-TWO", name="Ủy ban nhân dân xã Hai Thử Nghiệm")
admin = User.objects.create_superuser(username="admin", email="", password={PASSWORD!r}, full_name="Quản Trị")
TOTPDevice.objects.create(user=admin, name="authenticator", key={TOTP_KEY!r}, confirmed=True)
for agency in (one, two):
    RoleAssignment.objects.create(user=admin, agency=agency, role=Role.ISO_COORDINATOR)
procedure = Procedure.objects.create(code="1.000001", name="Thủ tục đăng ký kết hôn")
at = lambda text: dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
Dossier.objects.create(
    agency=one, code="STL-260105-0001", procedure=procedure, source=Source.IMPORTED, status=DossierStatus.RETURNED,
    applicant_name="Trần Thị Bình", applicant_phone="0987654321", submitted_at=at("2026-01-05 09:00"),
    received_at=at("2026-01-05 09:00"), due_at=at("2026-01-08 09:00"), appointment_at=at("2026-01-08 09:00"),
    finished_at=at("2026-01-07 11:00"), outcome="early", returned_at=at("2026-01-08 08:00"))
print(one.pk, two.pk)
"""


# --- Infrastructure ------------------------------------------------------------------------------------------

class Stack:
    def __init__(self, *, a: int, b: int, agencies: tuple[str, str], celery_log: Path):
        self.a, self.b, self.agencies, self.celery_log = a, b, agencies, celery_log


@pytest.fixture(scope="module")
def stack():
    postgres = postgres_url("the two-process test")
    redis = claim_redis_database()
    name = f"eiso_stateless_{uuid.uuid4().hex[:10]}"
    work = Path(tempfile.mkdtemp(prefix="eiso-stateless-"))
    processes = []
    try:
        database = server.create_database(postgres, name)
        settings_module = write_settings(work, "stateless_settings")
        env = server.app_env(database=database, redis=redis, media_root=work / "media",
                             DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(work),
                             EISO_DOSSIER_LOOKUP_PER_MINUTE=str(LOOKUP_LIMIT))
        server.eiso(["migrate", "--verbosity", "0"], env, timeout=300)
        one, two = server.python(SETUP, env).split()
        ports = free_ports(2)
        for port, label in zip(ports, "ab", strict=True):
            processes.append(server.start_gunicorn(env, port=port, workers=1, log=work / f"gunicorn-{label}.log"))
        celery_log = work / "celery.log"
        processes.append(server.start_celery(env, log=celery_log))
        for port, process in zip(ports, processes, strict=False):
            checks = server.wait_ready(port, process, timeout=90)["checks"]
            assert checks == {"database": "ok", "cache": "ok", "broker": "ok"}
        server.wait_celery_ready(processes[2], celery_log, timeout=90)
        yield Stack(a=ports[0], b=ports[1], agencies=(one, two), celery_log=celery_log)
    finally:
        print_logs(work)  # pytest shows this output when the test or the fixture failed
        for process in processes:
            server.stop(process)
        try:
            server.drop_database(postgres, name)
        finally:
            server.redis_flush(redis)
            shutil.rmtree(work, ignore_errors=True)


def _catalogue_file(code: str, name: str) -> bytes:
    """One catalogue line as the national database exports it (the first shipped line, with our code and name)."""
    with gzip.open(ROOT / "eiso" / "catalog" / "data" / "catalog.jsonl.gz", "rt", encoding="utf-8") as lines:
        record = json.loads(next(lines))
    record.update(id=str(uuid.uuid4()), code=code, codeNotation=code, name=name)
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


# --- The scenario ----------------------------------------------------------------------------------------------

def test_two_app_processes_and_a_worker_share_nothing_but_postgresql_and_redis(stack):
    a, b = stack.a, stack.b
    one, two = stack.agencies
    browser = Browser()

    # Signed in on A (the form and its CSRF cookie come from B: the token is valid on A too).
    login_page = browser.get(b, "/accounts/login/")
    assert login_page.status == 200, login_page
    assert '<html lang="vi">' in login_page.text  # Vietnamese until the user chooses otherwise
    token = csrf_from_form(login_page)
    response = browser.post(a, "/accounts/login/", {"csrfmiddlewaretoken": token, "username": "admin",
                                                    "password": PASSWORD, "next": "/"})
    assert response.status == 302 and response.location == "/", response
    assert browser.cookie("sessionid")
    # The password alone is not enough for an administrator (production settings): B asks for the code…
    response = browser.get(b, "/")
    assert response.status == 302 and response.location.startswith("/accounts/two-factor/"), response
    form = browser.get(b, response.location)
    assert form.status == 200, form
    code = f"{totp(bytes.fromhex(TOTP_KEY), step=30, digits=6):06d}"
    response = browser.post(b, "/accounts/two-factor/", {"csrfmiddlewaretoken": csrf_from_form(form), "code": code,
                                                         "next": "/"})
    assert response.status == 302 and response.location == "/", response
    # …and the verified session is known on A and B.
    response = browser.get(a, "/")
    assert response.status == 200, response
    response = browser.get(b, "/")
    assert response.status == 200, response
    assert re.search(r'<span class="who">[^<]*Quản Trị', response.text), response

    # The language chosen on B is the one A answers in.
    response = browser.post(b, "/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status == 302, response
    response = browser.get(a, "/")
    assert response.status == 200 and '<html lang="en">' in response.text, response

    # The agency chosen on A (kept in the session) is the current agency on B, with A's message shown on B.
    response = browser.post(a, "/switch-agency/", {"agency": two, "next": "/"})
    assert response.status == 302 and response.location == "/", response
    response = browser.get(b, "/")
    assert response.status == 200, response
    page = page_text(response)
    assert "You are now working in Ủy ban nhân dân xã Hai Thử Nghiệm." in page
    assert re.search(r"<h1>\s*Ủy ban nhân dân xã Hai Thử Nghiệm\s*</h1>", response.text), response
    response = browser.get(a, "/")  # the message was consumed on B: A does not show it again
    assert "You are now working in" not in page_text(response)
    assert re.search(r"<h1>\s*Ủy ban nhân dân xã Hai Thử Nghiệm\s*</h1>", response.text)
    response = browser.post(b, "/switch-agency/", {"agency": one, "next": "/"})
    assert response.status == 302, response

    # The deadline computed on B (its calendar now cached in Redis) moves when a day off is added through A.
    deadline = {"start": "08/06/2027 08:00", "days": "1"}
    response = browser.get(b, "/calendar/deadline/", **deadline)
    assert response.status == 200, response
    before = re.search(r'id="deadline-value">([^<]+)<', response.text)
    assert before and before.group(1) == "08:00 09/06/2027", response  # Tuesday + 1 working day
    assert 'id="deadline-value">08:00 09/06/2027<' in browser.get(b, "/calendar/deadline/", **deadline).text
    calendar_page = browser.get(a, "/calendar/", year="2027")
    assert calendar_page.status == 200, calendar_page
    response = browser.post(a, "/calendar/", {"date": "09/06/2027", "kind": "day_off", "name": "Nghỉ bù thử nghiệm",
                                              "note": ""})
    assert response.status == 302, response
    response = browser.get(b, "/calendar/deadline/", **deadline)
    after = re.search(r'id="deadline-value">([^<]+)<', response.text)
    assert after and after.group(1) == "08:00 10/06/2027", response  # Wednesday is off now
    # The row written through A is listed by B's calendar page.
    assert "Nghỉ bù thử nghiệm" in browser.get(b, "/calendar/", year="2027").text

    # The public lookup's per-minute limit is counted across both servers.
    lookup = {"code": "STL-260105-0001", "digits": "4321"}
    for n in range(LOOKUP_LIMIT):
        response = browser.get((a, b)[n % 2], "/public/lookup/", **lookup)
        assert response.status == 200, (n, response)
        assert "STL-260105-0001" in response.text and "Result returned" in response.text, (n, response)
    for port in (a, b):
        response = browser.get(port, "/public/lookup/", **lookup)
        assert response.status == 429, response
        assert response.headers["Retry-After"] == "60"
        assert "Too many lookups from your address" in response.text

    # A catalogue import uploaded on B is run by the worker (the upload answers while it still runs or as soon as
    # it finished), and its result is read on A.
    form = browser.get(b, "/catalog/imports/new/")
    assert form.status == 200, form
    code = f"9.{uuid.uuid4().int % 10 ** 6:06d}"
    name = f"Thủ tục thử nghiệm hai tiến trình {code}"
    response = browser.post(b, "/catalog/imports/new/", {},
                            files={"file": ("catalog-two-processes.jsonl", _catalogue_file(code, name))})
    assert response.status == 302, response
    run_path = response.location
    assert re.fullmatch(r"/catalog/imports/\d+/", run_path), response
    deadline_at = time.monotonic() + 60
    while True:
        progress = browser.get(a, f"{run_path}progress/")
        assert progress.status == 200, progress
        status = re.search(r"<strong>([^<]+)</strong>", progress.text).group(1)
        if status != "Running" or time.monotonic() > deadline_at:
            break
        time.sleep(0.3)
    assert status == "Finished", progress
    assert re.search(r"<dt>created</dt><dd>1</dd>", progress.text), progress
    procedures = browser.get(a, "/catalog/procedures/", q=code)
    assert procedures.status == 200 and name in procedures.text, procedures
    # …run by the worker, not in the app process (tasks are not eager with a broker).
    worker_log = stack.celery_log.read_text(errors="replace")
    assert re.search(r"Task eiso\.catalog\.tasks\.import_catalog_task\[[-0-9a-f]+\] succeeded", worker_log), worker_log

    # Signed out on B: A no longer knows the session.
    response = browser.post(b, "/accounts/logout/", {})
    assert response.status == 302, response
    response = browser.get(a, "/")
    assert response.status == 302 and response.location == "/accounts/login/", response
