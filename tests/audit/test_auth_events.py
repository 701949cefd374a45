"""Login, logout and failed login are written to the audit log (from Django's auth signals)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.chain import verify_chain
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/comptes/connexion/"
PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory's password


def test_successful_login_is_audited(client: Client) -> None:
    user = UserFactory(username="agent-connecte")
    response = client.post(LOGIN_URL, {"username": "agent-connecte", "password": PASSWORD})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert entry.actor_id == user.pk
    assert entry.actor_username == "agent-connecte"
    assert entry.target_type == "user"
    assert entry.target_id == str(user.pk)
    assert entry.ip_address == "127.0.0.1"
    assert entry.channel == "web"


def test_failed_login_records_the_attempted_name_never_the_password(client: Client) -> None:
    UserFactory(username="agent-distrait")
    response = client.post(LOGIN_URL, {"username": "agent-distrait", "password": "secret-tape-par-erreur"})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.actor_id is None
    assert entry.actor_username == "agent-distrait"
    stored = " ".join(str(value) for value in AuditEntry.objects.values_list().get())
    assert "secret-tape-par-erreur" not in stored


def test_failed_login_for_an_unknown_name_is_audited(client: Client) -> None:
    client.post(LOGIN_URL, {"username": "personne-inconnue", "password": "peu-importe-ici"})
    assert AuditEntry.objects.get(action=Action.LOGIN_FAILED).actor_username == "personne-inconnue"


def test_logout_is_audited(client: Client) -> None:
    user = UserFactory(username="agent-sortant")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.LOGOUT)
    assert entry.actor_id == user.pk
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [Action.LOGIN, Action.LOGOUT]
    assert verify_chain().ok
