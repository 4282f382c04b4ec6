from django.core.management.base import BaseCommand

from eiso.legal.reminders import update_task_reminders_send


class Command(BaseCommand):
    help = "E-mail heads and ISO coordinators the update tasks (3-month rule) that are overdue or due soon."

    def handle(self, *args, **options):
        counts = update_task_reminders_send()
        self.stdout.write(self.style.SUCCESS(
            "{agencies} agencies, {tasks} tasks, {messages} messages, {failed} failed.".format(**counts)))
