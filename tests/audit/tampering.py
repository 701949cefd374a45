"""Raw SQL that bypasses the model's and the trigger's refusals, as an attacker with database access would."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

TRIGGER = "audit_auditentry_append_only"


def raw_sql(sql: str, params: Sequence[object] = ()) -> None:
    """Run ``sql`` on the audit table with the PostgreSQL trigger disabled (inside the test transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")
