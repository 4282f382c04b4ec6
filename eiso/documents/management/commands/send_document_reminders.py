"""`eiso send_document_reminders`: e-mail the people who have not confirmed reading a distributed document."""

from django.conf import settings
from django.core.management.base import BaseCommand

from eiso.documents.services import acknowledgement_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail every person who has not confirmed reading a distributed document EISO_ACK_REMINDER_DAYS days "
        "after receiving it and was not reminded in that many days (one message per person). Safe to run "
        "several times a day: a person is reminded once per interval."
    )

    def handle(self, *args, **options):
        counts = acknowledgement_reminders_send()
        self.stdout.write(
            f"{counts['people']} people reminded of {counts['reminders']} document(s); "
            f"{counts['no_email']} without an e-mail address skipped; {counts['failed']} failed "
            f"(interval: {settings.EISO_ACK_REMINDER_DAYS} days)."
        )
