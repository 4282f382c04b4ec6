"""Matrix rows: periodic reports to the supervising authority (pages and API).

Reporting periods are records of the supervising authority: read by the supervisors of the province (and the
administrator), changed by them (open, edit, close); the agencies' people do not see them (404 on a period, an
empty list, 403 on the page that opens one). A report belongs to its agency: read like the QMS records (the
agency's head, coordinator, staff and auditors, the province's supervisor, the administrator; consultants and other
agencies 404); completed, refreshed, taken back to draft and submitted by the head and the coordinator (the others
who see it 403); signed off by the agency head alone (everyone else who sees it 403, the administrator included);
accepted or returned by the supervisor of the province and the administrator (the agency's people 403).

Scopes: own = the own agency's report in the province's yearly period; sibling = the sibling agency's report in an
ad hoc period of the same province; foreign = the foreign agency's report in the yearly period of the other
province (which gets a supervising authority of its own for these rows).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.reporting import services
from eiso.reporting.models import PeriodicReport, ReportingPeriod
from tests.permission_matrix.harness import (
    SCOPES,
    Check,
    Entry,
    authority_of,
    each_scope,
    everyone,
    only,
    qms_manage,
    qms_read,
)

YEAR = dt.date.today().year
DUE_ON = dt.date(YEAR, 12, 15)
read = qms_read
manage = qms_manage


def period_read(role: str, scope: str) -> int:
    """The supervisors of the province and the administrator; nobody else sees the authority's records."""
    if role == "admin":
        return 200
    return 200 if role == "supervisor" and scope != "foreign" else 404


def period_manage(ok: int):
    def policy(role, scope):
        return 404 if period_read(role, scope) == 404 else ok

    return policy


def sign_off(ok: int):
    """The agency head of the report's agency only; the administrator too is refused (403)."""

    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        return ok if role == "agency_head" and scope == "own" else 403

    return policy


def decide(ok: int):
    """Accept or return: the province's supervisor and the administrator; the agency's people who see it 403."""

    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "supervisor") else 403

    return policy


def open_api(role: str, scope: str) -> int:
    """POST a period for the scope's province: its supervising authority (and the administrator) 201; a supervisor of
    another province names a province it cannot act for (400); the agencies' people 403."""
    if role == "admin" or (role == "supervisor" and scope != "foreign"):
        return 201
    return 400 if role == "supervisor" else 403


# --- The objects: one per scope, made on first use ---------------------------------------------------------------


def province(mx, scope: str):
    if scope != "foreign":
        return mx.world.province
    authority_of(mx, scope)
    return mx.world.other_province


def period(mx, scope: str) -> ReportingPeriod:
    title = f"PERIOD-marker-{scope}"
    found = ReportingPeriod.objects.filter(title=title).first()
    if found:
        return found
    return services.period_open(actor=None, province=province(mx, scope), kind="ad_hoc" if scope == "sibling"
                                else "yearly", year=YEAR, due_on=DUE_ON, title=title)


def every_scope(mx):
    for scope in SCOPES:
        period(mx, scope)


def report(mx, scope: str, stage: str = "draft") -> PeriodicReport:
    """The scope's agency's report, brought to `stage`: draft, ready (results written), signed_off, submitted."""
    found = period(mx, scope).reports.get(agency=mx.agency[scope])
    if stage == "draft" or found.results:  # brought to its stage already (it may have moved on since)
        return found
    found = services.report_update(actor=None, report=found, results=f"REPORT-results-{scope}")
    for action in {"ready": (), "signed_off": ("sign_off",), "submitted": ("sign_off", "submit")}[stage]:
        found = services.report_transition(actor=None, report=found, action=action)
    return found


def period_pk(mx, role, scope):
    return period(mx, scope).pk


def report_pk(stage="draft"):
    return lambda mx, role, scope: report(mx, scope, stage).pk


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


# --- States and data ----------------------------------------------------------------------------------------------


def period_field(field):
    return lambda mx, role, scope: getattr(ReportingPeriod.objects.get(pk=period(mx, scope).pk), field)


def report_field(stage, field):
    return lambda mx, role, scope: getattr(PeriodicReport.objects.get(pk=report(mx, scope, stage).pk), field)


def periods_count(mx, role, scope):
    return ReportingPeriod.objects.count()


def new_period(mx, role, scope, api=False):
    data = {"province": province(mx, scope).pk, "kind": "ad_hoc", "year": YEAR, "due_on": DUE_ON.isoformat(),
            "title": f"Opened by {role}"}
    return data if api else {**data, "half": "", "starts_on": "", "ends_on": "", "note": ""}


def period_form(mx, role, scope):
    return {"title": f"PERIOD-marker-{scope}", "due_on": (DUE_ON + dt.timedelta(days=3)).isoformat(),
            "note": f"By {role}"}


def report_form(mx, role, scope):
    return {"number": "", "results": f"Written by {role}", "difficulties": "", "proposals": ""}


PERIOD_MARKER = lambda mx, s: f"PERIOD-marker-{s}"  # noqa: E731
REPORT_MARKER = lambda mx, s: str(report(mx, s).pk)  # noqa: E731
RETURN = {"comment": "Bổ sung số liệu"}


