"""Reads for the accounts screens and API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.enums import Perm, Role
from guichet.accounts.models import ApiToken, User


def user_list() -> QuerySet[User]:
    """Every account with its role groups and whether it has a confirmed second factor (``has_totp``)."""
    return (
        User.objects.prefetch_related("groups")
        .annotate(has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def agents_holding(perm: Perm) -> list[tuple[int, str]]:
    """Active accounts that hold ``perm`` through a role, as (id, « first last » or user name), by name:
    the choices of an « agent » select."""
    agents = (
        User.objects.filter(is_active=True, groups__permissions__codename=perm.value)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    # The label of ``get_full_name() or get_username()``, without building a model instance per agent.
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in agents]


def user_has_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def user_named_permissions(user: User, *, scopes: list[str] | None = None) -> list[Perm]:
    """The named permissions ``user`` holds, limited to an API token's ``scopes`` when given."""
    held = [perm for perm in Perm if user.has_perm(perm.full)]
    return held if scopes is None else [perm for perm in held if perm.value in scopes]


def user_roles(user: User) -> list[Role]:
    return user.roles


def api_token_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user", "created_by")


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    status: str
    scope_labels: list[str]


def api_token_rows(*, now: datetime) -> list[TokenRow]:
    labels = dict(Perm.choices)
    return [
        TokenRow(token=token, status=token.status_label(now), scope_labels=[labels.get(s, s) for s in token.scopes])
        for token in api_token_list()
    ]
