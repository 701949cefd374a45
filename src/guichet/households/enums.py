from django.db import models


class HousingStatus(models.TextChoices):
    SOCIAL_TENANT = "locataire_social", "Locataire d'un bailleur social"
    PRIVATE_TENANT = "locataire_prive", "Locataire d'un bailleur privé"
    OWNER = "proprietaire", "Propriétaire"
    HOSTED = "heberge", "Hébergé à titre gratuit"
    NO_STABLE_ADDRESS = "sans_domicile_stable", "Sans domicile stable"
    OTHER = "autre", "Autre"


class HouseholdRole(models.TextChoices):
    APPLICANT = "demandeur", "Demandeur"
    SPOUSE = "conjoint", "Conjoint"
    CHILD = "enfant", "Enfant"
    OTHER = "autre", "Autre personne du foyer"


class LinkKind(models.TextChoices):
    PARENT = "parent", "Parent de"
    SPOUSE = "conjoint", "Conjoint de"
    OTHER = "autre", "Autre lien"


class Sex(models.TextChoices):
    FEMALE = "F", "Femme"
    MALE = "M", "Homme"


class Occupation(models.TextChoices):
    EMPLOYED = "salarie", "Salarié"
    SELF_EMPLOYED = "independant", "Indépendant"
    JOB_SEEKER = "demandeur_emploi", "Demandeur d'emploi"
    STUDENT = "etudiant", "Étudiant"
    PUPIL = "scolaire", "Scolarisé"
    CHILD = "enfant", "Enfant non scolarisé"
    RETIRED = "retraite", "Retraité"
    UNABLE_TO_WORK = "inapte", "Inapte au travail / invalidité"
    HOME = "au_foyer", "Au foyer"
    OTHER = "autre", "Autre"


class ResourceKind(models.TextChoices):
    """Monthly resources, net amounts as people know them (the OpenFisca adapter converts to gross)."""

    SALARY = "salaire", "Salaire"
    SELF_EMPLOYMENT = "revenu_independant", "Revenu d'activité indépendante"
    UNEMPLOYMENT = "chomage", "Allocation chômage (ARE)"
    PENSION = "retraite", "Pension de retraite"
    INVALIDITY = "pension_invalidite", "Pension d'invalidité"
    ALIMONY = "pension_alimentaire", "Pension alimentaire reçue"
    RSA = "rsa", "RSA"
    PPA = "ppa", "Prime d'activité"
    HOUSING_AID = "aide_logement", "Aide au logement (APL, ALS, ALF)"
    AF = "af", "Allocations familiales"
    CF = "cf", "Complément familial"
    ASF = "asf", "Allocation de soutien familial"
    PAJE = "paje_base", "PAJE (allocation de base)"
    AAH = "aah", "AAH"
    ASPA = "aspa", "ASPA (minimum vieillesse)"
    ASI = "asi", "ASI"
    OTHER = "autre", "Autre ressource"


BENEFIT_KINDS = frozenset(
    {
        ResourceKind.RSA,
        ResourceKind.PPA,
        ResourceKind.HOUSING_AID,
        ResourceKind.AF,
        ResourceKind.CF,
        ResourceKind.ASF,
        ResourceKind.PAJE,
        ResourceKind.AAH,
        ResourceKind.ASPA,
        ResourceKind.ASI,
    }
)


class ConsentScope(models.TextChoices):
    FOLLOW_UP = "suivi", "Suivi social"
    RIGHTS_SIMULATION = "simulation_droits", "Simulation des droits"
    PROACTIVE_CONTACT = "contact_proactif", "Contact proactif (campagnes « aller vers »)"
    VULNERABLE_REGISTER = "registre_vulnerables", "Registre des personnes vulnérables"


class QuotientSource(models.TextChoices):
    CAF_ATTESTATION = "attestation_caf", "Attestation CAF"
    CAF_API = "api_particulier", "API Particulier (CAF)"
    MSA_ATTESTATION = "attestation_msa", "Attestation MSA"
    DECLARED = "declare", "Déclaré par le ménage"


class ChargeKind(models.TextChoices):
    """Monthly charges of a household, as the household states them."""

    RENT = "loyer", "Loyer ou mensualité de logement"
    ENERGY = "energie", "Énergie (électricité, gaz, chauffage)"
    WATER = "eau", "Eau"
    LOAN = "credit", "Remboursement de crédit"
    OTHER = "autre", "Autre charge"
