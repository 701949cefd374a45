"""The household as the rules see it: plain, immutable dataclasses built by the apps from ORM rows.

Amounts are net monthly ``Decimal`` as people know them; ``month`` keys are the first day of a month.
Role and occupation values are the same strings as the apps' enums (``demandeur``, ``salarie``…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# resource kind -> month (first day) -> net monthly amount
MonthlyResources = Mapping[str, Mapping[dt.date, Decimal]]


@dataclass(frozen=True)
class Person:
    id: str
    role: str  # demandeur, conjoint, enfant, autre
    birth_date: dt.date
    occupation: str = "autre"
    disability_rate: int | None = None
    has_aeeh: bool = False  # child for whom the family receives AEEH
    has_rqth: bool = False
    # "restriction substantielle et durable pour l'accès à l'emploi" recognised by the CDAPH:
    # with a disability rate of 50 to 79 %, it opens the AAH
    employment_restriction: bool = False
    is_pregnant: bool = False
    resources: MonthlyResources = field(default_factory=dict)
    taxable_income: Mapping[int, Decimal] = field(default_factory=dict)  # year -> declared income

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def is_adult_member(self) -> bool:
        return self.role in {"demandeur", "conjoint"}


@dataclass(frozen=True)
class AttestedQuotient:
    """A family quotient given by the CAF/MSA (attestation or API): it wins over a computed one."""

    value: Decimal
    date: dt.date
    source: str


@dataclass(frozen=True)
class Household:
    id: str
    people: tuple[Person, ...]
    housing_status: str = "locataire_prive"
    rent: Decimal | None = None
    postcode: str = "76800"
    insee_code: str = "76575"
    quartier: str = ""
    resources: MonthlyResources = field(default_factory=dict)  # household-level benefits (housing aid…)
    attested_quotient: AttestedQuotient | None = None

    @property
    def adults(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.is_adult_member)

    @property
    def children(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "enfant")

    @property
    def is_couple(self) -> bool:
        return any(p.role == "conjoint" for p in self.people)
