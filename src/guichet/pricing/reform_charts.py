"""Charts of a reform simulation as SVG strings (no script, no inline style: CSP-safe), the same
bytes in the page and in the PDF report (fpdf2 draws them; the text uses the PDF's DejaVu font).

Each chart is drawn from the stored results (aggregates only); the pages always put the numbers
in a table beside it. Colours are never the only signal: gains and losses also differ by their
side of the zero line, and the two curves of the effort rate by their dash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from guichet.rules.money import format_euros, format_number

FONT = 'font-family="DejaVu, DejaVu Sans, sans-serif"'
TEXT = "#222"
GRID = "#d0d4da"
GAIN = "#1d6b3a"  # pays less (contrast > 4.5:1 on white)
LOSS = "#a4260f"  # pays more
CURRENT = "#1d4f91"
DRAFT = "#8a3b00"


def fluid(svg: str) -> str:
    """The same chart scaled to its container on a page (the PDF keeps the fixed size)."""
    return re.sub(r' width="\d+" height="\d+"', ' width="100%"', svg, count=1)


def _svg(width: int, height: int, title: str, body: list[str], chart_id: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-titre" focusable="false">'
        f'<title id="{chart_id}-titre">{escape(title)}</title><g {FONT}>' + "".join(body) + "</g></svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 13, weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{TEXT}" text-anchor="{anchor}"{bold}>'
        f"{escape(text)}</text>"
    )


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _nice(top: float) -> float:
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1) if top >= 1 else 0.1
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= top:
            return multiple * magnitude
    return 10 * magnitude


def change_bars(rows: Sequence[tuple[str, Decimal | None]], title: str, chart_id: str) -> str:
    """Horizontal bars of the mean monthly change per group, left of zero = the group pays less."""
    label_w, width, bar_h, gap, top, bottom = 190, 720, 20, 8, 12, 40
    height = top + len(rows) * (bar_h + gap) + bottom
    values = [float(v) for _, v in rows if v is not None]
    extent = _nice(max((abs(v) for v in values), default=1.0) or 1.0)
    plot_left, plot_right = label_w + 80, width - 80  # room for the amounts beside the bars
    zero = (plot_left + plot_right) / 2
    scale = (plot_right - zero) / extent
    body = []
    for tick in (-extent, -extent / 2, 0.0, extent / 2, extent):
        x = zero + tick * scale
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - bottom}" stroke="{GRID}"/>')
        body.append(_text(x, height - bottom + 16, format_euros(Decimal(repr(tick))), "middle", 12))
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_h + gap)
        body.append(_text(label_w, y + bar_h * 0.72, _short(label, 26), "end"))
        if value is None:
            body.append(_text(zero + 6, y + bar_h * 0.72, "aucun ménage", size=12))
            continue
        length = float(value) * scale
        x = zero + min(length, 0.0)
        colour = GAIN if value < 0 else LOSS
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{abs(length):.1f}" height="{bar_h}" fill="{colour}"/>')
        anchor, at = ("end", x - 4) if value < 0 else ("start", zero + max(length, 0.0) + 4)
        body.append(_text(at, y + bar_h * 0.72, format_euros(value, cents=True), anchor, 12))
    body.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top}" y2="{height - bottom}" stroke="{TEXT}"/>')
    body.append(_text(plot_left, height - 6, "← paie moins", size=12))
    body.append(_text(plot_right, height - 6, "paie plus →", "end", 12))
    return _svg(width, height, title, body, chart_id)


def effort_curves(bands: Sequence[Mapping[str, Any]], title: str, chart_id: str) -> str:
    """Mean effort rate (%) by quotient band, current grids (solid) and drafts (dashed)."""
    width, height, left, right, top, bottom = 640, 320, 56, 36, 16, 64
    points = [b for b in bands if b["households"]]
    top_value = _nice(max((float(b[k]) for b in points for k in ("current_percent", "draft_percent")), default=1.0))
    count = max(len(bands) - 1, 1)

    def sx(index: int) -> float:
        return left + index * (width - left - right) / count

    def sy(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_value)

    body = []
    for step in range(5):
        value = top_value * step / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(value):.1f}" y2="{sy(value):.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, sy(value) + 4, f"{format_number(Decimal(repr(round(value, 2))))} %", "end", 12))
    for index, band in enumerate(bands):
        if index % 5 == 0:
            body.append(
                _text(sx(index), height - bottom + 16, format_euros(Decimal(band["quotient_from"])), "middle", 12)
            )
    for key, colour, dash in (("current_percent", CURRENT, ""), ("draft_percent", DRAFT, ' stroke-dasharray="7 4"')):
        path = " ".join(
            f"{'M' if n == 0 else 'L'}{sx(bands.index(band)):.1f} {sy(float(band[key])):.1f}"
            for n, band in enumerate(points)
        )
        if path:
            body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for band in points:
            x, y = sx(bands.index(band)), sy(float(band[key]))
            if key == "current_percent":
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
            else:  # a square, so that the two series differ by shape too
                body.append(f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>')
    legend_y = height - 14
    body.append(
        f'<line x1="{left}" x2="{left + 30}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{CURRENT}" '
        'stroke-width="2.5"/>'
    )
    body.append(_text(left + 36, legend_y, "grilles actuelles", size=12))
    body.append(
        f'<line x1="{left + 180}" x2="{left + 210}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{DRAFT}" '
        'stroke-width="2.5" stroke-dasharray="7 4"/>'
    )
    body.append(_text(left + 216, legend_y, "projet", size=12))
    body.append(_text(width - right, legend_y, "quotient familial (€)", "end", 12))
    return _svg(width, height, title, body, chart_id)


def _fill(value: Decimal | None, extent: float) -> str:
    """A diverging light palette (dark text stays readable on every fill)."""
    if value is None:
        return "#eeeeee"
    share = min(abs(float(value)) / extent, 1.0) if extent else 0.0
    light = (245, 245, 245)
    target = (150, 205, 165) if value < 0 else (240, 170, 150)
    rgb = [round(a + (b - a) * share) for a, b in zip(light, target, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def change_map(
    shapes: Sequence[Any], width: float, height: float, changes: Mapping[str, Decimal], chart_id: str
) -> str:
    """The neighbourhoods coloured by mean monthly change (green: pays less, red: pays more), with the
    amount written on each."""
    extent = max((abs(float(v)) for v in changes.values()), default=1.0) or 1.0
    body = []
    for shape in shapes:
        value = changes.get(shape.name)
        body.append(f'<path d="{shape.path}" fill="{_fill(value, extent)}" stroke="#555" stroke-width="1"/>')
    for shape in shapes:
        value = changes.get(shape.name)
        body.append(_text(shape.label_x, shape.label_y - 3, _short(shape.name, 26), "middle", 11, "bold"))
        amount = "—" if value is None else format_euros(value, cents=True)
        body.append(_text(shape.label_x, shape.label_y + 11, amount, "middle", 11))
    title = "Variation mensuelle moyenne par quartier (vert : paie moins, rouge : paie plus)"
    return _svg(int(width), int(height), title, body, chart_id)


def _decile_label(group: Mapping[str, Any]) -> str:
    if not group["households"]:
        return str(group["label"])
    low, high = Decimal(group["quotient_min"]), Decimal(group["quotient_max"])
    return (
        f"{group['label']} (QF {format_number(low.quantize(Decimal(1)))} à {format_number(high.quantize(Decimal(1)))})"
    )


def result_charts(results: Mapping[str, Any], *, with_map: bool = True) -> dict[str, str]:
    """Every chart of a simulation's results, by name: deciles, quartiers, effort, map (if any)."""
    charts = {
        "deciles": change_bars(
            [(_decile_label(g), Decimal(g["mean_change"]) if g["households"] else None) for g in results["deciles"]],
            "Variation mensuelle moyenne par décile de quotient familial",
            "graphique-deciles",
        ),
        "quartiers": change_bars(
            [(g["label"], Decimal(g["mean_change"])) for g in results["quartiers"]],
            "Variation mensuelle moyenne par quartier",
            "graphique-quartiers",
        ),
        "effort": effort_curves(
            results["effort"], "Taux d'effort moyen selon le quotient familial", "graphique-effort"
        ),
    }
    if with_map:
        from guichet.territory.selectors import quartier_rows  # noqa: PLC0415 - only when a map is drawn
        from guichet.territory.svgmap import quartier_map  # noqa: PLC0415

        drawn = quartier_map(quartier_rows())
        if drawn is not None:
            changes = {g["label"]: Decimal(g["mean_change"]) for g in results["quartiers"]}
            charts["map"] = change_map(drawn.shapes, drawn.width, drawn.height, changes, "carte-quartiers")
    return charts


