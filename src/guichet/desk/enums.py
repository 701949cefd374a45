"""Vocabularies of the guichet unique: the theme taxonomy (axes of the projet social, cross-cutting
concerns, target delays), channels, urgency, request statuses and outcomes, partners and referrals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models


class Axis(models.TextChoices):
    """The four axes of the projet social of the CCAS."""

    SOCIAL_TIES = "liens_sociaux", "Liens sociaux"
    HOUSING_MOBILITY = "logement_mobilite", "Logement et mobilité"
    SOCIO_ECONOMIC = "besoins_socio_economiques", "Besoins socio-économiques"
    LIVING_ENVIRONMENT = "environnement_cadre_de_vie", "Environnement et cadre de vie"


class Concern(models.TextChoices):
    """Cross-cutting concerns, shared by several themes."""

    HEALTH = "sante", "Santé"
    DISABILITY = "handicap", "Handicap"
    SENIORS = "seniors", "Seniors"
    VIOLENCE_AGAINST_WOMEN = "violences_femmes", "Violences faites aux femmes"
    EMPLOYMENT = "emploi_formation", "Emploi et formation"
    ENERGY_WATER = "energie_eau", "Énergie et eau"
    FOOD = "alimentation", "Alimentation"
    BUDGET = "budget", "Budget"
    DIGITAL = "numerique", "Numérique"
    PAPERWORK = "aide_administrative", "Aide administrative"


class Theme(models.TextChoices):
    ISOLATION = "isolement", "Isolement, lien social"
    SENIOR_SUPPORT = "maintien_domicile", "Maintien à domicile, perte d'autonomie"
    VIOLENCE = "violences", "Violences conjugales ou intrafamiliales"
    HOUSING_ACCESS = "acces_logement", "Accès au logement"
    RENT_ARREARS = "impayes_loyer", "Impayés de loyer, prévention des expulsions"
    MOBILITY = "mobilite", "Mobilité"
    FOOD_AID = "aide_alimentaire", "Aide alimentaire"
    FINANCIAL_AID = "aide_financiere", "Aide financière, budget"
    RIGHTS = "acces_droits", "Accès aux droits, démarches administratives"
    HEALTH = "sante", "Santé, accès aux soins"
    DISABILITY = "handicap", "Handicap"
    EMPLOYMENT = "emploi_formation", "Emploi, formation, insertion"
    ENERGY = "energie_eau", "Énergie et eau (factures, précarité énergétique)"
    DIGITAL = "numerique", "Numérique (accès, accompagnement)"
    LIVING_ENVIRONMENT = "cadre_de_vie", "Cadre de vie (insalubrité, voisinage)"


@dataclass(frozen=True)
class ThemeInfo:
    axis: Axis
    concerns: tuple[Concern, ...]
    target_days: int  # target delay to handle a request of this theme (calendar days)


THEMES: dict[Theme, ThemeInfo] = {
    Theme.ISOLATION: ThemeInfo(Axis.SOCIAL_TIES, (Concern.SENIORS, Concern.HEALTH), 15),
    Theme.SENIOR_SUPPORT: ThemeInfo(Axis.SOCIAL_TIES, (Concern.SENIORS, Concern.DISABILITY, Concern.HEALTH), 10),
    Theme.VIOLENCE: ThemeInfo(Axis.SOCIAL_TIES, (Concern.VIOLENCE_AGAINST_WOMEN,), 1),
    Theme.HOUSING_ACCESS: ThemeInfo(Axis.HOUSING_MOBILITY, (Concern.PAPERWORK,), 15),
    Theme.RENT_ARREARS: ThemeInfo(Axis.HOUSING_MOBILITY, (Concern.BUDGET,), 7),
    Theme.MOBILITY: ThemeInfo(Axis.HOUSING_MOBILITY, (Concern.EMPLOYMENT, Concern.SENIORS), 15),
    Theme.FOOD_AID: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.FOOD, Concern.BUDGET), 2),
    Theme.FINANCIAL_AID: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.BUDGET,), 7),
    Theme.RIGHTS: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.PAPERWORK, Concern.DIGITAL), 10),
    Theme.HEALTH: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.HEALTH,), 10),
    Theme.DISABILITY: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.DISABILITY, Concern.PAPERWORK), 10),
    Theme.EMPLOYMENT: ThemeInfo(Axis.SOCIO_ECONOMIC, (Concern.EMPLOYMENT,), 15),
    Theme.ENERGY: ThemeInfo(Axis.LIVING_ENVIRONMENT, (Concern.ENERGY_WATER, Concern.BUDGET), 5),
    Theme.DIGITAL: ThemeInfo(Axis.LIVING_ENVIRONMENT, (Concern.DIGITAL, Concern.PAPERWORK), 15),
    Theme.LIVING_ENVIRONMENT: ThemeInfo(Axis.LIVING_ENVIRONMENT, (Concern.HEALTH,), 20),
}


def themes_of_axis(axis: str) -> list[Theme]:
    """Themes attached to an axis of the projet social, in the order of ``Theme`` (an unknown axis has none)."""
    return [theme for theme, info in THEMES.items() if info.axis == axis]


def themes_with_concern(concern: str) -> list[Theme]:
    """Themes that touch a cross-cutting concern (an unknown concern has none)."""
    return [theme for theme, info in THEMES.items() if concern in info.concerns]


class Channel(models.TextChoices):
    DESK = "accueil", "Accueil physique"
    PHONE = "telephone", "Téléphone"
    EMAIL = "courriel", "Courriel"
    ONLINE = "en_ligne", "En ligne"
    HOME_VISIT = "visite_domicile", "Visite à domicile"


class Urgency(models.TextChoices):
    NORMAL = "normale", "Normale"
    PRIORITY = "prioritaire", "Prioritaire"
    URGENT = "urgente", "Urgente"


def due_date_for(theme: Theme, urgency: Urgency, start: dt.date) -> dt.date:
    """The theme's target delay from ``start``; halved (rounded up) when prioritaire, one day when urgente."""
    days = THEMES[Theme(theme)].target_days
    if urgency == Urgency.PRIORITY:
        days = (days + 1) // 2
    elif urgency == Urgency.URGENT:
        days = min(days, 1)
    return start + dt.timedelta(days=days)


