"""ORM household rows → the rules core's dataclasses (``guichet.rules.household``), the one mapping
used by rights assessments, campaigns and pricing.

One code path for one household and for many: four queries whatever the number of households
(households with address, people, resources, taxable incomes). Amounts of the same kind and month
are added up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings

from guichet.households.models import Household, Person, Resource, TaxableIncome
from guichet.rules import household as rules
from guichet.rules.text import normalize_text

# kind -> month -> amount, mutable while collecting rows
_Series = defaultdict[str, dict[dt.date, Decimal]]


def _series() -> _Series:
    return defaultdict(dict)


def commune_insee_code(postcode: str, city: str) -> str:
    """The INSEE code of an address when it lies in the commune (by its name), else empty: the
    address book keeps the postcode and the city, not the INSEE code."""
    if normalize_text(city) == normalize_text(settings.GUICHET_COMMUNE_NAME):
        return str(settings.GUICHET_COMMUNE_INSEE)
    return ""


def _attested(row: Household) -> rules.AttestedQuotient | None:
    if row.caf_quotient is None or row.caf_quotient_date is None:
        return None
    return rules.AttestedQuotient(
        value=row.caf_quotient, date=row.caf_quotient_date, source=row.caf_quotient_source or "declare"
    )


def rules_households(household_ids: Iterable[int]) -> dict[int, rules.Household]:
    """The rules' view of the households ``household_ids`` (missing ids are skipped), by id."""
    ids = list(household_ids)
    person_series: dict[int, _Series] = defaultdict(_series)
    household_series: dict[int, _Series] = defaultdict(_series)
    for resource in Resource.objects.filter(household_id__in=ids).values_list(
        "household_id", "person_id", "kind", "month", "amount"
    ):
        household_id, person_id, kind, month, amount = resource
        owner = household_series[household_id] if person_id is None else person_series[person_id]
        owner[kind][month] = owner[kind].get(month, Decimal(0)) + amount
    incomes: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for person_id, year, amount in TaxableIncome.objects.filter(person__household_id__in=ids).values_list(
        "person_id", "year", "amount"
    ):
        incomes[person_id][year] = amount
    people: dict[int, list[rules.Person]] = defaultdict(list)
    for person in Person.objects.filter(household_id__in=ids).order_by("household_id", "birth_date", "pk"):
        people[person.household_id].append(_person(person, person_series.get(person.pk), incomes.get(person.pk)))
    found = Household.objects.filter(pk__in=ids).select_related("address__quartier")
    return {row.pk: _household(row, tuple(people.get(row.pk, ())), household_series.get(row.pk)) for row in found}


def rules_household(household: Household) -> rules.Household:
    """The rules' view of one household (four queries)."""
    return rules_households([household.pk])[household.pk]


def _person(row: Person, series: _Series | None, incomes: dict[int, Decimal] | None) -> rules.Person:
    return rules.Person(
        id=str(row.pk),
        role=row.household_role,
        birth_date=row.birth_date,
        occupation=row.occupation,
        disability_rate=row.disability_rate,
        # The file records no AEEH (no such resource kind): never inferred from a disability rate.
        has_aeeh=False,
        has_rqth=row.has_rqth,
        is_pregnant=row.is_pregnant,
        resources=dict(series or {}),
        taxable_income=dict(incomes or {}),
    )


def _household(row: Household, people: tuple[rules.Person, ...], series: _Series | None) -> rules.Household:
    address = row.address
    postcode = address.postcode if address else ""
    return rules.Household(
        id=str(row.pk),
        people=people,
        housing_status=row.housing_status,
        rent=row.rent,
        postcode=postcode,
        insee_code=commune_insee_code(postcode, address.city) if address else "",
        quartier=address.quartier.slug if address and address.quartier else "",
        resources=dict(series or {}),
        attested_quotient=_attested(row),
    )
