import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.households.enums import QuotientSource
from guichet.households.rules_mapping import rules_household, rules_households
from guichet.pricing.selectors import household_prices, households_prices, is_resident
from guichet.rules.quotient import caf_quotient
from tests.factories import AddressFactory, HouseholdFactory
from tests.pricing.factories import ON, known_family

pytestmark = pytest.mark.django_db


def test_mapping_gives_the_hand_computed_quotient() -> None:
    household = known_family()
    data = rules_household(household)
    assert [p.role for p in data.people] == ["conjoint", "demandeur", "enfant", "enfant", "enfant"]
    spouse = data.people[0]
    assert dict(spouse.taxable_income) == {2023: Decimal("9000.00"), 2024: Decimal("12000.00")}
    assert dict(data.resources["af"]) == {dt.date(2026, 10, 1): Decimal("141.99")}
    assert dict(data.people[1].resources["salaire"]) == {dt.date(2026, 10, 1): Decimal("2000.00")}
    quotient = caf_quotient(data, ON)
    assert quotient.parts == Decimal(4)
    assert quotient.value == Decimal("785.50")
    assert quotient.source == "calculé"
    assert quotient.dependent_children == 3


def test_attested_quotient_wins() -> None:
    household = known_family(
        caf_quotient=Decimal("612.00"),
        caf_quotient_date=dt.date(2026, 9, 1),
        caf_quotient_source=QuotientSource.CAF_ATTESTATION,
    )
    quotient = caf_quotient(rules_household(household), ON)
    assert quotient.value == Decimal("612.00")
    assert quotient.source == "attestation_caf"
    assert quotient.computed is not None and quotient.computed.value == Decimal("785.50")


def test_residency_from_the_address() -> None:
    inside = rules_household(HouseholdFactory())
    assert inside.insee_code == "76575" and is_resident(inside)
    outside = rules_household(HouseholdFactory(address=AddressFactory(postcode="76300", city="Sotteville-lès-Rouen")))
    assert outside.insee_code == "" and not is_resident(outside)
    assert is_resident(rules_household(HouseholdFactory(address=None)))


def test_bulk_mapping_takes_four_queries_whatever_the_number() -> None:
    ids = [known_family().pk for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        result = rules_households(ids)
    assert len(queries) == 4
    assert {int(h.id) for h in result.values()} == set(ids)
    assert all(len(h.people) == 5 for h in result.values())


def test_bulk_prices_equal_single_prices_in_constant_queries() -> None:
    families = [known_family() for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        bulk = households_prices([f.pk for f in families], ON)
    assert len(queries) == 6
    for family in families:
        single = household_prices(family, ON)
        quotient, services = bulk[family.pk]
        assert quotient == single.quotient
        assert [[line.amount for line in s.lines] for s in services] == [
            [line.amount for line in s.lines] for s in single.services
        ]
