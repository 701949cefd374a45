"""Authentication of the JSON API: a bearer API token (service accounts) or the browser session (with CSRF).

A request carrying a bearer token is judged on that token only: an unknown, revoked or expired token
is a 401 even if a session cookie is present.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from guichet.accounts.tokens import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer gch_…``: sets ``request.user`` and ``request.api_token_scopes``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            raise AuthenticationError(401, "Jeton d'API inconnu, révoqué ou expiré.")
        request.user = api_token.user
        request.api_token_scopes = list(api_token.scopes)  # type: ignore[attr-defined]
        return api_token


class GuichetSessionAuth(SessionAuth):
    """The browser session, with Django's CSRF check on unsafe methods (French message on failure)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "Jeton CSRF absent ou invalide : rechargez la page et réessayez.")
        return request.COOKIES.get(self.param_name)


api_auth = [ApiTokenAuth(), GuichetSessionAuth()]
