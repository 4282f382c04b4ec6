"""`eiso import_dossiers PATH --agency CODE [--format csv|json] [--report PATH]`: import dossiers exported by a
provincial one-stop system (columns: docs/dossier-import.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from eiso.core.errors import ApplicationError
from eiso.dossiers.importer import BATCH_SIZE, dossiers_import, read_csv, read_json

SHOWN_REJECTIONS = 50
FORMATS = {".csv": "csv", ".json": "json"}


class Command(BaseCommand):
    help = (
        "Import dossiers exported by a provincial one-stop system (CSV or JSON) into an agency's dossiers. "
        "The same code updates the same dossier; re-importing a file changes nothing. Bad rows are reported "
        "with their line and skipped. Exit status 0 when rows were imported, 1 when none could be."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The exported file (.csv or .json).")
        parser.add_argument("--agency", required=True, metavar="CODE", help="The code of the agency.")
        parser.add_argument("--format", choices=sorted(set(FORMATS.values())),
                            help="csv or json (default: from the file name's extension).")
        parser.add_argument("--report", metavar="PATH", help="Write every rejected row to this CSV file.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args, **options):
        from eiso.organizations.models import Agency

        path = Path(options["path"])
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("Unknown agency code %(code)s.") % {"code": options["agency"]})
        if not path.is_file():
            raise CommandError(_("File %(path)s does not exist.") % {"path": path})
        kind = options["format"] or FORMATS.get(path.suffix.lower())
        if kind is None:
            raise CommandError(_("Cannot tell the format of %(path)s: give --format csv or --format json.")
                               % {"path": path})
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        verbose = options["verbosity"] >= 2

        def progress(done):
            if verbose:
                self.stdout.write(_("%(count)d rows read…") % {"count": done})

        reader = read_csv if kind == "csv" else read_json
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                report = dossiers_import(agency=agency, rows=reader(handle), source=path.name,
                                         batch_size=options["batch_size"], progress=progress)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        except OSError as exc:
            raise CommandError(_("File %(path)s cannot be read: %(error)s") % {"path": path, "error": exc}) from exc

        self.stdout.write(_("%(agency)s: %(total)d rows read, %(created)d created, %(updated)d updated, "
                            "%(unchanged)d unchanged, %(rejected)d rejected.")
                          % {"agency": agency.code, "total": report.total, **report.counts()})
        if report.rejected:
            self.stdout.write(_("Rejected rows (first %(shown)d of %(count)d):")
                              % {"shown": min(SHOWN_REJECTIONS, len(report.rejected)), "count": len(report.rejected)})
            for rejection in report.rejected[:SHOWN_REJECTIONS]:
                self.stdout.write("  " + _("line %(line)d, %(code)s: %(reason)s")
                                  % {"line": rejection.line, "code": rejection.code or "-", "reason": rejection.reason})
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8-sig", newline="") as out:
                report.write_csv(out)
            self.stdout.write(_("Every rejected row is listed in %(path)s.") % {"path": options["report"]})
        if not report.total:
            raise CommandError(_("The file holds no dossier."))
        if not report.imported:
            raise CommandError(_("No row could be imported."))
