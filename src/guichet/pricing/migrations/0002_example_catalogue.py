"""An EXAMPLE catalogue for the demo commune: services and grids marked « exemple », not the
commune's adopted tariffs. The canteen brackets are those given as an example in the domain notes."""

from django.db import migrations

EXAMPLE = "Exemple de démonstration : ce n'est pas un tarif adopté par la commune."
START = "2026-09-01"
DELIBERATION = {"deliberation": "EXEMPLE-2026-042", "deliberation_date": "2026-06-25"}


def _brackets(*rows, base="quotient"):
    bounds = [row[0] for row in rows[1:]] + [None]
    return {
        "type": "tranches",
        "base": base,
        "tranches": [{"min": row[0], "max": upper, "prix": row[1]} for row, upper in zip(rows, bounds, strict=True)],
    }


# (slug, name, kind, unit, min_age, max_age, description, rule, modifiers)
SERVICES = [
    (
        "restauration-scolaire", "Restauration scolaire (exemple)", "cantine", "repas", 3, 11,
        "Repas du midi dans les écoles maternelles et élémentaires.",
        _brackets(("0", "1.00"), ("600", "3.05"), ("1000", "3.10"), ("1500", "3.15")),
        [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "50"}],
    ),
    (
        "accueil-periscolaire", "Accueil périscolaire (exemple)", "periscolaire", "heure", 3, 11,
        "Accueil du matin et du soir, les jours d'école.",
        {"type": "taux_effort", "base": "quotient", "taux": "0.12", "plancher": "0.50", "plafond": "2.40"},
        [],
    ),
    (
        "centre-de-loisirs", "Centre de loisirs (exemple)", "centre_loisirs", "journée", 3, 14,
        "Mercredis et vacances scolaires, repas compris.",
        {"type": "taux_effort", "base": "quotient", "taux": "0.90", "plancher": "3.00", "plafond": "16.00"},
        [{"type": "fratrie", "a_partir_du_rang": 2, "pourcentage": "10"}, {"type": "hors_commune", "pourcentage": "30"}],
    ),
    (
        "creche", "Crèche municipale (exemple)", "creche", "heure", 0, 3,
        "Accueil collectif des jeunes enfants, barème national de la CNAF (PSU).",
        {"type": "psu"},
        [],
    ),
    (
        "ecole-de-musique", "École de musique (exemple)", "ecole_musique", "trimestre", 6, 25,
        "Formation musicale et pratique d'un instrument.",
        _brackets(("0", "18.00"), ("600", "32.00"), ("1000", "48.00"), ("1500", "66.00")),
        [{"type": "hors_commune", "pourcentage": "50"}],
    ),
    (
        "portage-de-repas", "Portage de repas à domicile (exemple)", "portage_repas", "repas", 60, None,
        "Repas livrés au domicile des personnes âgées ou en situation de handicap.",
        _brackets(("0", "5.20"), ("900", "6.80"), ("1300", "8.40"), ("1800", "9.60")),
        [],
    ),
    (
        "teleassistance", "Téléassistance (exemple)", "teleassistance", "mois", 60, None,
        "Médaillon d'appel relié à une centrale d'écoute, jour et nuit.",
        {"type": "forfait", "prix": "12.00"},
        [],
    ),
    (
        "transport-seniors", "Transport à la demande des seniors (exemple)", "transport", "trajet", 65, None,
        "Minibus pour les courses, les rendez-vous médicaux et les activités.",
        _brackets(("0", "0.80"), ("1000", "1.60")),
        [],
    ),
    (
        "sejours-vacances", "Séjours de vacances (exemple)", "sejours", "journée", 6, 17,
        "Séjours d'été à la mer et à la montagne.",
        {"type": "taux_effort", "base": "quotient", "taux": "2.2", "plancher": "9.00", "plafond": "48.00"},
        [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "20"}],
    ),
]  # fmt: skip

PAST_CANTEEN = _brackets(("0", "1.00"), ("600", "2.95"), ("1000", "3.00"), ("1500", "3.05"))


def _grid(name, unit, rule, modifiers, start, end, deliberation, deliberation_date):
    return {
        "service": name,
        "unite": unit,
        "regle": rule,
        "regle_hors_commune": None,
        "debut": start,
        "fin": end,
        "deliberation": deliberation,
        "deliberation_date": deliberation_date,
        "modulations": modifiers,
        "arrondi": "0.01",
        "arrondi_mode": "half_up",
        "prix_decroissants_autorises": False,
    }


def seed(apps, schema_editor):
    service_model = apps.get_model("pricing", "MunicipalService")
    grid_model = apps.get_model("pricing", "TariffGrid")
    for position, (slug, name, kind, unit, min_age, max_age, description, rule, modifiers) in enumerate(SERVICES):
        service, created = service_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name, "kind": kind, "unit": unit, "min_age": min_age, "max_age": max_age,
                "description": f"{description} {EXAMPLE}", "is_example": True, "position": position,
            },
        )  # fmt: skip
        if not created:
            continue
        if slug == "restauration-scolaire":
            past = _grid(
                name, unit, PAST_CANTEEN, modifiers, "2025-09-01", "2026-08-31", "EXEMPLE-2025-031", "2025-06-26"
            )
            grid_model.objects.create(
                service=service, data=past, valid_from="2025-09-01", valid_to="2026-08-31",
                deliberation="EXEMPLE-2025-031", deliberation_date="2025-06-26",
            )  # fmt: skip
        data = _grid(name, unit, rule, modifiers, START, None, **DELIBERATION)
        grid_model.objects.create(service=service, data=data, valid_from=START, **DELIBERATION)


def unseed(apps, schema_editor):
    apps.get_model("pricing", "MunicipalService").objects.filter(is_example=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_services_and_tariff_grids")]

    operations = [migrations.RunPython(seed, unseed)]
