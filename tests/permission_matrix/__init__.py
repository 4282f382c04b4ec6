"""The permission matrix: for every URL pattern of eISO, what each role gets in each scope.

Roles (tests/conftest.py `world`): admin (superuser), supervisor (DOST of the province of `own` and
`sibling`), agency_head, iso_coordinator, staff, auditor, consultant (all in `own`).
Scopes: own agency, sibling (another agency of the same province), foreign (an agency of another
province), and the anonymous visitor (tested per entry, without a role).

`MATRIX` names every URL pattern of eiso.urls; `test_every_url_pattern_has_a_matrix_entry` fails when
a new endpoint is added without a row. Each row lists the requests made on it (`Check`) and the
status each role must get in each scope; a refused write must leave the data unchanged and an
allowed one must change it; `shows` lists what a 200 response must and must not contain.

Decisions made visible here (the policy where the code had to choose):
* SCHEMA_IS_PUBLIC: /api/v1/schema/, /api/v1/docs/ and /api/v1/redoc/ answer anonymous visitors
  (drf-spectacular's SERVE_PERMISSIONS default, AllowAny). The schema describes endpoints, no data.
* A list page or list endpoint a role may open but holds nothing for it answers 200 with no rows
  (staff on /audit-log/); only the people directory refuses non-managers outright (403).
* People (users page/API) are visible like role assignments: head, coordinator, supervisor, admin,
  and every user sees themself.
* The administrator works "in" an agency chosen with the switcher like everyone else: the matrix
  signs the administrator in with `own` as the current agency.
* Creating an org unit in an agency the user cannot see (body field `agency`) answers like an
  unknown agency (400, same body as a random id); in a visible agency whose internals the user may
  not write: 403.
* Switching the current agency is limited to agencies where the user holds a role; the supervisor
  holds a role in DOST only, so switching to a supervised agency is 404.
"""
