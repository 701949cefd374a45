"""``GET /api/v1/quartiers``: neighbourhoods with aggregate counts, GeoJSON on request."""

from __future__ import annotations

import pytest
from django.test import Client

from guichet.accounts.models import User
from guichet.territory.models import Quartier
from guichet.territory.services import quartiers_seed_illustrative
from tests.factories import AddressFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_quartiers_api_lists_counts_and_flags(direction: User) -> None:
    quartiers_seed_illustrative()
    chateau = Quartier.objects.get(name="Château Blanc")
    PersonFactory(household=HouseholdFactory(address=AddressFactory(quartier=chateau)))
    client = Client()
    client.force_login(direction)
    response = client.get("/api/v1/quartiers")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert len(rows) == 11
    assert rows["Château Blanc"] == {
        "id": chateau.pk,
        "name": "Château Blanc",
        "slug": "chateau-blanc",
        "pole": "Plateau du Madrillet",
        "is_qpv": True,
        "qpv_code": "",
        "is_illustrative": True,
        "households": 1,
        "people": 1,
        "geometry": None,
    }


def test_quartiers_api_includes_geojson_on_request(accueil: User) -> None:
    quartiers_seed_illustrative()
    client = Client()
    client.force_login(accueil)
    rows = client.get("/api/v1/quartiers", {"geometrie": "1"}).json()
    assert all(row["geometry"]["type"] == "Polygon" for row in rows)


def test_quartiers_api_needs_authentication() -> None:
    response = Client().get("/api/v1/quartiers")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
