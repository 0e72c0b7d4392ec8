from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from values.datafiles import DATA_DIR, FrameworkDataError
from values.services import frameworks_load_all


class Command(BaseCommand):
    help = "Load the frameworks from values/data/ (a changed file makes a new version; all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder with frameworks/*.toml, questions.toml and links.toml (default: the shipped data).",
        )

    def handle(self, *args: Any, data_dir: Path, **options: Any) -> None:
        try:
            report = frameworks_load_all(data_dir=data_dir)
        except FrameworkDataError as exc:
            raise CommandError(f"Intet blev indlæst. {exc}") from exc
        self.stdout.write(
            f"Grundlag: {len(report.created)} oprettet, {len(report.new_versions)} ny version, "
            f"{len(report.unchanged)} uændret. Spørgsmål tilføjet: {report.questions_added}. "
            f"Links tilføjet: {report.links_added}."
        )
