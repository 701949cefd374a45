"""Seed the partners directory with the organisations a CCAS of Seine-Maritime works with.

Every contact detail is demonstration data (``is_demo``): phone numbers are in the range reserved
for fiction, e-mail domains end in ``.example``; replace them with the real ones before use."""

from django.db import migrations

PARTNERS = [
    # organisation, service, kind, themes, territory, reminder days, agreement
    (
        "Département de la Seine-Maritime",
        "Unité territoriale d'action sociale (UTAS)",
        "departement",
        ["acces_droits", "aide_financiere", "violences", "impayes_loyer", "maintien_domicile", "handicap"],
        "Territoire de l'agglomération rouennaise",
        15,
        "Convention de coordination de l'accueil social inconditionnel de proximité (à renseigner).",
    ),
    ("Région Normandie", "Mobilité et formation", "region", ["mobilite", "emploi_formation"], "Normandie", 30, ""),
    (
        "État",
        "Direction départementale de l'emploi, du travail et des solidarités (DDETS)",
        "etat",
        ["acces_logement", "impayes_loyer"],
        "Seine-Maritime",
        30,
        "",
    ),
    (
        "CAF de la Seine-Maritime",
        "Accueil et travail social",
        "caf",
        ["acces_droits", "aide_financiere", "acces_logement", "numerique"],
        "Seine-Maritime",
        21,
        "Convention d'accès aux données allocataires (CDAP) et partenariat d'accueil (à renseigner).",
    ),
    (
        "CPAM Rouen-Elbeuf-Dieppe",
        "Service social et accès aux soins",
        "cpam",
        ["sante", "acces_droits", "handicap"],
        "Rouen, Elbeuf, Dieppe",
        21,
        "",
    ),
    (
        "France Travail",
        "Agence de Saint-Étienne-du-Rouvray",
        "france_travail",
        ["emploi_formation", "mobilite"],
        "Saint-Étienne-du-Rouvray et communes voisines",
        15,
        "",
    ),
    (
        "Mission locale",
        "Accompagnement des 16-25 ans",
        "mission_locale",
        ["emploi_formation", "mobilite", "acces_logement"],
        "Agglomération rouennaise",
        15,
        "",
    ),
    (
        "Habitat 76",
        "Agence de proximité",
        "bailleur_social",
        ["acces_logement", "impayes_loyer", "cadre_de_vie"],
        "Seine-Maritime",
        15,
        "Protocole de prévention des expulsions (à renseigner).",
    ),
    (
        "Bailleur social",
        "Autres bailleurs du parc communal",
        "bailleur_social",
        ["acces_logement", "impayes_loyer", "cadre_de_vie"],
        "Saint-Étienne-du-Rouvray",
        15,
        "",
    ),
    (
        "Les Restos du Cœur",
        "Centre de distribution",
        "association",
        ["aide_alimentaire"],
        "Saint-Étienne-du-Rouvray",
        7,
        "",
    ),
    (
        "Secours populaire français",
        "Fédération de Seine-Maritime",
        "association",
        ["aide_alimentaire", "aide_financiere", "isolement"],
        "Seine-Maritime",
        10,
        "",
    ),
    (
        "CIDFF de la Seine-Maritime",
        "Accès au droit, accompagnement des femmes victimes de violences",
        "association",
        ["violences", "acces_droits"],
        "Seine-Maritime",
        5,
        "",
    ),
    (
        "CCAS",
        "Pôle accompagnement social",
        "service_interne",
        ["aide_financiere", "acces_droits", "energie_eau", "impayes_loyer"],
        "Commune",
        7,
        "",
    ),
    (
        "CCAS",
        "Service seniors et maintien à domicile",
        "service_interne",
        ["maintien_domicile", "isolement", "handicap"],
        "Commune",
        7,
        "",
    ),
    ("CCAS", "Médiation numérique", "service_interne", ["numerique", "acces_droits"], "Commune", 7, ""),
]


def seed(apps, schema_editor):
    Partner = apps.get_model("desk", "Partner")
    for index, (organisation, service, kind, themes, territory, days, agreement) in enumerate(PARTNERS, start=1):
        slug = kind.replace("_", "-")
        Partner.objects.get_or_create(
            organisation=organisation,
            service=service,
            defaults={
                "kind": kind,
                "themes": themes,
                "territory": territory,
                "address": "Adresse de démonstration, à vérifier",
                "phone": f"02 61 91 {index // 100:02d} {index % 100:02d}",
                "email": f"contact-{index}@{slug}.example",
                "agreement": agreement,
                "reminder_days": days,
                "is_demo": True,
            },
        )


def unseed(apps, schema_editor):
    Partner = apps.get_model("desk", "Partner")
    Partner.objects.filter(is_demo=True, referrals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_requests_partners_referrals")]

    operations = [migrations.RunPython(seed, unseed)]
