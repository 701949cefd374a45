"""Households API: list (fuzzy name search, filters), detail (policy-checked and audited) and writes on the
file through ``households.services``; the social situation (resources, charges) is in ``api_social``."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.duplicates import DuplicateCandidate
from guichet.households.enums import HouseholdRole, HousingStatus, Occupation, QuotientSource, Sex
from guichet.households.models import Household, Person
from guichet.households.perms import BreakGlassRequired, can_see_social_situation
from guichet.households.selectors import HouseholdFilters, household_detail, household_ids_for, household_rows
from guichet.households.services import (
    KEEP_ADDRESS,
    AddressInput,
    PossibleDuplicates,
    household_break_glass,
    household_create,
    household_open,
    household_update,
    person_add,
    person_update,
)

router = Router(tags=["ménages"])
Written = TypeVar("Written")


class HouseholdListItem(Schema):
    id: int
    reference: str
    adultes: str = Field(description="Noms des adultes ; vide pour un dossier confidentiel fermé à l'utilisateur")
    quartier: str
    qpv: bool
    nombre_personnes: int
    confidentiel: bool
    masque: bool = Field(description="Vrai quand le dossier est confidentiel et que les noms sont masqués")
    fictif: bool


class HouseholdListFilters(Schema):
    q: str = Field("", description="Nom ou prénom (tolère accents, majuscules et une faute de frappe)")
    quartier: str = Field("", description="Identifiant (slug) du quartier")
    qpv: bool | None = Field(None, description="Seulement les ménages en QPV (true) ou hors QPV (false)")


class PersonOut(Schema):
    id: int
    prenom: str
    nom: str
    place: str
    date_naissance: dt.date
    situation: str
    telephone: str
    courriel: str
    taux_incapacite: int | None = Field(
        description="Taux d'incapacité reconnu (%), null s'il n'est pas connu ou pour qui ne voit pas la situation "
        "sociale"
    )
    rqth: bool | None = Field(
        description="Reconnaissance de la qualité de travailleur handicapé (null pour qui ne voit pas la situation "
        "sociale)"
    )
    carte_invalidite: bool | None = Field(
        description="Carte mobilité inclusion mention invalidité (null pour qui ne voit pas la situation sociale)"
    )
    grossesse: bool | None = Field(description="Grossesse en cours (null pour qui ne voit pas la situation sociale)")


class MonthlyResourceOut(Schema):
    nature: str
    beneficiaire: str
    prestation: bool
    montants: dict[str, Decimal | None]


class TaxableIncomeOut(Schema):
    personne: str
    annee: int
    montant: Decimal


class ChargeOut(Schema):
    nature: str
    precision: str
    montant_mensuel: Decimal


class SocialSituationOut(Schema):
    logement: str
    bailleur: str
    loyer: Decimal | None
    numero_caf: str = Field(description="N° allocataire CAF ; vide s'il n'est pas connu")
    numero_msa: str = Field(description="N° MSA ; vide s'il n'est pas connu")
    quotient_familial_caf: Decimal | None
    quotient_familial_date: dt.date | None
    quotient_familial_source: str
    ressources: list[MonthlyResourceOut]
    revenus_declares: list[TaxableIncomeOut]
    charges: list[ChargeOut] = Field(default_factory=list, description="Charges mensuelles déclarées")


class HouseholdOut(Schema):
    id: int
    reference: str
    adresse: str
    quartier: str | None
    qpv: bool
    telephone: str
    courriel: str
    confidentiel: bool
    fictif: bool
    personnes: list[PersonOut]
    consentements: list[str]
    situation_sociale: SocialSituationOut | None = Field(
        None, description="Présente seulement pour les rôles qui suivent les ménages (travailleur social, responsable)"
    )


@router.get("/menages", response=list[HouseholdListItem], summary="Lister et rechercher les ménages")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
@paginate(PageNumberPagination, page_size=50)
def households_list(request: HttpRequest, filters: Query[HouseholdListFilters]) -> list[HouseholdListItem]:
    ids = list(household_ids_for(HouseholdFilters(q=filters.q, quartier=filters.quartier, qpv=filters.qpv)))
    return [
        HouseholdListItem(
            id=row.pk,
            reference=row.reference,
            adultes=row.adults,
            quartier=row.quartier,
            qpv=row.is_qpv,
            nombre_personnes=row.people_count,
            confidentiel=row.is_confidential,
            masque=row.is_masked,
            fictif=row.is_synthetic,
        )
        for row in household_rows(request.user, ids)
    ]


def open_household(request: HttpRequest, household_id: int, motif: str) -> Household:
    """The household after the policy check, the read audited; a confidential file is opened with the
    reason given (header ``X-Motif-Acces`` or parameter ``motif``): « bris de glace », audited too."""
    motif = request.headers.get("X-Motif-Acces", "") or motif
    try:
        return household_open(user=request.user, pk=household_id, request=request, channel="api")
    except BreakGlassRequired as required:
        if not motif:
            raise PermissionDenied(
                "Ce dossier est confidentiel : fournissez le motif de votre accès (paramètre « motif »)."
            ) from required
        try:
            household_break_glass(
                user=request.user, household=required.household, reason=motif, request=request, channel="api"
            )
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages)) from error
        return household_open(user=request.user, pk=household_id, request=request, channel="api")


@router.get(
    "/menages/{household_id}",
    response=HouseholdOut,
    summary="Consulter un ménage",
    description=(
        "Chaque consultation est enregistrée dans le journal d'audit. Un dossier confidentiel n'est ouvert "
        "qu'à ses référents et aux responsables ; les autres agents habilités doivent fournir un motif "
        "(en-tête `X-Motif-Acces`, ou paramètre `motif` ; 15 caractères au moins), enregistré et signalé aux "
        "responsables (« bris de glace »). Préférez l'en-tête : les adresses appelées figurent dans les journaux."
    ),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def household_get(request: HttpRequest, household_id: int, motif: str = "") -> HouseholdOut:
    household = open_household(request, household_id, motif)
    detail = household_detail(request.user, household)
    h = detail.household
    address = h.address
    social = None
    if can_see_social_situation(request.user):
        social = SocialSituationOut(
            logement=h.get_housing_status_display(),
            bailleur=h.landlord,
            loyer=h.rent,
            numero_caf=h.caf_number,
            numero_msa=h.msa_number,
            quotient_familial_caf=h.caf_quotient,
            quotient_familial_date=h.caf_quotient_date,
            quotient_familial_source=h.get_caf_quotient_source_display() if h.caf_quotient_source else "",
            ressources=[
                MonthlyResourceOut(
                    nature=line.label,
                    beneficiaire=line.person,
                    prestation=line.is_benefit,
                    montants={m.strftime("%Y-%m"): a for m, a in zip(detail.months, line.amounts, strict=True)},
                )
                for line in detail.resource_lines
            ],
            revenus_declares=[
                TaxableIncomeOut(personne=name, annee=year, montant=amount)
                for name, year, amount in detail.taxable_incomes
            ],
            charges=[
                ChargeOut(nature=c.get_kind_display(), precision=c.label, montant_mensuel=c.amount)
                for c in detail.charges
            ],
        )
    return HouseholdOut(
        id=h.pk,
        reference=h.reference,
        adresse=str(address) if address else "",
        quartier=address.quartier.name if address and address.quartier else None,
        qpv=bool(address and address.quartier and address.quartier.is_qpv),
        telephone=h.phone,
        courriel=h.email,
        confidentiel=h.is_confidential,
        fictif=h.is_synthetic,
        personnes=[
            PersonOut(
                id=p.pk,
                prenom=p.first_name,
                nom=p.last_name,
                place=p.get_household_role_display(),
                date_naissance=p.birth_date,
                situation=p.get_occupation_display(),
                telephone=p.phone,
                courriel=p.email,
                taux_incapacite=p.disability_rate if detail.show_social else None,
                rqth=p.has_rqth if detail.show_social else None,
                carte_invalidite=p.has_disability_card if detail.show_social else None,
                grossesse=p.is_pregnant if detail.show_social else None,
            )
            for p in detail.people
        ],
        consentements=[c.get_scope_display() for c in detail.consents],
        situation_sociale=social,
    )


# --- Writing the file ------------------------------------------------------------------------------

PERSON_API_FIELDS = {
    "prenom": "first_name",
    "nom": "last_name",
    "nom_naissance": "birth_name",
    "sexe": "sex",
    "date_naissance": "birth_date",
    "place": "household_role",
    "situation": "occupation",
    "telephone": "phone",
    "courriel": "email",
    "taux_incapacite": "disability_rate",
    "rqth": "has_rqth",
    "carte_invalidite": "has_disability_card",
    "grossesse": "is_pregnant",
}
HOUSEHOLD_API_FIELDS = {
    "telephone": "phone",
    "courriel": "email",
    "logement": "housing_status",
    "bailleur": "landlord",
    "loyer": "rent",
    "numero_caf": "caf_number",
    "numero_msa": "msa_number",
    "quotient_familial_caf": "caf_quotient",
    "quotient_familial_date": "caf_quotient_date",
    "quotient_familial_source": "caf_quotient_source",
    "confidentiel": "is_confidential",
}
DUPLICATES_DESCRIPTION = (
    "Si des personnes au nom proche et de même année de naissance existent déjà, la réponse est 409 avec "
    "la liste des candidats (masqués pour les dossiers confidentiels fermés à l'utilisateur) ; renvoyez la "
    "demande avec `forcer: true` pour créer quand même."
)


class AddressIn(Schema):
    numero: str = Field("", max_length=16)
    voie: str = Field(..., min_length=1, max_length=200)
    complement: str = Field("", max_length=200)
    code_postal: str = Field(..., pattern=r"^\d{5}$")
    commune: str = Field(..., min_length=1, max_length=120)

    def to_input(self) -> AddressInput:
        return AddressInput(
            number=self.numero,
            street_name=self.voie,
            complement=self.complement,
            postcode=self.code_postal,
            city=self.commune,
        )


class PersonPatchIn(Schema):
    prenom: str | None = Field(None, min_length=1, max_length=120)
    nom: str | None = Field(None, min_length=1, max_length=120)
    nom_naissance: str | None = Field(None, max_length=120)
    sexe: Sex | None = None
    date_naissance: dt.date | None = None
    place: HouseholdRole | None = Field(None, description="Place dans le ménage")
    situation: Occupation | None = None
    telephone: str | None = Field(None, max_length=32)
    courriel: str | None = Field(None, max_length=254)
    taux_incapacite: int | None = Field(None, ge=0, le=100)
    rqth: bool | None = None
    carte_invalidite: bool | None = None
    grossesse: bool | None = None


class PersonIn(PersonPatchIn):
    """A new person: ``prenom``, ``nom``, ``sexe`` and ``date_naissance`` are required (checked after the
    permission check, so that a refused caller learns nothing from validation)."""

    forcer: bool = Field(False, description="Créer même si des doublons possibles existent")


REQUIRED_PERSON_FIELDS = ("prenom", "nom", "sexe", "date_naissance")


def require_fields(data: dict[str, Any] | None, names: tuple[str, ...], prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    """``data`` when each of ``names`` is given (not null), else a 422 naming the missing fields."""
    data = data or {}
    missing = [name for name in names if data.get(name) is None]
    if missing:
        raise NinjaValidationError(
            [{"loc": ("body", *prefix, name), "msg": "Ce champ est obligatoire."} for name in missing]
        )
    return data


def _require_person_fields(data: dict[str, Any] | None, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    return require_fields(data, REQUIRED_PERSON_FIELDS, prefix)


class HouseholdPatchIn(Schema):
    telephone: str | None = Field(None, max_length=32)
    courriel: str | None = Field(None, max_length=254)
    adresse: AddressIn | None = Field(None, description="Nouvelle adresse ; `null` pour la retirer")
    logement: HousingStatus | None = Field(None, description="Situation sociale : travailleurs sociaux seulement")
    bailleur: str | None = Field(None, max_length=200)
    loyer: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    numero_caf: str | None = Field(None, max_length=16)
    numero_msa: str | None = Field(None, max_length=16)
    quotient_familial_caf: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    quotient_familial_date: dt.date | None = None
    quotient_familial_source: QuotientSource | None = None
    confidentiel: bool | None = None


class HouseholdCreateIn(HouseholdPatchIn):
    demandeur: PersonIn | None = Field(
        None, description="Le demandeur (obligatoire) : prenom, nom, sexe et date_naissance au moins"
    )
    forcer: bool = Field(False, description="Créer même si des doublons possibles existent")


class CreatedOut(Schema):
    id: int
    reference: str = ""


class ChangedOut(Schema):
    id: int
    champs_modifies: list[str] = Field(description="Noms des champs réellement modifiés")


class DuplicateOut(Schema):
    personne_id: int
    menage_id: int
    reference: str
    nom: str = Field(description="Vide pour un dossier confidentiel fermé à l'utilisateur")
    date_naissance: dt.date | None
    meme_date_naissance: bool
    masque: bool


class DuplicatesProblem(Schema):
    type: str = "about:blank"
    title: str = "Doublons possibles"
    status: int = 409
    detail: str = "Ces personnes existent peut-être déjà ; renvoyez la demande avec « forcer » pour créer quand même."
    candidats: list[DuplicateOut]


def _model_values(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """API names to model field names; ``None`` means an empty text for text fields."""
    values = {}
    for api_name, value in data.items():
        if api_name not in names:
            continue
        if value is None and api_name in TEXT_API_FIELDS:
            value = ""
        values[names[api_name]] = value
    return values


TEXT_API_FIELDS = frozenset(
    {"nom_naissance", "telephone", "courriel", "bailleur", "numero_caf", "numero_msa", "quotient_familial_source"}
)
FIELD_TO_API = {model: api for api, model in (PERSON_API_FIELDS | HOUSEHOLD_API_FIELDS).items()}
# Model fields of resources and charges, as the API names them in error messages.
SOCIAL_ITEM_TO_API = {
    "kind": "nature",
    "month": "mois",
    "person": "personne",
    "label": "precision",
    "amount": "montant",
}


def _invalid(error: ValidationError) -> NinjaValidationError:
    """A service's ValidationError as a 422 problem, with the API's field names."""
    if hasattr(error, "error_dict"):
        errors = [
            {"loc": ("body", (FIELD_TO_API | SOCIAL_ITEM_TO_API).get(name, name)), "msg": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ("body",), "msg": message} for message in error.messages]
    return NinjaValidationError(errors)


def run_service(func: Callable[..., Written], request: HttpRequest, **kwargs: Any) -> Written:
    """Run a write service for the API (audited on the ``api`` channel); its ValidationError becomes a 422."""
    try:
        return func(user=request.user, request=request, channel="api", **kwargs)
    except ValidationError as error:
        raise _invalid(error) from error


def _duplicates(candidates: list[DuplicateCandidate]) -> DuplicatesProblem:
    return DuplicatesProblem(
        candidats=[
            DuplicateOut(
                personne_id=c.person_id,
                menage_id=c.household_id,
                reference=c.reference,
                nom=c.name,
                date_naissance=c.birth_date,
                meme_date_naissance=c.same_birth_date and not c.is_masked,
                masque=c.is_masked,
            )
            for c in candidates
        ]
    )


def _household_or_404(household_id: int) -> Household:
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise Http404("Ménage introuvable.")
    return household


@router.post(
    "/menages",
    response={201: CreatedOut, 409: DuplicatesProblem},
    summary="Créer un ménage avec son demandeur",
    description=DUPLICATES_DESCRIPTION,
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def household_post(request: HttpRequest, payload: HouseholdCreateIn) -> Status[Schema]:
    data = payload.dict(exclude_unset=True)
    applicant = _require_person_fields(data.get("demandeur"), ("demandeur",))
    address = payload.adresse.to_input() if payload.adresse else None
    try:
        household = run_service(
            household_create,
            request,
            household=_model_values(data, HOUSEHOLD_API_FIELDS),
            address=address,
            applicant=_model_values(applicant, PERSON_API_FIELDS),
            confirm_duplicates=payload.forcer or bool(applicant.get("forcer")),
        )
    except PossibleDuplicates as duplicates:
        return Status(409, _duplicates(duplicates.candidates))
    return Status(201, CreatedOut(id=household.pk, reference=household.reference))


@router.patch(
    "/menages/{household_id}",
    response=ChangedOut,
    summary="Modifier un ménage",
    description="Seuls les champs envoyés sont modifiés. La situation sociale est réservée aux travailleurs sociaux.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def household_patch(request: HttpRequest, household_id: int, payload: HouseholdPatchIn) -> ChangedOut:
    household = _household_or_404(household_id)
    data = payload.dict(exclude_unset=True)
    address: AddressInput | None | str = KEEP_ADDRESS
    if "adresse" in data:
        address = payload.adresse.to_input() if payload.adresse else None
    changed = run_service(
        household_update,
        request,
        household=household,
        values=_model_values(data, HOUSEHOLD_API_FIELDS),
        address=address,
    )
    api_names = FIELD_TO_API | {"address": "adresse"}
    return ChangedOut(id=household.pk, champs_modifies=[api_names.get(name, name) for name in changed])


@router.post(
    "/menages/{household_id}/personnes",
    response={201: CreatedOut, 409: DuplicatesProblem},
    summary="Ajouter une personne à un ménage",
    description=DUPLICATES_DESCRIPTION,
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def person_post(request: HttpRequest, household_id: int, payload: PersonIn) -> Status[Schema]:
    household = _household_or_404(household_id)
    values = _require_person_fields(payload.dict(exclude_unset=True))
    try:
        person = run_service(
            person_add,
            request,
            household=household,
            values=_model_values(values, PERSON_API_FIELDS),
            confirm_duplicates=payload.forcer,
        )
    except PossibleDuplicates as duplicates:
        return Status(409, _duplicates(duplicates.candidates))
    return Status(201, CreatedOut(id=person.pk, reference=household.reference))


@router.patch("/personnes/{person_id}", response=ChangedOut, summary="Modifier une personne")
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def person_patch(request: HttpRequest, person_id: int, payload: PersonPatchIn) -> ChangedOut:
    person = Person.objects.select_related("household").filter(pk=person_id).first()
    if person is None:
        raise Http404("Personne introuvable.")
    changed = run_service(
        person_update, request, person=person, values=_model_values(payload.dict(exclude_unset=True), PERSON_API_FIELDS)
    )
    return ChangedOut(id=person.pk, champs_modifies=[FIELD_TO_API.get(name, name) for name in changed])
