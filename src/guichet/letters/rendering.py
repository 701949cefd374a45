"""Rendering of letter templates in a sandbox, and of the result as an A4 PDF (``guichet.pdf``).

Templates are Django template syntax restricted to ``VARIABLES``: the context holds plain strings
only (never a model object, so a template cannot reach the database), and ``{% load %}``,
``{% include %}``, ``{% extends %}``, ``{% url %}`` and similar tags are refused before rendering.
"""

from __future__ import annotations

import re

from django.template import Context, Engine, TemplateSyntaxError

from guichet.pdf import Document

VARIABLES: dict[str, str] = {
    "commune": "Nom de la commune",
    "ccas_adresse": "Adresse du CCAS (Maison du citoyen)",
    "date": "Date du jour en toutes lettres",
    "agent": "Nom de l'agent qui signe",
    "reference": "Référence du dossier",
    "civilite": "Madame, Monsieur ou Madame, Monsieur",
    "demandeur": "Prénom et nom du demandeur (orientation : si l'identité est partagée)",
    "adresse": "Adresse du ménage (orientation : si l'identité ou les coordonnées sont partagées)",
    "demande_theme": "Thème de la demande (orientation : si l'objet de la demande est partagé)",
    "demande_objet": "Objet de la demande (orientation : si l'objet de la demande est partagé)",
    "partenaire": "Organisme et service du partenaire",
    "partenaire_adresse": "Adresse du partenaire",
    "donnees_partagees": "Ce que le ménage a accepté de partager (liste des catégories)",
    "informations_partagees": (
        "Orientation : les informations que le ménage a accepté de partager, une rubrique par catégorie "
        "(identité, coordonnées, composition, objet de la demande, ressources du dernier mois, logement, santé), "
        "avec leurs valeurs tirées du dossier ; rien d'une catégorie non acceptée"
    ),
    "rdv_date": "Date et heure du rendez-vous",
    "rdv_lieu": "Lieu du rendez-vous et son adresse",
    "rdv_agent": "Agent qui reçoit le ménage",
}

ALLOWED_TAGS = {"if", "elif", "else", "endif", "comment", "endcomment"}
_TAG = re.compile(r"{%-?\s*(\w+)")
_VARIABLE = re.compile(r"{{\s*([^}|\s]+)")
# A bare engine: no loaders, no libraries, no context processors, autoescape off (the output is text).
_ENGINE = Engine(autoescape=False, builtins=["django.template.defaultfilters"], libraries={}, loaders=[])

COMMUNE = "Saint-Étienne-du-Rouvray"
CCAS_ADDRESS = "Maison du citoyen (adresse d'exemple), place de la Mairie, 76800 Saint-Étienne-du-Rouvray"


class LetterTemplateError(ValueError):
    """A template the sandbox refuses; the message is French and meant for the editor."""


def check_template(body: str) -> None:
    for tag in _TAG.findall(body):
        if tag not in ALLOWED_TAGS:
            raise LetterTemplateError(f"La balise « {tag} » n'est pas autorisée dans un modèle de courrier.")
    for name in _VARIABLE.findall(body):
        if name not in VARIABLES:
            raise LetterTemplateError(f"La variable « {name} » n'existe pas (voir la liste des variables).")
    try:
        _ENGINE.from_string(body)
    except TemplateSyntaxError as error:
        raise LetterTemplateError(f"Le modèle contient une erreur de syntaxe : {error}") from error


def render_text(body: str, values: dict[str, str]) -> str:
    check_template(body)
    context = {name: str(values.get(name, "")) for name in VARIABLES}
    return _ENGINE.from_string(body).render(Context(context, autoescape=False))


def render_pdf(*, title: str, text: str, date: str, compress: bool = True) -> bytes:
    """The letter as an A4 PDF in DejaVu Sans (``guichet.pdf``): œ, €, « » and ’ print as typed."""
    pdf = Document(title=title, compress=compress)
    pdf.add_page()
    pdf.heading(f"Centre communal d'action sociale de {COMMUNE}")
    pdf.paragraph(CCAS_ADDRESS, size=9)
    pdf.ln(6)
    pdf.font(10)
    pdf.cell(0, 6, f"{COMMUNE}, le {date}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.heading(f"Objet : {title}", size=10)
    pdf.ln(2)
    pdf.paragraph(text)
    return pdf.to_bytes()
