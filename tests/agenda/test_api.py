"""API GET /api/v1/rendez-vous: the caller's own appointments, with the permission."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.agenda.factories import AppointmentFactory, next_slot
from tests.conftest import make_persona

pytestmark = pytest.mark.django_db


def _client(name: str):
    user = make_persona(name)
    client = Client()
    client.force_login(user)
    return client, user


def test_own_appointments_only():
    client, user = _client("social")
    mine = AppointmentFactory(agent=user)
    AppointmentFactory(starts_at=mine.starts_at)
    AppointmentFactory(agent=user, starts_at=next_slot(days=20))
    response = client.get("/api/v1/rendez-vous")
    assert response.status_code == 200
    data = response.json()
    assert [row["id"] for row in data] == [mine.pk]
    assert data[0]["menage_reference"] == mine.household.reference and data[0]["statut"] == "prevu"
    assert len(client.get("/api/v1/rendez-vous", {"jours": 30}).json()) == 2


def test_bad_filter_and_permissions():
    client, _ = _client("accueil")
    assert client.get("/api/v1/rendez-vous", {"jours": 0}).status_code == 422
    direction, _ = _client("direction")
    assert direction.get("/api/v1/rendez-vous").status_code == 403
    assert Client().get("/api/v1/rendez-vous").status_code == 401


def test_schema_published():
    client, _ = _client("accueil")
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/rendez-vous" in schema["paths"]
