"""Matrix rows: the API root and the API of organizations, accounts, the audit trail and calendars."""

from __future__ import annotations

from eiso.accounts.models import ApiToken
from eiso.calendars.models import CalendarDay
from eiso.core.models import AuditLogEntry
from eiso.organizations.models import QMS, Agency, OrgUnit, RoleAssignment
from tests.permission_matrix.harness import (
    AGENCY_ROLES,
    AUDIT_VIEWERS,
    EDITORS,
    MANAGERS,
    PEOPLE_VIEWERS,
    SCOPES,
    Check,
    Entry,
    agency_change,
    agency_code_exists,
    agency_create,
    agency_name,
    assign_role,
    assignment_exists,
    audit_entry,
    create_in_agency,
    directory,
    each_scope,
    everyone,
    internal_read,
    internal_write,
    new_agency,
    newcomer_roles,
    only,
    own_token,
    person_name,
    token_revoked,
    unit_exists,
    unit_name,
    url,
)


def agency_api_body(mx, scope, **changes):
    """A complete PUT body of the scope's agency (code, name, kind: required), as it is but for `changes`."""
    a = mx.agency[scope]
    return {"code": a.code, "name": a.name, "short_name": a.short_name, "kind": a.kind, "admin_unit": a.admin_unit_id,
            "parent": str(a.parent_id) if a.parent_id else None, **changes}


def unit_api_body(mx, scope, **changes):
    """A complete PUT body of the scope's org unit (name: required), as it is but for `changes`."""
    u = mx.unit[scope]
    return {"name": u.name, "code": u.code, "parent": str(u.parent_id) if u.parent_id else None, **changes}


