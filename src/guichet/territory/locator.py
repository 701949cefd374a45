"""Point in polygon: which neighbourhood holds a point.

Each process keeps the neighbourhoods' prepared geometries and reloads them when the quartier table
changes (its row count or latest ``updated_at``), so a boundary import in one process is seen by the
others on their next lookup.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from django.db.models import Count, Max
from shapely.geometry.base import BaseGeometry

from guichet.territory.geometry import GeometryError, area_from_geojson
from guichet.territory.models import Quartier


@dataclass(frozen=True)
class QuartierLocator:
    """Prepared boundaries in a fixed order (by primary key): a point on a shared edge goes to the first."""

    pks: tuple[int, ...]
    geometries: tuple[BaseGeometry, ...]

    @classmethod
    def from_rows(cls, rows: list[tuple[int, Any]]) -> QuartierLocator:
        pks, geometries = [], []
        for pk, boundary in sorted(rows, key=lambda row: row[0]):
            if not boundary:
                continue
            try:
                geometry = area_from_geojson(boundary)
            except GeometryError:
                continue  # an unusable stored boundary locates nothing rather than breaking every lookup
            shapely.prepare(geometry)
            pks.append(pk)
            geometries.append(geometry)
        return cls(tuple(pks), tuple(geometries))

    def locate(self, *, longitude: float, latitude: float) -> int | None:
        for pk, geometry in zip(self.pks, self.geometries, strict=True):
            if shapely.intersects_xy(geometry, longitude, latitude):
                return pk
        return None

    def locate_many(self, longitudes: npt.ArrayLike, latitudes: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Quartier primary key for each point, 0 where no boundary holds it."""
        x = np.asarray(longitudes, dtype=float)
        y = np.asarray(latitudes, dtype=float)
        found = np.zeros(x.shape, dtype=np.int64)
        for pk, geometry in zip(self.pks, self.geometries, strict=True):
            todo = found == 0
            if not todo.any():
                break
            hit = np.zeros(x.shape, dtype=bool)
            hit[todo] = shapely.intersects_xy(geometry, x[todo], y[todo])
            found[hit] = pk
        return found


_lock = threading.Lock()
_cached: dict[str, Any] = {}


def _fingerprint() -> tuple[int, Any]:
    state = Quartier.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    return state["count"], state["last"]


def quartier_locator() -> QuartierLocator:
    """The process-wide locator, reloaded when the quartier table changed since it was built."""
    fingerprint = _fingerprint()
    with _lock:
        if _cached.get("fingerprint") != fingerprint:
            rows = list(Quartier.objects.values_list("pk", "boundary"))
            _cached["locator"] = QuartierLocator.from_rows(rows)
            _cached["fingerprint"] = fingerprint
        locator: QuartierLocator = _cached["locator"]
        return locator


def locator_invalidate() -> None:
    """Drop this process's cache now (services call it after changing boundaries)."""
    with _lock:
        _cached.clear()
