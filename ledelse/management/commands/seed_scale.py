import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledelse.scale.generator import Sizes, analyze, people_exist, region_generate


class Command(BaseCommand):
    help = (
        "Generate one region at full size for the load benchmark (default Region Midtjylland's: "
        "800 units on 5 levels, 2,500 leaders, 30,000 people with accounts, a plan per unit, 50,000 "
        "notifications). Deterministic from --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        default = Sizes()
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--units", type=int, default=default.units)
        parser.add_argument("--levels", type=int, default=default.levels)
        parser.add_argument("--leaders", type=int, default=default.leaders)
        parser.add_argument("--people", type=int, default=default.people)
        parser.add_argument("--activities-per-plan", type=int, default=default.activities_per_plan)
        parser.add_argument("--notifications", type=int, default=default.notifications)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off, or on a database that already has people (adds a second set).",
        )

    def handle(self, *args: Any, seed: int, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("seed_scale laver testdata og kører kun med DEBUG slået til (eller --force).")
        if people_exist() and not force:
            raise CommandError(
                "Databasen har allerede personer: seed_scale skal have en database for sig (eller --force)."
            )
        sizes = Sizes(
            units=options["units"],
            levels=options["levels"],
            leaders=options["leaders"],
            people=options["people"],
            activities_per_plan=options["activities_per_plan"],
            notifications=options["notifications"],
        )
        if sizes.levels < 2 or sizes.units < sizes.levels or sizes.people < sizes.units:
            raise CommandError("Mindst 2 niveauer, mindst én enhed per niveau og mindst én person per enhed.")
        started = time.monotonic()
        made = region_generate(seed=seed, sizes=sizes)
        analyze()
        for line in made.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(f"seed_scale (seed {seed}): færdig på {time.monotonic() - started:.1f} s")
