"""Pricing API: the catalogue of municipal services with their grids in force, and a household's
quotient and prices (social data: policy-checked and audited); adding and editing the catalogue's
services (responsables).

No ``from __future__ import annotations``: django-ninja reads the payload types of the decorated
operations at run time, from the access decorator's module."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.pricing.enums import ServiceKind
from guichet.pricing.perms import CATALOGUE_PERMS
from guichet.pricing.reform_api import router as reform_router
from guichet.pricing.selectors import GridVersion, ServiceEntry, catalogue, grid_summary, service_entry
from guichet.pricing.services import household_prices_open, municipal_service_create, municipal_service_update
from guichet.rules.quotient import Quotient

router = Router(tags=["tarifs"])
router.add_router("", reform_router)  # the reform simulator's operations


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
    ordre: int = Field(0, description="Ordre d'affichage dans le catalogue")
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


def _service_out(entry: ServiceEntry) -> ServiceOut:
    return ServiceOut(
        id=entry.service.pk,
        slug=entry.service.slug,
        nom=entry.service.name,
        nature=entry.service.kind,
        unite=entry.service.unit,
        description=entry.service.description,
        age_minimum=entry.service.min_age,
        age_maximum=entry.service.max_age,
        ordre=entry.service.position,
        exemple=entry.service.is_example,
        grille_en_vigueur=_grid_out(entry.in_force) if entry.in_force else None,
    )


@router.get("/services-municipaux", response=list[ServiceOut], summary="Services municipaux et grilles en vigueur")
@api_require_perm(any_of=CATALOGUE_PERMS)
def services_list(request: HttpRequest) -> list[ServiceOut]:
    return [_service_out(entry) for entry in catalogue(timezone.localdate())]


# --- editing the catalogue ----------------------------------------------------------------------

SERVICE_API_FIELDS = {
    "nom": "name",
    "nature": "kind",
    "unite": "unit",
    "description": "description",
    "age_minimum": "min_age",
    "age_maximum": "max_age",
    "ordre": "position",
    "exemple": "is_example",
}
SERVICE_FIELD_TO_API = {model: api for api, model in SERVICE_API_FIELDS.items()}


class ServiceIn(Schema):
    nom: str | None = Field(None, description="Nom du service (obligatoire à la création, unique)")
    nature: ServiceKind | None = Field(None, description="Nature du service (obligatoire à la création)")
    unite: str | None = Field(None, description="Unité facturée : repas, heure, journée… (obligatoire à la création)")
    description: str | None = None
    age_minimum: int | None = Field(None, ge=0, le=130, description="Âge minimum des personnes concernées")
    age_maximum: int | None = Field(None, ge=0, le=130, description="Âge maximum (inclus) des personnes concernées")
    ordre: int | None = Field(None, ge=0, le=32767, description="Ordre d'affichage, les plus petits d'abord")
    exemple: bool | None = Field(None, description="Vrai pour un service de démonstration")


def _service_values(payload: ServiceIn) -> dict[str, Any]:
    return {SERVICE_API_FIELDS[name]: value for name, value in payload.dict(exclude_unset=True).items()}


def _service_invalid(error: ValidationError) -> NinjaValidationError:
    """A service's ValidationError as a 422 problem, with the API's field names."""
    if hasattr(error, "error_dict"):
        return NinjaValidationError(
            [
                {"loc": ("body", SERVICE_FIELD_TO_API.get(name, name)), "msg": message}
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        )
    return NinjaValidationError([{"loc": ("body",), "msg": message} for message in error.messages])


@router.post(
    "/services-municipaux",
    response={201: ServiceOut},
    summary="Ajouter un service municipal au catalogue",
    description=(
        "Le service est créé sans grille (une grille s'adopte ensuite) ; son slug vient de son nom et ne "
        "change plus. Réservé aux responsables ; enregistré dans le journal d'audit."
    ),
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def service_post(request: HttpRequest, payload: ServiceIn) -> Status[ServiceOut]:
    try:
        service = municipal_service_create(
            user=request.user, values=_service_values(payload), request=request, channel="api"
        )
    except ValidationError as error:
        raise _service_invalid(error) from error
    return Status(201, _service_out(service_entry(service.slug, timezone.localdate())))


@router.patch(
    "/services-municipaux/{slug}",
    response=ServiceOut,
    summary="Modifier un service municipal",
    description=(
        "Seuls les champs envoyés sont modifiés. Les grilles ne changent pas : une grille adoptée n'est "
        "jamais modifiée. Réservé aux responsables ; enregistré dans le journal d'audit."
    ),
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def service_patch(request: HttpRequest, slug: str, payload: ServiceIn) -> ServiceOut:
    entry = service_entry(slug, timezone.localdate())
    try:
        municipal_service_update(
            user=request.user, service=entry.service, values=_service_values(payload), request=request, channel="api"
        )
    except ValidationError as error:
        raise _service_invalid(error) from error
    return _service_out(service_entry(slug, timezone.localdate()))


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
    prices = household_prices_open(user=request.user, household_id=household_id, request=request, channel="api")
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
