"""The reform simulator on a small population with known winners and losers (exact amounts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from guichet.rules.money import round_money
from guichet.rules.reform import (
    NO_QUARTIER,
    Members,
    Population,
    ReferenceFamily,
    ServiceScenario,
    deciles,
    simulate,
    threshold_effects,
)
from guichet.rules.tariffs import GridError, PricingFacts, grid_from_dict, price

ON = dt.date(2026, 11, 1)

CURRENT: dict[str, Any] = {
    "service": "Cantine",
    "unite": "repas",
    "debut": "2026-09-01",
    "regle": {
        "type": "tranches",
        "tranches": [
            {"min": 0, "max": 600, "prix": "1.00"},
            {"min": 600, "max": 1000, "prix": "3.00"},
            {"min": 1000, "max": None, "prix": "4.00"},
        ],
    },
}
DRAFT: dict[str, Any] = {
    "service": "Cantine",
    "unite": "repas",
    "debut": "2027-01-01",  # a draft starts later: priced on its first day
    "regle": {"type": "taux_effort", "taux": "0.40", "plancher": "1.00", "plafond": "5.00"},
}

# h0 q 300 one child: 1.00 -> 1.20     h1 q 700 two children: 3.00 -> 2.80 each
# h2 q 900 one child: 3.00 -> 3.60     h3 q 1200, no child (not concerned)
# h4 q 2000 one child: 4.00 -> 5.00    h5 q 250 one child: 1.00 -> 1.00 (floor)
QUOTIENTS = [300_00, 700_00, 900_00, 1200_00, 2000_00, 250_00]


def population() -> Population:
    return Population(
        quotient_cents=np.array(QUOTIENTS),
        resources_cents=np.array(QUOTIENTS) * 3,
        income_uc_cents=np.array([600_00, 1000_00, 1500_00, 2000_00, 3000_00, 500_00]),
        dependent_children=np.array([1, 2, 1, 0, 1, 1]),
        has_disabled_child=np.zeros(6, dtype=bool),
        is_resident=np.ones(6, dtype=bool),
        quartier=np.array([0, 0, 1, 0, 2, 1]),
        quartier_labels=("Nord", "Sud", ""),
        members={"cantine": Members.build([0, 1, 1, 2, 4, 5], [1, 1, 2, 1, 1, 1])},
    )


def scenario(units: str = "16", share: str = "50") -> ServiceScenario:
    return ServiceScenario(
        key="cantine",
        label="Cantine",
        unit="repas",
        current=grid_from_dict(CURRENT),
        draft=grid_from_dict(DRAFT),
        units_per_month=D(units),
        attendance_percent=D(share),
    )


FAMILY = ReferenceFamily("Couple, un enfant", parts=D("2.5"), dependent_children=1, members={"cantine": 1})


def test_winners_losers_and_revenue() -> None:
    result = simulate(population(), [scenario()], ON, families=[FAMILY])
    # 16 meals × 50 % = 8 meals a month per child
    assert (result.households, result.concerned) == (6, 5)
    assert (result.winners, result.losers, result.unchanged) == (1, 3, 1)
    assert result.revenue_current == D("120.00")  # 8 + 48 + 24 + 32 + 8
    assert result.revenue_draft == D("131.20")  # 9.60 + 44.80 + 28.80 + 40 + 8
    assert result.revenue_change == D("11.20")
    (service,) = result.services
    assert (service.members, service.attending, service.change) == (6, D("3.00"), D("11.20"))


def test_deciles_by_quotient() -> None:
    result = simulate(population(), [scenario()], ON)
    filled = [(g.label, g.households, g.winners, g.losers, g.unchanged, g.mean_change) for g in result.deciles]
    assert [row for row in filled if row[1]] == [
        ("D1", 1, 0, 0, 1, D("0.00")),  # h5, floor
        ("D3", 1, 0, 1, 0, D("1.60")),  # h0
        ("D5", 1, 1, 0, 0, D("-3.20")),  # h1, two children
        ("D7", 1, 0, 1, 0, D("4.80")),  # h2
        ("D9", 1, 0, 1, 0, D("8.00")),  # h4, ceiling
    ]
    assert result.deciles[4].quotient_min == D("700.00")


def test_quartiers() -> None:
    result = simulate(population(), [scenario()], ON)
    rows = {g.label: (g.households, g.winners, g.losers, g.unchanged, g.mean_change) for g in result.quartiers}
    assert rows == {
        "Nord": (2, 1, 1, 0, D("-0.80")),  # h3 is in Nord but not concerned
        "Sud": (2, 0, 1, 1, D("2.40")),
        NO_QUARTIER: (1, 0, 1, 0, D("8.00")),
    }


def test_effort_rate_by_quotient_band() -> None:
    result = simulate(population(), [scenario()], ON)
    bands = {band.quotient_from: band for band in result.effort if band.households}
    # h0: 8 € ÷ 600 € = 1.33 %, then 9.60 € ÷ 600 € = 1.60 %
    assert (bands[D(300)].current_percent, bands[D(300)].draft_percent) == (D("1.33"), D("1.60"))
    # h4 (QF 2,000 €): 32 € then 40 € ÷ 3,000 €
    assert (bands[D(2000)].current_percent, bands[D(2000)].draft_percent) == (D("1.07"), D("1.33"))
    assert sorted(bands) == [D(200), D(300), D(700), D(900), D(2000)]
    last = result.effort[-1]
    assert (last.quotient_from, last.quotient_to, last.households, last.current_percent) == (D(2500), None, 0, None)


def test_threshold_effects_of_the_brackets_only() -> None:
    found = threshold_effects([FAMILY], [scenario()], ON)
    # QF = income ÷ 2.5: 600 € of quotient at 1,500 € of income (+2 € × 8 meals), 1,000 € at 2,500 €
    assert [(t.grid, t.income_from, t.income_to, t.quotient, t.jump) for t in found] == [
        ("actuelle", D("1499.00"), D("1500.00"), D("599.60"), D("16.00")),
        ("actuelle", D("2499.00"), D("2500.00"), D("999.60"), D("8.00")),
    ]


def test_steep_effort_rate_is_a_threshold_range() -> None:
    """30 % of the quotient for 10 units: 1 € of income (0.40 € of QF) costs 1.20 € up to the ceiling."""
    steep = {**DRAFT, "regle": {"type": "taux_effort", "taux": "30", "plafond": "60"}}
    reform = ServiceScenario(
        "cantine", "Cantine", "repas", grid_from_dict(CURRENT), grid_from_dict(steep), D(10), D(100)
    )
    drafts = [t for t in threshold_effects([FAMILY], [reform], ON) if t.grid == "projet"]
    assert len(drafts) == 1
    # the ceiling (60 €) is reached at QF 200 €, i.e. 500 € of income
    assert (drafts[0].income_from, drafts[0].income_to, drafts[0].total) == (D("0.00"), D("500.00"), D("600.00"))


def test_results_hold_no_household_level_data() -> None:
    data = simulate(population(), [scenario()], ON, families=[FAMILY]).as_json()
    assert set(data) >= {"deciles", "quartiers", "effort", "thresholds", "histogram", "services"}
    assert data["revenue_change"] == "11.20"
    assert sum(row["households"] for row in data["histogram"]) == 5


def test_assumptions_are_checked() -> None:
    with pytest.raises(GridError):
        scenario(share="120")
    with pytest.raises(GridError):
        scenario(units="1.234")


def test_deciles_have_equal_counts() -> None:
    assert np.bincount(deciles(np.arange(100)[::-1])).tolist() == [10] * 10


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, 300_000), st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=40),
    units=st.integers(0, 20),
    share=st.integers(0, 100),
)
@example(rows=[(34125, 2, 0)], units=3, share=75)  # a sum ending in half a cent (drawn once by make test)
def test_totals_match_a_per_household_loop(rows: list[tuple[int, int, int]], units: int, share: int) -> None:
    """Every household's change summed through the scalar ``price`` gives the same revenue change,
    and winners + losers + unchanged = concerned households."""
    quotient = np.array([r[0] for r in rows])
    members_household = [i for i, r in enumerate(rows) for _ in range(r[1])]
    ranks = [rank for r in rows for rank in range(1, r[1] + 1)]
    pop = Population(
        quotient_cents=quotient,
        resources_cents=quotient,
        income_uc_cents=quotient + 1,
        dependent_children=np.array([r[1] for r in rows]),
        has_disabled_child=np.zeros(len(rows), dtype=bool),
        is_resident=np.ones(len(rows), dtype=bool),
        quartier=np.array([r[2] for r in rows]),
        quartier_labels=("A", "B", "C"),
        members={"cantine": Members.build(members_household, ranks)},
    )
    reform = scenario(str(units), str(share))
    result = simulate(pop, [reform], ON)
    expected = D(0)
    for household, _rank in zip(members_household, ranks, strict=True):
        facts = PricingFacts(quotient=D(int(quotient[household])) / 100)
        delta = price(reform.draft, facts, dt.date(2027, 1, 1)).amount - price(reform.current, facts, ON).amount
        expected += delta * units * share / 100
    # The sum is exact; rounded to the cent once, as every amount, by the one helper (half up: 1.665 → 1.67).
    assert result.revenue_change == round_money(expected)
    assert result.winners + result.losers + result.unchanged == result.concerned
    assert sum(g.households for g in result.deciles) == result.concerned
