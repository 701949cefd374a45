"""``guichet droits FICHIER.json``: the rights assessment of a household described in a JSON file
(format: docs/guide/droits-cli.md), as a French table or as JSON. Nothing is stored.
Exit code 2 when the file is missing, not JSON, or malformed (each field and what is wrong)."""

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

from guichet.rights.comparison import BenefitTable, benefit_table, row_json
from guichet.rights.household_json import HouseholdFormatError, household_from_json
from guichet.rights.local_aids import local_aids_evaluate, outcome_json, outcome_text
from guichet.rules.money import format_euros
from guichet.rules.openfisca import Assessment, MappingError, assess

INPUT_ERROR = 2
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def _euros(amount: Decimal | None) -> str:
    return "—" if amount is None else format_euros(amount, cents=True)


def _text(assessment: Assessment, table: BenefitTable, name: str) -> str:
    month = assessment.month
    lines = [
        f"Bilan de droits — {name}, {MONTHS[month.month - 1]} {month.year}",
        f"OpenFisca-France {assessment.openfisca_france_version}, catalogue des aides {assessment.catalogue_version}."
        " Montants estimés : seule la décision de l'organisme fait foi.",
        "",
    ]
    header = ("Aide", "Situation", "Pourrait percevoir", "Perçoit", "Écart mensuel")
    cells = [header]
    for row in table.rows:
        possible = "—"
        if row.result.eligible:
            possible = "oui" if row.result.amount is None else f"{_euros(row.result.amount)} ({row.result.period})"
        got = f"{_euros(row.received.amount)} ({row.received.month:%m/%Y})" if row.received else "—"
        gap = _euros(row.difference) if row.difference else "—"
        cells.append((row.result.label, row.status_label, possible, got, gap))
    widths = [max(len(cell[i]) for cell in cells) for i in range(len(header))]
    for cell in cells:
        lines.append("  ".join(value.ljust(width) for value, width in zip(cell, widths, strict=True)).rstrip())
    lines += ["", f"Probablement non perçu : {_euros(table.monthly_unclaimed)} par mois.", "", "Que faire :"]
    for number, row in enumerate(table.to_do, start=1):
        lines.append(f"{number}. {row.result.label} ({row.status_label.lower()}) : {row.result.how_to_claim}")
        lines.append(f"   {row.result.organisme} — {row.result.link}")
        if row.result.documents:
            lines.append(f"   Pièces : {', '.join(row.result.documents)}.")
    if not table.to_do:
        lines.append("Aucune aide nouvelle à demander d'après ce bilan.")
    if table.warnings:
        lines += ["", "Attention :"] + [f"- {warning}" for warning in table.warnings]
    lines += ["", "Données utilisées :"] + [f"- {line}" for line in assessment.inputs_summary]
    return "\n".join(lines)


def _json(assessment: Assessment, table: BenefitTable, name: str) -> dict[str, Any]:
    return {
        "menage": name,
        "mois": f"{assessment.month:%Y-%m}",
        "openfisca_france": assessment.openfisca_france_version,
        "catalogue": assessment.catalogue_version,
        "non_percu_mensuel": str(table.monthly_unclaimed),
        "aides": [row_json(row) for row in table.rows],
        "que_faire": [row.result.key for row in table.to_do],
        "donnees_utilisees": list(assessment.inputs_summary),
    }


class Command(BaseCommand):
    help = "Bilan de droits d'un ménage décrit dans un fichier JSON (voir docs/guide/droits-cli.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("fichier", help="fichier JSON décrivant le ménage")
        parser.add_argument("--mois", help="mois simulé, AAAA-MM (par défaut : le mois en cours)")
        parser.add_argument("--format", choices=("texte", "json"), default="texte", help="texte (défaut) ou json")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(INPUT_ERROR)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["fichier"])
        month = timezone.localdate().replace(day=1)
        if options["mois"]:
            try:
                month = dt.date.fromisoformat(f"{options['mois']}-01")
            except ValueError:
                self.fail(f"--mois : mois attendu au format AAAA-MM (reçu « {options['mois']} »).")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            self.fail(f"Impossible de lire {path} : {error.strerror or error}.")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            where = f" (ligne {error.lineno}, colonne {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
            self.fail(f"{path} n'est pas un fichier JSON valide{where}.")
        try:
            household = household_from_json(data)
        except HouseholdFormatError as error:
            self.fail(f"{path} est mal formé :\n" + "\n".join(f"- {line}" for line in error.errors))
        try:
            assessment = assess(household, month)
        except MappingError as error:
            self.fail(f"{path} : {error}")
        table = benefit_table(assessment.results, household, assessment.month)
        local_aids = local_aids_evaluate(household, assessment.month)
        if options["format"] == "json":
            data = _json(assessment, table, household.id) | {"aides_locales": outcome_json(local_aids)}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_text(assessment, table, household.id) + "\n\n" + "\n".join(outcome_text(local_aids)))
