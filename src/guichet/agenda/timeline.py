"""The household's appointments on its timeline ("Rendez-vous") and their move on a merge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from guichet.agenda.models import Appointment
from guichet.agenda.selectors import household_appointments
from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent


def appointment_events(user: Any, household: Household) -> Iterable[TimelineEvent]:
    """The household's appointments; the timeline is shown only to users who may open the household."""
    for appointment in household_appointments(household.pk):
        local = timezone.localtime(appointment.starts_at)
        yield TimelineEvent(
            when=appointment.starts_at,
            kind="Rendez-vous",
            title=f"{local:%d/%m/%Y %H:%M} — {appointment.place.name} ({appointment.get_status_display()})",
            detail=appointment.reason,
            url=reverse("agenda:detail", args=[appointment.pk]),
            actor=appointment.agent.get_full_name() or appointment.agent.get_username(),
        )


def move_appointments(source: Household, target: Household) -> int:
    return Appointment.objects.filter(household=source).update(household=target)
