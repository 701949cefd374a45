"""Scheduled work of the audit log (the beat schedule in settings names ``audit_purge_task``)."""

from __future__ import annotations

from celery import shared_task

from guichet.audit.services import audit_purge, audit_seal


@shared_task(name="guichet.audit.tasks.audit_purge_task")  # type: ignore[untyped-decorator]  # celery is untyped
def audit_purge_task(older_than_days: int | None = None) -> int:
    """Apply the retention period; safe to run twice (the second run removes and writes nothing)."""
    return audit_purge(older_than_days=older_than_days, channel="task").removed


@shared_task(name="guichet.audit.tasks.audit_seal_task")  # type: ignore[untyped-decorator]  # celery is untyped
def audit_seal_task() -> int:
    """Safety net of the sealer threads (a process that stopped before sealing): seal what is pending."""
    return audit_seal()