class RequestStatus(models.TextChoices):
    NEW = "nouvelle", "Nouvelle"
    IN_PROGRESS = "en_cours", "En cours"
    REFERRED = "orientee", "Orientée"
    WAITING = "attente_menage", "En attente du ménage"
    CLOSED = "cloturee", "Clôturée"


OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.REFERRED, RequestStatus.WAITING)

TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.NEW: frozenset(
        {RequestStatus.IN_PROGRESS, RequestStatus.REFERRED, RequestStatus.WAITING, RequestStatus.CLOSED}
    ),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.REFERRED, RequestStatus.WAITING, RequestStatus.CLOSED}),
    RequestStatus.REFERRED: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.WAITING, RequestStatus.CLOSED}),
    RequestStatus.WAITING: frozenset({RequestStatus.IN_PROGRESS, RequestStatus.REFERRED, RequestStatus.CLOSED}),
    # Reopening a closed request puts it back in progress.
    RequestStatus.CLOSED: frozenset({RequestStatus.IN_PROGRESS}),
}


class RequestOutcome(models.TextChoices):
    ANSWERED = "reponse_apportee", "Réponse apportée"
    AID_GRANTED = "aide_accordee", "Aide accordée"
    AID_REFUSED = "aide_refusee", "Aide refusée"
    REFERRAL_DONE = "orientation_realisee", "Orientation réalisée"
    NO_FOLLOW_UP = "sans_suite", "Sans suite (ménage injoignable ou non revenu)"
    WITHDRAWN = "abandon", "Abandon à la demande du ménage"


class PartnerKind(models.TextChoices):
    DEPARTMENT = "departement", "Département"
    REGION = "region", "Région"
    STATE = "etat", "État"
    CAF = "caf", "CAF"
    CPAM = "cpam", "CPAM"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    SOCIAL_LANDLORD = "bailleur_social", "Bailleur social"
    ASSOCIATION = "association", "Association"
    INTERNAL = "service_interne", "Service interne"


class SharedData(models.TextChoices):
    """Categories of data the household agreed to share with the partner of a referral."""

    IDENTITY = "identite", "Identité"
    CONTACT = "coordonnees", "Coordonnées"
    COMPOSITION = "composition", "Composition du ménage"
    REQUEST = "demande", "Objet de la demande"
    RESOURCES = "ressources", "Ressources et prestations"
    HOUSING = "logement", "Logement (statut, loyer, bailleur)"
    HEALTH = "sante", "Éléments de santé ou de handicap"


class ReferralOutcome(models.TextChoices):
    PENDING = "en_attente", "En attente de réponse"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    DONE = "realisee", "Réalisée"
