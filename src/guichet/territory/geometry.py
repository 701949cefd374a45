"""Geometry helpers (shapely): the embedded commune outline, GeoJSON in and out, and the
illustrative Voronoi partition of the outline. Coordinates are WGS 84, GeoJSON order (lon, lat)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

OUTLINE_PATH = Path(__file__).resolve().parent / "data" / "commune-76575.geojson"
AREA_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(ValueError):
    """A GeoJSON geometry that cannot serve as a boundary (French message for the user)."""


@lru_cache(maxsize=1)
def commune_outline() -> Polygon | MultiPolygon:
    """The commune's outline shipped with the package (IGN Admin Express 2018, Licence Ouverte)."""
    data = json.loads(OUTLINE_PATH.read_text(encoding="utf-8"))
    return area_from_geojson(data)


def area_from_geojson(data: Any) -> Polygon | MultiPolygon:
    """A Polygon or MultiPolygon from a GeoJSON geometry, Feature or one-feature FeatureCollection."""
    if not isinstance(data, dict):
        raise GeometryError("la géométrie doit être un objet GeoJSON")
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if len(features) != 1:
            raise GeometryError("une collection d'entités doit contenir exactement une entité ici")
        data = features[0]
    if data.get("type") == "Feature":
        data = data.get("geometry")
        if not isinstance(data, dict):
            raise GeometryError("l'entité n'a pas de géométrie")
    if data.get("type") not in AREA_TYPES:
        raise GeometryError(
            f"géométrie de type « {data.get('type')} » : un contour doit être un Polygon ou MultiPolygon"
        )
    try:
        geometry = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise GeometryError("coordonnées illisibles dans la géométrie") from exc
    if geometry.is_empty:
        raise GeometryError("la géométrie est vide")
    if not geometry.is_valid:
        raise GeometryError(f"géométrie invalide ({shapely.is_valid_reason(geometry)})")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("coordonnées hors des bornes WGS 84 (attendu : longitude, latitude en degrés)")
    assert isinstance(geometry, Polygon | MultiPolygon)
    return geometry


def area_to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with lists, JSON-ready. Coordinates are not rounded: rounding each cell on its
    own would open slivers between neighbours that share an edge."""
    data: dict[str, Any] = json.loads(json.dumps(mapping(geometry)))
    return data


def _local_scale(geometry: BaseGeometry) -> float:
    """Metres-per-degree ratio of longitude to latitude at the geometry's latitude."""
    return math.cos(math.radians(geometry.centroid.y))


def voronoi_partition(outline: Polygon | MultiPolygon, seeds: Sequence[tuple[float, float]]) -> list[BaseGeometry]:
    """One cell of ``outline`` per seed (lon, lat), in the seeds' order; the cells tile the outline.

    The diagram is drawn in a local equirectangular plane so that cells are not stretched east-west.
    """
    if len(seeds) < 2:
        raise GeometryError("il faut au moins deux points pour découper le contour")
    kx = _local_scale(outline)
    plane = shapely.transform(outline, lambda xy: xy * [kx, 1.0])
    points = [Point(lon * kx, lat) for lon, lat in seeds]
    for point, (lon, lat) in zip(points, seeds, strict=True):
        if not plane.contains(point):
            raise GeometryError(f"le point ({lon}, {lat}) est hors du contour")
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=plane)
    result: list[BaseGeometry] = []
    for point in points:
        cell = next(c for c in cells.geoms if c.intersects(point))
        clipped = cell.intersection(plane)
        result.append(shapely.transform(clipped, lambda xy: xy * [1.0 / kx, 1.0]))
    return result
