"""The neighbourhood map drawn on the server as inline SVG: no tiles, no script, no external request.

Geometry becomes path data here; the template only writes it out. Coordinates are projected with a
local equirectangular projection, which is exact enough at the scale of a commune.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from guichet.territory.geometry import GeometryError, area_from_geojson, commune_outline
from guichet.territory.neighbourhoods import LIAISON, PLATEAU, VALLEE
from guichet.territory.selectors import QuartierRow

WIDTH = 640.0
MARGIN = 12.0
# Light fills with dark text (contrast above 7:1); QPV neighbourhoods are hatched on top, so the flag
# does not rest on colour alone.
POLE_FILLS = {VALLEE: "#d6e6f5", PLATEAU: "#f6e3c6", LIAISON: "#dcefd9"}
DEFAULT_FILL = "#e4e4ea"


@dataclass(frozen=True)
class MapShape:
    name: str
    path: str
    fill: str
    is_qpv: bool
    label_x: float
    label_y: float
    households: int


@dataclass(frozen=True)
class QuartierMap:
    width: float
    height: float
    outline: str
    shapes: list[MapShape]
    is_illustrative: bool

    @property
    def note_position(self) -> tuple[float, float]:
        """Where the « Contours illustratifs » note goes: the bottom right corner."""
        return self.width - MARGIN, self.height - MARGIN / 2


class _Projection:
    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        self.minx, self.maxy = minx, maxy
        span_x = max((maxx - minx) * self.kx, 1e-9)
        self.scale = (WIDTH - 2 * MARGIN) / span_x
        self.height = (maxy - miny) * self.scale + 2 * MARGIN

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            round(MARGIN + (lon - self.minx) * self.kx * self.scale, 1),
            round(MARGIN + (self.maxy - lat) * self.scale, 1),
        )

    def path(self, geometry: BaseGeometry) -> str:
        polygons: list[Polygon] = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]  # type: ignore[list-item]
        parts = []
        for polygon in polygons:
            for ring in (polygon.exterior, *polygon.interiors):
                points = [self.point(x, y) for x, y in ring.coords[:-1]]
                parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        return " ".join(parts)


def quartier_map(rows: Sequence[QuartierRow]) -> QuartierMap | None:
    """The map of the neighbourhoods that have a boundary, over the commune outline; None if none has."""
    outline = commune_outline()
    drawn: list[tuple[QuartierRow, BaseGeometry]] = []
    for row in rows:
        if row.geometry is None:
            continue
        try:
            drawn.append((row, area_from_geojson(row.geometry)))
        except GeometryError:
            continue
    if not drawn:
        return None
    minx, miny, maxx, maxy = outline.bounds
    for _row, geometry in drawn:
        gx0, gy0, gx1, gy1 = geometry.bounds
        minx, miny, maxx, maxy = min(minx, gx0), min(miny, gy0), max(maxx, gx1), max(maxy, gy1)
    projection = _Projection((minx, miny, maxx, maxy))
    shapes = []
    for row, geometry in drawn:
        label_x, label_y = projection.point(*geometry.representative_point().coords[0])
        shapes.append(
            MapShape(
                name=row.name,
                path=projection.path(geometry),
                fill=POLE_FILLS.get(row.pole, DEFAULT_FILL),
                is_qpv=row.is_qpv,
                label_x=label_x,
                label_y=label_y,
                households=row.households,
            )
        )
    return QuartierMap(
        width=WIDTH,
        height=round(projection.height, 1),
        outline=projection.path(outline),
        shapes=shapes,
        is_illustrative=any(row.is_illustrative for row, _geometry in drawn),
    )
