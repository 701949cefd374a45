"""Login, logout, lockout, password hashing and validators, demo accounts refused outside the demo."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

import guichet.config.settings as base_settings
from guichet.accounts.models import User
from guichet.accounts.services import demo_accounts_ensure
from tests.factories import UserFactory

PASSWORD = "motdepasse-de-test"
LOGIN_URL = reverse("accounts:login")


def post_login(client: Client, username: str, password: str) -> object:
    return client.post(LOGIN_URL, {"username": username, "password": password})


@pytest.mark.django_db
def test_login_page_is_an_accessible_french_form(client: Client) -> None:
    response = client.get(LOGIN_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Identifiant' in page
    assert '<label for="id_password">Mot de passe' in page
    assert 'autocomplete="current-password"' in page


@pytest.mark.django_db
def test_login_with_the_right_password_opens_a_session(client: Client) -> None:
    user = UserFactory(username="agent-ok")
    response = post_login(client, "agent-ok", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_with_a_wrong_password_says_so_in_french_and_keeps_the_username(client: Client) -> None:
    UserFactory(username="agent-ko")
    response = post_login(client, "agent-ko", "mauvais")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in page
    assert 'role="alert"' in page
    assert 'value="agent-ko"' in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in(client: Client) -> None:
    UserFactory(username="parti", is_active=False)
    response = post_login(client, "parti", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client: Client) -> None:
    UserFactory(username="cible")
    for _ in range(2):
        assert post_login(client, "cible", "mauvais").status_code == 200
    locked = post_login(client, "cible", "mauvais")
    assert locked.status_code == 429
    assert "Compte verrouillé" in locked.content.decode()
    again = post_login(client, "cible", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_username(client: Client) -> None:
    UserFactory(username="cible")
    UserFactory(username="voisin")
    for _ in range(3):
        post_login(client, "cible", "mauvais")
    assert post_login(client, "voisin", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_argon2_is_the_password_hasher_outside_tests() -> None:
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_password_validators_refuse_weak_passwords_in_french() -> None:
    user = User(username="nouvel-agent", first_name="Nadia")
    with pytest.raises(ValidationError) as refused:
        validate_password("court", user)
    messages = " ".join(refused.value.messages)
    assert "trop court" in messages
    assert "au minimum 12 caractères" in messages
    validate_password("une phrase de passe solide 2026", user)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_demo_account_is_refused_when_debug_is_off(client: Client) -> None:
    demo_accounts_ensure(password="demo-guichet")
    response = post_login(client, "accueil", "demo-guichet")
    assert response.status_code == 200
    assert "n'existe que sur la démo embarquée" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_demo_account_signs_in_on_the_embedded_demo(client: Client) -> None:
    demo_accounts_ensure(password="demo-guichet")
    with override_settings(DEBUG=True):
        assert post_login(client, "accueil", "demo-guichet").status_code == 302


@pytest.mark.django_db
def test_an_open_demo_session_stops_working_when_debug_is_off(client: Client) -> None:
    [accueil, *_] = demo_accounts_ensure(password="demo-guichet")
    client.force_login(accueil)
    with override_settings(DEBUG=True):
        assert client.get(reverse("core:home")).status_code == 200
    with override_settings(DEBUG=False):
        response = client.get(reverse("core:home"))
        assert response.status_code == 302
        assert LOGIN_URL in response["Location"]
        assert client.get("/api/v1/moi").status_code == 401