def page_action(name: str, stage: str, state, policy, data=None) -> Entry:
    return Entry(f"reporting:{name}", "page", at(f"reporting:{name}", report_pk(stage)),
                 (Check("post", policy, data=data, state=state),), scoped=True)


def api_action(name: str, stage: str, state, policy, data=None) -> Entry:
    return Entry(f"periodicreport-{name}", "api", at(f"periodicreport-{name}", report_pk(stage)),
                 (Check("post", policy, data=data, state=state),), scoped=True)


REPORTING: list[Entry] = [
    # --- Periods (the supervising authority) ----------------------------------------------------------------
    Entry("reporting:period_list", "page", listed("reporting:period_list"),
          (Check("get", everyone(200), shows=each_scope(PERIOD_MARKER, period_read)),), scoped=True),
    Entry("reporting:period_add", "page", lambda mx, r, s: reverse("reporting:period_add"), (
        Check("get", only({"supervisor"}, 200)),
        Check("post", only({"supervisor"}, 302), data=new_period, state=periods_count),
    )),
    Entry("reporting:period_detail", "page", at("reporting:period_detail", period_pk),
          (Check("get", period_read),), scoped=True),
    Entry("reporting:period_edit", "page", at("reporting:period_edit", period_pk), (
        Check("get", period_manage(200)),
        Check("post", period_manage(302), data=period_form, state=period_field("due_on")),
    ), scoped=True),
    Entry("reporting:period_close", "page", at("reporting:period_close", period_pk),
          (Check("post", period_manage(302), state=period_field("status")),), scoped=True),
    Entry("reporting:province_report_docx", "page", at("reporting:province_report_docx", period_pk),
          (Check("get", period_read),), scoped=True),
    Entry("reporting:province_report_xlsx", "page", at("reporting:province_report_xlsx", period_pk),
          (Check("get", period_read),), scoped=True),
    # --- Reports (the agencies) -----------------------------------------------------------------------------
    Entry("reporting:report_list", "page", listed("reporting:report_list"),
          (Check("get", everyone(200), shows=each_scope(REPORT_MARKER, read)),), scoped=True),
    Entry("reporting:report_detail", "page", at("reporting:report_detail", report_pk()),
          (Check("get", read, shows=lambda mx, r, s: {"point-scope_covers_procedures": True}),), scoped=True),
    Entry("reporting:report_edit", "page", at("reporting:report_edit", report_pk()), (
        Check("get", manage(200)),
        Check("post", manage(302), data=report_form, state=report_field("draft", "results")),
    ), scoped=True),
    Entry("reporting:report_docx", "page", at("reporting:report_docx", report_pk()), (Check("get", read),),
          scoped=True),
    page_action("report_refresh", "draft", report_field("draft", "figures_at"), manage(302)),
    page_action("report_sign_off", "ready", report_field("ready", "status"), sign_off(302)),
    page_action("report_reopen", "signed_off", report_field("signed_off", "status"), manage(302)),
    page_action("report_submit", "signed_off", report_field("signed_off", "status"), manage(302)),
    page_action("report_accept", "submitted", report_field("submitted", "status"), decide(302)),
    page_action("report_return", "submitted", report_field("submitted", "status"), decide(302),
                data=lambda mx, r, s: RETURN),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("reportingperiod-list", "api", listed("reportingperiod-list"), (
        Check("get", everyone(200), shows=each_scope(PERIOD_MARKER, period_read)),
        Check("post", open_api, data=lambda mx, r, s: new_period(mx, r, s, api=True), state=periods_count),
    ), scoped=True),
    Entry("reportingperiod-detail", "api", at("reportingperiod-detail", period_pk),
          (Check("get", period_read),), scoped=True),
    Entry("reportingperiod-close", "api", at("reportingperiod-close", period_pk),
          (Check("post", period_manage(200), state=period_field("status")),), scoped=True),
    Entry("periodicreport-list", "api", listed("periodicreport-list"),
          (Check("get", everyone(200), shows=each_scope(REPORT_MARKER, read)),), scoped=True),
    Entry("periodicreport-detail", "api", at("periodicreport-detail", report_pk()), (
        Check("get", read),
        Check("patch", manage(200), data=lambda mx, r, s: {"results": f"Patched by {r}"},
              state=report_field("draft", "results")),
        Check("put", manage(200), data=lambda mx, r, s: {**report_form(mx, r, s), "results": f"Put by {r}",
                                                         "remarks": {}},
              state=report_field("draft", "results")),
    ), scoped=True),
    api_action("refresh", "draft", report_field("draft", "figures_at"), manage(200)),
    api_action("sign-off", "ready", report_field("ready", "status"), sign_off(200)),
    api_action("reopen", "signed_off", report_field("signed_off", "status"), manage(200)),
    api_action("submit", "signed_off", report_field("signed_off", "status"), manage(200)),
    api_action("accept", "submitted", report_field("submitted", "status"), decide(200)),
    api_action("return", "submitted", report_field("submitted", "status"), decide(200),
               data=lambda mx, r, s: RETURN),
]
