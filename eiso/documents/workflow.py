"""The revision workflow as data: which action moves a revision from which status to which, and the
permission (restrict() action) it needs. `revision_transition` is the only code that applies it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from eiso.documents.choices import RevisionStatus as S


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str  # restrict() action the actor needs on the revision's document
    comment_required: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("submit", _("Send for review"), (S.DRAFT,), S.IN_REVIEW, "change"),
        Transition("return", _("Return to the drafter"), (S.IN_REVIEW, S.APPROVED), S.DRAFT, "change",
                   comment_required=True),
        Transition("review", _("Pass the review"), (S.IN_REVIEW,), S.IN_REVIEW, "change"),
        Transition("approve", _("Approve"), (S.IN_REVIEW,), S.APPROVED, "approve"),
        Transition("publish", _("Publish"), (S.APPROVED,), S.PUBLISHED, "change"),
        Transition("withdraw", _("Withdraw"), (S.PUBLISHED,), S.WITHDRAWN, "approve", comment_required=True),
    )
}


def available(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]
