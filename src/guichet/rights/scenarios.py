"""« Et si… » scenarios: the household as it would be after a change (a job, a separation, a birth,
a move), built from the rules' household so that both can be assessed side by side. Pure."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from guichet.rules import household as rules

# Net monthly SMIC, full time (35 h), from 1 January 2025: the default of the « emploi » scenario,
# which the agent can change in the form.
SMIC_NET_MONTHLY = Decimal("1426.30")

SCENARIO_LABELS = {
    "emploi": "Le demandeur prend un emploi",
    "separation": "Le couple se sépare (le conjoint quitte le foyer)",
    "naissance": "Une naissance dans le foyer",
    "demenagement": "Le ménage déménage",
}


class ScenarioError(ValueError):
    """The scenario does not apply to this household (French message)."""


@dataclass(frozen=True)
class Scenario:
    kind: str
    salary: Decimal = SMIC_NET_MONTHLY
    rent: Decimal | None = None
    housing_status: str = ""

    @property
    def label(self) -> str:
        return SCENARIO_LABELS[self.kind]


def _with_job(person: rules.Person, salary: Decimal, month: dt.date) -> rules.Person:
    # One record at the simulated month: the adapter carries it over the whole look-back window,
    # i.e. a steady job; unemployment benefit stops with it.
    resources = {kind: series for kind, series in person.resources.items() if kind not in {"salaire", "chomage"}}
    return dataclasses.replace(person, occupation="salarie", resources={**resources, "salaire": {month: salary}})


def apply_scenario(household: rules.Household, scenario: Scenario, month: dt.date) -> rules.Household:
    """``household`` after ``scenario``, from ``month`` on."""
    if scenario.kind == "emploi":
        people = tuple(_with_job(p, scenario.salary, month) if p.role == "demandeur" else p for p in household.people)
        return dataclasses.replace(household, id=f"{household.id}-et-si", people=people)
    if scenario.kind == "separation":
        if not household.is_couple:
            raise ScenarioError("Le ménage ne compte pas de conjoint : la séparation ne s'applique pas.")
        people = tuple(p for p in household.people if p.role != "conjoint")
        return dataclasses.replace(household, id=f"{household.id}-et-si", people=people)
    if scenario.kind == "naissance":
        baby = rules.Person(id="naissance", role="enfant", birth_date=month, occupation="enfant")
        return dataclasses.replace(household, id=f"{household.id}-et-si", people=(*household.people, baby))
    if scenario.kind == "demenagement":
        return dataclasses.replace(
            household,
            id=f"{household.id}-et-si",
            rent=scenario.rent if scenario.rent is not None else household.rent,
            housing_status=scenario.housing_status or household.housing_status,
        )
    raise ScenarioError(f"Scénario inconnu : {scenario.kind}.")
