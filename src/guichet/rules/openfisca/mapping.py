"""Households → OpenFisca-France entities and input arrays (pure: no simulation is run here).

Entities: every person is an ``individu``; the applicant, the spouse and the children form one
``famille`` (demandeur/conjoint/enfant) and one ``foyer_fiscal`` (declarant_principal/conjoint/
personne_a_charge); any other adult (role ``autre``) forms their own famille and foyer fiscal; the
whole household is one ``menage`` (personne_de_reference/conjoint/enfant/autre).

Months: the formulas look back up to 13 months (housing aid reads M-13…M-2, RSA and prime
d'activité the last three months), so every month of the window gets resources and housing. A
month without a record takes the nearest earlier record (else the earliest one): resources are
assumed steady. The window never reaches year N-2: that year (and N-3, for the CSG rate of
replacement incomes of N-1) comes from the declared taxable income, one twelfth a month.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

import numpy as np
import numpy.typing as npt

from guichet.rules.household import Household, Person

LOOKBACK_MONTHS = 13

# Net monthly resource kinds given to OpenFisca as they are (no gross counterpart).
DIRECT_KINDS = {
    "pension_alimentaire": "pensions_alimentaires_percues",
    "pension_invalidite": "pensions_invalidite",
    "revenu_independant": "rpns_auto_entrepreneur_benefice",
}
GROSSED_KINDS = ("salaire", "chomage", "retraite")
# Benefits received in past months enter the resources the formulas look back on: they are given
# as the amounts actually received (0 when none), never simulated again month after month.
# resource kind (same name as the OpenFisca variable) -> entity
PAST_BENEFITS = {
    "aah": "individu",
    "asi": "individu",
    "rsa": "famille",
    "ppa": "famille",
    "aide_logement": "famille",
    "af": "famille",
    "cf": "famille",
    "asf": "famille",
    "paje_base": "famille",
    "aspa": "famille",
}

HOUSING_STATUS = {
    "locataire_social": "locataire_hlm",
    "locataire_prive": "locataire_vide",
    "proprietaire": "proprietaire",
    "heberge": "loge_gratuitement",
    "sans_domicile_stable": "sans_domicile",
    "autre": "non_renseigne",
}
ACTIVITY = {
    "salarie": "actif",
    "independant": "actif",
    "demandeur_emploi": "chomeur",
    "etudiant": "etudiant",
    "retraite": "retraite",
}
# Declared taxable income of a past year, by occupation: which taxable variable carries it.
DECLARED_VARIABLE = {"retraite": "retraite_imposable", "demandeur_emploi": "chomage_imposable"}
MENAGE_ROLE = {"demandeur": "personne_de_reference", "conjoint": "conjoint", "enfant": "enfant", "autre": "autre"}
FAMILLE_ROLE = {"demandeur": "demandeur", "conjoint": "conjoint", "enfant": "enfant", "autre": "demandeur"}
FOYER_ROLE = {
    "demandeur": "declarant_principal",
    "conjoint": "conjoint",
    "enfant": "personne_a_charge",
    "autre": "declarant_principal",
}


class MappingError(ValueError):
    """A household cannot be described to OpenFisca (the message is in French, for agents)."""


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def window_months(month: dt.date) -> list[dt.date]:
    """The simulated month and the months the formulas look back on, oldest first, from January
    of year N-1 at the earliest."""
    month = first_of_month(month)
    start = max(add_months(month, -LOOKBACK_MONTHS), dt.date(month.year - 1, 1, 1))
    months = [start]
    while months[-1] < month:
        months.append(add_months(months[-1], 1))
    return months


def declared_months(month: dt.date) -> dict[int, list[dt.date]]:
    """Months before the window that take one twelfth of the declared income, by year (N-3 to N-1)."""
    start = window_months(month)[0]
    result: dict[int, list[dt.date]] = {}
    for year in range(month.year - 3, month.year):
        months = [dt.date(year, m, 1) for m in range(1, 13) if dt.date(year, m, 1) < start]
        if months:
            result[year] = months
    return result


def monthly_amounts(records: Mapping[dt.date, Decimal], months: Sequence[dt.date]) -> list[float]:
    """One amount per month: the record of that month, else the nearest earlier, else the earliest."""
    if not records:
        return [0.0] * len(months)
    known = sorted(records)
    values = []
    for month in months:
        earlier = [day for day in known if day <= month]
        chosen = earlier[-1] if earlier else known[0]
        values.append(float(records[chosen]))
    return values


def schooling(person: Person, on: dt.date) -> str:
    if person.occupation == "etudiant":
        return "enseignement_superieur"
    if person.occupation not in {"scolaire", "enfant"}:
        return "inconnue"
    age = person.age_on(on)
    if 11 <= age <= 14:
        return "college"
    if 15 <= age <= 17:
        return "lycee"
    return "primaire" if 6 <= age <= 10 else "inconnue"


@dataclass
class ChunkInputs:
    """Everything OpenFisca needs for a chunk of households, as arrays, plus the index maps to
    bring results back to each household."""

    month: dt.date
    person_ids: list[str] = field(default_factory=list)
    person_household: list[int] = field(default_factory=list)
    famille_of_person: list[int] = field(default_factory=list)
    famille_roles: list[str] = field(default_factory=list)
    famille_household: list[int] = field(default_factory=list)
    foyer_roles: list[str] = field(default_factory=list)
    menage_roles: list[str] = field(default_factory=list)
    # (variable, period) -> per-entity values; entity given by the variable itself
    inputs: dict[tuple[str, str], list[object]] = field(default_factory=dict)
    # kind -> month -> net per person (converted to gross once the CSG category is known)
    net_incomes: dict[str, dict[dt.date, list[float]]] = field(default_factory=dict)

    @property
    def person_count(self) -> int:
        return len(self.person_ids)

    @property
    def household_count(self) -> int:
        return len(self.person_household) and self.person_household[-1] + 1

    def array(self, variable: str, period: str) -> npt.NDArray[np.generic]:
        return np.array(self.inputs[variable, period])


@functools.lru_cache(maxsize=1024)
def period_key(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _group_of(people: Sequence[Person]) -> list[int]:
    """Index of the famille (and foyer fiscal) of each person inside the household: 0 for the core
    family, one more per other adult."""
    groups, other = [], 0
    for person in people:
        if person.role == "autre":
            other += 1
            groups.append(other)
        else:
            groups.append(0)
    return groups


def _check(household: Household) -> None:
    applicants = [p for p in household.people if p.role == "demandeur"]
    if len(applicants) != 1:
        raise MappingError(f"Le ménage {household.id} doit avoir exactement un demandeur (il en a {len(applicants)}).")
    if sum(p.role == "conjoint" for p in household.people) > 1:
        raise MappingError(f"Le ménage {household.id} a plus d'un conjoint.")
    unknown = {p.role for p in household.people} - set(MENAGE_ROLE)
    if unknown:
        raise MappingError(f"Rôle inconnu dans le ménage {household.id} : {', '.join(sorted(unknown))}.")


def map_households(households: Iterable[Household], month: dt.date) -> ChunkInputs:
    month = first_of_month(month)
    chunk = ChunkInputs(month=month)
    months = window_months(month)
    past_years = declared_months(month)
    past = [day for year in sorted(past_years) for day in past_years[year]] + months[:-1]
    person_values: dict[tuple[str, str], list[object]] = {}
    famille_values: dict[tuple[str, str], list[object]] = {}
    menage_values: dict[tuple[str, str], list[object]] = {}

    def put(store: dict[tuple[str, str], list[object]], variable: str, period: str, value: object) -> None:
        store.setdefault((variable, period), []).append(value)

    for index, household in enumerate(households):
        _check(household)
        people = sorted(household.people, key=lambda p: list(MENAGE_ROLE).index(p.role))
        groups = _group_of(people)
        famille_base = len(chunk.famille_household)
        chunk.famille_household.extend([index] * (max(groups) + 1))
        couple = household.is_couple
        for person, group in zip(people, groups, strict=True):
            chunk.person_ids.append(f"{household.id}:{person.id}")
            chunk.person_household.append(index)
            chunk.famille_of_person.append(famille_base + group)
            chunk.famille_roles.append(FAMILLE_ROLE[person.role])
            chunk.foyer_roles.append(FOYER_ROLE[person.role])
            chunk.menage_roles.append(MENAGE_ROLE[person.role])
            put(person_values, "date_naissance", "ETERNITY", np.datetime64(person.birth_date.isoformat()))
            in_couple = couple and person.is_adult_member
            handicap = bool(person.has_aeeh or (person.disability_rate or 0) >= 50)
            for day in months:
                key = period_key(day)
                put(person_values, "activite", key, ACTIVITY.get(person.occupation, "inactif"))
                put(person_values, "scolarite", key, schooling(person, day))
                put(person_values, "statut_marital", key, "marie" if in_couple else "celibataire")
                put(person_values, "handicap", key, handicap)
                put(person_values, "taux_incapacite", key, (person.disability_rate or 0) / 100)
                put(
                    person_values,
                    "aah_restriction_substantielle_durable_acces_emploi",
                    key,
                    person.employment_restriction,
                )
                put(person_values, "enceinte", key, person.is_pregnant)
            for kind, variable in DIRECT_KINDS.items():
                for day, amount in zip(months, monthly_amounts(person.resources.get(kind, {}), months), strict=True):
                    put(person_values, variable, period_key(day), amount)
            for kind in GROSSED_KINDS:
                amounts = monthly_amounts(person.resources.get(kind, {}), months)
                per_month = chunk.net_incomes.setdefault(kind, {})
                for day, amount in zip(months, amounts, strict=True):
                    per_month.setdefault(day, []).append(amount)
            _put_declared(person, past_years, partial(put, person_values))
            for kind, entity in PAST_BENEFITS.items():
                if entity == "individu":
                    received = monthly_amounts(person.resources.get(kind, {}), past)
                    for day, amount in zip(past, received, strict=True):
                        put(person_values, kind, period_key(day), amount)
        for group in range(max(groups) + 1):
            members = [person for person, of in zip(people, groups, strict=True) if of == group]
            for kind, entity in PAST_BENEFITS.items():
                if entity != "famille":
                    continue
                totals = np.zeros(len(past))
                for records in [p.resources.get(kind, {}) for p in members] + (
                    [household.resources.get(kind, {})] if group == 0 else []
                ):
                    totals += monthly_amounts(records, past)
                for day, amount in zip(past, totals, strict=True):
                    put(famille_values, kind, period_key(day), float(amount))
        status = HOUSING_STATUS.get(household.housing_status, "non_renseigne")
        rent = float(household.rent or 0) if status in {"locataire_hlm", "locataire_vide"} else 0.0
        for day in months:
            key = period_key(day)
            put(menage_values, "statut_occupation_logement", key, status)
            put(menage_values, "loyer", key, rent)
            put(menage_values, "depcom", key, household.insee_code)
    chunk.inputs = {**person_values, **famille_values, **menage_values}
    return chunk


# (gross, net, taxable) variables of each kind of declared income
INCOME_VARIABLES = {
    "salaire": ("salaire_de_base", "salaire_net", "salaire_imposable"),
    "chomage": ("chomage_brut", "chomage_net", "chomage_imposable"),
    "retraite": ("retraite_brute", "retraite_nette", "retraite_imposable"),
}
DECLARED_KIND = {"retraite": "retraite", "demandeur_emploi": "chomage"}


def _put_declared(
    person: Person, past_years: Mapping[int, list[dt.date]], put: Callable[[str, str, object], None]
) -> None:
    """Declared taxable income of years before the window, one twelfth a month on the kind matching
    the occupation (self-employed: ``rpns_imposables``, a yearly variable). Gross is 0 and net equals
    taxable, which is what OpenFisca itself computes from a taxable income given alone: its
    contribution formulas never run for those months."""
    chosen = DECLARED_KIND.get(person.occupation, "salaire")
    for year in sorted(past_years):
        declared = float(person.taxable_income.get(year, Decimal(0)))
        put("rpns_imposables", str(year), declared if person.occupation == "independant" else 0.0)
        monthly = 0.0 if person.occupation == "independant" else declared / 12
        for month in past_years[year]:
            key = period_key(month)
            for kind, (gross, net, taxable) in INCOME_VARIABLES.items():
                amount = monthly if kind == chosen else 0.0
                put(gross, key, 0.0)
                put(net, key, amount)
                put(taxable, key, amount)
