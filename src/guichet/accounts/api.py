"""API operations of accounts: the current user."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.models import User
from guichet.accounts.selectors import user_named_permissions

router = Router(tags=["comptes"])


class CodeLabelOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[CodeLabelOut]
    permissions: list[CodeLabelOut]
    authentication: str
    token_scopes: list[str] | None = None


@router.get("/moi", response=MeOut, summary="Utilisateur courant", operation_id="moi")
@api_require_perm()
def me(request: HttpRequest) -> MeOut:
    """Le compte appelant : identifiant, nom, rôles et permissions effectives (limitées par le jeton éventuel)."""
    user: User = request.user  # type: ignore[assignment]
    scopes: list[str] | None = getattr(request, "api_token_scopes", None)
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        roles=[CodeLabelOut(code=role.value, label=role.label) for role in user.roles],
        permissions=[CodeLabelOut(code=p.value, label=p.label) for p in user_named_permissions(user, scopes=scopes)],
        authentication="jeton" if scopes is not None else "session",
        token_scopes=scopes,
    )
