"""Matrix rows: internal audits (pages and API).

Programmes and audits are read by the agency's head, ISO coordinator, staff and auditors, by the supervisor of the
province and the administrator; consultants and other agencies get 404. The head and the coordinator plan them
(the head alone approves a programme). Checklist results and findings are recorded by the audit team only: in
`own` the team's lead is the role user `auditor` (everyone else, the administrator included, 403). The lead
auditor also starts the audit; the team and the managers raise a nonconformity from an observation.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from eiso.accounts.models import User
from eiso.audits import services
from eiso.audits.models import AuditFinding, AuditProgramme, AuditScheduleItem, ChecklistItem, InternalAudit
from eiso.core.permissions import Role
from tests.factories import user_with_role
from tests.permission_matrix.harness import (
    QMS_MANAGERS,
    QMS_READERS,
    SCOPES,
    Check,
    Entry,
    each_scope,
    everyone,
    only,
    qms_manage,
    qms_read,
)

read = qms_read
manage = qms_manage
READERS = QMS_READERS
MANAGERS = QMS_MANAGERS
START, END = dt.date(2026, 5, 12), dt.date(2026, 5, 13)


def approve(ok: int):
    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        return ok if role in ("admin", "agency_head") else 403

    return policy


def team_only(ok: int):
    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        return ok if role == "auditor" and scope == "own" else 403

    return policy


def lead_or_manager(ok: int):
    def policy(role, scope):
        if read(role, scope) == 404:
            return 404
        return ok if role == "admin" or role in MANAGERS or (role == "auditor" and scope == "own") else 403

    return policy


def unseen_is_400(policy):
    """An API create naming the scope's object in its body: an object the user cannot see is unknown (400)."""
    return lambda role, scope: 400 if read(role, scope) == 404 else policy(role, scope)


def programme_create(ok: int):
    def policy(role, scope):
        if role == "admin" or (scope == "own" and role in MANAGERS):
            return ok
        return 400 if scope == "foreign" else 403

    return policy


# --- The objects: one per scope and stage, made on first use --------------------------------------------------


def auditor(mx, scope: str):
    if scope == "own":
        return mx.users["auditor"]
    found = User.objects.filter(username=f"auditor-{scope}").first()
    if found:
        return found
    user = user_with_role(Role.AUDITOR, mx.agency[scope])
    user.username = f"auditor-{scope}"
    user.save()
    return user


def programme(mx, scope: str) -> AuditProgramme:
    found = AuditProgramme.objects.filter(agency=mx.agency[scope], year=2026).first()
    if found:
        return found
    made = services.programme_create(actor=None, agency=mx.agency[scope], year=2026, title=f"PROG-marker-{scope}")
    services.programme_entry_add(actor=None, programme=made, planned_month=5, org_unit=mx.unit[scope],
                                 clauses=["9.2"])
    return made


def audit(mx, scope: str, stage: str = "planned") -> InternalAudit:
    """planned: no team; ready: team and checklist; started: in progress, with an observation finding."""
    title = f"AUDIT-marker-{stage}-{scope}"
    found = InternalAudit.objects.filter(agency=mx.agency[scope], title=title).first()
    if found:
        return found
    made = services.audit_create(actor=None, programme=programme(mx, scope), title=title,
                                 processes=[mx.process[scope]], clauses=["9.2"], start_on=START, end_on=END)
    if stage == "planned":
        services.schedule_item_add(actor=None, audit=made, on=START, start_time=dt.time(8), end_time=dt.time(9),
                                   activity=f"SCHEDULE-marker-{scope}")
        return made
    services.audit_team_set(actor=None, audit=made, lead_auditor=auditor(mx, scope))
    services.checklist_build(actor=None, audit=made)
    if stage == "started":
        made = services.audit_transition(actor=None, audit=made, action="start")
        services.finding_record(actor=None, audit=made, grade="observation", clause="9.2",
                                description=f"FINDING-marker-{scope}", evidence="Evidence")
    return made


def every_scope(mx):
    for scope in SCOPES:
        audit(mx, scope, "started")


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def programme_pk(mx, role, scope):
    return programme(mx, scope).pk


def audit_pk(stage="planned"):
    return lambda mx, role, scope: audit(mx, scope, stage).pk


def entry_pk(mx, role, scope):
    return programme(mx, scope).entries.first().pk


def schedule_pk(mx, role, scope):
    return audit(mx, scope).schedule.first().pk


def item_pk(mx, role, scope):
    return audit(mx, scope, "started").checklist.order_by("order").first().pk


