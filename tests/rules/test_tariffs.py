"""Tariff rules: exact Decimal tables for each rule type, PSU cases from the CNAF barème, grid validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.rules.tariffs import (
    GridError,
    PricingFacts,
    TariffNotApplicable,
    grid_from_dict,
    grid_to_dict,
    price,
)

ON = dt.date(2026, 11, 1)
D = Decimal

CANTEEN: dict[str, Any] = {
    "service": "Restauration scolaire",
    "unite": "repas",
    "debut": "2026-09-01",
    "deliberation": "2026-045",
    "deliberation_date": "2026-06-25",
    "regle": {
        "type": "tranches",
        "tranches": [
            {"min": 0, "max": 600, "prix": "1.00"},
            {"min": 600, "max": 1000, "prix": "3.05"},
            {"min": 1000, "max": 1500, "prix": "3.10"},
            {"min": 1500, "max": None, "prix": "3.15"},
        ],
    },
    "modulations": [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "50"}],
}

EFFORT: dict[str, Any] = {
    "service": "Restauration scolaire (taux d'effort)",
    "unite": "repas",
    "debut": "2026-09-01",
    "regle": {"type": "taux_effort", "taux": "0.36", "plancher": "2.60", "plafond": "4.50"},
}

PSU: dict[str, Any] = {"service": "Crèche", "unite": "heure", "debut": "2022-01-01", "regle": {"type": "psu"}}


@pytest.mark.parametrize(
    ("quotient", "rank", "expected"),
    [
        ("0", 1, "1.00"),
        ("599.99", 1, "1.00"),
        ("600", 1, "3.05"),
        ("999.99", 1, "3.05"),
        ("1000", 1, "3.10"),
        ("1500", 1, "3.15"),
        ("12000", 1, "3.15"),
        ("820", 2, "3.05"),
        ("820", 3, "1.53"),  # 3.05 × 50 % = 1.525 -> 1.53 (half up)
        ("300", 4, "0.50"),
    ],
)
def test_brackets_with_sibling_reduction(quotient: str, rank: int, expected: str) -> None:
    result = price(grid_from_dict(CANTEEN), PricingFacts(quotient=D(quotient), child_rank=rank), ON)
    assert result.amount == D(expected)


def test_price_explains_itself() -> None:
    result = price(grid_from_dict(CANTEEN), PricingFacts(quotient=D("820"), child_rank=3), ON)
    text = "\n".join(result.explanation)
    assert "QF 820,00 € → tranche de 600,00 € à moins de 1 000,00 € : 3,05 €" in text
    assert "3e enfant : −50 %" in text
    assert "délibération 2026-045 du 25/06/2026" in text


@pytest.mark.parametrize(
    ("quotient", "expected"),
    [
        ("0", "2.60"),
        ("700", "2.60"),
        ("722.22", "2.60"),
        ("800", "2.88"),
        ("1000", "3.60"),
        ("1250", "4.50"),
        ("5000", "4.50"),
    ],
)
def test_effort_rate_with_floor_and_ceiling(quotient: str, expected: str) -> None:
    assert price(grid_from_dict(EFFORT), PricingFacts(quotient=D(quotient)), ON).amount == D(expected)


@pytest.mark.parametrize(
    ("on", "resources", "children", "disabled", "expected"),
    [
        (ON, "3000", 1, False, "1.86"),  # 3,000 × 0.0619 % = 1.857
        (ON, "2500", 2, False, "1.29"),  # × 0.0516 %
        (ON, "4000", 3, False, "1.65"),  # × 0.0413 % = 1.652
        (ON, "4000", 5, False, "1.24"),  # × 0.0310 %
        (ON, "5000", 8, False, "1.03"),  # × 0.0206 %
        (ON, "3000", 1, True, "1.55"),  # disabled child: rate of 2 children, 1.548
        (ON, "9000", 1, False, "5.26"),  # ceiling 8,500 € from 1 Sept 2025: 5.2615
        (dt.date(2025, 6, 1), "9000", 1, False, "4.33"),  # ceiling 7,000 €: 4.333
        (ON, "500", 1, False, "0.50"),  # floor 801 €: 0.4958
        (ON, "3000", 10, True, "0.62"),  # beyond the table: last rate, 0.618
    ],
)
def test_psu_bareme(on: dt.date, resources: str, children: int, disabled: bool, expected: str) -> None:
    facts = PricingFacts(
        quotient=D(0), monthly_resources=D(resources), dependent_children=children, has_disabled_child=disabled
    )
    assert price(grid_from_dict(PSU), facts, on).amount == D(expected)


def test_flat_price_non_resident_and_rounding_to_five_cents() -> None:
    grid = grid_from_dict(
        {
            "service": "Transport",
            "unite": "trajet",
            "debut": "2026-01-01",
            "regle": {"type": "forfait", "prix": "1.20"},
            "modulations": [{"type": "hors_commune", "pourcentage": "30"}],
            "arrondi": "0.05",
        }
    )
    assert price(grid, PricingFacts(quotient=D(0)), ON).amount == D("1.20")
    outside = price(grid, PricingFacts(quotient=D(0), is_resident=False), ON)
    assert outside.amount == D("1.55")  # 1.56 rounded to 5 cents
    assert "Hors commune : +30 %" in outside.explanation


def test_grid_outside_its_dates_does_not_apply() -> None:
    grid = grid_from_dict({**CANTEEN, "fin": "2027-08-31"})
    with pytest.raises(TariffNotApplicable):
        price(grid, PricingFacts(quotient=D(500)), dt.date(2027, 9, 1))
    with pytest.raises(TariffNotApplicable):
        price(grid, PricingFacts(quotient=D(500)), dt.date(2026, 8, 31))


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"service": ""}, "service", "obligatoire"),
        ({"debut": "01/09/2026"}, "debut", "AAAA-MM-JJ"),
        ({"fin": "2025-01-01"}, "fin", "précède"),
        ({"regle": {"type": "magique"}}, "regle.type", "type inconnu"),
        ({"regle": {"type": "tranches", "tranches": []}}, "regle.tranches", "non vide"),
        (
            {"regle": {"type": "tranches", "tranches": [{"min": 10, "max": None, "prix": 1}]}},
            "regle.tranches[0].min",
            "commencer à 0",
        ),
        (
            {
                "regle": {
                    "type": "tranches",
                    "tranches": [{"min": 0, "max": 600, "prix": 1}, {"min": 700, "max": None, "prix": 2}],
                }
            },
            "regle.tranches[1].min",
            "trou",
        ),
        (
            {
                "regle": {
                    "type": "tranches",
                    "tranches": [{"min": 0, "max": 600, "prix": 1}, {"min": 500, "max": None, "prix": 2}],
                }
            },
            "regle.tranches[1].min",
            "chevauchement",
        ),
        (
            {"regle": {"type": "tranches", "tranches": [{"min": 0, "max": 600, "prix": "abc"}]}},
            "regle.tranches[0].prix",
            "nombre",
        ),
        (
            {"regle": {"type": "tranches", "tranches": [{"min": 0, "max": 600, "prix": 1}]}},
            "regle.tranches[0].max",
            "sans maximum",
        ),
        (
            {"regle": {"type": "taux_effort", "taux": "0.36", "plancher": "5", "plafond": "4"}},
            "regle.plancher",
            "plafond",
        ),
        (
            {"modulations": [{"type": "fratrie", "a_partir_du_rang": 1, "pourcentage": "50"}]},
            "modulations[0].a_partir_du_rang",
            "rang",
        ),
        (
            {"modulations": [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "150"}]},
            "modulations[0].pourcentage",
            "100 %",
        ),
        ({"arrondi_mode": "banquier"}, "arrondi_mode", "mode inconnu"),
    ],
)
def test_malformed_grids_say_where_and_what(change: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(GridError) as error:
        grid_from_dict({**CANTEEN, **change})
    assert error.value.path == path
    assert message in error.value.message


@pytest.mark.parametrize("data", [CANTEEN, EFFORT, PSU])
def test_grid_round_trips_through_its_dict_form(data: dict[str, Any]) -> None:
    grid = grid_from_dict(data)
    assert grid_from_dict(grid_to_dict(grid)) == grid


prices = st.decimals(min_value=0, max_value=50, places=2)


@st.composite
def monotone_bracket_grids(draw: st.DrawFn) -> dict[str, Any]:
    bounds = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=6))))
    amounts = sorted(draw(st.lists(prices, min_size=len(bounds) + 1, max_size=len(bounds) + 1)))
    lowers = [0, *bounds]
    uppers: list[int | None] = [*bounds, None]
    tranches = [{"min": lo, "max": up, "prix": str(p)} for lo, up, p in zip(lowers, uppers, amounts, strict=True)]
    return {**CANTEEN, "modulations": [], "regle": {"type": "tranches", "tranches": tranches}}


@given(grid=monotone_bracket_grids(), q1=st.decimals(0, 10000, places=2), q2=st.decimals(0, 10000, places=2))
def test_price_never_decreases_when_quotient_rises(grid: dict[str, Any], q1: Decimal, q2: Decimal) -> None:
    low, high = sorted((q1, q2))
    parsed = grid_from_dict(grid)
    assert price(parsed, PricingFacts(quotient=low), ON).amount <= price(parsed, PricingFacts(quotient=high), ON).amount


@given(
    rate=st.decimals(min_value=D("0.01"), max_value=2, places=2),
    floor=prices,
    spread=prices,
    quotient=st.decimals(0, 20000, places=2),
)
def test_floor_and_ceiling_always_hold(rate: Decimal, floor: Decimal, spread: Decimal, quotient: Decimal) -> None:
    ceiling = floor + spread
    grid = grid_from_dict(
        {**EFFORT, "regle": {"type": "taux_effort", "taux": str(rate), "plancher": str(floor), "plafond": str(ceiling)}}
    )
    amount = price(grid, PricingFacts(quotient=quotient), ON).amount
    assert floor <= amount <= ceiling


@given(resources=st.decimals(0, 20000, places=2), children=st.integers(1, 10))
def test_psu_price_stays_within_the_clamped_range(resources: Decimal, children: int) -> None:
    amount = price(
        grid_from_dict(PSU), PricingFacts(quotient=D(0), monthly_resources=resources, dependent_children=children), ON
    ).amount
    assert D("801") * D("0.0206") / 100 - D("0.01") <= amount <= D("8500") * D("0.0619") / 100 + D("0.01")
