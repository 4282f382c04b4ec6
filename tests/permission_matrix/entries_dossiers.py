"""Matrix rows: dossiers — the one-stop desk's pages and actions, the printed documents, the public lookup.

Citizens' dossiers are read by the agency's head, ISO coordinator, staff and auditor (and the administrator),
never by consultants or the supervising authority (they see statistics only); they are handled by the head,
the coordinator and staff. Another agency's dossier: 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eiso.dossiers.models import Dossier
from tests.permission_matrix.harness import Check, Entry, everyone, only, url

DOSSIER_VIEWERS = frozenset({"agency_head", "iso_coordinator", "staff", "auditor"})
HANDLERS = frozenset({"agency_head", "iso_coordinator", "staff"})


def dossier_read(role: str, scope: str) -> int:
    return 200 if role == "admin" or (scope == "own" and role in DOSSIER_VIEWERS) else 404


def dossier_act(ok: int):
    """Not visible: 404. Visible without the right to handle it (the auditor): 403."""

    def policy(role, scope):
        if dossier_read(role, scope) == 404:
            return 404
        return ok if role == "admin" or role in HANDLERS else 403

    return policy


def dossier_write(ok: int):
    """Receiving or importing into the scope's agency: an agency the user cannot see is unknown (400); one
    they see without handling its dossiers, 403."""

    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in HANDLERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


def api_refused_in_this_status(role: str, scope: str) -> int:
    """resume, notify, return on a dossier in progress: handlers get 400 (not in this status)."""
    return dossier_act(400)(role, scope)


def tallies_read(role: str, scope: str) -> int:
    """Dossier statistics: the agency's readers of dossiers, and the supervisor of its province."""
    if role == "admin" or (role == "supervisor" and scope != "foreign"):
        return 200
    return dossier_read(role, scope)


def statistics_shows(mx, role, scope):
    """The API's rows by agency: an agency's row only for those who may read its statistics."""
    return {f'"{mx.agency[s].name}"': tallies_read(role, s) == 200 for s in mx.agency}


def dossier_pk(mx, role, scope):
    return mx.dossier[scope].pk


def stored(mx, scope) -> Dossier:
    return Dossier.objects.get(pk=mx.dossier[scope].pk)


def status_of(mx, role, scope):
    return stored(mx, scope).status


def events_of(mx, role, scope):
    return stored(mx, scope).events.count()


def apology_of(mx, role, scope):
    return stored(mx, scope).apology_at


def dossiers_of(mx, role, scope):
    return Dossier.objects.filter(agency=mx.agency["own"]).count()


def hand_over(mx, role, scope):
    step = mx.dossier[scope].steps.get(started_at__isnull=False, finished_at__isnull=True)
    return {"step": str(step.pk), "assignee": "", "note": ""}


def apology(mx, role, scope):
    later = timezone.localtime(mx.dossier[scope].appointment_at) + dt.timedelta(days=7)
    return {"reason": "Cần xác minh thêm", "new_appointment": later.strftime("%H:%M %d/%m/%Y")}


def receipt(mx, role, scope):
    """A procedure of the catalogue without a process of the agency: chosen by its code (its only case)."""
    return {"procedure_code": "1.000894", "applicant_kind": "person", "applicant_name": f"Người nộp mới {role}",
            "channel": "direct", "decision": "accept"}


def api_receipt(mx, role, scope):
    return {"agency": str(mx.agency[scope].pk), "case": "1.000894.01", "applicant": {"name": f"Người nộp {role}"},
            "channel": "direct"}


def agency_dossiers(mx, role, scope):
    return Dossier.objects.filter(agency=mx.agency[scope]).count()


def api_import(mx, role, scope):
    rows = ("code,procedure_code,applicant_name,received,due\n"
            f"NHAP-{role},1.000894,Người nộp,25/11/2026 09:00,30/11/2026 16:00\n")
    return {"agency": str(mx.agency[scope].pk), "file": SimpleUploadedFile("mot-cua.csv", rows.encode())}


def api_list_shows(mx, role, scope):
    """The API lists every dossier the user may read (the administrator: all)."""
    return {mx.dossier[s].code: dossier_read(role, s) == 200 for s in mx.dossier}


def list_shows(mx, role, scope):
    """The list shows the current agency's dossiers (the administrator works in own)."""
    return {mx.dossier[s].code: s == "own" and (role == "admin" or role in DOSSIER_VIEWERS) for s in mx.dossier}


def api_action(name: str, data=None, state=None, ok: int = 200, expect=None) -> Entry:
    return Entry(f"dossier-{name}", "api", url(f"dossier-{name}", dossier_pk),
                 (Check("post", expect or dossier_act(ok), data=data, state=state),), scoped=True)


