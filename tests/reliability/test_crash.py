"""Crash safety of the app's writes: gunicorn (a master and 2 sync workers, production settings) on a database of
its own; four client threads receive dossiers at the desk through the API (POST /api/v1/dossiers/: in one
transaction the day's code counter, the dossier, its step, its receipt event, its monthly tally and its audit entry)
and note every acknowledged receipt (201 with its id and code). While they are still sending, the whole gunicorn
process group (master and workers) is killed with SIGKILL. Then gunicorn is started again on the same database and
the test checks that every acknowledged dossier is there with its code (read back through the restarted server),
that at most one unacknowledged receipt per client (the one in flight) was committed, and that nothing is
half-written: every dossier has its first step started, exactly one receipt event and one audit entry, no audit
entry names a missing dossier, the day's counter equals the codes given (1..last, no gap, no repeat) and the
monthly tallies equal what tallies_rebuild() computes from the dossiers.

Two variants: PostgreSQL (runs when DATABASE_URL is PostgreSQL, the PostgreSQL pass of scripts/test.sh; it creates
and drops its own database eiso_crash_<random>) and SQLite (the commune default: a file database in WAL mode in a
temporary directory; runs in the SQLite pass). No Redis: without REDIS_URL the app uses its local-memory cache
and runs tasks eagerly. Each variant takes about 15–40 s.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.deployment.live import free_ports, postgres_url, print_logs, server, write_settings

CLIENTS = 4
KILL_AFTER_ACKS = 40  # receipts acknowledged before the kill (or KILL_AFTER_SECONDS, whichever comes first)
KILL_AFTER_SECONDS = 8.0

SETUP = """
from eiso.accounts.models import User
from eiso.accounts.services import api_token_create
from eiso.catalog.choices import DurationUnit
from eiso.catalog.models import Procedure, ProcedureCase
from eiso.core.permissions import Role
from eiso.organizations.models import RoleAssignment
from tests.factories import AgencyFactory

agency = AgencyFactory(code="CRASH", name="Ủy ban nhân dân xã Thử Sập Nguồn")
desk = User.objects.create_superuser(username="desk", email="", password="a-Strong-test-password-1",
                                     full_name="Cán Bộ Một Cửa")
RoleAssignment.objects.create(user=desk, agency=agency, role=Role.ISO_COORDINATOR)
procedure = Procedure.objects.create(code="1.000001", name="Thủ tục đăng ký kết hôn")
ProcedureCase.objects.create(procedure=procedure, code="1.000001.01", name="Đăng ký kết hôn", duration=5,
                             duration_unit=DurationUnit.WORKING_DAY)
_token, raw = api_token_create(user=desk, name="crash test")
print(agency.pk, raw)
"""

# Run after the restart, in a subprocess on the same database: the problems found (none expected) as JSON.
CHECK = """
import json
from collections import Counter
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from eiso.core.models import AuditLogEntry
from eiso.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStep, DossierTally
from eiso.dossiers.tallies import tallies_rebuild

acknowledged = json.loads(ACKNOWLEDGED)
problems = []
dossiers = {str(d.pk): d for d in Dossier.objects.all()}
for pk, code in acknowledged.items():
    if pk not in dossiers:
        problems.append(f"acknowledged dossier {code} ({pk}) is missing")
    elif dossiers[pk].code != code:
        problems.append(f"acknowledged dossier {pk} has code {dossiers[pk].code}, not {code}")
kind = ContentType.objects.get_for_model(Dossier)
audited = Counter(AuditLogEntry.objects.filter(content_type=kind, action="create").values_list("object_id", flat=True))
steps = Counter(str(pk) for pk in DossierStep.objects.values_list("dossier_id", flat=True))
started = {str(pk) for pk in DossierStep.objects.filter(order=1, started_at__isnull=False, assignee__isnull=False)
           .values_list("dossier_id", flat=True)}
receipts = Counter(str(pk) for pk in DossierEvent.objects.filter(action="receive").values_list("dossier_id", flat=True))
for pk, dossier in dossiers.items():
    if not dossier.code or dossier.due_at is None or dossier.counted_from is None:
        problems.append(f"dossier {pk} has no code, counted-from or due moment")
    if steps[pk] < 1 or pk not in started:
        problems.append(f"dossier {dossier.code} has {steps[pk]} steps, its first not started")
    if receipts[pk] != 1:
        problems.append(f"dossier {dossier.code} has {receipts[pk]} receipt events")
    if audited[pk] != 1:
        problems.append(f"dossier {dossier.code} has {audited[pk]} creation audit entries")
for object_id in AuditLogEntry.objects.filter(content_type=kind).values_list("object_id", flat=True):
    if object_id not in dossiers:
        problems.append(f"audit entry for a dossier that does not exist: {object_id}")
for counter in DossierCounter.objects.all():
    codes = [d.code for d in dossiers.values() if d.agency_id == counter.agency_id
             and timezone.localtime(d.received_at).date() == counter.day]
    sequence = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    if sequence != list(range(1, counter.last + 1)):
        problems.append(f"counter of {counter.day} is at {counter.last}, the codes given are {sequence}")
