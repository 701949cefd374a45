"""The household's appointments on its timeline ("Rendez-vous") and their move on a merge."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment, Place
from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent, pk_url, user_name


def appointment_events(household: Household) -> Iterable[TimelineEvent]:
    """The household's appointments; the timeline is shown only to users who may open the household."""
    statuses = dict(AppointmentStatus.choices)
    url = pk_url("agenda:detail")
    rows = Appointment.objects.filter(household_id=household.pk).values_list(
        "pk", "starts_at", "status", "reason", "place__name", "agent__first_name", "agent__last_name", "agent__username"
    )
    for pk, starts_at, status, reason, place, first_name, last_name, username in rows:
        local = timezone.localtime(starts_at)
        yield TimelineEvent(
            when=starts_at,
            kind="Rendez-vous",
            title=f"{local:%d/%m/%Y %H:%M} — {place} ({statuses.get(status, status)})",
            detail=reason,
            url=url(pk),
            actor=user_name(first_name, last_name, username),
        )


def place_households(place: Place) -> list[int]:
    """The households with an appointment at ``place`` (their events show its name)."""
    return list(Appointment.objects.filter(place=place).values_list("household_id", flat=True).distinct())


def move_appointments(source: Household, target: Household) -> int:
    return Appointment.objects.filter(household=source).update(household=target)
