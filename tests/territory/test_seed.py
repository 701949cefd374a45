"""Seeding the commune's neighbourhoods with illustrative boundaries cut from the real outline."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from guichet.audit.models import AuditEntry
from guichet.territory.geometry import commune_outline, voronoi_partition
from guichet.territory.models import Quartier
from guichet.territory.neighbourhoods import NEIGHBOURHOODS, PLATEAU, VALLEE
from guichet.territory.services import quartiers_seed_illustrative

QPV_NAMES = {"Château Blanc", "Thorez-Grimau", "Hartmann – La Houssière", "Buisson-Gallouen"}


def test_every_seed_point_lies_in_the_outline_vallee_east_plateau_west() -> None:
    outline = commune_outline()
    assert all(outline.contains(shapely.Point(n.lon, n.lat)) for n in NEIGHBOURHOODS)
    vallee = [n.lon for n in NEIGHBOURHOODS if n.pole == VALLEE]
    plateau = [n.lon for n in NEIGHBOURHOODS if n.pole == PLATEAU]
    assert min(vallee) > max(plateau)


def test_voronoi_cells_tile_the_outline() -> None:
    outline = commune_outline()
    cells = voronoi_partition(outline, [(n.lon, n.lat) for n in NEIGHBOURHOODS])
    assert len(cells) == len(NEIGHBOURHOODS)
    assert sum(cell.area for cell in cells) == pytest.approx(outline.area, rel=1e-9)
    assert shapely.union_all(cells).symmetric_difference(outline).area < outline.area * 1e-9
    for hood, cell in zip(NEIGHBOURHOODS, cells, strict=True):
        assert cell.contains(shapely.Point(hood.lon, hood.lat)), hood.name


@pytest.mark.django_db
def test_seed_creates_the_real_names_with_qpv_flags_and_illustrative_boundaries() -> None:
    result = quartiers_seed_illustrative()
    assert len(result.created) == len(NEIGHBOURHOODS)
    quartiers = {q.name: q for q in Quartier.objects.all()}
    assert {"Centre ancien", "Château Blanc", "Les Aviateurs", "Cateliers", "Orée du Rouvray"} <= set(quartiers)
    assert {name for name, q in quartiers.items() if q.is_qpv} == QPV_NAMES
    assert all(q.is_illustrative and q.boundary["type"] == "Polygon" for q in quartiers.values())
    assert all("illustratif" in q.boundary_source.lower() for q in quartiers.values())


@pytest.mark.django_db
def test_every_point_of_the_outline_falls_in_exactly_one_stored_neighbourhood() -> None:
    quartiers_seed_illustrative()
    outline = commune_outline()
    shapes = [shape(q.boundary) for q in Quartier.objects.all()]  # as stored, after the JSON round trip
    rng = np.random.default_rng(2026)
    minx, miny, maxx, maxy = outline.bounds
    x, y = rng.uniform(minx, maxx, 20_000), rng.uniform(miny, maxy, 20_000)
    inside = shapely.contains_xy(outline, x, y)
    hits = sum(shapely.contains_xy(s, x, y).astype(int) for s in shapes)
    assert inside.sum() > 5_000
    assert (hits[inside] == 1).all()
    assert (hits[~inside] == 0).all()
    # The outline's own vertices are each covered (on the edge of one or more cells), never left out.
    vertices = np.array(outline.exterior.coords)
    covered = sum(shapely.intersects_xy(s, vertices[:, 0], vertices[:, 1]).astype(int) for s in shapes)
    assert (covered >= 1).all()


@pytest.mark.django_db
def test_seed_is_idempotent_and_audited_once() -> None:
    quartiers_seed_illustrative()
    first = {q.pk: (q.boundary, q.updated_at) for q in Quartier.objects.all()}
    entries = AuditEntry.objects.count()
    again = quartiers_seed_illustrative()
    assert again.created == [] and again.boundaries_cut is False
    assert {q.pk: (q.boundary, q.updated_at) for q in Quartier.objects.all()} == first
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_seed_never_overwrites_real_boundaries() -> None:
    quartiers_seed_illustrative()
    real = Quartier.objects.get(name="Centre ancien")
    real.is_illustrative = False
    real.boundary_source = "import"
    real.save()
    Quartier.objects.exclude(pk=real.pk).update(boundary=None, is_illustrative=False)
    result = quartiers_seed_illustrative()
    assert result.boundaries_cut is False
    assert Quartier.objects.filter(boundary__isnull=False).count() == 1
