"""Access rules for API operations, the same ``AccessRule`` as the pages.

``@api_require_perm(Perm.X)`` goes under the router decorator. Authentication (session or token)
is done by the router's ``auth``; this checks the named permissions and, for a token, its scopes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guichet.accounts.access import AccessRule
from guichet.accounts.enums import Perm

Func = TypeVar("Func", bound=Callable[..., Any])


def api_require_perm(*perms: Perm, any_of: tuple[Perm, ...] = ()) -> Callable[[Func], Func]:
    """Every one of ``perms`` and, when ``any_of`` is given, at least one of ``any_of`` (a token
    must cover the same)."""
    rule = AccessRule(perms=tuple(perms), any_of=any_of)

    def decorator(func: Func) -> Func:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not rule.allows(request.user):
                raise PermissionDenied("Vous n'avez pas les droits nécessaires pour cette opération.")
            token_scopes = getattr(request, "api_token_scopes", None)
            if token_scopes is not None and (
                not set(perms) <= set(token_scopes) or (any_of and not set(any_of) & set(token_scopes))
            ):
                raise PermissionDenied("Ce jeton d'API ne couvre pas cette opération.")
            return func(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
