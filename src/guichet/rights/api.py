"""Rights API: run a household's assessment (stored, audited) and read a stored one. The body is
read after the permission check, so that a refused caller gets a 403 whatever it sent."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired
from guichet.rights.comparison import row_json
from guichet.rights.mapping import IncompleteHousehold
from guichet.rights.models import RightsAssessment
from guichet.rights.presentation import assessment_view
from guichet.rights.services import assessment_open, assessment_run

router = Router(tags=["droits"])
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CONFIDENTIAL = "Ce dossier est confidentiel : ouvrez-le d'abord avec un motif (GET /api/v1/menages/{id})."


class BilanIn(Schema):
    mois: str | None = Field(
        None, description="Mois simulé AAAA-MM ; par défaut le mois en cours", examples=["2026-11"]
    )


class AideOut(Schema):
    cle: str
    libelle: str
    eligible: bool
    montant: Decimal | None = Field(description="Montant estimé ; vide pour une aide en nature")
    periode: str = Field(description="mensuel, annuel ou en_nature")
    statut: str = Field(description="a_demander, ecart, percu, eligible, a_verifier ou non_eligible")
    statut_libelle: str
    percu: Decimal | None = Field(description="Dernier montant perçu de cette prestation jusqu'au mois simulé")
    percu_mois: str | None
    ecart_mensuel: Decimal | None = Field(description="Pourrait percevoir − perçoit, pour une aide mensuelle perçue")
    elements: list[str] = Field(description="Les éléments qui ont décidé du calcul")
    organisme: str
    lien: str
    demarche: str
    pieces: list[str]
    avertissements: list[str] = Field(description="Paramètres d'OpenFisca-France non mis à jour")


class BilanOut(Schema):
    id: int
    menage_id: int
    mois: str
    calcule_le: dt.datetime
    agent: str | None
    openfisca_france: str
    catalogue: str
    non_percu_mensuel: Decimal = Field(description="Aides mensuelles à demander et écarts, par mois")
    aides: list[AideOut]
    que_faire: list[str] = Field(description="Clés des aides à demander ou à vérifier")
    donnees_utilisees: list[str]


def _out(assessment: RightsAssessment) -> BilanOut:
    view = assessment_view(assessment)
    return BilanOut(
        id=assessment.pk,
        menage_id=assessment.household_id,
        mois=f"{assessment.month:%Y-%m}",
        calcule_le=assessment.created_at,
        agent=assessment.created_by.get_username() if assessment.created_by else None,
        openfisca_france=assessment.openfisca_france_version,
        catalogue=assessment.catalogue_version,
        non_percu_mensuel=view.monthly_unclaimed,
        aides=[AideOut(**row_json(row)) for row in view.rows],
        que_faire=[row.result.key for row in view.to_do],
        donnees_utilisees=list(view.summary),
    )


def _month(request: HttpRequest) -> dt.date:
    try:
        body = BilanIn.model_validate(json.loads(request.body or b"{}"))
    except (json.JSONDecodeError, ValueError) as error:
        raise HttpError(400, 'Corps JSON illisible : attendu {"mois": "AAAA-MM"}.') from error
    if body.mois is None:
        return timezone.localdate().replace(day=1)
    if not MONTH.match(body.mois):
        raise HttpError(422, f"mois : format AAAA-MM attendu (reçu « {body.mois} »).")
    return dt.date.fromisoformat(f"{body.mois}-01")


@router.post(
    "/menages/{household_id}/bilans",
    response={201: BilanOut},
    summary="Faire le bilan de droits d'un ménage",
    description=(
        "Calcule avec OpenFisca-France les aides nationales du ménage pour le mois donné, à partir du dossier tel "
        "qu'il est, et enregistre le bilan (données, résultats, version). Si le dernier bilan de ce mois a été "
        "calculé avec les mêmes données et les mêmes versions, il est renvoyé sans nouveau calcul. Réservé au "
        "suivi social ; enregistré dans le journal d'audit. Le premier calcul après un démarrage prend 10 à 15 s."
    ),
    openapi_extra={
        "requestBody": {"required": False, "content": {"application/json": {"schema": BilanIn.model_json_schema()}}}
    },
)
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def assessment_run_api(request: HttpRequest, household_id: int) -> Status[BilanOut]:
    month = _month(request)
    try:
        assessment = assessment_run(
            user=request.user, household_id=household_id, month=month, request=request, channel="api"
        )
    except BreakGlassRequired as required:
        raise PermissionDenied(CONFIDENTIAL) from required
    except IncompleteHousehold as error:
        raise HttpError(422, str(error)) from error
    return Status(201, _out(assessment))


@router.get("/bilans/{assessment_id}", response=BilanOut, summary="Lire un bilan de droits enregistré")
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def assessment_get_api(request: HttpRequest, assessment_id: int) -> BilanOut:
    try:
        assessment = assessment_open(user=request.user, assessment_id=assessment_id, request=request, channel="api")
    except BreakGlassRequired as required:
        raise PermissionDenied(CONFIDENTIAL) from required
    return _out(assessment)
