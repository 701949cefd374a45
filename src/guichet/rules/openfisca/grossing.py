"""Net → gross conversion of earned and replacement incomes with OpenFisca-France's own rates.

People know their net amounts; OpenFisca's formulas start from the gross ones (``salaire_de_base``,
``chomage_brut``, ``retraite_brute``). For a month, one side simulation computes net and taxable
amounts over a grid of gross amounts (salary; unemployment benefit and pension for each CSG rate
category, which depends on the tax household's income of year N-2). Net is piecewise linear in
gross, so the grid plus the exact kink points found from neighbouring slopes gives an exact
inverse. Tables are cached per month and per process.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from openfisca_core.simulation_builder import SimulationBuilder

from guichet.rules.openfisca.system import tax_benefit_system

FloatArray = npt.NDArray[np.float64]
SLOPE_TOLERANCE = 1e-3

GRID = np.concatenate([np.arange(0.0, 4000.0, 10.0), np.arange(4000.0, 12000.0, 50.0), np.arange(12000.0, 60001.0, 500.0)])

# kind -> (gross input variable, net variable, taxable variable, number of CSG categories)
KINDS: dict[str, tuple[str, str, str, int]] = {
    "salaire": ("salaire_de_base", "salaire_net", "salaire_imposable", 1),
    "chomage": ("chomage_brut", "chomage_net", "chomage_imposable", 3),
    "retraite": ("retraite_brute", "retraite_nette", "retraite_imposable", 4),
}


@dataclass(frozen=True)
class Curve:
    gross: FloatArray
    net: FloatArray
    taxable: FloatArray

    def gross_from_net(self, net: FloatArray) -> FloatArray:
        # the net is non-decreasing in gross; a plateau (floor) takes its lowest gross
        monotone = np.maximum.accumulate(self.net)
        return np.where(net <= 0, 0.0, np.interp(net, monotone, self.gross))

    def taxable_from_gross(self, gross: FloatArray) -> FloatArray:
        return np.interp(gross, self.gross, self.taxable)

    def net_from_gross(self, gross: FloatArray) -> FloatArray:
        return np.interp(gross, self.gross, self.net)


def csg_thresholds(month: dt.date) -> tuple[Any, Any, Any]:
    seuils = tax_benefit_system().parameters(month.isoformat()).prelevements_sociaux.contributions_sociales.csg
    s = seuils.remplacement.seuils
    return s.seuil_rfr1, s.seuil_rfr2, s.seuil_rfr3


def csg_category(kind: str, rfr: FloatArray, nbptr: FloatArray, month: dt.date) -> npt.NDArray[np.int64]:
    """CSG rate category of replacement incomes from the tax household's RFR and parts of N-2, as
    OpenFisca-France decides it (exempt, reduced, [intermediate,] full)."""
    s1, s2, s3 = csg_thresholds(month)
    half_parts = (nbptr - 1) * 2
    limits = [s1.seuil_rfr1 + half_parts * s1.demi_part_suppl_rfr1, s2.seuil_rfr2 + half_parts * s2.demi_part_suppl_rfr2]
    if KINDS[kind][3] == 4:
        limits.append(s3.seuil_rfr3 + half_parts * s3.demi_part_suppl_rfr3)
    category = np.zeros(len(rfr), dtype=np.int64)
    for limit in limits:
        category += rfr > limit
    return category


def _representative_rfr(kind: str, month: dt.date) -> list[float]:
    """One RFR (single person, one part) inside each category of ``kind``."""
    s1, s2, s3 = (float(v) for v in (t[k] for t, k in zip(csg_thresholds(month), ("seuil_rfr1", "seuil_rfr2", "seuil_rfr3"), strict=True)))
    values = [0.0, (s1 + s2) / 2, (s2 + s3) / 2, s3 + 10_000.0]
    return values[: KINDS[kind][3] - 1] + [values[-1]] if KINDS[kind][3] > 1 else [0.0]


def _simulate_curves(month: dt.date) -> dict[tuple[str, int], Curve]:
    system = tax_benefit_system()
    blocks = [(kind, category, rfr) for kind in KINDS for category, rfr in enumerate(_representative_rfr(kind, month))]
    size = len(GRID)
    count = size * len(blocks)
    ids = np.arange(count)
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("individu", ids)
    for entity, role in (("famille", "demandeur"), ("foyer_fiscal", "declarant_principal"), ("menage", "personne_de_reference")):
        population = builder.declare_entity(entity, ids)
        builder.join_with_persons(population, ids, [role] * count)
    simulation = builder.build(system)
    period = month.strftime("%Y-%m")
    n_2 = str(month.year - 2)
    simulation.set_input("date_naissance", "ETERNITY", np.full(count, np.datetime64("1970-01-01")))
    simulation.set_input("nbptr", n_2, np.ones(count))
    simulation.set_input("rfr", n_2, np.repeat([rfr for _, _, rfr in blocks], size))
    for kind, (gross_var, _, _, _) in KINDS.items():
        gross = np.concatenate([GRID if block_kind == kind else np.zeros(size) for block_kind, _, _ in blocks])
        simulation.set_input(gross_var, period, gross)
    curves = {}
    results = {var: simulation.calculate(var, period) for _, net_var, tax_var, _ in KINDS.values() for var in (net_var, tax_var)}
    for index, (kind, category, _) in enumerate(blocks):
        window = slice(index * size, (index + 1) * size)
        _, net_var, tax_var, _ = KINDS[kind]
        net = results[net_var][window].astype(np.float64)
        taxable = results[tax_var][window].astype(np.float64)
        curves[kind, category] = _with_kinks(GRID.copy(), net, taxable)
    return curves


def _with_kinks(gross: FloatArray, net: FloatArray, taxable: FloatArray) -> Curve:
    """Insert the exact kink points (where two linear pieces meet inside a grid step) so that linear
    interpolation is exact on a piecewise linear function."""
    slopes = np.diff(net) / np.diff(gross)
    tax_slopes = np.diff(taxable) / np.diff(gross)
    extra_x: list[float] = []
    for i in range(1, len(slopes) - 1):
        left, right = slopes[i - 1], slopes[i + 1]
        if abs(left - right) < SLOPE_TOLERANCE:  # float32 noise is not a kink
            continue
        x = (net[i + 1] - net[i] + left * gross[i] - right * gross[i + 1]) / (left - right)
        if gross[i] < x < gross[i + 1]:
            extra_x.append(float(x))
    if not extra_x:
        return Curve(gross, net, taxable)
    xs = np.array(extra_x)
    positions = np.searchsorted(gross, xs) - 1
    kink_net = net[positions] + slopes[positions - 1] * (xs - gross[positions])
    kink_tax = taxable[positions] + tax_slopes[positions - 1] * (xs - gross[positions])
    order = np.argsort(np.concatenate([gross, xs]), kind="stable")
    return Curve(
        np.concatenate([gross, xs])[order], np.concatenate([net, kink_net])[order], np.concatenate([taxable, kink_tax])[order]
    )


_cache: dict[dt.date, dict[tuple[str, int], Curve]] = {}
_cache_lock = threading.Lock()


def curves_for(month: dt.date) -> dict[tuple[str, int], Curve]:
    """The conversion curves of a month (first day), computed once per process."""
    month = month.replace(day=1)
    if month not in _cache:
        with _cache_lock:
            if month not in _cache:
                _cache[month] = _simulate_curves(month)
    return _cache[month]
