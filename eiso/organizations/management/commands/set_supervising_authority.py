from django.core.management.base import BaseCommand, CommandError

from eiso.core.errors import ApplicationError
from eiso.organizations.models import AdminUnit, Agency
from eiso.organizations.services import supervising_authority_set


class Command(BaseCommand):
    help = "Make an agency (normally the Department of Science and Technology) the supervising authority of a province."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Province code, e.g. 15")
        parser.add_argument("--agency", required=True, help="Agency code")

    def handle(self, *args, province, agency, **options):
        unit = AdminUnit.objects.filter(level="province", code=province, valid_to__isnull=True).first()
        if unit is None:
            raise CommandError(f"Unknown province code {province}. Run `eiso load_admin_units` first?")
        body = Agency.objects.filter(code=agency).first()
        if body is None:
            raise CommandError(f"Unknown agency code {agency}.")
        try:
            supervising_authority_set(actor=None, province=unit, agency=body)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"{body} now supervises {unit}."))
