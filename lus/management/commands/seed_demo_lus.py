from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lus.demo import lus_demo_seed


class Command(BaseCommand):
    help = "Create the demo LUS rounds (loads the frameworks first if they are missing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo_lus laver demodata og kører kun med DEBUG slået til (eller --force).")
        self.stdout.write(lus_demo_seed())
