"""ObjectActionView: the POST-then-redirect shape of the action views, and safe_next."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import Role
from eiso.core.views import ObjectActionView, safe_next
from eiso.documents.models import Document
from eiso.organizations.models import QMS
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


class Act(ObjectActionView):
    model = Document
    outcome = "Done."

    def act(self, request, obj):
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


@pytest.fixture
def document(world):
    from eiso.documents.services import document_create

    return document_create(actor=None, qms=QMS.objects.get(agency=world.own), kind="policy", code="CS",
                           title="Chính sách")


def post(rf, user, pk, view=Act, data=None, secure=False, **attrs):
    request = rf.post("/x/", data or {}, secure=secure)
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    response = view.as_view(**attrs)(request, pk=pk)
    return response, [(m.level_tag, str(m)) for m in get_messages(request)]


def test_success_says_the_message_and_goes_to_the_object_or_a_safe_next(rf, world, document):
    user = world.users["staff"]
    response, messages = post(rf, user, document.pk)
    assert (response.status_code, response["Location"], messages) == (
        302, document.get_absolute_url(), [("success", "Done.")])
    assert post(rf, user, document.pk, data={"next": "/documents/"})[0]["Location"] == "/documents/"
    assert post(rf, user, document.pk, data={"next": "https://evil.example/"})[0]["Location"] == (
        document.get_absolute_url())
    assert post(rf, user, document.pk, data={"next": "/documents/"}, follow_next=False)[0]["Location"] == (
        document.get_absolute_url())


def test_nothing_to_report_and_refusals(rf, world, document):
    user = world.users["staff"]
    assert post(rf, user, document.pk, outcome=None)[1] == []
    response, messages = post(rf, user, document.pk, outcome=ApplicationError("Not now."))
    assert (response.status_code, messages) == (302, [("error", "Not now.")])
    with pytest.raises(PermissionDenied):
        post(rf, user, document.pk, outcome=PermissionDeniedError())
    with pytest.raises(PermissionDenied):
        post(rf, user, document.pk, permission="change")  # staff may view the document, not change it
    assert post(rf, world.users["iso_coordinator"], document.pk, permission="change")[0].status_code == 302
    with pytest.raises(Http404):  # outside the user's view scope
        post(rf, user_with_role(Role.STAFF, world.foreign), document.pk)


def test_safe_next_keeps_only_urls_of_this_site(rf):
    def target(value, secure=False):
        return safe_next(rf.post("/x/", {"next": value} if value is not None else {}, secure=secure), "home")

    assert target(None) == "home" and target("") == "home"
    assert target("/documents/?q=a") == "/documents/?q=a"
    assert target("http://testserver/documents/") == "http://testserver/documents/"
    assert target("http://testserver/documents/", secure=True) == "home"
    assert target("//evil.example/") == "home" and target("https://evil.example/") == "home"
