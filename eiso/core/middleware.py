"""Resolve the current agency once per request (no thread-locals: it lives on `request.agency`)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from eiso.core.permissions import scope_for

SESSION_KEY = "eiso_agency_id"


def current_agency(request):
    """The agency the user is working in: the one chosen in the switcher if still allowed, else the
    first agency where they hold a role. None for anonymous users and administrators without roles."""
    from eiso.organizations.models import Agency

    user = request.user
    if not user.is_authenticated:
        return None
    scope = scope_for(user)
    chosen = request.session.get(SESSION_KEY)
    candidates = Agency.objects.filter(pk__in=scope.agency_ids)
    agency = None
    if chosen:
        agency = candidates.filter(pk=chosen).first() or (
            Agency.objects.filter(pk=chosen).first() if scope.is_global else None
        )
    if agency is None:
        agency = candidates.order_by("name").first()
    return agency


class CurrentAgencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.agency = current_agency(request) if hasattr(request, "user") else None
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise (language cookie set by the EN/VI switch): the
    browser's Accept-Language is ignored, since civil servants' browsers are often in English."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