ORGANIZATION_API: list[Entry] = [
    # --- API ----------------------------------------------------------------------------------------
    Entry("api-root", "api", url("api-root"), (Check("get", everyone(200)),)),
    Entry(
        "adminunit-list",
        "api",
        url("adminunit-list"),
        (
            Check("get", everyone(200)),
            Check("post", everyone(405), data=lambda mx, r, s: {"code": "99", "name": "X", "level": "province"}),
        ),
    ),
    Entry(
        "adminunit-detail",
        "api",
        url("adminunit-detail", lambda mx, r, s: mx.agency[s].admin_unit_id),
        (
            Check("get", everyone(200)),
            Check("put", everyone(405), data=lambda mx, r, s: {"name": "X"}),
            Check("patch", everyone(405), data=lambda mx, r, s: {"name": "X"}),
            Check("delete", everyone(405)),
        ),
    ),
    Entry(
        "agency-list",
        "api",
        url("agency-list"),
        (
            Check("get", everyone(200), shows=each_scope(lambda mx, s: str(mx.agency[s].pk), directory)),
            Check(
                "post",
                agency_create(201),
                data=lambda mx, r, s: new_agency(mx, r, s, api=True),
                state=agency_code_exists,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "agency-detail",
        "api",
        url("agency-detail", lambda mx, r, s: mx.agency[s].pk),
        (
            Check("get", directory),
            Check("patch", agency_change(200), data=lambda mx, r, s: {"name": f"Đổi tên {s}"}, state=agency_name),
            Check("put", agency_change(200), data=lambda mx, r, s: agency_api_body(mx, s, name=f"Thay tên {s}"),
                  state=agency_name),
            Check("delete", everyone(405), state=lambda mx, r, s: Agency.objects.filter(pk=mx.agency[s].pk).exists()),
        ),
        scoped=True,
    ),
    Entry(
        "qms-list",
        "api",
        url("qms-list"),
        (
            Check("get", everyone(200), shows=each_scope(lambda mx, s: str(mx.qms[s].pk), internal_read(AGENCY_ROLES))),
            Check("post", everyone(405), data=lambda mx, r, s: {"code": "X", "name": "X"}),
        ),
    ),
    Entry(
        "qms-detail",
        "api",
        url("qms-detail", lambda mx, r, s: mx.qms[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check(
                "patch",
                everyone(405),
                data=lambda mx, r, s: {"name": "X"},
                state=lambda mx, r, s: QMS.objects.get(pk=mx.qms[s].pk).name,
            ),
        ),
        scoped=True,
    ),
    Entry(
        "orgunit-list",
        "api",
        url("orgunit-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AGENCY_ROLES))
            ),
            Check(
                "post",
                create_in_agency(201),
                data=lambda mx, r, s: {"name": "Đơn vị API", "agency": str(mx.agency[s].pk)},
                state=lambda mx, r, s: OrgUnit.objects.filter(name="Đơn vị API").count(),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "orgunit-detail",
        "api",
        url("orgunit-detail", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_read(AGENCY_ROLES)),
            Check("patch", internal_write(EDITORS, 200), data=lambda mx, r, s: {"name": "Tên API"}, state=unit_name),
            Check("put", internal_write(EDITORS, 200), data=lambda mx, r, s: unit_api_body(mx, s, name="Tên PUT"),
                  state=unit_name),
            Check("delete", internal_write(MANAGERS, 204), state=unit_exists),
        ),
        scoped=True,
    ),
    Entry(
        "user-list",
        "api",
        url("user-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: f'"{mx.person[s].username}"', internal_read(PEOPLE_VIEWERS)),
            ),
            Check("post", everyone(405), data=lambda mx, r, s: {"username": "x"}),
        ),
    ),
    Entry(
        "user-detail",
        "api",
        url("user-detail", lambda mx, r, s: mx.person[s].pk),
        (
            Check("get", internal_read(PEOPLE_VIEWERS)),
            Check("patch", everyone(405), data=lambda mx, r, s: {"full_name": "X"}, state=person_name),
        ),
        scoped=True,
    ),
    Entry(
        "roleassignment-list",
        "api",
        url("roleassignment-list"),
        (
            Check(
                "get",
                everyone(200),
                shows=each_scope(lambda mx, s: str(mx.assignment[s].pk), internal_read(PEOPLE_VIEWERS)),
            ),
            Check(
                "post",
                assign_role(201),
                state=newcomer_roles,
                data=lambda mx, r, s: {"user": mx.newcomer.pk, "agency": str(mx.agency[s].pk), "role": "staff"},
            ),
        ),
        scoped=True,
    ),
    Entry(
        "roleassignment-detail",
        "api",
        url("roleassignment-detail", lambda mx, r, s: mx.assignment[s].pk),
        (
            Check("get", internal_read(PEOPLE_VIEWERS)),
            Check(
                "patch",
                everyone(405),
                data=lambda mx, r, s: {"role": "agency_head"},
                state=lambda mx, r, s: RoleAssignment.objects.get(pk=mx.assignment[s].pk).role,
            ),
            Check("delete", internal_write(MANAGERS, 204, PEOPLE_VIEWERS), state=assignment_exists),
        ),
        scoped=True,
    ),
    Entry(
        "apitoken-list",
        "api",
        url("apitoken-list"),
        (
            Check("get", everyone(200), shows=lambda mx, r, s: {str(mx.token(r, sc).pk): sc == "own" for sc in SCOPES}),
            Check(
                "post",
                everyone(201),
                data=lambda mx, r, s: {"name": "nouveau"},
                state=lambda mx, r, s: ApiToken.objects.filter(user=mx.users[r]).count(),
            ),
        ),
    ),
    Entry(
        "apitoken-detail",
        "api",
        url("apitoken-detail", lambda mx, r, s: mx.token(r, s).pk),
        (
            Check("get", own_token(200)),
            Check(
                "delete", everyone(405), state=lambda mx, r, s: ApiToken.objects.filter(pk=mx.token(r, s).pk).exists()
            ),
        ),
        scoped=True,
    ),
    Entry(
        "apitoken-revoke",
        "api",
        url("apitoken-revoke", lambda mx, r, s: mx.token(r, s).pk),
        (Check("post", own_token(200), state=token_revoked),),
        scoped=True,
    ),
    Entry(
        "auditlog-list",
        "api",
        url("auditlog-list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AUDIT_VIEWERS))
            ),
            Check(
                "post",
                everyone(405),
                state=lambda mx, r, s: AuditLogEntry.objects.count(),
                data=lambda mx, r, s: {"object_repr": "forged", "action": "create", "object_id": "1"},
            ),
        ),
    ),
    Entry(
        "auditlog-detail",
        "api",
        url("auditlog-detail", lambda mx, r, s: mx.audit[s].pk),
        (
            Check("get", internal_read(AUDIT_VIEWERS)),
            Check("put", everyone(405), data=lambda mx, r, s: {"object_repr": "forged"}, state=audit_entry),
            Check("patch", everyone(405), data=lambda mx, r, s: {"object_repr": "forged"}, state=audit_entry),
            Check("delete", everyone(405), state=audit_entry),
        ),
        scoped=True,
    ),
    Entry(
        "calendarday-list",
        "api",
        url("calendarday-list"),
        (
            Check("get", everyone(200)),
            Check(
                "post",
                only((), 201),
                state=lambda mx, r, s: CalendarDay.objects.count(),
                data=lambda mx, r, s: {"date": "2026-03-10", "kind": "day_off", "name": "Nghỉ bù"},
            ),
        ),
    ),
    Entry(
        "calendarday-detail",
        "api",
        url("calendarday-detail", lambda mx, r, s: mx.day.pk),
        (
            Check("get", everyone(200)),
            Check("delete", only((), 204), state=lambda mx, r, s: CalendarDay.objects.filter(pk=mx.day.pk).exists()),
        ),
    ),
    Entry(
        "calendar-add-working-time",
        "api",
        url("calendar-add-working-time"),
        (Check("post", everyone(200), data=lambda mx, r, s: {"start": "2026-03-10T08:00:00+07:00", "days": "1"}),),
    ),
    Entry(
        "calendar-working-time-between",
        "api",
        url("calendar-working-time-between"),
        (
            Check(
                "post",
                everyone(200),
                data=lambda mx, r, s: {"start": "2026-03-10T08:00:00+07:00", "end": "2026-03-11T08:00:00+07:00"},
            ),
        ),
    ),
]
