"""A family with known figures for the pricing tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guichet.households.enums import HouseholdRole, ResourceKind
from guichet.households.models import Household, Resource, TaxableIncome
from tests.factories import HouseholdFactory, PersonFactory

ON = dt.date(2026, 11, 15)


def known_family(**household_fields: object) -> Household:
    """A couple with three children (born 2013, 2017, 2019): 2024 incomes 24,000 € + 12,000 €,
    AF of 141.99 € in October 2026 paid to the household. Parts 2 + 0.5 + 0.5 + 1 = 4;
    QF on 15/11/2026 = (36,000 ÷ 12 + 141.99) ÷ 4 = 785.4975 → 785.50 €."""
    household = HouseholdFactory(**household_fields)
    applicant = PersonFactory(household=household, first_name="Awa", birth_date=dt.date(1984, 3, 2))
    spouse = PersonFactory(
        household=household, first_name="Marc", household_role=HouseholdRole.SPOUSE, birth_date=dt.date(1982, 7, 9)
    )
    for first_name, born in (
        ("Lina", dt.date(2013, 4, 1)),
        ("Noé", dt.date(2017, 6, 1)),
        ("Sami", dt.date(2019, 2, 1)),
    ):
        PersonFactory(household=household, first_name=first_name, household_role=HouseholdRole.CHILD, birth_date=born)
    TaxableIncome.objects.create(person=applicant, year=2024, amount=Decimal("24000.00"))
    TaxableIncome.objects.create(person=spouse, year=2024, amount=Decimal("12000.00"))
    TaxableIncome.objects.create(person=spouse, year=2023, amount=Decimal("9000.00"))
    Resource.objects.create(
        household=household, person=None, kind=ResourceKind.AF, month=dt.date(2026, 10, 1), amount=Decimal("141.99")
    )
    Resource.objects.create(
        household=household,
        person=applicant,
        kind=ResourceKind.SALARY,
        month=dt.date(2026, 10, 1),
        amount=Decimal("2000"),
    )
    return household
