"""Write API of the household file: create, patch, add a person, patch a person; 409 duplicates, 422."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.enums import ChargeKind
from guichet.households.models import Charge, Household, Person
from guichet.households.search import search_index_invalidate
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

BODY: dict[str, Any] = {
    "telephone": "0235000000",
    "adresse": {"numero": "4", "voie": "rue de Paris", "code_postal": "76800", "commune": "Saint-Étienne-du-Rouvray"},
    "demandeur": {"prenom": "Karim", "nom": "Haddad", "sexe": "M", "date_naissance": "1979-06-30"},
}


def api(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def test_create_household_then_add_and_patch_people() -> None:
    client = api("accueil")
    response = send(client, "POST", "/menages", BODY)
    assert response.status_code == 201, response.content
    household = Household.objects.get(pk=response.json()["id"])
    assert response.json()["reference"] == household.reference
    assert household.people.get().first_name == "Karim"
    entry = AuditEntry.objects.filter(action=Action.CREATE, target_type="household").get()
    assert entry.channel == "api"
    child = {"prenom": "Yasmine", "nom": "Haddad", "sexe": "F", "date_naissance": "2012-01-09", "place": "enfant"}
    added = send(client, "POST", f"/menages/{household.pk}/personnes", child)
    assert added.status_code == 201
    person = Person.objects.get(pk=added.json()["id"])
    assert person.household_role == "enfant"
    patched = send(client, "PATCH", f"/personnes/{person.pk}", {"nom_naissance": "Benali", "situation": "scolaire"})
    assert patched.status_code == 200
    assert sorted(patched.json()["champs_modifies"]) == ["nom_naissance", "situation"]
    person.refresh_from_db()
    assert person.search_name == "yasmine haddad benali"


def test_patch_household_changes_only_what_is_sent() -> None:
    household = PersonFactory().household
    address_id = household.address_id
    client = api("accueil")
    response = send(client, "PATCH", f"/menages/{household.pk}", {"courriel": "foyer@example.org"})
    assert response.json() == {"id": household.pk, "champs_modifies": ["courriel"]}
    household.refresh_from_db()
    assert household.email == "foyer@example.org" and household.address_id == address_id
    response = send(client, "PATCH", f"/menages/{household.pk}", {"adresse": None})
    assert response.json()["champs_modifies"] == ["adresse"]


def test_social_fields_need_household_follow() -> None:
    household = PersonFactory().household
    assert send(api("accueil"), "PATCH", f"/menages/{household.pk}", {"loyer": "450.00"}).status_code == 403
    response = send(
        api("social"), "PATCH", f"/menages/{household.pk}", {"loyer": "450.00", "logement": "locataire_social"}
    )
    assert sorted(response.json()["champs_modifies"]) == ["logement", "loyer"]


def test_duplicates_answer_409_unless_forced() -> None:
    existing = PersonFactory(first_name="Karim", last_name="Hadad", birth_date=dt.date(1979, 6, 30))
    search_index_invalidate()
    client = api("accueil")
    response = send(client, "POST", "/menages", BODY)
    assert response.status_code == 409
    (candidate,) = response.json()["candidats"]
    assert candidate["personne_id"] == existing.pk and candidate["meme_date_naissance"] is True
    assert Household.objects.count() == 1
    assert send(client, "POST", "/menages", {**BODY, "forcer": True}).status_code == 201


def test_bad_input_is_a_422_problem() -> None:
    client = api("accueil")
    response = send(client, "POST", "/menages", {**BODY, "demandeur": {**BODY["demandeur"], "sexe": "X"}})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert any("sexe" in error["champ"] for error in response.json()["errors"])
    person = PersonFactory()
    response = send(client, "PATCH", f"/personnes/{person.pk}", {"courriel": "pas-un-courriel"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["champ"] == "body.courriel"


@pytest.mark.parametrize("name", ["direction", "admin", "outsider"])
def test_roles_without_edit_are_refused(name: str) -> None:
    household = HouseholdFactory()
    client = api(name)
    assert send(client, "POST", "/menages", BODY).status_code == 403
    assert send(client, "PATCH", f"/menages/{household.pk}", {"telephone": "01"}).status_code == 403


def test_confidential_household_is_refused_without_access() -> None:
    household = PersonFactory(household=HouseholdFactory(confidential=True)).household
    assert send(api("accueil"), "PATCH", f"/menages/{household.pk}", {"telephone": "01"}).status_code == 403
    assert send(api("responsable"), "PATCH", f"/menages/{household.pk}", {"telephone": "01"}).status_code == 200


def test_missing_objects_are_404() -> None:
    client = api("accueil")
    assert send(client, "PATCH", "/menages/999999", {}).status_code == 404
    assert send(client, "PATCH", "/personnes/999999", {}).status_code == 404


def test_required_person_fields_are_checked() -> None:
    client = api("accueil")
    response = send(client, "POST", "/menages", {"telephone": "01"})
    assert response.status_code == 422
    assert {e["champ"] for e in response.json()["errors"]} == {
        "body.demandeur.prenom",
        "body.demandeur.nom",
        "body.demandeur.sexe",
        "body.demandeur.date_naissance",
    }
    household = PersonFactory().household
    response = send(client, "POST", f"/menages/{household.pk}/personnes", {"prenom": "Léa"})
    assert response.status_code == 422
    assert not Household.objects.exclude(pk=household.pk).exists()


def test_household_detail_lists_charges_for_social_workers() -> None:
    household = PersonFactory().household
    Charge.objects.create(household=household, kind=ChargeKind.LOAN, label="Crédit auto", amount=Decimal("120.00"))
    social = api("social").get(f"/api/v1/menages/{household.pk}").json()
    assert social["situation_sociale"]["charges"] == [
        {"nature": "Remboursement de crédit", "precision": "Crédit auto", "montant_mensuel": "120.00"}
    ]
    assert api("accueil").get(f"/api/v1/menages/{household.pk}").json()["situation_sociale"] is None
