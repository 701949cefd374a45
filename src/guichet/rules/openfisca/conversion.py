"""Net → gross conversion of incomes with OpenFisca-France's own rates.

People know their net amounts; OpenFisca's formulas start from gross ones (``salaire_de_base``,
``chomage_brut``, ``retraite_brute``) and read the taxable ones of past years. For each month we
tabulate, with one vectorised OpenFisca simulation, net and taxable amounts over a grid of gross
amounts, then add the exact kinks (social security ceiling, CSG allowance cap…) found between grid
points, so that the tables are piecewise linear exactly like the formulas: interpolating them
inverts OpenFisca to the cent. Replacement incomes (pensions, unemployment benefit) have one table
per CSG rate, which OpenFisca derives from the household's taxable income two years before.
Tables are cached per month for the life of the process.
"""

from __future__ import annotations

import bisect
import functools
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from openfisca_core.periods import period as make_period
from openfisca_core.simulation_builder import SimulationBuilder

from guichet.rules.openfisca.staleness import parameter_leaves
from guichet.rules.openfisca.system import tax_benefit_system

FloatArray = NDArray[np.float64]

# CSG rate classes of replacement incomes, in OpenFisca's order (exonere … taux_plein).
EXONERE, TAUX_REDUIT, TAUX_INTERMEDIAIRE, TAUX_PLEIN = 0, 1, 2, 3
CSG_CLASSES = (EXONERE, TAUX_REDUIT, TAUX_INTERMEDIAIRE, TAUX_PLEIN)

# (gross variable, net variable, taxable variable) per kind of income
KINDS = {
    "salaire": ("salaire_de_base", "salaire_net", "salaire_imposable"),
    "chomage": ("chomage_brut", "chomage_net", "chomage_imposable"),
    "retraite": ("retraite_brute", "retraite_nette", "retraite_imposable"),
}
GRID = np.concatenate([np.arange(0.0, 12_000.0, 50.0), np.arange(12_000.0, 60_001.0, 500.0)])