def price_lines(
    xs: Sequence[int], current: Sequence[int], draft: Sequence[int], x_label: str, title: str, chart_id: str
) -> str:
    """Price per unit (cents) against the quotient or resources (euros): the current grid (solid)
    and the draft (dashed), drawn as steps."""
    width, height, left, right, top, bottom = 640, 300, 64, 36, 16, 64
    top_value = _nice(max([*current, *draft, 1]) / 100)
    x_max = max(xs[-1], 1)

    def sx(value: int) -> float:
        return left + value * (width - left - right) / x_max

    def sy(cents: int) -> float:
        return top + (height - top - bottom) * (1 - cents / 100 / top_value)

    body = []
    for step in range(5):
        value = top_value * step / 4
        y = sy(round(value * 100))
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, format_euros(Decimal(repr(round(value, 2)))), "end", 12))
    tick = _nice(x_max / 6)
    value = 0.0
    while value <= x_max:
        body.append(_text(sx(round(value)), height - bottom + 16, format_euros(Decimal(round(value))), "middle", 12))
        value += tick
    for series, colour, dash in ((current, CURRENT, ""), (draft, DRAFT, ' stroke-dasharray="7 4"')):
        commands, previous = [], None
        for x, cents in zip(xs, series, strict=True):
            if previous is None:
                commands.append(f"M{sx(x):.1f} {sy(cents):.1f}")
            elif cents != previous:
                commands.append(f"L{sx(x):.1f} {sy(previous):.1f} L{sx(x):.1f} {sy(cents):.1f}")
            previous = cents
        commands.append(f"L{sx(xs[-1]):.1f} {sy(series[-1]):.1f}")
        body.append(f'<path d="{" ".join(commands)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
    legend_y = height - 14
    body.append(
        f'<line x1="{left}" x2="{left + 30}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{CURRENT}" '
        'stroke-width="2.5"/>'
    )
    body.append(_text(left + 36, legend_y, "grille actuelle", size=12))
    body.append(
        f'<line x1="{left + 170}" x2="{left + 200}" y1="{legend_y - 4}" y2="{legend_y - 4}" stroke="{DRAFT}" '
        'stroke-width="2.5" stroke-dasharray="7 4"/>'
    )
    body.append(_text(left + 206, legend_y, "projet", size=12))
    body.append(_text(width - right, legend_y, x_label, "end", 12))
    return _svg(width, height, title, body, chart_id)
