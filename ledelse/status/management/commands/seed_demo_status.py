from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ledelse.status.services import snapshots_backfill, snapshots_take

DEMO_WEEKS = 8


class Command(BaseCommand):
    help = "Back-fill the status page's weekly snapshots of the demo plans (the last eight weeks and this one)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")
        parser.add_argument("--weeks", type=int, default=DEMO_WEEKS)

    def handle(self, *args, force: bool, weeks: int, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo_status laver demodata og kører kun med DEBUG slået til (eller --force).")
        rows = snapshots_backfill(weeks=weeks) + snapshots_take()
        self.stdout.write(f"Status: {rows} ugeoptællinger af planerne")
