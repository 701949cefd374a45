"""API of the guichet unique: requests (list, create, read, correct, assign, status), partners (directory and
its upkeep), referrals (and the partner's answer).

Write operations read their JSON body after the permission check, so that a refused caller gets a
403 whatever it sent; the body schemas are still published in the OpenAPI document."""

import datetime as dt
import json
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ValidationError as PydanticValidationError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.desk.enums import (
    Channel,
    PartnerKind,
    ReferralOutcome,
    RequestOutcome,
    RequestStatus,
    SharedData,
    Theme,
    Urgency,
)
from guichet.desk.forms import PartnerForm
from guichet.desk.models import PARTNER_FIELDS, Partner, Referral, Request
from guichet.desk.perms import get_referral_for_user, get_request_for_user
from guichet.desk.selectors import QUEUES, RequestFilters, partners_for, request_rows, requests_for
from guichet.desk.services import (
    KEEP,
    DeskError,
    partner_save,
    referral_create,
    referral_record_answer,
    request_assign,
    request_change_status,
    request_create,
    request_open,
    request_update,
)
from guichet.households.models import Person
from guichet.households.perms import get_household_for_user

router = Router(tags=["guichet"])

BodySchema = TypeVar("BodySchema", bound=Schema)


def read_body(request: HttpRequest, schema: type[BodySchema]) -> BodySchema:
    try:
        data = json.loads(request.body or b"{}")
        return schema.model_validate(data)
    except json.JSONDecodeError as error:
        raise HttpError(400, "Corps JSON illisible.") from error
    except PydanticValidationError as error:
        raise NinjaValidationError([dict(e) for e in error.errors(include_url=False)]) from error


