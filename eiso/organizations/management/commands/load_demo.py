from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eiso.organizations.demo import demo_load
from eiso.organizations.models import AdminUnit

# In this order: announcements before the reports that quote them, the inspections after the reports' points,
# the merger last (it ends two communes).
OVERSIGHT_DEMOS = ("trainings", "oversight", "announcements", "reporting", "inspections", "par")


class Command(BaseCommand):
    help = "Load the demo province (Lào Cai), its agencies and demo users of every role (idempotent)."

    def handle(self, *args, **options):
        if not AdminUnit.objects.exists():
            raise CommandError("Load the administrative units first: eiso load_admin_units")
        result = demo_load()
        from eiso.accounts.models import User
        from eiso.dossiers.demo import demo_dossiers_load
        from eiso.organizations.models import Agency

        commune = Agency.objects.get(name=result["demo_commune"])
        added = demo_dossiers_load(commune, staff=User.objects.get(username="staff"),
                                   second_officer=User.objects.get(username="staff2"))
        if added:
            self.stdout.write(f"Demo dossiers of {commune.name}: {added}.")
        from eiso.compliance.demo import demo_qms_year_load

        if demo_qms_year_load(commune, coordinator=User.objects.get(username="coordinator"),
                              head=User.objects.get(username="head")):
            self.stdout.write(f"Demo QMS year of {commune.name}: policy, objectives, context, risks, calendar.")
        # The supervising authority's side (issue 7): each app's demo builds on the province loaded above.
        from importlib import import_module

        for app in OVERSIGHT_DEMOS:
            summary = import_module(f"eiso.{app}.demo").demo_load()
            if summary:
                self.stdout.write(f"Demo {app}: {summary}")
        self.stdout.write(self.style.SUCCESS(
            "Demo: {agencies} agencies in {province}; demo commune: {demo_commune}; second province: "
            "{other_province}; public page: {showcase}.".format(**result)
        ))
        self.stdout.write(
            "Users: admin, supervisor, ministry (national view), head, coordinator, staff, staff2, auditor, "
            "consultant, hanoi, head2, coordinator2, head_merged — "
            f"password: {settings.EISO['DEMO_PASSWORD']}"
        )
