"""The commune's own aids (aides facultatives) as the evaluator sees them: plain, immutable
definitions read from the YAML files by ``loader.py``. Every part keeps the line it comes from, so
that a result can point back to the file.

Codes (occupations, housing statuses) are the same strings as the apps' enums; the labels here are
the French words the reasons use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

PERIODICITIES = {"ponctuel": "une fois", "mensuel": "par mois", "annuel": "par an"}

# who a condition on a person looks at; "un_…" means at least one, "tous_…" every one
WHO_LABELS = {
    "demandeur": "du demandeur",
    "conjoint": "du conjoint",
    "un_adulte": "d'un adulte (demandeur ou conjoint)",
    "tous_les_adultes": "de chaque adulte (demandeur et conjoint)",
    "un_enfant": "d'un enfant",
    "un_membre": "d'une personne du foyer",
}

OCCUPATION_LABELS = {
    "salarie": "salarié",
    "independant": "indépendant",
    "demandeur_emploi": "demandeur d'emploi",
    "etudiant": "étudiant",
    "scolaire": "scolarisé",
    "enfant": "enfant non scolarisé",
    "retraite": "retraité",
    "inapte": "inapte au travail / invalidité",
    "au_foyer": "au foyer",
    "autre": "autre",
}

HOUSING_LABELS = {
    "locataire_social": "locataire d'un bailleur social",
    "locataire_prive": "locataire d'un bailleur privé",
    "proprietaire": "propriétaire",
    "heberge": "hébergé à titre gratuit",
    "sans_domicile_stable": "sans domicile stable",
    "autre": "autre",
}

DEFAULT_DISABILITY_RATE = 50


@dataclass(frozen=True)
class Range:
    """Inclusive bounds; ``None`` is open."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def contains(self, value: Decimal) -> bool:
        return (self.minimum is None or value >= self.minimum) and (self.maximum is None or value <= self.maximum)


# --- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Residence:
    line: int
    communes: tuple[str, ...] = ()  # INSEE codes
    quartiers: tuple[str, ...] = ()  # names or slugs, compared without accents or case
    own_commune: bool = False  # ``residence: commune``: the aid's own commune


@dataclass(frozen=True)
class Age:
    line: int
    who: str
    range: Range


@dataclass(frozen=True)
class QuotientRange:
    line: int
    range: Range


@dataclass(frozen=True)
class ResourcesPerUnit:
    line: int
    range: Range


@dataclass(frozen=True)
class Couple:
    line: int
    expected: bool


@dataclass(frozen=True)
class SingleParent:
    line: int
    expected: bool


@dataclass(frozen=True)
class Children:
    line: int
    count: Range
    ages: Range = Range()


@dataclass(frozen=True)
class People:
    line: int
    count: Range


@dataclass(frozen=True)
class OccupationIn:
    line: int
    who: str
    occupations: tuple[str, ...]


@dataclass(frozen=True)
class Disability:
    """A rate at or above ``minimum_rate``; without an explicit rate, AEEH or RQTH count too."""

    line: int
    who: str
    minimum_rate: int | None = None


@dataclass(frozen=True)
class HousingIn:
    line: int
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    line: int
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    line: int
    conditions: tuple[Condition, ...]


Condition = (
    Residence
    | Age
    | QuotientRange
    | ResourcesPerUnit
    | Couple
    | SingleParent
    | Children
    | People
    | OccupationIn
    | Disability
    | HousingIn
    | AllOf
    | AnyOf
)


# --- amount -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountParts:
    fixed: Decimal = Decimal(0)
    per_child: Decimal = Decimal(0)
    per_person: Decimal = Decimal(0)


@dataclass(frozen=True)
class Bracket:
    """Family quotients up to ``up_to`` (inclusive; ``None``: no upper bound) above the previous
    bracket's bound get ``parts``."""

    line: int
    up_to: Decimal | None
    parts: AmountParts


@dataclass(frozen=True)
class Amount:
    line: int
    periodicity: str  # ponctuel, mensuel, annuel
    parts: AmountParts = AmountParts()
    brackets: tuple[Bracket, ...] = ()  # when given, the matching bracket replaces ``parts``
    cap: Decimal | None = None
    child_ages: Range = Range()  # the children counted by ``per_child``

    @property
    def periodicity_label(self) -> str:
        return PERIODICITIES[self.periodicity]


# --- the aid ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deliberation:
    reference: str
    date: dt.date
    body: str = ""  # the board that adopted it (conseil d'administration du CCAS…)


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str


@dataclass(frozen=True)
class WhereToApply:
    place: str
    link: str = ""
    how: str = ""


@dataclass(frozen=True)
class LocalAid:
    id: str
    name: str
    description: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None  # inclusive; None: open-ended
    deliberation: Deliberation
    commune: Commune
    conditions: tuple[Condition, ...]  # all of them
    amount: Amount
    apply: WhereToApply
    documents: tuple[str, ...] = ()
    example: bool = False  # illustrative, not a real deliberation of the commune
    path: str = ""
    line: int = 1
    digest: str = ""  # sha256 of the file, to tell whether a stored result used the same rules

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: LocalAid) -> bool:
        starts_before_other_ends = other.valid_to is None or self.valid_from <= other.valid_to
        ends_after_other_starts = self.valid_to is None or other.valid_from <= self.valid_to
        return starts_before_other_ends and ends_after_other_starts
