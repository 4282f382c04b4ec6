"""OpenAPI schema hooks: every operation documents the error responses it can give, in the one error format of the
API (message, code, errors — see errors.py)."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["message", "code", "errors"],
}

# The statuses every operation can answer: invalid input or a refused business rule (400), no or a bad token (401),
# a role without the right (403), an object outside the user's reach or an invalid page (404).
ERROR_STATUSES = {
    "400": "The data is not valid, or the action is refused by a business rule.",
    "401": "Not authenticated: no valid session or personal token.",
    "403": "The user's role does not allow this action.",
    "404": "Not found, or not visible to the user.",
}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error responses to every operation that does not declare them,
    and give the error format to any other 4xx an operation declares by description only (e.g. 429)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERROR_STATUSES.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
            for code, response in operation["responses"].items():
                if code.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": reference}}
    return result
