"""Matrix rows: the pages of core, accounts, organizations and calendars, and set_language."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from eiso.accounts.models import ApiToken, User
from eiso.calendars.models import CalendarDay
from eiso.organizations.models import Agency, OrgUnit
from tests.factories import PASSWORD
from tests.permission_matrix.harness import (
    AGENCY_ROLES,
    AUDIT_VIEWERS,
    EDITORS,
    MANAGERS,
    PAGE_EVERYONE_200,
    PEOPLE_VIEWERS,
    SCOPES,
    Check,
    Entry,
    adminunit_detail_shows,
    agency_change,
    agency_code_exists,
    agency_detail_shows,
    agency_form,
    agency_name,
    assignment_exists,
    directory,
    each_scope,
    everyone,
    internal_read,
    internal_write,
    new_agency,
    newcomer_roles,
    only,
    orgunit_page_list,
    own_token,
    person_name,
    switch_agency,
    token_revoked,
    unit_exists,
    unit_name,
    url,
    user_url,
)

# --- Mergers -----------------------------------------------------------------------------------------------------
# Recording a merger and the list of mergers: the supervisor (of its province) and the administrator; agency people
# 403. "Predecessor agencies" (?agency=): the agency's people (any role), the supervisor of its province, the
# administrator; everyone else 404. Starting the current agency's QMS from a predecessor: its head and coordinator
# (and the administrator, working in own) act; staff, auditors and consultants see the page but get 403; the
# supervisor works in its department, which has no predecessor: 404.


def merged_into(mx, scope: str) -> Agency:
    """A commune merged into the scope's agency on 01/03/2026 (made on first use), with one draft process."""
    from eiso.organizations.mergers import predecessors_of

    successor = mx.agency[scope]
    found = predecessors_of(successor)
    if found:
        return found[0]
    import datetime as dt

    from eiso.organizations.models import QMS
    from eiso.organizations.services import agency_record_merger
    from eiso.processes.services import process_create
    from tests.factories import AgencyFactory, CommuneFactory

    predecessor = AgencyFactory(name=f"MERGED-marker-{scope}", admin_unit=CommuneFactory(parent=successor.province))
    qms = QMS.objects.create(agency=predecessor, code="HTQLCL", name=f"HTQLCL {predecessor.name}")
    process_create(actor=None, qms=qms, kind="procedure", code="QT-MERGED", title="Quy trình của xã cũ")
    agency_record_merger(actor=None, predecessors=[predecessor], successor=successor, on=dt.date(2026, 3, 1),
                         legal_basis="Nghị quyết 1670/NQ-UBTVQH15")
    return predecessor


def merger_pair(mx) -> tuple:
    """Two agencies of the matrix province to merge (made on first use)."""
    from tests.factories import AgencyFactory, CommuneFactory

    pair = []
    for code in ("MX-PRED", "MX-SUCC"):
        agency = Agency.objects.filter(code=code).first() or AgencyFactory(
            code=code, admin_unit=CommuneFactory(parent=mx.world.province))
        pair.append(agency)
    return tuple(pair)


def merger_form(mx, role, scope):
    predecessor, successor = merger_pair(mx)
    return {"predecessors": [str(predecessor.pk)], "successor": str(successor.pk), "effective_on": "2026-03-01",
            "legal_basis": "Nghị quyết 1670/NQ-UBTVQH15"}


def merger_ended(mx, role, scope):
    return Agency.objects.get(pk=merger_pair(mx)[0].pk).valid_to


def predecessors_page(role: str, scope: str) -> int:
    if role == "admin":
        return 200
    if role == "supervisor":
        return 404 if scope == "foreign" else 200
    return 200 if scope == "own" else 404


def start_from(role: str, scope: str) -> int:
    if role in ("admin", "agency_head", "iso_coordinator"):
        return 302
    return 404 if role == "supervisor" else 403


def predecessors_path(mx, role, scope):
    merged_into(mx, scope)
    return f"{reverse('organizations:predecessors')}?agency={mx.agency[scope].pk}"


MERGER_PAGES: list[Entry] = [
    Entry("organizations:merger_list", "page", url("organizations:merger_list"),
          (Check("get", only({"supervisor"}, 200)),)),
    Entry("organizations:merger_add", "page", url("organizations:merger_add"), (
        Check("get", only({"supervisor"}, 200)),
        Check("post", only({"supervisor"}, 302), data=merger_form, state=merger_ended),
    )),
    Entry("organizations:predecessors", "page", predecessors_path, (
        Check("get", predecessors_page, shows=lambda mx, role, scope: {
            f"MERGED-marker-{scope}": predecessors_page(role, scope) == 200}),
    ), scoped=True),
    Entry("organizations:predecessor_start", "page",
          lambda mx, r, s: reverse("organizations:predecessor_start", args=[merged_into(mx, "own").pk]),
          (Check("post", start_from),)),
]

