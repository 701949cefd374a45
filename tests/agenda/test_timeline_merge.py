"""Appointments on the household timeline and moved when two household files are merged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.agenda.models import Appointment
from guichet.households.services import household_merge
from guichet.households.timeline import household_timeline
from tests.agenda.factories import AppointmentFactory
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_timeline_shows_appointments(accueil):
    appointment = AppointmentFactory(reason="Aide au loyer")
    events = [e for e in household_timeline(accueil, appointment.household) if e.kind == "Rendez-vous"]
    assert len(events) == 1
    assert events[0].detail == "Aide au loyer"
    assert events[0].url == reverse("agenda:detail", args=[appointment.pk])
    client = Client()
    client.force_login(accueil)
    page = client.get(reverse("households:detail", args=[appointment.household.pk])).content.decode()
    assert "Aide au loyer" in page


def test_merge_moves_appointments(responsable):
    source, target = HouseholdFactory(), HouseholdFactory()
    appointment = AppointmentFactory(household=source)
    moved = household_merge(user=responsable, source=source, target=target)
    assert Appointment.objects.get(pk=appointment.pk).household_id == target.pk
    assert moved.get("agenda.appointments") == 1
