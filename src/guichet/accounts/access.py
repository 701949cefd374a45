"""Declared access rules for every view and API operation.

Each view carries an ``access_rule``; the permission-matrix test walks every URL pattern and API
operation and fails when one has none. Object-level checks (a given household) happen in the
``get_<thing>_for_user`` helpers of each app's ``perms.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from guichet.accounts.enums import Perm

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    """Who may call a view: anyone (public), any logged-in user, users holding all of ``perms``,
    and — when ``any_of`` is set — at least one of ``any_of`` too."""

    public: bool = False
    perms: tuple[Perm, ...] = ()
    any_of: tuple[Perm, ...] = ()

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        if self.any_of and not any(user.has_perm(perm.full) for perm in self.any_of):
            return False
        return all(user.has_perm(perm.full) for perm in self.perms)


def public_view(view: ViewFunc) -> ViewFunc:
    """Mark a view as reachable without login (public portal, login page, health check)."""
    view.access_rule = AccessRule(public=True)  # type: ignore[attr-defined]
    return view


def require_perm(*perms: Perm, any_of: tuple[Perm, ...] = ()) -> Callable[[ViewFunc], ViewFunc]:
    """Require login and every named permission (and one of ``any_of`` if given); anonymous users go
    to the login page, others get 403."""

    rule = AccessRule(perms=tuple(perms), any_of=any_of)

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request.user):
                raise PermissionDenied("Vous n'avez pas les droits nécessaires pour cette page.")
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


login_only = require_perm()
"""Any logged-in user (home page, own profile, logout)."""
