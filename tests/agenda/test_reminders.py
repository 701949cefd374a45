"""Reminders: sent once for appointments in the next 24 hours, by e-mail and SMS (recorded only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import SmsMessage
from guichet.agenda.tasks import appointment_reminders_task
from tests.agenda.factories import AppointmentFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_reminders_sent_once_for_next_24_hours():
    now = timezone.now()
    household = HouseholdFactory(phone="06 12 34 56 78", email="menage@example.org")
    soon = AppointmentFactory(household=household, starts_at=now + dt.timedelta(hours=5))
    AppointmentFactory(household=household, starts_at=now + dt.timedelta(hours=30))
    AppointmentFactory(household=household, starts_at=now - dt.timedelta(hours=1))
    AppointmentFactory(household=household, starts_at=now + dt.timedelta(hours=6), status=AppointmentStatus.CANCELLED)
    assert appointment_reminders_task() == 1
    assert appointment_reminders_task() == 0
    soon.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["menage@example.org"]
    sms = SmsMessage.objects.get()
    assert sms.to == "06 12 34 56 78"
    assert soon.place.name in sms.body and "Rappel" in sms.body


def test_no_contact_no_message_but_marked():
    appointment = AppointmentFactory(
        household=HouseholdFactory(phone="", email=""), starts_at=timezone.now() + dt.timedelta(hours=2)
    )
    assert appointment_reminders_task() == 1
    assert not SmsMessage.objects.exists() and not mail.outbox
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is not None
