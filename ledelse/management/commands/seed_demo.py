from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ledelse.services import demo_seed

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_organisation.csv"


class Command(BaseCommand):
    help = "Create the demo regions, units, people and accounts (password: ledelse-demo)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo laver kendte adgangskoder og kører kun med DEBUG slået til (eller --force).")
        call_command("import_organisation", str(DEMO_FILE), stdout=self.stdout)
        accounts = demo_seed()
        self.stdout.write("Demo-konti (adgangskode ledelse-demo): " + ", ".join(accounts))
        # Demo rollouts and plans (dialogues); loads the frameworks first when they are missing.
        call_command("seed_demo_plans", force=True, stdout=self.stdout)