fields = [f.attname for f in DossierTally._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
def tallies():
    return sorted((tuple(str(v) for v in row) for row in DossierTally.objects.values_list(*fields)))
kept = tallies()
tallies_rebuild()
if tallies() != kept:
    problems.append(f"tallies kept {kept} differ from the rebuilt {tallies()}")
print(json.dumps({"dossiers": len(dossiers), "counters": DossierCounter.objects.count(), "problems": problems}))
"""


class Burst:
    """CLIENTS threads receiving dossiers until the server stops answering; acknowledged = {id: code}."""

    def __init__(self, port: int, agency: str, token: str):
        self.port, self.agency, self.token = port, agency, token
        self.acknowledged: dict[str, str] = {}
        self.refused: list[str] = []  # answers other than 201 while the server was up (none expected)
        self.failed = 0  # requests without an answer: the ones in flight at the kill
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(CLIENTS)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)
            assert not thread.is_alive(), "a client thread still runs a minute after the kill"

    def _run(self, client: int) -> None:
        for n in range(10_000):
            body = json.dumps({"agency": self.agency, "procedure": "1.000001", "channel": "direct",
                               "applicant": {"name": f"Người nộp {client}-{n}", "phone": "0987654321"}}).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/dossiers/", data=body, method="POST",
                headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, answer = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, answer = error.code, error.read()
            except OSError:  # connection refused or reset, or the answer cut: the server is gone
                with self.lock:
                    self.failed += 1
                return
            with self.lock:
                if status == 201:
                    dossier = json.loads(answer)
                    self.acknowledged[dossier["id"]] = dossier["code"]
                else:
                    self.refused.append(f"{status} {answer[:300].decode(errors='replace')}")
                    return


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def _kill_group(process) -> list[int]:
    """SIGKILL gunicorn's master and workers (one process group: started in a session of their own); their pids."""
    pids = [process.pid, *server.children(process.pid)]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=15)
    server.stop(process)  # closes its log
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return pids


def _database(variant: str, work: Path):
    """(DATABASE_URL for the app, cleanup) for the variant, or skip."""
    configured = os.environ.get("DATABASE_URL", "")
    if variant == "postgresql":
        base = postgres_url("the PostgreSQL crash test")
        name = f"eiso_crash_{uuid.uuid4().hex[:10]}"
        url = server.create_database(base, name)
        return url, lambda: server.drop_database(base, name)
    if configured.startswith(("postgres://", "postgresql://")):
        pytest.skip("the SQLite crash test runs in the SQLite pass of scripts/test.sh (DATABASE_URL is PostgreSQL)")
    return f"sqlite:///{work / 'data' / 'eiso.sqlite3'}", lambda: None


@pytest.mark.parametrize("variant", ["postgresql", "sqlite"])
def test_sigkill_during_a_burst_of_receipts_loses_no_acknowledged_write_and_leaves_none_half_written(variant):
    work = Path(tempfile.mkdtemp(prefix=f"eiso-crash-{variant}-"))
    process = None
    cleanup = lambda: None  # noqa: E731
    try:
        database, cleanup = _database(variant, work)
        (work / "data").mkdir(exist_ok=True)
        settings_module = write_settings(work, "crash_settings")
        env = server.app_env(database=database, redis="", media_root=work / "media",
                             DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(work))
        server.eiso(["migrate", "--verbosity", "0"], env, timeout=300)
        agency, token = server.python(SETUP, env).split()
        (port,) = free_ports(1)

        process = server.start_gunicorn(env, port=port, workers=2, log=work / "gunicorn-before.log")
        assert server.wait_ready(port, process, timeout=90)["checks"]["database"] == "ok"
        burst = Burst(port, agency, token)
        started = time.monotonic()
        burst.start()
        while len(burst.acknowledged) < KILL_AFTER_ACKS and time.monotonic() - started < KILL_AFTER_SECONDS:
            time.sleep(0.01)
        assert burst.threads[0].is_alive(), "the burst ended before the kill"
        pids = _kill_group(process)  # mid-burst: the clients are still sending
        assert not [pid for pid in pids if _alive(pid)], f"gunicorn processes survived SIGKILL: {pids}"
        burst.join()
        assert not burst.refused, burst.refused[:5]
        acknowledged = dict(burst.acknowledged)
        assert len(acknowledged) >= 5, f"only {len(acknowledged)} receipts acknowledged before the kill"
        assert burst.failed == CLIENTS  # every client was cut off by the kill, none had stopped before

        # Restarted on the same database: every acknowledged dossier is served, with its code.
        process = server.start_gunicorn(env, port=port, workers=2, log=work / "gunicorn-after.log")
        assert server.wait_ready(port, process, timeout=90)["checks"]["database"] == "ok"
        for pk, code in acknowledged.items():
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/dossiers/{pk}/",
                                             headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                dossier = json.loads(response.read())
            assert (dossier["code"], dossier["status"]) == (code, "in_progress"), dossier

        # Nothing half-written, and nothing beyond what the clients sent: at most the one receipt each client had
        # in flight at the kill was committed without its answer.
        report = json.loads(server.python(CHECK.replace("ACKNOWLEDGED", repr(json.dumps(acknowledged))), env))
        assert report["problems"] == [], report["problems"][:10]
        assert len(acknowledged) <= report["dossiers"] <= len(acknowledged) + CLIENTS, (report, len(acknowledged))
        assert report["counters"] >= 1
        print(f"{variant}: {len(acknowledged)} receipts acknowledged before SIGKILL, {report['dossiers']} "
              f"dossiers after the restart")
    finally:
        print_logs(work)  # pytest shows this output when the test failed
        server.stop(process)
        try:
            cleanup()
        finally:
            shutil.rmtree(work, ignore_errors=True)
