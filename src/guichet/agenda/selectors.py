"""Reads of the agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment, Availability, Place
from guichet.agenda.slots import FreeSlot, Window, free_slots, within_windows
from guichet.households.timeline import user_name

FREE_SLOT_DAYS = 14
FREE_SLOT_LIMIT = 24


@dataclass(frozen=True)
class Day:
    date: dt.date
    appointments: list[Appointment]


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def agent_week(agent: Any, monday: dt.date) -> list[Day]:
    """The seven days from ``monday`` with ``agent``'s appointments of each day (all statuses)."""
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    end = start + dt.timedelta(days=7)
    rows = (
        Appointment.objects.filter(agent=agent, starts_at__gte=start, starts_at__lt=end)
        .select_related("household", "place")
        .order_by("starts_at")
    )
    by_day: dict[dt.date, list[Appointment]] = {monday + dt.timedelta(days=i): [] for i in range(7)}
    for row in rows:
        by_day[timezone.localtime(row.starts_at).date()].append(row)
    return [Day(date=day, appointments=items) for day, items in by_day.items()]


def feed_appointments(agent: Any, now: dt.datetime) -> QuerySet[Appointment]:
    """The agent's appointments from 30 days ago to 180 days ahead, for the iCalendar feed."""
    return (
        Appointment.objects.filter(
            agent=agent, starts_at__gte=now - dt.timedelta(days=30), starts_at__lt=now + dt.timedelta(days=180)
        )
        .select_related("household", "place")
        .order_by("starts_at")
    )


def places(*, active_only: bool = True) -> QuerySet[Place]:
    rows = Place.objects.annotate(  # a place in use (appointments or opening slots) cannot be deleted
        appointment_count=Count("appointments", distinct=True),
        availability_count=Count("availabilities", distinct=True),
    )
    return rows.filter(is_active=True) if active_only else rows


def agent_availabilities(agent_id: int) -> QuerySet[Availability]:
    return Availability.objects.filter(agent_id=agent_id).select_related("place", "agent")


def agent_windows(agent_id: int) -> list[Window]:
    """The agent's opening slots at active places, as the pure slot computation takes them."""
    rows = Availability.objects.filter(agent_id=agent_id, place__is_active=True)
    return [
        Window(
            weekday=row.weekday,
            start=row.start_time,
            end=row.end_time,
            place_id=row.place_id,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SlotChoice:
    """A free slot with its place, ready for a link that pre-fills the booking form."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    place: Place


def agent_free_slots(
    agent_id: int, *, duration: dt.timedelta, now: dt.datetime | None = None, days: int = FREE_SLOT_DAYS
) -> list[SlotChoice]:
    """The agent's free slots from now over ``days`` days: opening slots minus planned appointments."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    windows = agent_windows(agent_id)
    if not windows:
        return []
    horizon = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time.min))
    busy = list(
        Appointment.objects.filter(
            agent_id=agent_id, status=AppointmentStatus.PLANNED, starts_at__lt=horizon, ends_at__gt=now
        ).values_list("starts_at", "ends_at")
    )
    found: list[FreeSlot] = free_slots(
        windows=windows,
        busy=busy,
        first_day=today,
        days=days,
        duration=duration,
        tz=timezone.get_current_timezone(),
        not_before=now,
        limit=FREE_SLOT_LIMIT,
    )
    by_id = Place.objects.in_bulk({slot.place_id for slot in found})
    return [SlotChoice(slot.starts_at, slot.ends_at, by_id[slot.place_id]) for slot in found]


def is_within_opening_slots(
    *, agent_id: int, starts_at: dt.datetime, ends_at: dt.datetime, place_id: int
) -> bool | None:
    """Whether an appointment lies inside one of the agent's opening slots; None when the agent has
    declared none (nothing to compare with)."""
    windows = agent_windows(agent_id)
    if not windows:
        return None
    return within_windows(
        windows=windows, starts_at=starts_at, ends_at=ends_at, place_id=place_id, tz=timezone.get_current_timezone()
    )


@dataclass(frozen=True)
class Attendance:
    """Appointments whose outcome is known (honoured or no-show; cancelled ones are excused)."""

    no_shows: int
    total: int

    @property
    def rate(self) -> int | None:
        """The share of no-shows in percent, rounded; None without any appointment."""
        return round(100 * self.no_shows / self.total) if self.total else None

    @property
    def summary(self) -> str:
        """« 2 absences non excusées sur 5 rendez-vous » (French: 0 and 1 are singular)."""
        if not self.total:
            return "Aucun rendez-vous passé noté."
        plural = "s" if self.no_shows > 1 else ""
        return f"{self.no_shows} absence{plural} non excusée{plural} sur {self.total} rendez-vous."


def _attendance_counts() -> dict[str, Count]:
    return {
        "no_shows": Count("pk", filter=Q(status=AppointmentStatus.NO_SHOW)),
        "total": Count("pk", filter=Q(status__in=[AppointmentStatus.NO_SHOW, AppointmentStatus.HONOURED])),
    }


def household_attendance(household_id: int) -> Attendance:
    counts = Appointment.objects.filter(household_id=household_id).aggregate(**_attendance_counts())
    return Attendance(no_shows=counts["no_shows"], total=counts["total"])


@dataclass(frozen=True)
class AttendanceLine:
    label: str
    attendance: Attendance


@dataclass(frozen=True)
class AttendanceStats:
    overall: Attendance
    by_agent: list[AttendanceLine]
    by_place: list[AttendanceLine]


def attendance_stats(*, since: dt.date, until: dt.date) -> AttendanceStats:
    """No-shows per agent and per place for appointments from ``since`` to ``until`` (included)."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    rows = Appointment.objects.filter(
        starts_at__gte=start,
        starts_at__lt=end,
        status__in=[AppointmentStatus.NO_SHOW, AppointmentStatus.HONOURED],
    )
    counts = _attendance_counts()
    by_agent = [
        AttendanceLine(
            label=user_name(row["agent__first_name"], row["agent__last_name"], row["agent__username"]),
            attendance=Attendance(no_shows=row["no_shows"], total=row["total"]),
        )
        for row in rows.values("agent_id", "agent__first_name", "agent__last_name", "agent__username")
        .annotate(**counts)
        .order_by("agent__last_name", "agent__first_name", "agent__username")
    ]
    by_place = [
        AttendanceLine(label=row["place__name"], attendance=Attendance(no_shows=row["no_shows"], total=row["total"]))
        for row in rows.values("place_id", "place__name").annotate(**counts).order_by("place__name")
    ]
    overall = rows.aggregate(**counts)
    return AttendanceStats(
        overall=Attendance(no_shows=overall["no_shows"], total=overall["total"]),
        by_agent=by_agent,
        by_place=by_place,
    )
