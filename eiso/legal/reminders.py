"""Reminders of the 3-month rule: the heads and ISO coordinators of each agency get one e-mail listing
its open update tasks that are overdue or due within EISO_UPDATE_TASK_REMINDER_DAYS days, at most once a
week per task (Celery beat on Mondays, `eiso send_update_task_reminders`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eiso.core.permissions import AGENCY_MANAGERS
from eiso.legal.choices import UpdateTaskStatus
from eiso.legal.models import UpdateTask
from eiso.organizations.models import RoleAssignment

logger = logging.getLogger(__name__)
REMIND_EVERY = dt.timedelta(days=7)


def _due(now):
    horizon = timezone.localdate(now) + dt.timedelta(days=settings.EISO["UPDATE_TASK_REMINDER_DAYS"])
    return UpdateTask.objects.filter(status=UpdateTaskStatus.OPEN, due_on__lte=horizon).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))


def update_task_reminders_send(*, now: dt.datetime | None = None) -> dict:
    """Returns {"agencies", "tasks", "messages", "failed"}. One transaction per agency: the tasks are
    marked reminded and the message sent last, so a failed send leaves them to the next run."""
    now = now or timezone.now()
    by_agency = defaultdict(list)
    for agency_id, pk in _due(now).values_list("agency_id", "pk"):
        by_agency[agency_id].append(pk)
    counts = {"agencies": 0, "tasks": 0, "messages": 0, "failed": 0}
    connection = get_connection()
    for agency_id, ids in by_agency.items():
        managers = RoleAssignment.objects.active(on=timezone.localdate(now)).filter(
            agency_id=agency_id, role__in=AGENCY_MANAGERS).select_related("user")
        emails = sorted({a.user.email for a in managers if a.user.email and a.user.is_active})
        if not emails:
            continue
        try:
            with transaction.atomic():
                tasks = list(_due(now).select_for_update(of=("self",)).filter(pk__in=ids)
                             .select_related("document", "legal_document", "agency").order_by("due_on"))
                if not tasks:
                    continue
                UpdateTask.objects.filter(pk__in=[t.pk for t in tasks]).update(reminded_at=now)
                _message(tasks, emails, now, connection).send()
        except OSError as exc:  # smtplib.SMTPException and socket errors
            logger.warning("update task reminder to agency %s failed: %s", agency_id, exc)
            counts["failed"] += 1
            continue
        counts["agencies"] += 1
        counts["tasks"] += len(tasks)
        counts["messages"] += 1
    return counts


def _message(tasks, emails, now, connection) -> EmailMessage:
    today = timezone.localdate(now)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("QMS documents of %(agency)s to update within 3 months of a change in the law:")
                 % {"agency": tasks[0].agency}, ""]
        for task in tasks:
            state = _("OVERDUE") if task.due_on < today else _("due")
            lines.append(f"- {task.document.code} {task.document.title}: {state} {task.due_on:%d/%m/%Y} — "
                         f"{task.summary} ({task.get_absolute_url()})")
        lines += ["", _("Publish the updated issue of each document, or dismiss the task saying why."), "",
                  _("This message was sent automatically by eISO.")]
        subject = _("eISO: %(count)s QMS update tasks due") % {"count": len(tasks)}
    return EmailMessage(subject=subject, body="\n".join(lines), to=emails, connection=connection)
