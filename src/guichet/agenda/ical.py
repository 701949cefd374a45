"""The iCalendar (RFC 5545) text of an agent's feed, written by hand.

Privacy: calendars sync to phones, so an event holds only the household reference, the place and the
times — no name, no reason, no contact detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and newlines."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line to 75 octets, continuation lines starting with one space (§3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(appointments: Iterable[Appointment], *, host: str, now: dt.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet//Agenda CCAS//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Mes rendez-vous (Guichet)",
    ]
    for appointment in appointments:
        place = appointment.place.name + (f", {appointment.place.address}" if appointment.place.address else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:rendez-vous-{appointment.pk}@{host}",
            f"DTSTAMP:{utc(now)}",
            f"DTSTART:{utc(appointment.starts_at)}",
            f"DTEND:{utc(appointment.ends_at)}",
            f"SUMMARY:{escape_text(f'Rendez-vous, ménage {appointment.household.reference}')}",
            f"LOCATION:{escape_text(place)}",
            "STATUS:" + ("CANCELLED" if appointment.status == AppointmentStatus.CANCELLED else "CONFIRMED"),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
