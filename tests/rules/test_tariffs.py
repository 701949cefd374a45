"""Tariff rules: exact Decimal tables for each rule type, PSU cases from the CNAF barème, grid validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.rules.household import AttestedQuotient, Household, Person
from guichet.rules.parameters import ParameterError, parameters_from_mapping, with_overrides
from guichet.rules.quotient import caf_quotient
from guichet.rules.tariffs import (
    Bracket,
    Brackets,
    GridError,
    PricingFacts,
    TariffNotApplicable,
    grid_from_dict,
    grid_in_force,
    grid_to_dict,
    price,
    pricing_facts,
    tariff_parameters,
)
from tests.rules.conftest import plain

ON = dt.date(2026, 11, 1)

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


def qf(value: str, **kwargs: Any) -> PricingFacts:
    return PricingFacts(quotient=D(value), **kwargs)


@pytest.mark.parametrize(
    ("quotient", "rank", "expected"),
    [
        ("0", 1, "1.00"),
        ("599.99", 1, "1.00"),
        ("600", 1, "3.05"),
        ("999.99", 1, "3.05"),
        ("1000", 1, "3.10"),
        ("1499.99", 1, "3.10"),
        ("1500", 1, "3.15"),
        ("12000", 1, "3.15"),
        ("820", 2, "3.05"),
        ("820", 3, "1.53"),  # 3.05 × 50 % = 1.525 -> 1.53 (half up)
        ("1200", 3, "1.55"),  # 3.10 × 50 %
        ("300", 4, "0.50"),
    ],
)
def test_brackets_with_sibling_reduction(quotient: str, rank: int, expected: str) -> None:
    assert price(grid_from_dict(CANTEEN), qf(quotient, child_rank=rank), ON).amount == D(expected)


def test_price_explains_itself() -> None:
    result = price(grid_from_dict(CANTEEN), qf("820", child_rank=3), ON)
    assert plain(result.explanation).splitlines() == [
        "QF 820 € → tranche de 600 € à moins de 1 000 € : 3,05 €",
        "3e enfant : −50 %",
        "Arrondi au centime le plus proche : 1,53 €",
        "Prix : 1,53 € par repas",
        "Grille adoptée par la délibération 2026-045 du 25/06/2026, en vigueur depuis le 01/09/2026",
    ]
    assert result.unit == "repas" and result.warnings == ()


@pytest.mark.parametrize(
    ("quotient", "expected"),
    [
        ("0", "2.60"),
        ("700", "2.60"),  # 2.52 -> floor
        ("722.22", "2.60"),  # 2.599992 -> floor
        ("722.23", "2.60"),  # 2.600028 -> rounded
        ("800", "2.88"),
        ("1000", "3.60"),
        ("1111.11", "4.00"),  # 3.999996
        ("1249.99", "4.50"),  # 4.499964
        ("1250", "4.50"),
        ("5000", "4.50"),  # 18.00 -> ceiling
    ],
)
def test_effort_rate_with_floor_and_ceiling(quotient: str, expected: str) -> None:
    assert price(grid_from_dict(EFFORT), qf(quotient), ON).amount == D(expected)


def test_effort_rate_explains_floor_and_ceiling() -> None:
    grid = grid_from_dict(EFFORT)
    assert plain(price(grid, qf("700"), ON).explanation[0]) == "QF 700 € × 0,36 % = 2,52 €, porté au plancher de 2,60 €"
    assert (
        plain(price(grid, qf("2000"), ON).explanation[0]) == "QF 2 000 € × 0,36 % = 7,20 €, ramené au plafond de 4,50 €"
    )


def test_rules_on_monthly_resources() -> None:
    grid = grid_from_dict(
        {**EFFORT, "regle": {"type": "taux_effort", "base": "ressources", "taux": "0.1", "plancher": "0.5"}}
    )
    result = price(grid, PricingFacts(quotient=D(9999), monthly_resources=D("2345.67")), ON)
    assert result.amount == D("2.35")  # 2.34567
    assert plain(result.explanation[0]).startswith("Ressources mensuelles 2 345,67 € × 0,1 %")


# --- PSU: hourly price = resources clamped to [floor, ceiling] × CNAF rate ---------------------


@pytest.mark.parametrize(
    ("on", "resources", "children", "disabled", "expected"),
    [
        (ON, "3000", 1, False, "1.86"),  # 3,000 × 0.0619 % = 1.857
        (ON, "2500", 2, False, "1.29"),  # × 0.0516 % = 1.29
        (ON, "4000", 3, False, "1.65"),  # × 0.0413 % = 1.652
        (ON, "4000", 4, False, "1.24"),  # × 0.0310 % = 1.24
        (ON, "4000", 7, False, "1.24"),
        (ON, "5000", 8, False, "1.03"),  # × 0.0206 % = 1.03
        (ON, "5000", 12, False, "1.03"),  # beyond the table: its last rate
        (ON, "3000", 0, False, "1.86"),  # the child in care is at least one child
        (ON, "3000", 1, True, "1.55"),  # disabled child: rate of 2 children, 1.548
        (ON, "3000", 3, True, "0.93"),  # rate of 4 children, 0.93
        (ON, "3000", 7, True, "0.62"),  # rate of 8 children, 0.618
        (ON, "3000", 10, True, "0.62"),  # already at the last rate
        (ON, "8500", 1, False, "5.26"),  # at the ceiling: 5.2615
        (ON, "9000", 1, False, "5.26"),  # above it: clamped to 8,500 €
        (dt.date(2025, 9, 1), "9000", 1, False, "5.26"),  # 8,500 € from 1 Sept 2025
        (dt.date(2025, 8, 31), "9000", 1, False, "4.33"),  # 7,000 € until then: 4.333
        (dt.date(2025, 6, 1), "9000", 2, False, "3.61"),  # 7,000 × 0.0516 % = 3.612
        (dt.date(2025, 6, 1), "500", 1, False, "0.50"),  # floor 801 €: 0.495819
        (dt.date(2025, 6, 1), "0", 3, False, "0.33"),  # 801 × 0.0413 % = 0.330813
        (dt.date(2025, 6, 1), "801", 1, False, "0.50"),
    ],
)
def test_psu_bareme(on: dt.date, resources: str, children: int, disabled: bool, expected: str) -> None:
    facts = PricingFacts(
        quotient=D(0), monthly_resources=D(resources), dependent_children=children, has_disabled_child=disabled
    )
    assert price(grid_from_dict(PSU), facts, on).amount == D(expected)


def test_psu_explains_the_clamp_and_the_disabled_child_rule() -> None:
    grid = grid_from_dict(PSU)
    high = price(grid, PricingFacts(quotient=D(0), monthly_resources=D(9000)), ON)
    assert plain(high.explanation[0]) == (
        "Barème CNAF (accueil collectif) : ressources 9 000 € ramenées au plafond de 8 500 € × 0,0619 % "
        "(1 enfant à charge) = 5,2615 €"
    )
    disabled = price(grid, PricingFacts(quotient=D(0), monthly_resources=D(3000), has_disabled_child=True), ON)
    assert "(1 enfant à charge, enfant en situation de handicap : taux de 2 enfants)" in plain(disabled.explanation)
    low = price(grid, PricingFacts(quotient=D(0), monthly_resources=D(500)), dt.date(2025, 6, 1))
    assert "ressources 500 € portées au plancher de 801 €" in plain(low.explanation)


def test_psu_floor_to_verify_and_out_of_date_is_warned() -> None:
    in_2025 = price(grid_from_dict(PSU), PricingFacts(quotient=D(0), monthly_resources=D(500)), dt.date(2025, 6, 1))
    assert "à vérifier" in plain(in_2025.warnings)
    in_2026 = price(grid_from_dict(PSU), PricingFacts(quotient=D(0), monthly_resources=D(500)), ON)
    assert in_2026.amount == D("0.50")  # the 2025 floor still applies, with a warning
    assert "« psu_floor » valable jusqu'au 31/12/2025" in plain(in_2026.warnings)


def test_psu_before_any_known_floor_asks_for_one_and_takes_parameters_passed_in() -> None:
    facts = PricingFacts(quotient=D(0), monthly_resources=D(9000))
    with pytest.raises(ParameterError, match="psu_floor"):
        price(grid_from_dict(PSU), facts, dt.date(2024, 6, 1))
    floor_2024 = parameters_from_mapping(
        {"psu_floor": {"source": "test", "values": [{"from": dt.date(2024, 1, 1), "value": "765.77"}]}}
    )
    params = with_overrides(tariff_parameters(), floor_2024)
    assert price(grid_from_dict(PSU), facts, dt.date(2024, 6, 1), parameters=params).amount == D("3.71")  # 6,000
    assert price(grid_from_dict(PSU), facts, dt.date(2024, 9, 1), parameters=params).amount == D("4.33")  # 7,000


# --- flat, residency, rounding ----------------------------------------------------------------

FLAT: dict[str, Any] = {"service": "Transport", "unite": "trajet", "debut": "2026-01-01"}


@pytest.mark.parametrize(
    ("amount", "quantum", "mode", "resident", "expected", "line"),
    [
        ("1.20", "0.01", "half_up", True, "1.20", None),
        ("1.20", "0.05", "half_up", False, "1.55", "Arrondi aux 5 centimes le plus proche : 1,55 €"),  # 1.56
        ("1.25", "0.05", "half_up", False, "1.65", None),  # 1.625 -> 1.65
        ("1.20", "0.05", "down", False, "1.55", "Arrondi aux 5 centimes inférieur : 1,55 €"),
        ("1.20", "0.05", "up", False, "1.60", "Arrondi aux 5 centimes supérieur : 1,60 €"),
        ("1.20", "0.10", "half_up", False, "1.60", "Arrondi aux 10 centimes le plus proche : 1,60 €"),
        ("1.20", "1", "half_up", False, "2.00", "Arrondi à l'euro le plus proche : 2,00 €"),
        ("1.20", "1", "down", False, "1.00", None),
    ],
)
def test_flat_price_non_resident_surcharge_and_rounding(
    amount: str, quantum: str, mode: str, resident: bool, expected: str, line: str | None
) -> None:
    grid = grid_from_dict(
        {
            **FLAT,
            "regle": {"type": "forfait", "prix": amount},
            "modulations": [{"type": "hors_commune", "pourcentage": "30"}],
            "arrondi": quantum,
            "arrondi_mode": mode,
        }
    )
    result = price(grid, qf("0", is_resident=resident), ON)
    assert result.amount == D(expected)
    assert ("Hors commune : +30 %" in result.explanation) is not resident
    if line:
        assert line in plain(result.explanation)


def test_separate_grid_for_non_residents() -> None:
    grid = grid_from_dict({**CANTEEN, "regle_hors_commune": {"type": "forfait", "prix": "5.40"}})
    assert price(grid, qf("300"), ON).amount == D("1.00")
    outside = price(grid, qf("300", is_resident=False), ON)
    assert outside.amount == D("5.40")
    assert outside.explanation[:2] == ("Hors commune : grille des non-résidents", "Tarif unique : 5,40\u00a0€")
    assert price(grid, qf("300", is_resident=False, child_rank=3), ON).amount == D("2.70")


def test_modulations_apply_in_order_before_one_rounding() -> None:
    grid = grid_from_dict(
        {
            **FLAT,
            "regle": {"type": "forfait", "prix": "3.05"},
            "modulations": [
                {"type": "fratrie", "a_partir_du_rang": 2, "pourcentage": "25"},
                {"type": "hors_commune", "pourcentage": "30"},
            ],
        }
    )
    assert price(grid, qf("0", child_rank=2, is_resident=False), ON).amount == D("2.97")  # 3.05 × 0.75 × 1.3 = 2.97375


# --- dates and history ------------------------------------------------------------------------


def test_grid_outside_its_dates_does_not_apply() -> None:
    grid = grid_from_dict({**CANTEEN, "fin": "2027-08-31"})
    assert price(grid, qf("500"), dt.date(2027, 8, 31)).amount == D("1.00")
    with pytest.raises(TariffNotApplicable, match="du 01/09/2026 au 31/08/2027"):
        price(grid, qf("500"), dt.date(2027, 9, 1))
    with pytest.raises(TariffNotApplicable):
        price(grid, qf("500"), dt.date(2026, 8, 31))


def test_grid_in_force_among_a_service_history() -> None:
    old = grid_from_dict({**CANTEEN, "debut": "2025-09-01", "fin": "2026-08-31", "deliberation": "2025-031"})
    new = grid_from_dict(CANTEEN)
    assert grid_in_force([new, old], dt.date(2026, 3, 1)).deliberation == "2025-031"
    assert grid_in_force([new, old], ON).deliberation == "2026-045"
    with pytest.raises(TariffNotApplicable):
        grid_in_force([new, old], dt.date(2025, 1, 1))
    overlapping = grid_from_dict({**CANTEEN, "debut": "2025-09-01"})
    with pytest.raises(GridError, match="chevauche"):
        grid_in_force([new, overlapping], ON)


# --- from the household to the price ----------------------------------------------------------


def test_pricing_facts_from_an_attested_quotient_keep_the_computed_resources() -> None:
    parent = Person(id="p", role="demandeur", birth_date=dt.date(1990, 1, 1), taxable_income={2024: D(36000)})
    baby = Person(id="b", role="enfant", birth_date=dt.date(2025, 3, 1))
    sibling = Person(id="s", role="enfant", birth_date=dt.date(2019, 3, 1), has_aeeh=True)
    attested = AttestedQuotient(D("640"), dt.date(2026, 10, 2), "attestation_caf")
    household = Household(id="h", people=(parent, baby, sibling), attested_quotient=attested)
    facts = pricing_facts(caf_quotient(household, ON), child_rank=2)
    assert facts == PricingFacts(
        quotient=D("640.00"),
        monthly_resources=D("3000.00"),
        dependent_children=2,
        has_disabled_child=True,
        child_rank=2,
    )
    assert price(grid_from_dict(PSU), facts, ON).amount == D("1.24")  # 3,000 × 0.0413 %
    assert price(grid_from_dict(CANTEEN), facts, ON).amount == D("3.05")


# --- validation -------------------------------------------------------------------------------


def tranches(*items: tuple[Any, Any, Any]) -> dict[str, Any]:
    return {"regle": {"type": "tranches", "tranches": [{"min": a, "max": b, "prix": p} for a, b, p in items]}}


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"service": ""}, "service", "obligatoire"),
        ({"service": None}, "service", "obligatoire"),
        ({"debut": None}, "debut", "obligatoire"),
        ({"debut": "01/09/2026"}, "debut", "AAAA-MM-JJ"),
        ({"fin": "2025-01-01"}, "fin", "précède"),
        ({"regle": None}, "regle", "type"),
        ({"regle": {"type": "magique"}}, "regle.type", "type inconnu « magique »"),
        ({"regle": {"type": "tranches", "tranches": []}}, "regle.tranches", "non vide"),
        ({"regle": {"type": "tranches", "tranches": ["x"]}}, "regle.tranches[0]", "tranche attendue"),
        (tranches((10, None, 1)), "regle.tranches[0].min", "commencer à 0"),
        (tranches((0, 600, 1), (700, None, 2)), "regle.tranches[1].min", "trou entre 600 € et 700 €"),
        (tranches((0, 600, 1), (500, None, 2)), "regle.tranches[1].min", "chevauchement"),
        (tranches((0, None, 1), (600, None, 2)), "regle.tranches[0].max", "seule la dernière"),
        (tranches((0, 600, 1), (600, 600, 2), (600, None, 3)), "regle.tranches[1].max", "supérieur au minimum"),
        (tranches((0, 600, "abc")), "regle.tranches[0].prix", "nombre attendu, reçu « abc »"),
        (tranches((0, 600, "-1")), "regle.tranches[0].prix", "positif"),
        (tranches((0, 600, "NaN")), "regle.tranches[0].prix", "positif"),
        (tranches((0, 600, True)), "regle.tranches[0].prix", "nombre attendu"),
        (tranches((0, 600, 1)), "regle.tranches[0].max", "sans maximum"),
        (tranches((0, 600, 3), (600, None, 2)), "regle.tranches[1].prix", "le prix baisse"),
        ({"regle": {"type": "tranches", "base": "revenu", "tranches": [{"min": 0, "prix": 1}]}}, "regle.base", "base"),
        ({"regle": {"type": "taux_effort"}}, "regle.taux", "obligatoire"),
        (
            {"regle": {"type": "taux_effort", "taux": "0.36", "plancher": "5", "plafond": "4"}},
            "regle.plancher",
            "plafond",
        ),
        ({"regle": {"type": "forfait"}}, "regle.prix", "obligatoire"),
        ({"regle_hors_commune": {"type": "forfait", "prix": "x"}}, "regle_hors_commune.prix", "nombre"),
        (
            {
                "regle_hors_commune": {"type": "forfait", "prix": "5"},
                "modulations": [{"type": "hors_commune", "pourcentage": "10"}],
            },
            "regle_hors_commune",
            "s'excluent",
        ),
        ({"modulations": "fratrie"}, "modulations", "liste"),
        ({"modulations": [{"type": "remise"}]}, "modulations[0].type", "type inconnu"),
        (
            {"modulations": [{"type": "fratrie", "a_partir_du_rang": 1, "pourcentage": "50"}]},
            "modulations[0].a_partir_du_rang",
            "rang",
        ),
        (
            {"modulations": [{"type": "fratrie", "a_partir_du_rang": "3", "pourcentage": "50"}]},
            "modulations[0].a_partir_du_rang",
            "rang",
        ),
        (
            {"modulations": [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "150"}]},
            "modulations[0].pourcentage",
            "100 %",
        ),
        ({"modulations": [{"type": "hors_commune"}]}, "modulations[0].pourcentage", "obligatoire"),
        ({"arrondi": "0"}, "arrondi", "strictement positif"),
        ({"arrondi_mode": "banquier"}, "arrondi_mode", "mode inconnu « banquier »"),
        ({"prix_decroissants_autorises": "oui"}, "prix_decroissants_autorises", "vrai ou faux"),
    ],
)
def test_malformed_grids_say_where_and_what(change: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(GridError) as error:
        grid_from_dict({**CANTEEN, **change})
    assert error.value.path == path
    assert message in plain(error.value.message)


def test_every_error_is_reported_at_once() -> None:
    data = {
        **CANTEEN,
        "service": "",
        "debut": "demain",
        **tranches((0, 600, "1"), (700, 900, "x"), (900, None, "2")),
        "modulations": [{"type": "fratrie", "a_partir_du_rang": 0, "pourcentage": "50"}],
    }
    with pytest.raises(GridError) as error:
        grid_from_dict(data)
    assert [e.path for e in error.value.errors] == [
        "service",
        "regle.tranches[1].prix",
        "modulations[0].a_partir_du_rang",
        "debut",
    ]
    assert "service : nom du service obligatoire" in str(error.value)


def test_a_decreasing_grid_needs_an_explicit_choice() -> None:
    degressive = {**CANTEEN, **tranches((0, 600, "3"), (600, None, "2"))}
    with pytest.raises(GridError, match="prix décroissants autorisés"):
        grid_from_dict(degressive)
    grid = grid_from_dict({**degressive, "prix_decroissants_autorises": True})
    assert price(grid, qf("700"), ON).amount == D("2.00")


def test_french_decimal_comma_is_accepted() -> None:
    grid = grid_from_dict({**CANTEEN, **tranches((0, "600,5", "1,05"), ("600,5", None, "3,05"))})
    assert price(grid, qf("600.49"), ON).amount == D("1.05")


def test_rules_built_in_code_are_checked_too() -> None:
    with pytest.raises(GridError, match="trou"):
        Brackets((Bracket(D(0), D(600), D(1)), Bracket(D(700), None, D(2))))


@pytest.mark.parametrize(
    "data",
    [
        CANTEEN,
        EFFORT,
        PSU,
        {**FLAT, "regle": {"type": "forfait", "prix": "1.2"}, "arrondi": "0.05", "arrondi_mode": "down"},
        {**CANTEEN, "regle_hors_commune": {"type": "taux_effort", "base": "ressources", "taux": "0.2"}},
    ],
)
def test_grid_round_trips_through_its_dict_form(data: dict[str, Any]) -> None:
    grid = grid_from_dict(data)
    assert grid_from_dict(grid_to_dict(grid)) == grid


# --- properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=50, places=2)
quotients = st.decimals(min_value=0, max_value=10_000, places=2)
modes = st.sampled_from(["half_up", "down", "up"])
quanta = st.sampled_from(["0.01", "0.05", "0.10", "1"])


@st.composite
def bracket_dicts(draw: st.DrawFn, *, monotone: bool) -> list[dict[str, Any]]:
    bounds = sorted(set(draw(st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=6))))
    prices = draw(st.lists(amounts, min_size=len(bounds) + 1, max_size=len(bounds) + 1))
    if monotone:
        prices = sorted(prices)
    lowers, uppers = [0, *bounds], [*bounds, None]
    return [{"min": lo, "max": up, "prix": str(p)} for lo, up, p in zip(lowers, uppers, prices, strict=True)]


@st.composite
def monotone_grids(draw: st.DrawFn) -> dict[str, Any]:
    """Any grid a commune could adopt without ticking "decreasing prices allowed"."""
    rule = draw(
        st.one_of(
            st.builds(lambda t: {"type": "tranches", "tranches": t}, bracket_dicts(monotone=True)),
            st.builds(
                lambda rate, floor, spread: {
                    "type": "taux_effort",
                    "taux": str(rate),
                    "plancher": str(floor),
                    "plafond": str(floor + spread),
                },
                st.decimals(min_value=0, max_value=2, places=3),
                amounts,
                amounts,
            ),  # fmt: skip
            st.builds(lambda p: {"type": "forfait", "prix": str(p)}, amounts),
        )
    )
    modulations = draw(
        st.lists(
            st.one_of(
                st.builds(
                    lambda rank, pct: {"type": "fratrie", "a_partir_du_rang": rank, "pourcentage": str(pct)},
                    st.integers(2, 5),
                    st.decimals(0, 100, places=0),
                ),
                st.builds(lambda pct: {"type": "hors_commune", "pourcentage": str(pct)}, st.decimals(0, 100, places=0)),
            ),
            max_size=2,
        )
    )
    return {**FLAT, "regle": rule, "modulations": modulations, "arrondi": draw(quanta), "arrondi_mode": draw(modes)}


@given(
    grid=monotone_grids(),
    q1=quotients,
    q2=quotients,
    rank=st.integers(1, 6),
    resident=st.booleans(),
)
def test_price_never_decreases_when_the_quotient_rises(
    grid: dict[str, Any], q1: D, q2: D, rank: int, resident: bool
) -> None:
    low, high = sorted((q1, q2))
    parsed = grid_from_dict(grid)
    facts = {"child_rank": rank, "is_resident": resident}
    assert price(parsed, qf(str(low), **facts), ON).amount <= price(parsed, qf(str(high), **facts), ON).amount


@given(
    rate=st.decimals(min_value=0, max_value=2, places=3),
    floor=amounts,
    spread=amounts,
    quotient=st.decimals(0, 50_000, places=2),
)
def test_floor_and_ceiling_always_hold(rate: D, floor: D, spread: D, quotient: D) -> None:
    ceiling = floor + spread
    rule = {"type": "taux_effort", "taux": str(rate), "plancher": str(floor), "plafond": str(ceiling)}
    amount = price(grid_from_dict({**EFFORT, "regle": rule}), PricingFacts(quotient=quotient), ON).amount
    assert floor <= amount <= ceiling


@given(brackets=bracket_dicts(monotone=False), quotient=st.decimals(0, 100_000, places=2))
def test_valid_brackets_cover_every_quotient_exactly_once(brackets: list[dict[str, Any]], quotient: D) -> None:
    grid = grid_from_dict(
        {**CANTEEN, "regle": {"type": "tranches", "tranches": brackets}, "prix_decroissants_autorises": True}
    )
    assert isinstance(grid.rule, Brackets)
    assert sum(1 for bracket in grid.rule.brackets if bracket.contains(quotient)) == 1
    price(grid, qf(str(quotient)), ON)


@given(brackets=bracket_dicts(monotone=False))
def test_a_decreasing_bracket_grid_is_refused_unless_allowed(brackets: list[dict[str, Any]]) -> None:
    prices = [D(b["prix"]) for b in brackets]
    decreasing = any(b < a for a, b in zip(prices, prices[1:], strict=False))
    data = {**CANTEEN, "modulations": [], "regle": {"type": "tranches", "tranches": brackets}}
    if decreasing:
        with pytest.raises(GridError):
            grid_from_dict(data)
    else:
        assert grid_from_dict(data)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-10, 10_000)
    | st.text(max_size=8)
    | st.sampled_from(["0", "1.5", "2026-09-01"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(
    changes=st.dictionaries(
        st.sampled_from(
            ["service", "debut", "fin", "regle", "modulations", "arrondi", "arrondi_mode", "regle_hors_commune"]
        ),
        json_values,
        max_size=4,
    )
)
def test_any_json_gives_a_grid_or_a_grid_error_never_a_crash(changes: dict[str, Any]) -> None:
    try:
        grid = grid_from_dict({**CANTEEN, **changes})
    except GridError as error:
        assert error.errors and all(e.message for e in error.errors)
    else:
        assert grid_from_dict(grid_to_dict(grid)) == grid


@given(
    r1=st.decimals(0, 20_000, places=2),
    r2=st.decimals(0, 20_000, places=2),
    children=st.integers(1, 12),
    disabled=st.booleans(),
    on=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_psu_rises_with_resources_falls_with_children_and_stays_in_its_range(
    r1: D, r2: D, children: int, disabled: bool, on: dt.date
) -> None:
    grid = grid_from_dict(PSU)
    low, high = sorted((r1, r2))

    def hourly(resources: D, kids: int, handicap: bool = disabled) -> D:
        facts = PricingFacts(D(0), monthly_resources=resources, dependent_children=kids, has_disabled_child=handicap)
        return price(grid, facts, on).amount

    assert hourly(low, children) <= hourly(high, children)
    assert hourly(low, children + 1) <= hourly(low, children)
    assert hourly(low, children, True) <= hourly(low, children, False)
    assert D("0.16") <= hourly(low, children) <= D("5.26")  # 801 × 0.0206 % and 8,500 × 0.0619 %
