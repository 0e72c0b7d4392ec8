from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledelse.demo import DEMO_PASSWORD, demo_passwords_set

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_organisation.csv"


class Command(BaseCommand):
    help = "Create the demo regions, units, people and accounts (password: ledelse-demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo laver kendte adgangskoder og kører kun med DEBUG slået til (eller --force).")
        call_command("import_organisation", str(DEMO_FILE), stdout=self.stdout)
        accounts = demo_passwords_set()
        self.stdout.write(f"Demo-konti (adgangskode {DEMO_PASSWORD}): " + ", ".join(accounts))
        # The apps' own demo data (plans, LUS, ...), each its own command, listed in settings so
        # the organisation core names no other app.
        for command in settings.DEMO_COMMANDS:
            call_command(command, force=True, stdout=self.stdout)
