"""Reads of the territory: neighbourhoods with their aggregate counts, address -> neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from guichet.rules.text import normalize_text
from guichet.territory.locator import quartier_locator
from guichet.territory.models import Quartier, StreetQuartier

# Abbreviations found in street files, expanded so that « av. J. Jaurès » meets « avenue J Jaurès ».
_STREET_ABBREVIATIONS = {
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "bvd": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "che": "chemin",
    "ch": "chemin",
    "rte": "route",
    "sq": "square",
    "all": "allee",
    "r": "rue",
    "st": "saint",
    "ste": "sainte",
}


def street_key(street_name: str) -> str:
    """Normalised street name: no accents, case, punctuation or common abbreviations."""
    words = normalize_text(street_name).split()
    return " ".join(_STREET_ABBREVIATIONS.get(word, word) for word in words)


@dataclass(frozen=True)
class QuartierRow:
    """One neighbourhood with aggregate counts only: no name of a person, no household."""

    id: int
    name: str
    slug: str
    pole: str
    is_qpv: bool
    qpv_code: str
    is_illustrative: bool
    boundary_source: str
    households: int
    people: int
    geometry: dict[str, Any] | None  # the GeoJSON boundary, when asked for


def quartier_rows(*, with_boundary: bool = True) -> list[QuartierRow]:
    """Every neighbourhood with its household and people counts (two grouped queries).

    Households are counted through their address (``Address.households``, ``Household.people``):
    reverse relations, so this foundation app imports nothing from the households app.
    """
    households = dict(Quartier.objects.annotate(n=Count("addresses__households")).values_list("pk", "n").order_by())
    people = dict(Quartier.objects.annotate(n=Count("addresses__households__people")).values_list("pk", "n").order_by())
    fields = ["pk", "name", "slug", "pole", "is_qpv", "qpv_code", "is_illustrative", "boundary_source"]
    quartiers = Quartier.objects.order_by("name").only(*fields, *(["boundary"] if with_boundary else []))
    return [
        QuartierRow(
            id=q.pk,
            name=q.name,
            slug=q.slug,
            pole=q.pole,
            is_qpv=q.is_qpv,
            qpv_code=q.qpv_code,
            is_illustrative=q.is_illustrative,
            boundary_source=q.boundary_source,
            households=households.get(q.pk, 0),
            people=people.get(q.pk, 0),
            geometry=q.boundary if with_boundary else None,
        )
        for q in quartiers
    ]


def quartier_by_name(name: str) -> Quartier | None:
    """The neighbourhood whose normalised name or slug matches ``name``."""
    key = normalize_text(name)
    if not key:
        return None
    for quartier in Quartier.objects.all():
        if key in (normalize_text(quartier.name), normalize_text(quartier.slug)):
            return quartier
    return None


def quartier_for_street(street_name: str) -> Quartier | None:
    key = street_key(street_name)
    if not key:
        return None
    row = StreetQuartier.objects.select_related("quartier").filter(street_key=key).first()
    return row.quartier if row else None


def quartier_for_address(*, latitude: float | None, longitude: float | None, street_name: str = "") -> Quartier | None:
    """From the coordinates when known (point in polygon), otherwise from the street table."""
    if latitude is not None and longitude is not None:
        pk = quartier_locator().locate(longitude=longitude, latitude=latitude)
        if pk is not None:
            return Quartier.objects.get(pk=pk)
    return quartier_for_street(street_name)


def street_rows(*, search: str = "") -> QuerySet[StreetQuartier]:
    rows = StreetQuartier.objects.select_related("quartier").order_by("street_key")
    key = street_key(search)
    if key:
        rows = rows.filter(Q(street_key__contains=key) | Q(quartier__name__icontains=search.strip()))
    return rows
