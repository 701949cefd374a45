"""A server-side SVG line chart of a grid's price against the quotient (no script, CSP-safe).

Only geometry here; ``pricing/includes/chart.html`` draws it. Steps are drawn as steps: when the
price changes between two samples, the line goes up at the second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from guichet.rules.money import format_euros

WIDTH, HEIGHT = 520, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 16, 48


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    path: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    x_label: str
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int


def _nice_step(top: Decimal, count: int = 5) -> Decimal:
    """A round step (1, 2 or 5 × a power of ten) giving about ``count`` intervals up to ``top``."""
    raw = top / count if top > 0 else Decimal(1)
    magnitude = Decimal(10) ** raw.adjusted()
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _ticks(top: Decimal, scale: object, step: Decimal) -> tuple[Tick, ...]:
    ticks, value = [], Decimal(0)
    while value <= top:
        ticks.append(Tick(scale(value), format_euros(value)))  # type: ignore[operator]
        value += step
    return tuple(ticks)


def price_chart(points: Sequence[tuple[Decimal, Decimal]], x_label: str) -> Chart:
    """Chart of ``points`` (value, price), x from 0 to the last value, y from 0 to a round maximum."""
    x_max = points[-1][0] if points and points[-1][0] > 0 else Decimal(1)
    y_step = _nice_step(max((p for _, p in points), default=Decimal(1)) or Decimal(1))
    y_max = y_step * ((max((p for _, p in points), default=Decimal(0)) // y_step) + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(value: Decimal) -> float:
        return round(LEFT + float(value / x_max) * plot_w, 1)

    def sy(amount: Decimal) -> float:
        return round(TOP + plot_h - float(amount / y_max) * plot_h, 1)

    commands = []
    previous: Decimal | None = None
    for value, amount in points:
        if previous is None:
            commands.append(f"M{sx(value)} {sy(amount)}")
        elif amount != previous:
            commands.append(f"L{sx(value)} {sy(previous)} L{sx(value)} {sy(amount)}")
        previous = amount
    if points:
        commands.append(f"L{sx(points[-1][0])} {sy(points[-1][1])}")
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        path=" ".join(commands),
        x_ticks=_ticks(x_max, sx, _nice_step(x_max, 6)),
        y_ticks=_ticks(y_max, sy, y_step),
        x_label=x_label,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
    )
