"""Households API, social situation: people's disability and pregnancy, CAF/MSA numbers, monthly
resources by month range, and writes of resources and charges (permissions, confidentiality, audit, 422)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households.enums import ChargeKind, ResourceKind
from guichet.households.models import Charge, Resource
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, f"/api/v1{path}", data=data, content_type="application/json")


def writes(target_type: str) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(target_type=target_type)
        .exclude(action=Action.READ)
        .order_by("pk")
        .values_list("action", "channel")
    )


def test_detail_gives_disability_pregnancy_and_caf_msa_numbers() -> None:
    person = PersonFactory(disability_rate=80, has_rqth=True, has_disability_card=True, is_pregnant=True)
    household = person.household
    household.caf_number = "1234567"
    household.msa_number = "MSA-42"
    household.save()
    front = api("accueil").get(f"/api/v1/menages/{household.pk}").json()
    first = front["personnes"][0]
    # As on the household page: health (disability, pregnancy) only for those who see the social situation.
    health = ("taux_incapacite", "rqth", "carte_invalidite", "grossesse")
    assert [first[name] for name in health] == [None, None, None, None]
    assert front["situation_sociale"] is None
    social = api("social").get(f"/api/v1/menages/{household.pk}").json()
    assert [social["personnes"][0][name] for name in health] == [80, True, True, True]
    assert social["situation_sociale"]["numero_caf"] == "1234567"
    assert social["situation_sociale"]["numero_msa"] == "MSA-42"


def test_resources_by_month_range_with_charges_and_audited_read() -> None:
    person = PersonFactory(first_name="Lina", last_name="Roche")
    household = person.household
    for month, amount in ((1, "1400.00"), (3, "1450.50"), (5, "1500.00")):
        ResourceFactory(person=person, month=dt.date(2026, month, 1), amount=Decimal(amount))
    ResourceFactory(person=None, household=household, kind=ResourceKind.HOUSING_AID, month=dt.date(2026, 4, 1))
    Charge.objects.create(household=household, kind=ChargeKind.RENT, label="Bailleur social", amount=Decimal("512.30"))
    response = api("social").get(
        f"/api/v1/menages/{household.pk}/ressources", {"depuis": "2026-02", "jusqua": "2026-04"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["depuis"], body["jusqua"]) == ("2026-02", "2026-04")
    assert [(r["mois"], r["nature"], r["beneficiaire"], r["montant"]) for r in body["ressources"]] == [
        ("2026-03", "salaire", "Lina Roche", "1450.50"),
        ("2026-04", ResourceKind.HOUSING_AID.value, "Ménage", "1450.00"),
    ]
    assert body["ressources"][1]["personne"] is None and body["ressources"][1]["prestation"] is True
    assert [(c["nature"], c["precision"], c["montant_mensuel"]) for c in body["charges"]] == [
        ("loyer", "Bailleur social", "512.30")
    ]
    read = AuditEntry.objects.get(action=Action.READ, target_type="household")
    assert (read.target_id, read.channel) == (str(household.pk), "api")


def test_resources_default_to_the_last_twelve_months() -> None:
    person = PersonFactory()
    this_month = timezone.localdate().replace(day=1)
    recent = ResourceFactory(person=person, month=this_month)
    ResourceFactory(person=person, month=this_month.replace(year=this_month.year - 2))
    body = api("social").get(f"/api/v1/menages/{person.household_id}/ressources").json()
    assert [r["id"] for r in body["ressources"]] == [recent.pk]
    assert body["jusqua"] is None


def test_resource_create_correct_patch_and_delete_through_the_service() -> None:
    person = PersonFactory()
    household = person.household
    client = api("social")
    url = f"/menages/{household.pk}/ressources"
    created = send(
        client, "POST", url, {"nature": "salaire", "mois": "2026-09", "montant": "1320.00", "personne": person.pk}
    )
    assert created.status_code == 200, created.content
    resource = Resource.objects.get(pk=created.json()["id"])
    assert (resource.month, resource.amount, resource.person_id) == (dt.date(2026, 9, 1), Decimal("1320.00"), person.pk)
    again = send(
        client, "POST", url, {"nature": "salaire", "mois": "2026-09", "montant": "1330.00", "personne": person.pk}
    )
    assert again.json()["id"] == resource.pk and again.json()["montant"] == "1330.00"
    patched = send(client, "PATCH", f"/ressources/{resource.pk}", {"montant": "1290.10"})
    assert patched.status_code == 200 and patched.json()["montant"] == "1290.10"
    assert Resource.objects.get(pk=resource.pk).amount == Decimal("1290.10")
    deleted = send(client, "DELETE", f"/ressources/{resource.pk}")
    assert deleted.status_code == 204
    assert not Resource.objects.filter(pk=resource.pk).exists()
    assert writes("resource") == [
        (Action.CREATE, "api"),
        (Action.UPDATE, "api"),
        (Action.UPDATE, "api"),
        (Action.DELETE, "api"),
    ]


def test_charge_create_patch_and_delete_through_the_service() -> None:
    household = PersonFactory().household
    client = api("responsable")
    created = send(
        client, "POST", f"/menages/{household.pk}/charges", {"nature": "energie", "montant_mensuel": "85.00"}
    )
    assert created.status_code == 201, created.content
    charge_id = created.json()["id"]
    assert created.json() | {"id": 0} == {
        "id": 0,
        "nature": "energie",
        "nature_libelle": "Énergie (électricité, gaz, chauffage)",
        "precision": "",
        "montant_mensuel": "85.00",
    }
    patched = send(client, "PATCH", f"/charges/{charge_id}", {"precision": "EDF"})
    assert patched.status_code == 200
    charge = Charge.objects.get(pk=charge_id)
    assert (charge.kind, charge.label, charge.amount) == ("energie", "EDF", Decimal("85.00"))
    assert send(client, "DELETE", f"/charges/{charge_id}").status_code == 204
    assert not Charge.objects.filter(pk=charge_id).exists()
    assert writes("charge") == [(Action.CREATE, "api"), (Action.UPDATE, "api"), (Action.DELETE, "api")]
    update = AuditEntry.objects.get(target_type="charge", action=Action.UPDATE)
    assert update.fields == ["label"]


@pytest.mark.parametrize("persona_name", ["accueil", "direction", "admin", "outsider"])
def test_roles_without_social_follow_are_refused(persona_name: str) -> None:
    resource = ResourceFactory()
    charge = Charge.objects.create(household=resource.household, kind=ChargeKind.WATER, amount=Decimal("30.00"))
    client = api(persona_name)
    household_id = resource.household_id
    body = {"nature": "salaire", "mois": "2026-09", "montant": "1.00"}
    responses = [
        client.get(f"/api/v1/menages/{household_id}/ressources"),
        send(client, "POST", f"/menages/{household_id}/ressources", body),
        send(client, "PATCH", f"/ressources/{resource.pk}", {"montant": "2.00"}),
        send(client, "DELETE", f"/ressources/{resource.pk}"),
        send(client, "POST", f"/menages/{household_id}/charges", {"nature": "eau", "montant_mensuel": "1.00"}),
        send(client, "PATCH", f"/charges/{charge.pk}", {"montant_mensuel": "2.00"}),
        send(client, "DELETE", f"/charges/{charge.pk}"),
    ]
    assert [r.status_code for r in responses] == [403] * 7
    assert responses[1]["Content-Type"] == "application/problem+json"
    assert Resource.objects.get().amount == Decimal("1450.00")
    assert Charge.objects.get().amount == Decimal("30.00")
    assert writes("resource") == [] and writes("charge") == []


def test_confidential_household_is_refused_to_a_non_referent_and_open_to_its_referent() -> None:
    household = HouseholdFactory(confidential=True)
    person = PersonFactory(household=household)
    resource = ResourceFactory(person=person)
    body = {"nature": "salaire", "mois": "2026-09", "montant": "900.00"}
    outsider_social = api("social")
    refused = send(outsider_social, "POST", f"/menages/{household.pk}/ressources", body)
    assert refused.status_code == 403
    assert "confidentiel" in refused.json()["detail"]
    assert send(outsider_social, "PATCH", f"/ressources/{resource.pk}", {"montant": "1.00"}).status_code == 403
    assert send(outsider_social, "DELETE", f"/ressources/{resource.pk}").status_code == 403
    assert outsider_social.get(f"/api/v1/menages/{household.pk}/ressources").status_code == 403
    assert Resource.objects.count() == 1 and writes("resource") == []
    referent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    household.referents.add(referent)
    client = Client()
    client.force_login(referent)
    assert send(client, "POST", f"/menages/{household.pk}/ressources", body).status_code == 200
    assert client.get(f"/api/v1/menages/{household.pk}/ressources").status_code == 200
    assert writes("resource") == [(Action.CREATE, "api")]


def test_validation_errors_are_french_problem_details() -> None:
    household = PersonFactory().household
    stranger = PersonFactory()
    client = api("social")
    missing = send(client, "POST", f"/menages/{household.pk}/ressources", {})
    assert missing.status_code == 422
    assert missing["Content-Type"] == "application/problem+json"
    problem = missing.json()
    assert problem["title"] == "Données invalides"
    assert problem["errors"] == [
        {"champ": "body.nature", "message": "Ce champ est obligatoire."},
        {"champ": "body.mois", "message": "Ce champ est obligatoire."},
        {"champ": "body.montant", "message": "Ce champ est obligatoire."},
    ]
    foreign = send(
        client,
        "POST",
        f"/menages/{household.pk}/ressources",
        {"nature": "salaire", "mois": "2026-09", "montant": "10.00", "personne": stranger.pk},
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"] == [
        {"champ": "body.personne", "message": "Cette personne n'appartient pas au ménage."}
    ]
    reversed_range = client.get(
        f"/api/v1/menages/{household.pk}/ressources", {"depuis": "2026-05", "jusqua": "2026-01"}
    )
    assert reversed_range.status_code == 422
    assert reversed_range.json()["errors"][0]["message"] == "Le dernier mois précède le premier."
    bad_month = client.get(f"/api/v1/menages/{household.pk}/ressources", {"depuis": "2026-13"})
    assert bad_month.status_code == 422
    assert bad_month.json()["errors"] == [
        {"champ": "query.depuis", "message": "Mois attendu au format AAAA-MM (par exemple 2026-09)."}
    ]
    body = {"nature": "salaire", "mois": "09/2026", "montant": "10.00"}
    assert send(client, "POST", f"/menages/{household.pk}/ressources", body).json()["errors"] == [
        {"champ": "body.mois", "message": "Mois attendu au format AAAA-MM (par exemple 2026-09)."}
    ]
    no_amount = send(client, "POST", f"/menages/{household.pk}/charges", {"nature": "eau"})
    assert no_amount.json()["errors"] == [{"champ": "body.montant_mensuel", "message": "Ce champ est obligatoire."}]
    assert Resource.objects.count() == 0 and Charge.objects.count() == 0


def test_unknown_resource_or_charge_is_a_problem_404() -> None:
    client = api("social")
    assert send(client, "PATCH", "/ressources/987654", {"montant": "1.00"}).json()["title"] == "Introuvable"
    assert send(client, "DELETE", "/charges/987654").status_code == 404


def test_openapi_documents_the_social_operations() -> None:
    paths = api("social").get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/menages/{household_id}/ressources"]) == {"get", "post"}
    assert set(paths["/api/v1/ressources/{resource_id}"]) == {"patch", "delete"}
    assert set(paths["/api/v1/menages/{household_id}/charges"]) == {"post"}
    assert set(paths["/api/v1/charges/{charge_id}"]) == {"patch", "delete"}
    assert paths["/api/v1/ressources/{resource_id}"]["delete"]["summary"] == "Supprimer une ressource mensuelle"
