"""Where the accounts services write their audit entries.

The audit app sits one layer above accounts (its views use the access rules), so accounts cannot
import it. Instead the audit app registers its recorder here when Django starts; until it has,
an audited write is refused rather than silently left out of the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

# Values of guichet.audit.enums.Action used by accounts (checked by tests/accounts/test_audit_sink.py).
ACTION_CREATE = "create"
ACTION_UPDATE = "update"
ACTION_PERMISSION_CHANGE = "permission_change"

AuditSink = Callable[..., object]

_sink: list[AuditSink] = []


def register_audit_sink(sink: AuditSink) -> None:
    """Install the recorder (``guichet.audit.services.audit_record``); called from the audit app's ``ready()``."""
    _sink[:] = [sink]


def audit(
    *,
    actor: Any,
    action: str,
    target_type: str,
    target_id: object,
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    channel: str = "web",
) -> None:
    if not _sink:
        raise ImproperlyConfigured("No audit recorder registered: is guichet.audit in INSTALLED_APPS?")
    _sink[0](
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        fields=list(fields),
        reason=reason,
        request=request,
        channel=channel,
    )
