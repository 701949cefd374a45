"""CAF family quotient: exact cases, the attested quotient rule, fiscal parts kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.rules.household import AttestedQuotient, Household, Person
from guichet.rules.parameters import parameters_from_mapping, with_overrides
from guichet.rules.quotient import caf_parameters, caf_parts, caf_quotient, caf_quotient_computed, fiscal_parts
from tests.rules.conftest import plain

ON = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


def adult(role: str = "demandeur", income: str | None = None, **kwargs: Any) -> Person:
    incomes = {2024: D(income)} if income is not None else {}
    return Person(id=role, role=role, birth_date=dt.date(1985, 1, 1), taxable_income=incomes, **kwargs)


def child(n: int, born: dt.date = dt.date(2015, 6, 1), **kwargs: Any) -> Person:
    return Person(id=f"enfant{n}", role="enfant", birth_date=born, **kwargs)


def household(*people: Person, attested: AttestedQuotient | None = None, **benefits: str) -> Household:
    resources = {kind: {OCT: D(amount)} for kind, amount in benefits.items()}
    return Household(id="h", people=people, resources=resources, attested_quotient=attested)


def overrides(**values: Any) -> dict[str, Any]:
    """The packaged CAF parameters with some replaced by a single value from 2000."""
    table = {
        name: {"source": "test", "values": [{"from": dt.date(2000, 1, 1), "value": v}]} for name, v in values.items()
    }
    return with_overrides(caf_parameters(), parameters_from_mapping(table))


COUPLE_2 = (adult(income="20000"), adult("conjoint", "16000"), child(1), child(2))


@pytest.mark.parametrize(
    ("people", "benefits", "parts", "value"),
    [
        # single, no child: 24,000 / 12 / 1
        ((adult(income="24000"),), {}, "1", "2000.00"),
        # couple + 2 children, AF 148.52: (3,000 + 148.52) / 3 = 1,049.5066
        (COUPLE_2, {"af": "148.52"}, "3", "1049.51"),
        # single parent + 1 child with ASF: (1,500 + 199.19) / 2.5 = 679.676
        ((adult(income="18000"), child(1)), {"asf": "199.19"}, "2.5", "679.68"),
        # couple + 3 children: 2 + 0.5 + 0.5 + 1; (2,500 + 338.80) / 4
        ((adult(income="30000"), adult("conjoint"), child(1), child(2), child(3)), {"af": "338.80"}, "4", "709.70"),
        # couple + 4 children, the 4th with AEEH: 2 + 0.5 + 0.5 + 1 + 0.5 + 0.5; 3,018.23 / 5 = 603.646
        (
            (adult(income="30000"), adult("conjoint"), child(1), child(2), child(3), child(4, has_aeeh=True)),
            {"af": "518.23"},
            "5",
            "603.65",
        ),
        # couple + 5 children: 2 + 0.5 + 0.5 + 1 + 0.5 + 0.5; (4,000 + 700) / 5
        (
            (adult(income="48000"), adult("conjoint"), *(child(n) for n in range(5))),
            {"af": "600", "cf": "100"},
            "5",
            "940.00",
        ),
        # single parent + 3 children, the 2nd with AEEH: 2 + 0.5 + 0.5 + 0.5 + 1; (2,250 + 500) / 4.5 = 611.11
        (
            (adult(income="27000"), child(1), child(2, has_aeeh=True), child(3)),
            {"af": "300", "cf": "200"},
            "4.5",
            "611.11",
        ),
        # PAJE counts; housing aid and RSA do not: (1,250 + 184.81) / 2.5 = 573.924
        (
            (adult(income="15000"), child(1, born=dt.date(2025, 5, 1))),
            {"paje_base": "184.81", "aide_logement": "300", "rsa": "200"},
            "2.5",
            "573.92",
        ),
        # a 21-year-old is no longer a dependent child: neither their part nor their income count
        (
            (adult(income="12000"), child(1, born=dt.date(2005, 1, 1), taxable_income={2024: D(9000)})),
            {},
            "1",
            "1000.00",
        ),
        # a dependent child's own income counts: (12,000 + 1,200) / 12 / 1.5
        ((adult(income="12000"), child(1, taxable_income={2024: D(1200)})), {}, "2.5", "440.00"),
        # another adult (a grandparent) is outside the CAF household
        ((adult(income="12000"), adult("autre", "20000")), {}, "1", "1000.00"),
        # no income at all
        ((adult(),), {}, "1", "0.00"),
    ],
)
def test_caf_quotient_exact(people: tuple[Person, ...], benefits: dict[str, Any], parts: str, value: str) -> None:
    result = caf_quotient(household(*people, **benefits), ON)
    assert (result.parts, result.value, result.source) == (D(parts), D(value), "calculé")
    assert result.reference_year == 2024
    assert plain(result.explanation[-1]).startswith("Quotient familial : (")


def test_explanation_lines_say_where_each_figure_comes_from() -> None:
    result = caf_quotient(household(*COUPLE_2, af="148.52", asf="10"), ON)
    assert (result.monthly_resources, result.family_benefits) == (D("3000.00"), D("158.52"))
    assert plain(result.explanation).splitlines() == [
        "Revenus 2024 du foyer (avant abattements) : 36 000 € ÷ 12 = 3 000 € par mois",
        "Prestations familiales d'octobre 2026 : AF 148,52 € + ASF 10 € = 158,52 €",
        "Parts : 2 (couple) + 0,5 (1er enfant) + 0,5 (2e enfant) = 3",
        "Quotient familial : (3 000 € + 158,52 €) ÷ 3 = 1 052,84 €",
    ]
    assert result.source_label == "calcul Guichet du 01/11/2026"
    assert (result.dependent_children, result.aeeh_children) == (2, 0)


def test_parts_detail_with_aeeh_and_third_child() -> None:
    h = household(adult(income="1"), adult("conjoint"), child(1), child(2), child(3, has_aeeh=True))
    assert plain(caf_quotient(h, ON).explanation[2]) == (
        "Parts : 2 (couple) + 0,5 (1er enfant) + 0,5 (2e enfant) + 1 (3e enfant) + 0,5 (AEEH du 3e enfant) = 4,5"
    )


def test_benefits_of_the_latest_month_only_household_and_person_level_summed() -> None:
    sept, aug, dec = dt.date(2026, 9, 1), dt.date(2026, 8, 1), dt.date(2026, 12, 1)
    h = Household(
        id="h",
        people=(
            adult(income="24000", resources={"asf": {OCT: D("50")}}),
            child(1),
        ),
        resources={
            "af": {sept: D("140"), OCT: D("100")},
            "cf": {aug: D("999")},  # stopped before the reference month
            "paje_base": {dec: D("999")},  # after the day of computation
        },
    )
    result = caf_quotient(h, ON)
    assert result.benefits_month == OCT
    assert result.family_benefits == D("150")
    assert result.value == D("860.00")  # (2,000 + 150) / 2.5


def test_no_benefit_recorded_is_said() -> None:
    assert plain(caf_quotient(household(adult(income="12000")), ON).explanation[1]) == (
        "Prestations familiales : aucune enregistrée"
    )


def test_yearly_benefit_counts_for_a_twelfth_when_the_commune_adds_it() -> None:
    params = overrides(family_benefit_yearly_kinds=["ars"])
    h = Household(
        id="h",
        people=(adult(income="24000"), child(1)),
        resources={"ars": {dt.date(2026, 8, 1): D("420"), dt.date(2025, 8, 1): D("410")}},
    )
    result = caf_quotient(h, ON, params)
    assert result.family_benefits == D(35)  # only the ARS of the last twelve months
    assert result.value == D("814.00")  # (2,000 + 35) / 2.5
    assert "ARS (1/12 de l'année) 35 €" in plain(result.explanation)
    assert caf_quotient(h, ON).family_benefits == 0  # not counted by default


@pytest.mark.parametrize(
    ("quantum", "mode", "expected"),
    [("0.01", "half_up", "1049.51"), ("1", "half_up", "1050.00"), ("1", "down", "1049.00"), ("1", "up", "1050.00")],
)
def test_rounding_of_the_computed_quotient_is_a_parameter(quantum: str, mode: str, expected: str) -> None:
    params = overrides(quotient_rounding_quantum=quantum, quotient_rounding_mode=mode)
    assert caf_quotient(household(*COUPLE_2, af="148.52"), ON, params).value == D(expected)


def test_parts_are_parameters_a_commune_can_correct() -> None:
    params = overrides(parts_single_parent="1.5")
    assert caf_parts(household(adult(), child(1)), ON, params) == D("2")
    assert caf_parts(household(adult(), child(1)), ON) == D("2.5")


def test_missing_income_and_parameters_to_verify_are_warned() -> None:
    warnings = plain(caf_quotient(household(adult(), child(1)), ON).warnings)
    assert "Aucun revenu 2024 renseigné" in warnings
    assert "Paramètres marqués « à vérifier »" in warnings
    assert "2 parts pour un parent isolé" in warnings


ATTESTED = AttestedQuotient(D("512.34"), dt.date(2026, 9, 12), "attestation_caf")


def test_attested_quotient_wins_with_its_source_and_date() -> None:
    result = caf_quotient(household(*COUPLE_2, attested=ATTESTED), ON)
    assert (result.value, result.source, result.date) == (D("512.34"), "attestation_caf", dt.date(2026, 9, 12))
    assert result.is_attested and result.warnings == ()
    assert result.source_label == "attestation CAF du 12/09/2026"
    assert plain(result.explanation) == (
        "Quotient familial : 512,34 € (attestation CAF du 12/09/2026)\n"
        "Il prime sur le quotient calculé par Guichet (1 000 €), donné pour information."
    )
    assert result.computed is not None and result.computed.value == D("1000.00")


@pytest.mark.parametrize(
    ("attested_on", "max_age", "stale"),
    [
        (dt.date(2025, 11, 1), None, False),  # 365 days: still fine
        (dt.date(2025, 10, 31), None, True),  # 366 days
        (dt.date(2026, 5, 1), 90, True),  # a commune asking for a recent one
        (dt.date(2026, 9, 1), 90, False),
    ],
)
def test_old_attestation_is_flagged(attested_on: dt.date, max_age: int | None, stale: bool) -> None:
    attested = AttestedQuotient(D("512.34"), attested_on, "api_particulier")
    result = caf_quotient(household(adult(), attested=attested), ON, max_attestation_age_days=max_age)
    assert result.value == D("512.34")
    assert bool(result.warnings) is stale
    if stale:
        assert "API Particulier (CAF) du" in result.warnings[0]
        assert "demandez une attestation récente" in result.warnings[0]


def test_attestation_dated_after_the_day_is_not_used() -> None:
    assert caf_quotient(household(adult(income="12000"), attested=ATTESTED), dt.date(2026, 9, 1)).source == "calculé"


def test_a_quotient_declared_by_the_household_does_not_win() -> None:
    declared = AttestedQuotient(D("300"), dt.date(2026, 10, 1), "declare")
    result = caf_quotient(household(adult(income="12000"), attested=declared), ON)
    assert (result.value, result.source) == (D("1000.00"), "calculé")
    assert "déclaration du ménage du 01/10/2026) non retenu" in plain(result.warnings[0])


def test_computed_quotient_ignores_the_attestation() -> None:
    assert caf_quotient_computed(household(*COUPLE_2, attested=ATTESTED), ON).value == D("1000.00")


@pytest.mark.parametrize(
    ("is_couple", "children", "single_parent", "expected"),
    [
        (False, 0, False, "1"),
        (True, 0, False, "2"),
        (True, 1, False, "2.5"),
        (True, 2, False, "3"),
        (True, 3, False, "4"),
        (True, 4, False, "5"),
        (False, 1, True, "2"),
        (False, 2, True, "2.5"),
        (False, 3, True, "3.5"),
        (False, 1, False, "1.5"),  # single with a child, not living alone: no case T half part
        (True, 2, True, "3"),  # a couple is never a single parent
    ],
)
def test_fiscal_parts_cgi_194(is_couple: bool, children: int, single_parent: bool, expected: str) -> None:
    parts = fiscal_parts(is_couple=is_couple, dependent_children=children, single_parent=single_parent, on=ON)
    assert parts == D(expected)


def test_caf_and_fiscal_parts_differ() -> None:
    # single parent with 1 child: CAF 2.5, fiscal 2; couple with 3 children: CAF 4, fiscal 4; single: 1 and 1
    assert caf_parts(household(adult(), child(1)), ON) == D("2.5")
    assert fiscal_parts(is_couple=False, dependent_children=1, single_parent=True, on=ON) == D("2")


@given(
    income=st.integers(min_value=0, max_value=200_000),
    extra=st.integers(min_value=1, max_value=50_000),
    benefits=st.decimals(min_value=0, max_value=2000, places=2),
    children=st.integers(min_value=0, max_value=6),
)
def test_quotient_rises_with_income_and_falls_with_children(
    income: int, extra: int, benefits: D, children: int
) -> None:
    kids = tuple(child(n) for n in range(children))
    low = caf_quotient(household(adult(income=str(income)), *kids, af=str(benefits)), ON)
    high = caf_quotient(household(adult(income=str(income + extra)), *kids, af=str(benefits)), ON)
    more_kids = caf_quotient(household(adult(income=str(income)), *kids, child(99), af=str(benefits)), ON)
    assert high.value >= low.value
    assert more_kids.value <= low.value
    assert low.value >= 0
    assert low.parts is not None and abs(low.value - (D(income) / 12 + benefits) / low.parts) <= D("0.005")