def finding_pk(mx, role, scope):
    return audit(mx, scope, "started").findings.first().pk


def at(name, arg):
    return lambda mx, role, scope: reverse(name, args=[arg(mx, role, scope)])


# --- States ---------------------------------------------------------------------------------------------------


def programmes_in(mx, role, scope):
    return AuditProgramme.objects.filter(agency=mx.agency[scope]).count()


def programmes_in_own(mx, role, scope):
    return AuditProgramme.objects.filter(agency=mx.agency["own"]).count()


def programme_state(mx, role, scope):
    p = AuditProgramme.objects.get(pk=programme(mx, scope).pk)
    return p.title, p.status, p.entries.count()


def audits_in(mx, role, scope):
    return InternalAudit.objects.filter(agency=mx.agency[scope]).count()


def audit_state(stage="planned"):
    def state(mx, role, scope):
        a = InternalAudit.objects.get(pk=audit(mx, scope, stage).pk)
        return (a.title, a.status, a.lead_auditor_id, a.schedule.count(), a.checklist.count(),
                AuditScheduleItem.objects.filter(audit=a).count())

    return state


def audit_titles(mx, role, scope):
    return sorted(InternalAudit.objects.filter(agency=mx.agency[scope]).values_list("title", flat=True))


def item_result(mx, role, scope):
    return ChecklistItem.objects.get(pk=item_pk(mx, role, scope)).result


def findings_of(mx, role, scope):
    return AuditFinding.objects.filter(audit=audit(mx, scope, "started")).count()


def finding_nonconformity(mx, role, scope):
    return AuditFinding.objects.get(pk=finding_pk(mx, role, scope)).nonconformity_id


# --- Data -----------------------------------------------------------------------------------------------------


def audit_form(mx, role, scope, api=False):
    data = {"title": f"Planned by {role}", "clauses": ["9.2"] if api else "9.2", "start_on": "2026-06-01",
            "end_on": "2026-06-02"}
    data["processes"] = [str(mx.process[scope].pk)]
    if api:
        data["programme"] = str(programme(mx, scope).pk)
    return data


def schedule_form(mx, role, scope):
    return {"on": "2026-05-12", "start_time": "09:00", "end_time": "10:00", "activity": f"Added by {role}"}


def finding_form(mx, role, scope, api=False):
    data = {"grade": "improvement", "clause": "9.2", "description": f"By {role}", "evidence": "Seen"}
    return {**data, "audit": str(audit(mx, scope, "started").pk)} if api else data


def team_form(mx, role, scope):
    return {"lead_auditor": auditor(mx, scope).pk}


PROG_MARKER = lambda mx, s: f"PROG-marker-{s}"  # noqa: E731
AUDIT_MARKER = lambda mx, s: f"AUDIT-marker-started-{s}"  # noqa: E731
FINDING_MARKER = lambda mx, s: f"FINDING-marker-{s}"  # noqa: E731
READ = (Check("get", read),)


def page(name, arg, *checks) -> Entry:
    return Entry(f"audits:{name}", "page", at(f"audits:{name}", arg), tuple(checks), scoped=True)


def api(name, arg, *checks) -> Entry:
    return Entry(name, "api", at(name, arg), tuple(checks), scoped=True)


