"""Factories of the territory tests: a street row."""

from __future__ import annotations

import factory

from guichet.territory.models import StreetQuartier
from guichet.territory.selectors import street_key
from tests.factories import QuartierFactory


class StreetQuartierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetQuartier

    street_name = factory.Sequence(lambda n: f"rue Numéro {n}")
    street_key = factory.LazyAttribute(lambda row: street_key(row.street_name))
    quartier = factory.SubFactory(QuartierFactory)
