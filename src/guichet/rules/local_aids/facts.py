"""What the aid conditions look at, computed once per household and day: ages, the CAF family
quotient (attested or computed, or an estimate given by the caller), the household's monthly
resources and its consumption units (modified OECD scale, ``consumption_units.toml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from guichet.rules.household import Household, MonthlyResources, Person
from guichet.rules.money import round_money
from guichet.rules.parameters import Parameter, ParameterReader, load_parameters
from guichet.rules.quotient import Quotient, caf_quotient

UNITS_FILE = Path(__file__).resolve().parent / "consumption_units.toml"


@cache
def consumption_unit_parameters() -> Mapping[str, Parameter]:
    return load_parameters(UNITS_FILE)


def consumption_units(household: Household, on: dt.date) -> Decimal:
    """1 for the first person aged 14 or more (the applicant first), 0.5 for each other one,
    0.3 per child under 14 (at least 1 in all: a household has someone to count)."""
    reader = ParameterReader(consumption_unit_parameters(), on)
    adult_age = reader.integer("uc_adult_age")
    ordered = sorted(household.people, key=lambda person: person.role != "demandeur")
    units = Decimal(0)
    first = True
    for person in ordered:
        if person.age_on(on) >= adult_age:
            units += reader.decimal("uc_first_person" if first else "uc_other_person")
            first = False
        else:
            units += reader.decimal("uc_young_child")
    return max(units, reader.decimal("uc_first_person"))


def _latest(series: MonthlyResources, on: dt.date) -> Decimal:
    """The latest amount of each resource kind on or before ``on``, summed."""
    total = Decimal(0)
    for months in series.values():
        earlier = [month for month in months if month <= on]
        if earlier:
            total += months[max(earlier)]
    return total


def monthly_resources(household: Household, on: dt.date) -> Decimal:
    """All the household's monthly resources (work, replacement incomes and benefits alike), each
    kind at its latest known month on or before ``on``."""
    owners = [household.resources, *(person.resources for person in household.people)]
    return sum((_latest(series, on) for series in owners), Decimal(0))


@dataclass(frozen=True)
class HouseholdFacts:
    household: Household
    on: dt.date
    quotient: Quotient
    quotient_estimated: bool  # given by the caller (public simulator) rather than attested or computed
    resources: Decimal
    units: Decimal

    @property
    def resources_per_unit(self) -> Decimal:
        return round_money(self.resources / self.units)

    def age(self, person: Person) -> int:
        return person.age_on(self.on)

    def children_aged(self, minimum: Decimal | None, maximum: Decimal | None) -> tuple[Person, ...]:
        return tuple(
            child
            for child in self.household.children
            if (minimum is None or self.age(child) >= minimum) and (maximum is None or self.age(child) <= maximum)
        )

    @property
    def quotient_label(self) -> str:
        return "estimation à partir de vos réponses" if self.quotient_estimated else self.quotient.source_label


def household_facts(household: Household, on: dt.date, quotient: Quotient | None = None) -> HouseholdFacts:
    return HouseholdFacts(
        household=household,
        on=on,
        quotient=quotient or caf_quotient(household, on),
        quotient_estimated=quotient is not None,
        resources=monthly_resources(household, on),
        units=consumption_units(household, on),
    )
