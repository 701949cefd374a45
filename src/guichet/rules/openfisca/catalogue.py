"""The national benefits assessed, with where and how to claim them: a static, versioned catalogue.

Each entry names the OpenFisca-France variable, its period (monthly or yearly), the variables
shown as the facts that decided it, and the parameters whose last dated value is checked against
the simulated month (a benefit whose amount or ceiling was not updated in OpenFisca-France is
flagged, e.g. the CSS ceiling).
"""

from __future__ import annotations

from dataclasses import dataclass

CATALOGUE_VERSION = "2026-11"

MONTHLY = "mensuel"
YEARLY = "annuel"
IN_KIND = "en_nature"

CAF = "Caf de Seine-Maritime"
CAF_SITE = "https://www.caf.fr"
PROOF_OF_IDENTITY = "Pièce d'identité (ou titre de séjour)"
RIB = "RIB"
LAST_INCOMES = "Justificatifs de ressources des 3 derniers mois"
TAX_NOTICE = "Dernier avis d'impôt sur le revenu"


@dataclass(frozen=True)
class Fact:
    label: str  # French, shown before the amount
    variable: str


@dataclass(frozen=True)
class Benefit:
    key: str
    label: str
    variable: str
    entity: str  # famille, individu (summed over the household) or menage
    period: str  # as shown: mensuel, annuel or en_nature (eligibility flag); the simulated period is
    # the variable's own (``bourse_college`` is a monthly variable holding a yearly amount)
    organisme: str
    link: str
    how_to_claim: str
    documents: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    parameters: tuple[str, ...] = ()
    is_cost: bool = False  # an amount the household pays (CSS with participation)


P = "prestations_sociales."
MINIMA = P + "solidarite_insertion.minima_sociaux."
BMAF = P + "prestations_familiales.bmaf.bmaf"

