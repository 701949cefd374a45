"""The "cantine à 1 €" check, with its reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guichet.rules.canteen import check_canteen_grid
from guichet.rules.tariffs import grid_from_dict

GOOD: dict[str, Any] = {
    "service": "Restauration scolaire",
    "unite": "repas",
    "debut": "2025-01-01",
    "regle": {
        "type": "tranches",
        "tranches": [
            {"min": 0, "max": "1000.01", "prix": "1.00"},
            {"min": "1000.01", "max": 1500, "prix": "2.50"},
            {"min": 1500, "max": None, "prix": "3.50"},
        ],
    },
}


def test_conforming_grid_in_a_small_commune_before_the_deadline() -> None:
    check = check_canteen_grid(grid_from_dict(GOOD), population=4200, on=dt.date(2025, 3, 1))
    assert (check.grid_conforms, check.commune_eligible, check.can_apply) == (True, True, True)


def test_saint_etienne_du_rouvray_is_not_eligible_even_with_a_good_grid() -> None:
    check = check_canteen_grid(grid_from_dict(GOOD), population=28500, on=dt.date(2025, 3, 1))
    assert check.grid_conforms and not check.commune_eligible and not check.can_apply
    assert any("28 500 habitants" in reason and "moins de 10 000" in reason for reason in check.reasons)


def test_new_applications_closed_after_26_july_2025_but_renewals_open() -> None:
    grid = grid_from_dict(GOOD)
    assert not check_canteen_grid(grid, population=4200, on=dt.date(2026, 1, 5)).can_apply
    renewal = check_canteen_grid(grid, population=4200, on=dt.date(2026, 1, 5), already_beneficiary=True)
    assert renewal.can_apply
    assert not check_canteen_grid(grid, population=4200, on=dt.date(2028, 1, 5), already_beneficiary=True).can_apply


def test_low_bracket_must_cover_quotients_up_to_1000() -> None:
    short = {**GOOD, "regle": {"type": "tranches", "tranches": [
        {"min": 0, "max": 800, "prix": "1.00"},
        {"min": 800, "max": 1500, "prix": "2.50"},
        {"min": 1500, "max": None, "prix": "3.50"},
    ]}}  # fmt: skip
    check = check_canteen_grid(grid_from_dict(short), population=4200, on=dt.date(2025, 3, 1))
    assert not check.grid_conforms
    assert any("doit couvrir les QF jusqu'à 1 000,00 €" in reason for reason in check.reasons)


def test_two_brackets_or_no_price_above_one_euro_fail() -> None:
    two = {**GOOD, "regle": {"type": "tranches", "tranches": [
        {"min": 0, "max": 1200, "prix": "0.80"},
        {"min": 1200, "max": None, "prix": "1.00"},
    ]}}  # fmt: skip
    check = check_canteen_grid(grid_from_dict(two), population=4200, on=dt.date(2025, 3, 1))
    assert not check.grid_conforms
    assert any("au moins 3 sont exigées" in reason for reason in check.reasons)
    assert any("Aucune tranche au-dessus de 1,00 €" in reason for reason in check.reasons)


def test_effort_rate_grid_is_not_a_bracket_grid() -> None:
    grid = grid_from_dict(
        {**GOOD, "regle": {"type": "taux_effort", "taux": "0.36", "plancher": "0.80", "plafond": "4"}}
    )
    assert not check_canteen_grid(grid, population=4200, on=dt.date(2025, 3, 1)).grid_conforms
