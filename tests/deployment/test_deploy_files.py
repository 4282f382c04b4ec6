"""The deployment files hold together: what docker-compose.yml, the Dockerfile and the systemd units run exists
(console scripts, management commands, the gunicorn config, the Celery app and its scheduled tasks), the variables
they set are the ones the settings read, the probes hit real URLs, and nginx's limits match the app's.
Images cannot be pulled here, so the compose file is checked by reading it, and gunicorn is started for real."""

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
APP_SERVICES = ("migrate", "web", "worker", "beat")
# Where each env file of the compose file comes from.
ENV_EXAMPLES = {"deploy/eiso.env": DEPLOY / "env.production.example",
                "deploy/services.env": DEPLOY / "services.env.example"}
UNITS = {name: DEPLOY / "systemd" / f"{name}.service" for name in ("eiso-web", "eiso-worker", "eiso-beat")}
# Read by the images of PostgreSQL and MinIO, not by eISO.
SERVICE_VARIABLES = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}
# Read by Python, Django or the image itself.
PLATFORM_VARIABLES = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "DJANGO_SETTINGS_MODULE",
                      "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK"}


def variables_read_by_eiso() -> set[str]:
    settings_text = (ROOT / "eiso" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env\.(?:str|bool|int|list|db_url|email_url)\(\s*"([A-Z][A-Z0-9_]+)"', settings_text))
    gunicorn_text = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    names |= set(re.findall(r'(?:os\.environ\.get|_int)\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn_text))
    return names


def env_file_names(path: Path, *, commented: bool = False) -> set[str]:
    pattern = r"^#?\s?([A-Z][A-Z0-9_]+)=" if commented else r"^([A-Z][A-Z0-9_]+)="
    return set(re.findall(pattern, path.read_text(encoding="utf-8"), flags=re.MULTILINE))


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#"))
    return dict(pairs)


def unit_file(path: Path) -> dict[str, list[str]]:
    """Key → values (systemd allows a key more than once), sections ignored."""
    values: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def service_command(name: str) -> list[str]:
    command = COMPOSE["services"][name]["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app_environment(tmp_path):
    """The production example's environment, on this machine: SQLite in tmp_path, no Redis, plain HTTP."""
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8",
                   "PYTHONDONTWRITEBYTECODE": "1"}  # no deploy/__pycache__ from loading the gunicorn config
    environment.update(read_env_file(DEPLOY / "env.production.example"))
    environment.update({
        "EISO_SECRET_KEY": "k" * 20 + "deploy-files-test-0123456789-abcdefghijklmnop",
        "EISO_DATA_DIR": str(tmp_path / "data"), "EISO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/eiso.sqlite3", "REDIS_URL": "", "SECURE_SSL_REDIRECT": "false",
    })
    return environment


# --- docker compose ------------------------------------------------------------------------------------------

def test_compose_has_every_part_of_the_production_shape():
    services = COMPOSE["services"]
    assert {"db", "redis", "minio", "storage-setup", *APP_SERVICES} <= set(services)
    assert services["db"]["image"].startswith("postgres:") and services["redis"]["image"].startswith("redis:")
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == "eiso:latest" and service["build"] == "."
        assert service["env_file"] == "deploy/eiso.env", name  # never the services' passwords
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["storage-setup"]["condition"] == "service_completed_successfully"
        if name != "migrate":
            assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert services["migrate"]["restart"] == "no"


def test_the_web_probe_asks_for_readiness_with_an_allowed_host():
    probe = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    url = re.search(r"http://([\d.]+):(\d+)(/health/ready/)", probe)
    assert url, probe
    host, port, path = url.groups()
    assert resolve(path).func.__name__ == "ready" and resolve("/health/live/").func.__name__ == "live"
    assert host in read_env_file(DEPLOY / "env.production.example")["ALLOWED_HOSTS"].split(",")
    assert COMPOSE["services"]["web"]["ports"] == [f"127.0.0.1:{port}:{port}"]
    image_bind = re.search(r"GUNICORN_BIND=([\d.]+):(\d+)", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert image_bind.groups() == ("0.0.0.0", port)


def test_the_env_files_of_compose_have_examples_and_their_variables_are_read():
    known = variables_read_by_eiso()
    for name, service in COMPOSE["services"].items():
        files = service.get("env_file", [])
        for env_file in [files] if isinstance(files, str) else files:
            assert env_file in ENV_EXAMPLES, (name, env_file)
            assert ENV_EXAMPLES[env_file].is_file()
            assert env_file in (ROOT / ".gitignore").read_text(), f"{env_file} holds secrets: keep it out of git"
    assert env_file_names(DEPLOY / "services.env.example") == SERVICE_VARIABLES
    unknown = env_file_names(DEPLOY / "env.production.example", commented=True) - known
    assert not unknown, f"set in env.production.example but read by nothing: {unknown}"
    # what the storage-setup script uses comes from the two files
    script = "\n".join(COMPOSE["services"]["storage-setup"]["command"])
    used = set(re.findall(r"\$\$\{?([A-Z][A-Z0-9_]+)", script))
    assert used and used <= SERVICE_VARIABLES | env_file_names(DEPLOY / "env.production.example")


def test_the_general_example_names_only_variables_that_are_read():
    unknown = env_file_names(ROOT / ".env.example", commented=True) - variables_read_by_eiso()
    assert not unknown, unknown


def test_every_command_of_compose_exists():
    from django.core.management import get_commands

    commands = get_commands()
    for name in APP_SERVICES:
        argv = service_command(name)
        if argv[:2] == ["sh", "-c"]:
            steps = [shlex.split(step) for step in argv[2].split("&&")]
        else:
            steps = [argv]
        for step in steps:
            assert (VENV_BIN / step[0]).is_file(), step  # a console script of the installed package
            if step[0] == "eiso":
                assert step[1] in commands, step
            if step[0] == "celery":
                assert step[1:3] == ["-A", "eiso"] and step[3] in ("worker", "beat"), step
            if step[0] == "gunicorn":
                assert step[1:] == ["-c", "/opt/eiso/gunicorn.conf.py"]


# --- Dockerfile ----------------------------------------------------------------------------------------------

def test_the_image_is_built_as_the_compose_file_expects():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE) == ["python:3.11-slim", "python:3.11-slim"]
    assert "COPY deploy/gunicorn.conf.py /opt/eiso/gunicorn.conf.py" in dockerfile
    assert "collectstatic --noinput" in dockerfile and "EISO_STATIC_ROOT=/opt/eiso/static" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-liberation"):
        assert library in dockerfile  # WeasyPrint's PDFs
    names = set(re.findall(r"^\s*(?:ENV )?([A-Z][A-Z0-9_]+)=", dockerfile, flags=re.MULTILINE))
    image_env = names - {"EISO_SECRET_KEY", "DATABASE_URL"}  # those two only for collectstatic at build time
    assert {"EISO_STATIC_ROOT", "GUNICORN_BIND"} <= image_env <= variables_read_by_eiso() | PLATFORM_VARIABLES
    # env_file wins over the image's ENV: the production example must leave the image's layout alone
    assert not (image_env & env_file_names(DEPLOY / "env.production.example")), "overrides the image's ENV"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "var", ".env", "deploy/*.env"} <= set(ignored)
    assert not {"eiso", "pyproject.toml", "README.md", "deploy"} & set(ignored)


# --- the Celery app --------------------------------------------------------------------------------------------

def test_the_celery_app_knows_every_scheduled_task():
    from eiso.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled and scheduled <= set(app.tasks)
    assert "eiso.catalog.tasks.import_catalog_task" in app.tasks


def test_celery_finds_the_app_from_the_command_line(app_environment, tmp_path):
    result = subprocess.run([str(VENV_BIN / "celery"), "-A", "eiso", "report"], cwd=tmp_path, env=app_environment,
                            capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    assert "eiso" in result.stdout


# --- gunicorn --------------------------------------------------------------------------------------------------

def load_gunicorn_config(monkeypatch, **environment) -> dict:
    for key in ("GUNICORN_WORKERS", "GUNICORN_ACCESS_LOG", "GUNICORN_MAX_REQUESTS", "GUNICORN_THREADS", "LOG_FORMAT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    namespace: dict = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_gunicorn_config_reads_the_environment(monkeypatch):
    default = load_gunicorn_config(monkeypatch)
    assert default["wsgi_app"] == "eiso.wsgi:application" and default["accesslog"] == "-"
    assert 1 <= default["workers"] <= 8 and default["worker_class"] == "sync"
    assert default["max_requests"] == 1000 and 0 < default["max_requests_jitter"] < 1000
    assert default["timeout"] >= 30 and "logconfig_dict" not in default
    assert "%(q)s" not in default["access_log_format"] and "%(r)s" not in default["access_log_format"]
    tuned = load_gunicorn_config(monkeypatch, GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_ACCESS_LOG="",
                                 LOG_FORMAT="json")
    assert (tuned["workers"], tuned["worker_class"], tuned["accesslog"]) == (3, "gthread", None)
    assert tuned["logconfig_dict"]["formatters"]["json"]["()"] == "eiso.core.logging.JsonFormatter"


def test_gunicorn_serves_the_app_with_this_config_and_logs_json(app_environment, tmp_path):
    port = free_port()
    app_environment.update({"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "LOG_FORMAT": "json",
                            "ALLOWED_HOSTS": "127.0.0.1"})
    gunicorn = [str(VENV_BIN / "gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py")]
    check = subprocess.run([*gunicorn, "--check-config"], cwd=tmp_path, env=app_environment, capture_output=True,
                           text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stderr
    out, err = (tmp_path / "stdout").open("w+"), (tmp_path / "stderr").open("w+")
    server = subprocess.Popen(gunicorn, cwd=tmp_path, env=app_environment, stdout=out, stderr=err)
    try:
        live = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and live is None:
            try:
                live = urllib.request.urlopen(urllib.request.Request(  # noqa: S310 - loopback
                    f"http://127.0.0.1:{port}/health/live/?code=SECRET-0042",
                    headers={"X-Request-ID": "deploy-files-probe-1"}), timeout=5)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        assert live is not None and live.status == 200
        assert live.headers["X-Request-ID"] == "deploy-files-probe-1"
        with pytest.raises(urllib.error.HTTPError) as not_ready:  # no migrations in this empty database
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready/", timeout=10)  # noqa: S310
        assert not_ready.value.code == 503
    finally:
        server.terminate()
        server.wait(timeout=30)
    import json

    out.seek(0)
    access = [json.loads(line) for line in out.read().splitlines() if line.strip()]
    probe = [line for line in access if "deploy-files-probe-1" in line["message"]]
    assert probe and probe[0]["logger"] == "gunicorn.access"
    assert probe[0]["message"].startswith("GET /health/live/ 200 ")
    assert "SECRET-0042" not in json.dumps(access)
    err.seek(0)
    assert all(line.startswith("{") for line in err.read().splitlines() if line.strip())


# --- systemd ---------------------------------------------------------------------------------------------------

def test_the_systemd_units_run_existing_commands_as_the_eiso_user():
    from django.core.management import get_commands

    for name, path in UNITS.items():
        unit = unit_file(path)
        assert unit["User"] == ["eiso"] and unit["EnvironmentFile"] == ["/etc/eiso/eiso.env"], name
        assert unit["StateDirectory"] == ["eiso"] and unit["WorkingDirectory"] == ["/var/lib/eiso"]
        assert unit["Restart"] == ["on-failure"] and unit["WantedBy"] == ["multi-user.target"]
        assert unit["Environment"] == ["EISO_DATA_DIR=/var/lib/eiso EISO_STATIC_ROOT=/opt/eiso/static"]
        (exec_start,) = unit["ExecStart"]
        argv = shlex.split(exec_start)
        program = Path(argv[0])
        assert program.parent == Path("/opt/eiso/venv/bin") and (VENV_BIN / program.name).is_file(), exec_start
        if program.name == "gunicorn":
            assert argv[1:] == ["-c", "/opt/eiso/src/deploy/gunicorn.conf.py"]
            assert unit["Type"] == ["notify"]
        else:
            assert argv[1:4] == ["-A", "eiso", {"eiso-worker": "worker", "eiso-beat": "beat"}[name]]
    assert "--schedule /var/lib/eiso/" in unit_file(UNITS["eiso-beat"])["ExecStart"][0]
    manage = (DEPLOY / "systemd" / "eiso-manage").read_text()
    assert os.access(DEPLOY / "systemd" / "eiso-manage", os.X_OK) and "/opt/eiso/venv/bin/eiso" in manage
    assert {"migrate", "collectstatic", "check"} <= set(get_commands())


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    # The paths of the target machine, mapped onto this checkout so that systemd can check the programs exist.
    for path in UNITS.values():
        text = (path.read_text().replace("/opt/eiso/venv/bin", str(VENV_BIN)).replace("/opt/eiso/src", str(ROOT))
                .replace("/etc/eiso/eiso.env", str(DEPLOY / "env.production.example")))
        (tmp_path / path.name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


# --- nginx -----------------------------------------------------------------------------------------------------

def test_nginx_matches_the_app():
    from eiso.catalog.services import MAX_UPLOAD_BYTES

    conf = (DEPLOY / "nginx" / "eiso.conf").read_text(encoding="utf-8")
    code = re.sub(r"#.*", "", conf)
    assert code.count("{") == code.count("}")
    limits = [int(value) for value in re.findall(r"client_max_body_size (\d+)m;", code)]
    general, *uploads = limits
    assert general > settings.EISO["ATTACHMENT_MAX_MB"]
    assert uploads and all(limit > MAX_UPLOAD_BYTES // (1024 * 1024) for limit in uploads)
    for path in re.findall(r"location = (\S+) \{\s*client_max_body_size", code):
        resolve(path)  # the large-upload locations are real pages
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in code
    assert "proxy_set_header X-Request-ID      $request_id;" in code
    assert "alias /opt/eiso/static/;" in code
    timeout = int(re.search(r"proxy_read_timeout (\d+)s;", code).group(1))
    assert timeout > int(read_env_file(DEPLOY / "env.production.example")["GUNICORN_TIMEOUT"])
