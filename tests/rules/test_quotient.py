"""CAF family quotient: exact cases, the attested quotient rule, fiscal parts kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.rules.household import AttestedQuotient, Household, Person
from guichet.rules.quotient import caf_parts, caf_quotient, fiscal_parts

ON = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)


def adult(role: str = "demandeur", income: str = "0", **kwargs: object) -> Person:
    return Person(
        id=role,
        role=role,
        birth_date=dt.date(1985, 1, 1),
        taxable_income={2024: Decimal(income)},
        **kwargs,  # type: ignore[arg-type]
    )


def child(n: int, born: dt.date = dt.date(2015, 6, 1), **kwargs: object) -> Person:
    return Person(id=f"enfant{n}", role="enfant", birth_date=born, **kwargs)  # type: ignore[arg-type]


def household(*people: Person, af: str | None = None, asf: str | None = None) -> Household:
    resources: dict[str, dict[dt.date, Decimal]] = {}
    if af:
        resources["af"] = {OCT: Decimal(af)}
    if asf:
        resources["asf"] = {OCT: Decimal(asf)}
    return Household(id="h", people=people, resources=resources)


@pytest.mark.parametrize(
    ("people", "af", "asf", "parts", "value"),
    [
        # single, no child: 24,000 / 12 / 1
        ((adult(income="24000"),), None, None, "1", "2000.00"),
        # couple + 2 children, AF 148.52: (3,000 + 148.52) / 3
        ((adult(income="20000"), adult("conjoint", "16000"), child(1), child(2)), "148.52", None, "3", "1049.51"),
        # single parent + 1 child with ASF: (1,500 + 199.19) / 2.5
        ((adult(income="18000"), child(1)), None, "199.19", "2.5", "679.68"),
        # couple + 3 children: 2 + 0.5 + 0.5 + 1
        ((adult(income="30000"), adult("conjoint"), child(1), child(2), child(3)), "338.80", None, "4", "709.70"),
        # couple + 4 children, one with AEEH: 2 + 0.5 + 0.5 + 1 + 0.5 + 0.5
        (
            (adult(income="30000"), adult("conjoint"), child(1), child(2), child(3), child(4, has_aeeh=True)),
            "518.23",
            None,
            "5",
            "603.65",
        ),
        # a 21-year-old is no longer a dependent child: single without child
        ((adult(income="12000"), child(1, born=dt.date(2005, 1, 1))), None, None, "1", "1000.00"),
        # no income at all
        ((adult(),), None, None, "1", "0.00"),
    ],
)
def test_caf_quotient_exact(
    people: tuple[Person, ...], af: str | None, asf: str | None, parts: str, value: str
) -> None:
    result = caf_quotient(household(*people, af=af, asf=asf), ON)
    assert result.parts == Decimal(parts)
    assert result.value == Decimal(value)
    assert result.source == "calculé"
    assert any("Quotient familial" in line for line in result.explanation)


def test_attested_quotient_wins_with_its_source_and_date() -> None:
    attested = AttestedQuotient(Decimal("512.34"), dt.date(2026, 9, 12), "attestation_caf")
    h = Household(id="h", people=(adult(income="60000"),), attested_quotient=attested)
    result = caf_quotient(h, ON)
    assert (result.value, result.source, result.date) == (Decimal("512.34"), "attestation_caf", dt.date(2026, 9, 12))
    assert result.warnings == ()
    assert "12/09/2026" in result.explanation[0]


def test_old_attestation_is_flagged() -> None:
    attested = AttestedQuotient(Decimal("512.34"), dt.date(2025, 6, 1), "attestation_caf")
    result = caf_quotient(Household(id="h", people=(adult(),), attested_quotient=attested), ON)
    assert result.value == Decimal("512.34")
    assert "demandez-en une récente" in result.warnings[0]


def test_missing_income_is_warned() -> None:
    h = Household(id="h", people=(Person(id="a", role="demandeur", birth_date=dt.date(1980, 1, 1)),))
    assert any("Aucun revenu 2024" in w for w in caf_quotient(h, ON).warnings)


@pytest.mark.parametrize(
    ("is_couple", "children", "single_parent", "expected"),
    [
        (False, 0, False, "1"),
        (True, 0, False, "2"),
        (True, 2, False, "3"),
        (True, 3, False, "4"),
        (False, 1, True, "2"),
        (False, 3, True, "3.5"),
    ],
)
def test_fiscal_parts_cgi_194(is_couple: bool, children: int, single_parent: bool, expected: str) -> None:
    assert fiscal_parts(is_couple=is_couple, dependent_children=children, single_parent=single_parent) == Decimal(
        expected
    )


def test_caf_and_fiscal_parts_differ_for_a_single_parent() -> None:
    h = household(adult(income="12000"), child(1))
    assert caf_parts(h, ON) == Decimal("2.5")
    assert fiscal_parts(is_couple=False, dependent_children=1, single_parent=True) == Decimal("2")


@given(
    income=st.integers(min_value=0, max_value=200_000),
    extra=st.integers(min_value=1, max_value=50_000),
    children=st.integers(min_value=0, max_value=6),
)
def test_quotient_rises_with_income_and_falls_with_children(income: int, extra: int, children: int) -> None:
    kids = tuple(child(n) for n in range(children))
    low = caf_quotient(household(adult(income=str(income)), *kids), ON).value
    high = caf_quotient(household(adult(income=str(income + extra)), *kids), ON).value
    more_kids = caf_quotient(household(adult(income=str(income)), *kids, child(99)), ON).value
    assert high >= low
    assert more_kids <= low
