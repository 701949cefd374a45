"""Second factor: required for responsables and administrateurs (outside the demo), and for anyone who enrolled.

A signed-in user who must present a second factor and has not yet done so in this session can only
reach the enrolment, verification and logout pages (and static files); other pages redirect there
and API calls made with the session get a 403 problem.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from guichet.accounts.perms import second_factor_required
from guichet.accounts.selectors import user_has_totp

TOUCH_KEY = "_guichet_seen"
OPEN_URL_NAMES = ("accounts:login", "accounts:logout", "accounts:otp_setup", "accounts:otp_verify")


EXEMPT_KEY = "_guichet_2fa_exempt_until"
EXEMPT_SECONDS = 60


def _second_factor_missing(request: HttpRequest) -> str | None:
    """``"verify"`` or ``"setup"`` when the user must still present a second factor, else None.

    A user who needs none (no device, role without the requirement) is remembered as exempt in the
    session for a minute, which spares two queries on nearly every page; a new device or a new role
    takes effect within that minute."""
    user: Any = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    session = getattr(request, "session", None)
    now = int(time.time())
    if session is not None and session.get(EXEMPT_KEY, 0) > now:
        return None
    if user_has_totp(user):
        return "verify"
    if second_factor_required(user):
        return "setup"
    if session is not None:
        session[EXEMPT_KEY] = now + EXEMPT_SECONDS
    return None


class Require2FAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: tuple[str, ...] = ()

    def open_paths(self) -> tuple[str, ...]:
        if not self._open_paths:
            self._open_paths = (*(reverse(name) for name in OPEN_URL_NAMES), settings.STATIC_URL)
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(self.open_paths()):
            return self.get_response(request)
        missing = _second_factor_missing(request)
        if missing is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": "Double authentification requise",
                    "status": 403,
                    "detail": "Validez votre second facteur dans le navigateur avant d'utiliser l'API.",
                    "instance": request.path,
                },
                status=403,
                content_type="application/problem+json",
            )
        target = reverse("accounts:otp_verify" if missing == "verify" else "accounts:otp_setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class SessionIdleMiddleware:
    """Sessions expire after ``SESSION_COOKIE_AGE`` of inactivity without writing the session on
    every request: the expiry is pushed back at most once per ``SESSION_TOUCH_INTERVAL`` seconds,
    which keeps a database write off nearly every page view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - int(session.get(TOUCH_KEY, 0)) >= settings.SESSION_TOUCH_INTERVAL:
                session[TOUCH_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
