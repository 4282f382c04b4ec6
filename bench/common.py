"""What the PostgreSQL benchmarks share: the project on the path, and Django set up on an empty PostgreSQL
database given by DATABASE_URL, migrated."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_postgres() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eiso.settings_test")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database: this benchmark is about PostgreSQL.")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)
