"""Structured logs: LOG_FORMAT=json gives one JSON object per line; each request is logged once with its id (the
proxy's X-Request-ID or a new one, echoed in the response), method, path, status, duration and user id — never the
query string; records logged while a request runs carry its id; the Celery worker logs in the same format."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eiso.core.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """What the root logger writes through the JSON formatter while the test runs, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


def _request_lines(lines, path):
    return [line for line in lines if line["logger"] == "eiso.request" and line["path"] == path]


def test_a_request_is_one_json_line_with_its_id_and_who_asked(client, world, json_log):
    user = world.users["iso_coordinator"]
    client.force_login(user)
    # when
    response = client.get("/documents/", headers={"X-Request-ID": "abc123def456-proxy"})
    # then
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc123def456-proxy"
    (line,) = _request_lines(json_log(), "/documents/")
    assert line["request_id"] == "abc123def456-proxy"
    assert (line["level"], line["method"], line["status"], line["user_id"]) == ("INFO", "GET", 200, user.pk)
    assert isinstance(line["duration_ms"], int | float) and line["duration_ms"] >= 0
    assert line["message"].startswith("GET /documents/ 200 ")
    assert line["time"].endswith("+00:00") and "T" in line["time"]


def test_a_request_without_a_usable_id_gets_a_new_one(client, json_log):
    first = client.get("/health/live/")
    forged = client.get("/health/live/", headers={"X-Request-ID": "bad id\nwith a newline"})
    ids = [first["X-Request-ID"], forged["X-Request-ID"]]
    assert all(len(value) == 32 and int(value, 16) >= 0 for value in ids) and ids[0] != ids[1]
    assert [line["request_id"] for line in _request_lines(json_log(), "/health/live/")] == ids


def test_the_public_lookup_logs_no_query_string_and_no_user(client, json_log):
    client.get("/public/lookup/", {"code": "SECRET-CODE-0042", "digits": "9876"})
    output = json.dumps(json_log(), ensure_ascii=False)
    (line,) = _request_lines(json_log(), "/public/lookup/")
    assert line["user_id"] is None and line["method"] == "GET"
    assert "SECRET-CODE-0042" not in output and "9876" not in output


def test_records_logged_during_a_request_carry_its_id_and_not_the_request(client, world, json_log):
    client.force_login(world.users["staff"])
    response = client.get("/documents/00000000-0000-0000-0000-000000000000/?code=0123456789")
    assert response.status_code == 404
    lines = json_log()
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == response["X-Request-ID"]
    assert "request" not in not_found[0]
    assert "0123456789" not in json.dumps(lines)


def test_records_outside_a_request_have_no_request_id(json_log):
    logging.getLogger("eiso.test").warning("Đã gửi %s nhắc việc", 3)
    (line,) = [line for line in json_log() if line["logger"] == "eiso.test"]
    assert line["message"] == "Đã gửi 3 nhắc việc" and line["level"] == "WARNING"
    assert "request_id" not in line


def test_health_probes_and_static_files_are_logged_at_debug_and_read_nothing(client, world, caplog):
    caplog.set_level(logging.DEBUG, logger="eiso.request")
    with CaptureQueriesContext(connection) as queries:
        client.get("/health/live/")
        client.get("/static/eiso/eiso.css")
    client.force_login(world.users["staff"])
    client.get("/documents/")
    records = [(r.path, r.levelno) for r in caplog.records if r.name == "eiso.request"]
    assert records == [("/health/live/", logging.DEBUG), ("/static/eiso/eiso.css", logging.DEBUG),
                       ("/documents/", logging.INFO)]
    assert len(queries) == 0  # the request line reads no session, no user


def test_an_error_keeps_its_traceback_in_the_json_line(json_log):
    try:
        raise ValueError("hỏng")
    except ValueError:
        logging.getLogger("eiso.test").exception("failed")
    (line,) = [line for line in json_log() if line["logger"] == "eiso.test"]
    assert line["level"] == "ERROR" and "ValueError: hỏng" in line["exc_info"]


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "eiso.settings", "EISO_DATA_DIR": str(tmp_path),
                   "EISO_SECRET_KEY": "x" * 60, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", **env}
    environment.pop("REDIS_URL", None)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_settings_switch_the_whole_process_to_json(tmp_path):
    result = _run("import django, logging; django.setup(); logging.getLogger('eiso.test').warning('xin chào')",
                  tmp_path, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stderr.splitlines()]
    assert {key: line[key] for key in ("level", "logger", "message")} == {
        "level": "WARNING", "logger": "eiso.test", "message": "xin chào"}
    assert set(line) == {"time", "level", "logger", "message"}


def test_text_is_the_default(tmp_path):
    result = _run("import django, logging; django.setup(); logging.getLogger('eiso.test').warning('xin chào')",
                  tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING eiso.test xin chào")


def test_an_unknown_log_format_is_refused(tmp_path):
    result = _run("import django; django.setup()", tmp_path, LOG_FORMAT="xml")
    assert result.returncode != 0 and "LOG_FORMAT must be text or json" in result.stderr


def test_the_celery_worker_logs_in_the_same_format(tmp_path):
    # what `celery -A eiso worker` does before it starts: set up logging (Celery would use its own format)
    code = (
        "from eiso.celery import app; import django; django.setup(); "
        "app.log.setup(loglevel='INFO'); "
        "import logging; logging.getLogger('celery.worker').info('worker ready'); "
        "from celery.utils.log import get_task_logger; get_task_logger('eiso.test').warning('task says')"
    )
    result = _run(code, tmp_path, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(text) for text in result.stderr.splitlines() if text.strip()]
    messages = {line["message"]: line for line in lines}
    assert messages["worker ready"]["logger"] == "celery.worker"
    assert messages["task says"]["level"] == "WARNING"
