"""Every write on accounts: demo accounts, user management, second factor, API tokens. Each is audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.audit_sink import ACTION_CREATE, ACTION_PERMISSION_CHANGE, ACTION_UPDATE, audit
from guichet.accounts.backends import permissions_cache_clear
from guichet.accounts.enums import Perm, Role
from guichet.accounts.exceptions import AccountError, SecondFactorError
from guichet.accounts.models import ApiToken, User
from guichet.accounts.tokens import token_generate, token_hash

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    first_name: str
    last_name: str


DEMO_ACCOUNTS = (
    DemoAccount("accueil", Role.ACCUEIL, "Léa", "Martin"),
    DemoAccount("social", Role.TRAVAILLEUR_SOCIAL, "Karim", "Benali"),
    DemoAccount("responsable", Role.RESPONSABLE, "Sophie", "Lefèvre"),
    DemoAccount("direction", Role.DIRECTION, "Jean", "Moreau"),
    DemoAccount("admin", Role.ADMINISTRATEUR, "Nathalie", "Girard"),
)


def _audit(
    *,
    actor: User | None,
    action: str,
    target: User | ApiToken,
    fields: Iterable[str],
    reason: str,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> None:
    audit(
        actor=actor,
        action=action,
        target_type="user" if isinstance(target, User) else "api_token",
        target_id=target.pk,
        fields=fields,
        reason=reason,
        request=request,
        channel=channel,
    )


def _require_users_manage(actor: User) -> None:
    if not actor.has_perm(Perm.USERS_MANAGE.full):
        raise PermissionDenied("Vous n'avez pas les droits nécessaires pour gérer les comptes.")


def _role_groups(roles: Iterable[Role]) -> list[Group]:
    return list(Group.objects.filter(name__in=[Role(role).value for role in roles]))


def _user_roles(user: User) -> set[Role]:
    names = set(user.groups.values_list("name", flat=True))
    return {role for role in Role if role.value in names}


@transaction.atomic
def demo_accounts_ensure(*, password: str) -> list[User]:
    """Create or refresh the five demo accounts (one per role) with ``password``; safe to run again."""
    users = []
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.username)
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.is_demo = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.set(_role_groups([account.role]))
        if created:
            _audit(
                actor=None,
                action=ACTION_CREATE,
                target=user,
                fields=["username", "first_name", "last_name", "is_demo", "roles"],
                reason="Compte de démonstration",
                channel="cli",
            )
        users.append(user)
    return users


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    roles: Iterable[Role] = (),
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create an account. Without ``password`` it has none until its holder follows a set-password link.

    Raises ``django.core.exceptions.ValidationError`` (per field) for an invalid or taken user name,
    an invalid e-mail or a password refused by the validators.
    """
    _require_users_manage(actor)
    user = User(username=username.strip(), first_name=first_name.strip(), last_name=last_name.strip(), email=email)
    user.full_clean(exclude=["password"])
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    role_list = sorted({Role(role) for role in roles})
    user.groups.set(_role_groups(role_list))
    _audit(
        actor=actor,
        action=ACTION_CREATE,
        target=user,
        fields=["username", "first_name", "last_name", "email", "roles", *(["password"] if password else [])],
        reason=_roles_summary(added=role_list, removed=[]),
        request=request,
    )
    return user


def _roles_summary(*, added: Iterable[Role], removed: Iterable[Role]) -> str:
    parts = []
    if added:
        parts.append("rôles ajoutés : " + ", ".join(Role(role).label for role in added))
    if removed:
        parts.append("rôles retirés : " + ", ".join(Role(role).label for role in removed))
    return " ; ".join(parts)


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: Iterable[Role], request: HttpRequest | None = None) -> User:
    """Give ``user`` exactly ``roles``. An administrator cannot remove their own administrator role."""
    _require_users_manage(actor)
    wanted = {Role(role) for role in roles}
    current = _user_roles(user)
    if user.pk == actor.pk and Role.ADMINISTRATEUR in current and Role.ADMINISTRATEUR not in wanted:
        raise AccountError(
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur : demandez-le à un autre administrateur."
        )
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return user
    user.groups.remove(*_role_groups(removed))
    user.groups.add(*_role_groups(added))
    transaction.on_commit(lambda: permissions_cache_clear(user.pk))
    _audit(
        actor=actor,
        action=ACTION_PERMISSION_CHANGE,
        target=user,
        fields=["roles"],
        reason=_roles_summary(added=added, removed=removed),
        request=request,
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, request: HttpRequest | None = None) -> User:
    """Deactivate (the account can no longer sign in, its sessions and tokens stop working) or reactivate."""
    _require_users_manage(actor)
    if user.pk == actor.pk and not active:
        raise AccountError("Vous ne pouvez pas désactiver votre propre compte.")
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(
        actor=actor,
        action=ACTION_UPDATE,
        target=user,
        fields=["is_active"],
        reason="Compte réactivé" if active else "Compte désactivé",
        request=request,
    )
    return user


