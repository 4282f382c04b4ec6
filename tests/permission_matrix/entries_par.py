"""Matrix rows: administrative reform (PAR index) evidence (pages and API).

The criteria are records of a province's supervising authority: read by the supervisors of the province (and
national supervisors, not a matrix role), written by them and the administrator; agency people do not see them
(province-wide pages: 403; a criterion: 404). Scopes: own and sibling are criteria of the matrix province (own's
and sibling's province), foreign a criterion of the other province (whose authority is made here).
The province page and its XLSX are for supervisors and the administrator (403 for agency people). One agency's
page and evidence ZIP: its head and ISO coordinator, the supervisor of its province, the administrator; everyone
else 404. The menu entry sends supervisors to the province page and the agency's managers to their agency's (302);
other roles get 403.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from eiso.par.models import ParCriterion
from eiso.par.services import criterion_create
from tests.permission_matrix.harness import SCOPES, Check, Entry, authority_of, each_scope, everyone

YEAR = 2026
CODES = {"own": "6.1", "sibling": "6.2", "foreign": "6.3"}
MANAGERS = frozenset({"agency_head", "iso_coordinator"})


def province(mx, scope):
    return mx.agency[scope].province


def criterion(mx, scope) -> ParCriterion:
    """The scope's criterion of 2026 (the foreign province gets a supervising authority first)."""
    found = ParCriterion.objects.filter(code=CODES[scope], year=YEAR).first()
    if found:
        return found
    target = province(mx, scope)
    authority_of(mx, scope)
    return criterion_create(actor=None, province=target, data={
        "year": YEAR, "code": CODES[scope], "name": f"PARCRIT-marker-{scope}", "max_points": Decimal("1"),
        "rule": "internal_audit_done", "scoring": "all_or_nothing", "note": ""})


def every_scope(mx):
    for scope in SCOPES:
        criterion(mx, scope)


# --- Policies -------------------------------------------------------------------------------------------------


def supervise(ok: int, refused: int = 403):
    """Province-wide pages (the scope's province): administrator; the supervisor of own/sibling's province (404 for
    another); agency people `refused`."""

    def policy(role, scope):
        if role == "admin":
            return ok
        if role == "supervisor":
            return 404 if scope == "foreign" else ok
        return refused

    return policy


def agency_evidence(role, scope):
    """One agency's PAR page and ZIP: its head and coordinator, the supervisor of its province, the admin."""
    if role == "admin":
        return 200
    if role == "supervisor":
        return 404 if scope == "foreign" else 200
    return 200 if scope == "own" and role in MANAGERS else 404


def index(role, scope):
    return 302 if role in ("admin", "supervisor") or role in MANAGERS else 403


def criterion_write(ok: int):
    """A criterion: seen and written by the supervisor of its province and the administrator; nobody else sees it."""
    return supervise(ok, refused=404)


def api_create(role, scope):
    """Body `province`: a province the user does not supervise is unknown (400)."""
    if role == "admin" or (role == "supervisor" and scope != "foreign"):
        return 201
    return 400


def criterion_marker_seen(role, scope):
    return 200 if criterion_write(200)(role, scope) == 200 else 404


# --- Paths and states -----------------------------------------------------------------------------------------


def with_province(name):
    def path(mx, role, scope):
        every_scope(mx)
        return f"{reverse(name)}?province={province(mx, scope).pk}&year={YEAR}"

    return path


def with_agency(name):
    def path(mx, role, scope):
        every_scope(mx)
        return f"{reverse(name)}?agency={mx.agency[scope].pk}&year={YEAR}"

    return path


def at(name):
    return lambda mx, role, scope: reverse(name, args=[criterion(mx, scope).pk])


def listed(name):
    def path(mx, role, scope):
        every_scope(mx)
        return reverse(name)

    return path


def criterion_name(mx, role, scope):
    return ParCriterion.objects.filter(pk=criterion(mx, scope).pk).values_list("name", flat=True).first()


def criterion_exists(mx, role, scope):
    """Made by the path before the check; gone once deleted (not made again here)."""
    return ParCriterion.objects.filter(code=CODES[scope], year=YEAR).exists()