def _increasing_inverse(gross: FloatArray, net: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Points (net, gross) of the lowest gross giving each net, net strictly increasing. Where the
    net drops (just above the social security ceiling), the points below the previous maximum are
    left out and the point where the curve climbs back over it is added."""
    nets, grosses = [float(net[0])], [float(gross[0])]
    for i in range(1, len(net)):
        if net[i] <= nets[-1]:
            continue
        if net[i - 1] < nets[-1]:  # climbing back after a drop: cross the previous maximum
            level = nets[-1] + 1e-6
            share = (level - net[i - 1]) / (net[i] - net[i - 1])
            nets.append(level)
            grosses.append(float(gross[i - 1] + share * (gross[i] - gross[i - 1])))
        nets.append(float(net[i]))
        grosses.append(float(gross[i]))
    return np.asarray(nets), np.asarray(grosses)


@dataclass(frozen=True)
class Curve:
    """Net and taxable amounts as piecewise-linear functions of the gross amount."""

    gross: FloatArray
    net: FloatArray
    taxable: FloatArray

    @functools.cached_property
    def inverse(self) -> tuple[FloatArray, FloatArray]:
        return _increasing_inverse(self.gross, self.net)

    def gross_from_net(self, net: FloatArray) -> FloatArray:
        # Where the net amount is flat (a guaranteed minimum), the lowest gross amount is taken.
        nets, grosses = self.inverse
        gross = np.interp(net, nets, grosses)
        above = net > nets[-1]  # beyond the grid: the last slope continues
        if above.any():
            slope = (grosses[-1] - grosses[-2]) / (nets[-1] - nets[-2])
            gross = np.where(above, grosses[-1] + (net - nets[-1]) * slope, gross)
        return np.where(net <= 0, 0.0, gross)

    def taxable_from_gross(self, gross: FloatArray) -> FloatArray:
        taxable = np.interp(gross, self.gross, self.taxable)
        above = gross > self.gross[-1]
        if above.any():
            slope = (self.taxable[-1] - self.taxable[-2]) / (self.gross[-1] - self.gross[-2])
            taxable = np.where(above, self.taxable[-1] + (gross - self.gross[-1]) * slope, taxable)
        return taxable


@dataclass(frozen=True)
class MonthTables:
    salaire: Curve
    chomage: dict[int, Curve]
    retraite: dict[int, Curve]

    def curve(self, kind: str, csg_class: int) -> Curve:
        if kind == "salaire":
            return self.salaire
        return (self.chomage if kind == "chomage" else self.retraite)[csg_class]


@functools.lru_cache(maxsize=256)
def csg_thresholds(month: str) -> tuple[float, float, float, float, float, float]:
    """OpenFisca-France's RFR thresholds for the CSG on replacement incomes at ``month``:
    (exoneration, per extra half-share, reduction, per half-share, intermediate, per half-share)."""
    seuils = (
        tax_benefit_system()
        .get_parameters_at_instant(month)
        .prelevements_sociaux.contributions_sociales.csg.remplacement.seuils
    )
    return (
        float(seuils.seuil_rfr1.seuil_rfr1),
        float(seuils.seuil_rfr1.demi_part_suppl_rfr1),
        float(seuils.seuil_rfr2.seuil_rfr2),
        float(seuils.seuil_rfr2.demi_part_suppl_rfr2),
        float(seuils.seuil_rfr3.seuil_rfr3),
        float(seuils.seuil_rfr3.demi_part_suppl_rfr3),
    )


def csg_class(month: str, rfr_n_2: FloatArray, nbptr_n_2: FloatArray) -> NDArray[np.int_]:
    """The CSG class OpenFisca applies to pensions at ``month`` (the same selection as its
    ``csg_deductible_retraite`` formula; unemployment benefit has no intermediate rate and
    OpenFisca's tables for it treat that class as the full rate)."""
    exo, exo_half, red, red_half, mid, mid_half = csg_thresholds(month)
    extra = (nbptr_n_2 - 1) * 2
    return np.select(
        [rfr_n_2 <= exo + extra * exo_half, rfr_n_2 <= red + extra * red_half, rfr_n_2 <= mid + extra * mid_half],
        [EXONERE, TAUX_REDUIT, TAUX_INTERMEDIAIRE],
        TAUX_PLEIN,
    )


def _representative_rfr(month: str) -> dict[int, float]:
    exo, _, red, _, mid, _ = csg_thresholds(month)
    return {EXONERE: 0.0, TAUX_REDUIT: exo + 1.0, TAUX_INTERMEDIAIRE: red + 1.0, TAUX_PLEIN: mid + 1.0}


def _evaluate(month: str, blocks: list[tuple[str, int, FloatArray]]) -> list[tuple[FloatArray, FloatArray]]:
    """Net and taxable amounts for each (kind, CSG class, gross grid) block, in one simulation where
    every row is a single person living alone with only that income."""
    system = tax_benefit_system()
    sizes = [len(grid) for _, _, grid in blocks]
    count = sum(sizes)
    builder = SimulationBuilder()
    builder.create_entities(system)
    ids = np.arange(count)
    builder.declare_person_entity("individu", ids)
    for entity, role in (
        ("famille", "demandeur"),
        ("foyer_fiscal", "declarant_principal"),
        ("menage", "personne_de_reference"),
    ):
        builder.join_with_persons(builder.declare_entity(entity, ids), ids, [role] * count)
    simulation = builder.build(system)
    n_2 = str(make_period(month).this_year.offset(-2))
    rfr = np.zeros(count)
    grosses = {name: np.zeros(count) for name, _, _ in KINDS.values()}
    start = 0
    representative = _representative_rfr(month)
    for (kind, klass, grid), size in zip(blocks, sizes, strict=True):
        grosses[KINDS[kind][0]][start : start + size] = grid
        rfr[start : start + size] = representative[klass]
        start += size
    simulation.set_input("rfr", n_2, rfr)
    simulation.set_input("nbptr", n_2, np.ones(count))
    for name, values in grosses.items():
        simulation.set_input(name, month, values)
    results: list[tuple[FloatArray, FloatArray]] = []
    start = 0
    computed = {
        kind: (simulation.calculate(net, month), simulation.calculate(taxable, month))
        for kind, (_, net, taxable) in KINDS.items()
    }
    for (kind, _, _), size in zip(blocks, sizes, strict=True):
        net, taxable = computed[kind]
        results.append(
            (np.asarray(net[start : start + size], dtype=float), np.asarray(taxable[start : start + size], dtype=float))
        )
        start += size
    return results


def _kinks(grid: FloatArray, values: FloatArray) -> FloatArray:
    """Abscissas of the slope changes lying strictly between grid points: the intersection of the
    straight lines on both sides of each interval where the slope changes."""
    slopes = np.diff(values) / np.diff(grid)
    tolerance = 1e-4  # OpenFisca computes in float32
    found: list[float] = []
    for j in range(1, len(slopes) - 1):
        a1, a2 = slopes[j - 1], slopes[j + 1]
        if abs(a1 - slopes[j]) < tolerance and abs(slopes[j] - a2) < tolerance or abs(a1 - a2) < tolerance:
            continue
        b1 = values[j] - a1 * grid[j]
        b2 = values[j + 1] - a2 * grid[j + 1]
        x = (b2 - b1) / (a1 - a2)
        if grid[j] < x < grid[j + 1]:
            found.append(float(x))
    return np.asarray(found, dtype=float)


def _ceiling_steps(month: str) -> FloatArray:
    """Gross amounts at and one cent above multiples of the monthly social security ceiling: the
    net salary drops there (a discontinuity, which kink detection cannot find)."""
    pss = float(
        tax_benefit_system().get_parameters_at_instant(month).prelevements_sociaux.pss.plafond_securite_sociale_mensuel
    )
    return np.asarray([k * pss + step for k in (1, 2, 3, 4, 8) for step in (0.0, 0.01)])


def _build(month: str) -> MonthTables:
    grid = np.unique(np.concatenate([GRID, _ceiling_steps(month)]))
    keys = [("salaire", TAUX_PLEIN)] + [(kind, klass) for kind in ("chomage", "retraite") for klass in CSG_CLASSES]
    first = _evaluate(month, [(kind, klass, grid) for kind, klass in keys])
    grids = []
    for net, taxable in first:
        extra = np.concatenate([_kinks(grid, net), _kinks(grid, taxable)])
        grids.append(np.unique(np.concatenate([grid, extra])))
    second = _evaluate(month, [(kind, klass, grid) for (kind, klass), grid in zip(keys, grids, strict=True)])
    curves = {key: Curve(grid, net, taxable) for key, grid, (net, taxable) in zip(keys, grids, second, strict=True)}
    return MonthTables(
        salaire=curves[("salaire", TAUX_PLEIN)],
        chomage={klass: curves[("chomage", klass)] for klass in CSG_CLASSES},
        retraite={klass: curves[("retraite", klass)] for klass in CSG_CLASSES},
    )


# Parameter subtrees the conversions read: social contributions and the SMIC (unemployment floor).
CONVERSION_PARAMETERS = ("prelevements_sociaux", "marche_travail")

_lock = threading.Lock()
_tables: dict[str, MonthTables] = {}
_changes: list[str] = []


def legislation_epoch(month: str) -> str:
    """The date of the last change, on or before ``month``, of a parameter the conversions read:
    months of the same epoch share their tables (OpenFisca reads parameters at the month's start)."""
    if not _changes:
        with _lock:
            if not _changes:
                parameters = tax_benefit_system().parameters
                instants = {
                    value.instant_str
                    for root in CONVERSION_PARAMETERS
                    for leaf in parameter_leaves(getattr(parameters, root))
                    for value in leaf.values_list
                }
                _changes.extend(sorted(instants))
    start = f"{month}-01"
    index = bisect.bisect_right(_changes, start)
    return _changes[index - 1] if index else "0000-00-00"


def month_tables(month: str) -> MonthTables:
    """The conversion tables of ``month`` ("YYYY-MM"), built on first use for its epoch and kept."""
    epoch = legislation_epoch(month)
    tables = _tables.get(epoch)
    if tables is None:
        with _lock:
            tables = _tables.get(epoch)
            if tables is None:
                tables = _tables[epoch] = _build(month)
    return tables


def prepare(months: list[str]) -> None:
    """Build the tables of many months at once (warm-up)."""
    for month in months:
        month_tables(month)


def gross_and_taxable(
    month: str, kind: str, net: FloatArray, csg_class_: Any = TAUX_PLEIN
) -> tuple[FloatArray, FloatArray]:
    """Gross and taxable amounts giving ``net`` at ``month`` (``csg_class_`` per row for replacement incomes)."""
    tables = month_tables(month)
    net = np.asarray(net, dtype=float)
    klass = np.broadcast_to(np.asarray(csg_class_), net.shape)
    gross = np.zeros_like(net)
    taxable = np.zeros_like(net)
    for value in np.unique(klass):
        rows = klass == value
        curve = tables.curve(kind, int(value))
        gross[rows] = curve.gross_from_net(net[rows])
        taxable[rows] = curve.taxable_from_gross(gross[rows])
    return gross, taxable