@transaction.atomic
def user_password_link_issue(*, actor: User, user: User, request: HttpRequest | None = None) -> tuple[str, str]:
    """The ``(uidb64, token)`` of a one-time set-password link for ``user`` (valid PASSWORD_RESET_TIMEOUT)."""
    _require_users_manage(actor)
    if not user.is_active:
        raise AccountError("Ce compte est désactivé : réactivez-le avant d'envoyer un lien de mot de passe.")
    _audit(
        actor=actor,
        action=ACTION_UPDATE,
        target=user,
        fields=["password"],
        reason="Lien de définition du mot de passe émis",
        request=request,
    )
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> None:
    """Remove every second-factor device of ``user`` (lost phone); they enrol again at their next sign-in."""
    _require_users_manage(actor)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(
        actor=actor,
        action=ACTION_UPDATE,
        target=user,
        fields=["second_factor"],
        reason="Double authentification réinitialisée",
        request=request,
    )


@transaction.atomic
def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator-app device being enrolled by ``user`` (created when absent)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _backup_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, code: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the enrolment with a first code from the app; returns fresh backup codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("Cet appareil ne vous appartient pas ou est déjà activé.")
    if not device.verify_token(code.replace(" ", "")):
        raise SecondFactorError("Code incorrect ou expiré : saisissez le code à 6 chiffres affiché par l'application.")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(user)
    _audit(
        actor=user,
        action=ACTION_UPDATE,
        target=user,
        fields=["second_factor"],
        reason="Double authentification activée",
        request=request,
    )
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """Replace the user's backup codes (the old ones stop working)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AccountError("Activez d'abord la double authentification.")
    codes = _backup_codes_replace(user)
    _audit(
        actor=user,
        action=ACTION_UPDATE,
        target=user,
        fields=["backup_codes"],
        reason="Codes de secours renouvelés",
        request=request,
    )
    return codes


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    user: User,
    name: str,
    scopes: Iterable[Perm],
    expires_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` limited to ``scopes``; returns it with its secret, which is never stored."""
    _require_users_manage(actor)
    scope_list = sorted({Perm(scope) for scope in scopes})
    if not scope_list:
        raise AccountError("Choisissez au moins une permission pour ce jeton.")
    missing = [scope for scope in scope_list if not user.has_perm(scope.full)]
    if missing:
        raise AccountError(
            f"Le compte « {user.get_username()} » ne détient pas : " + ", ".join(scope.label for scope in missing) + "."
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise AccountError("La date d'expiration doit être dans le futur.")
    prefix, raw = token_generate()
    token = ApiToken.objects.create(
        name=name.strip(),
        user=user,
        prefix=prefix,
        key_hash=token_hash(raw),
        scopes=[scope.value for scope in scope_list],
        created_by=actor,
        expires_at=expires_at,
    )
    _audit(
        actor=actor,
        action=ACTION_CREATE,
        target=token,
        fields=["name", "user", "scopes", "expires_at"],
        reason=f"Jeton {prefix} pour {user.get_username()} : " + ", ".join(scope.value for scope in scope_list),
        request=request,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke ``token`` at once; revoking twice keeps the first date."""
    _require_users_manage(actor)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(
        actor=actor,
        action=ACTION_UPDATE,
        target=token,
        fields=["revoked_at"],
        reason=f"Jeton {token.prefix} révoqué",
        request=request,
    )
    return token
