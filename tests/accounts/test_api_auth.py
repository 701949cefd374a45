"""API authentication: hashed, scoped, revocable tokens; the browser session with CSRF; GET /api/v1/moi."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from guichet.accounts import services
from guichet.accounts.enums import Perm, Role
from guichet.accounts.exceptions import AccountError
from guichet.accounts.models import ApiToken, User
from guichet.accounts.tokens import token_hash
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.accounts.factories import make_api_token
from tests.factories import UserFactory

ME_URL = "/api/v1/moi"
SCOPED = "tests.accounts.scoped_api_urls"


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def service_account(db: None) -> User:
    user: User = UserFactory(username="observatoire", roles=[Role.TRAVAILLEUR_SOCIAL])
    return user


# --- /moi ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_me_with_the_session(accueil: User) -> None:
    client = Client()
    client.force_login(accueil)
    body = client.get(ME_URL).json()
    assert body["username"] == accueil.username
    assert body["full_name"] == accueil.get_full_name()
    assert body["roles"] == [{"code": "accueil", "label": "Accueil"}]
    assert {p["code"] for p in body["permissions"]} == {"household_view", "household_edit", "break_glass"}
    assert body["authentication"] == "session"
    assert body["token_scopes"] is None


@pytest.mark.django_db
def test_me_anonymous_is_a_401_problem(client: Client) -> None:
    response = client.get(ME_URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Authentification requise"


@pytest.mark.django_db
def test_me_with_a_token_shows_the_permissions_limited_by_its_scopes(service_account: User) -> None:
    token, raw = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW])
    body = Client().get(ME_URL, headers=bearer(raw)).json()
    assert body["username"] == "observatoire"
    assert [p["code"] for p in body["permissions"]] == ["household_view"]
    assert body["authentication"] == "jeton"
    assert body["token_scopes"] == ["household_view"]
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- Token authentication --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        {"revoked_at": timezone.now() - timedelta(minutes=1)},
        {"expires_at": timezone.now() - timedelta(seconds=1)},
    ],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_tokens_are_401(service_account: User, state: dict[str, object]) -> None:
    _, raw = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW], **state)
    response = Client().get(ME_URL, headers=bearer(raw))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["gch_00000000_inconnu", "n'importe quoi", "gch_"])
def test_unknown_or_malformed_tokens_are_401(raw: str) -> None:
    assert Client().get(ME_URL, headers=bearer(raw)).status_code == 401


@pytest.mark.django_db
def test_a_token_with_the_right_prefix_but_a_wrong_secret_is_401(service_account: User) -> None:
    _, raw = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW])
    assert Client().get(ME_URL, headers=bearer(raw[:-2] + "xx")).status_code == 401


@pytest.mark.django_db
def test_a_bad_token_is_401_even_with_a_valid_session(accueil: User) -> None:
    client = Client()
    client.force_login(accueil)
    assert client.get(ME_URL, headers=bearer("gch_00000000_inconnu")).status_code == 401


@pytest.mark.django_db
def test_a_token_of_a_deactivated_account_is_401(service_account: User) -> None:
    _, raw = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW])
    service_account.is_active = False
    service_account.save()
    assert Client().get(ME_URL, headers=bearer(raw)).status_code == 401


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_token_of_a_demo_account_is_401_outside_the_demo() -> None:
    accueil = services.demo_accounts_ensure(password="demo-guichet")[0]
    _, raw = make_api_token(accueil, [Perm.HOUSEHOLD_VIEW])
    assert Client().get(ME_URL, headers=bearer(raw)).status_code == 401


@pytest.mark.django_db
@pytest.mark.urls(SCOPED)
def test_token_scopes_are_enforced(service_account: User) -> None:
    _, in_scope = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW])
    _, out_of_scope = make_api_token(service_account, [Perm.HOUSEHOLD_EXPORT])
    assert Client().get("/essai/menages-essai", headers=bearer(in_scope)).status_code == 200
    refused = Client().get("/essai/menages-essai", headers=bearer(out_of_scope))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Ce jeton d'API ne couvre pas cette opération."


@pytest.mark.django_db
@pytest.mark.urls(SCOPED)
def test_a_token_never_exceeds_its_user_rights(direction: User) -> None:
    _, raw = make_api_token(direction, [Perm.HOUSEHOLD_VIEW])  # stored by hand: the service would refuse it
    assert Client().get("/essai/menages-essai", headers=bearer(raw)).status_code == 403


@pytest.mark.django_db
@pytest.mark.urls(SCOPED)
def test_session_writes_need_the_csrf_token_but_token_writes_do_not(accueil: User, service_account: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(accueil)
    refused = browser.post("/essai/ecriture-essai")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["title"]
    browser.get(reverse("accounts:login"))
    accepted = browser.post("/essai/ecriture-essai", headers={"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert accepted.status_code == 200
    _, raw = make_api_token(service_account, [Perm.HOUSEHOLD_VIEW])
    assert Client(enforce_csrf_checks=True).post("/essai/ecriture-essai", headers=bearer(raw)).status_code == 200


# --- Token services and screens --------------------------------------------------------------


@pytest.mark.django_db
def test_token_create_stores_only_the_hash_and_is_audited(admin_user: User, service_account: User) -> None:
    token, raw = services.api_token_create(
        actor=admin_user, user=service_account, name="Observatoire", scopes=[Perm.HOUSEHOLD_VIEW]
    )
    assert raw.startswith(f"gch_{token.prefix}_")
    assert token.key_hash == token_hash(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    entry = AuditEntry.objects.get(target_type="api_token", target_id=str(token.pk))
    assert entry.action == Action.CREATE
    assert entry.actor == admin_user
    assert raw not in entry.reason


@pytest.mark.django_db
def test_token_create_refuses_scopes_the_user_does_not_hold(admin_user: User, direction: User) -> None:
    with pytest.raises(AccountError, match="ne détient pas"):
        services.api_token_create(actor=admin_user, user=direction, name="x", scopes=[Perm.HOUSEHOLD_VIEW])
    with pytest.raises(AccountError, match="au moins une permission"):
        services.api_token_create(actor=admin_user, user=direction, name="x", scopes=[])
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_token_revoke_is_audited_and_takes_effect(admin_user: User, service_account: User) -> None:
    token, raw = services.api_token_create(
        actor=admin_user, user=service_account, name="Observatoire", scopes=[Perm.HOUSEHOLD_VIEW]
    )
    assert Client().get(ME_URL, headers=bearer(raw)).status_code == 200
    services.api_token_revoke(actor=admin_user, token=token)
    assert Client().get(ME_URL, headers=bearer(raw)).status_code == 401
    revoked = AuditEntry.objects.filter(target_type="api_token", action=Action.UPDATE).get()
    assert revoked.fields == ["revoked_at"]


@pytest.mark.django_db
def test_token_screens_show_the_secret_once_then_only_the_prefix(admin_user: User, service_account: User) -> None:
    client = Client()
    client.force_login(admin_user)
    created = client.post(
        reverse("accounts:api_tokens"),
        {"name": "Export observatoire", "user": service_account.pk, "scopes": ["household_view"], "lifetime": "30"},
    )
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    page = created.content.decode()
    secret = page.split('<code class="secret">')[1].split("</code>")[0]
    assert token.key_hash == token_hash(secret)
    assert token.expires_at is not None and token.expires_at > timezone.now() + timedelta(days=29)
    listing = client.get(reverse("accounts:api_tokens")).content.decode()
    assert f"gch_{token.prefix}…" in listing
    assert secret not in listing
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.django_db
def test_token_screen_explains_a_refused_scope(admin_user: User, direction: User) -> None:
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:api_tokens"), {"name": "Stats", "user": direction.pk, "scopes": ["household_view"]}
    )
    assert response.status_code == 400
    assert "ne détient pas" in response.content.decode()
    assert 'value="Stats"' in response.content.decode()
