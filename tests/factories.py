"""factory-boy factories shared by the test suite (one per model, with traits)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.households.enums import HouseholdRole, Occupation, ResourceKind, Sex
from guichet.households.models import Household, Person, Resource
from guichet.territory.models import Address, Quartier


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-de-test")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[role.value for role in extracted]))


class QuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartier
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.Sequence(lambda n: f"quartier-{n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    number = factory.Sequence(lambda n: str(n % 200 + 1))
    street_name = "rue de Paris"
    postcode = "76800"
    city = "Saint-Étienne-du-Rouvray"
    quartier = factory.SubFactory(QuartierFactory)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"T-{n:06d}")
    address = factory.SubFactory(AddressFactory)

    class Params:
        confidential = factory.Trait(is_confidential=True)
        synthetic = factory.Trait(is_synthetic=True)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    household_role = HouseholdRole.APPLICANT
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    search_name = factory.LazyAttribute(lambda p: f"{p.first_name} {p.last_name}".lower())
    sex = Sex.FEMALE
    birth_date = dt.date(1985, 5, 17)
    occupation = Occupation.EMPLOYED


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    person = factory.SubFactory(PersonFactory)
    household = factory.SelfAttribute("person.household")
    kind = ResourceKind.SALARY
    month = dt.date(2026, 10, 1)
    amount = Decimal("1450.00")
