"""Address -> neighbourhood: point in polygon first, then the street table."""

from __future__ import annotations

import pytest

from guichet.territory.locator import quartier_locator
from guichet.territory.models import Address, Quartier
from guichet.territory.neighbourhoods import NEIGHBOURHOODS
from guichet.territory.selectors import quartier_for_address, street_key
from guichet.territory.services import addresses_relocate, quartiers_seed_illustrative
from tests.factories import QuartierFactory
from tests.territory.factories import StreetQuartierFactory

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[1.0, 49.0], [1.1, 49.0], [1.1, 49.1], [1.0, 49.1], [1.0, 49.0]]]}
EAST = {"type": "Polygon", "coordinates": [[[1.1, 49.0], [1.2, 49.0], [1.2, 49.1], [1.1, 49.1], [1.1, 49.0]]]}


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Rue Jean-Jaurès", "rue jean jaures"),
        ("  av. du Général de Gaulle ", "avenue du general de gaulle"),
        ("Bd de l'Europe", "boulevard de l europe"),
        ("R. St-Just", "rue saint just"),
    ],
)
def test_street_key_ignores_accents_case_and_abbreviations(raw: str, key: str) -> None:
    assert street_key(raw) == key


def test_coordinates_win_over_the_street_table() -> None:
    west = QuartierFactory(name="Ouest", boundary=SQUARE)
    east = QuartierFactory(name="Est", boundary=EAST)
    StreetQuartierFactory(street_name="rue de la Paix", quartier=east)
    found = quartier_for_address(latitude=49.05, longitude=1.05, street_name="Rue de la Paix")
    assert found == west


def test_street_table_when_no_coordinates_or_outside_every_boundary() -> None:
    QuartierFactory(name="Ouest", boundary=SQUARE)
    east = QuartierFactory(name="Est", boundary=EAST)
    StreetQuartierFactory(street_name="avenue Olivier Goujon", quartier=east)
    assert quartier_for_address(latitude=None, longitude=None, street_name="Av. Olivier-Goujon") == east
    assert quartier_for_address(latitude=48.0, longitude=2.0, street_name="avenue olivier goujon") == east
    assert quartier_for_address(latitude=None, longitude=None, street_name="rue inconnue") is None


def test_a_point_on_a_shared_edge_goes_to_exactly_one_neighbourhood() -> None:
    west = QuartierFactory(name="Ouest", boundary=SQUARE)
    QuartierFactory(name="Est", boundary=EAST)
    assert quartier_for_address(latitude=49.05, longitude=1.1) == west


def test_the_cache_follows_boundary_changes() -> None:
    quartier = QuartierFactory(name="Ouest", boundary=SQUARE)
    assert quartier_locator().locate(longitude=1.15, latitude=49.05) is None
    quartier.boundary = EAST
    quartier.save()
    assert quartier_locator().locate(longitude=1.15, latitude=49.05) == quartier.pk
    quartier.delete()
    assert quartier_locator().locate(longitude=1.15, latitude=49.05) is None


def test_seeded_neighbourhoods_locate_their_own_seed_point() -> None:
    quartiers_seed_illustrative()
    for hood in NEIGHBOURHOODS:
        found = quartier_for_address(latitude=hood.lat, longitude=hood.lon)
        assert found is not None and found.name == hood.name


def test_relocate_moves_addresses_by_coordinates_then_street() -> None:
    west = QuartierFactory(name="Ouest", boundary=SQUARE)
    east = QuartierFactory(name="Est", boundary=EAST)
    other = QuartierFactory(name="Autre")
    StreetQuartierFactory(street_name="rue du Madrillet", quartier=east)
    by_point = Address.objects.create(street_name="x", postcode="76800", city="c", latitude=49.05, longitude=1.05)
    by_street = Address.objects.create(street_name="Rue du Madrillet", postcode="76800", city="c", quartier=other)
    unknown = Address.objects.create(street_name="rue perdue", postcode="76800", city="c", quartier=other)
    assert addresses_relocate() == 2
    assert Address.objects.get(pk=by_point.pk).quartier == west
    assert Address.objects.get(pk=by_street.pk).quartier == east
    assert Address.objects.get(pk=unknown.pk).quartier == other
    assert Quartier.objects.count() == 3