AUDITS: list[Entry] = [
    Entry("audits:programme_list", "page", listed("audits:programme_list"),
          (Check("get", everyone(200), shows=each_scope(PROG_MARKER, read)),), scoped=True),
    Entry("audits:programme_add", "page", lambda mx, r, s: reverse("audits:programme_add"), (
        Check("get", only(MANAGERS, 200)),
        Check("post", only(MANAGERS, 302), data=lambda mx, r, s: {"year": 2030, "title": f"By {r}"},
              state=programmes_in_own),
    )),
    page("programme_detail", programme_pk, Check("get", read)),
    page("programme_edit", programme_pk, Check("get", manage(200)),
         Check("post", manage(302), data=lambda mx, r, s: {"year": 2026, "title": f"Renamed by {r}"},
               state=programme_state)),
    page("entry_add", programme_pk, Check("post", manage(302), data=lambda mx, r, s: {
        "org_unit": str(mx.unit[s].pk), "clauses": "8.5", "planned_month": 6}, state=programme_state)),
    page("programme_approve", programme_pk, Check("post", approve(302), state=programme_state)),
    page("programme_copy", programme_pk, Check("post", manage(302), state=programmes_in)),
    page("programme_docx", programme_pk, Check("get", read)),
    page("entry_delete", entry_pk, Check("post", manage(302), state=programme_state)),
    Entry("audits:audit_add", "page", lambda mx, r, s: reverse("audits:audit_add", args=[programme(mx, s).pk]), (
        Check("get", manage(200)),
        Check("post", manage(302), data=audit_form, state=audits_in),
    ), scoped=True),
    page("audit_detail", audit_pk(), Check("get", read)),
    page("audit_edit", audit_pk(), Check("get", manage(200)),
         Check("post", manage(302), data=audit_form, state=audit_titles)),
    page("audit_team", audit_pk(), Check("post", manage(302), data=team_form, state=audit_state())),
    page("schedule_add", audit_pk(), Check("post", manage(302), data=schedule_form, state=audit_state())),
    page("schedule_delete", schedule_pk, Check("post", manage(302), state=audit_state())),
    page("checklist", audit_pk("started"), Check("get", read)),
    page("checklist_build", audit_pk(), Check("post", manage(302), state=audit_state())),
    page("checklist_record", item_pk, Check("post", team_only(302), data=lambda mx, r, s: {
        "result": "conforming", "evidence": "Seen"}, state=item_result)),
    page("finding_add", audit_pk("started"), Check("post", team_only(302), data=finding_form, state=findings_of)),
    page("finding_raise", finding_pk, Check("post", lead_or_manager(302), state=finding_nonconformity)),
    page("audit_transition", audit_pk("ready"), Check("post", lead_or_manager(302),
                                                      data=lambda mx, r, s: {"action": "start"},
                                                      state=audit_state("ready"))),
    page("audit_plan_docx", audit_pk("started"), Check("get", read)),
    page("audit_report_docx", audit_pk("started"), Check("get", read)),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("auditprogramme-list", "api", listed("auditprogramme-list"), (
        Check("get", everyone(200), shows=each_scope(PROG_MARKER, read)),
        Check("post", programme_create(201), data=lambda mx, r, s: {"agency": str(mx.agency[s].pk), "year": 2031},
              state=programmes_in),
    ), scoped=True),
    api("auditprogramme-detail", programme_pk, Check("get", read)),
    api("auditprogramme-entries", programme_pk, Check("post", manage(201), data=lambda mx, r, s: {
        "org_unit": str(mx.unit[s].pk), "planned_month": 7, "clauses": ["8.5"]}, state=programme_state)),
    api("auditprogramme-approve", programme_pk, Check("post", approve(200), state=programme_state)),
    api("auditprogramme-copy", programme_pk, Check("post", manage(201), data=lambda mx, r, s: {"to_year": 2027},
                                                   state=programmes_in)),
    Entry("internalaudit-list", "api", listed("internalaudit-list"), (
        Check("get", everyone(200), shows=each_scope(AUDIT_MARKER, read)),
        Check("post", unseen_is_400(manage(201)), data=lambda mx, r, s: audit_form(mx, r, s, api=True),
              state=audits_in),
    ), scoped=True),
    api("internalaudit-detail", audit_pk(), Check("get", read)),
    api("internalaudit-team", audit_pk(), Check("post", manage(200), data=team_form, state=audit_state())),
    api("internalaudit-schedule", audit_pk(), Check("post", manage(201), data=schedule_form, state=audit_state())),
    api("internalaudit-checklist", audit_pk(), Check("post", manage(200), state=audit_state())),
    api("internalaudit-transition", audit_pk("ready"), Check("post", lead_or_manager(200),
                                                             data=lambda mx, r, s: {"action": "start"},
                                                             state=audit_state("ready"))),
    api("internalaudit-plan-docx", audit_pk("started"), Check("get", read)),
    api("internalaudit-report-docx", audit_pk("started"), Check("get", read)),
    Entry("auditchecklistitem-list", "api", listed("auditchecklistitem-list"), (Check("get", everyone(200)),),
          scoped=True),
    api("auditchecklistitem-detail", item_pk, Check("get", read)),
    api("auditchecklistitem-record", item_pk, Check("post", team_only(200), data=lambda mx, r, s: {
        "result": "conforming"}, state=item_result)),
    Entry("auditfinding-list", "api", listed("auditfinding-list"), (
        Check("get", everyone(200), shows=each_scope(FINDING_MARKER, read)),
        Check("post", unseen_is_400(team_only(201)), data=lambda mx, r, s: finding_form(mx, r, s, api=True),
              state=findings_of),
    ), scoped=True),
    api("auditfinding-detail", finding_pk, Check("get", read)),
    api("auditfinding-raise-nonconformity", finding_pk,
        Check("post", lead_or_manager(201), state=finding_nonconformity)),
]
