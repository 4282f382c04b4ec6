from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from eiso.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        _token, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
