"""Households API: list with fuzzy search and detail, with permissions, audit and break the glass."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.enums import ResourceKind
from guichet.households.models import TaxableIncome
from guichet.households.search import search_index_invalidate
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def api_client(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


def test_list_searches_names_with_typos() -> None:
    person = PersonFactory(first_name="Mohammed", last_name="Benali", search_name="mohammed benali")
    PersonFactory(first_name="Louis", last_name="Petit", search_name="louis petit")
    search_index_invalidate()
    response = api_client("accueil").get("/api/v1/menages", {"q": "mohamed"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [person.household_id]
    assert items[0]["adultes"] == "Mohammed Benali"


def test_detail_hides_social_situation_from_front_desk() -> None:
    person = PersonFactory()
    ResourceFactory(person=person, kind=ResourceKind.AAH, amount=Decimal("1041.59"))
    front = api_client("accueil").get(f"/api/v1/menages/{person.household_id}").json()
    social = api_client("social").get(f"/api/v1/menages/{person.household_id}").json()
    assert front["situation_sociale"] is None
    assert social["situation_sociale"]["ressources"][0]["nature"] == "AAH"
    assert social["situation_sociale"]["ressources"][0]["montants"] == {"2026-10": "1041.59"}
    channels = list(AuditEntry.objects.filter(action=Action.READ).values_list("channel", flat=True))
    assert channels == ["api", "api"]


def test_confidential_detail_needs_a_reason_over_the_api() -> None:
    household = HouseholdFactory(confidential=True)
    client = api_client("social")
    refused = client.get(f"/api/v1/menages/{household.pk}")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert "motif" in refused.json()["detail"]
    short = client.get(f"/api/v1/menages/{household.pk}", {"motif": "vite"})
    assert short.status_code == 403
    ok = client.get(f"/api/v1/menages/{household.pk}", {"motif": "Mise à l'abri demandée par le 115 ce soir"})
    assert ok.status_code == 200
    assert AuditEntry.objects.filter(action=Action.BREAK_GLASS, channel="api").count() == 1


def test_unknown_household_is_a_problem_404() -> None:
    response = api_client("social").get("/api/v1/menages/987654")
    assert response.status_code == 404
    assert response.json()["title"] == "Introuvable"


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_roles_without_household_access_are_refused(persona_name: str) -> None:
    household = HouseholdFactory()
    client = api_client(persona_name)
    assert client.get("/api/v1/menages").status_code == 403
    assert client.get(f"/api/v1/menages/{household.pk}").status_code == 403


def test_reason_may_come_in_a_header_so_that_it_stays_out_of_urls() -> None:
    household = HouseholdFactory(confidential=True)
    response = api_client("accueil").get(
        f"/api/v1/menages/{household.pk}", HTTP_X_MOTIF_ACCES="Accompagnement urgent demandé par le 115"
    )
    assert response.status_code == 200
    assert AuditEntry.objects.get(action=Action.BREAK_GLASS).reason == "Accompagnement urgent demandé par le 115"


def test_detail_gives_taxable_income_to_social_workers() -> None:
    person = PersonFactory(first_name="Lina", last_name="Roche")
    TaxableIncome.objects.create(person=person, year=2024, amount=Decimal("15400.00"))
    social = api_client("social").get(f"/api/v1/menages/{person.household_id}").json()
    assert social["situation_sociale"]["revenus_declares"] == [
        {"personne": "Lina Roche", "annee": 2024, "montant": "15400.00"}
    ]
