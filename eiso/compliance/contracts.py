"""Calling other apps' contract functions by their dotted path (see the cross-app contracts of issue 6).

The apps that provide them (objectives, audits, reviews, risks, improvement) are installed, but a provider may
not exist yet in a given deployment while the QMS year is being built. `resolve()` answers None only when the
provider's module or function does not exist; any other error (an import error inside the provider, a crash of
the function) propagates, so a broken provider shows in the tests instead of being hidden.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

OBJECTIVES_SET_ON = "eiso.objectives.selectors.objectives_set_on"
AUDIT_COMPLETED_ON = "eiso.audits.selectors.audit_completed_on"
REVIEW_HELD_ON = "eiso.reviews.selectors.review_held_on"
EFFECTIVENESS_CONFIRMED_ON = "eiso.reviews.selectors.effectiveness_confirmed_on"
OBJECTIVES_COPY_YEAR = "eiso.objectives.services.objectives_copy_year"
PROGRAMME_COPY_YEAR = "eiso.audits.services.programme_copy_year"

EVIDENCE_PROVIDERS = {
    "objectives": "eiso.objectives.selectors.evidence_records",
    "risks": "eiso.risks.selectors.evidence_records",
    "audits": "eiso.audits.selectors.evidence_records",
    "improvement": "eiso.improvement.selectors.evidence_records",
    "reviews": "eiso.reviews.selectors.evidence_records",
}

ALL = (OBJECTIVES_SET_ON, AUDIT_COMPLETED_ON, REVIEW_HELD_ON, EFFECTIVENESS_CONFIRMED_ON, OBJECTIVES_COPY_YEAR,
       PROGRAMME_COPY_YEAR, *EVIDENCE_PROVIDERS.values())


def resolve(path: str) -> Callable | None:
    """The function at `path`, or None when its module or the function itself does not exist (yet)."""
    module_path, _dot, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name and (module_path == exc.name or module_path.startswith(exc.name + ".")):
            logger.warning("compliance: contract %s is not available (no module %s)", path, exc.name)
            return None
        raise
    function = getattr(module, name, None)
    if function is None:
        logger.warning("compliance: contract %s is not available", path)
    return function


def resolve_many(path: str) -> Callable | None:
    """The batched form of the contract at `path`, for lists over many agencies: the function named
    `<name>_many` in the same module (keyword arguments `agency_ids` and, where the contract is per year, `years`,
    `today`), or None when the contract or its batched form does not exist — callers then ask per agency."""
    function = resolve(path)
    if function is None:
        return None
    return getattr(importlib.import_module(function.__module__), f"{function.__name__}_many", None)
