"""Template tags that other apps' pages use to show an improvement entry point without their views knowing it:
the "Raise a nonconformity" button of a late dossier, and the link from the public dossier lookup to the
agency's open satisfaction survey."""

from django import template

register = template.Library()


@register.simple_tag
def late_dossier_nonconformity(dossier, user) -> dict:
    """{"late": the dossier is (or was) late, "open": its open nonconformity or None, "can_raise": the user may
    raise one for it now}."""
    from eiso.improvement.choices import NonconformityStatus
    from eiso.improvement.models import Nonconformity
    from eiso.improvement.services import can_raise, dossier_is_late

    late = dossier_is_late(dossier)
    if not late:
        return {"late": False, "open": None, "can_raise": False}
    open_one = Nonconformity.objects.restrict(user, "view").filter(dossier=dossier).exclude(
        status=NonconformityStatus.CLOSED).first()
    return {"late": True, "open": open_one, "can_raise": open_one is None and can_raise(user, dossier.agency)}


@register.simple_tag
def open_survey(dossier):
    """The survey of the dossier's agency that takes answers today, for a returned dossier not yet used for a
    response; else None."""
    from eiso.dossiers.choices import DossierStatus
    from eiso.improvement.models import SurveyResponse
    from eiso.improvement.surveys import open_survey_for

    if dossier is None or dossier.status != DossierStatus.RETURNED:
        return None
    if SurveyResponse.objects.filter(dossier=dossier).exists():
        return None
    return open_survey_for(dossier.agency)
