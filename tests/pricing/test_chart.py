import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.pricing.chart import LEFT, _nice_step, price_chart
from guichet.pricing.selectors import catalogue, preview_points, preview_table

ON = dt.date(2026, 11, 15)


def test_steps_are_drawn_as_steps() -> None:
    points = [(Decimal(0), Decimal(1)), (Decimal(500), Decimal(1)), (Decimal(1000), Decimal(3))]
    chart = price_chart(points, "QF")
    # flat to x=1000, then up at x=1000: the jump is vertical
    assert chart.path.startswith(f"M{LEFT}.0 ")
    moves = chart.path.split(" L")
    assert moves[1].split()[0] == moves[2].split()[0]
    assert [t.label for t in chart.x_ticks][-1] == "1\u00a0000\u00a0€"
    assert chart.y_ticks[0].position > chart.y_ticks[-1].position  # SVG y grows downwards


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2))
def test_nice_step_is_round_and_close(top: Decimal) -> None:
    step = _nice_step(top, 5)
    assert step * 5 >= top
    assert step * 5 < top * 10
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5)


@pytest.mark.django_db
def test_previews_of_the_example_grids_never_decrease() -> None:
    for entry in catalogue(ON):
        assert entry.in_force is not None
        prices = [amount for _, amount in preview_points(entry.in_force.grid, ON)]
        assert prices == sorted(prices), entry.service.slug
        assert preview_table(entry.in_force.grid, ON)[0][0] == 0
