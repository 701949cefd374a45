"""Scheduled work of the agenda (the beat schedule in settings names ``appointment_reminders_task``)."""

from __future__ import annotations

from celery import shared_task

from guichet.agenda.services import appointment_reminders


@shared_task(name="guichet.agenda.tasks.appointment_reminders_task")  # type: ignore[untyped-decorator]  # celery is untyped
def appointment_reminders_task() -> int:
    """Remind households of their appointments in the next 24 hours (e-mail and SMS); idempotent."""
    return appointment_reminders()
