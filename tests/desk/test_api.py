"""API of the guichet: requests (list, create, read, status), partners, referrals — permissions and audit."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.config.api import api
from guichet.desk.enums import RequestStatus
from guichet.desk.models import Request
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory, ReferralFactory, RequestFactory
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def api_client(persona_name: str) -> tuple[Client, object]:
    client = Client()
    user = make_persona(persona_name)
    client.force_login(user)
    return client, user


def _send(client: Client, method: str, url: str, body: dict[str, object]):
    return client.generic(method, url, data=json.dumps(body), content_type="application/json")


def test_accueil_creates_then_reads_a_request() -> None:
    client, user = api_client("accueil")
    household = HouseholdFactory()
    person = PersonFactory(household=household)
    response = _send(
        client,
        "POST",
        "/api/v1/demandes",
        {
            "menage": household.pk,
            "theme": "aide_alimentaire",
            "objet": "Colis",
            "personne": person.pk,
            "agent": user.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["statut"] == "nouvelle" and body["personne"] == person.pk and body["agent"] == user.pk
    assert [event["type"] for event in body["historique"]] == ["Création", "Attribution"]
    assert AuditEntry.objects.filter(action=Action.CREATE, channel="api", target_type="request").exists()
    detail = client.get(f"/api/v1/demandes/{body['id']}")
    assert detail.status_code == 200 and detail.json()["objet"] == "Colis"
    assert AuditEntry.objects.filter(action=Action.READ, channel="api", target_id=str(body["id"])).exists()


def test_create_validates_after_the_permission_check() -> None:
    client, _ = api_client("accueil")
    response = _send(client, "POST", "/api/v1/demandes", {"menage": HouseholdFactory().pk, "theme": "inconnu"})
    assert response.status_code == 422
    assert {error["champ"] for error in response.json()["errors"]} >= {"theme", "objet"}
    direction, _ = api_client("direction")
    assert _send(direction, "POST", "/api/v1/demandes", {"theme": "inconnu"}).status_code == 403


def test_list_with_filters_and_masking() -> None:
    client, user = api_client("accueil")
    mine = RequestFactory(assigned_to=user)
    RequestFactory(household=HouseholdFactory(confidential=True), summary="Secret")
    items = client.get("/api/v1/demandes", {"file": "miennes"}).json()["items"]
    assert [item["id"] for item in items] == [mine.pk]
    all_items = client.get("/api/v1/demandes").json()["items"]
    assert {item["objet"] for item in all_items} == {mine.summary, None}
    assert client.get("/api/v1/demandes", {"file": "nimporte"}).status_code == 422


def test_patch_status_valid_invalid_and_close() -> None:
    client, _ = api_client("social")
    demand = RequestFactory()
    url = f"/api/v1/demandes/{demand.pk}"
    assert _send(client, "PATCH", url, {"statut": "en_cours"}).json()["statut"] == "en_cours"
    refused = _send(client, "PATCH", url, {"statut": "nouvelle"})
    assert refused.status_code == 409 and "ne peut pas passer" in refused.json()["title"]
    assert _send(client, "PATCH", url, {"statut": "cloturee"}).status_code == 409
    closed = _send(client, "PATCH", url, {"statut": "cloturee", "issue": "aide_accordee"})
    assert closed.status_code == 200 and closed.json()["issue"] == "aide_accordee"
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.CLOSED


def test_missing_request_is_404() -> None:
    client, _ = api_client("social")
    assert client.get("/api/v1/demandes/999999").status_code == 404
    assert _send(client, "PATCH", "/api/v1/demandes/999999", {"statut": "en_cours"}).status_code == 404


def test_partners_list() -> None:
    client, _ = api_client("accueil")
    items = client.get("/api/v1/partenaires", {"type": "caf"}).json()
    assert items and all(item["type"] == "caf" and item["coordonnees_demonstration"] for item in items)


def test_referrals_social_only() -> None:
    demand = RequestFactory()
    partner = PartnerFactory()
    accueil, _ = api_client("accueil")
    url = f"/api/v1/demandes/{demand.pk}/orientations"
    assert accueil.get(url).status_code == 403
    assert _send(accueil, "POST", url, {"partenaire": partner.pk, "donnees_partagees": ["identite"]}).status_code == 403
    social, _ = api_client("social")
    assert _send(social, "POST", url, {"partenaire": partner.pk, "donnees_partagees": []}).status_code == 422
    created = _send(social, "POST", url, {"partenaire": partner.pk, "donnees_partagees": ["identite", "demande"]})
    assert created.status_code == 201
    assert created.json()["issue"] == "en_attente"
    ReferralFactory(request=demand)
    assert len(social.get(url).json()) == 2


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_other_personas_get_nothing(persona_name: str) -> None:
    demand = RequestFactory()
    client, _ = api_client(persona_name)
    assert client.get("/api/v1/demandes").status_code == 403
    assert client.get(f"/api/v1/demandes/{demand.pk}").status_code == 403
    assert client.get("/api/v1/partenaires").status_code == 403


def test_openapi_documents_the_write_bodies_without_dangling_refs() -> None:
    schema = api.get_openapi_schema()
    body = schema["paths"]["/api/v1/demandes"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) >= {"menage", "theme", "objet"}
    assert "aide_alimentaire" in json.dumps(body)
    assert "#/$defs/" not in json.dumps(schema)
