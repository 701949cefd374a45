"""Assessment of national benefits for a month: single household or chunks of many, one
vectorised OpenFisca-France simulation per chunk.

Amounts are what the household could receive if it claimed everything (OpenFisca assumes full
take-up); the benefits it already receives are shown beside them by the platform, not used here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from openfisca_core.periods import DateUnit

from guichet.rules.household import Household, Person
from guichet.rules.money import round_money
from guichet.rules.openfisca.catalogue import BENEFITS, CATALOGUE_VERSION, IN_KIND, Benefit
from guichet.rules.openfisca.mapping import ChunkInputs, first_of_month, map_households, window_months
from guichet.rules.openfisca.simulation import build_simulation
from guichet.rules.openfisca.staleness import DEFAULT_MAX_AGE_MONTHS, stale_parameter
from guichet.rules.openfisca.system import openfisca_france_version, tax_benefit_system

DEFAULT_MAX_PARAMETER_AGE_MONTHS = DEFAULT_MAX_AGE_MONTHS
DEFAULT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class BenefitResult:
    key: str
    label: str
    eligible: bool
    amount: Decimal | None  # None for an in-kind benefit
    period: str  # mensuel, annuel, en_nature
    facts: tuple[str, ...]
    organisme: str
    link: str
    how_to_claim: str
    documents: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    is_cost: bool = False


@dataclass(frozen=True)
class Assessment:
    household_id: str
    month: dt.date
    results: tuple[BenefitResult, ...]
    inputs_summary: tuple[str, ...]
    openfisca_france_version: str
    catalogue_version: str = CATALOGUE_VERSION

    def result(self, key: str) -> BenefitResult:
        return next(r for r in self.results if r.key == key)


def _euros(amount: Decimal) -> str:
    return f"{round_money(amount):,.2f} €".replace(",", " ").replace(".", ",")


def parameter_warnings(benefit: Benefit, month: dt.date, max_age_months: int) -> tuple[str, ...]:
    found = (stale_parameter(path, month, max_age_months) for path in benefit.parameters)
    return tuple(dict.fromkeys(stale.message for stale in found if stale is not None))


def _summary(household: Household, month: dt.date) -> tuple[str, ...]:
    lines = [
        f"{len(household.adults)} adulte(s), {len(household.children)} enfant(s), "
        f"{sum(p.role == 'autre' for p in household.people)} autre(s) personne(s)",
        f"Logement : {household.housing_status}, loyer {_euros(household.rent or Decimal(0))}, "
        f"commune {household.insee_code}",
    ]
    for person in household.people:
        current = {kind: _at(records, month) for kind, records in person.resources.items()}
        resources = ", ".join(f"{kind} {_euros(amount)}" for kind, amount in sorted(current.items()) if amount)
        lines.append(
            f"{person.role} ({person.age_on(month)} ans, {person.occupation}) : "
            f"{resources or 'aucune ressource déclarée'}"
        )
    lines.append(
        f"Mois simulé {month:%m/%Y} ; ressources supposées constantes sur les mois non renseignés depuis "
        f"{window_months(month)[0]:%m/%Y} ; revenus imposables déclarés pour les années antérieures."
    )
    return tuple(lines)


def _at(records: Any, month: dt.date) -> Decimal:
    earlier = [day for day in records if day <= month]
    return Decimal(records[max(earlier)]) if earlier else Decimal(0)


def _household_sums(values: np.ndarray[Any, Any], owners: np.ndarray[Any, Any], count: int) -> np.ndarray[Any, Any]:
    return np.bincount(owners, weights=values.astype(np.float64), minlength=count)


def _compute(benefit_variable: str, simulation: Any, chunk: ChunkInputs) -> np.ndarray[Any, Any]:
    """Per-household value of a variable for the month (or the year), summed over the entity."""
    variable = tax_benefit_system().variables[benefit_variable]
    yearly = variable.definition_period == DateUnit.YEAR
    period = str(chunk.month.year) if yearly else chunk.month.strftime("%Y-%m")
    values = simulation.calculate(benefit_variable, period)
    key = variable.entity.key
    if key == "menage":
        return np.asarray(values, dtype=np.float64)
    owners = np.array(chunk.person_household if key == "individu" else chunk.famille_household)
    return _household_sums(values, owners, chunk.household_count)


def assess_chunk(
    households: Sequence[Household], month: dt.date, max_parameter_age_months: int = DEFAULT_MAX_PARAMETER_AGE_MONTHS
) -> list[Assessment]:
    """Assess a chunk in one vectorised simulation. A plain top-level function of picklable
    arguments, so that chunks can run in separate processes (``ProcessPoolExecutor``, Celery)."""
    month = first_of_month(month)
    chunk = map_households(households, month)
    simulation = build_simulation(chunk)
    amounts: dict[str, np.ndarray[Any, Any]] = {}
    facts: dict[tuple[str, str], np.ndarray[Any, Any]] = {}
    for benefit in BENEFITS:
        amounts[benefit.key] = _compute(benefit.variable, simulation, chunk)
        for fact in benefit.facts:
            facts[benefit.key, fact.variable] = _compute(fact.variable, simulation, chunk)
    version = openfisca_france_version()
    return [
        Assessment(
            household_id=household.id,
            month=month,
            results=tuple(
                _result(benefit, amounts[benefit.key][index], facts, index, month, max_parameter_age_months)
                for benefit in BENEFITS
            ),
            inputs_summary=_summary(household, month),
            openfisca_france_version=version,
        )
        for index, household in enumerate(households)
    ]


def _result(
    benefit: Benefit, value: float, facts: dict[tuple[str, str], Any], index: int, month: dt.date, max_age: int
) -> BenefitResult:
    amount = None if benefit.period == IN_KIND else round_money(float(value))
    eligible = bool(value > 0)
    fact_lines = tuple(
        f"{fact.label} : {_euros(round_money(float(facts[benefit.key, fact.variable][index])))}"
        if fact.variable != "af_nbenf"
        else f"{fact.label} : {int(facts[benefit.key, fact.variable][index])}"
        for fact in benefit.facts
    )
    return BenefitResult(
        key=benefit.key,
        label=benefit.label,
        eligible=eligible,
        amount=amount,
        period=benefit.period,
        facts=fact_lines,
        organisme=benefit.organisme,
        link=benefit.link,
        how_to_claim=benefit.how_to_claim,
        documents=benefit.documents,
        warnings=parameter_warnings(benefit, month, max_age),
        is_cost=benefit.is_cost,
    )


def assess(
    household: Household, month: dt.date, max_parameter_age_months: int = DEFAULT_MAX_PARAMETER_AGE_MONTHS
) -> Assessment:
    return assess_chunk([household], month, max_parameter_age_months)[0]


def chunks(households: Iterable[Household], size: int) -> Iterator[list[Household]]:
    batch: list[Household] = []
    for household in households:
        batch.append(household)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def assess_many(
    households: Iterable[Household],
    month: dt.date,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_parameter_age_months: int = DEFAULT_MAX_PARAMETER_AGE_MONTHS,
) -> Iterator[Assessment]:
    """Assess many households, one simulation per chunk (about 110 KB per household inside OpenFisca,
    so the chunk size bounds peak memory). Yields as chunks complete."""
    for batch in chunks(households, chunk_size):
        yield from assess_chunk(batch, month, max_parameter_age_months)


def warm_up(month: dt.date | None = None) -> None:
    """Build the tax-benefit system, the net→gross curves and OpenFisca's lazy caches with one small
    assessment. Call it at process start (web worker, Celery worker), off the request path."""
    day = first_of_month(month or dt.datetime.now(dt.UTC).date())
    applicant = Person(id="warm-up", role="demandeur", birth_date=dt.date(day.year - 40, 1, 1))
    assess(Household(id="warm-up", people=(applicant,)), day)
