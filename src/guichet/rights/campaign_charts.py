"""Server-side SVG of a campaign's results: a horizontal bar chart of the monthly amounts not
claimed by benefit, and the neighbourhood map shaded by the same amounts (choropleth). Geometry
only; the templates draw it and the tables beside them give the numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from guichet.rights.campaigns import ResultRow
from guichet.rules.money import format_euros
from guichet.territory.selectors import quartier_rows
from guichet.territory.svgmap import QuartierMap, quartier_map

WIDTH = 640
LABEL_WIDTH = 300
BAR_HEIGHT = 22
GAP = 10
TOP = 8
VALUE_ROOM = 110
# Sequential blues from light to dark; labels on the map keep a white halo, so they stay readable.
SHADES = ("#eef4fb", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd")
NO_TARGET = "#ffffff"


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: float
    width: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def bar_chart(rows: Sequence[ResultRow]) -> BarChart:
    """One bar per row, proportional to its monthly amount."""
    top = max((row.monthly for row in rows), default=Decimal(0)) or Decimal(1)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        bars.append(
            Bar(
                label=row.label,
                value=format_euros(row.monthly),
                y=y,
                width=round(max(1.0, float(row.monthly / top) * room), 1),
                text_y=y + BAR_HEIGHT / 2,
            )
        )
    return BarChart(WIDTH, TOP * 2 + len(rows) * (BAR_HEIGHT + GAP), LABEL_WIDTH, bars)


@dataclass(frozen=True)
class LegendStep:
    fill: str
    label: str


@dataclass(frozen=True)
class ShadedQuartier:
    name: str
    path: str
    fill: str
    is_qpv: bool
    label_x: float
    label_y: float
    amount: str
    households: int


@dataclass(frozen=True)
class Choropleth:
    map: QuartierMap
    shapes: list[ShadedQuartier]
    legend: list[LegendStep]


def _thresholds(values: list[Decimal]) -> list[Decimal]:
    """Upper bounds of equal-width classes between 0 and the largest value."""
    top = max(values, default=Decimal(0))
    if top <= 0:
        return []
    return [top * (index + 1) / len(SHADES) for index in range(len(SHADES))]


def choropleth(rows: Sequence[ResultRow]) -> Choropleth | None:
    """The neighbourhood map, each shaded by its monthly amount not claimed; None without boundaries."""
    drawn = quartier_map(quartier_rows())
    if drawn is None:
        return None
    found = {row.label: row for row in rows}
    thresholds = _thresholds([row.monthly for row in rows if row.key != "-"])

    def shade(amount: Decimal | None) -> str:
        if not amount:
            return NO_TARGET
        return next(fill for fill, bound in zip(SHADES, thresholds, strict=True) if amount <= bound)

    shapes = []
    for shape in drawn.shapes:
        row = found.get(shape.name)
        shapes.append(
            ShadedQuartier(
                name=shape.name,
                path=shape.path,
                fill=shade(row.monthly if row else None),
                is_qpv=shape.is_qpv,
                label_x=shape.label_x,
                label_y=shape.label_y,
                amount=format_euros(row.monthly if row else Decimal(0)),
                households=row.households if row else 0,
            )
        )
    legend = [LegendStep(NO_TARGET, "aucun montant")]
    lower = Decimal(0)
    for fill, bound in zip(SHADES, thresholds, strict=False):
        legend.append(LegendStep(fill, f"{format_euros(lower)} à {format_euros(bound)}"))
        lower = bound
    return Choropleth(drawn, shapes, legend)