def action(name: str, data=None, state=None) -> Entry:
    return Entry(f"dossiers:dossier_{name}", "page", url(f"dossiers:dossier_{name}", dossier_pk),
                 (Check("post", dossier_act(302), data=data, state=state),), scoped=True)


DOSSIERS: list[Entry] = [
    Entry("dossiers:dossier_list", "page", url("dossiers:dossier_list"),
          (Check("get", everyone(200), shows=list_shows),)),
    Entry("dossiers:dossier_receive", "page", url("dossiers:dossier_receive"), (
        Check("get", only(HANDLERS, 200)),
        Check("post", only(HANDLERS, 302), data=receipt, state=dossiers_of),
    )),
    Entry("dossiers:dossier_receive_options", "page", url("dossiers:dossier_receive_options"),
          (Check("get", only(HANDLERS, 200)),)),
    Entry("dossiers:dossier_detail", "page", url("dossiers:dossier_detail", dossier_pk),
          (Check("get", dossier_read),), scoped=True),
    Entry("dossiers:dossier_pdf", "page",
          lambda mx, role, scope: f"/dossiers/{mx.dossier[scope].pk}/receipt.pdf",
          (Check("get", dossier_read),), scoped=True),
    action("hand_over", data=hand_over, state=status_of),
    action("pause", data=lambda mx, r, s: {"kind": "supplement", "reason": "Thiếu bản sao"}, state=status_of),
    action("resume"),  # in progress: refused with a message (302), never a change
    action("consult", data=lambda mx, r, s: {"unit_name": "Phòng Tư pháp", "comment": "Ý kiến"}, state=events_of),
    action("apologise", data=apology, state=apology_of),
    action("notify"),  # not ready yet: refused with a message
    action("return", data=lambda mx, r, s: {"method": "desk"}),
    action("end", data=lambda mx, r, s: {"status": "withdrawn", "reason": "Người nộp rút hồ sơ"}, state=status_of),
    # Statistics: one page for everyone signed in, each showing only the agencies it may read.
    Entry("dossiers:statistics", "page", url("dossiers:statistics"), (Check("get", everyone(200)),)),
    Entry("dossiers:statistics_export", "page", url("dossiers:statistics_export"),
          (Check("get", everyone(200), query="?format=csv"),)),
    Entry("dossier-statistics", "api", url("dossier-statistics"),
          (Check("get", everyone(200), query="?group_by=agency", shows=statistics_shows),)),
    # --- API ----------------------------------------------------------------------------------------------
    Entry("dossier-list", "api", url("dossier-list"), (
        Check("get", everyone(200), shows=api_list_shows),
        Check("post", dossier_write(201), data=api_receipt, state=agency_dossiers),
    ), scoped=True),
    Entry("dossier-detail", "api", url("dossier-detail", dossier_pk), (Check("get", dossier_read),), scoped=True),
    api_action("hand-over", data=lambda mx, r, s: {"step": hand_over(mx, r, s)["step"]}, state=status_of),
    api_action("pause", data=lambda mx, r, s: {"kind": "supplement", "reason": "Thiếu bản sao"}, state=status_of),
    api_action("resume", expect=api_refused_in_this_status),
    api_action("consult", data=lambda mx, r, s: {"unit_name": "Phòng Tư pháp", "comment": "Ý kiến"},
               state=events_of),
    api_action("apologise", data=lambda mx, r, s: {
        "reason": "Cần xác minh thêm",
        "new_appointment": (mx.dossier[s].appointment_at + dt.timedelta(days=7)).isoformat()}, state=apology_of),
    api_action("notify", expect=api_refused_in_this_status),
    api_action("return", data=lambda mx, r, s: {"method": "desk"}, expect=api_refused_in_this_status),
    api_action("end", data=lambda mx, r, s: {"status": "withdrawn", "reason": "Người nộp rút hồ sơ"},
               state=status_of),
    Entry("dossier-import", "api", url("dossier-import"),
          (Check("post", dossier_write(200), data=api_import, state=agency_dossiers),), scoped=True),
    # A wrong code or wrong digits: 404 for everyone, signed in or not.
    Entry("dossier-lookup", "api", url("dossier-lookup"),
          (Check("get", everyone(404), query="?code=KHONG-CO&digits=0000"),), anonymous=404),
    Entry("dossier-rate", "api", url("dossier-rate"),
          (Check("post", everyone(404), data=lambda mx, r, s: {"code": mx.dossier[s].code, "digits": "0000",
                                                                "rating": 3}),), anonymous=404),
    # --- the public lookup: no login; one answer for everyone -----------------------------------------
    Entry("portal:lookup", "page", url("portal:lookup"), (Check("get", everyone(200)),), anonymous=200),
    Entry("portal:lookup_rate", "page", url("portal:lookup_rate"),
          (Check("post", everyone(200), data=lambda mx, r, s: {"code": mx.dossier[s].code, "digits": "0000",
                                                                "rating": 3}),), anonymous=200),
]
