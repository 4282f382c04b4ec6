from django.core.management.base import BaseCommand

from eiso.organizations.services import admin_units_load


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes in force since 01/07/2025 (idempotent)."

    def handle(self, *args, **options):
        counts = admin_units_load()
        self.stdout.write(
            self.style.SUCCESS(
                "Administrative units: {created} created, {renamed} renamed, {unchanged} unchanged.".format(
                    **counts
                )
            )
        )
