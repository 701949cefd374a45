"""The population draws alone (numpy, no database): household structure, ages, benefits, non-take-up."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.demo import population as pop

TODAY = dt.date(2026, 11, 15)
PROFILES = [
    pop.QuartierProfile(is_qpv=True, is_campus=False, weight=34.0),
    pop.QuartierProfile(is_qpv=False, is_campus=False, weight=61.0),
    pop.QuartierProfile(is_qpv=False, is_campus=True, weight=5.0),
]


def draw(seed: int, n: int) -> tuple[pop.HouseholdsDraw, pop.PeopleDraw]:
    return pop.draw_chunk(np.random.default_rng(seed), PROFILES, n, TODAY)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), n=st.integers(min_value=1, max_value=400))
def test_every_household_is_coherent(seed: int, n: int) -> None:
    households, people = draw(seed, n)
    assert np.array_equal(np.bincount(people.household[people.role == pop.ROLE_APPLICANT], minlength=n), np.ones(n))
    assert np.all(people.role[households.applicant_row] == pop.ROLE_APPLICANT)
    couples = households.spouse_row >= 0
    assert np.array_equal(couples, np.isin(households.kind, pop.COUPLE_KINDS))
    assert np.all(people.household[households.spouse_row[couples]] == np.flatnonzero(couples))
    assert np.all(people.age[people.role != pop.ROLE_CHILD] >= 18)
    children = np.flatnonzero(people.role == pop.ROLE_CHILD)
    household = people.household[children]
    spouse_age = np.where(couples[household], people.age[np.maximum(households.spouse_row[household], 0)], 200)
    youngest_parent = np.minimum(people.age[households.applicant_row[household]], spouse_age)
    assert np.all(youngest_parent - people.age[children] >= 18)
    assert np.all(households.benefits >= 0) and np.all(people.income >= 0)
    # A household that does not take up its rights receives no benefit at all.
    assert np.all(households.benefits[households.non_take_up].sum(axis=1) == 0)
    assert np.all(households.eligible[households.non_take_up])


def test_age_structure_and_size_follow_the_commune() -> None:
    _, people = draw(11, 50_000)
    for got, published in zip(pop.age_shares(people.age), pop.AGE_STRUCTURE, strict=True):
        assert abs(got - published) < 0.01
    assert 2.3 < len(people.age) / 50_000 < 2.45  # about 28,500 people for 12,000 households


def test_priority_neighbourhoods_are_poorer_with_more_social_housing_and_single_parents() -> None:
    households, people = draw(5, 30_000)
    qpv = households.quartier == 0
    salaries = people.income_kind == pop.Income.SALARY
    person_qpv = qpv[people.household]
    assert np.median(people.income[salaries & person_qpv]) < np.median(people.income[salaries & ~person_qpv])
    social = households.housing == pop.Housing.SOCIAL_TENANT
    assert social[qpv].mean() > 2 * social[~qpv].mean()
    single_parent = households.kind == pop.Kind.SINGLE_PARENT
    assert single_parent[qpv].mean() > single_parent[~qpv].mean()
    mothers = people.female[households.applicant_row[single_parent]]
    assert 0.75 < mothers.mean() < 0.95


def test_about_a_third_of_eligible_households_receive_nothing() -> None:
    households, _ = draw(3, 30_000)
    receive_nothing = households.benefits.sum(axis=1) == 0
    rate = receive_nothing[households.eligible].mean()
    assert 0.30 < rate < 0.40
    assert households.eligible.mean() > 0.3


def test_same_seed_same_draws() -> None:
    first_households, first_people = draw(42, 500)
    second_households, second_people = draw(42, 500)
    assert np.array_equal(first_people.age, second_people.age)
    assert np.array_equal(first_people.income, second_people.income)
    assert np.array_equal(first_households.benefits, second_households.benefits)
    _, other = draw(43, 500)
    assert not np.array_equal(first_people.age[:100], other.age[:100])