def added(mx, role, scope):
    return ParCriterion.objects.filter(code=f"N-{role}").count()


def copies(mx, role, scope):
    return ParCriterion.objects.filter(year=YEAR + 1, agency__province=province(mx, scope)).count()


def form(mx, role, scope, **changes):
    return {"year": YEAR, "code": f"N-{role}", "name": f"Tiêu chí mới {role}", "max_points": "0.5",
            "rule": "all", "scoring": "proportional", "note": "", **changes}


MARKER = lambda mx, s: f"PARCRIT-marker-{s}"  # noqa: E731
AGENCY_ROW = lambda mx, s: f'data-agency="{mx.agency[s].pk}"'  # noqa: E731


def province_rows(role, scope):
    """The province page (of the user's own province) lists own's and sibling's agencies."""
    return 200 if role in ("admin", "supervisor") and scope != "foreign" else 404


PAR: list[Entry] = [
    Entry("par:index", "page", listed("par:index"), (Check("get", index),)),
    Entry("par:province", "page", listed("par:province"),
          (Check("get", supervise(200), shows=each_scope(AGENCY_ROW, province_rows)),)),
    Entry("par:province_xlsx", "page", with_province("par:province_xlsx"), (Check("get", supervise(200)),),
          scoped=True),
    Entry("par:agency", "page", with_agency("par:agency"), (Check("get", agency_evidence),), scoped=True),
    Entry("par:evidence_zip", "page", with_agency("par:evidence_zip"), (Check("get", agency_evidence),),
          scoped=True),
    Entry("par:criterion_list", "page", with_province("par:criterion_list"),
          (Check("get", supervise(200), shows=lambda mx, role, scope: {
              MARKER(mx, s): supervise(200)(role, scope) == 200 and (s == "foreign") == (scope == "foreign")
              for s in SCOPES}),), scoped=True),
    Entry("par:criterion_add", "page", with_province("par:criterion_add"), (
        Check("get", supervise(200)),
        Check("post", supervise(302), data=form, state=added),
    ), scoped=True),
    Entry("par:criteria_copy", "page", with_province("par:criteria_copy"), (
        Check("post", supervise(302), data=lambda mx, r, s: {"from_year": YEAR, "to_year": YEAR + 1}, state=copies),
    ), scoped=True),
    Entry("par:criterion_edit", "page", at("par:criterion_edit"), (
        Check("get", criterion_write(200)),
        Check("post", criterion_write(302), data=lambda mx, r, s: form(mx, r, s, code=CODES[s], name=f"Đổi {r}"),
              state=criterion_name),
    ), scoped=True),
    Entry("par:criterion_delete", "page", at("par:criterion_delete"), (
        Check("get", criterion_write(200)),
        Check("post", criterion_write(302), state=criterion_exists),
    ), scoped=True),
    # --- API ------------------------------------------------------------------------------------------------
    Entry("parcriterion-list", "api", listed("parcriterion-list"), (
        Check("get", everyone(200), shows=each_scope(lambda mx, s: str(criterion(mx, s).pk), criterion_marker_seen)),
        Check("post", api_create, data=lambda mx, r, s: {**form(mx, r, s), "province": province(mx, s).pk},
              state=added),
    ), scoped=True),
    Entry("parcriterion-detail", "api", at("parcriterion-detail"), (
        Check("get", criterion_write(200)),
        Check("patch", criterion_write(200), data=lambda mx, r, s: {"name": f"Đổi {r}"}, state=criterion_name),
        Check("put", criterion_write(200), data=lambda mx, r, s: form(mx, r, s, code=CODES[s], name=f"Thay {r}"),
              state=criterion_name),
        Check("delete", criterion_write(204), state=criterion_exists),
    ), scoped=True),
    Entry("parcriterion-copy-year", "api", listed("parcriterion-copy-year"), (
        Check("post", api_create, data=lambda mx, r, s: {"province": province(mx, s).pk, "from_year": YEAR,
                                                         "to_year": YEAR + 1}, state=copies),
    ), scoped=True),
]
