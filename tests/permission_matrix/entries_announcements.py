"""Matrix rows: conformity announcements (pages, API, public register).

Announcements are read by the agency's head, ISO coordinator, staff and auditors, by the supervisor of the province
and the administrator; consultants and other agencies get 404. The head and the coordinator (and the administrator)
prepare, change and delete drafts and record the posting; staff, auditors and the supervisor get 403. Signing is the
agency head's alone: everyone else who sees the draft, the administrator included, 403. Acknowledging receipt is
the supervising authority's (and the administrator's): the agency's people 403. The supervisors' list of
announcements received answers 200 to everyone and lists only what the user's supervising authority received.
The public register, an announcement's public page and its PDF answer anonymous visitors; a draft is never public
(404 for everyone).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from eiso.announcements.models import ConformityAnnouncement
from eiso.announcements.services import announcement_prepare, announcement_record
from eiso.organizations.models import QMS
from eiso.reviews.models import ManagementReview
from eiso.reviews.services import review_create
from tests.permission_matrix.harness import (
    QMS_MANAGERS,
    SCOPES,
    Check,
    Entry,
    each_scope,
    everyone,
    only,
    qms_manage,
    qms_read,
)

NUMBERS = {"own": 71, "sibling": 72, "foreign": 73}
SIGNED_ON = dt.date(2025, 10, 1)


def an_sign(ok: int):
    """The agency head of the announcement's agency only; the administrator too is refused (403)."""

    def policy(role, scope):
        if qms_read(role, scope) == 404:
            return 404
        return ok if role == "agency_head" and scope == "own" else 403

    return policy


def an_acknowledge(ok: int):
    """The supervising authority of the province and the administrator; the agency's people 403."""

    def policy(role, scope):
        if qms_read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "supervisor") else 403

    return policy


def an_create(ok: int):
    """Preparing in the scope's agency (API body `agency`): an agency the user cannot see is unknown (400)."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in QMS_MANAGERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def received(role: str, scope: str) -> int:
    """Who finds the scope's announcement among those received: its province's supervisor, the administrator."""
    return 200 if role == "admin" or (role == "supervisor" and scope != "foreign") else 404


def public(role: str, scope: str) -> int:
    """The public pages: the signed announcements of own and foreign; sibling's path is a draft (404)."""
    return 404 if scope == "sibling" else 200


# --- The objects: one signed announcement and one draft re-announcement per scope, made on first use --------------


def _confirmed(agency) -> None:
    """The head's confirmation of effectiveness this year (what signing needs besides a published process)."""
    year = timezone.localdate().year
    if ManagementReview.objects.filter(agency=agency, effectiveness_confirmed_at__isnull=False).exists():
        return
    review = review_create(actor=None, agency=agency, title="Xem xét của lãnh đạo", year=year,
                           period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31))
    ManagementReview.objects.filter(pk=review.pk).update(status="held", effectiveness_confirmed_at=timezone.now())


def signed(mx, scope: str) -> ConformityAnnouncement:
    found = ConformityAnnouncement.objects.filter(agency=mx.agency[scope], number=NUMBERS[scope]).first()
    if found:
        return found
    return announcement_record(actor=None, agency=mx.agency[scope], signed_on=SIGNED_ON, number=NUMBERS[scope],
                               signer_name=f"ANN-marker-{scope}")


def draft(mx, scope: str) -> ConformityAnnouncement:
    """The scope's draft re-announcement, made once per test (remembered on `mx`: once signed or deleted it stays
    the same row, or none)."""
    made = mx.__dict__.setdefault("announcement_drafts", {})
    if scope not in made:
        signed(mx, scope)
        _confirmed(mx.agency[scope])
        made[scope] = announcement_prepare(actor=None, agency=mx.agency[scope], scope=f"DRAFT-marker-{scope}").pk
    return ConformityAnnouncement(pk=made[scope])


def every_scope(mx, *, drafts: bool = True):
    for scope in SCOPES:
        draft(mx, scope) if drafts else signed(mx, scope)


def signed_pk(mx, role, scope):
    return signed(mx, scope).pk


def draft_pk(mx, role, scope):
    return draft(mx, scope).pk


def public_pk(mx, role, scope):
    return draft(mx, scope).pk if scope == "sibling" else signed(mx, scope).pk


def listed(name, *, drafts: bool = True):
    def path(mx, role, scope):
        every_scope(mx, drafts=drafts)
        return reverse(name)

    return path


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


# --- States and data ------------------------------------------------------------------------------------------


def field_of(kind, name):
    getter = signed if kind == "signed" else draft

    def state(mx, role, scope):
        return ConformityAnnouncement.objects.filter(pk=getter(mx, scope).pk).values_list(name, flat=True).first()

    return state


def draft_exists(mx, role, scope):
    return ConformityAnnouncement.objects.filter(pk=draft(mx, scope).pk, status="draft").exists()


def count_in(scope_of):
    return lambda mx, role, scope: ConformityAnnouncement.objects.filter(agency=mx.agency[scope_of(scope)]).count()


def draft_form(mx, role, scope):
    return {"scope": f"Changed by {role}", "standard": "TCVN ISO 9001:2015", "symbol": "QĐ-UBND",
            "signer_position": "Chủ tịch", "reason": "scope_adjusted", "reason_detail": ""}


