"""`eiso check --deploy --fail-level WARNING` passes with the production environment of
deploy/env.production.example, and reports a weak one. Run in a fresh process, as an operator would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "deploy" / "env.production.example"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile and docker compose's env_file read them (no quotes used)."""
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.partition("=")
        assert separator and key == key.strip() and key.isidentifier(), f"not KEY=VALUE: {raw!r}"
        values[key] = value
    return values


def run_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    environment.update(read_env_file(ENV_FILE))
    # The example's secret is refused on purpose (see test_the_example_secret_key_is_refused); the paths are
    # the machine's, not this test's.
    environment.update({"EISO_SECRET_KEY": secrets.token_urlsafe(50), "EISO_DATA_DIR": str(tmp_path / "data"),
                        "EISO_STATIC_ROOT": str(tmp_path / "static")})
    environment.update(overrides)
    return subprocess.run([sys.executable, "-m", "eiso", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=180, check=False)


def test_the_example_production_environment_passes_with_no_warning(tmp_path):
    result = run_check(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues (0 silenced)." in output


def test_the_example_sets_what_production_needs():
    values = read_env_file(ENV_FILE)
    assert values["DEBUG"] == "false" and values["SECURE_SSL_REDIRECT"] == "true"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["DATABASE_URL"].startswith("postgres://") and values["REDIS_URL"].startswith("redis://")
    assert values["EISO_S3_BUCKET"] and values["LOG_FORMAT"] == "json"
    assert all(origin.startswith("https://") for origin in values["CSRF_TRUSTED_ORIGINS"].split(","))


def test_a_weak_production_environment_is_reported(tmp_path):
    result = run_check(tmp_path, EISO_SECRET_KEY="short-key", SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false",
                       SECURE_COOKIES="false")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "WARNINGS" in output
    for code in ("security.W009", "security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in output, code


def test_debug_on_in_production_is_reported(tmp_path):
    result = run_check(tmp_path, DEBUG="true")
    assert result.returncode != 0 and "security.W018" in result.stdout + result.stderr


def test_the_example_secret_key_is_refused(tmp_path):
    result = run_check(tmp_path, EISO_SECRET_KEY=read_env_file(ENV_FILE)["EISO_SECRET_KEY"])
    assert result.returncode != 0
    assert "EISO_SECRET_KEY is still the example's value" in result.stderr


def test_the_general_example_lists_the_deployment_settings():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for key in ("EISO_S3_BUCKET", "EISO_S3_ENDPOINT_URL", "EISO_S3_ACCESS_KEY_ID", "LOG_FORMAT", "EISO_STATIC_ROOT",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT"):
        assert key in text, key
