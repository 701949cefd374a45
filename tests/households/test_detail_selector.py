"""``household_detail``: what the household page shows, read in a fixed number of flat queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.households.enums import HouseholdRole, LinkKind, ResourceKind
from guichet.households.models import Consent, Household, PersonLink, TaxableIncome
from guichet.households.selectors import household_detail
from tests.conftest import make_persona
from tests.factories import PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def family(children: int) -> Household:
    """Parents and ``children`` children, links, incomes, resources of both kinds, two consents."""
    mother = PersonFactory(first_name="Inès", last_name="Morel", birth_date=dt.date(1984, 2, 1))
    household = mother.household
    father = PersonFactory(
        household=household,
        household_role=HouseholdRole.SPOUSE,
        first_name="Anis",
        last_name="Morel",
        birth_date=dt.date(1982, 6, 3),
    )
    PersonLink.objects.create(from_person=mother, to_person=father, kind=LinkKind.SPOUSE)
    for index in range(children):
        child = PersonFactory(
            household=household,
            household_role=HouseholdRole.CHILD,
            first_name=f"Enfant{index}",
            last_name="Morel",
            birth_date=dt.date(2012 + index, 1, 1),
        )
        PersonLink.objects.create(from_person=mother, to_person=child, kind=LinkKind.PARENT)
    for person, year, amount in ((mother, 2024, "21000"), (father, 2023, "19000"), (father, 2024, "20000")):
        TaxableIncome.objects.create(person=person, year=year, amount=Decimal(amount))
    for month in (dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)):
        ResourceFactory(person=mother, kind=ResourceKind.SALARY, month=month, amount=Decimal("1500"))
    ResourceFactory(person=father, kind=ResourceKind.RSA, month=dt.date(2026, 6, 1))
    now = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    Consent.objects.create(household=household, scope="suivi", given_at=now)
    Consent.objects.create(household=household, scope="simulation_droits", given_at=now, withdrawn_at=now)
    return household


def test_social_worker_sees_everything_in_a_fixed_number_of_queries() -> None:
    user = make_persona("social")
    small, large = family(children=1), family(children=5)
    user.has_perm("warm-up")  # the permission cache is not the household's
    counts = []
    for household in (small, large):
        with CaptureQueriesContext(connection) as queries:
            detail = household_detail(user, household)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 6
    assert [p.first_name for p in detail.people][:2] == ["Anis", "Inès"]  # by birth date
    assert str(detail.links[0]) == "Inès Morel — Conjoint de — Anis Morel"
    assert all(link.from_person.first_name == "Inès" for link in detail.links)
    assert len(detail.links) == 6
    assert [c.scope for c in detail.consents] == ["suivi"]  # the withdrawn one is not shown
    assert detail.taxable_incomes == [
        ("Anis Morel", 2023, Decimal("19000")),
        ("Anis Morel", 2024, Decimal("20000")),
        ("Inès Morel", 2024, Decimal("21000")),
    ]
    assert detail.months == [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
    assert [(line.label, line.person, line.is_benefit, line.amounts) for line in detail.resource_lines] == [
        ("Salaire", "Inès Morel", False, [Decimal("1500")] * 3),
        ("RSA", "Anis Morel", True, [None, None, None]),  # older than the three months shown
    ]


def test_front_desk_reads_no_social_situation() -> None:
    user = make_persona("accueil")
    household = family(children=2)
    user.has_perm("warm-up")
    with CaptureQueriesContext(connection) as queries:
        detail = household_detail(user, household)
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert len(queries) == 3  # people, consents, links
    assert "taxableincome" not in tables and "households_resource" not in tables
    assert not detail.show_social and not detail.taxable_incomes and not detail.resource_lines
    assert len(detail.links) == 3


def test_single_person_household_needs_no_link_query() -> None:
    user = make_persona("accueil")
    household = PersonFactory().household
    user.has_perm("warm-up")
    with CaptureQueriesContext(connection) as queries:
        detail = household_detail(user, household)
    assert len(queries) == 2 and detail.links == []
