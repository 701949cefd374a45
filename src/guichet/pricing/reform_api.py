"""API of the reform simulator (mounted by ``pricing.api``): create and run a simulation, follow its
progress, read its results (aggregates only: no household, no name)."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.pricing.models import MunicipalService, ReformSimulation, ReformStatus
from guichet.pricing.reform_services import (
    ReformError,
    reform_service_set,
    reform_simulation_create,
)
from guichet.pricing.tasks import reform_simulation_run
from guichet.rules.tariffs import GridError

router = Router(tags=["tarifs"])
RESULTS_PERMS = (Perm.SETTINGS_MANAGE, Perm.STATS_VIEW)


class ServiceDraftIn(Schema):
    service: str = Field(description="Slug du service municipal")
    grille: dict[str, Any] = Field(
        description="Projet de grille sous sa forme de données (comme les grilles en vigueur)"
    )
    unites_par_mois: str = Field(description="Unités par mois pour une personne qui fréquente le service, ex. « 16 »")
    frequentation: str = Field(description="Part des personnes concernées qui fréquentent le service, en %, ex. « 70 »")


class SimulationIn(Schema):
    titre: str
    population: str = Field("fichier", description="« fichier » (ménages du fichier) ou « synthetique »")
    services: list[ServiceDraftIn]
    lancer: bool = Field(True, description="Lancer le calcul aussitôt")


class SimulationOut(Schema):
    id: int
    titre: str
    population: str
    date_reference: dt.date
    etat: str
    etat_libelle: str
    avancement: int = Field(description="Avancement du calcul, en %")
    etape: str
    erreur: str
    services: list[str]
    resultats_disponibles: bool


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline_refs(value, definitions) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


def _body_doc() -> dict[str, Any]:
    """The body is read after the permission check (a denied user gets 403, not a validation error)."""
    json_schema = SimulationIn.model_json_schema()
    inlined = _inline_refs(json_schema, json_schema.get("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inlined}}}}


def _body(request: HttpRequest) -> SimulationIn:
    try:
        return SimulationIn.model_validate(json.loads(request.body or b"{}"))
    except json.JSONDecodeError as error:
        raise HttpError(400, "Corps JSON illisible.") from error
    except PydanticValidationError as error:
        raise NinjaValidationError([dict(e) for e in error.errors(include_url=False)]) from error


def _out(simulation: ReformSimulation) -> SimulationOut:
    return SimulationOut(
        id=simulation.pk,
        titre=simulation.title,
        population=simulation.population,
        date_reference=simulation.reference_date,
        etat=simulation.status,
        etat_libelle=simulation.get_status_display(),
        avancement=simulation.progress,
        etape=simulation.progress_label,
        erreur=simulation.error,
        services=[item["service"] for item in simulation.scenario],
        resultats_disponibles=simulation.status == ReformStatus.DONE and bool(simulation.results),
    )


def _get(simulation_id: int) -> ReformSimulation:
    simulation = ReformSimulation.objects.filter(pk=simulation_id).first()
    if simulation is None:
        raise HttpError(404, "Simulation introuvable.")
    return simulation


def _grid_error(error: GridError) -> HttpError:
    return HttpError(422, f"Projet invalide : {error}")


@router.post(
    "/tarifs/simulations",
    response={201: SimulationOut},
    summary="Créer (et lancer) une simulation de réforme tarifaire",
    openapi_extra=_body_doc(),
    description=(
        "Les projets de grille de un ou plusieurs services, avec les hypothèses de fréquentation ; le calcul "
        "tourne en arrière-plan (suivre GET /tarifs/simulations/{id}). Réservé aux responsables."
    ),
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def simulation_create(request: HttpRequest) -> Status[Any]:
    payload = _body(request)
    if not payload.services:
        raise HttpError(422, "Donnez au moins un service et son projet de grille.")
    slugs = {s.slug: s for s in MunicipalService.objects.filter(slug__in=[d.service for d in payload.services])}
    unknown = [d.service for d in payload.services if d.service not in slugs]
    if unknown:
        raise HttpError(422, f"Service inconnu : {', '.join(unknown)}.")
    try:
        with transaction.atomic():  # nothing is kept when one draft is invalid
            simulation = _create(request, payload, slugs)
    except GridError as error:
        raise _grid_error(error) from error
    except ReformError as error:
        raise HttpError(422, str(error)) from error
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from error
    simulation.refresh_from_db()
    return Status(201, _out(simulation))


def _create(request: HttpRequest, payload: SimulationIn, slugs: dict[str, MunicipalService]) -> ReformSimulation:
    simulation = reform_simulation_create(
        user=request.user, title=payload.titre, population=payload.population, request=request, channel="api"
    )
    for index, draft in enumerate(payload.services):
        try:
            simulation = reform_service_set(
                user=request.user,
                simulation=simulation,
                service=slugs[draft.service],
                grid=draft.grille,
                units_per_month=draft.unites_par_mois,
                attendance_percent=draft.frequentation,
                request=request,
                channel="api",
            )
        except GridError as error:
            raise GridError(
                [
                    type(e)(f"services[{index}].{e.path}" if e.path else f"services[{index}]", e.message)
                    for e in error.errors
                ]
            ) from error
    if payload.lancer:
        simulation = reform_simulation_run(user=request.user, simulation=simulation, request=request, channel="api")
    return simulation


@router.post(
    "/tarifs/simulations/{simulation_id}/lancer",
    response={202: SimulationOut},
    summary="Lancer (ou relancer) le calcul d'une simulation",
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def simulation_run(request: HttpRequest, simulation_id: int) -> Status[Any]:
    simulation = _get(simulation_id)
    try:
        reform_simulation_run(user=request.user, simulation=simulation, request=request, channel="api")
    except GridError as error:
        raise _grid_error(error) from error
    except ReformError as error:
        raise HttpError(409, str(error)) from error
    simulation.refresh_from_db()
    return Status(202, _out(simulation))


@router.get(
    "/tarifs/simulations/{simulation_id}",
    response=SimulationOut,
    summary="État et avancement d'une simulation de réforme tarifaire",
)
@api_require_perm(any_of=RESULTS_PERMS)
def simulation_status(request: HttpRequest, simulation_id: int) -> SimulationOut:
    return _out(_get(simulation_id))


@router.get(
    "/tarifs/simulations/{simulation_id}/resultats",
    response=dict[str, Any],
    summary="Résultats d'une simulation (agrégés, sans donnée nominative)",
    description=(
        "Montants mensuels en texte (« 11.20 »). Recettes par service, gagnants et perdants par décile de "
        "quotient et par quartier, taux d'effort par tranche de quotient, effets de seuil pour des familles types."
    ),
)
@api_require_perm(any_of=RESULTS_PERMS)
def simulation_results(request: HttpRequest, simulation_id: int) -> dict[str, Any]:
    simulation = _get(simulation_id)
    if simulation.status != ReformStatus.DONE or not simulation.results:
        raise HttpError(409, f"Pas encore de résultats : la simulation est « {simulation.get_status_display()} ».")
    return dict(simulation.results)
