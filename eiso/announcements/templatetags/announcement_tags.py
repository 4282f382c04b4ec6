"""`{% load announcement_tags %}{% announcement_status agency %}`: the agency's announcement card (in force, draft,
re-announcement due) for pages of other apps (the home page, the QMS page). Renders nothing for a user who may not
read the agency's announcements."""

from django import template

from eiso.announcements import selectors, services
from eiso.announcements.choices import AnnouncementStatus
from eiso.announcements.models import ConformityAnnouncement

register = template.Library()


@register.inclusion_tag("announcements/partials/status_card.html", takes_context=True)
def announcement_status(context, agency):
    request = context.get("request")
    user = getattr(request, "user", None)
    if agency is None or user is None:
        return {"agency": None}
    if not selectors.can_read(user, agency):
        return {"agency": None}
    return {
        "agency": agency, "current": selectors.current_announcement(agency),
        "due": selectors.reannouncement_due(agency),
        "draft": ConformityAnnouncement.objects.filter(agency=agency, status=AnnouncementStatus.DRAFT).first(),
        "can_prepare": services.can_prepare(user, agency) and agency == getattr(request, "agency", None),
    }
