"""Account policy: who may sign in, who needs a second factor, which users an administrator may manage."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from guichet.accounts.enums import Perm, Role
from guichet.accounts.models import ApiToken, User

ROLES_REQUIRING_SECOND_FACTOR = (Role.RESPONSABLE, Role.ADMINISTRATEUR)

DEMO_ACCOUNT_REFUSED = (
    "Ce compte de démonstration n'existe que sur la démo embarquée : "
    "il est refusé sur une installation réelle. Utilisez votre compte personnel."
)


def demo_account_refused(user: Any) -> bool:
    """Demo accounts (``is_demo``) may sign in only on the embedded demo, that is when ``DEBUG`` is on."""
    return bool(getattr(user, "is_demo", False)) and not settings.DEBUG


def account_may_sign_in(user: Any) -> bool:
    """An account may authenticate (password, session or API token) if it is active and not a refused demo account."""
    return bool(getattr(user, "is_active", False)) and not demo_account_refused(user)


def second_factor_required(user: User) -> bool:
    """Responsables and administrateurs need a second factor when ``GUICHET_REQUIRE_2FA`` is on (off in the demo)."""
    if not settings.GUICHET_REQUIRE_2FA:
        return False
    return user.groups.filter(name__in=[role.value for role in ROLES_REQUIRING_SECOND_FACTOR]).exists()


def get_user_for_manager(actor: User, pk: int) -> User:
    """An administrator (``USERS_MANAGE``) may see and manage any account."""
    if not actor.has_perm(Perm.USERS_MANAGE.full):
        raise PermissionDenied("Vous n'avez pas les droits nécessaires pour gérer les comptes.")
    return get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)


def get_api_token_for_manager(actor: User, pk: int) -> ApiToken:
    """API tokens are managed by administrators only (``USERS_MANAGE``)."""
    if not actor.has_perm(Perm.USERS_MANAGE.full):
        raise PermissionDenied("Vous n'avez pas les droits nécessaires pour gérer les comptes.")
    return get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
