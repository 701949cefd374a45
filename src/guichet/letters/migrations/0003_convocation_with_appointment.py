"""The default convocation is addressed to the applicant and gives the date, time and place of the appointment
(and the partner the request was referred to, if any). A template the CCAS has already edited is left as is."""

from django.db import migrations

SIGNATURE = """

Nous vous prions d'agréer, {{ civilite }}, l'expression de nos salutations distinguées.

{{ agent }}
Pour le Président du CCAS de {{ commune }}
"""

OLD_BODY = (
    "{{ civilite }},\n\n"
    "Nous vous invitons à vous présenter à l'accueil du centre communal d'action sociale, "
    "{{ ccas_adresse }}, pour un rendez-vous concernant votre dossier n° {{ reference }}"
    "{% if demande_objet %} ({{ demande_theme }} : {{ demande_objet }}){% endif %}.\n\n"
    "Merci de vous munir d'une pièce d'identité et des justificatifs de vos ressources. "
    "En cas d'empêchement, prévenez-nous afin que nous fixions une autre date." + SIGNATURE
)

NEW_BODY = (
    "{{ demandeur }}{% if adresse %}\n{{ adresse }}{% endif %}\n\n"
    "{{ civilite }},\n\n"
    "{% if rdv_date %}Nous vous invitons à un rendez-vous le {{ rdv_date }}, {{ rdv_lieu }}, "
    "avec {{ rdv_agent }}, concernant votre dossier n° {{ reference }}"
    "{% else %}Nous vous invitons à vous présenter à l'accueil du centre communal d'action sociale, "
    "{{ ccas_adresse }}, pour un rendez-vous concernant votre dossier n° {{ reference }}{% endif %}"
    "{% if demande_objet %} ({{ demande_theme }} : {{ demande_objet }}){% endif %}.\n\n"
    "{% if partenaire %}Nous ferons avec vous le point sur votre orientation vers {{ partenaire }}.\n\n{% endif %}"
    "Merci de vous munir d'une pièce d'identité et des justificatifs de vos ressources. "
    "En cas d'empêchement, prévenez-nous afin que nous fixions une autre date." + SIGNATURE
)


def _replace(apps, old, new):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplate.objects.filter(kind="convocation", body=old).update(body=new)


def forward(apps, schema_editor):
    _replace(apps, OLD_BODY, NEW_BODY)


def backward(apps, schema_editor):
    _replace(apps, NEW_BODY, OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_default_letter_templates")]
    operations = [migrations.RunPython(forward, backward)]
