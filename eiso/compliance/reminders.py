"""Reminders before the due dates of the compliance calendar: the heads and ISO coordinators of each agency get
one e-mail listing the items of opened years that are not done and have reached a reminder threshold — so many
days before the due date, EISO["COMPLIANCE_REMINDER_DAYS"] (default 30, 7 and 0: due or overdue). Each item is
reminded once per threshold (a `ComplianceReminder` row); a late run sends the tightest threshold reached and
counts the wider ones as sent. Celery beat runs it daily (`eiso.compliance.tasks.send_compliance_reminders`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eiso.compliance import selectors
from eiso.compliance.choices import ItemStatus
from eiso.compliance.models import ComplianceItem, ComplianceReminder
from eiso.core.permissions import AGENCY_MANAGERS
from eiso.organizations.models import RoleAssignment

logger = logging.getLogger(__name__)
DEFAULT_THRESHOLDS = (30, 7, 0)


def thresholds() -> tuple[int, ...]:
    return tuple(sorted({int(d) for d in settings.EISO.get("COMPLIANCE_REMINDER_DAYS", DEFAULT_THRESHOLDS)},
                        reverse=True))


def _due(today: dt.date) -> dict:
    """agency_id -> [(state, new thresholds)] for the items to remind today."""
    widest = max(thresholds(), default=0)
    candidates = (ComplianceItem.objects.filter(due_on__lte=today + dt.timedelta(days=widest), done_on__isnull=True)
                  .select_related("agency").prefetch_related("reminders").order_by("agency_id", "due_on"))
    by_agency = defaultdict(list)
    for item in candidates:
        reached = {d for d in thresholds() if today >= item.due_on - dt.timedelta(days=d)}
        new = reached - {r.days_before for r in item.reminders.all()}
        if not new:
            continue
        state = selectors.item_state(item, today=today)
        if state.status == ItemStatus.DONE:
            continue
        by_agency[item.agency_id].append((state, new))
    return by_agency


def compliance_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Returns {"agencies", "items", "messages", "failed"}. One transaction per agency: the reminders are
    recorded and the message sent last, so a failed send leaves them to the next run; a reminder recorded by a
    concurrent run (unique item and threshold) makes this run skip the agency."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"agencies": 0, "items": 0, "messages": 0, "failed": 0}
    connection = get_connection()
    for agency_id, entries in _due(today).items():
        managers = RoleAssignment.objects.active(on=today).filter(agency_id=agency_id, role__in=AGENCY_MANAGERS)
        emails = sorted({a.user.email for a in managers.select_related("user") if a.user.email and a.user.is_active})
        if not emails:
            continue
        try:
            with transaction.atomic():
                ComplianceReminder.objects.bulk_create([
                    ComplianceReminder(agency_id=agency_id, item=state.item, days_before=days, sent_at=now)
                    for state, new in entries for days in sorted(new)])
                _message([state for state, _new in entries], emails, today, connection).send()
        except IntegrityError:
            logger.info("compliance reminders of agency %s already sent by another run", agency_id)
            continue
        except OSError as exc:  # smtplib.SMTPException and socket errors
            logger.warning("compliance reminder to agency %s failed: %s", agency_id, exc)
            counts["failed"] += 1
            continue
        counts["agencies"] += 1
        counts["items"] += len(entries)
        counts["messages"] += 1
    return counts


def _message(states, emails, today, connection) -> EmailMessage:
    agency = states[0].item.agency
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Obligations of the QMS of %(agency)s coming due:") % {"agency": agency}, ""]
        for state in states:
            when = (_("OVERDUE since %(date)s") if state.due_on < today else _("due on %(date)s")) % {
                "date": state.due_on.strftime("%d/%m/%Y")}
            lines.append(f"- {state.title} ({state.item.year}): {when}")
        lines += ["", _("The calendar: %(path)s") % {"path": states[0].item.get_absolute_url()}, "",
                  _("This message was sent automatically by eISO.")]
        subject = _("eISO: %(count)s QMS obligations coming due") % {"count": len(states)}
    return EmailMessage(subject=subject, body="\n".join(lines), to=emails, connection=connection)
