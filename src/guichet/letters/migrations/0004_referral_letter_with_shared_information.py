"""The default referral letter gives the partner the values of what the household agreed to share
(``{{ informations_partagees }}``) and nothing else: no name, address or request subject unless agreed.
A template the CCAS has already edited is left as is."""

from django.db import migrations

SIGNATURE = """

Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.

{{ agent }}
Pour le Président du CCAS de {{ commune }}
"""

OLD_BODY = (
    "À l'attention de {{ partenaire }}\n{{ partenaire_adresse }}\n\n"
    "Madame, Monsieur,\n\n"
    "Nous vous adressons {{ demandeur }}, {{ adresse }}, suivi(e) par notre service "
    "(dossier n° {{ reference }}), pour sa demande : {{ demande_theme }} — {{ demande_objet }}.\n\n"
    "Avec l'accord du ménage, nous vous transmettons les éléments suivants : {{ donnees_partagees }}. "
    "Aucune autre information ne vous est communiquée.\n\n"
    "Nous vous remercions de l'attention que vous porterez à sa situation et de bien vouloir "
    "nous faire part de la suite donnée." + SIGNATURE
)

NEW_BODY = (
    "À l'attention de {{ partenaire }}{% if partenaire_adresse %}\n{{ partenaire_adresse }}{% endif %}\n\n"
    "Madame, Monsieur,\n\n"
    "Nous vous adressons {% if demandeur %}{{ demandeur }}, suivi(e){% else %}un ménage suivi{% endif %} "
    "par notre service (dossier n° {{ reference }}).\n\n"
    "Avec l'accord du ménage, nous vous transmettons les informations suivantes ({{ donnees_partagees }}) :\n\n"
    "{{ informations_partagees }}\n\n"
    "Aucune autre information ne vous est communiquée.\n\n"
    "Nous vous remercions de l'attention que vous porterez à sa situation et de bien vouloir "
    "nous faire part de la suite donnée." + SIGNATURE
)


def _replace(apps, old, new):
    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    LetterTemplate.objects.filter(kind="orientation", body=old).update(body=new)


def forward(apps, schema_editor):
    _replace(apps, OLD_BODY, NEW_BODY)


def backward(apps, schema_editor):
    _replace(apps, NEW_BODY, OLD_BODY)


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_convocation_with_appointment")]
    operations = [migrations.RunPython(forward, backward)]