BENEFITS: tuple[Benefit, ...] = (
    Benefit(
        "rsa",
        "Revenu de solidarité active (RSA)",
        "rsa",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F19778",
        "Demande en ligne sur caf.fr ou avec l'aide du CCAS.",
        (PROOF_OF_IDENTITY, LAST_INCOMES, RIB),
        (Fact("Ressources prises en compte (moyenne mensuelle)", "rsa_base_ressources"),),
        (MINIMA + "rsa.rsa_m.montant_de_base_du_rsa",),
    ),
    Benefit(
        "ppa",
        "Prime d'activité",
        "ppa",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F2882",
        "Demande en ligne sur caf.fr, puis déclaration trimestrielle de ressources.",
        (PROOF_OF_IDENTITY, LAST_INCOMES, RIB),
        (Fact("Ressources prises en compte (moyenne mensuelle)", "ppa_base_ressources"),),
        (MINIMA + "ppa.pa_m.montant_de_base",),
    ),
    Benefit(
        "aide_logement",
        "Aide au logement (APL, ALF ou ALS)",
        "aide_logement",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F12006",
        "Demande en ligne sur caf.fr, avec l'attestation de loyer remplie par le bailleur.",
        ("Bail et dernière quittance de loyer", "Attestation de loyer du bailleur", PROOF_OF_IDENTITY, RIB),
        (Fact("Loyer retenu", "loyer"), Fact("Ressources annuelles prises en compte", "aide_logement_base_ressources")),
        (P + "aides_logement.allocations_logement.locatif.formule.l_plafonds_loyers.par_zone",),
    ),
    Benefit(
        "af",
        "Allocations familiales",
        "af",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F13213",
        "Versées sans demande si la famille est connue de la Caf ; sinon déclaration de situation.",
        (PROOF_OF_IDENTITY, "Livret de famille ou actes de naissance", RIB),
        (Fact("Enfants pris en compte", "af_nbenf"),),
        (BMAF,),
    ),
    Benefit(
        "cf",
        "Complément familial",
        "cf",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F13214",
        "Versé par la Caf au vu des ressources déclarées (famille d'au moins 3 enfants de 3 ans et plus).",
        ("Livret de famille ou actes de naissance", TAX_NOTICE, RIB),
        (),
        (BMAF,),
    ),
    Benefit(
        "asf",
        "Allocation de soutien familial (ASF)",
        "asf",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F815",
        "Formulaire de demande d'ASF à la Caf ; la Caf aide à fixer ou recouvrer la pension alimentaire.",
        (PROOF_OF_IDENTITY, "Jugement fixant la pension alimentaire, s'il existe", RIB),
        (),
        (BMAF,),
    ),
    Benefit(
        "ars",
        "Allocation de rentrée scolaire (ARS)",
        "ars",
        "famille",
        YEARLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F1878",
        "Versée en août sans demande pour les 6–15 ans ; déclaration de scolarité sur caf.fr pour les 16–18 ans.",
        ("Certificat de scolarité (enfants de 16 à 18 ans)", TAX_NOTICE),
        (),
        (BMAF,),
    ),
    Benefit(
        "paje_base",
        "PAJE – allocation de base",
        "paje_base",
        "famille",
        MONTHLY,
        CAF,
        "https://www.service-public.fr/particuliers/vosdroits/F2552",
        "Déclaration de grossesse, puis demande auprès de la Caf après la naissance.",
        ("Déclaration de grossesse", "Acte de naissance", TAX_NOTICE, RIB),
        (),
        (BMAF,),
    ),
    Benefit(
        "aah",
        "Allocation aux adultes handicapés (AAH)",
        "aah",
        "individu",
        MONTHLY,
        "MDPH de Seine-Maritime (décision), puis Caf (versement)",
        "https://www.service-public.fr/particuliers/vosdroits/F12242",
        "Dossier MDPH (formulaire Cerfa 15692) avec un certificat médical de moins d'un an.",
        ("Formulaire Cerfa 15692", "Certificat médical (Cerfa 15695)", PROOF_OF_IDENTITY, "Justificatif de domicile"),
        (Fact("Ressources prises en compte", "aah_base_ressources_deconjugalisee"),),
        (P + "prestations_etat_de_sante.invalidite.aah.montant",),
    ),
    Benefit(
        "asi",
        "Allocation supplémentaire d'invalidité (ASI)",
        "asi",
        "individu",
        MONTHLY,
        "CPAM de Rouen-Elbeuf-Dieppe (ou caisse de la pension d'invalidité)",
        "https://www.service-public.fr/particuliers/vosdroits/F16940",
        "Formulaire Cerfa 14253 à adresser à la caisse qui verse la pension d'invalidité.",
        ("Formulaire Cerfa 14253", "Notification de pension d'invalidité", LAST_INCOMES),
        (),
        (
            P + "prestations_etat_de_sante.invalidite.asi.plafond_ressource_seul",
            P + "prestations_etat_de_sante.invalidite.asi.plafond_ressource_couple",
        ),
    ),
    Benefit(
        "aspa",
        "Allocation de solidarité aux personnes âgées (ASPA)",
        "aspa",
        "famille",
        MONTHLY,
        "Carsat Normandie (caisse de retraite)",
        "https://www.service-public.fr/particuliers/vosdroits/F16871",
        "Formulaire Cerfa 13710 à la caisse de retraite, ou en ligne sur info-retraite.fr.",
        ("Formulaire Cerfa 13710", PROOF_OF_IDENTITY, "Justificatifs de ressources des 3 derniers mois", RIB),
        (Fact("Ressources prises en compte", "asi_aspa_base_ressources"),),
        (P + "solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel",),
    ),
    Benefit(
        "css_gratuite",
        "Complémentaire santé solidaire sans participation",
        "cmu_c",
        "famille",
        IN_KIND,
        "Assurance maladie (CPAM de Rouen-Elbeuf-Dieppe)",
        "https://www.service-public.fr/particuliers/vosdroits/F10027",
        "Demande en ligne sur ameli.fr (compte ameli) ou formulaire Cerfa 12504.",
        ("Formulaire Cerfa 12504", "Justificatifs de ressources des 12 derniers mois", PROOF_OF_IDENTITY),
        (Fact("Ressources des 12 derniers mois prises en compte", "css_cmu_base_ressources"),),
        (MINIMA + "cs.cmu.plafond_base",),
    ),
    Benefit(
        "css_participation",
        "Complémentaire santé solidaire avec participation",
        "css_participation_forfaitaire",
        "famille",
        MONTHLY,
        "Assurance maladie (CPAM de Rouen-Elbeuf-Dieppe)",
        "https://www.service-public.fr/particuliers/vosdroits/F10027",
        "Demande en ligne sur ameli.fr ; la participation mensuelle dépend de l'âge des bénéficiaires.",
        ("Formulaire Cerfa 12504", "Justificatifs de ressources des 12 derniers mois", PROOF_OF_IDENTITY),
        (Fact("Ressources des 12 derniers mois prises en compte", "css_cmu_base_ressources"),),
        (MINIMA + "cs.cmu.plafond_base",),
        is_cost=True,
    ),
    Benefit(
        "cheque_energie",
        "Chèque énergie",
        "cheque_energie",
        "menage",
        YEARLY,
        "Agence de services et de paiement (envoi automatique)",
        "https://www.service-public.fr/particuliers/vosdroits/F35136",
        "Envoyé sans demande au printemps si la déclaration de revenus a été faite ; "
        "sinon réclamation sur chequeenergie.gouv.fr.",
        ("Déclaration de revenus de l'année N-1 faite", TAX_NOTICE),
        (),
        (P + "solidarite_insertion.autre_solidarite.cheque_energie.baremes",),
    ),
    Benefit(
        "bourse_college",
        "Bourse de collège",
        "bourse_college",
        "famille",
        YEARLY,
        "Collège de l'enfant",
        "https://www.service-public.fr/particuliers/vosdroits/F984",
        "Demande en ligne (ÉduConnect) ou formulaire papier au secrétariat du collège, à la rentrée.",
        (TAX_NOTICE, RIB),
        (),
        (P + "education.bourses.bourses_education.bourse_college",),
    ),
    Benefit(
        "bourse_lycee",
        "Bourse de lycée",
        "bourse_lycee",
        "famille",
        YEARLY,
        "Lycée de l'élève",
        "https://www.service-public.fr/particuliers/vosdroits/F616",
        "Demande en ligne (ÉduConnect) ou dossier papier au lycée, au printemps pour la rentrée suivante.",
        (TAX_NOTICE, RIB),
        (),
        (P + "education.bourses.bourses_education.bourse_lycee",),
    ),
)

BY_KEY = {benefit.key: benefit for benefit in BENEFITS}
