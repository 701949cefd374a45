"""The free-slot computation (pure): exact cases and a property — no slot overlaps a busy interval."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agenda.slots import FreeSlot, Window, free_slots, within_windows

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 11, 30)
HALF_HOUR = dt.timedelta(minutes=30)


def at(day: dt.date, hour: int, minute: int = 0, tz: dt.tzinfo = PARIS) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def starts(slots: list[FreeSlot]) -> list[str]:
    return [f"{slot.starts_at:%a %H:%M}" for slot in slots]


MORNING = Window(weekday=0, start=dt.time(9), end=dt.time(11), place_id=1)


def test_window_is_cut_into_slots_of_the_duration():
    slots = free_slots(windows=[MORNING], busy=[], first_day=MONDAY, days=7, duration=HALF_HOUR, tz=PARIS)
    assert starts(slots) == ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30"]
    assert all(slot.ends_at - slot.starts_at == HALF_HOUR and slot.place_id == 1 for slot in slots)


def test_a_slot_that_would_pass_the_end_of_the_window_is_not_offered():
    slots = free_slots(
        windows=[MORNING], busy=[], first_day=MONDAY, days=1, duration=dt.timedelta(minutes=45), tz=PARIS
    )
    assert starts(slots) == ["Mon 09:00", "Mon 09:45"]


def test_busy_interval_removes_slots_and_the_next_one_starts_where_it_ends():
    busy = [(at(MONDAY, 9, 15), at(MONDAY, 10, 0))]
    slots = free_slots(windows=[MORNING], busy=busy, first_day=MONDAY, days=1, duration=HALF_HOUR, tz=PARIS)
    assert starts(slots) == ["Mon 10:00", "Mon 10:30"]
    busy = [(at(MONDAY, 9, 0), at(MONDAY, 9, 45))]
    slots = free_slots(windows=[MORNING], busy=busy, first_day=MONDAY, days=1, duration=HALF_HOUR, tz=PARIS)
    assert starts(slots) == ["Mon 09:45", "Mon 10:15"]


def test_busy_interval_given_in_utc_is_compared_in_real_time():
    utc = ZoneInfo("UTC")
    # 09:00–10:00 in Paris (UTC+1 in winter)
    busy = [(at(MONDAY, 8, 0, utc), at(MONDAY, 9, 0, utc))]
    slots = free_slots(windows=[MORNING], busy=busy, first_day=MONDAY, days=1, duration=HALF_HOUR, tz=PARIS)
    assert starts(slots) == ["Mon 10:00", "Mon 10:30"]


def test_weekday_and_validity_dates():
    dated = Window(
        weekday=2,
        start=dt.time(14),
        end=dt.time(15),
        place_id=2,
        valid_from=MONDAY + dt.timedelta(days=7),
        valid_until=MONDAY + dt.timedelta(days=9),
    )
    slots = free_slots(windows=[dated], busy=[], first_day=MONDAY, days=21, duration=HALF_HOUR, tz=PARIS)
    assert [slot.starts_at for slot in slots] == [at(dt.date(2026, 12, 9), 14), at(dt.date(2026, 12, 9), 14, 30)]


def test_not_before_limit_and_overlapping_windows():
    other_place = Window(weekday=0, start=dt.time(10), end=dt.time(12), place_id=3)
    slots = free_slots(
        windows=[MORNING, other_place],
        busy=[],
        first_day=MONDAY,
        days=1,
        duration=HALF_HOUR,
        tz=PARIS,
        not_before=at(MONDAY, 9, 10),
    )
    # 09:00 has started; 10:00–11:00 is in both windows but offered once (the agent is in one place).
    assert starts(slots) == ["Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00", "Mon 11:30"]
    assert [slot.place_id for slot in slots] == [1, 1, 1, 3, 3]
    limited = free_slots(windows=[MORNING], busy=[], first_day=MONDAY, days=14, duration=HALF_HOUR, tz=PARIS, limit=5)
    assert starts(limited) == ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 09:00"]
    assert limited[-1].starts_at == at(MONDAY + dt.timedelta(days=7), 9)


def test_within_windows():
    inside = within_windows(windows=[MORNING], starts_at=at(MONDAY, 10), ends_at=at(MONDAY, 11), place_id=1, tz=PARIS)
    assert inside is True
    for start, end, place in (
        (at(MONDAY, 10, 30), at(MONDAY, 11, 15), 1),  # ends after the window
        (at(MONDAY, 10), at(MONDAY, 10, 30), 2),  # another place
        (at(MONDAY + dt.timedelta(days=1), 10), at(MONDAY + dt.timedelta(days=1), 10, 30), 1),  # Tuesday
    ):
        assert within_windows(windows=[MORNING], starts_at=start, ends_at=end, place_id=place, tz=PARIS) is False


UTC = dt.UTC
times = st.integers(min_value=6 * 4, max_value=20 * 4).map(lambda q: dt.time(q // 4, (q % 4) * 15))


@st.composite
def windows_strategy(draw: st.DrawFn) -> Window:
    start = draw(times)
    length = draw(st.integers(min_value=1, max_value=16))
    end_minutes = min(start.hour * 60 + start.minute + 15 * length, 23 * 60 + 45)
    return Window(
        weekday=draw(st.integers(min_value=0, max_value=6)),
        start=start,
        end=dt.time(end_minutes // 60, end_minutes % 60),
        place_id=draw(st.integers(min_value=1, max_value=3)),
    )


@st.composite
def busy_strategy(draw: st.DrawFn) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=UTC) + dt.timedelta(
        minutes=draw(st.integers(min_value=0, max_value=7 * 24 * 60))
    )
    return start, start + dt.timedelta(minutes=draw(st.integers(min_value=1, max_value=180)))


@settings(max_examples=200, deadline=None)
@given(
    windows=st.lists(windows_strategy(), max_size=6),
    busy=st.lists(busy_strategy(), max_size=10),
    duration=st.sampled_from([15, 30, 45, 60, 90]).map(lambda m: dt.timedelta(minutes=m)),
)
def test_no_proposed_slot_overlaps_an_appointment_or_another_slot(windows, busy, duration):
    slots = free_slots(windows=windows, busy=busy, first_day=MONDAY, days=7, duration=duration, tz=UTC)
    for slot in slots:
        assert slot.ends_at - slot.starts_at == duration
        assert not any(b_start < slot.ends_at and b_end > slot.starts_at for b_start, b_end in busy)
        assert within_windows(
            windows=windows, starts_at=slot.starts_at, ends_at=slot.ends_at, place_id=slot.place_id, tz=UTC
        )
    for earlier, later in zip(slots, slots[1:], strict=False):
        assert earlier.ends_at <= later.starts_at
