"""The « vos tarifs » sheet: a household's quotient (with where it comes from and how it is made)
and, for every municipal service, the price for each member it concerns with "why this price" and
the deliberation that adopted the grid. A4, DejaVu Sans (``guichet.pdf``), made on demand.

The sheet is handed to the family: the notes meant for the CCAS about its own parameter files
(values marked "to verify", out-of-date parameters) stay on the agent's page and are left out here."""

from __future__ import annotations

from collections.abc import Sequence

from guichet.pdf import Document
from guichet.pricing.selectors import HouseholdPrices, PersonPrice, ServicePrices
from guichet.rules.money import format_euros
from guichet.rules.parameters import STALE, TO_VERIFY
from guichet.rules.tariffs import Grid

TITLE = "Vos tarifs des services municipaux"
WIDTHS = (45, 30, 95)


AGENT_NOTES = frozenset({STALE, TO_VERIFY})  # the CCAS's own parameter files: not for the family


def for_household(warnings: Sequence[str]) -> list[str]:
    """The warnings that concern the family (not the CCAS's own parameter files)."""
    return [warning for warning in warnings if getattr(warning, "code", "") not in AGENT_NOTES]


def _person(line: PersonPrice) -> str:
    age = f"{line.age} an{'s' if line.age > 1 else ''}"
    if line.child_rank:
        rank = "1er" if line.child_rank == 1 else f"{line.child_rank}e"
        return f"{line.name}\n{age}, {rank} enfant"
    return f"{line.name}\n{age}"


def _why(line: PersonPrice) -> str:
    return "\n".join([*line.explanation, *(f"Attention : {warning}" for warning in for_household(line.warnings))])


def grid_reference(grid: Grid) -> str:
    """``Grille en vigueur depuis le 01/09/2026 — délibération n° 2026-041 du 30/06/2026``."""
    text = f"Grille en vigueur {grid.period}"
    if grid.deliberation:
        text += f" — délibération {grid.deliberation}"
        if grid.deliberation_date:
            text += f" du {grid.deliberation_date:%d/%m/%Y}"
    else:
        text += " — délibération non renseignée"
    return text


def _numbered(pdf: Document, lines: Sequence[str], size: float = 9) -> None:
    pdf.font(size)
    for number, line in enumerate(lines, start=1):
        pdf.multi_cell(0, size * 0.5, f"{number}. {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _quotient(pdf: Document, prices: HouseholdPrices) -> None:
    quotient = prices.quotient
    pdf.heading(f"Votre quotient familial : {format_euros(quotient.value, cents=True)}", size=11)
    kind = "Quotient attesté" if quotient.is_attested else "Quotient calculé par le CCAS"
    pdf.paragraph(f"{kind} — source : {quotient.source_label}.", size=9)
    _numbered(pdf, quotient.explanation)
    if quotient.computed is not None:
        pdf.paragraph("Pour information, le calcul du CCAS à partir de vos ressources :", size=9)
        _numbered(pdf, quotient.computed.explanation, size=8)
    for warning in for_household(quotient.warnings):
        pdf.paragraph(f"Attention : {warning}", size=8)


def _service(pdf: Document, entry: ServicePrices) -> None:
    pdf.heading(entry.service.name, size=10)
    assert entry.grid is not None
    pdf.paragraph(grid_reference(entry.grid) + ".", size=8)
    pdf.font(8)
    with pdf.table(col_widths=WIDTHS, text_align="LEFT", line_height=4, first_row_as_headings=True) as table:
        heading = table.row()
        for label in ("Personne", "Prix", "Pourquoi ce prix"):
            heading.cell(label)
        for line in entry.lines:
            row = table.row()
            row.cell(_person(line))
            row.cell(f"{format_euros(line.amount, cents=True)}\npar {line.unit}")
            row.cell(_why(line))
    pdf.ln(4)


def tariff_sheet_pdf(prices: HouseholdPrices, *, commune: str, compress: bool = True) -> bytes:
    """The sheet of ``prices`` (from ``selectors.household_prices``) as PDF bytes."""
    household = prices.household
    pdf = Document(title=f"{TITLE} — ménage {household.reference}", compress=compress)
    pdf.add_page()
    pdf.heading(f"Centre communal d'action sociale de {commune}", size=10)
    pdf.heading(TITLE, size=14)
    resident = "" if prices.is_resident else " Adresse hors de la commune : les tarifs hors commune s'appliquent."
    pdf.paragraph(
        f"Ménage {household.reference} — prix au {prices.on:%d/%m/%Y}, pour chaque service et chaque personne "
        f"du ménage qu'il concerne.{resident}"
    )
    _quotient(pdf, prices)
    priced = [entry for entry in prices.services if entry.grid is not None and entry.lines]
    pdf.heading("Vos prix, service par service", size=12)
    if not priced:
        pdf.paragraph("Aucun service municipal ne concerne les personnes du ménage à cette date.")
    for entry in priced:
        _service(pdf, entry)
    others = [entry for entry in prices.services if entry not in priced]
    if others:
        pdf.heading("Autres services", size=10)
        for entry in others:
            reason = "aucune personne du ménage concernée (âge)" if entry.grid else "aucune grille en vigueur"
            pdf.paragraph(f"{entry.service.name} : {reason}.", size=8)
    if any(entry.service.is_example for entry in prices.services):
        pdf.paragraph(
            "Les services marqués « exemple » sont des tarifs de démonstration, pas ceux adoptés par la commune.",
            size=8,
        )
    pdf.paragraph(
        "Ces prix sont calculés à partir des informations connues du CCAS à la date indiquée et des grilles "
        "adoptées par le conseil municipal. Si votre situation change (ressources, naissance, déménagement) "
        "ou si vous recevez une nouvelle attestation de quotient de la CAF ou de la MSA, signalez-le au CCAS : "
        "vos prix seront recalculés.",
        size=8,
    )
    return pdf.to_bytes()
