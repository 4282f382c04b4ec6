"""API fuzzing: schemathesis generates requests from eISO's own OpenAPI schema (drf-spectacular) for every operation
and sends them in-process (WSGI) as the ISO coordinator of an agency with a QMS history, authenticated with a
personal API token. Every response must not be a server error and must conform to the schema: its status code is
documented, its content type is the documented one, its body validates against the documented schema.

Bounded so that it runs in the suite: few examples per operation, derandomized (the same requests every run), no
shrinking (a failure is reported with the example that found it). Writes (POST/PUT/PATCH/DELETE) run inside the
test's transaction, which pytest-django rolls back."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eiso.accounts.services import api_token_create
from eiso.core.permissions import Role
from tests.qms_records import build_documents, publish_process

MAX_EXAMPLES = 3

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Operations left out of the fuzzing, each with its reason (none is left out silently).
EXCLUDED_OPERATIONS: dict[tuple[str, str], str] = {}


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI application sends request_started/finished, whose close_old_connections would close the test's
    connection (and its transaction) on PostgreSQL; Django's test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coordinator_token(world):
    """The ISO coordinator of `own`, an agency with a QMS document and a published process."""
    build_documents(world.own)
    publish_process(world.own)
    user = world.users[str(Role.ISO_COORDINATOR)]
    _token, raw = api_token_create(user=user, name="schemathesis")
    return raw


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing example is reported as found
    suppress_health_check=list(HealthCheck),  # the world fixture is built once per operation, on purpose
    database=None,
)
def test_api_conforms_to_its_schema(case, coordinator_token):
    key = (case.operation.method.lower(), case.operation.path)
    if key in EXCLUDED_OPERATIONS:
        pytest.skip(EXCLUDED_OPERATIONS[key])
    case.call_and_validate(headers={"Authorization": f"Bearer {coordinator_token}"}, checks=CHECKS)
