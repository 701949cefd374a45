"""Vectorised pricing equals the scalar ``price`` to the cent, for every rule type and modulation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.rules.tariffs import Grid, GridError, PricingFacts, TariffNotApplicable, grid_from_dict, price
from guichet.rules.tariffs_batch import FactsBatch, prices_cents, to_cents

ON = dt.date(2026, 11, 1)

cents = st.integers(min_value=0, max_value=1_200_000)  # 0 to 12,000.00 €
amount = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)
rate = st.decimals(min_value=D("0.0001"), max_value=5, places=4, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def brackets_rule(draw: st.DrawFn) -> dict[str, Any]:
    starts = sorted(draw(st.sets(st.integers(min_value=1, max_value=900_000), max_size=7)))
    bounds = [D(0), *(D(s) / 100 for s in starts)]
    prices = sorted(draw(st.lists(amount, min_size=len(bounds), max_size=len(bounds))))
    return {
        "type": "tranches",
        "base": draw(st.sampled_from(["quotient", "ressources"])),
        "tranches": [
            {"min": str(low), "max": str(bounds[i + 1]) if i + 1 < len(bounds) else None, "prix": str(prices[i])}
            for i, low in enumerate(bounds)
        ],
    }


@st.composite
def effort_rule(draw: st.DrawFn) -> dict[str, Any]:
    floor = draw(st.none() | amount)
    ceiling = draw(st.none() | amount)
    if floor is not None and ceiling is not None and floor > ceiling:
        floor, ceiling = ceiling, floor
    return {
        "type": "taux_effort",
        "base": draw(st.sampled_from(["quotient", "ressources"])),
        "taux": str(draw(rate)),
        "plancher": None if floor is None else str(floor),
        "plafond": None if ceiling is None else str(ceiling),
    }


rules = st.one_of(
    brackets_rule(),
    effort_rule(),
    st.just({"type": "psu"}),
    amount.map(lambda a: {"type": "forfait", "prix": str(a)}),
)


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    modifiers: list[dict[str, Any]] = []
    if draw(st.booleans()):
        rank = draw(st.integers(min_value=2, max_value=4))
        modifiers.append({"type": "fratrie", "a_partir_du_rang": rank, "pourcentage": str(draw(percent))})
    non_resident = draw(st.none() | rules)
    if non_resident is None and draw(st.booleans()):
        modifiers.append({"type": "hors_commune", "pourcentage": str(draw(percent))})
    data = {
        "service": "Service",
        "unite": "repas",
        "debut": "2026-01-01",
        "regle": draw(rules),
        "regle_hors_commune": non_resident,
        "modulations": modifiers,
        "arrondi": draw(st.sampled_from(["0.01", "0.05", "0.10", "1", "0.5", "0.001"])),
        "arrondi_mode": draw(st.sampled_from(["half_up", "down", "up"])),
        "prix_decroissants_autorises": True,
    }
    return grid_from_dict(data)


people = st.lists(
    st.tuples(
        cents,
        cents,
        st.integers(min_value=0, max_value=12),
        st.booleans(),
        st.integers(min_value=1, max_value=6),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


def _scalar(grid: Grid, row: tuple[int, int, int, bool, int, bool]) -> D:
    quotient, resources, children, disabled, rank, resident = row
    facts = PricingFacts(
        quotient=D(quotient) / 100,
        monthly_resources=D(resources) / 100,
        dependent_children=children,
        has_disabled_child=disabled,
        child_rank=rank,
        is_resident=resident,
    )
    return price(grid, facts, ON).amount


def _batch(rows: list[tuple[int, int, int, bool, int, bool]]) -> FactsBatch:
    columns = list(zip(*rows, strict=True))
    return FactsBatch.build(
        quotient_cents=columns[0],
        resources_cents=columns[1],
        dependent_children=columns[2],
        has_disabled_child=columns[3],
        child_rank=columns[4],
        is_resident=columns[5],
    )


@settings(max_examples=300, deadline=None)
@given(grid=grids(), rows=people)
def test_batch_equals_scalar_to_the_cent(grid: Grid, rows: list[tuple[int, int, int, bool, int, bool]]) -> None:
    batch = prices_cents(grid, _batch(rows), ON)
    assert batch.tolist() == [to_cents(_scalar(grid, row)) for row in rows]


@settings(max_examples=50, deadline=None)
@given(
    taux=st.decimals(min_value=D("0.0001"), max_value=100, places=4, allow_nan=False),
    modifier=st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
    rows=people,
)
def test_large_products_stay_exact(taux: D, modifier: D, rows: list[tuple[int, int, int, bool, int, bool]]) -> None:
    """Fine rates and percentages with large values: the products leave int64 and stay exact."""
    grid = grid_from_dict(
        {
            "service": "S",
            "debut": "2026-01-01",
            "regle": {"type": "taux_effort", "taux": str(taux)},
            "modulations": [
                {"type": "fratrie", "a_partir_du_rang": 2, "pourcentage": str(modifier)},
                {"type": "hors_commune", "pourcentage": str(modifier * 7)},
            ],
            "arrondi": "0.01",
        }
    )
    rows = [(q * 10**9, r, c, d, k, res) for q, r, c, d, k, res in rows]
    assert prices_cents(grid, _batch(rows), ON).tolist() == [to_cents(_scalar(grid, row)) for row in rows]


def test_half_cent_rounds_like_the_scalar_helper() -> None:
    """625 € × 0.36 % = 2.25 € exactly; 625.01 € gives 2.250036 €: no float drift at the boundary."""
    grid = grid_from_dict(
        {"service": "S", "debut": "2026-01-01", "regle": {"type": "taux_effort", "taux": "0.36"}, "arrondi": "0.1"}
    )
    batch = prices_cents(grid, FactsBatch.build(quotient_cents=[62_500, 62_501, 62_499]), ON)
    assert batch.tolist() == [230, 230, 220]


def test_bracket_bounds_are_inclusive_below() -> None:
    grid = grid_from_dict(
        {
            "service": "S",
            "debut": "2026-01-01",
            "regle": {
                "type": "tranches",
                "tranches": [
                    {"min": 0, "max": "600.5", "prix": "1"},
                    {"min": "600.5", "max": None, "prix": "2"},
                ],
            },
        }
    )
    assert prices_cents(grid, FactsBatch.build(quotient_cents=[60_049, 60_050, -5]), ON).tolist() == [100, 200, 100]


def test_grid_not_in_force_is_refused_like_the_scalar() -> None:
    grid = grid_from_dict({"service": "S", "debut": "2027-01-01", "regle": {"type": "forfait", "prix": "1"}})
    with pytest.raises(TariffNotApplicable):
        prices_cents(grid, FactsBatch.build(quotient_cents=[0]), ON)


def test_empty_batch() -> None:
    grid = grid_from_dict({"service": "S", "debut": "2026-01-01", "regle": {"type": "forfait", "prix": "1"}})
    assert prices_cents(grid, FactsBatch.build(quotient_cents=np.zeros(0)), ON).size == 0


def test_to_cents_refuses_fractions_of_a_cent() -> None:
    assert to_cents(D("12.30")) == 1230
    with pytest.raises(ValueError, match="centime"):
        to_cents(D("0.001"))
    with pytest.raises(GridError):
        grid_from_dict({"service": "S", "debut": "2026-01-01", "regle": {"type": "forfait"}})
