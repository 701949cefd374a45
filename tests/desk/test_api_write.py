"""API of the guichet, writes added for the single desk: assigning a request, recording a partner's answer
to a referral, creating and editing partners — permissions, confidential files, audit, French 422."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.config.api import api
from guichet.desk.api import PARTNER_API_FIELDS
from guichet.desk.models import PARTNER_FIELDS, Partner, Referral, Request, RequestEvent
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory, ReferralFactory, RequestFactory
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def persona_client(name: str) -> Client:
    return login(make_persona(name))


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return client.generic(method, f"/api/v1{url}", data=json.dumps(body), content_type="application/json")


# --- Assigning a request ------------------------------------------------------------------------------


def test_patch_assigns_then_unassigns_a_request_with_history_and_audit() -> None:
    demand = RequestFactory()
    colleague = UserFactory(roles=[Role.ACCUEIL], first_name="Nora", last_name="Lefèvre")
    client = persona_client("social")
    response = send(client, "PATCH", f"/demandes/{demand.pk}", {"agent": colleague.pk, "commentaire": "Congés"})
    assert response.status_code == 200, response.content
    assert response.json()["agent"] == colleague.pk
    assert Request.objects.get(pk=demand.pk).assigned_to_id == colleague.pk
    event = RequestEvent.objects.get(request=demand, kind=RequestEvent.Kind.ASSIGNED)
    assert (event.to_value, event.comment) == ("Nora Lefèvre", "Congés")
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="request")
    assert (entry.fields, entry.channel) == (["assigned_to"], "api")
    unassigned = send(client, "PATCH", f"/demandes/{demand.pk}", {"agent": None})
    assert unassigned.json()["agent"] is None
    assert Request.objects.get(pk=demand.pk).assigned_to_id is None


def test_assignment_and_status_change_together() -> None:
    demand = RequestFactory()
    client = persona_client("accueil")
    agent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    response = send(client, "PATCH", f"/demandes/{demand.pk}", {"agent": agent.pk, "statut": "en_cours"})
    assert response.json()["agent"] == agent.pk and response.json()["statut"] == "en_cours"
    assert [e["type"] for e in response.json()["historique"]] == ["Attribution", "Changement de statut"]


def test_assignment_refuses_an_agent_who_does_not_handle_requests() -> None:
    demand = RequestFactory()
    client = persona_client("social")
    direction = make_persona("direction")
    for agent in (direction, UserFactory(roles=[Role.ACCUEIL], is_active=False)):
        response = send(client, "PATCH", f"/demandes/{demand.pk}", {"agent": agent.pk})
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Cet agent ne traite pas les demandes : choisissez un autre agent."
    assert Request.objects.get(pk=demand.pk).assigned_to_id is None
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()
    # The same rule at creation (it lives in the service, not in each endpoint).
    created = send(
        client,
        "POST",
        "/demandes",
        {"menage": demand.household_id, "theme": demand.theme, "objet": "Aide", "agent": direction.pk},
    )
    assert created.status_code == 422 and created.json()["title"].startswith("Cet agent ne traite pas")


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_assignment_refused_to_roles_that_may_not_edit_requests(persona_name: str) -> None:
    demand = RequestFactory()
    agent = UserFactory(roles=[Role.ACCUEIL])
    response = send(persona_client(persona_name), "PATCH", f"/demandes/{demand.pk}", {"agent": agent.pk})
    assert response.status_code == 403
    assert Request.objects.get(pk=demand.pk).assigned_to_id is None


def test_assignment_on_a_confidential_file_needs_its_referent() -> None:
    demand = RequestFactory(household=HouseholdFactory(confidential=True))
    agent = UserFactory(roles=[Role.ACCUEIL])
    refused = send(persona_client("social"), "PATCH", f"/demandes/{demand.pk}", {"agent": agent.pk})
    assert refused.status_code == 403 and "confidentiel" in refused.json()["detail"]
    referent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    demand.household.referents.add(referent)
    assert send(login(referent), "PATCH", f"/demandes/{demand.pk}", {"agent": agent.pk}).status_code == 200
    assert Request.objects.get(pk=demand.pk).assigned_to_id == agent.pk


# --- The partner's answer to a referral ---------------------------------------------------------------


def test_social_worker_records_the_answer_of_a_referral() -> None:
    referral = ReferralFactory(sent_on=timezone.localdate() - dt.timedelta(days=5))
    today = timezone.localdate()
    body = {
        "accuse_reception_le": (today - dt.timedelta(days=3)).isoformat(),
        "reponse": "  Dossier FSL accepté  ",
        "issue": "acceptee",
    }
    response = send(persona_client("social"), "POST", f"/orientations/{referral.pk}/reponse", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["issue"], data["reponse"], data["reponse_le"]) == (
        "acceptee",
        "Dossier FSL accepté",
        today.isoformat(),
    )
    referral.refresh_from_db()
    assert referral.acknowledged_on == today - dt.timedelta(days=3) and referral.outcome == "acceptee"
    event = RequestEvent.objects.get(request=referral.request, kind=RequestEvent.Kind.REFERRAL)
    assert event.to_value == "Acceptée"
    entry = AuditEntry.objects.get(action=Action.UPDATE, target_type="referral")
    assert entry.channel == "api"
    assert sorted(entry.fields) == ["acknowledged_on", "answer", "answered_on", "outcome"]


@pytest.mark.parametrize("persona_name", ["accueil", "direction", "admin", "outsider"])
def test_referral_answer_refused_to_roles_that_do_not_follow_households(persona_name: str) -> None:
    referral = ReferralFactory()
    response = send(persona_client(persona_name), "POST", f"/orientations/{referral.pk}/reponse", {"issue": "refusee"})
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).outcome == "en_attente"


def test_referral_answer_on_a_confidential_file_needs_its_referent() -> None:
    referral = ReferralFactory(request=RequestFactory(household=HouseholdFactory(confidential=True)))
    url = f"/orientations/{referral.pk}/reponse"
    refused = send(persona_client("social"), "POST", url, {"issue": "refusee"})
    assert refused.status_code == 403 and "confidentiel" in refused.json()["detail"]
    referent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    referral.request.household.referents.add(referent)
    assert send(login(referent), "POST", url, {"issue": "refusee"}).status_code == 200
    assert Referral.objects.get(pk=referral.pk).outcome == "refusee"


def test_referral_answer_validation_is_a_french_problem() -> None:
    referral = ReferralFactory()
    client = persona_client("social")
    url = f"/orientations/{referral.pk}/reponse"
    missing = send(client, "POST", url, {"reponse": "Pas encore"})
    assert missing.status_code == 422
    assert missing["Content-Type"] == "application/problem+json"
    assert [error["champ"] for error in missing.json()["errors"]] == ["issue"]
    early = (referral.sent_on - dt.timedelta(days=1)).isoformat()
    too_early = send(client, "POST", url, {"issue": "acceptee", "reponse_le": early})
    assert too_early.status_code == 422
    assert too_early.json()["title"] == "Une date ne peut pas précéder l'envoi de l'orientation."
    assert send(client, "POST", "/orientations/987654/reponse", {"issue": "acceptee"}).status_code == 404
    assert not AuditEntry.objects.filter(target_type="referral").exists()


# --- Partners directory -------------------------------------------------------------------------------

PARTNER_BODY: dict[str, Any] = {
    "organisme": "Secours populaire",
    "service": "Antenne du Madrillet",
    "type": "association",
    "themes": ["aide_alimentaire"],
    "courriel": "madrillet@example.org",
    "convention": "Convention 2026 : colis d'urgence sous 48 h",
    "delai_relance_jours": 7,
}


def test_every_partner_field_is_exposed_to_the_api() -> None:
    assert sorted(PARTNER_API_FIELDS.values()) == sorted(PARTNER_FIELDS)


def test_responsable_creates_then_edits_a_partner() -> None:
    client = persona_client("responsable")
    created = send(client, "POST", "/partenaires", PARTNER_BODY)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["convention"] == "Convention 2026 : colis d'urgence sous 48 h" and data["actif"] is True
    partner = Partner.objects.get(pk=data["id"])
    assert (partner.organisation, partner.kind, partner.themes, partner.reminder_days) == (
        "Secours populaire",
        "association",
        ["aide_alimentaire"],
        7,
    )
    creation = AuditEntry.objects.get(action=Action.CREATE, target_type="partner")
    assert sorted(creation.fields) == sorted(
        ["organisation", "service", "kind", "themes", "email", "agreement", "reminder_days"]
    )
    patched = send(client, "PATCH", f"/partenaires/{partner.pk}", {"telephone": "0235000001", "actif": False})
    assert patched.status_code == 200
    assert patched.json()["telephone"] == "0235000001" and patched.json()["organisme"] == "Secours populaire"
    partner.refresh_from_db()
    assert partner.phone == "0235000001" and partner.is_active is False
    update = AuditEntry.objects.get(action=Action.UPDATE, target_type="partner")
    assert sorted(update.fields) == ["is_active", "phone"]
    assert (creation.channel, update.channel) == ("api", "api")


def test_partner_list_gives_the_agreement() -> None:
    PartnerFactory(agreement="Convention signée le 3 mars 2026", kind="association")
    items = persona_client("accueil").get("/api/v1/partenaires", {"type": "association"}).json()
    assert "Convention signée le 3 mars 2026" in [item["convention"] for item in items]


@pytest.mark.parametrize("persona_name", ["accueil", "social", "direction", "outsider"])
def test_partner_writes_refused_without_settings_manage(persona_name: str) -> None:
    partner = PartnerFactory()
    client = persona_client(persona_name)
    assert send(client, "POST", "/partenaires", PARTNER_BODY).status_code == 403
    assert send(client, "PATCH", f"/partenaires/{partner.pk}", {"organisme": "Autre"}).status_code == 403
    assert not Partner.objects.filter(organisation__in=["Secours populaire", "Autre"]).exists()
    assert not AuditEntry.objects.filter(target_type="partner").exists()


def test_partner_validation_errors_are_french_problems() -> None:
    client = persona_client("responsable")
    missing = send(client, "POST", "/partenaires", {"service": "Accueil"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"champ": "body.organisme", "message": "Ce champ est obligatoire."},
        {"champ": "body.type", "message": "Ce champ est obligatoire."},
    ]
    bad_email = send(client, "POST", "/partenaires", PARTNER_BODY | {"courriel": "pas-une-adresse"})
    assert bad_email.status_code == 422
    assert bad_email["Content-Type"] == "application/problem+json"
    assert bad_email.json()["errors"] == [
        {"champ": "body.courriel", "message": "Saisissez une adresse de courriel valide."}
    ]
    partner = PartnerFactory()
    null_name = send(client, "PATCH", f"/partenaires/{partner.pk}", {"organisme": None})
    assert null_name.json()["errors"] == [{"champ": "body.organisme", "message": "Ce champ ne peut pas être vide."}]
    assert send(client, "PATCH", "/partenaires/987654", {"service": "x"}).status_code == 404
    assert not AuditEntry.objects.filter(target_type="partner").exists()


def test_partner_empty_and_null_fields_keep_their_api_meaning() -> None:
    """The API binds the page's form: a field sent blank or null is « vide », one not given yet
    « obligatoire », a text sent null is emptied; what the page refuses is refused."""
    client = persona_client("responsable")
    blank = send(client, "POST", "/partenaires", PARTNER_BODY | {"organisme": "   "})
    assert blank.json()["errors"] == [{"champ": "body.organisme", "message": "Ce champ ne peut pas être vide."}]
    null = send(client, "POST", "/partenaires", PARTNER_BODY | {"type": None})
    assert null.json()["errors"] == [{"champ": "body.type", "message": "Ce champ est obligatoire."}]
    null_delay = send(client, "POST", "/partenaires", PARTNER_BODY | {"delai_relance_jours": None})
    assert null_delay.json()["errors"] == [
        {"champ": "body.delai_relance_jours", "message": "Ce champ ne peut pas être vide."}
    ]
    assert not Partner.objects.filter(organisation="Secours populaire").exists()
    partner = PartnerFactory(service="Accueil", phone="0235000000")
    emptied = send(client, "PATCH", f"/partenaires/{partner.pk}", {"service": None, "telephone": " 0235000009 "})
    assert emptied.status_code == 200, emptied.content
    partner.refresh_from_db()
    assert (partner.service, partner.phone) == ("", "0235000009")
    assert sorted(AuditEntry.objects.get(target_type="partner").fields) == ["phone", "service"]
    blank_name = send(client, "PATCH", f"/partenaires/{partner.pk}", {"organisme": " "})
    assert blank_name.json()["errors"] == [{"champ": "body.organisme", "message": "Ce champ ne peut pas être vide."}]


def test_openapi_documents_the_new_desk_operations() -> None:
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    patch_body = paths["/api/v1/demandes/{request_id}"]["patch"]["requestBody"]["content"]["application/json"]
    assert "agent" in patch_body["schema"]["properties"]
    answer = paths["/api/v1/orientations/{referral_id}/reponse"]["post"]
    assert answer["requestBody"]["content"]["application/json"]["schema"]["required"] == ["issue"]
    assert set(paths["/api/v1/partenaires"]) == {"get", "post"}
    assert "patch" in paths["/api/v1/partenaires/{partner_id}"]
