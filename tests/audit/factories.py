"""Audit entries written through the real recorder (the chain cannot be faked from outside)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock

from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.audit.services import audit_record


def record(*, at: datetime | None = None, **kwargs: Any) -> AuditEntry:
    """Append an entry, dated ``at`` when given (the recorder reads the clock itself)."""
    values: dict[str, Any] = {"actor": None, "action": Action.READ, "target_type": "household", "target_id": 1}
    values.update(kwargs)
    if at is None:
        return audit_record(**values)
    with mock.patch.object(timezone, "now", return_value=at):
        return audit_record(**values)
