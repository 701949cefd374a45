from decimal import Decimal

import pytest
from django.test import Client

from guichet.audit.models import AuditEntry
from tests.conftest import make_persona
from tests.factories import HouseholdFactory
from tests.pricing.factories import known_family

pytestmark = pytest.mark.django_db


def _client(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


@pytest.mark.parametrize(
    ("persona", "status"), [("accueil", 200), ("direction", 200), ("admin", 200), ("outsider", 403)]
)
def test_services_list(persona: str, status: int) -> None:
    response = _client(persona).get("/api/v1/services-municipaux")
    assert response.status_code == status
    if status == 200:
        services = {s["slug"]: s for s in response.json()}
        canteen = services["restauration-scolaire"]
        assert canteen["exemple"] is True and canteen["unite"] == "repas"
        grid = canteen["grille_en_vigueur"]
        assert [t["prix"] for t in grid["grille"]["regle"]["tranches"]] == ["1.00", "3.05", "3.10", "3.15"]
        assert grid["fin"] is None and grid["resume"]


def test_services_list_anonymous_is_401() -> None:
    assert Client().get("/api/v1/services-municipaux").status_code == 401


@pytest.mark.parametrize(
    ("persona", "status"),
    [("social", 200), ("responsable", 200), ("accueil", 403), ("direction", 403), ("outsider", 403)],
)
def test_household_prices_access(persona: str, status: int) -> None:
    household = known_family()
    response = _client(persona).get(f"/api/v1/menages/{household.pk}/tarifs")
    assert response.status_code == status
    audited = AuditEntry.objects.filter(target_type="household", target_id=str(household.pk), channel="api")
    assert audited.exists() == (status == 200)


def test_household_prices_content() -> None:
    household = known_family()
    body = _client("social").get(f"/api/v1/menages/{household.pk}/tarifs").json()
    assert body["menage_id"] == household.pk and body["resident"] is True
    assert body["quotient"]["source"] == "calculé" and body["quotient"]["explication"]
    canteen = next(s for s in body["services"] if s["slug"] == "restauration-scolaire")
    assert canteen["grille_en_vigueur"] is True and canteen["prix"]
    for line in canteen["prix"]:
        assert Decimal(line["prix"]) > 0 and line["pourquoi"] and line["rang_enfant"] >= 1


def test_household_prices_confidential_and_missing() -> None:
    client = _client("social")
    confidential = HouseholdFactory(confidential=True)
    response = client.get(f"/api/v1/menages/{confidential.pk}/tarifs")
    assert response.status_code == 403 and "confidentiel" in response.json()["detail"]
    assert client.get("/api/v1/menages/999999/tarifs").status_code == 404
