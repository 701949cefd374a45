"""A household file with something in every category a referral may share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.desk.enums import Theme
from guichet.desk.models import Request
from guichet.households.enums import HouseholdRole, HousingStatus, ResourceKind, Sex
from guichet.households.models import Household, Person
from tests.desk.factories import RequestFactory
from tests.factories import AddressFactory, HouseholdFactory, PersonFactory, ResourceFactory


def months_ago(count: int) -> dt.date:
    first = timezone.localdate().replace(day=1)
    index = first.year * 12 + first.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class File:
    household: Household
    applicant: Person
    child: Person
    demand: Request


@pytest.fixture
def file(db: None) -> File:
    household = HouseholdFactory(
        address=AddressFactory(number="12", street_name="rue des Coquelicots"),
        phone="02 35 00 11 22",
        email="famille.lefevre@example.org",
        housing_status=HousingStatus.SOCIAL_TENANT,
        landlord="Habitat 76",
        rent=Decimal("512.40"),
    )
    applicant = PersonFactory(
        household=household, household_role=HouseholdRole.APPLICANT, first_name="Hélène", last_name="Lefèvre",
        sex=Sex.FEMALE, birth_date=dt.date(1980, 4, 3), has_rqth=True, disability_rate=50,
    )  # fmt: skip
    child = PersonFactory(
        household=household, household_role=HouseholdRole.CHILD, first_name="Noé", last_name="Lefèvre",
        sex=Sex.MALE, birth_date=timezone.localdate().replace(year=timezone.localdate().year - 7, day=1),
    )  # fmt: skip
    last, before = months_ago(1), months_ago(2)
    ResourceFactory(person=applicant, kind=ResourceKind.SALARY, month=last, amount=Decimal("1234.00"))
    ResourceFactory(
        person=None, household=household, kind=ResourceKind.HOUSING_AID, month=last, amount=Decimal("250.50")
    )
    ResourceFactory(person=None, household=household, kind=ResourceKind.AF, month=last, amount=Decimal("70.00"))
    ResourceFactory(person=applicant, kind=ResourceKind.SALARY, month=before, amount=Decimal("987.00"))
    demand = RequestFactory(household=household, theme=Theme.RENT_ARREARS, summary="Dette de loyer de trois mois")
    return File(household=household, applicant=applicant, child=child, demand=demand)


@pytest.fixture
def social(social):
    """The signing agent gets a fixed name: a random one could be the household's, which the letters must not tell."""
    social.first_name, social.last_name = "Agathe", "Signataire"
    social.save(update_fields=["first_name", "last_name"])
    return social
