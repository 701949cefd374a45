"""``guichet tarifs simuler``: a tariff reform simulated on the command line, with the same code as
the web (``reform_services.run_reform``), a progress bar, a French summary and optionally the PDF
report. Nothing is stored.

    guichet tarifs simuler --service restauration-scolaire --grille projet.json \\
        [--service accueil-periscolaire --grille projet2.json] [--unites 16 --frequentation 70] \\
        [--population fichier|synthetique] [--date AAAA-MM-JJ] [--pdf rapport.pdf] [--json]

Each ``--grille`` file is the draft grid's dict form (``regle``, ``debut``, ``modulations``…; the
service and unit are the service's). ``--unites``/``--frequentation`` may be given once for all
services or once per service; the default is the service kind's usual assumption.
Exit code 2 on a missing file, unreadable JSON, an invalid grid or an unknown service.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from argparse import ArgumentParser
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from guichet.pricing.models import MunicipalService, ReformPopulation, ReformSimulation, ReformStatus
from guichet.pricing.reform_report import reform_report_pdf
from guichet.pricing.reform_services import (
    DEFAULT_ASSUMPTIONS,
    ReformError,
    ScenarioItem,
    assumptions,
    current_grid,
    draft_grid,
    run_reform,
)
from guichet.rules.money import format_euros
from guichet.rules.reform import ReformResult
from guichet.rules.tariffs import GridError, grid_to_dict

INPUT_ERROR = 2


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"


def _signed(amount: Decimal) -> str:
    text = format_euros(amount, cents=True)
    return f"+{text}" if amount > 0 else text


def summary(result: ReformResult) -> str:
    lines = [
        f"{result.households} ménage{'s' if result.households > 1 else ''}, dont {result.concerned} concerné"
        f"{'s' if result.concerned > 1 else ''} par au moins un service simulé (montants mensuels estimés).",
        f"Paieraient moins : {result.winners} ; paieraient plus : {result.losers} ; inchangés : {result.unchanged}.",
        f"Recettes mensuelles : {format_euros(result.revenue_current, cents=True)} → "
        f"{format_euros(result.revenue_draft, cents=True)} ({_signed(result.revenue_change)}).",
        "",
        "Par service :",
    ]
    for service in result.services:
        lines.append(
            f"  {service.label} : {format_euros(service.current, cents=True)} → "
            f"{format_euros(service.draft, cents=True)} ({_signed(service.change)})"
        )
    lines += ["", "Par décile de quotient (variation mensuelle moyenne) :"]
    for group in result.deciles:
        if group.households:
            lines.append(
                f"  {group.label} (QF {format_euros(group.quotient_min or Decimal(0))} à "
                f"{format_euros(group.quotient_max or Decimal(0))}) : {group.households} ménages, "
                f"{_count(group.winners, 'gagnant')}, {_count(group.losers, 'perdant')}, {_signed(group.mean_change)}"
            )
    lines += ["", "Par quartier :"]
    for group in result.quartiers:
        lines.append(f"  {group.label} : {group.households} ménages, {_signed(group.mean_change)}")
    lines += ["", "Effets de seuil (un euro de revenu en plus coûte plus d'un euro par mois) :"]
    for threshold in result.thresholds:
        lines.append(
            f"  {threshold.family}, grille {threshold.grid} : revenu de {format_euros(threshold.income_from)} "
            f"à {format_euros(threshold.income_to)} (QF {format_euros(threshold.quotient)}), "
            f"jusqu'à {format_euros(threshold.jump, cents=True)} de plus par mois"
        )
    if not result.thresholds:
        lines.append("  aucun pour les familles types.")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Tarifs municipaux : simuler une réforme des grilles (« simuler »)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        simulate = commands.add_parser("simuler", help="Simuler un projet de grille sur une population.")
        simulate.add_argument("--service", action="append", required=True, help="Slug du service (répétable).")
        simulate.add_argument("--grille", action="append", required=True, help="Projet de grille JSON (répétable).")
        simulate.add_argument("--unites", action="append", default=[], help="Unités par mois (une, ou une par service)")
        simulate.add_argument(
            "--frequentation", action="append", default=[], help="Part qui fréquente le service, en %%"
        )
        simulate.add_argument("--population", choices=ReformPopulation.values, default=ReformPopulation.FILE)
        simulate.add_argument("--date", help="Date des grilles actuelles (AAAA-MM-JJ, aujourd'hui par défaut)")
        simulate.add_argument("--pdf", help="Écrire le rapport PDF dans ce fichier")
        simulate.add_argument("--json", action="store_true", help="Résultats en JSON")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INPUT_ERROR)

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["service"]
        files: list[str] = options["grille"]
        if len(slugs) != len(files):
            self.fail("Donnez un --grille pour chaque --service, dans le même ordre.")
        on = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        items = [
            self._item(index, slug, Path(path), on, options)
            for index, (slug, path) in enumerate(zip(slugs, files, strict=True))
        ]
        with tqdm(total=100, unit=" %", desc="Simulation", disable=None, file=sys.stderr) as bar:

            def progress(percent: int, label: str) -> None:
                bar.set_postfix_str(label, refresh=False)
                bar.update(percent - bar.n)

            try:
                result = run_reform(options["population"], items, on, progress=progress)
            except (ReformError, GridError) as error:
                self.fail(str(error))
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result))
        if options["pdf"]:
            simulation = ReformSimulation(
                title="Simulation en ligne de commande",
                population=options["population"],
                reference_date=on,
                scenario=[
                    {
                        "service": item.service.slug,
                        "grille": grid_to_dict(item.draft),
                        "unites_par_mois": str(item.units_per_month),
                        "frequentation": str(item.attendance_percent),
                    }
                    for item in items
                ],
                status=ReformStatus.DONE,
                results=result.as_json(),
            )
            Path(options["pdf"]).write_bytes(reform_report_pdf(simulation))
            self.stderr.write(f"Rapport PDF écrit dans {options['pdf']}.")

    def _item(self, index: int, slug: str, path: Path, on: dt.date, options: dict[str, Any]) -> ScenarioItem:
        service = MunicipalService.objects.filter(slug=slug).first()
        if service is None:
            known = ", ".join(MunicipalService.objects.values_list("slug", flat=True))
            self.fail(f"Service inconnu « {slug} » (services : {known}).")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.fail(f"Fichier introuvable : {path}")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            self.fail(f"{path} n'est pas un JSON lisible : {error}")
        if not isinstance(data, dict):
            self.fail(f"{path} : un objet JSON (la grille) est attendu.")
        default_units, default_share = DEFAULT_ASSUMPTIONS.get(service.kind, ("1", "100"))
        units = self._pick(options["unites"], index, default_units)
        share = self._pick(options["frequentation"], index, default_share)
        try:
            draft = draft_grid(service, data)
            units_value, share_value = assumptions(units, share)
            current = current_grid(service, on)
        except GridError as error:
            self.fail(f"{path} : {error}")
        except ReformError as error:
            self.fail(str(error))
        return ScenarioItem(service, current, draft, units_value, share_value)

    @staticmethod
    def _pick(values: list[str], index: int, default: str) -> str:
        if not values:
            return default
        return values[index] if index < len(values) else values[-1]
