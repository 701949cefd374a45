"""Households API: list (fuzzy name search, filters) and detail (policy-checked and audited)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.households.perms import BreakGlassRequired, can_see_social_situation
from guichet.households.selectors import HouseholdFilters, household_detail, household_ids_for, household_rows
from guichet.households.services import household_break_glass, household_open

router = Router(tags=["ménages"])


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


class MonthlyResourceOut(Schema):
    nature: str
    beneficiaire: str
    prestation: bool
    montants: dict[str, Decimal | None]


class TaxableIncomeOut(Schema):
    personne: str
    annee: int
    montant: Decimal


class SocialSituationOut(Schema):
    logement: str
    bailleur: str
    loyer: Decimal | None
    quotient_familial_caf: Decimal | None
    quotient_familial_date: dt.date | None
    quotient_familial_source: str
    ressources: list[MonthlyResourceOut]
    revenus_declares: list[TaxableIncomeOut]


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
    motif = request.headers.get("X-Motif-Acces", "") or motif
    try:
        household = household_open(user=request.user, pk=household_id, request=request, channel="api")
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
        household = household_open(user=request.user, pk=household_id, request=request, channel="api")
    detail = household_detail(request.user, household)
    h = detail.household
    address = h.address
    social = None
    if can_see_social_situation(request.user):
        social = SocialSituationOut(
            logement=h.get_housing_status_display(),
            bailleur=h.landlord,
            loyer=h.rent,
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
            )
            for p in detail.people
        ],
        consentements=[c.get_scope_display() for c in detail.consents],
        situation_sociale=social,
    )
