"""Households API, social situation: monthly resources by month range and charges, written through the
services of the household resources page (``resource_set``, ``charge_set``…): HOUSEHOLD_FOLLOW, the
household access policy and the audit are theirs."""

import datetime as dt
import re
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.api import open_household, require_fields, run_service
from guichet.households.enums import BENEFIT_KINDS, ChargeKind, ResourceKind
from guichet.households.models import Charge, Person, Resource
from guichet.households.perms import get_household_for_user
from guichet.households.selectors import household_resources, recent_months_start
from guichet.households.services import charge_delete, charge_set, resource_delete, resource_set

router = Router(tags=["ménages"])

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
RESOURCE_MONTHS_DEFAULT = 12


class ResourceFiltersIn(Schema):
    # The month format is checked by ``_month`` (French message); the pattern is published in the schema.
    depuis: str | None = Field(
        None,
        description="Premier mois (AAAA-MM) ; par défaut, les 12 derniers mois",
        json_schema_extra={"pattern": MONTH_PATTERN},
    )
    jusqua: str | None = Field(
        None, description="Dernier mois (AAAA-MM) ; par défaut, aucun", json_schema_extra={"pattern": MONTH_PATTERN}
    )


class ResourceOut(Schema):
    id: int
    nature: ResourceKind
    nature_libelle: str
    personne: int | None = Field(description="Bénéficiaire ; null pour le ménage (prestation familiale, logement)")
    beneficiaire: str
    mois: str = Field(description="AAAA-MM")
    montant: Decimal = Field(description="Montant net mensuel (€)")
    prestation: bool


class ChargeItemOut(Schema):
    id: int
    nature: ChargeKind
    nature_libelle: str
    precision: str
    montant_mensuel: Decimal


class ResourcesOut(Schema):
    menage_id: int
    depuis: str
    jusqua: str | None
    ressources: list[ResourceOut]
    charges: list[ChargeItemOut]


class ResourceIn(Schema):
    """A monthly resource: ``nature``, ``mois`` and ``montant`` are required (checked after the permission check)."""

    nature: ResourceKind | None = None
    mois: str | None = Field(None, description="Mois (AAAA-MM)", json_schema_extra={"pattern": MONTH_PATTERN})
    montant: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2, description="Montant net mensuel (€)")
    personne: int | None = Field(None, description="Bénéficiaire ; absent ou null : le ménage")


class ResourcePatchIn(Schema):
    montant: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2, description="Montant net mensuel (€)")


class ChargeIn(Schema):
    """A monthly charge: ``nature`` and ``montant_mensuel`` are required to create one."""

    nature: ChargeKind | None = None
    precision: str | None = Field(None, max_length=120)
    montant_mensuel: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)


def _month(value: str, loc: tuple[str, str]) -> dt.date:
    """The first day of the month ``AAAA-MM``; a 422 on the field ``loc`` otherwise."""
    if not re.fullmatch(MONTH_PATTERN, value):
        raise NinjaValidationError([{"loc": loc, "msg": "Mois attendu au format AAAA-MM (par exemple 2026-09)."}])
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def _resource_out(resource: Resource) -> ResourceOut:
    person = resource.person
    return ResourceOut(
        id=resource.pk,
        nature=ResourceKind(resource.kind),
        nature_libelle=resource.get_kind_display(),
        personne=resource.person_id,
        beneficiaire=f"{person.first_name} {person.last_name}" if person else "Ménage",
        mois=resource.month.strftime("%Y-%m"),
        montant=resource.amount,
        prestation=resource.kind in BENEFIT_KINDS,
    )


def _charge_out(charge: Charge) -> ChargeItemOut:
    return ChargeItemOut(
        id=charge.pk,
        nature=ChargeKind(charge.kind),
        nature_libelle=charge.get_kind_display(),
        precision=charge.label,
        montant_mensuel=charge.amount,
    )


def _resource_or_404(resource_id: int) -> Resource:
    resource = Resource.objects.select_related("household", "person").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("Ressource introuvable.")
    return resource


def _charge_or_404(charge_id: int) -> Charge:
    charge = Charge.objects.select_related("household").filter(pk=charge_id).first()
    if charge is None:
        raise Http404("Charge introuvable.")
    return charge


