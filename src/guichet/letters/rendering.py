"""Rendering of letter templates in a sandbox, and of the result as an A4 PDF (fpdf2).

Templates are Django template syntax restricted to ``VARIABLES``: the context holds plain strings
only (never a model object, so a template cannot reach the database), and ``{% load %}``,
``{% include %}``, ``{% extends %}``, ``{% url %}`` and similar tags are refused before rendering.
"""

from __future__ import annotations

import re

from django.template import Context, Engine, TemplateSyntaxError
from fpdf import FPDF

VARIABLES: dict[str, str] = {
    "commune": "Nom de la commune",
    "ccas_adresse": "Adresse du CCAS (Maison du citoyen)",
    "date": "Date du jour en toutes lettres",
    "agent": "Nom de l'agent qui signe",
    "reference": "Référence du dossier",
    "civilite": "Madame, Monsieur ou Madame, Monsieur",
    "demandeur": "Prénom et nom du demandeur",
    "adresse": "Adresse du ménage",
    "demande_theme": "Thème de la demande",
    "demande_objet": "Objet de la demande",
    "partenaire": "Organisme et service du partenaire",
    "partenaire_adresse": "Adresse du partenaire",
    "donnees_partagees": "Ce que le ménage a accepté de partager",
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


# The core PDF fonts encode latin-1: the few French characters outside it get a close equivalent.
_LATIN1 = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "€": "EUR",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u202f": " ",
    }
)


def pdf_safe(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _LetterPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, pdf_safe(f"Page {self.page_no()} / {{nb}}"), align="C")


def render_pdf(*, title: str, text: str, date: str, compress: bool = True) -> bytes:
    pdf = _LetterPdf(format="A4")
    pdf.set_compression(compress)
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title(pdf_safe(title))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 6, pdf_safe(f"Centre communal d'action sociale de {COMMUNE}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 5, pdf_safe(CCAS_ADDRESS), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, pdf_safe(f"{COMMUNE}, le {date}"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(0, 6, pdf_safe(f"Objet : {title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(0, 5.5, pdf_safe(text.strip()), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
