"""One error hierarchy for services; the web UI and the API render it the same way."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refused action. `message` is shown to the user; `code` is stable for API clients."""

    code = "invalid"
    status_code = 400
    default_message = _("The action could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, errors: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(str(self.message))


class PermissionDeniedError(ApplicationError):
    code = "permission_denied"
    status_code = 403
    default_message = _("You do not have permission to do this. Ask your ISO coordinator or administrator.")


class ConflictError(ApplicationError):
    code = "conflict"
    status_code = 409
    default_message = _("Someone else changed this at the same time. Reload the page and try again.")
