"""The Circular 26/2014 Art. 36 inspection points of the checklist. One definition serves the periodic report and the
inspection: `eiso.reporting.points` (the points as data, and what eISO's records say of each); this module only
shapes it for the checklist."""

from __future__ import annotations

from dataclasses import replace

from eiso.reporting import points as reporting_points

KEYS = reporting_points.KEYS


def points():
    """The points in the order of the article (`.key`, `.title` as text in the active language)."""
    return [replace(point, title=str(point.title)) for point in reporting_points.POINTS]


def titles() -> dict[str, str]:
    return {point.key: str(point.title) for point in reporting_points.POINTS}


def point_states(*, agency, year: int) -> dict:
    """{key: (met, detail)}: what eISO's records of `agency` say of each point in `year`."""
    return {state.key: (state.met, str(state.detail or ""))
            for state in reporting_points.point_states(agency=agency, year=year)}
