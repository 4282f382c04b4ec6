"""`eiso seed_holidays [--year 2026 --year 2027]`: add the national public holidays to the calendar."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from eiso.calendars.services import holidays_seed_year


class Command(BaseCommand):
    help = (
        "Add the public holidays (and official weekend working days) of the given years from the "
        "holidays package. Idempotent: existing entries are never changed. Default: this year and next."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", dest="years", type=int, action="append", metavar="YEAR",
            help="A year to seed; repeat for several years.",
        )

    def handle(self, *args, **options):
        years = options["years"]
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        for year in sorted(set(years)):
            if not 1995 <= year <= 2200:
                raise CommandError(f"{year}: choose a year between 1995 and 2200.")
            created = holidays_seed_year(year=year, actor=None)
            self.stdout.write(f"{year}: {created} day(s) added.")
