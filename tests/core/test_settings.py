"""Settings come from the environment: checked in a fresh interpreter per case."""

import json
import os
import subprocess
import sys

PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'broker': settings.CELERY_BROKER_URL, 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
    "'engine': settings.DATABASES['default']['ENGINE'], 'cache': settings.CACHES['default']['BACKEND'], "
    "'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE}))"
)


def _run(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "EISO_SECRET_KEY"}}
    clean.update(DJANGO_SETTINGS_MODULE="eiso.settings", EISO_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, cwd=tmp_path,
                          timeout=60)


def test_defaults_are_sqlite_and_in_process_tasks(tmp_path):
    result = _run(tmp_path, EISO_SECRET_KEY="k", PYTHONPATH=os.getcwd())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["cache"].endswith("LocMemCache")
    assert (values["tz"], values["lang"]) == ("Asia/Ho_Chi_Minh", "vi")


def test_redis_url_wires_celery_and_the_cache(tmp_path):
    result = _run(tmp_path, EISO_SECRET_KEY="k", REDIS_URL="redis://127.0.0.1:6379/3",
                  DATABASE_URL="postgres://u@127.0.0.1:5432/x", PYTHONPATH=os.getcwd())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["eager"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["cache"] == "django_redis.cache.RedisCache"


def test_secret_key_is_required_without_debug_and_generated_with_it(tmp_path):
    refused = _run(tmp_path, PYTHONPATH=os.getcwd())
    assert refused.returncode != 0
    assert "EISO_SECRET_KEY must be set" in refused.stderr
    generated = _run(tmp_path, DEBUG="true", PYTHONPATH=os.getcwd())
    assert generated.returncode == 0, generated.stderr
    assert (tmp_path / "secret_key").read_text().strip()
