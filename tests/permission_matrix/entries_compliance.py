"""Matrix rows: the compliance calendar (pages and API).

The calendar and the evidence folder of an agency (`?agency=`) are read by its head, ISO coordinator, staff and
auditors, by the supervisor of the province and by the administrator; consultants and other agencies get 404.
The supervising authority's overview is for supervisors (and the administrator): agency people get 403. The head
and the coordinator open a year (of their current agency), move due dates and mark the manual items done; the
others who see the item get 403.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import INTERNAL_AUDIT, SUPERVISOR_REPORT
from eiso.compliance.selectors import default_items
from eiso.core.permissions import today
from tests.permission_matrix.harness import (
    QMS_MANAGERS,
    QMS_READERS,
    SCOPES,
    Check,
    Entry,
    each_scope,
    only,
    qms_manage,
    qms_read,
)

read = qms_read
manage = qms_manage
READERS = QMS_READERS
MANAGERS = QMS_MANAGERS


def start(role: str, scope: str) -> int:
    """Opening a year of the current agency (the supervisor's is its own department, which it only reads)."""
    if role == "admin" or role in MANAGERS:
        return 302
    return 404 if role == "consultant" else 403


# --- The objects: the scope's agency's year, opened on first use -------------------------------------------------


def item(mx, scope: str, obligation: str = SUPERVISOR_REPORT) -> ComplianceItem:
    agency, year = mx.agency[scope], today().year
    if not ComplianceItem.objects.filter(agency=agency, year=year).exists():
        ComplianceItem.objects.bulk_create(default_items(agency=agency, year=year))
    return ComplianceItem.objects.get(agency=agency, year=year, obligation=obligation)


def every_scope(mx):
    for scope in SCOPES:
        item(mx, scope)


def with_agency(name: str, *args):
    return lambda mx, role, scope: f"{reverse(name, args=list(args))}?agency={mx.agency[scope].pk}"


def at(name: str, obligation: str = SUPERVISOR_REPORT):
    return lambda mx, role, scope: reverse(name, args=[item(mx, scope, obligation).pk])


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def done_on(mx, role, scope):
    return ComplianceItem.objects.get(pk=item(mx, scope).pk).done_on


def due_on(mx, role, scope):
    return ComplianceItem.objects.get(pk=item(mx, scope, INTERNAL_AUDIT).pk).due_on


def items_count(mx, role, scope):
    return ComplianceItem.objects.count()


def move(mx, role, scope):
    return {"due_on": dt.date(today().year, 6, 15).isoformat(), "reason": f"Moved by {role}"}


DONE = {"evidence": "Báo cáo số 12/BC-UBND"}
ITEM_MARKER = lambda mx, s: str(item(mx, s).pk)  # noqa: E731
YEAR = today().year

COMPLIANCE: list[Entry] = [
    Entry("compliance:calendar", "page", with_agency("compliance:calendar"), (Check("get", read),), scoped=True),
    Entry("compliance:overview", "page", lambda mx, r, s: reverse("compliance:overview"),
          (Check("get", only({"supervisor"}, 200)),)),
    Entry("compliance:evidence", "page", with_agency("compliance:evidence", YEAR), (Check("get", read),),
          scoped=True),
    Entry("compliance:evidence_xlsx", "page", with_agency("compliance:evidence_xlsx", YEAR), (Check("get", read),),
          scoped=True),
    Entry("compliance:year_start", "page", lambda mx, r, s: reverse("compliance:year_start", args=[YEAR]),
          (Check("post", start, state=items_count),)),
    Entry("compliance:item_move", "page", at("compliance:item_move", INTERNAL_AUDIT),
          (Check("post", manage(302), data=move, state=due_on),), scoped=True),
    Entry("compliance:item_done", "page", at("compliance:item_done"),
          (Check("post", manage(302), data=lambda mx, r, s: DONE, state=done_on),), scoped=True),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("complianceitem-list", "api", listed("complianceitem-list"),
          (Check("get", lambda role, scope: 200, shows=each_scope(ITEM_MARKER, read)),), scoped=True),
    Entry("complianceitem-detail", "api", at("complianceitem-detail"), (Check("get", read),), scoped=True),
    Entry("complianceitem-done", "api", at("complianceitem-done"),
          (Check("post", manage(200), data=lambda mx, r, s: DONE, state=done_on),), scoped=True),
    Entry("complianceitem-due", "api", at("complianceitem-due", INTERNAL_AUDIT),
          (Check("post", manage(200), data=move, state=due_on),), scoped=True),
]
