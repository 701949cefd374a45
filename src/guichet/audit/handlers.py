"""Login, logout and failed login, written to the audit log from Django's auth signals.

Signals carry no business here: each handler only records what happened. The password never
reaches the log (Django already masks it in ``credentials``; only the user name is read).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from guichet.audit.enums import Action
from guichet.audit.services import audit_record


def _channel(request: HttpRequest | None) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "web"


def _record_session(action: Action, user: Any, request: HttpRequest | None) -> None:
    audit_record(
        actor=user, action=action, target_type="user", target_id=user.pk, request=request, channel=_channel(request)
    )


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    _record_session(Action.LOGIN, user, request)


def on_user_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:  # None when logging out without a session: nobody to record
        _record_session(Action.LOGOUT, user, request)


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or ""
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        actor_username=str(attempted),
        request=request,
        channel=_channel(request),
    )
