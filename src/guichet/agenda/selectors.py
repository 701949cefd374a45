"""Reads of the agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from guichet.agenda.models import Appointment


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


def household_appointments(household_id: int) -> QuerySet[Appointment]:
    return Appointment.objects.filter(household_id=household_id).select_related("agent", "place")


def feed_appointments(agent: Any, now: dt.datetime) -> QuerySet[Appointment]:
    """The agent's appointments from 30 days ago to 180 days ahead, for the iCalendar feed."""
    return (
        Appointment.objects.filter(
            agent=agent, starts_at__gte=now - dt.timedelta(days=30), starts_at__lt=now + dt.timedelta(days=180)
        )
        .select_related("household", "place")
        .order_by("starts_at")
    )
