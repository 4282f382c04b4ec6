"""Every operation of the OpenAPI schema (path + HTTP method) has a row of the permission matrix with a Check for that
method: a new API operation must say who may use it, not only a new URL pattern (test_matrix.py)."""

from __future__ import annotations

import re
import uuid

from django.urls import Resolver404, resolve
from drf_spectacular.generators import SchemaGenerator

from tests.permission_matrix.matrix import MATRIX

# (URL pattern name, method) pairs whose refusal is tested elsewhere, each with its reason. Keep it short: a pair
# here is an operation whose permissions the matrix does not probe.
EXCEPTIONS: dict[tuple[str, str], str] = {}

_PARAMETER = re.compile(r"\{([^}]+)\}")


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict):
                yield path, method, operation


def _concrete(path: str, operation: dict) -> str:
    """The schema path with a value of the right kind for each path parameter."""
    kinds = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p.get("in") == "path"}

    def value(match):
        kind = kinds.get(match.group(1), {})
        if kind.get("format") == "uuid":
            return str(uuid.UUID(int=1))
        if kind.get("type") == "integer":
            return "1"
        if kind.get("format") == "date":
            return "2026-01-01"
        return "x"

    return _PARAMETER.sub(value, path)


def test_every_openapi_operation_has_a_matrix_check():
    checked = {(e.name, c.method) for e in MATRIX for c in e.checks}
    missing, unresolved = [], []
    for path, method, operation in _operations():
        try:
            name = resolve(_concrete(path, operation)).view_name
        except Resolver404:
            unresolved.append(f"{method.upper()} {path}")
            continue
        if (name, method) not in checked and (name, method) not in EXCEPTIONS:
            missing.append(f"{method.upper()} {path} ({name})")
    assert not unresolved, f"schema operations that resolve to no URL pattern: {unresolved}"
    assert not missing, "OpenAPI operations without a permission-matrix Check:\n" + "\n".join(sorted(missing))


def test_exceptions_name_real_operations():
    """An exception for an operation that no longer exists, or that the matrix now checks, is stale."""
    checked = {(e.name, c.method) for e in MATRIX for c in e.checks}
    names = set()
    for path, method, operation in _operations():
        try:
            names.add((resolve(_concrete(path, operation)).view_name, method))
        except Resolver404:
            continue
    stale = sorted(set(EXCEPTIONS) - names)
    redundant = sorted(set(EXCEPTIONS) & checked)
    assert not stale, f"exceptions for operations not in the schema: {stale}"
    assert not redundant, f"exceptions for operations the matrix checks: {redundant}"
