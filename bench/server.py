"""Starting eISO's real processes for the HTTP benchmarks (and the two-process deployment test): a dedicated
PostgreSQL database, `eiso` commands, gunicorn app servers and a Celery worker, all on loopback, all given their
configuration by environment variables as in production (DEBUG off, Redis for cache and broker).

Standard library and psycopg only: nothing here imports Django, so the processes started are the only ones that
load the project.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's bin/, where gunicorn, celery and eiso are installed
SECRET_KEY = "bench-and-deployment-test-key-not-for-production-0123456789abcdef"


# --- PostgreSQL ----------------------------------------------------------------------------------------------

def _server_connect(url: str):
    import psycopg

    u = urlparse(url)
    return psycopg.connect(host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                           password=u.password or None, dbname="postgres", connect_timeout=3, autocommit=True)


def postgres_answers(url: str) -> bool:
    try:
        _server_connect(url).close()
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False
    return True


def database_url(url: str, name: str) -> str:
    """`url` (any database on the server) pointing to the database `name`."""
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def database_exists(url: str, name: str) -> bool:
    with _server_connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def create_database(url: str, name: str) -> str:
    """Create the empty database `name` on `url`'s server (dropped first if it exists); its URL."""
    from psycopg import sql

    with _server_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(url, name)


def drop_database(url: str, name: str) -> None:
    from psycopg import sql

    with _server_connect(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def query(url: str, statement: str, params=()) -> list[tuple]:
    """Rows of one read-only statement on the database `url` points to."""
    import psycopg

    u = urlparse(url)
    with psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                         password=u.password or None, dbname=u.path.lstrip("/"), connect_timeout=3) as conn:
        return conn.execute(statement, params).fetchall()


# --- Redis ---------------------------------------------------------------------------------------------------

def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis_client(url).ping())
    except Exception:  # noqa: BLE001
        return False


def redis_flush(url: str) -> None:
    redis_client(url).flushdb()


# --- Processes -----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(*, database: str, redis: str, media_root: Path | str, **extra: str) -> dict[str, str]:
    """The environment of every process of one deployment: production settings (DEBUG off, secret key given,
    Redis for the cache and the Celery broker, so tasks are not eager), plain HTTP on loopback."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("EISO_", "DJANGO_", "PYTEST_", "DEBUG", "DATABASE_URL", "REDIS_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "eiso.settings",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DEBUG": "false",
        "EISO_SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_COOKIES": "false",
        "EISO_MEDIA_ROOT": str(media_root),
        "EISO_DATA_DIR": str(Path(media_root).parent / "data"),
        "EISO_STATIC_ROOT": str(Path(media_root).parent / "static"),  # filled by `eiso collectstatic`
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def eiso(args: list[str], env: dict, *, timeout: float = 600, input_text: str | None = None) -> str:
    """Run `eiso <args>` in a subprocess; its standard output. Raises with the output when it fails."""
    result = subprocess.run([str(BIN / "eiso"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout, input=input_text)
    if result.returncode != 0:
        raise RuntimeError(f"eiso {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def python(code: str, env: dict, *, timeout: float = 300) -> str:
    """Run Python `code` with Django set up (the project on the path); its standard output."""
    prelude = "import django\ndjango.setup()\n"
    result = subprocess.run([str(BIN / "python"), "-c", prelude + code], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"python snippet failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _spawn(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - kept open by the child; closed with the process in stop()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    process._eiso_log = handle  # type: ignore[attr-defined]
    return process


def start_gunicorn(env: dict, *, port: int, log: Path, workers: int = 2, worker_class: str = "sync",
                   threads: int = 1, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "eiso.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--worker-class", worker_class, "--timeout", "120", "--graceful-timeout", "5", *extra]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    return _spawn(command, env, log)


def start_celery(env: dict, *, log: Path) -> subprocess.Popen:
    env = {**env, "LOG_LEVEL": "INFO"}  # the root logger's level (settings.LOGGING): wait_celery_ready reads INFO
    return _spawn([str(BIN / "celery"), "-A", "eiso", "worker", "--pool", "solo", "--loglevel", "INFO",
                   "--without-gossip", "--without-mingle", "--without-heartbeat"], env, log)


def get(port: int, path: str, *, timeout: float = 10, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, process: subprocess.Popen, *, timeout: float = 60) -> dict:
    """Poll /health/ready/ until it answers 200; its JSON. Raises when the process died or time ran out."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with status {process.returncode}")
        try:
            status, body = get(port, "/health/ready/", timeout=5)
        except OSError as error:
            last = repr(error)
        else:
            if status == 200:
                return json.loads(body)
            last = f"{status} {body[:200]!r}"
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} was not ready after {timeout:.0f} s: {last}")


