"""Structured logs: the JSON formatter (LOG_FORMAT=json), the request id carried by every record of a request, and
the one log line per request.

Each request gets an id: the one the reverse proxy sent in X-Request-ID (nginx's $request_id) when it looks like
one, a new one otherwise; it is echoed in the response's X-Request-ID header and added to every record logged while
the request runs, so a user's error report ("request id …") leads to its lines. The request line holds the method,
the path without its query string (the public dossier lookup carries the applicant's code there), the status, the
duration and the signed-in user's id — nothing else about the person. Health probes and static files are logged at
DEBUG: they would drown the rest.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: ContextVar[str | None] = ContextVar("eiso_request_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
QUIET_PREFIXES = ("/health/",)  # and STATIC_URL

request_logger = logging.getLogger("eiso.request")

# Record attributes that must not reach a log line: Django's request loggers attach the request itself, whose
# text holds the query string.
_DROPPED = ("request", "server_time")


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, then the record's own fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        for key in _DROPPED:
            log_data.pop(key, None)
        log_data["time"] = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        # "time" first: easier to read when someone does look at the raw line.
        log_data.update({key: log_data.pop(key) for key in list(log_data) if key != "time"})


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to each record logged while a request runs (never removes a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_var.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def incoming_request_id(request) -> str:
    """The proxy's request id when it looks like one (letters, digits, . _ : -, 8 to 128 long), else a new one."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    if _REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def _user_id(request):
    """The signed-in user's id if the request already knows who it is: never a session or database read here."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # django.contrib.auth's lazy user until something looked at it
    if wrapped is None or not hasattr(wrapped, "is_authenticated") or not wrapped.is_authenticated:
        return None
    return wrapped.pk


class RequestLogMiddleware:
    """First in MIDDLEWARE: gives the request its id and logs one line when the response is ready."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.quiet_prefixes = QUIET_PREFIXES + ((settings.STATIC_URL,) if settings.STATIC_URL else ())

    def __call__(self, request):
        started = time.perf_counter()
        request_id = incoming_request_id(request)
        request.request_id = request_id
        # Kept until the response is closed (Django logs 4xx/5xx after the middleware returns): see _forget.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        level = logging.DEBUG if request.path.startswith(self.quiet_prefixes) else logging.INFO
        if request_logger.isEnabledFor(level):
            request_logger.log(
                level, "%s %s %s %sms", request.method, request.path, response.status_code, duration_ms,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": duration_ms, "user_id": _user_id(request)},
            )
        return response


@receiver(request_finished, dispatch_uid="eiso.core.logging.forget_request_id")
def _forget(**kwargs):
    """The response was sent and closed: later records of this thread belong to no request."""
    request_id_var.set(None)
