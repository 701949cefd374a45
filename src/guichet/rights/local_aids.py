"""The commune's own aids in the rights app: the aid files of ``GUICHET_LOCAL_AIDS_DIR`` read once
(and again only when a file changes), evaluated for a household on the first day of the month
assessed, stored with each assessment (JSON below, French keys, also printed by ``guichet
droits --format json``), replayed and printed.

A malformed aid file never stops a national assessment: the outcome then carries the errors
(file:line) instead of results, and ``guichet aides verifier`` lists them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from guichet.rights.comparison import Change
from guichet.rules.household import Household
from guichet.rules.local_aids import LocalAid, LocalAidFileError, LocalAidResult, aids_signature, evaluate
from guichet.rules.local_aids.loader import aid_files, load_directory
from guichet.rules.money import format_euros
from guichet.rules.quotient import caf_quotient_computed
from guichet.rules.text import normalize_text

# the questionnaire's incomes that stand for the taxable income of year N-2 in the public estimate
PUBLIC_TAXABLE_KINDS = ("salaire", "revenu_independant", "chomage", "retraite", "pension_invalidite")
EXAMPLES_NOTE = (
    "Aides données en exemple : elles illustrent le format des aides de la commune et ne sont pas des "
    "délibérations réelles de la commune."
)


def aids_directory() -> Path:
    return Path(settings.GUICHET_LOCAL_AIDS_DIR)


def _stamp(directory: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in aid_files(directory):
        stat = path.stat()
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple[tuple[str, int, int], ...]) -> tuple[LocalAid, ...]:
    """Read once per directory state (a failed read is not cached: the next call reads again)."""
    return load_directory(Path(directory))


def current_aids() -> tuple[LocalAid, ...]:
    """The aids of the configured directory; raises ``LocalAidFileError``."""
    directory = aids_directory()
    return _load(str(directory), _stamp(directory))


def clear_cache() -> None:
    _load.cache_clear()


def current_signature() -> str:
    try:
        return aids_signature(current_aids())
    except LocalAidFileError:
        return ""


@dataclass(frozen=True)
class LocalAidsOutcome:
    on: dt.date
    results: tuple[LocalAidResult, ...]
    signature: str = ""
    errors: tuple[str, ...] = ()  # problems of the aid files (file:line : what): nothing evaluated

    @property
    def eligible(self) -> tuple[LocalAidResult, ...]:
        return tuple(result for result in self.results if result.eligible)

    @property
    def has_examples(self) -> bool:
        return any(result.aid.example for result in self.results)


def local_aids_evaluate(household: Household, month: dt.date, *, estimated: bool = False) -> LocalAidsOutcome:
    """The aids valid on the first day of ``month`` for ``household``, eligible ones first.
    ``estimated``: the household comes from a questionnaire without past incomes (public simulator):
    its family quotient is estimated from the current monthly incomes."""
    on = month.replace(day=1)
    try:
        aids = current_aids()
    except LocalAidFileError as error:
        return LocalAidsOutcome(on, (), errors=tuple(str(problem) for problem in error.all_errors))
    quotient = caf_quotient_computed(_with_estimated_incomes(household, on), on) if estimated else None
    results = evaluate(aids, household, on, quotient=quotient)
    results.sort(key=lambda result: (not result.eligible, normalize_text(result.aid.name)))
    return LocalAidsOutcome(on, tuple(results), aids_signature(aids))


def _with_estimated_incomes(household: Household, on: dt.date) -> Household:
    """Twelve times the current monthly incomes stand for the taxable income of year N-2."""
    people = []
    for person in household.people:
        monthly = sum((person.resources.get(kind, {}).get(on, Decimal(0)) for kind in PUBLIC_TAXABLE_KINDS), Decimal(0))
        people.append(replace(person, taxable_income={on.year - 2: monthly * 12}))
    return replace(household, people=tuple(people))


def public_household(household: Household) -> Household:
    """The simulator's household, in the commune when its postcode is the commune's (the
    questionnaire asks no address)."""
    insee = settings.GUICHET_COMMUNE_INSEE if household.postcode == settings.GUICHET_COMMUNE_POSTCODE else ""
    return replace(household, insee_code=insee, quartier="")


def public_local_aids(household: Household, month: dt.date) -> LocalAidsOutcome:
    return local_aids_evaluate(public_household(household), month, estimated=True)


# --- stored form (JSON) -----------------------------------------------------------------------


def _validity(aid: LocalAid) -> str:
    if aid.valid_to is None:
        return f"depuis le {aid.valid_from:%d/%m/%Y}"
    return f"du {aid.valid_from:%d/%m/%Y} au {aid.valid_to:%d/%m/%Y}"


def result_json(result: LocalAidResult) -> dict[str, Any]:
    aid = result.aid
    deliberation = aid.deliberation
    return {
        "id": aid.id,
        "nom": aid.name,
        "description": aid.description,
        "version": aid.version,
        "valable_du": aid.valid_from.isoformat(),
        "valable_au": aid.valid_to.isoformat() if aid.valid_to else None,
        "validite": _validity(aid),
        "exemple": aid.example,
        "eligible": result.eligible,
        "montant": str(result.amount),
        "periodicite": aid.amount.periodicity,
        "periodicite_libelle": aid.amount.periodicity_label,
        "calcul": list(result.amount_explanation),
        "raisons": [{"texte": r.text, "remplie": r.met, "niveau": r.level} for r in result.reasons],
        "avertissements": list(result.warnings),
        "pieces": list(aid.documents),
        "demande": {"lieu": aid.apply.place, "lien": aid.apply.link, "modalites": aid.apply.how},
        "deliberation": {
            "reference": deliberation.reference,
            "date": deliberation.date.isoformat(),
            "instance": deliberation.body,
            "libelle": f"{deliberation.reference} du {deliberation.date:%d/%m/%Y}"
            + (f", {deliberation.body}" if deliberation.body else ""),
        },
        "fichier": Path(aid.path).name,
    }


def outcome_json(outcome: LocalAidsOutcome) -> dict[str, Any]:
    return {
        "date": outcome.on.isoformat(),
        "signature": outcome.signature,
        "erreurs": list(outcome.errors),
        "exemples": outcome.has_examples,
        "aides": [result_json(result) for result in outcome.results],
    }


def stored_unchanged(results: dict[str, Any]) -> bool:
    """Whether a stored assessment's local aids were computed from the aid files as they are now."""
    stored = results.get("local_aids")
    return stored is not None and not stored["erreurs"] and stored["signature"] == current_signature()