def wait_celery_ready(process: subprocess.Popen, log: Path, *, timeout: float = 60) -> None:
    """Wait until the worker logged that it is ready (it then consumes the queue)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with status {process.returncode}:\n{log.read_text()}")
        if "ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"the Celery worker was not ready after {timeout:.0f} s:\n{log.read_text()}")


def stop(process: subprocess.Popen | None, *, timeout: float = 15) -> None:
    """Terminate a process started here and its children (its own session), then close its log."""
    if process is None:
        return
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=timeout)
    log = getattr(process, "_eiso_log", None)
    if log is not None:
        log.close()


# --- /proc ---------------------------------------------------------------------------------------------------

def children(pid: int) -> list[int]:
    """The direct children of `pid` (gunicorn's workers under its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may contain spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid: int) -> int:
    """Resident set size of `pid` in KiB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def load_average() -> str:
    one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return f"{one} {five} {fifteen}"


# --- The benchmarks' database and requests (bench/http_load.py, bench/memory.py) ------------------------------

BENCH_DATABASE = "helper_c_http"
DEMO_COORDINATOR = "coordinator"  # load_demo's ISO coordinator of the demo commune
DEMO_PASSWORD = "eiso-demo-2026"  # load_demo's password (settings EISO DEMO_PASSWORD, unless overridden)

API_USER = """
from eiso.accounts.models import User
from eiso.accounts.services import api_token_create
from eiso.core.permissions import Role
from eiso.organizations.models import Agency, RoleAssignment

agency = Agency.objects.filter(code__startswith="SYN-").order_by("code").first()
user, _ = User.objects.get_or_create(username="bench.api", defaults={"full_name": "Bench API"})
RoleAssignment.objects.get_or_create(user=user, agency=agency, role=Role.ISO_COORDINATOR)
print(api_token_create(user=user, name="bench")[1])
"""


def bench_database(base_url: str, name: str, *, redis: str, dossiers: int, agencies: int, reuse: bool, work: Path,
                   say=print, **extra_env: str) -> tuple[str, dict]:
    """The benchmarks' database `name` (URL, environment): created, migrated and filled unless `reuse` and it was
    already filled (the demo province, then `dossiers` synthetic dossiers in `agencies` People's Committees of
    another province), with its static files collected into `work`/static."""
    url = database_url(base_url, name)
    env = app_env(database=url, redis=redis, media_root=work / "media", **extra_env)
    filled = False
    if reuse and database_exists(base_url, name):
        try:
            filled = query(url, "SELECT count(*) FROM dossiers_dossier")[0][0] >= dossiers
        except Exception:  # noqa: BLE001 - not migrated
            filled = False
    if not filled:
        create_database(base_url, name)
        steps = (["migrate", "--verbosity", "0"], ["load_admin_units"], ["seed_holidays"], ["load_demo"],
                 ["generate_dossiers", "--agencies", str(agencies), "--dossiers", str(dossiers), "--seed", "2026",
                  "--verbosity", "0"])
        for args in steps:
            started = time.perf_counter()
            eiso(args, env, timeout=7200)
            say(f"  eiso {' '.join(args)}: {time.perf_counter() - started:.0f} s")
        query_autocommit(url, "VACUUM ANALYZE")  # as autovacuum would do after a bulk load
    else:
        say(f"  reusing the filled database {name}")
    if not filled or not (work / "static" / "staticfiles.json").exists():  # --reuse: keep the collected files
        started = time.perf_counter()
        eiso(["collectstatic", "--noinput", "--verbosity", "0"], env, timeout=1800)
        say(f"  eiso collectstatic: {time.perf_counter() - started:.0f} s")
    return url, env


BENCH_WORK = ROOT / "var" / "bench_http"  # the benchmarks' media, static files and server logs


def add_database_arguments(parser) -> None:
    """The options the HTTP and memory benchmarks share: the database they build and the services they use."""
    parser.add_argument("--dossiers", type=int, default=500_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default=BENCH_DATABASE)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--reuse", action="store_true", help="reuse the database when already filled")
    parser.add_argument("--keep", action="store_true", help="keep the database (for --reuse next time)")


def say(text: str) -> None:
    print(text, flush=True)


def open_bench_database(args) -> tuple[str, dict]:
    """Check the services, print the machine, and build (or reuse) the benchmarks' database for `args` (see
    add_database_arguments): (URL, the app processes' environment). Exits when PostgreSQL or Redis do not answer."""
    if not postgres_answers(args.postgres) or not redis_answers(args.redis):
        sys.exit(f"PostgreSQL ({args.postgres}) and Redis ({args.redis}) must answer.")
    work = BENCH_WORK
    (work / "media").mkdir(parents=True, exist_ok=True)
    say(f"machine: {os.cpu_count()} CPUs; load average {load_average()}")
    say(f"preparing the database {args.database} ({args.dossiers:,} synthetic dossiers)")
    return bench_database(args.postgres, args.database, redis=args.redis, dossiers=args.dossiers,
                          agencies=args.agencies, reuse=args.reuse, work=work, say=say,
                          EISO_DOSSIER_LOOKUP_PER_MINUTE="1000000000")


def close_bench_database(args, process) -> None:
    """The end of a benchmark built by open_bench_database: the server stopped, Redis flushed, the database dropped
    unless --keep."""
    stop(process)
    redis_flush(args.redis)
    if not args.keep:
        drop_database(args.postgres, args.database)


def query_autocommit(url: str, statement: str) -> None:
    import psycopg

    u = urlparse(url)
    with psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username or "postgres",
                         password=u.password or None, dbname=u.path.lstrip("/"), autocommit=True) as conn:
        conn.execute(statement)