def new_form(mx, role, scope):
    return {"qms": QMS.objects.get(agency=mx.agency["own"]).pk, "scope": f"New by {role}",
            "standard": "TCVN ISO 9001:2015", "symbol": "QĐ-UBND", "signer_position": "Chủ tịch"}


def posting(mx, role, scope):
    return {"posted_on": timezone.localdate().isoformat(), "posted_url": "https://example.gov.vn/qd"}


def sign_form(mx, role, scope):
    return {"signed_on": timezone.localdate().isoformat()}


NUMBER_MARKER = lambda mx, s: f"{NUMBERS[s]}/QĐ-UBND"  # noqa: E731
SIGNER_MARKER = lambda mx, s: f"ANN-marker-{s}"  # noqa: E731


def page_action(name, arg, data, state, policy) -> Entry:
    return Entry(f"announcements:{name}", "page", at(f"announcements:{name}", arg),
                 (Check("post", policy, data=data, state=state),), scoped=True)


def api_action(name, arg, data, state, policy) -> Entry:
    return Entry(f"conformityannouncement-{name}", "api", at(f"conformityannouncement-{name}", arg),
                 (Check("post", policy, data=data, state=state),), scoped=True)


ANNOUNCEMENTS: list[Entry] = [
    Entry("announcements:announcement_list", "page", listed("announcements:announcement_list"),
          (Check("get", everyone(200), shows=each_scope(NUMBER_MARKER, qms_read)),), scoped=True),
    Entry("announcements:announcement_add", "page", lambda mx, r, s: reverse("announcements:announcement_add"), (
        Check("get", only(QMS_MANAGERS, 200)),
        Check("post", only(QMS_MANAGERS, 302), data=new_form, state=count_in(lambda s: "own")),
    )),
    Entry("announcements:received", "page", listed("announcements:received", drafts=False),
          (Check("get", everyone(200), shows=each_scope(NUMBER_MARKER, received)),), scoped=True),
    Entry("announcements:announcement_detail", "page", at("announcements:announcement_detail", signed_pk),
          (Check("get", qms_read, shows=lambda mx, r, s: {NUMBER_MARKER(mx, s): True}),), scoped=True),
    Entry("announcements:announcement_edit", "page", at("announcements:announcement_edit", draft_pk), (
        Check("get", qms_manage(200)),
        Check("post", qms_manage(302), data=draft_form, state=field_of("draft", "scope")),
    ), scoped=True),
    page_action("announcement_delete", draft_pk, None, draft_exists, qms_manage(302)),
    page_action("announcement_sign", draft_pk, sign_form, field_of("draft", "status"), an_sign(302)),
    page_action("announcement_posting", signed_pk, posting, field_of("signed", "posted_on"), qms_manage(302)),
    page_action("announcement_acknowledge", signed_pk, None, field_of("signed", "acknowledged_at"),
                an_acknowledge(302)),
    Entry("announcements:decision_docx", "page", at("announcements:decision_docx", signed_pk),
          (Check("get", qms_read),), scoped=True),
    Entry("announcements:decision_pdf", "page", at("announcements:decision_pdf", signed_pk),
          (Check("get", qms_read),), scoped=True),
    # --- The public register (no login) -----------------------------------------------------------------------
    Entry("portal:announcement_register", "page", listed("portal:announcement_register", drafts=False),
          (Check("get", everyone(200), shows=lambda mx, r, s: {NUMBER_MARKER(mx, x): True for x in SCOPES}),),
          anonymous=200),
    Entry("portal:announcement", "page", at("portal:announcement", public_pk),
          (Check("get", public, shows=lambda mx, r, s: {NUMBER_MARKER(mx, s): True}),), scoped=True, anonymous=200),
    Entry("portal:announcement_pdf", "page", at("portal:announcement_pdf", public_pk),
          (Check("get", public),), scoped=True, anonymous=200),
    # --- API ----------------------------------------------------------------------------------------------------
    Entry("conformityannouncement-list", "api", listed("conformityannouncement-list", drafts=False), (
        Check("get", everyone(200), shows=each_scope(SIGNER_MARKER, qms_read)),
        Check("post", an_create(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk)},
              state=count_in(lambda s: s)),
    ), scoped=True),
    Entry("conformityannouncement-detail", "api", at("conformityannouncement-detail", draft_pk), (
        Check("get", qms_read),
        Check("patch", qms_manage(200), data=lambda mx, r, s: {"scope": f"Patched by {r}"},
              state=field_of("draft", "scope")),
        Check("put", qms_manage(200), data=lambda mx, r, s: {**draft_form(mx, r, s), "scope": f"Put by {r}"},
              state=field_of("draft", "scope")),
        Check("delete", qms_manage(204), state=draft_exists),
    ), scoped=True),
    api_action("sign", draft_pk, lambda mx, r, s: {}, field_of("draft", "status"), an_sign(200)),
    api_action("acknowledge", signed_pk, None, field_of("signed", "acknowledged_at"), an_acknowledge(200)),
    api_action("posting", signed_pk, posting, field_of("signed", "posted_on"), qms_manage(200)),
    Entry("conformityannouncement-decision-docx", "api", at("conformityannouncement-decision-docx", signed_pk),
          (Check("get", qms_read),), scoped=True),
    Entry("conformityannouncement-decision-pdf", "api", at("conformityannouncement-decision-pdf", signed_pk),
          (Check("get", qms_read),), scoped=True),
]
