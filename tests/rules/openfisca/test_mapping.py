"""The fast path (arrays, shortcuts) against OpenFisca-France computing everything itself from a
situation in its own dict format, benefit by benefit, for varied households."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.rules.openfisca.assessment import assess
from guichet.rules.openfisca.reference import compute, situation
from tests.rules.openfisca.households import HOUSEHOLDS

# A salary converted from net to gross comes back from OpenFisca within 3 cents (each contribution
# is rounded; see test_conversion), and a benefit computed from it can move by as much. Incomes
# other than salaries round-trip exactly, so their households must match to the cent.
SALARY_TOLERANCE = 0.03


@pytest.mark.parametrize("name", sorted(HOUSEHOLDS))
def test_fast_path_matches_openfisca_situation_format(name: str, openfisca_month: dt.date) -> None:
    household = HOUSEHOLDS[name]
    expected = compute(situation(household, openfisca_month), openfisca_month)
    assessment = assess(household, openfisca_month)
    has_salary = any("salaire" in p.resources for p in household.people)
    for result in assessment.results:
        got = float(result.eligible) if result.amount is None else float(result.amount)
        tolerance = SALARY_TOLERANCE if has_salary else 0.0
        assert abs(got - round(expected[result.key], 2)) <= tolerance + 1e-9, (name, result.key)


def test_households_cover_the_benefits(openfisca_month: dt.date) -> None:
    """The comparison means something: every benefit is non-zero for at least one household."""
    eligible = {r.key for h in HOUSEHOLDS.values() for r in assess(h, openfisca_month).results if r.eligible}
    assert eligible >= {
        "rsa",
        "ppa",
        "aide_logement",
        "af",
        "cf",
        "asf",
        "ars",
        "paje_base",
        "aah",
        "asi",
        "aspa",
        "css_gratuite",
        "css_participation",
        "cheque_energie",
        "bourse_college",
        "bourse_lycee",
    }