def lookup_paths(url: str, count: int) -> list[str]:
    """Public lookup requests of `count` random synthetic dossiers, with their real second factor (the last 4
    digits of the applicant's phone, else of the ID number)."""
    from urllib.parse import urlencode

    rows = query(url, "SELECT code, applicant_phone, applicant_id_number FROM dossiers_dossier "
                      "WHERE code LIKE 'SYN-%%' ORDER BY random() LIMIT %s", [count])
    paths = []
    for code, phone, id_number in rows:
        digits = "".join(ch for ch in (phone or id_number or "") if ch.isdigit())[-4:]
        paths.append(f"/public/lookup/?{urlencode({'code': code, 'digits': digits})}")
    return paths


def login(port: int, username: str, password: str) -> str:
    """Sign in through the login form; the session cookie's value."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password,
                                   "next": "/"}).encode()
    opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/", data=data), timeout=30).read()
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if not session:
        raise RuntimeError(f"could not sign in as {username}")
    return session


def bench_targets(port: int, url: str, env: dict, *, lookups: int = 5000) -> dict:
    """What the benchmarks request: name -> {"paths": [...], "headers": {...}}, each checked once here (200 and
    the expected content), so that a benchmark never measures error pages."""
    session = login(port, DEMO_COORDINATOR, env.get("EISO_DEMO_PASSWORD", DEMO_PASSWORD))
    token = python(API_USER, env).strip().splitlines()[-1]
    targets = {
        "bare /health/live/": {"paths": ["/health/live/"], "headers": {}, "expect": b'"status": "ok"'},
        "public dossier lookup": {"paths": lookup_paths(url, lookups), "headers": {}, "expect": b"lookup-history"},
        "agency dashboard (home)": {"paths": ["/"], "headers": {"Cookie": f"sessionid={session}"},
                                    "expect": b'class="who"'},
        "API list /api/v1/dossiers/": {"paths": ["/api/v1/dossiers/"],
                                       "headers": {"Authorization": f"Bearer {token}"}, "expect": b'"results"'},
    }
    for name, target in targets.items():
        for path in target["paths"][:20]:
            status, body = get(port, path, headers=target["headers"], timeout=60)
            if status != 200 or target["expect"] not in body:
                raise RuntimeError(f"{name}: {path} answered {status}, without {target['expect']!r}: {body[:500]!r}")
    return targets
