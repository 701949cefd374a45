"""What the household could receive beside what it already receives, the « que faire » list, and
the differences between a stored assessment and its replay. Pure functions of stored data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guichet.households.enums import ResourceKind
from guichet.rules import household as rules
from guichet.rules.openfisca import BenefitResult

# Below this monthly gap, what is received is taken as what is due (rounding, revaluations).
GAP_TOLERANCE = Decimal("5.00")

STATUS_LABELS = {
    "a_demander": "À demander",
    "ecart": "Écart à vérifier",
    "percu": "Déjà perçu",
    "eligible": "Probablement éligible",
    "a_verifier": "Perçu mais non retrouvé",
    "non_eligible": "Non éligible",
}
STATUS_BADGES = {
    "a_demander": "badge badge-todo",
    "ecart": "badge badge-todo",
    "percu": "badge badge-success",
    "eligible": "badge badge-todo",
    "a_verifier": "badge",
    "non_eligible": "badge badge-muted",
}
TO_DO = ("a_demander", "ecart", "eligible")


@dataclass(frozen=True)
class Received:
    amount: Decimal
    month: dt.date


@dataclass(frozen=True)
class BenefitRow:
    result: BenefitResult
    received: Received | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge_class(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def difference(self) -> Decimal | None:
        """Monthly amount not received (could − receives), for the monthly benefits people report."""
        if self.result.amount is None or self.received is None or self.result.period != "mensuel":
            return None
        return self.result.amount - self.received.amount

    @property
    def to_do(self) -> bool:
        return self.status in TO_DO


@dataclass(frozen=True)
class BenefitTable:
    rows: list[BenefitRow]

    @property
    def to_do(self) -> list[BenefitRow]:
        return [row for row in self.rows if row.to_do]

    @property
    def monthly_unclaimed(self) -> Decimal:
        """Monthly amounts of the benefits to claim, plus the gaps on those received too low."""
        total = Decimal(0)
        for row in self.rows:
            if row.result.period != "mensuel" or row.result.amount is None or row.result.is_cost:
                continue
            if row.status == "a_demander":
                total += row.result.amount
            elif row.status == "ecart" and row.difference is not None:
                total += row.difference
        return total

    @property
    def warnings(self) -> list[str]:
        """Staleness warnings of the benefits found eligible."""
        return list(dict.fromkeys(w for row in self.rows if row.result.eligible for w in row.result.warnings))


def row_json(row: BenefitRow) -> dict[str, Any]:
    """One benefit row with French keys, amounts as exact text: the CLI's JSON and the API's schema."""

    def money(amount: Decimal | None) -> str | None:
        return None if amount is None else str(amount)

    return {
        "cle": row.result.key,
        "libelle": row.result.label,
        "eligible": row.result.eligible,
        "montant": money(row.result.amount),
        "periode": row.result.period,
        "statut": row.status,
        "statut_libelle": row.status_label,
        "percu": money(row.received.amount) if row.received else None,
        "percu_mois": f"{row.received.month:%Y-%m}" if row.received else None,
        "ecart_mensuel": money(row.difference),
        "elements": list(row.result.facts),
        "organisme": row.result.organisme,
        "lien": row.result.link,
        "demarche": row.result.how_to_claim,
        "pieces": list(row.result.documents),
        "avertissements": list(row.result.warnings),
    }


def received(household: rules.Household, kind: str, month: dt.date) -> Received | None:
    """The latest amount of ``kind`` received up to ``month`` (people and household together)."""
    series = [household.resources.get(kind, {})] + [person.resources.get(kind, {}) for person in household.people]
    months = [day for records in series for day in records if day <= month]
    if not months:
        return None
    latest = max(months)
    return Received(sum((records.get(latest, Decimal(0)) for records in series), Decimal(0)), latest)


def _status(result: BenefitResult, got: Received | None, reported: bool) -> str:
    receives = got is not None and got.amount > 0
    if not result.eligible:
        return "a_verifier" if receives else "non_eligible"
    if not reported or result.amount is None or result.is_cost:
        return "eligible"
    if not receives:
        return "a_demander"
    assert got is not None
    return "ecart" if result.amount - got.amount > GAP_TOLERANCE else "percu"


def benefit_table(results: Iterable[BenefitResult], household: rules.Household, month: dt.date) -> BenefitTable:
    rows = []
    for result in results:
        reported = result.key in ResourceKind.values
        got = received(household, result.key, month) if reported else None
        rows.append(BenefitRow(result, got, _status(result, got, reported)))
    return BenefitTable(rows)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _shown(result: BenefitResult | None) -> str:
    if result is None:
        return "absent du calcul"
    if not result.eligible:
        return "non éligible"
    return "éligible" if result.amount is None else f"éligible, {result.amount} €"


def changes(stored: Sequence[BenefitResult], replayed: Sequence[BenefitResult]) -> list[Change]:
    """Benefits whose eligibility or amount differ between the stored results and a replay."""
    before = {r.key: r for r in stored}
    after = {r.key: r for r in replayed}
    found = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if _shown(old) != _shown(new):
            named = old or new
            found.append(Change(named.label if named else key, _shown(old), _shown(new)))
    return found
