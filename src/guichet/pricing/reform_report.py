"""The PDF report of a reform simulation for the municipal council: assumptions, revenue, winners
and losers by decile and by neighbourhood, effort rates, threshold effects, charts embedded (the
same SVG as the page). Aggregates only: no household, no name."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings

from guichet.pdf import Document
from guichet.pricing.models import ReformSimulation
from guichet.pricing.reform_charts import price_lines, result_charts
from guichet.pricing.reform_services import grid_comparisons
from guichet.pricing.selectors import grid_summary
from guichet.rules.money import format_euros, format_number
from guichet.rules.tariffs import grid_from_dict


def _euros(raw: str | None, *, sign: bool = False) -> str:
    if raw is None:
        return "—"
    value = Decimal(raw)
    text = format_euros(value, cents=True)
    return f"+{text}" if sign and value > 0 else text


def _percent(raw: str | None) -> str:
    return "—" if raw is None else f"{format_number(Decimal(raw))} %"


def _table(pdf: Document, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    pdf.font(8)
    with pdf.table(col_widths=tuple(widths), text_align="LEFT", line_height=4.5, first_row_as_headings=True) as table:
        heading = table.row()
        for cell in header:
            heading.cell(cell)
        for values in rows:
            row = table.row()
            for cell in values:
                row.cell(cell)
    pdf.ln(3)


def _chart(pdf: Document, svg: str, width: float = 170) -> None:
    pdf.image(io.BytesIO(svg.encode()), w=width)
    pdf.ln(2)


def scenario_lines(simulation: ReformSimulation) -> list[tuple[str, list[str]]]:
    """Per service of the scenario: its name and the draft grid's summary lines."""
    lines = []
    for item in simulation.scenario:
        grid = grid_from_dict(item["grille"])
        lines.append((grid.service, grid_summary(grid)))
    return lines