ORGANIZATION_PAGES: list[Entry] = [
    # --- core ---------------------------------------------------------------------------------------
    Entry("core:home", "page", url("core:home"), PAGE_EVERYONE_200),
    Entry(
        "core:switch_agency",
        "page",
        url("core:switch_agency"),
        (Check("post", switch_agency, data=lambda mx, r, s: {"agency": str(mx.agency[s].pk)}),),
        scoped=True,
    ),
    Entry(
        "core:auditlog_list",
        "page",
        url("core:auditlog_list"),
        (
            Check(
                "get",
                everyone(200),
                query="?all=1",
                shows=each_scope(lambda mx, s: str(mx.unit[s].pk), internal_read(AUDIT_VIEWERS)),
            ),
        ),
    ),
    # --- accounts -----------------------------------------------------------------------------------
    Entry("accounts:login", "page", url("accounts:login"), (Check("get", everyone(302)),), anonymous=200),
    Entry("accounts:logout", "page", url("accounts:logout"), (Check("post", everyone(302)),)),
    Entry("accounts:password_change", "page", url("accounts:password_change"), PAGE_EVERYONE_200),
    Entry(
        "accounts:user_list",
        "page",
        url("accounts:user_list"),
        (
            Check(
                "get", only(MANAGERS | {"supervisor"}, 200), shows=each_scope(user_url, internal_read(PEOPLE_VIEWERS))
            ),
        ),
    ),
    Entry(
        "accounts:user_add",
        "page",
        url("accounts:user_add"),
        (
            Check("get", only(MANAGERS, 200)),
            Check(
                "post",
                only(MANAGERS, 302),
                data=lambda mx, r, s: {"username": f"new-{r}", "full_name": "Người mới", "password": PASSWORD},
                state=lambda mx, r, s: User.objects.filter(username=f"new-{r}").exists(),
            ),
        ),
    ),
    Entry(
        "accounts:user_detail",
        "page",
        url("accounts:user_detail", lambda mx, r, s: mx.person[s].pk),
        (Check("get", internal_read(PEOPLE_VIEWERS)),),
        scoped=True,
    ),
    Entry(
        "accounts:user_edit",
        "page",
        url("accounts:user_edit", lambda mx, r, s: mx.person[s].pk),
        (
            Check("get", internal_write(MANAGERS, 200, PEOPLE_VIEWERS)),
            Check(
                "post",
                internal_write(MANAGERS, 302, PEOPLE_VIEWERS),
                state=person_name,
                data=lambda mx, r, s: {
                    "full_name": "Tên đã đổi",
                    "position": "",
                    "email": "",
                    "phone": "",
                    "is_active": "on",
                },
            ),
        ),
        scoped=True,
    ),
    Entry(
        "accounts:role_add",
        "page",
        url("accounts:role_add"),
        (
            Check("get", only(MANAGERS, 200)),
            Check(
                "post",
                only(MANAGERS, 302),
                state=newcomer_roles,
                data=lambda mx, r, s: {
                    "user": "newcomer",
                    "agency": str(mx.agency["own"].pk),
                    "role": "staff",
                    "is_recursive": "on",
                },
            ),
        ),
    ),
    Entry(
        "accounts:role_revoke",
        "page",
        url("accounts:role_revoke", lambda mx, r, s: mx.assignment[s].pk),
        (Check("post", internal_write(MANAGERS, 302, PEOPLE_VIEWERS), state=assignment_exists),),
        scoped=True,
    ),
    Entry(
        "accounts:token_list",
        "page",
        url("accounts:token_list"),
        (
            Check("get", everyone(200), shows=lambda mx, r, s: {mx.token(r, sc).name: sc == "own" for sc in SCOPES}),
            Check(
                "post",
                everyone(200),
                data=lambda mx, r, s: {"name": "nouveau"},
                state=lambda mx, r, s: ApiToken.objects.filter(user=mx.users[r]).count(),
            ),
        ),
    ),
    Entry(
        "accounts:token_revoke",
        "page",
        url("accounts:token_revoke", lambda mx, r, s: mx.token(r, s).pk),
        (Check("post", own_token(302), state=token_revoked),),
        scoped=True,
    ),
    # Two-factor sign-in (off in the test settings: nobody here has to confirm a code; tests/accounts covers it on).
    # Without an authenticator the code step sends everyone to set one up; a wrong code turns nothing on.
    Entry("accounts:two_factor", "page", url("accounts:two_factor"),
          (Check("get", everyone(302)), Check("post", everyone(302), data=lambda mx, r, s: {"code": "12"}))),
    Entry("accounts:two_factor_setup", "page", url("accounts:two_factor_setup"),
          (Check("get", everyone(200)), Check("post", everyone(200), data=lambda mx, r, s: {"code": "12"}))),
    Entry(
        "accounts:two_factor_reset",
        "page",
        url("accounts:two_factor_reset", lambda mx, r, s: mx.person[s].pk),
        (Check("post", internal_write(MANAGERS, 302, PEOPLE_VIEWERS),
               state=lambda mx, r, s: TOTPDevice.objects.filter(user=mx.person[s]).count()),),
        scoped=True,
    ),
    Entry(
        "accounts:sign_in_unlock",
        "page",
        url("accounts:sign_in_unlock", lambda mx, r, s: mx.person[s].pk),
        (Check("post", internal_write(MANAGERS, 302, PEOPLE_VIEWERS),
               state=lambda mx, r, s: AccessAttempt.objects.filter(username=mx.person[s].username).count()),),
        scoped=True,
    ),
    # --- organizations ------------------------------------------------------------------------------
    Entry("organizations:adminunit_list", "page", url("organizations:adminunit_list"), PAGE_EVERYONE_200),
    Entry(
        "organizations:adminunit_detail",
        "page",
        url("organizations:adminunit_detail", lambda mx, r, s: mx.agency[s].admin_unit_id),
        (Check("get", everyone(200), shows=adminunit_detail_shows),),
        scoped=True,
    ),
    Entry(
        "organizations:agency_list",
        "page",
        url("organizations:agency_list"),
        (Check("get", everyone(200), shows=each_scope(lambda mx, s: mx.agency[s].get_absolute_url(), directory)),),
    ),
    Entry(
        "organizations:agency_add",
        "page",
        url("organizations:agency_add"),
        (
            Check("get", only({"supervisor"}, 200)),
            Check("post", only({"supervisor"}, 302), data=new_agency, state=agency_code_exists),
        ),
    ),
    Entry(
        "organizations:agency_detail",
        "page",
        url("organizations:agency_detail", lambda mx, r, s: mx.agency[s].pk),
        (Check("get", directory, shows=agency_detail_shows),),
        scoped=True,
    ),
    Entry(
        "organizations:agency_edit",
        "page",
        url("organizations:agency_edit", lambda mx, r, s: mx.agency[s].pk),
        (
            Check("get", agency_change(200)),
            Check(
                "post",
                agency_change(302),
                state=agency_name,
                data=lambda mx, r, s: agency_form(mx, s, name=f"Đổi tên {s}"),
            ),
        ),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_list",
        "page",
        url("organizations:orgunit_list"),
        (
            Check(
                "get", everyone(200), shows=each_scope(lambda mx, s: mx.unit[s].get_absolute_url(), orgunit_page_list)
            ),
        ),
    ),
    Entry(
        "organizations:orgunit_add",
        "page",
        url("organizations:orgunit_add"),
        (
            Check("get", only(EDITORS, 200)),
            Check(
                "post",
                only(EDITORS, 302),
                data=lambda mx, r, s: {"name": f"Đơn vị mới {r}", "code": "", "parent": ""},
                state=lambda mx, r, s: OrgUnit.objects.filter(name=f"Đơn vị mới {r}").exists(),
            ),
        ),
    ),
    Entry(
        "organizations:orgunit_detail",
        "page",
        url("organizations:orgunit_detail", lambda mx, r, s: mx.unit[s].pk),
        (Check("get", internal_read(AGENCY_ROLES)),),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_edit",
        "page",
        url("organizations:orgunit_edit", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_write(EDITORS, 200)),
            Check(
                "post",
                internal_write(EDITORS, 302),
                state=unit_name,
                data=lambda mx, r, s: {"name": "Tên mới", "code": "", "parent": ""},
            ),
        ),
        scoped=True,
    ),
    Entry(
        "organizations:orgunit_delete",
        "page",
        url("organizations:orgunit_delete", lambda mx, r, s: mx.unit[s].pk),
        (
            Check("get", internal_write(MANAGERS, 200)),
            Check("post", internal_write(MANAGERS, 302), state=unit_exists),
        ),
        scoped=True,
    ),
    # --- calendar -----------------------------------------------------------------------------------
    Entry(
        "calendars:calendar",
        "page",
        url("calendars:calendar"),
        (
            Check("get", everyone(200)),
            Check(
                "post",
                only((), 302),
                state=lambda mx, r, s: CalendarDay.objects.count(),
                data=lambda mx, r, s: {"date": "10/03/2026", "kind": "day_off", "name": "Nghỉ bù", "note": ""},
            ),
        ),
    ),
    Entry("calendars:deadline", "page", url("calendars:deadline"), PAGE_EVERYONE_200),
    *MERGER_PAGES,
    Entry(
        "set_language",
        "page",
        url("set_language"),
        (Check("post", everyone(302), data=lambda mx, r, s: {"language": "vi"}),),
        anonymous=302,
    ),
]
