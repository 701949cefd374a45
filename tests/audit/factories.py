"""Audit entries written through the real recorder (the chain cannot be faked from outside)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock

from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.audit.services import audit_record, audit_seal


def record(*, at: datetime | None = None, **kwargs: Any) -> AuditEntry:
    """Append an entry, dated ``at`` when given (the recorder reads the clock itself), and seal it
    (what the platform does once the transaction commits; tests run inside one that never does)."""
    values: dict[str, Any] = {"actor": None, "action": Action.READ, "target_type": "household", "target_id": 1}
    values.update(kwargs)
    if at is None:
        entry = audit_record(**values)
    else:
        with mock.patch.object(timezone, "now", return_value=at):
            entry = audit_record(**values)
    audit_seal()
    entry.refresh_from_db()
    return entry
