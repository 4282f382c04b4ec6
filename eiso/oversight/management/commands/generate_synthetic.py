"""`eiso generate_synthetic --provinces N --dossiers M [--province CODE ...] [--communes K] [--processes P]
[--months 24] [--seed S] [--batch-size 50000]`: synthetic national-scale data on the real administrative units, for
benchmarks and demonstrations of the oversight dashboards (eiso.oversight.synthetic)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.oversight.choices import STAGE_ORDER, Stage


class Command(BaseCommand):
    help = (
        "Create synthetic agencies on the real administrative units of the first N provinces by code (or of "
        "--province CODE, repeated): the provincial People's Committee, its departments (the Department of Science "
        "and Technology made the province's supervising authority when it has none) and one People's Committee per "
        "commune (the first K with --communes), coded SYN-<province>-...; each new agency with its QMS, processes "
        "adopted from the national catalogue, published documents, audit findings and nonconformities, and a QMS "
        "stage from not started to maintaining (some announced). Then add M synthetic dossiers over these agencies "
        "and rebuild their statistics (tallies). A second run reuses the agencies and adds dossiers. Loads the "
        "administrative units and the shipped catalogue when missing. For test and benchmark databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=None, metavar="N",
                            help="The first N provinces by code (default: every province, or those of --province).")
        parser.add_argument("--province", action="append", default=[], metavar="CODE",
                            help="A province's code (repeat for several); instead of --provinces.")
        parser.add_argument("--dossiers", type=int, required=True, metavar="M", help="Number of dossiers to add.")
        parser.add_argument("--communes", type=int, default=None, metavar="K",
                            help="Only the first K communes of each province (default: all).")
        parser.add_argument("--processes", type=int, default=20, metavar="P",
                            help="Catalogue procedures adopted as processes by each new agency (20).")
        parser.add_argument("--months", type=int, default=24, help="Receipts over the last MONTHS months (24).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed (the same seed, the same data).")
        parser.add_argument("--batch-size", type=int, default=50_000, help="Dossiers per transaction (50000).")

    def handle(self, *args, **options):
        from eiso.dossiers.synthetic import ProgressBar
        from eiso.oversight.synthetic import UnknownProvinceError, generate_synthetic

        if options["provinces"] is not None and options["province"]:
            raise CommandError(_("Give either --provinces or --province, not both."))
        if options["provinces"] is not None and options["provinces"] < 1:
            raise CommandError(_("--provinces must be at least 1."))
        if options["dossiers"] < 0 or (options["communes"] is not None and options["communes"] < 0):
            raise CommandError(_("--dossiers and --communes must be at least 0."))
        if options["processes"] < 1 or options["months"] < 1 or options["batch_size"] < 1:
            raise CommandError(_("--processes, --months and --batch-size must be at least 1."))
        verbose = options["verbosity"] >= 1
        try:
            report = generate_synthetic(
                provinces=options["provinces"], province_codes=options["province"], communes=options["communes"],
                dossiers=options["dossiers"], processes=options["processes"], months=options["months"],
                seed=options["seed"], batch_size=options["batch_size"],
                progress=ProgressBar(self.stdout) if verbose else None,
                log=self.stdout.write if verbose else None)
        except UnknownProvinceError as exc:
            raise CommandError(_("Unknown province code %(code)s.") % {"code": exc}) from exc
        stages = ", ".join(f"{Stage(stage).label} {count}" for stage, count in
                           sorted(report.stages.items(), key=lambda item: STAGE_ORDER[item[0]]))
        self.stdout.write(self.style.SUCCESS(
            _("%(provinces)d provinces, %(agencies)d agencies (%(new)d new: %(stages)s; %(processes)d processes, "
              "%(documents)d documents, %(findings)d findings, %(nonconformities)d nonconformities, "
              "%(announcements)d announcements); %(dossiers)d dossiers added in %(seconds).0f s; %(tallies)d tally "
              "rows rebuilt in %(rebuild).0f s.")
            % {"provinces": report.provinces, "agencies": report.agencies, "new": report.new_agencies,
               "stages": stages or "-", "processes": report.processes, "documents": report.documents,
               "findings": report.findings, "nonconformities": report.nonconformities,
               "announcements": report.announcements, "dossiers": report.dossiers, "seconds": report.seconds,
               "tallies": report.tallies, "rebuild": report.rebuild_seconds}))
