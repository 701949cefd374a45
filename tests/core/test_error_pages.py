"""Error pages are French, keep the layout, and never show a stack trace or a technical detail."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from guichet.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

TECHNICAL = ("Traceback", "RuntimeError", "settings.py", "secret internal detail", "Page not found", "Forbidden")


def assert_french_error_page(body: str, title: str) -> None:
    assert '<html lang="fr">' in body
    assert f"<h1>{title}</h1>" in body
    assert "Revenir à l'accueil" in body
    for word in TECHNICAL:
        assert word not in body


def test_404_is_french(client: Client, accueil: User) -> None:
    client.force_login(accueil)
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_french_error_page(response.content.decode(), "Page introuvable")


def test_404_for_anonymous_visitors(client: Client) -> None:
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_french_error_page(response.content.decode(), "Page introuvable")


def test_403_is_french(client: Client) -> None:
    response = client.get("/test-erreur/403/")
    assert response.status_code == 403
    assert_french_error_page(response.content.decode(), "Accès refusé")


def test_403_of_a_permission_check_gives_its_reason(client: Client, direction: User) -> None:
    client.force_login(direction)
    response = client.get(reverse("households:list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert_french_error_page(body, "Accès refusé")
    assert "pas les droits nécessaires pour cette page" in body


def test_400_is_french(client: Client) -> None:
    response = client.get("/test-erreur/400/")
    assert response.status_code == 400
    assert_french_error_page(response.content.decode(), "Requête invalide")
    assert "detail that stays in the logs" not in response.content.decode()


def test_500_is_french_and_shows_no_stack_trace() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-erreur/500/")
    assert response.status_code == 500
    assert_french_error_page(response.content.decode(), "Erreur inattendue")


def test_csrf_failure_is_french(accueil: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(accueil)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    body = response.content.decode()
    assert_french_error_page(body, "Formulaire expiré")
    assert "CSRF" not in body
    assert "Rechargez la page" in body


@override_settings(DEBUG=False)
def test_csrf_failure_on_login_form(client: Client) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_french_error_page(response.content.decode(), "Formulaire expiré")