def _inline_refs(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace pydantic's local ``$ref``s by their definition: the schema stands alone in the OpenAPI document."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline_refs(value, definitions) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(item, definitions) for item in node]
    return node


def body_doc(schema: type[Schema]) -> dict[str, Any]:
    """The request body of an operation that reads it after the permission check (see the module docstring)."""
    json_schema = schema.model_json_schema()
    inlined = _inline_refs(json_schema, json_schema.get("$defs", {}))
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": inlined}}}}


def _open(user: Any, request_id: int) -> Request:
    return get_request_for_user(user, request_id)


class RequestFiltersIn(Schema):
    file: str = Field("toutes", description="miennes, aujourdhui, en_retard ou toutes")
    theme: Theme | None = None
    quartier: str = Field("", description="Identifiant (slug) du quartier")
    statut: RequestStatus | None = None
    agent: int | None = Field(None, description="Identifiant de l'agent chargé")
    menage: int | None = Field(None, description="Identifiant du ménage")


class RequestItem(Schema):
    id: int
    menage: int
    menage_reference: str
    theme: Theme
    canal: Channel
    urgence: Urgency
    objet: str | None = Field(description="Vide pour un dossier confidentiel fermé à l'utilisateur")
    statut: RequestStatus
    issue: RequestOutcome | None
    agent: int | None
    echeance: dt.date
    creee_le: dt.datetime
    cloturee_le: dt.datetime | None


class RequestEventOut(Schema):
    quand: dt.datetime
    type: str
    agent: str
    de: str
    vers: str
    commentaire: str


class RequestOut(RequestItem):
    personne: int | None
    historique: list[RequestEventOut]


class RequestIn(Schema):
    menage: int
    theme: Theme
    canal: Channel = Channel.DESK
    urgence: Urgency = Urgency.NORMAL
    objet: str = Field(min_length=1, max_length=500)
    personne: int | None = None
    agent: int | None = None


class RequestPatchIn(Schema):
    """Every field is optional: only those sent change. ``personne: null`` means « le ménage »."""

    theme: Theme | None = None
    canal: Channel | None = None
    urgence: Urgency | None = None
    objet: str | None = Field(None, min_length=1, max_length=500)
    personne: int | None = Field(None, description="Personne concernée ; null : le ménage")
    agent: int | None = Field(
        None, description="Agent chargé (un agent qui traite les demandes) ; null : la demande n'est plus attribuée"
    )
    statut: RequestStatus | None = None
    issue: RequestOutcome | None = Field(None, description="Obligatoire pour clôturer")
    commentaire: str = ""


class PartnerOut(Schema):
    id: int
    organisme: str
    service: str
    type: str
    themes: list[str]
    territoire: str
    adresse: str
    telephone: str
    courriel: str
    delai_relance_jours: int
    coordonnees_demonstration: bool
    convention: str = Field(description="Convention avec le CCAS")
    actif: bool


class PartnerIn(Schema):
    """A directory entry; on creation ``organisme`` and ``type`` are required, on change only the fields sent
    change."""

    organisme: str | None = Field(None, min_length=1, max_length=200)
    service: str | None = Field(None, max_length=200)
    type: PartnerKind | None = None
    themes: list[Theme] | None = None
    territoire: str | None = Field(None, max_length=200)
    adresse: str | None = Field(None, max_length=300)
    telephone: str | None = Field(None, max_length=32)
    courriel: str | None = Field(None, max_length=254)
    convention: str | None = Field(None, description="Convention avec le CCAS")
    delai_relance_jours: int | None = Field(None, ge=0, le=365)
    coordonnees_demonstration: bool | None = None
    actif: bool | None = None


# API name → ``Partner`` field (``desk.models.PARTNER_FIELDS``, the fields an agent edits).
PARTNER_API_FIELDS = {
    "organisme": "organisation",
    "service": "service",
    "type": "kind",
    "themes": "themes",
    "territoire": "territory",
    "adresse": "address",
    "telephone": "phone",
    "courriel": "email",
    "convention": "agreement",
    "delai_relance_jours": "reminder_days",
    "coordonnees_demonstration": "is_demo",
    "actif": "is_active",
}
PARTNER_TEXT_FIELDS = frozenset({"service", "territory", "address", "phone", "email", "agreement"})


class ReferralAnswerIn(Schema):
    """The whole answer of the partner: the four fields are replaced by what is sent."""

    accuse_reception_le: dt.date | None = Field(None, description="Date de l'accusé de réception")
    reponse: str = Field("", max_length=5000, description="Réponse du partenaire")
    reponse_le: dt.date | None = Field(
        None, description="Date de la réponse ; par défaut aujourd'hui si l'issue est connue"
    )
    issue: ReferralOutcome


class ReferralOut(Schema):
    id: int
    partenaire: int
    partenaire_nom: str
    donnees_partagees: list[SharedData]
    envoyee_le: dt.date
    accuse_reception_le: dt.date | None
    reponse: str
    reponse_le: dt.date | None
    issue: ReferralOutcome
    relance_prevue_le: dt.date
    relance_signalee: bool


class ReferralIn(Schema):
    partenaire: int
    donnees_partagees: list[SharedData] = Field(min_length=1)
    envoyee_le: dt.date | None = None
    commentaire: str = ""


def _item(demand: Request, masked: bool = False) -> dict[str, Any]:
    return {
        "id": demand.pk,
        "menage": demand.household_id,
        "menage_reference": demand.household.reference,
        "theme": demand.theme,
        "canal": demand.channel,
        "urgence": demand.urgency,
        "objet": None if masked else demand.summary,
        "statut": demand.status,
        "issue": demand.outcome or None,
        "agent": demand.assigned_to_id,
        "echeance": demand.due_on,
        "creee_le": demand.created_at,
        "cloturee_le": demand.closed_at,
    }


def _detail(demand: Request) -> RequestOut:
    events = [
        RequestEventOut(
            quand=e.at,
            type=e.get_kind_display(),
            agent=(e.actor.get_full_name() or e.actor.get_username()) if e.actor else "",
            de=e.from_value,
            vers=e.to_value,
            commentaire=e.comment,
        )
        for e in demand.events.select_related("actor")
    ]
    return RequestOut(**_item(demand), personne=demand.person_id, historique=events)


def _referral(r: Referral) -> ReferralOut:
    return ReferralOut(
        id=r.pk,
        partenaire=r.partner_id,
        partenaire_nom=str(r.partner),
        donnees_partagees=r.shared_data,
        envoyee_le=r.sent_on,
        accuse_reception_le=r.acknowledged_on,
        reponse=r.answer,
        reponse_le=r.answered_on,
        issue=ReferralOutcome(r.outcome),
        relance_prevue_le=r.reminder_due_on,
        relance_signalee=r.reminder_sent_at is not None,
    )


@router.get("/demandes", response=list[RequestItem], summary="Lister les demandes (files de travail)")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
@paginate(PageNumberPagination, page_size=50)
def requests_list(request: HttpRequest, filters: Query[RequestFiltersIn]) -> list[dict[str, Any]]:
    if filters.file not in QUEUES:
        raise HttpError(422, f"File inconnue : choisissez parmi {', '.join(QUEUES)}.")
    selection = requests_for(
        request.user,
        RequestFilters(
            queue=filters.file,
            theme=filters.theme or "",
            quartier=filters.quartier,
            status=filters.statut or "",
            agent=filters.agent,
            household=filters.menage,
        ),
    )
    return [_item(row.request, row.is_masked) for row in request_rows(request.user, selection)]


@router.post(
    "/demandes",
    response={201: RequestOut},
    summary="Enregistrer une demande",
    openapi_extra=body_doc(RequestIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def request_create_api(request: HttpRequest) -> Status[RequestOut]:
    body = read_body(request, RequestIn)
    household = get_household_for_user(request.user, body.menage)
    person = Person.objects.filter(pk=body.personne, household=household).first() if body.personne else None
    if body.personne and person is None:
        raise HttpError(422, "Cette personne n'appartient pas au ménage.")
    agent = User.objects.filter(pk=body.agent).first() if body.agent else None  # who may have it: the service
    if body.agent and agent is None:
        raise HttpError(422, "Agent inconnu.")
    try:
        demand = request_create(
            user=request.user,
            household=household,
            theme=body.theme,
            channel=body.canal,
            urgency=body.urgence,
            summary=body.objet,
            person=person,
            assigned_to=agent,
            request=request,
            audit_channel="api",
        )
    except DeskError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return Status(201, _detail(demand))


@router.get("/demandes/{request_id}", response=RequestOut, summary="Consulter une demande et son historique")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def request_get(request: HttpRequest, request_id: int) -> RequestOut:
    demand = request_open(user=request.user, pk=request_id, request=request, audit_channel="api")
    return _detail(demand)


@router.patch(
    "/demandes/{request_id}",
    response=RequestOut,
    summary="Modifier une demande : thème, canal, urgence, objet, personne, agent chargé ou statut",
    description=(
        "Seuls les champs envoyés changent ; chaque changement est une ligne de l'historique de la demande et "
        "une entrée du journal d'audit. Clôture : `issue` obligatoire. `agent` attribue la demande à un agent "
        "qui traite les demandes (`null` : plus personne)."
    ),
    openapi_extra=body_doc(RequestPatchIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def request_patch(request: HttpRequest, request_id: int) -> RequestOut:
    demand = _open(request.user, request_id)
    body = read_body(request, RequestPatchIn)
    sent = body.model_fields_set - {"commentaire", "issue"}
    if not sent:
        raise HttpError(422, "Indiquez au moins un champ à modifier.")
    person = KEEP
    if "personne" in sent:
        person = None
        if body.personne is not None:
            person = Person.objects.filter(pk=body.personne, household=demand.household).first()
        if body.personne is not None and person is None:
            raise HttpError(422, "Cette personne n'appartient pas au ménage.")
    agent = User.objects.filter(pk=body.agent).first() if body.agent is not None else None
    if body.agent is not None and agent is None:
        raise HttpError(422, "Agent inconnu.")
    with transaction.atomic():
        if sent - {"statut", "agent"}:
            try:
                request_update(
                    user=request.user,
                    demand=demand,
                    theme=body.theme,
                    channel=body.canal,
                    urgency=body.urgence,
                    summary=body.objet,
                    person=person,
                    comment=body.commentaire,
                    request=request,
                    audit_channel="api",
                )
            except DeskError as error:
                raise HttpError(422, " ".join(error.messages)) from error
        if "agent" in sent:
            try:
                request_assign(
                    user=request.user,
                    demand=demand,
                    assigned_to=agent,
                    comment=body.commentaire,
                    request=request,
                    audit_channel="api",
                )
            except DeskError as error:
                raise HttpError(422, " ".join(error.messages)) from error
        if body.statut is not None:
            try:
                request_change_status(
                    user=request.user,
                    demand=demand,
                    to=body.statut,
                    outcome=body.issue or "",
                    comment=body.commentaire,
                    request=request,
                    audit_channel="api",
                )
            except DeskError as error:
                raise HttpError(409, " ".join(error.messages)) from error
    return _detail(demand)


@router.get("/partenaires", response=list[PartnerOut], summary="Annuaire des partenaires")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def partners_list(request: HttpRequest, type: str = "", theme: str = "") -> list[PartnerOut]:  # noqa: A002
    return [_partner(p) for p in partners_for(kind=type, theme=theme)]


def _partner(p: Partner) -> PartnerOut:
    return PartnerOut(
        id=p.pk,
        organisme=p.organisation,
        service=p.service,
        type=p.kind,
        themes=p.themes,
        territoire=p.territory,
        adresse=p.address,
        telephone=p.phone,
        courriel=p.email,
        delai_relance_jours=p.reminder_days,
        coordonnees_demonstration=p.is_demo,
        convention=p.agreement,
        actif=p.is_active,
    )


PARTNER_TO_API = {field: name for name, field in PARTNER_API_FIELDS.items()}
EMPTY_FIELD = "Ce champ ne peut pas être vide."


def _partner_errors(error: ValidationError, sent: set[str]) -> NinjaValidationError:
    """The form's (or the service's) refusal in the API's format; a required field sent empty is said to be
    empty, one left out to be required (the form says « obligatoire » for both)."""
    if not hasattr(error, "error_dict"):
        return NinjaValidationError([{"loc": ("body",), "msg": message} for message in error.messages])
    errors = []
    for field, field_errors in error.error_dict.items():
        name = PARTNER_TO_API.get(field, field)
        for field_error in field_errors:
            for message in field_error.messages:
                if field_error.code == "required" and name in sent:
                    message = EMPTY_FIELD
                errors.append({"loc": ("body", name), "msg": message})
    return NinjaValidationError(errors)


def _partner_write(request: HttpRequest, partner: Partner, body: PartnerIn) -> Partner:
    """Bind the page's ``PartnerForm`` to ``partner``'s values overlaid with the fields sent (a PATCH
    changes only those), then save it through the directory service (permission and audit)."""
    data = {field: getattr(partner, field) for field in PARTNER_FIELDS}
    sent = {name for name in body.model_fields_set if getattr(body, name) is not None}
    for name in body.model_fields_set - sent:  # null: a text emptied; a field with no value yet left out
        field = PARTNER_API_FIELDS[name]
        if field in PARTNER_TEXT_FIELDS:
            data[field] = ""
        elif data[field] != "":
            raise NinjaValidationError([{"loc": ("body", name), "msg": EMPTY_FIELD}])
    for name in sent:
        value = getattr(body, name)
        data[PARTNER_API_FIELDS[name]] = [str(item) for item in value] if isinstance(value, list) else value
    form = PartnerForm(data, instance=partner)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        return partner_save(
            user=request.user,
            partner=form.save(commit=False),
            changed=form.changed_data,
            request=request,
            audit_channel="api",
        )
    except ValidationError as error:
        raise _partner_errors(error, sent) from error


@router.post(
    "/partenaires",
    response={201: PartnerOut},
    summary="Ajouter un partenaire à l'annuaire",
    description="Réservé aux responsables (gestion des paramètres) ; l'ajout est enregistré dans le journal d'audit.",
    openapi_extra=body_doc(PartnerIn),
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def partner_create_api(request: HttpRequest) -> Status[PartnerOut]:
    body = read_body(request, PartnerIn)
    return Status(201, _partner(_partner_write(request, Partner(), body)))


@router.patch(
    "/partenaires/{partner_id}",
    response=PartnerOut,
    summary="Modifier un partenaire de l'annuaire",
    description=(
        "Seuls les champs envoyés changent ; `actif: false` retire le partenaire des orientations. Réservé aux "
        "responsables (gestion des paramètres) ; la modification est enregistrée dans le journal d'audit."
    ),
    openapi_extra=body_doc(PartnerIn),
)
@api_require_perm(Perm.SETTINGS_MANAGE)
def partner_patch_api(request: HttpRequest, partner_id: int) -> PartnerOut:
    partner = Partner.objects.filter(pk=partner_id).first()
    if partner is None:
        raise Http404("Partenaire introuvable.")
    body = read_body(request, PartnerIn)
    return _partner(_partner_write(request, partner, body))


@router.get("/demandes/{request_id}/orientations", response=list[ReferralOut], summary="Orientations d'une demande")
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referrals_list(request: HttpRequest, request_id: int) -> list[ReferralOut]:
    demand = _open(request.user, request_id)
    return [_referral(r) for r in demand.referrals.select_related("partner")]


@router.post(
    "/demandes/{request_id}/orientations",
    response={201: ReferralOut},
    summary="Orienter une demande vers un partenaire",
    openapi_extra=body_doc(ReferralIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referral_create_api(request: HttpRequest, request_id: int) -> Status[ReferralOut]:
    demand = _open(request.user, request_id)
    body = read_body(request, ReferralIn)
    partner = Partner.objects.filter(pk=body.partenaire).first()
    if partner is None:
        raise Http404("Partenaire introuvable.")
    try:
        referral = referral_create(
            user=request.user,
            demand=demand,
            partner=partner,
            shared_data=body.donnees_partagees,
            sent_on=body.envoyee_le,
            comment=body.commentaire,
            request=request,
            audit_channel="api",
        )
    except DeskError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return Status(201, _referral(referral))


@router.post(
    "/orientations/{referral_id}/reponse",
    response=ReferralOut,
    summary="Enregistrer l'accusé de réception, la réponse et l'issue d'une orientation",
    description=(
        "Remplace l'accusé de réception, la réponse, sa date et l'issue de l'orientation (une issue connue "
        "sans date de réponse prend la date du jour). Un changement d'issue s'inscrit dans l'historique de la "
        "demande ; chaque modification est enregistrée dans le journal d'audit. Réservé au suivi social."
    ),
    openapi_extra=body_doc(ReferralAnswerIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_FOLLOW)
def referral_answer_api(request: HttpRequest, referral_id: int) -> ReferralOut:
    referral = get_referral_for_user(request.user, referral_id)
    body = read_body(request, ReferralAnswerIn)
    try:
        referral = referral_record_answer(
            user=request.user,
            referral=referral,
            acknowledged_on=body.accuse_reception_le,
            answer=body.reponse,
            answered_on=body.reponse_le,
            outcome=body.issue,
            request=request,
            audit_channel="api",
        )
    except DeskError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return _referral(referral)
