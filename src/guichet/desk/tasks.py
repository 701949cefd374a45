"""Scheduled work of the guichet (the beat schedule in settings names ``referral_reminders_task``)."""

from __future__ import annotations

from celery import shared_task

from guichet.desk.services import referral_reminders


@shared_task(name="guichet.desk.tasks.referral_reminders_task")  # type: ignore[untyped-decorator]  # celery is untyped
def referral_reminders_task() -> int:
    """Flag referrals left without answer past the partner's delay and e-mail the agents; idempotent."""
    return referral_reminders()