@router.get(
    "/menages/{household_id}/ressources",
    response=ResourcesOut,
    summary="Ressources mensuelles et charges d'un ménage",
    description=(
        "Ressources mensuelles (montants nets) par mois, de `depuis` à `jusqua` (AAAA-MM), et charges "
        "mensuelles. Réservé au suivi social ; la consultation est enregistrée dans le journal d'audit. "
        "Dossier confidentiel : motif d'accès comme pour `GET /menages/{household_id}`."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def resources_get(
    request: HttpRequest, household_id: int, filters: Query[ResourceFiltersIn], motif: str = ""
) -> ResourcesOut:
    household = open_household(request, household_id, motif)
    if filters.depuis:
        since = _month(filters.depuis, ("query", "depuis"))
    else:
        since = recent_months_start(RESOURCE_MONTHS_DEFAULT)
    until = _month(filters.jusqua, ("query", "jusqua")) if filters.jusqua else None
    if until is not None and until < since:
        raise NinjaValidationError([{"loc": ("query", "jusqua"), "msg": "Le dernier mois précède le premier."}])
    resources = household_resources(household, since, until).order_by("month", "kind")
    return ResourcesOut(
        menage_id=household.pk,
        depuis=since.strftime("%Y-%m"),
        jusqua=until.strftime("%Y-%m") if until else None,
        ressources=[_resource_out(r) for r in resources],
        charges=[_charge_out(c) for c in household.charges.all()],
    )


@router.post(
    "/menages/{household_id}/ressources",
    response=ResourceOut,
    summary="Enregistrer une ressource mensuelle",
    description=(
        "Enregistre le montant net d'une ressource pour un mois ; si le ménage a déjà cette ressource pour ce "
        "bénéficiaire et ce mois, son montant est corrigé. Réservé au suivi social ; écriture enregistrée "
        "dans le journal d'audit."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def resource_post(request: HttpRequest, household_id: int, payload: ResourceIn) -> ResourceOut:
    household = get_household_for_user(request.user, household_id)
    data = require_fields(payload.dict(exclude_unset=True), ("nature", "mois", "montant"))
    person = None
    if data.get("personne") is not None:
        person = Person.objects.filter(pk=data["personne"], household=household).first()
        if person is None:
            raise NinjaValidationError(
                [{"loc": ("body", "personne"), "msg": "Cette personne n'appartient pas au ménage."}]
            )
    resource = run_service(
        resource_set,
        request,
        household=household,
        kind=data["nature"],
        month=_month(data["mois"], ("body", "mois")),
        amount=data["montant"],
        person=person,
    )
    return _resource_out(resource)


@router.patch(
    "/ressources/{resource_id}",
    response=ResourceOut,
    summary="Corriger le montant d'une ressource mensuelle",
    description="Réservé au suivi social ; écriture enregistrée dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def resource_patch(request: HttpRequest, resource_id: int, payload: ResourcePatchIn) -> ResourceOut:
    resource = _resource_or_404(resource_id)
    data = require_fields(payload.dict(exclude_unset=True), ("montant",))
    updated = run_service(
        resource_set,
        request,
        household=resource.household,
        kind=resource.kind,
        month=resource.month,
        amount=data["montant"],
        person=resource.person,
    )
    return _resource_out(updated)


@router.delete(
    "/ressources/{resource_id}",
    response={204: None},
    summary="Supprimer une ressource mensuelle",
    description="Réservé au suivi social ; suppression enregistrée dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def resource_remove(request: HttpRequest, resource_id: int) -> Status[None]:
    run_service(resource_delete, request, resource=_resource_or_404(resource_id))
    return Status(204, None)


@router.post(
    "/menages/{household_id}/charges",
    response={201: ChargeItemOut},
    summary="Ajouter une charge mensuelle",
    description="Réservé au suivi social ; écriture enregistrée dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def charge_post(request: HttpRequest, household_id: int, payload: ChargeIn) -> Status[ChargeItemOut]:
    household = get_household_for_user(request.user, household_id)
    data = require_fields(payload.dict(exclude_unset=True), ("nature", "montant_mensuel"))
    charge = run_service(
        charge_set,
        request,
        household=household,
        kind=data["nature"],
        amount=data["montant_mensuel"],
        label=data.get("precision") or "",
    )
    return Status(201, _charge_out(charge))


@router.patch(
    "/charges/{charge_id}",
    response=ChargeItemOut,
    summary="Modifier une charge mensuelle",
    description="Seuls les champs envoyés sont modifiés. Réservé au suivi social ; écriture auditée.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def charge_patch(request: HttpRequest, charge_id: int, payload: ChargeIn) -> ChargeItemOut:
    charge = _charge_or_404(charge_id)
    data = payload.dict(exclude_unset=True)
    changed = run_service(
        charge_set,
        request,
        household=charge.household,
        charge=charge,
        kind=data.get("nature") or charge.kind,
        amount=charge.amount if data.get("montant_mensuel") is None else data["montant_mensuel"],
        label=charge.label if "precision" not in data else data["precision"] or "",
    )
    return _charge_out(changed)


@router.delete(
    "/charges/{charge_id}",
    response={204: None},
    summary="Supprimer une charge mensuelle",
    description="Réservé au suivi social ; suppression enregistrée dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def charge_remove(request: HttpRequest, charge_id: int) -> Status[None]:
    run_service(charge_delete, request, charge=_charge_or_404(charge_id))
    return Status(204, None)
