"""The Circular 26/2014 Art. 36 inspection points, read from the reporting app (its contract, through
eiso.compliance.contracts.resolve): `eiso.reporting.points.POINTS` (the points as data, in order) and
`eiso.reporting.points.point_states(*, agency, year, today=None)` (what eISO's records say of each point).

When the reporting app does not provide them (yet), the checklist is built from the keys fixed by issue 7's contract
and titled by key; the "eISO records show" column stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from eiso.compliance.contracts import resolve

POINTS_PATH = "eiso.reporting.points.POINTS"
POINT_STATES_PATH = "eiso.reporting.points.point_states"

# The keys of the points, in the order of Art. 36 (the contract shared with eiso.reporting.points).
KEYS = (
    "scope_covers_procedures", "documents_disseminated", "requirements_complied", "processes_executed",
    "review_audit_corrective", "complaints_handled", "improvements_made", "leadership_participation",
    "effectiveness_confirmed", "announcement_made", "legal_changes_within_3_months", "reannounced_on_scope_change",
    "consultant_licensed",
)


@dataclass(frozen=True)
class Point:
    key: str
    title: str


def _points_data():
    """POINTS of the reporting app, or None when it does not exist yet."""
    return resolve(POINTS_PATH)


def _as_point(item) -> Point:
    if isinstance(item, dict):
        return Point(str(item["key"]), str(item.get("title") or item["key"]))
    if isinstance(item, (tuple, list)):
        return Point(str(item[0]), str(item[1]) if len(item) > 1 else str(item[0]))
    return Point(str(item.key), str(getattr(item, "title", "") or item.key))


def points() -> list[Point]:
    """The points in order, titled in the active language (by key when the reporting app gives no titles)."""
    data = _points_data()
    if data is None:
        return [Point(key, key) for key in KEYS]
    if isinstance(data, dict):
        data = [value if hasattr(value, "key") or isinstance(value, dict) else (key, value)
                for key, value in data.items()]
    return [_as_point(item) for item in data]


def titles() -> dict[str, str]:
    return {point.key: point.title for point in points()}


def point_states(*, agency, year: int) -> dict | None:
    """{key: (met, detail)} from the reporting app's records of `agency` for `year`; None when it does not exist."""
    provider = resolve(POINT_STATES_PATH)
    if provider is None:
        return None
    return {str(state.key): (state.met, str(state.detail or "")) for state in provider(agency=agency, year=year)}
