"""The « last N months » window of the resources page and of the API."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.households.selectors import recent_months_start


@pytest.mark.parametrize(
    ("today", "months", "start"),
    [
        (dt.date(2026, 11, 29), 12, dt.date(2025, 12, 1)),
        (dt.date(2026, 3, 1), 12, dt.date(2025, 4, 1)),  # 31-day steps used to give March 2025: 13 months
        (dt.date(2026, 1, 31), 1, dt.date(2026, 1, 1)),
        (dt.date(2026, 1, 15), 13, dt.date(2025, 1, 1)),
    ],
)
def test_the_window_holds_exactly_n_months(today: dt.date, months: int, start: dt.date) -> None:
    assert recent_months_start(months, today) == start
