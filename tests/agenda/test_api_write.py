"""API of the agenda, one appointment and its writes: read, book (from a household or a request), move,
cancel, mark — through agenda.services: permissions, confidential files, audit, French 422."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from guichet.accounts.enums import Role
from guichet.agenda.models import Appointment, Place
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.agenda.factories import AppointmentFactory, next_slot
from tests.conftest import make_persona
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def persona(name: str) -> tuple[Client, Any]:
    user = make_persona(name)
    return login(user), user


def send(client: Client, url: str, body: dict[str, Any] | None = None, method: str = "POST") -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, f"/api/v1{url}", data=data, content_type="application/json")


def slot(days: int = 1, hour: int = 10, minutes: int = 30) -> dict[str, str]:
    start = next_slot(days=days, hour=hour)
    return {"debut": start.isoformat(), "fin": (start + dt.timedelta(minutes=minutes)).isoformat()}


def ccas() -> Place:
    return Place.objects.get(name="CCAS")


def appointment_writes() -> list[tuple[str, list[str], str]]:
    return [
        (e.action, e.fields, e.channel)
        for e in AuditEntry.objects.filter(target_type="appointment").exclude(action=Action.READ).order_by("pk")
    ]


def test_book_for_a_household_then_read_it() -> None:
    client, user = persona("accueil")
    household = HouseholdFactory()
    body = {"menage": household.pk, "lieu": ccas().pk, "motif": " Dossier FSL "} | slot()
    response = send(client, "/rendez-vous", body)
    assert response.status_code == 201, response.content
    data = response.json()
    appointment = Appointment.objects.get(pk=data["id"])
    assert (appointment.agent_id, appointment.household_id, appointment.reason) == (
        user.pk,
        household.pk,
        "Dossier FSL",
    )
    assert (data["statut"], data["lieu"], data["agent_id"], data["demande_id"]) == ("prevu", "CCAS", user.pk, None)
    assert appointment_writes() == [
        (Action.CREATE, ["agent", "ends_at", "household", "place", "reason", "request", "starts_at"], "api")
    ]
    read = client.get(f"/api/v1/rendez-vous/{appointment.pk}")
    assert read.status_code == 200 and read.json()["menage_reference"] == household.reference
    entry = AuditEntry.objects.get(action=Action.READ, target_type="appointment")
    assert (entry.target_id, entry.channel) == (str(appointment.pk), "api")


def test_book_from_a_request_for_a_colleague() -> None:
    client, _ = persona("social")
    demand = RequestFactory()
    colleague = UserFactory(roles=[Role.ACCUEIL])
    response = send(client, "/rendez-vous", {"demande": demand.pk, "agent": colleague.pk, "lieu": ccas().pk} | slot())
    assert response.status_code == 201, response.content
    assert response.json()["menage_id"] == demand.household_id and response.json()["demande_id"] == demand.pk
    assert Appointment.objects.get().agent_id == colleague.pk


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_roles_that_may_not_manage_appointments_are_refused(persona_name: str) -> None:
    appointment = AppointmentFactory()
    client, _ = persona(persona_name)
    household = HouseholdFactory()
    responses = [
        send(client, "/rendez-vous", {"menage": household.pk, "lieu": ccas().pk} | slot()),
        client.get(f"/api/v1/rendez-vous/{appointment.pk}"),
        send(client, f"/rendez-vous/{appointment.pk}/deplacer", slot(days=2)),
        send(client, f"/rendez-vous/{appointment.pk}/annuler"),
        send(client, f"/rendez-vous/{appointment.pk}/marquer", {"statut": "honore"}),
    ]
    assert [r.status_code for r in responses] == [403] * 5
    assert responses[0]["Content-Type"] == "application/problem+json"
    assert Appointment.objects.count() == 1 and Appointment.objects.get().status == "prevu"
    assert appointment_writes() == []


def test_confidential_household_is_refused_to_a_non_referent() -> None:
    household = HouseholdFactory(confidential=True)
    appointment = AppointmentFactory(household=household)
    client, _ = persona("social")
    booked = send(client, "/rendez-vous", {"menage": household.pk, "lieu": ccas().pk} | slot(days=3))
    assert booked.status_code == 403 and "confidentiel" in booked.json()["detail"]
    assert client.get(f"/api/v1/rendez-vous/{appointment.pk}").status_code == 403
    assert send(client, f"/rendez-vous/{appointment.pk}/annuler").status_code == 403
    assert send(client, f"/rendez-vous/{appointment.pk}/deplacer", slot(days=4)).status_code == 403
    assert Appointment.objects.get().status == "prevu" and appointment_writes() == []
    referent = UserFactory(roles=[Role.TRAVAILLEUR_SOCIAL])
    household.referents.add(referent)
    assert send(login(referent), f"/rendez-vous/{appointment.pk}/annuler").status_code == 200
    assert appointment_writes() == [(Action.UPDATE, ["status"], "api")]


def test_move_cancel_and_mark() -> None:
    client, user = persona("accueil")
    moved = AppointmentFactory(agent=user)
    other_place = Place.objects.exclude(pk=moved.place_id).order_by("pk").first()
    target = slot(days=5, hour=14, minutes=45)
    response = send(client, f"/rendez-vous/{moved.pk}/deplacer", target | {"lieu": other_place.pk})
    assert response.status_code == 200, response.content
    moved.refresh_from_db()
    assert moved.starts_at == dt.datetime.fromisoformat(target["debut"]) and moved.place_id == other_place.pk
    assert response.json()["lieu_id"] == other_place.pk
    cancelled = AppointmentFactory(agent=user, starts_at=next_slot(days=6))
    assert send(client, f"/rendez-vous/{cancelled.pk}/annuler").json()["statut"] == "annule"
    honoured = AppointmentFactory(agent=user, starts_at=next_slot(days=7))
    assert send(client, f"/rendez-vous/{honoured.pk}/marquer", {"statut": "honore"}).json()["statut"] == "honore"
    absent = AppointmentFactory(agent=user, starts_at=next_slot(days=8))
    assert send(client, f"/rendez-vous/{absent.pk}/marquer", {"statut": "absent"}).json()["statut"] == "absent"
    assert appointment_writes() == [
        (Action.UPDATE, ["ends_at", "place", "reminder_sent_at", "starts_at"], "api"),
        (Action.UPDATE, ["status"], "api"),
        (Action.UPDATE, ["status"], "api"),
        (Action.UPDATE, ["status"], "api"),
    ]


def test_refusals_of_the_agenda_are_french_problems() -> None:
    client, user = persona("accueil")
    household = HouseholdFactory()
    taken = AppointmentFactory(agent=user)
    overlap = send(
        client,
        "/rendez-vous",
        {
            "menage": household.pk,
            "lieu": ccas().pk,
            "debut": taken.starts_at.isoformat(),
            "fin": taken.ends_at.isoformat(),
        },
    )
    assert overlap.status_code == 422
    assert overlap["Content-Type"] == "application/problem+json"
    assert "a déjà un rendez-vous sur ce créneau" in overlap.json()["title"]
    naive = send(
        client,
        "/rendez-vous",
        {"menage": household.pk, "lieu": ccas().pk, "debut": "2026-12-01T10:00", "fin": "2026-12-01T10:30"},
    )
    assert naive.json()["title"] == "Les horaires doivent être précisés avec leur fuseau horaire."
    backwards = slot()
    backwards["debut"], backwards["fin"] = backwards["fin"], backwards["debut"]
    reversed_slot = send(client, "/rendez-vous", {"menage": household.pk, "lieu": ccas().pk} | backwards)
    assert reversed_slot.json()["title"] == "La fin du rendez-vous doit être après son début."
    missing = send(client, "/rendez-vous", {"menage": household.pk})
    assert missing.status_code == 422
    assert {error["champ"] for error in missing.json()["errors"]} == {"lieu", "debut", "fin"}
    nothing = send(client, "/rendez-vous", {"lieu": ccas().pk} | slot(days=9))
    assert nothing.json()["title"] == "Indiquez le ménage ou la demande du rendez-vous."
    unknown_place = send(client, "/rendez-vous", {"menage": household.pk, "lieu": 987654} | slot(days=9))
    assert unknown_place.json()["title"] == "Lieu inconnu."
    wrong_mark = send(client, f"/rendez-vous/{taken.pk}/marquer", {"statut": "annule"})
    assert wrong_mark.json()["title"] == "Un rendez-vous ne peut être marqué que « Honoré » ou « Absent »."
    send(client, f"/rendez-vous/{taken.pk}/annuler")
    again = send(client, f"/rendez-vous/{taken.pk}/annuler")
    assert again.status_code == 422 and again.json()["title"] == "Ce rendez-vous est déjà « Annulé »."
    assert Appointment.objects.count() == 1
    assert appointment_writes() == [(Action.UPDATE, ["status"], "api")]


def test_unknown_appointment_is_404() -> None:
    client, _ = persona("accueil")
    assert client.get("/api/v1/rendez-vous/987654").status_code == 404
    assert send(client, "/rendez-vous/987654/annuler").json()["title"] == "Introuvable"


def test_openapi_documents_the_agenda_operations() -> None:
    client, _ = persona("accueil")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/rendez-vous"]) == {"get", "post"}
    for action in ("deplacer", "annuler", "marquer"):
        assert "post" in paths[f"/api/v1/rendez-vous/{{appointment_id}}/{action}"]
    book = paths["/api/v1/rendez-vous"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(book["required"]) == {"lieu", "debut", "fin"}
