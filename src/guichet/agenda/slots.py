"""Free-slot computation: an agent's weekly opening slots minus their planned appointments.

Pure Python (no Django, no database): the selectors turn rows into these dataclasses and back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """A weekly opening slot: on ``weekday`` (0 = Monday) from ``start`` to ``end`` at ``place_id``,
    between ``valid_from`` and ``valid_until`` (both included, None = unbounded)."""

    weekday: int
    start: dt.time
    end: dt.time
    place_id: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def applies_on(self, day: dt.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class FreeSlot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    place_id: int


Interval = tuple[dt.datetime, dt.datetime]


def _overlaps(start: dt.datetime, end: dt.datetime, busy: Iterable[Interval]) -> list[Interval]:
    return [(b_start, b_end) for b_start, b_end in busy if b_start < end and b_end > start]


def free_slots(
    *,
    windows: Sequence[Window],
    busy: Sequence[Interval],
    first_day: dt.date,
    days: int,
    duration: dt.timedelta,
    tz: dt.tzinfo,
    not_before: dt.datetime | None = None,
    limit: int | None = None,
) -> list[FreeSlot]:
    """The slots of ``duration`` inside ``windows`` on the ``days`` days from ``first_day`` that overlap
    no ``busy`` interval, in time order.

    Each window is cut from its start; when a candidate meets a busy interval the next candidate starts
    where that interval ends, so a free hour after a 45-minute appointment is still offered. Slots never
    overlap one another (overlapping windows give each time once) and none starts before ``not_before``.
    """
    if duration <= dt.timedelta(0):
        raise ValueError("duration must be positive")
    found: list[FreeSlot] = []
    for offset in range(days):
        day = first_day + dt.timedelta(days=offset)
        for window in sorted(windows, key=lambda w: (w.start, w.place_id)):
            if not window.applies_on(day):
                continue
            cursor = dt.datetime.combine(day, window.start, tzinfo=tz)
            window_end = dt.datetime.combine(day, window.end, tzinfo=tz)
            while cursor + duration <= window_end:
                end = cursor + duration
                blocking = _overlaps(cursor, end, busy)
                if blocking:
                    cursor = max(b_end for _, b_end in blocking).astimezone(tz)
                    continue
                if not_before is not None and cursor < not_before:
                    cursor = end
                    continue
                found.append(FreeSlot(cursor, end, window.place_id))
                cursor = end
    found.sort(key=lambda slot: (slot.starts_at, slot.place_id))
    kept: list[FreeSlot] = []
    for slot in found:
        if not kept or kept[-1].ends_at <= slot.starts_at:
            kept.append(slot)
        if limit is not None and len(kept) >= limit:
            break
    return kept


def within_windows(
    *, windows: Sequence[Window], starts_at: dt.datetime, ends_at: dt.datetime, place_id: int, tz: dt.tzinfo
) -> bool:
    """Whether the appointment ``starts_at``–``ends_at`` at ``place_id`` lies inside one opening slot."""
    local_start, local_end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    day = local_start.date()
    if local_end.date() != day:
        return False
    return any(
        window.place_id == place_id
        and window.applies_on(day)
        and window.start <= local_start.time()
        and local_end.time() <= window.end
        for window in windows
    )
