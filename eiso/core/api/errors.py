"""One error format for the whole API: {"message": ..., "code": ..., "errors": {field: [..]}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from eiso.core.errors import ApplicationError


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        flat = []
        for item in detail:
            value = _flatten(item)
            flat.extend(value if isinstance(value, list) else [value])
        return flat
    return str(detail)


def error_body(message, code, errors=None) -> dict:
    return {"message": str(message), "code": code, "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.message, exc.code, _flatten(exc.errors)), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _flatten(exc.message_dict) if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body(_("The data is not valid."), "invalid", errors), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail) if isinstance(exc.detail, dict) else {"non_field_errors": _flatten(exc.detail)}
        response.data = error_body(
            _("The data is not valid. Correct the fields listed and try again."), "invalid", errors
        )
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = error_body(detail if isinstance(detail, str) else _flatten(detail), code)
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def page_not_found(request, exception):
    """Django's 404 for a URL no route matches. Under /api/ (e.g. a malformed id in the path) it answers in the
    API's error format and content type, like every other API error; elsewhere it renders the 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(exceptions.NotFound.default_detail, "not_found"), status=404)
    return defaults.page_not_found(request, exception)
