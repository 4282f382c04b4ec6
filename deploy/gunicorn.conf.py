"""Gunicorn settings for eISO: `gunicorn -c deploy/gunicorn.conf.py eiso.wsgi`.

Everything can be changed from the environment (the same file as the app's: deploy/env.production.example):

    GUNICORN_BIND           address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 in a container)
    GUNICORN_WORKERS        worker processes (default 2 × CPUs + 1, at most 8); each holds one request at a time
    GUNICORN_THREADS        threads per worker (default 1; more only if requests wait on slow I/O)
    GUNICORN_TIMEOUT        seconds a request may take before its worker is restarted (default 60: PDF and XLSX
                            reports take a few seconds; long imports run in Celery, not here)
    GUNICORN_MAX_REQUESTS   requests after which a worker is replaced (default 1000, ± up to 10 % so they do not
                            all restart together): bounds slow memory growth
    GUNICORN_ACCESS_LOG     "-" (default) = one line per request on standard output; empty = off (the app already
                            logs each request as eiso.request, with its request id and user id)
    GUNICORN_FORWARDED_ALLOW_IPS  addresses of the reverse proxy whose X-Forwarded-* headers are trusted
                            (default 127.0.0.1)
    LOG_FORMAT=json         gunicorn's own lines in the app's JSON format too

The app itself needs DJANGO_SETTINGS_MODULE=eiso.settings (the default) and its environment (EISO_SECRET_KEY…).
"""

import os

_cpus = os.cpu_count() or 1


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "eiso.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("GUNICORN_WORKERS", min(2 * _cpus + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30  # on restart/stop: requests in flight get this long to finish
keepalive = 5  # behind a reverse proxy that reuses connections
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max(max_requests // 10, 1) if max_requests else 0
# A worker's heartbeat file: in memory, not on a disk that may stall (containers: /dev/shm).
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)  # noqa: S108
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_field_size = 8190
proc_name = "eiso-web"

# Logs: errors to standard error, the access log to standard output. The access line has the path without its
# query string (the public lookup carries personal data there) and the request id the app answered with.
errorlog = "-"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(m)s %(U)s %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

if os.environ.get("LOG_FORMAT", "text") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "eiso.core.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        },
    }
