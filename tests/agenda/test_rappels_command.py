"""``guichet rappels``: both reminder jobs once, without Celery beat."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from guichet.agenda.models import SmsMessage
from tests.agenda.factories import AppointmentFactory
from tests.desk.factories import ReferralFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("rappels", *args, stdout=out)
    return out.getvalue()


def test_rappels_runs_both_jobs_once():
    sent = timezone.localdate() - dt.timedelta(days=20)
    referral = ReferralFactory(sent_on=sent, reminder_due_on=sent + dt.timedelta(days=10))
    appointment = AppointmentFactory(
        household=HouseholdFactory(phone="06 12 34 56 78", email="menage@example.org"),
        starts_at=timezone.now() + dt.timedelta(hours=3),
    )
    output = _run()
    assert "Rendez-vous : 1 rappel(s) envoyé(s)." in output
    assert "Orientations : 1 relance(s) à faire signalée(s)." in output
    appointment.refresh_from_db()
    referral.refresh_from_db()
    assert appointment.reminder_sent_at is not None and referral.reminder_sent_at is not None
    assert SmsMessage.objects.count() == 1
    assert "menage@example.org" in [address for message in mail.outbox for address in message.to]
    again = _run()  # idempotent
    assert "Rendez-vous : 0 rappel(s) envoyé(s)." in again and "Orientations : 0 relance(s)" in again
    assert SmsMessage.objects.count() == 1


def test_rappels_only_one_job():
    AppointmentFactory(starts_at=timezone.now() + dt.timedelta(hours=3))
    output = _run("--seulement", "orientations")
    assert "Orientations" in output and "Rendez-vous" not in output
    assert "Rendez-vous : 1 rappel(s)" in _run("--seulement", "rendez-vous")
    with pytest.raises(CommandError):
        _run("--seulement", "tout")
