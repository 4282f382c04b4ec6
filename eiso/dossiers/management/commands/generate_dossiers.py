"""`eiso generate_dossiers --agencies N --dossiers M [--months 24] [--seed S] [--province CODE]`: synthetic dossiers
for benchmarks and demonstrations (eiso.dossiers.synthetic)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Create M synthetic dossiers in N synthetic agencies (People's Committees coded SYN-<province>-0001..., "
        "created or reused) of one province, on real catalogue procedures (a few sample procedures are created "
        "when the catalogue is empty), received over the last --months months with realistic shares of early, "
        "on-time and late results, stops, withdrawals, open and overdue dossiers and ratings; then rebuild their "
        "statistics (tallies). Synthetic dossiers are recorded like imported ones: no steps, clock stops or events. "
        "For test and benchmark databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agencies", type=int, required=True, metavar="N", help="Number of agencies.")
        parser.add_argument("--dossiers", type=int, required=True, metavar="M", help="Number of dossiers to add.")
        parser.add_argument("--months", type=int, default=24, help="Receipts over the last MONTHS months (24).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (the same seed, the same data).")
        parser.add_argument("--province", metavar="CODE", default=None,
                            help="The province's code (default: the first province).")
        parser.add_argument("--batch-size", type=int, default=20_000, help="Dossiers per transaction (20000).")

    def handle(self, *args, **options):
        from eiso.dossiers.synthetic import ProgressBar, generate_dossiers
        from eiso.organizations.models import AdminUnit

        if options["agencies"] < 1 or options["dossiers"] < 0 or options["months"] < 1 or options["batch_size"] < 1:
            raise CommandError("--agencies, --months and --batch-size must be at least 1, --dossiers at least 0.")
        province = options["province"]
        if province and not AdminUnit.objects.filter(level="province", code=province).exists():
            raise CommandError(_("Unknown province code %(code)s.") % {"code": province})
        progress = ProgressBar(self.stdout) if options["verbosity"] >= 1 else None
        report = generate_dossiers(agencies=options["agencies"], dossiers=options["dossiers"],
                                   months=options["months"], seed=options["seed"], province=province,
                                   batch_size=options["batch_size"], progress=progress)
        self.stdout.write(self.style.SUCCESS(
            _("%(created)d dossiers in %(agencies)d agencies (%(procedures)d procedures) in %(seconds).0f s; "
              "%(tallies)d tally rows rebuilt in %(rebuild).0f s.")
            % {"created": report.created, "agencies": report.agencies, "procedures": report.procedures,
               "seconds": report.seconds, "tallies": report.tallies, "rebuild": report.rebuild_seconds}))
