"""Workflows as data: a transition names the statuses it leaves from, the status it moves to and the guards that
must all pass (each returns None, or a message in the user's language saying what to do first). An app lists its
transitions in its `workflow.py`; its services look one up (`transition_named`), check it (`transition_check`) and
apply it. Nothing is written when a check fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError

Guard = Callable[[object], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    guards: tuple = ()
    permission: str = "change"  # restrict() action the actor needs on the object
    manual: bool = True  # offered as a button; False: applied by a service only


def by_name(*transitions: Transition) -> dict[str, Transition]:
    return {t.name: t for t in transitions}


def available(transitions: dict[str, Transition], status: str) -> list[Transition]:
    """The transitions offered as buttons from `status`."""
    return [t for t in transitions.values() if t.manual and status in t.sources]


def transition_named(transitions: dict[str, Transition], action: str) -> Transition:
    """The manual transition called `action`; any other name is refused."""
    transition = transitions.get(action)
    if transition is None or not transition.manual:
        raise ApplicationError(_("Unknown action %(action)s.") % {"action": action}, code="unknown_action")
    return transition


def transition_check(transition: Transition, instance, *, refused: str) -> None:
    """Refuse a transition that does not leave from the instance's status (`refused`: the app's message, with
    %(action)s and %(status)s), then one whose guard fails (its message, code guard_<name>)."""
    if instance.status not in transition.sources:
        raise ApplicationError(refused % {"action": transition.label, "status": instance.get_status_display()},
                               code="invalid_transition")
    for guard in transition.guards:
        message = guard(instance)
        if message:
            raise ApplicationError(message, code=f"guard_{guard.__name__}")
