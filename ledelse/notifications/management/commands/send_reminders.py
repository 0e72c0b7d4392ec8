"""python manage.py send_reminders [--today YYYY-MM-DD]: the reminder sweep by hand (beat
runs the same sweep every hour in production)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ledelse.notifications.services import reminders_sweep


class Command(BaseCommand):
    help = "Claim and send the reminders that are due, and re-send those whose task was lost."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="The day to sweep for (YYYY-MM-DD).")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, today: date | None = None, batch_size: int = 500, **options) -> None:
        report = reminders_sweep(today=today, batch_size=batch_size)
        for name, count in report.claimed.items():
            self.stdout.write(f"{name}: {count} new")
        self.stdout.write(f"send_reminders {report.today}: {report.total_claimed} new, {report.requeued} re-enqueued.")
        if report.errors:
            raise CommandError("Rules failed: " + ", ".join(f"{n} ({e})" for n, e in report.errors.items()))
