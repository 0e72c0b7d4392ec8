from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dialogues.demo import plans_seed
from ledelse.notifications.services import reminders_sweep


class Command(BaseCommand):
    help = "Create the demo rollouts and plans (loads the frameworks first if they are missing)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo_plans laver demodata og kører kun med DEBUG slået til (eller --force).")
        made = plans_seed()
        # The demo shows the reminders the plans lead to (claimed once; a rerun adds none).
        report = reminders_sweep()
        self.stdout.write(f"Demo-planer: {made} oprettet; påmindelser: {report.total_claimed} nye")
