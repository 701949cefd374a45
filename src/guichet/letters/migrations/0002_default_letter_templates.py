"""The four default French letter templates (the CCAS edits them afterwards)."""

from django.db import migrations

SIGNATURE = """

Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations distinguées.

{{ agent }}
Pour le Président du CCAS de {{ commune }}
"""

DEFAULTS = [
    (
        "convocation",
        "Convocation à un rendez-vous",
        "{{ civilite }},\n\n"
        "Nous vous invitons à vous présenter à l'accueil du centre communal d'action sociale, "
        "{{ ccas_adresse }}, pour un rendez-vous concernant votre dossier n° {{ reference }}"
        "{% if demande_objet %} ({{ demande_theme }} : {{ demande_objet }}){% endif %}.\n\n"
        "Merci de vous munir d'une pièce d'identité et des justificatifs de vos ressources. "
        "En cas d'empêchement, prévenez-nous afin que nous fixions une autre date." + SIGNATURE,
    ),
    (
        "orientation",
        "Orientation vers {{ partenaire }}",
        "À l'attention de {{ partenaire }}\n{{ partenaire_adresse }}\n\n"
        "Madame, Monsieur,\n\n"
        "Nous vous adressons {{ demandeur }}, {{ adresse }}, suivi(e) par notre service "
        "(dossier n° {{ reference }}), pour sa demande : {{ demande_theme }} — {{ demande_objet }}.\n\n"
        "Avec l'accord du ménage, nous vous transmettons les éléments suivants : {{ donnees_partagees }}. "
        "Aucune autre information ne vous est communiquée.\n\n"
        "Nous vous remercions de l'attention que vous porterez à sa situation et de bien vouloir "
        "nous faire part de la suite donnée." + SIGNATURE.replace("{{ civilite }}", "Madame, Monsieur"),
    ),
    (
        "attestation",
        "Attestation de suivi",
        "Je soussigné(e), {{ agent }}, agissant pour le centre communal d'action sociale de {{ commune }}, "
        "atteste que {{ demandeur }}, demeurant {{ adresse }}, est accompagné(e) par nos services "
        "(dossier n° {{ reference }}).\n\n"
        "Cette attestation est délivrée à la demande de l'intéressé(e) pour servir et valoir ce que de droit.\n\n"
        "{{ agent }}\nPour le Président du CCAS de {{ commune }}\n",
    ),
    (
        "reponse",
        "Réponse à votre demande",
        "{{ civilite }},\n\n"
        "Vous avez sollicité le centre communal d'action sociale pour la demande suivante : "
        "{{ demande_theme }} — {{ demande_objet }} (dossier n° {{ reference }}).\n\n"
        "Votre demande a bien été étudiée. Nous restons à votre disposition à l'accueil, "
        "{{ ccas_adresse }}, pour tout renseignement complémentaire." + SIGNATURE,
    ),
]


def seed(apps, schema_editor):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, title, body in DEFAULTS:
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


def unseed(apps, schema_editor):
    apps.get_model("letters", "LetterTemplate").objects.filter(kind__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_letter_templates_and_letters")]
    operations = [migrations.RunPython(seed, unseed)]
