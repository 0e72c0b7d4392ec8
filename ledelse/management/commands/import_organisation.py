from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledelse.organisation_import import OrganisationImportError, organisation_import


class Command(BaseCommand):
    help = "Import units and people from a UTF-8 CSV file (columns: see README). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{file}: filen findes ikke") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: filen er ikke UTF-8 (byte {exc.start})") from exc
        try:
            report = organisation_import(text=text)
        except OrganisationImportError as exc:
            lines = "\n".join(f"{file}:{line}: {reason}" for line, reason in exc.errors)
            raise CommandError(f"Intet blev importeret. Fejl:\n{lines}") from exc
        self.stdout.write(
            "Enheder: {cu} oprettet, {uu} ændret, {nu} uændret. Personer: {cp} oprettet, {up} ændret, {np} uændret.".format(
                cu=report.created["unit"],
                uu=report.updated["unit"],
                nu=report.unchanged["unit"],
                cp=report.created["person"],
                up=report.updated["person"],
                np=report.unchanged["person"],
            )
        )