def reform_report_pdf(simulation: ReformSimulation) -> bytes:
    results: Mapping[str, Any] = simulation.results or {}
    pdf = Document(title=f"Simulation de réforme tarifaire — {simulation.title}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading(f"{settings.GUICHET_COMMUNE_NAME} — Simulation de réforme tarifaire", 14)
    pdf.heading(simulation.title, 12)
    pdf.paragraph(
        f"Population : {simulation.get_population_display().lower()} ({results.get('households', 0)} ménages, "
        f"dont {results.get('concerned', 0)} concernés par au moins un service). Grilles actuelles au "
        f"{simulation.reference_date:%d/%m/%Y}. Montants mensuels estimés sous les hypothèses de fréquentation "
        "ci-dessous ; document de travail, sans donnée nominative."
    )
    if simulation.population == "synthetique":
        pdf.paragraph("Attention : la commune synthétique est une population fictive de démonstration.")
    pdf.heading("Projet et hypothèses", 11)
    summaries = dict(scenario_lines(simulation))
    for service in results.get("services", []):
        pdf.paragraph(
            f"{service['label']} : {format_number(Decimal(service['attending']))} personnes fréquentant le service "
            f"sur {service['members']} concernées par leur âge.",
            9,
        )
        for line in summaries.get(service["label"], []):
            pdf.paragraph(f"  • Projet : {line}", 9)
    labels = {service["key"]: service["label"] for service in results.get("services", [])}
    for item in simulation.scenario:
        pdf.paragraph(
            f"Hypothèses ({labels.get(item['service'], item['service'])}) : "
            f"{format_number(Decimal(item['unites_par_mois']))} unités par mois, "
            f"fréquentation {format_number(Decimal(item['frequentation']))} %.",
            9,
        )

    pdf.heading("Recettes mensuelles", 11)
    rows = [
        [s["label"], _euros(s["current"]), _euros(s["draft"]), _euros(s["change"], sign=True)]
        for s in results.get("services", [])
    ]
    rows.append(
        [
            "Total",
            _euros(results.get("revenue_current")),
            _euros(results.get("revenue_draft")),
            _euros(results.get("revenue_change"), sign=True),
        ]
    )
    _table(pdf, ["Service", "Actuelles", "Projet", "Écart"], rows, (70, 33, 33, 34))
    pdf.paragraph(
        f"Ménages concernés : {results.get('winners', 0)} paieraient moins, {results.get('losers', 0)} paieraient "
        f"plus, {results.get('unchanged', 0)} ne verraient pas de changement.",
        9,
    )

    comparisons = grid_comparisons(simulation)
    for comparison in comparisons:
        pdf.add_page()
        service = comparison.service
        pdf.heading(f"{service.name} : grille actuelle et projet", 11)
        axis = "ressources mensuelles (€)" if comparison.basis == "ressources" else "quotient familial (€)"
        title = f"Prix par {service.unit}, grille actuelle et projet"
        chart_id = f"prix-{service.slug}"
        _chart(pdf, price_lines(comparison.xs, comparison.current, comparison.draft, axis, title, chart_id))
        _table(
            pdf,
            ["Ressources (€)" if comparison.basis == "ressources" else "Quotient (€)", "Actuel", "Projet"],
            [
                [format_euros(value), format_euros(current, cents=True), format_euros(draft, cents=True)]
                for value, current, draft in comparison.table
            ],
            (50, 40, 40),
        )

    charts = result_charts(results)
    pdf.add_page()
    pdf.heading("Gagnants et perdants par décile de quotient familial", 11)
    _chart(pdf, charts["deciles"])
    _table(
        pdf,
        ["Décile", "QF de", "à", "Ménages", "Paient moins", "Paient plus", "Inchangés", "Variation moyenne"],
        [
            [
                g["label"],
                _euros(g["quotient_min"]),
                _euros(g["quotient_max"]),
                str(g["households"]),
                str(g["winners"]),
                str(g["losers"]),
                str(g["unchanged"]),
                _euros(g["mean_change"], sign=True),
            ]
            for g in results.get("deciles", [])
        ],
        (16, 22, 22, 18, 20, 20, 20, 32),
    )
    pdf.add_page()
    pdf.heading("Par quartier", 11)
    if "map" in charts:
        _chart(pdf, charts["map"], 115)
    else:
        _chart(pdf, charts["quartiers"])
    _table(
        pdf,
        ["Quartier", "Ménages", "Paient moins", "Paient plus", "Inchangés", "Variation moyenne"],
        [
            [
                g["label"],
                str(g["households"]),
                str(g["winners"]),
                str(g["losers"]),
                str(g["unchanged"]),
                _euros(g["mean_change"], sign=True),
            ]
            for g in results.get("quartiers", [])
        ],
        (50, 20, 24, 24, 22, 30),
    )
    pdf.add_page()
    pdf.heading("Taux d'effort selon le quotient familial", 11)
    pdf.paragraph(
        "Taux d'effort : coût mensuel des services simulés pour le ménage ÷ revenu mensuel par unité de "
        "consommation, moyenne des ménages de chaque tranche de quotient.",
        9,
    )
    _chart(pdf, charts["effort"])
    _table(
        pdf,
        ["Quotient", "Ménages", "Grilles actuelles", "Projet"],
        [
            [
                f"{_euros(b['quotient_from'])} à {_euros(b['quotient_to'])}"
                if b["quotient_to"]
                else f"{_euros(b['quotient_from'])} et plus",
                str(b["households"]),
                _percent(b["current_percent"]),
                _percent(b["draft_percent"]),
            ]
            for b in results.get("effort", [])
            if b["households"]
        ],
        (60, 30, 40, 40),
    )
    pdf.heading("Effets de seuil", 11)
    pdf.paragraph(
        "Revenus mensuels où un euro de plus coûte plus d'un euro par mois en tarifs, pour des familles "
        "types (quotient = revenu ÷ parts, sans prestations familiales).",
        9,
    )
    thresholds = results.get("thresholds", [])
    if thresholds:
        _table(
            pdf,
            ["Famille", "Grille", "Revenu de", "à", "QF", "Hausse max. pour 1 €"],
            [
                [
                    t["family"],
                    t["grid"],
                    _euros(t["income_from"]),
                    _euros(t["income_to"]),
                    _euros(t["quotient"]),
                    _euros(t["jump"]),
                ]
                for t in thresholds
            ],
            (52, 18, 25, 25, 22, 28),
        )
    else:
        pdf.paragraph("Aucun effet de seuil pour les familles types, ni avec les grilles actuelles ni avec le projet.")
    return pdf.to_bytes()
