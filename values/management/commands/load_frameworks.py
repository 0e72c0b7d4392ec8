from django.core.management.base import BaseCommand, CommandError

from values.datafiles import FrameworkDataError
from values.services import frameworks_load_all


class Command(BaseCommand):
    help = "Load the frameworks from values/data/ (a changed file makes a new version; all or nothing)."

    def handle(self, *args, **options):
        try:
            report = frameworks_load_all()
        except FrameworkDataError as exc:
            raise CommandError(f"Intet blev indlæst. {exc}")
        self.stdout.write(
            f"Grundlag: {len(report.created)} oprettet, {len(report.new_versions)} ny version, "
            f"{len(report.unchanged)} uændret. Spørgsmål tilføjet: {report.questions_added}. "
            f"Links tilføjet: {report.links_added}."
        )
