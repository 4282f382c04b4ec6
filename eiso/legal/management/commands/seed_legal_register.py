from django.core.management.base import BaseCommand

from eiso.legal.seeding import legal_register_seed


class Command(BaseCommand):
    help = ("Fill the legal register from the legal bases of the imported procedure catalogue (idempotent): one "
            "legal document per number, linked to its procedures; bases whose number cannot be read are listed.")

    def add_arguments(self, parser):
        parser.add_argument("--show-unreadable", action="store_true", help="List every basis that was not read")

    def handle(self, *args, show_unreadable=False, **options):
        result = legal_register_seed()
        unreadable = result["unreadable"]
        self.stdout.write(self.style.SUCCESS(
            f"{result['procedures']} procedures, {result['bases']} legal bases: {result['created']} legal documents "
            f"created, {result['linked']} links added, {len(unreadable)} bases not readable."))
        for item in unreadable if show_unreadable else unreadable[:20]:
            self.stdout.write(f"  {item['procedure']}: {item['code']!r} {item['name'][:80]!r} — {item['reason']}")
