"""Factories of the agenda (appointments at the seeded example places)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from guichet.agenda.models import Appointment, Place
from tests.factories import HouseholdFactory, UserFactory


def next_slot(days: int = 1, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    agent = factory.SubFactory(UserFactory)
    household = factory.SubFactory(HouseholdFactory)
    place = factory.LazyFunction(lambda: Place.objects.order_by("pk").first())
    starts_at = factory.LazyFunction(next_slot)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=30))
    reason = "Point sur le dossier"