def _shown(item: dict[str, Any] | None) -> str:
    if item is None:
        return "absente du calcul"
    if not item["eligible"]:
        return "non éligible"
    return f"éligible, {item['montant']} € ({item['periodicite_libelle']})"


def replay_changes(results: dict[str, Any], household: Household, month: dt.date) -> list[Change]:
    """The commune's aids whose result differs between a stored assessment and now (files as they
    are now). Nothing for an assessment stored before local aids were evaluated."""
    stored = results.get("local_aids")
    if stored is None:
        return []
    now = outcome_json(local_aids_evaluate(household, month))
    found = []
    if stored["erreurs"] != now["erreurs"]:
        before_errors = "; ".join(stored["erreurs"]) or "sans erreur"
        found.append(
            Change("Fichiers des aides de la commune", before_errors, "; ".join(now["erreurs"]) or "sans erreur")
        )
    before = {item["id"]: item for item in stored["aides"]}
    after = {item["id"]: item for item in now["aides"]}
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if _shown(old) != _shown(new):
            named = old or new
            label = f"{named['nom'] if named else key} (aide de la commune)"
            found.append(Change(label, _shown(old), _shown(new)))
    return found


# --- text (guichet droits) --------------------------------------------------------------------


def outcome_text(outcome: LocalAidsOutcome) -> list[str]:
    lines = [f"Aides de la commune (règles valables au {outcome.on:%d/%m/%Y}) :"]
    if outcome.errors:
        lines.append("Les fichiers des aides de la commune contiennent des erreurs (guichet aides verifier) :")
        return lines + [f"- {error}" for error in outcome.errors]
    if not outcome.results:
        return [*lines, "Aucune aide de la commune valable à cette date."]
    if outcome.has_examples:
        lines.append(EXAMPLES_NOTE)
    for result in outcome.results:
        aid = result.aid
        marks = ", exemple" if aid.example else ""
        if result.eligible:
            status = f"éligible, {format_euros(result.amount, cents=True)} {aid.amount.periodicity_label}"
        else:
            status = "non éligible"
        lines.append(f"- {aid.name} (version {aid.version}{marks}) : {status}")
        for reason in result.reasons:
            lines.append(f"    {'  ' * reason.level}[{'oui' if reason.met else 'non'}] {reason.text}")
        if result.eligible:
            lines += [f"    {line}" for line in result.amount_explanation]
            lines.append(f"    Où demander : {aid.apply.place}" + (f" ({aid.apply.link})" if aid.apply.link else ""))
            if aid.documents:
                lines.append(f"    Pièces : {', '.join(aid.documents)}.")
    return lines
