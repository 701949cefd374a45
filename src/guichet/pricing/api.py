"""Pricing API: the catalogue of municipal services with their grids in force, and a household's
quotient and prices (social data: policy-checked and audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.pricing.perms import CATALOGUE_PERMS
from guichet.pricing.selectors import GridVersion, catalogue, grid_summary
from guichet.pricing.services import household_prices_open
from guichet.rules.quotient import Quotient

router = Router(tags=["tarifs"])


class GridOut(Schema):
    id: int
    debut: dt.date
    fin: dt.date | None
    deliberation: str
    deliberation_date: dt.date | None
    resume: list[str] = Field(description="La règle et ses modulations en français, une ligne chacune")
    grille: dict[str, Any] = Field(
        description="La grille sous sa forme de données (clés françaises, montants en texte)"
    )


class ServiceOut(Schema):
    id: int
    slug: str
    nom: str
    nature: str
    unite: str
    description: str
    age_minimum: int | None
    age_maximum: int | None
    exemple: bool = Field(description="Vrai pour le catalogue d'exemple de la démonstration")
    grille_en_vigueur: GridOut | None


class QuotientOut(Schema):
    valeur: Decimal
    source: str = Field(description="« calculé », ou la source de l'attestation (attestation_caf, api_particulier…)")
    source_libelle: str
    date: dt.date
    parts: Decimal | None
    explication: list[str]
    avertissements: list[str]


class PersonPriceOut(Schema):
    personne_id: int
    nom: str
    age: int
    rang_enfant: int | None
    prix: Decimal
    unite: str
    pourquoi: list[str] = Field(description="Pourquoi ce prix, une étape par ligne")
    avertissements: list[str]


class ServicePricesOut(Schema):
    service: str
    slug: str
    grille_en_vigueur: bool
    prix: list[PersonPriceOut]


class HouseholdPricesOut(Schema):
    menage_id: int
    date: dt.date
    resident: bool
    quotient: QuotientOut
    services: list[ServicePricesOut]


def _grid_out(version: GridVersion) -> GridOut:
    row = version.row
    return GridOut(
        id=row.pk,
        debut=row.valid_from,
        fin=row.valid_to,
        deliberation=row.deliberation,
        deliberation_date=row.deliberation_date,
        resume=grid_summary(version.grid),
        grille=row.data,
    )


def _quotient_out(quotient: Quotient) -> QuotientOut:
    return QuotientOut(
        valeur=quotient.value,
        source=quotient.source,
        source_libelle=quotient.source_label,
        date=quotient.date,
        parts=quotient.parts,
        explication=list(quotient.explanation),
        avertissements=list(quotient.warnings),
    )


@router.get("/services-municipaux", response=list[ServiceOut], summary="Services municipaux et grilles en vigueur")
@api_require_perm(any_of=CATALOGUE_PERMS)
def services_list(request: HttpRequest) -> list[ServiceOut]:
    return [
        ServiceOut(
            id=entry.service.pk,
            slug=entry.service.slug,
            nom=entry.service.name,
            nature=entry.service.kind,
            unite=entry.service.unit,
            description=entry.service.description,
            age_minimum=entry.service.min_age,
            age_maximum=entry.service.max_age,
            exemple=entry.service.is_example,
            grille_en_vigueur=_grid_out(entry.in_force) if entry.in_force else None,
        )
        for entry in catalogue(timezone.localdate())
    ]


@router.get(
    "/menages/{household_id}/tarifs",
    response=HouseholdPricesOut,
    summary="Quotient familial et tarifs d'un ménage",
    description=(
        "Le quotient (attesté par la CAF/MSA ou calculé, avec son explication) et le prix de chaque service "
        "pour chaque personne concernée, avec « pourquoi ce prix ». Réservé au suivi social ; chaque "
        "consultation est enregistrée dans le journal d'audit. Un dossier confidentiel s'ouvre d'abord par "
        "GET /api/v1/menages/{household_id} avec un motif."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def household_prices_get(request: HttpRequest, household_id: int) -> HouseholdPricesOut:
    try:
        prices = household_prices_open(user=request.user, household_id=household_id, request=request, channel="api")
    except BreakGlassRequired as required:
        raise PermissionDenied(
            "Ce dossier est confidentiel : ouvrez-le d'abord avec un motif (GET /api/v1/menages/{id})."
        ) from required
    return HouseholdPricesOut(
        menage_id=prices.household.pk,
        date=prices.on,
        resident=prices.is_resident,
        quotient=_quotient_out(prices.quotient),
        services=[
            ServicePricesOut(
                service=entry.service.name,
                slug=entry.service.slug,
                grille_en_vigueur=entry.grid is not None,
                prix=[
                    PersonPriceOut(
                        personne_id=int(line.person.id),
                        nom=line.name,
                        age=line.age,
                        rang_enfant=line.child_rank,
                        prix=line.amount,
                        unite=line.unit,
                        pourquoi=list(line.explanation),
                        avertissements=list(line.warnings),
                    )
                    for line in entry.lines
                ],
            )
            for entry in prices.services
        ],
    )
