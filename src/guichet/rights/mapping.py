"""The household file (ORM rows) → the rules core's household (``guichet.rules.household``), as the
OpenFisca adapter takes it: people with their monthly resources and declared incomes, housing, the
CAF quotient. Three queries whatever the size of the household."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings

from guichet.households.enums import HouseholdRole
from guichet.households.models import Household, Person, Resource, TaxableIncome
from guichet.rules import household as rules
from guichet.rules.text import normalize_text


class IncompleteHousehold(ValueError):
    """The household file lacks what an assessment needs (the message says what, in French)."""


def _insee_code(household: Household) -> tuple[str, str]:
    """(postcode, INSEE code): the address book keeps the city, so the commune's own INSEE code is
    given when the city is the commune, else none (another commune: local aids do not apply)."""
    address = household.address
    if address is None:
        return "", ""
    in_commune = normalize_text(address.city) == normalize_text(settings.GUICHET_COMMUNE_NAME)
    return address.postcode, str(settings.GUICHET_COMMUNE_INSEE) if in_commune else ""


def check_assessable(household: Household) -> None:
    """An assessment needs exactly one applicant (demandeur) and at most one spouse."""
    roles = list(household.people.values_list("household_role", flat=True))
    if roles.count(HouseholdRole.APPLICANT) != 1:
        raise IncompleteHousehold(
            "Le bilan demande exactement un demandeur dans le ménage : complétez la composition du ménage."
        )
    if roles.count(HouseholdRole.SPOUSE) > 1:
        raise IncompleteHousehold("Le ménage compte plus d'un conjoint : corrigez la composition du ménage.")


def rules_household(household: Household) -> rules.Household:
    """The rules' view of ``household``: amounts of the same kind and month are added up."""
    by_person: dict[int | None, dict[str, dict[dt.date, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for person_id, kind, month, amount in Resource.objects.filter(household=household).values_list(
        "person_id", "kind", "month", "amount"
    ):
        series = by_person[person_id][kind]
        series[month] = series.get(month, Decimal(0)) + amount
    declared: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for person_id, year, amount in TaxableIncome.objects.filter(person__household=household).values_list(
        "person_id", "year", "amount"
    ):
        declared[person_id][year] = amount
    people = tuple(
        rules.Person(
            id=str(person.pk),
            role=person.household_role,
            birth_date=person.birth_date,
            occupation=person.occupation,
            disability_rate=person.disability_rate,
            has_rqth=person.has_rqth,
            is_pregnant=person.is_pregnant,
            resources={kind: dict(months) for kind, months in by_person.get(person.pk, {}).items()},
            taxable_income=declared.get(person.pk, {}),
        )
        for person in Person.objects.filter(household=household).order_by("birth_date", "pk")
    )
    postcode, insee_code = _insee_code(household)
    quotient = None
    if household.caf_quotient is not None and household.caf_quotient_date is not None:
        quotient = rules.AttestedQuotient(
            value=household.caf_quotient,
            date=household.caf_quotient_date,
            source=household.caf_quotient_source or "declare",
        )
    return rules.Household(
        id=str(household.pk),
        people=people,
        housing_status=household.housing_status,
        rent=household.rent,
        postcode=postcode,
        insee_code=insee_code,
        quartier=household.address.quartier.slug if household.address and household.address.quartier else "",
        resources={kind: dict(months) for kind, months in by_person.get(None, {}).items()},
        attested_quotient=quotient,
    )
