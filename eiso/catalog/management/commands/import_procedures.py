"""`eiso import_procedures PATH [PATH...]`: import the national procedure catalogue from files."""

from django.core.management.base import BaseCommand, CommandError

from eiso.catalog.choices import ImportStatus
from eiso.catalog.services import catalog_import

SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = (
        "Import administrative procedures from the national database: catalogue lines and detail records, "
        "in .jsonl, .jsonl.gz or .json files, or folders of such files. Re-importing updates procedures and "
        "records what changed. Exit status 0 when something was imported (even with warnings), 1 when "
        "nothing could be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A file or a folder; repeat for several.")

    def handle(self, *args, **options):
        interactive = self.stdout.isatty()
        last = [0]

        def progress(done, expected):
            if done == last[0] or (not interactive and done - last[0] < 1000 and done != expected):
                return
            last[0] = done
            line = f"{done}/{expected} records" if expected else f"{done} records"
            self.stdout.write(f"\r{line}" if interactive else line, ending="" if interactive else "\n")
            self.stdout.flush()

        run = catalog_import(paths=options["paths"], progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"Import #{run.pk} {run.status}: {run.total} records read, {run.created} created, "
            f"{run.updated} updated, {run.unchanged} unchanged, {run.failed} failed, {run.warnings} warnings."
        )
        problems = run.report or []
        if problems:
            self.stdout.write(f"Problems (first {min(SHOWN_PROBLEMS, len(problems))} of {len(problems)}):")
            for entry in problems[:SHOWN_PROBLEMS]:
                where = f"{entry.get('file') or '-'}:{entry.get('line') or '-'}"
                code = f" [{entry['code']}]" if entry.get("code") else ""
                self.stdout.write(f"  {where}{code} {entry.get('level')}: {entry.get('message')}")
        self.stdout.write(
            f"Full report: import run #{run.pk} "
            f"(page /catalog/imports/{run.pk}/, API /api/v1/catalog-imports/{run.pk}/)."
        )
        if run.status == ImportStatus.FAILED:
            raise CommandError("Nothing could be imported.")
