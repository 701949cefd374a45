"""``guichet demo generate|start``: the synthetic commune, and the embedded demo that ``make demo`` starts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from guichet.accounts.services import demo_accounts_ensure
from guichet.demo import population
from guichet.demo.generator import (
    DEFAULT_HOUSEHOLDS,
    GenerationRefused,
    GenerationResult,
    synthetic_commune_generate,
)
from guichet.demo.referents import demo_referents_assign
from guichet.households.models import Household
from guichet.territory.models import Quartier
from guichet.territory.services import quartiers_seed_illustrative

AGE_LABELS = ("moins de 15 ans", "15-29 ans", "30-44 ans", "45-59 ans", "60-74 ans", "75 ans et plus")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date « {value} » invalide : attendu AAAA-MM-JJ.") from exc


def box(lines: list[str]) -> str:
    """Lines framed by a box drawn with Unicode line characters."""
    width = max(len(line) for line in lines)
    top, bottom = "╔" + "═" * (width + 2) + "╗", "╚" + "═" * (width + 2) + "╝"
    return "\n".join([top, *(f"║ {line.ljust(width)} ║" for line in lines), bottom])


class Command(BaseCommand):
    help = "Commune fictive de démonstration : génération de la population et démarrage de la démo."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{generate,start}")
        generate = sub.add_parser("generate", help="Générer la population fictive (ménages marqués « fictifs »).")
        generate.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS, help="nombre de ménages")
        generate.add_argument("--seed", type=int, default=0, help="graine : même graine, même population")
        generate.add_argument("--reset", action="store_true", help="supprimer d'abord la population fictive")
        generate.add_argument("--date", type=_date, default=None, help="date de référence AAAA-MM-JJ (aujourd'hui)")
        start = sub.add_parser("start", help="Démarrer la démo : base, territoire, population, comptes, serveur.")
        start.add_argument("--host", default="127.0.0.1")
        start.add_argument("--port", type=int, default=8000)
        start.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS, help="taille de la commune fictive")
        start.add_argument("--no-server", action="store_true", help="tout préparer sans lancer le serveur")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self._generate(
                households=options["households"], seed=options["seed"], reset=options["reset"], today=options["date"]
            )
        else:
            self._start(
                host=options["host"],
                port=options["port"],
                households=options["households"],
                serve=not options["no_server"],
            )

    def _generate(self, *, households: int, seed: int, reset: bool, today: dt.date | None) -> GenerationResult:
        if households < 1:
            raise CommandError("Le nombre de ménages doit être au moins 1.")
        if not Quartier.objects.exists():
            quartiers_seed_illustrative()
        with tqdm(total=households, unit=" ménages", desc="Commune fictive", disable=None) as bar:
            try:
                result = synthetic_commune_generate(
                    households=households, seed=seed, reset=reset, today=today, progress=bar.update
                )
            except GenerationRefused as exc:
                raise CommandError(str(exc)) from exc
        self._report(result)
        return result

    def _report(self, result: GenerationResult) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.households} ménages et {result.people} personnes fictifs créés en {result.seconds:.1f} s "
                f"({result.resources} ressources mensuelles)."
            )
        )
        if result.deleted_households:
            self.stdout.write(f"{result.deleted_households} ménages fictifs précédents supprimés.")
        total = max(result.people, 1)
        self.stdout.write("Structure par âge (générée / publiée INSEE 2020) :")
        for label, count, published in zip(AGE_LABELS, result.age_counts, population.AGE_STRUCTURE, strict=True):
            self.stdout.write(f"  {label:<16} {100 * count / total:5.1f} % / {100 * published:4.1f} %")
        self.stdout.write(
            f"Non-recours : {result.non_take_up_households} des {result.eligible_households} ménages qui semblent "
            f"éligibles à une prestation ne la perçoivent pas ({100 * result.non_take_up_rate:.0f} %)."
        )

    def _start(self, *, host: str, port: int, households: int, serve: bool) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "La démonstration ne démarre qu'avec GUICHET_DEBUG=1 (base embarquée, comptes de démonstration). "
                "En production, suivez docs/ (serveur d'application, PostgreSQL)."
            )
        self.stdout.write("Préparation de la base…")
        call_command("migrate", interactive=False, verbosity=0)
        quartiers_seed_illustrative()
        if not Household.objects.exists():
            self.stdout.write(f"Génération de la commune fictive ({households} ménages), une seule fois…")
            self._generate(households=households, seed=0, reset=False, today=None)
        users = demo_accounts_ensure(password=settings.GUICHET_DEMO_PASSWORD)
        demo_referents_assign(social_worker=next(user for user in users if user.username == "social"))
        url = f"http://{host}:{port}/"
        lines = [
            f"Guichet — démonstration ({settings.GUICHET_COMMUNE_NAME}, données fictives)",
            "",
            f"Adresse : {url}",
            "",
            "Comptes :",
            *(f"  {user.username:<12} {', '.join(role.label for role in user.roles)}" for user in users),
            "",
            f"Mot de passe (tous les comptes) : {settings.GUICHET_DEMO_PASSWORD}",
            "",
            "Arrêt : Ctrl+C",
        ]
        self.stdout.write(box(lines))
        if serve:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
