"""API operations of the territory: the neighbourhoods with aggregate counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from guichet.accounts.api_access import api_require_perm
from guichet.territory.selectors import QuartierRow, quartier_rows

router = Router(tags=["territoire"])


class QuartierOut(Schema):
    id: int
    name: str
    slug: str
    pole: str
    is_qpv: bool
    qpv_code: str
    is_illustrative: bool
    households: int
    people: int
    geometry: dict[str, Any] | None = None


@router.get("/quartiers", response=list[QuartierOut], summary="Quartiers", operation_id="quartiers")
@api_require_perm()
def quartiers(request: HttpRequest, geometrie: bool = False) -> list[QuartierRow]:
    """Les quartiers avec le drapeau QPV et le nombre de ménages et de personnes (agrégats seulement).

    `?geometrie=1` ajoute le contour GeoJSON (WGS 84) ; `is_illustrative` signale un contour de
    démonstration, non officiel.
    """
    return quartier_rows(with_boundary=geometrie)
