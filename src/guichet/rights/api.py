"""Rights API: run a household's assessment (stored, audited) and read a stored one. The body is
read after the permission check, so that a refused caller gets a 403 whatever it sent."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.rights.campaigns import (
    BENEFIT_LABELS,
    CampaignError,
    ResultRow,
    TargetFilters,
    campaign_list,
    campaign_results,
    campaign_start,
    campaign_target_record,
    campaign_targets_assign,
    campaign_targets_open,
)
from guichet.rights.comparison import row_json
from guichet.rights.mapping import IncompleteHousehold
from guichet.rights.models import Campaign, CampaignTarget, RightsAssessment, TargetOutcome
from guichet.rights.perms import get_campaign_for_user, get_target_for_user
from guichet.rights.presentation import assessment_view
from guichet.rights.services import assessment_open, assessment_run
from guichet.rights.tasks import campaign_enqueue
from guichet.territory.models import Quartier

router = Router(tags=["droits"])
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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


def _parse_month(mois: str | None) -> dt.date:
    """The first day of the month ``AAAA-MM`` sent; the current month when none is sent."""
    if mois is None:
        return timezone.localdate().replace(day=1)
    if not MONTH.match(mois):
        raise HttpError(422, f"mois : format AAAA-MM attendu (reçu « {mois} »).")
    return dt.date.fromisoformat(f"{mois}-01")


def _month(request: HttpRequest) -> dt.date:
    try:
        body = BilanIn.model_validate(json.loads(request.body or b"{}"))
    except (json.JSONDecodeError, ValueError) as error:
        raise HttpError(400, 'Corps JSON illisible : attendu {"mois": "AAAA-MM"}.') from error
    return _parse_month(body.mois)


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
    except IncompleteHousehold as error:
        raise HttpError(422, str(error)) from error
    return Status(201, _out(assessment))


@router.get("/bilans/{assessment_id}", response=BilanOut, summary="Lire un bilan de droits enregistré")
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def assessment_get_api(request: HttpRequest, assessment_id: int) -> BilanOut:
    assessment = assessment_open(user=request.user, assessment_id=assessment_id, request=request, channel="api")
    return _out(assessment)


# --- Non-take-up campaigns (« aller vers ») ----------------------------------------------------------


class CampagneIn(Schema):
    nom: str = Field(description="Nom de la campagne", examples=["Aller vers — novembre 2026"])
    mois: str | None = Field(None, description="Mois simulé AAAA-MM ; par défaut le mois en cours")
    perimetre: str = Field("tous", description="tous, quartier ou public")
    quartier: str | None = Field(None, description="Identifiant (slug) du quartier, pour le périmètre « quartier »")
    public: str | None = Field(None, description="seniors, monoparentales, familles ou handicap (périmètre « public »)")


class ResultatLigneOut(Schema):
    cle: str
    libelle: str
    menages: int
    non_percu_mensuel: Decimal


class CampagneOut(Schema):
    id: int
    nom: str
    perimetre: str
    quartier: str | None
    public: str
    mois: str
    etat: str = Field(description="en_attente, en_cours, terminee ou echec")
    erreur: str
    menages_a_simuler: int
    menages_simules: int
    menages_non_simulables: int
    progression: int = Field(description="Pourcentage des ménages simulés")
    openfisca_france: str
    creee_le: dt.datetime
    terminee_le: dt.datetime | None


class CampagneResultatOut(CampagneOut):
    menages_reperes: int
    non_percu_mensuel: Decimal
    par_prestation: list[ResultatLigneOut]
    par_quartier: list[ResultatLigneOut]
    menages_contactes: int
    demandes_faites: int
    recupere_mensuel: Decimal


class CibleOut(Schema):
    id: int
    menage_id: int
    menage: str = Field(description="Référence du dossier")
    quartier: str | None
    prestation: str
    prestation_libelle: str
    ecart: bool = Field(description="Perçue, mais plus de 5 € en dessous du montant estimé")
    non_percu_mensuel: Decimal
    agent_id: int | None
    suite: str
    contacte_le: dt.date | None
    montant_obtenu_mensuel: Decimal | None
    notes: str


class CibleIn(Schema):
    agent_id: int | None = Field(None, description="Attribuer à cet agent (responsables) ; omis : inchangé")
    retirer_agent: bool = Field(False, description="Retirer l'attribution (responsables)")
    suite: str | None = Field(None, description="a_contacter, contacte, demande_faite, pas_interesse, non_eligible")
    contacte_le: dt.date | None = None
    montant_obtenu_mensuel: Decimal | None = None
    notes: str | None = None


def _campaign_out(campaign: Campaign) -> dict[str, object]:
    return {
        "id": campaign.pk,
        "nom": campaign.name,
        "perimetre": campaign.scope,
        "quartier": campaign.quartier.slug if campaign.quartier else None,
        "public": campaign.group,
        "mois": f"{campaign.month:%Y-%m}",
        "etat": campaign.status,
        "erreur": campaign.error,
        "menages_a_simuler": campaign.total,
        "menages_simules": campaign.done,
        "menages_non_simulables": campaign.skipped,
        "progression": campaign.percent,
        "openfisca_france": campaign.openfisca_france_version,
        "creee_le": campaign.created_at,
        "terminee_le": campaign.finished_at,
    }


def _result_lines(rows: list[ResultRow]) -> list[ResultatLigneOut]:
    return [
        ResultatLigneOut(cle=r.key, libelle=r.label, menages=r.households, non_percu_mensuel=r.monthly) for r in rows
    ]


def _target_out(target: CampaignTarget) -> CibleOut:
    return CibleOut(
        id=target.pk,
        menage_id=target.household_id,
        menage=target.household.reference,
        quartier=target.quartier.slug if target.quartier else None,
        prestation=target.benefit,
        prestation_libelle=BENEFIT_LABELS.get(target.benefit, target.benefit),
        ecart=target.is_gap,
        non_percu_mensuel=target.estimated_monthly,
        agent_id=target.assigned_to_id,
        suite=target.outcome,
        contacte_le=target.contacted_on,
        montant_obtenu_mensuel=target.claimed_monthly,
        notes=target.notes,
    )


def _json_body(request: HttpRequest, schema: type[Schema]) -> Schema:
    try:
        return schema.model_validate(json.loads(request.body or b"{}"))
    except json.JSONDecodeError as error:
        raise HttpError(400, "Corps JSON illisible.") from error
    except ValueError as error:
        raise HttpError(422, f"Données invalides : {error}") from error


@router.get("/campagnes", response=list[CampagneOut], summary="Lister les campagnes « aller vers »")
@api_require_perm(any_of=(Perm.HOUSEHOLD_FOLLOW, Perm.STATS_VIEW))
def campaigns_list_api(request: HttpRequest) -> list[dict[str, object]]:
    return [_campaign_out(campaign) for campaign in campaign_list()[:200]]


@router.post(
    "/campagnes",
    response={201: CampagneOut},
    summary="Lancer une campagne « aller vers »",
    description=(
        "Simule par lots, en arrière-plan, les ménages qui ont accepté le contact proactif (tous, un quartier ou un "
        "public cible) et repère les prestations mensuelles probablement non perçues. Suivez l'avancement avec "
        "GET /campagnes/{id}. Réservé aux responsables ; enregistré dans le journal d'audit."
    ),
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": CampagneIn.model_json_schema()}}}
    },
)
@api_require_perm(Perm.DECIDE, Perm.HOUSEHOLD_FOLLOW)
def campaign_create_api(request: HttpRequest) -> Status[dict[str, object]]:
    body = _json_body(request, CampagneIn)
    assert isinstance(body, CampagneIn)  # noqa: S101 - narrowing for the type checker
    month = _parse_month(body.mois)
    quartier_id = None
    if body.quartier:
        quartier = Quartier.objects.filter(slug=body.quartier).first()
        if quartier is None:
            raise HttpError(422, f"Quartier « {body.quartier} » inconnu.")
        quartier_id = quartier.pk
    try:
        campaign = campaign_start(
            user=request.user,
            name=body.nom,
            month=month,
            scope=body.perimetre,
            quartier_id=quartier_id,
            group=body.public or "",
            request=request,
            channel="api",
        )
    except CampaignError as error:
        raise HttpError(422, str(error)) from error
    campaign_enqueue(campaign.pk)
    return Status(201, _campaign_out(campaign))


@router.get("/campagnes/{campaign_id}", response=CampagneResultatOut, summary="État et résultat d'une campagne")
@api_require_perm(any_of=(Perm.HOUSEHOLD_FOLLOW, Perm.STATS_VIEW))
def campaign_get_api(request: HttpRequest, campaign_id: int) -> CampagneResultatOut:
    campaign = get_campaign_for_user(request.user, campaign_id)
    results = campaign_results(campaign)
    return CampagneResultatOut(
        **_campaign_out(campaign),  # type: ignore[arg-type]
        menages_reperes=results.households,
        non_percu_mensuel=results.monthly,
        par_prestation=_result_lines(results.by_benefit),
        par_quartier=_result_lines(results.by_quartier),
        menages_contactes=results.contacted_households,
        demandes_faites=results.claims,
        recupere_mensuel=results.recovered_monthly,
    )


class CiblesPageOut(Schema):
    count: int = Field(description="Nombre total de lignes (une par ménage et par prestation)")
    page: int
    pages: int
    items: list[CibleOut]


TARGETS_PER_PAGE = 100


@router.get(
    "/campagnes/{campaign_id}/menages",
    response=CiblesPageOut,
    summary="Ménages à contacter d'une campagne",
    description=(
        "Tous pour un responsable, ceux qui lui sont attribués pour un travailleur social ; 100 par page. Filtres : "
        "prestation, quartier (slug, « - » sans quartier), agent (0 : non attribués), suite, ecart (true : perçue trop "
        "bas, false : non perçue). Lecture auditée."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def campaign_targets_api(
    request: HttpRequest,
    campaign_id: int,
    prestation: str = "",
    quartier: str = "",
    agent: int | None = None,
    suite: str = "",
    ecart: bool | None = None,
    page: int = 1,
) -> CiblesPageOut:
    _campaign, targets = campaign_targets_open(
        user=request.user,
        campaign_id=campaign_id,
        filters=TargetFilters(benefit=prestation, quartier=quartier, agent=agent, outcome=suite, gap=ecart),
        request=request,
        channel="api",
    )
    count = targets.count()
    pages = max(1, -(-count // TARGETS_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * TARGETS_PER_PAGE
    items = [_target_out(target) for target in targets[start : start + TARGETS_PER_PAGE]]
    return CiblesPageOut(count=count, page=page, pages=pages, items=items)


@router.patch(
    "/campagnes/menages/{target_id}",
    response=CibleOut,
    summary="Attribuer un ménage de campagne ou enregistrer la suite du contact",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": CibleIn.model_json_schema()}}}
    },
)
@api_require_perm(Perm.HOUSEHOLD_FOLLOW)
def campaign_target_update_api(request: HttpRequest, target_id: int) -> CibleOut:
    target = get_target_for_user(request.user, target_id)
    body = _json_body(request, CibleIn)
    assert isinstance(body, CibleIn)  # noqa: S101 - narrowing for the type checker
    sent = body.model_fields_set  # PATCH: what is not sent keeps its recorded value
    try:
        with transaction.atomic():  # assignment and outcome together, or neither
            if body.agent_id is not None or body.retirer_agent:
                campaign_targets_assign(
                    user=request.user,
                    campaign_id=target.campaign_id,
                    target_ids=[target.pk],
                    agent_id=None if body.retirer_agent else body.agent_id,
                    request=request,
                    channel="api",
                )
            if body.suite is not None:
                kept_amount = target.claimed_monthly if body.suite == TargetOutcome.CLAIMED else None
                campaign_target_record(
                    user=request.user,
                    target_id=target.pk,
                    outcome=body.suite,
                    contacted_on=body.contacte_le if "contacte_le" in sent else target.contacted_on,
                    claimed_monthly=(body.montant_obtenu_mensuel if "montant_obtenu_mensuel" in sent else kept_amount),
                    notes=(body.notes or "") if "notes" in sent else target.notes,
                    request=request,
                    channel="api",
                )
    except CampaignError as error:
        raise HttpError(422, str(error)) from error
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return _target_out(CampaignTarget.objects.select_related("household", "quartier").get(pk=target.pk))
