"""User management by the administrator: services (audited) and screens; demo accounts."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import services
from guichet.accounts.enums import Role
from guichet.accounts.exceptions import AccountError
from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.accounts.factories import TOTPDeviceFactory
from tests.factories import UserFactory

STRONG_PASSWORD = "une phrase de passe solide 2026"


def entries_for(user: User) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(target_type="user", target_id=str(user.pk)))


# --- Demo accounts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_accounts_are_created_once_with_their_role() -> None:
    first = services.demo_accounts_ensure(password="demo-guichet")
    again = services.demo_accounts_ensure(password="demo-guichet")
    assert [user.pk for user in first] == [user.pk for user in again]
    by_name = {user.username: user for user in User.objects.filter(is_demo=True)}
    assert set(by_name) == {"accueil", "social", "responsable", "direction", "admin"}
    assert by_name["social"].roles == [Role.TRAVAILLEUR_SOCIAL]
    assert by_name["admin"].roles == [Role.ADMINISTRATEUR]
    assert all(user.get_full_name() for user in by_name.values())
    assert AuditEntry.objects.filter(action=Action.CREATE, target_type="user").count() == 5


@pytest.mark.django_db
def test_demo_accounts_get_the_new_password_and_their_role_back() -> None:
    services.demo_accounts_ensure(password="demo-guichet")
    social = User.objects.get(username="social")
    social.groups.clear()
    social.is_active = False
    social.save()
    services.demo_accounts_ensure(password="autre-mot-de-passe")
    social.refresh_from_db()
    assert social.is_active
    assert social.check_password("autre-mot-de-passe")
    assert social.roles == [Role.TRAVAILLEUR_SOCIAL]


# --- Services --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_create_with_a_password(admin_user: User) -> None:
    user = services.user_create(
        actor=admin_user,
        username="n.diallo",
        first_name="Nadia",
        last_name="Diallo",
        email="n.diallo@example.org",
        roles=[Role.TRAVAILLEUR_SOCIAL],
        password=STRONG_PASSWORD,
    )
    assert user.roles == [Role.TRAVAILLEUR_SOCIAL]
    assert user.check_password(STRONG_PASSWORD)
    [entry] = entries_for(user)
    assert entry.action == Action.CREATE
    assert entry.actor == admin_user
    assert "roles" in entry.fields and "password" in entry.fields
    assert "Travailleur social" in entry.reason


@pytest.mark.django_db
def test_user_create_without_a_password_leaves_it_unusable(admin_user: User) -> None:
    user = services.user_create(actor=admin_user, username="sans-mdp", first_name="A", last_name="B")
    assert not user.has_usable_password()
    assert "password" not in entries_for(user)[0].fields


@pytest.mark.django_db
def test_user_create_refuses_a_weak_password_and_a_taken_name(admin_user: User) -> None:
    with pytest.raises(ValidationError) as weak:
        services.user_create(actor=admin_user, username="faible", first_name="A", last_name="B", password="123")
    assert "trop court" in " ".join(weak.value.messages)
    UserFactory(username="pris")
    with pytest.raises(ValidationError) as taken:
        services.user_create(actor=admin_user, username="pris", first_name="A", last_name="B")
    assert "username" in taken.value.message_dict
    assert not User.objects.filter(username="faible").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accueil", "social", "responsable", "direction", "outsider"])
def test_only_administrators_manage_users(persona: type, name: str) -> None:
    actor = persona(name)
    target = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_create(actor=actor, username="intrus", first_name="A", last_name="B")
    with pytest.raises(PermissionDenied):
        services.user_set_roles(actor=actor, user=target, roles=[Role.RESPONSABLE])
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=actor, user=target, active=False)
    assert target.roles == []


@pytest.mark.django_db
def test_user_set_roles_is_audited_as_a_permission_change(admin_user: User) -> None:
    user = UserFactory(roles=[Role.ACCUEIL])
    services.user_set_roles(actor=admin_user, user=user, roles=[Role.TRAVAILLEUR_SOCIAL, Role.RESPONSABLE])
    assert sorted(user.roles) == sorted([Role.TRAVAILLEUR_SOCIAL, Role.RESPONSABLE])
    assert user.has_perm("accounts.decide")
    [entry] = entries_for(user)
    assert entry.action == Action.PERMISSION_CHANGE
    assert entry.fields == ["roles"]
    assert entry.reason == "rôles ajoutés : Responsable, Travailleur social ; rôles retirés : Accueil"


@pytest.mark.django_db
def test_user_set_roles_without_change_writes_nothing(admin_user: User) -> None:
    user = UserFactory(roles=[Role.ACCUEIL])
    services.user_set_roles(actor=admin_user, user=user, roles=[Role.ACCUEIL])
    assert entries_for(user) == []


@pytest.mark.django_db
def test_an_administrator_cannot_remove_their_own_administrator_role(admin_user: User) -> None:
    with pytest.raises(AccountError, match="propre rôle d'administrateur"):
        services.user_set_roles(actor=admin_user, user=admin_user, roles=[Role.RESPONSABLE])
    assert admin_user.roles == [Role.ADMINISTRATEUR]
    services.user_set_roles(actor=admin_user, user=admin_user, roles=[Role.ADMINISTRATEUR, Role.DIRECTION])
    assert sorted(admin_user.roles) == sorted([Role.ADMINISTRATEUR, Role.DIRECTION])


@pytest.mark.django_db
def test_user_set_active_is_audited_and_blocks_sign_in(admin_user: User) -> None:
    user = UserFactory(username="a-desactiver")
    services.user_set_active(actor=admin_user, user=user, active=False)
    request = RequestFactory().post(reverse("accounts:login"))
    assert authenticate(request, username="a-desactiver", password="motdepasse-de-test") is None
    services.user_set_active(actor=admin_user, user=user, active=True)
    assert [(e.action, e.fields) for e in entries_for(user)] == [
        (Action.UPDATE, ["is_active"]),
        (Action.UPDATE, ["is_active"]),
    ]
    with pytest.raises(AccountError, match="propre compte"):
        services.user_set_active(actor=admin_user, user=admin_user, active=False)


# --- Screens ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_user_list_shows_roles_and_status(admin_client: Client) -> None:
    UserFactory(first_name="Inès", last_name="Roux", roles=[Role.RESPONSABLE], is_active=False)
    page = admin_client.get(reverse("accounts:users")).content.decode()
    assert "Inès Roux" in page
    assert "Responsable" in page
    assert "désactivé" in page


@pytest.mark.django_db
def test_user_list_does_not_query_per_user(admin_client: Client, django_assert_max_num_queries: object) -> None:
    for _ in range(15):
        UserFactory(roles=[Role.ACCUEIL])
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert admin_client.get(reverse("accounts:users")).status_code == 200


@pytest.mark.django_db
def test_create_screen_with_a_password(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "m.leroy",
            "first_name": "Marc",
            "last_name": "Leroy",
            "email": "",
            "roles": ["accueil"],
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    user = User.objects.get(username="m.leroy")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.roles == [Role.ACCUEIL]


@pytest.mark.django_db
def test_create_screen_re_renders_errors_and_keeps_the_input(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "j.petit",
            "first_name": "Julie",
            "last_name": "Petit",
            "password1": "court",
            "password2": "court",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "trop court" in page
    assert 'value="Julie"' in page
    assert 'aria-invalid="true"' in page
    assert not User.objects.filter(username="j.petit").exists()


@pytest.mark.django_db
def test_create_screen_without_password_gives_a_working_set_password_link(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "l.morel", "first_name": "Lucie", "last_name": "Morel", "roles": ["travailleur_social"]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    link = re.search(r"http://testserver(/comptes/mot-de-passe/[^<\s]+)", response.content.decode())
    assert link is not None
    newcomer = Client()
    form_page = newcomer.get(link.group(1), follow=True)
    assert "Choisir mon mot de passe" in form_page.content.decode()
    done = newcomer.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD},
    )
    assert done.status_code == 302
    assert User.objects.get(username="l.morel").check_password(STRONG_PASSWORD)
    assert "n'est pas valide" in newcomer.get(link.group(1), follow=True).content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_roles_screen_changes_roles_and_refuses_self_demotion(admin_client: Client, admin_user: User) -> None:
    user = UserFactory(roles=[Role.ACCUEIL])
    url = reverse("accounts:user_detail", args=[user.pk])
    assert admin_client.post(url, {"roles": ["direction"]}).status_code == 302
    assert user.roles == [Role.DIRECTION]
    own = admin_client.post(reverse("accounts:user_detail", args=[admin_user.pk]), {"roles": ["responsable"]})
    assert own.status_code == 400
    assert "propre rôle" in own.content.decode()
    assert admin_user.roles == [Role.ADMINISTRATEUR]


@pytest.mark.django_db
def test_activation_screen(admin_client: Client) -> None:
    user = UserFactory()
    url = reverse("accounts:user_set_active", args=[user.pk])
    assert admin_client.post(url, {"active": "0"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    admin_client.post(url, {"active": "1"})
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_second_factor_reset_screen(admin_client: Client) -> None:
    user = UserFactory(roles=[Role.RESPONSABLE])
    TOTPDeviceFactory(user=user)
    response = admin_client.post(reverse("accounts:user_second_factor_reset", args=[user.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert entries_for(user)[-1].fields == ["second_factor"]


@pytest.mark.django_db
def test_unknown_user_is_a_404(admin_client: Client) -> None:
    assert admin_client.get(reverse("accounts:user_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_management_screens_are_403_for_other_roles(responsable: User) -> None:
    client = Client()
    client.force_login(responsable)
    user = UserFactory()
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.post(reverse("accounts:user_set_active", args=[user.pk]), {"active": "0"}).status_code == 403
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_demo_accounts_command_prints_the_accounts() -> None:
    out = io.StringIO()
    call_command("demo_accounts", "--password", "demo-guichet", stdout=out, stderr=io.StringIO())
    printed = out.getvalue()
    assert "mot de passe : demo-guichet" in printed
    assert "responsable" in printed and "Direction / élu" in printed
    assert User.objects.get(username="direction").check_password("demo-guichet")


def test_role_change_takes_effect_at_once_despite_the_permission_cache(
    db: None, django_capture_on_commit_callbacks
) -> None:  # noqa: E501
    from guichet.accounts.enums import Perm, Role
    from guichet.accounts.models import User
    from guichet.accounts.services import user_set_roles
    from tests.conftest import make_persona

    admin = make_persona("admin")
    agent = make_persona("accueil")
    assert User.objects.get(pk=agent.pk).has_perm(Perm.HOUSEHOLD_VIEW.full)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        user_set_roles(actor=admin, user=agent, roles=[Role.DIRECTION])
    fresh = User.objects.get(pk=agent.pk)
    assert not fresh.has_perm(Perm.HOUSEHOLD_VIEW.full)
    assert fresh.has_perm(Perm.STATS_VIEW.full)
