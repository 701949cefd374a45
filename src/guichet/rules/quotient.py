"""The CAF family quotient (quotient familial) of a household, and the fiscal parts (never mixed).

CAF: QF = (annual resources of year N-2 ÷ 12 + monthly family benefits) ÷ parts, parameters in
``data/quotient_caf.toml``. A quotient attested by the CAF (attestation or API) wins over the
computed one. Fiscal parts (CGI art. 194) are a different notion, used by income-tax based rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from guichet.rules.household import Household, Person
from guichet.rules.money import round_money
from guichet.rules.parameters import DATA_DIR, Parameter, load_parameters

COMPUTED = "calculé"


@cache
def caf_parameters() -> dict[str, Parameter]:
    return load_parameters(DATA_DIR / "quotient_caf.toml")


@dataclass(frozen=True)
class Quotient:
    value: Decimal
    source: str  # "calculé", or the attestation's source ("attestation_caf", "api_particulier"…)
    date: dt.date
    parts: Decimal | None = None
    annual_resources: Decimal | None = None
    monthly_resources: Decimal | None = None
    family_benefits: Decimal | None = None
    explanation: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_attested(self) -> bool:
        return self.source != COMPUTED


def _euros(amount: Decimal) -> str:
    text = f"{round_money(amount):,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def dependent_children(household: Household, on: dt.date, params: dict[str, Parameter]) -> list[Person]:
    max_age = int(params["dependent_child_max_age"].decimal_at(on))
    return [child for child in household.children if child.age_on(on) < max_age]


def caf_parts(household: Household, on: dt.date, params: dict[str, Parameter] | None = None) -> Decimal:
    """Number of CAF parts: adults by situation, then children by rank, then AEEH children."""
    params = params or caf_parameters()
    children = dependent_children(household, on, params)
    if household.is_couple:
        parts = params["parts_couple"].decimal_at(on)
    elif children:
        parts = params["parts_single_parent"].decimal_at(on)
    else:
        parts = params["parts_single_without_child"].decimal_at(on)
    for rank, _ in enumerate(children, start=1):
        if rank <= 2:
            parts += params["parts_per_child_first_two"].decimal_at(on)
        elif rank == 3:
            parts += params["parts_third_child"].decimal_at(on)
        else:
            parts += params["parts_per_further_child"].decimal_at(on)
    parts += params["parts_per_aeeh_child"].decimal_at(on) * sum(1 for child in children if child.has_aeeh)
    return parts


def _latest_month_amounts(by_month: dict[dt.date, Decimal] | None, on: dt.date) -> Decimal:
    if not by_month:
        return Decimal(0)
    months = [month for month in by_month if month <= on]
    return by_month[max(months)] if months else Decimal(0)


def monthly_family_benefits(household: Household, on: dt.date, params: dict[str, Parameter]) -> Decimal:
    """Family benefits of the latest month known on ``on`` (household-level and per person)."""
    kinds = params["family_benefit_kinds"].at(on)
    total = Decimal(0)
    for kind in kinds:
        total += _latest_month_amounts(dict(household.resources.get(kind, {})), on)
        for person in household.people:
            total += _latest_month_amounts(dict(person.resources.get(kind, {})), on)
    return total


def caf_quotient_computed(household: Household, on: dt.date, params: dict[str, Parameter] | None = None) -> Quotient:
    params = params or caf_parameters()
    year = on.year - 2
    annual = sum((person.taxable_income.get(year, Decimal(0)) for person in household.people), Decimal(0))
    monthly = annual / 12
    benefits = monthly_family_benefits(household, on, params)
    parts = caf_parts(household, on, params)
    value = round_money((monthly + benefits) / parts)
    children = dependent_children(household, on, params)
    lines = (
        f"Revenus {year} du foyer : {_euros(annual)} ÷ 12 = {_euros(monthly)} par mois",
        f"Prestations familiales du mois : {_euros(benefits)}",
        f"Parts : {parts.normalize():f} ({'couple' if household.is_couple else 'personne seule'}, "
        f"{len(children)} enfant{'s' if len(children) > 1 else ''} à charge)",
        f"Quotient familial : ({_euros(monthly)} + {_euros(benefits)}) ÷ {parts.normalize():f} = {_euros(value)}",
    )
    warnings: tuple[str, ...] = ()
    if any(param.to_verify for param in params.values()):
        warnings = ("Barème des parts issu de sources secondaires, marqué « à vérifier » par la commune.",)
    if not any(year in person.taxable_income for person in household.people):
        warnings += (f"Aucun revenu {year} renseigné : le quotient est calculé sur des revenus nuls.",)
    return Quotient(
        value=value,
        source=COMPUTED,
        date=on,
        parts=parts,
        annual_resources=annual,
        monthly_resources=round_money(monthly),
        family_benefits=benefits,
        explanation=lines,
        warnings=warnings,
    )


def caf_quotient(household: Household, on: dt.date, params: dict[str, Parameter] | None = None) -> Quotient:
    """The household's quotient on ``on``: the attested one when there is one, else the computed one."""
    params = params or caf_parameters()
    attested = household.attested_quotient
    if attested is None or attested.date > on:
        return caf_quotient_computed(household, on, params)
    max_age = int(params["attestation_max_age_days"].decimal_at(on))
    warnings: tuple[str, ...] = ()
    if (on - attested.date).days > max_age:
        warnings = (f"Attestation du {attested.date:%d/%m/%Y} de plus de {max_age} jours : demandez-en une récente.",)
    return Quotient(
        value=round_money(attested.value),
        source=attested.source,
        date=attested.date,
        explanation=(
            f"Quotient familial attesté ({attested.source}) du {attested.date:%d/%m/%Y} : {_euros(attested.value)}",
        ),
        warnings=warnings,
    )


def fiscal_parts(*, is_couple: bool, dependent_children: int, single_parent: bool = False) -> Decimal:
    """Income-tax parts (CGI art. 194) — NOT the CAF parts: 1 per single adult, 2 per couple,
    +0.5 for each of the first two children, +1 from the third, +0.5 for a single parent."""
    parts = Decimal(2) if is_couple else Decimal(1)
    parts += Decimal("0.5") * min(dependent_children, 2) + Decimal(1) * max(dependent_children - 2, 0)
    if single_parent and not is_couple and dependent_children:
        parts += Decimal("0.5")
    return parts
