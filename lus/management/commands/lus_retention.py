from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lus import services


class Command(BaseCommand):
    help = "Delete LUS content older than LUS_RETENTION_YEARS (default 5); --dry-run shows what would go."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--years", type=int, default=None)

    def handle(self, *args: Any, dry_run: bool, today: date | None, years: int | None, **options: Any) -> None:
        report = services.retention_run(today=today, years=years, dry_run=dry_run)
        verb = "ville slette" if dry_run else "slettede"
        self.stdout.write(f"LUS-opbevaring: {verb} {report.count} LUS fra før {report.cutoff.isoformat()}.")
        for pk, name, end in report.conversations:
            self.stdout.write(f"  LUS {pk} ({name}, sluttede {end})")
