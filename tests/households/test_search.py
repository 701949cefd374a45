"""Name search: accents, case and one typo tolerated; identical on SQLite and PostgreSQL (same code path)."""

from __future__ import annotations

import pytest

from guichet.households.search import search_household_ids, search_index_invalidate, search_people, typo_budget
from guichet.rules.text import normalize_text
from tests.factories import PersonFactory

PEOPLE = [
    ("Jean", "Dupont"),
    ("Élodie", "Lefèvre"),
    ("Mohammed", "Benali"),
    ("Éloïse", "Martin"),
    ("Marie", "Dupuis"),
    ("Anne-Sophie", "N'Diaye"),
    ("Louis", "Petit"),
]

CASES = [
    ("Dupond", ["jean dupont"]),  # one wrong letter
    ("dupont jean", ["jean dupont"]),  # order of words does not matter
    ("elodie", ["elodie lefevre"]),  # accents
    ("ELOISE", ["eloise martin"]),  # case and accents
    ("Mohamed", ["mohammed benali"]),  # a missing letter
    ("lefervre", ["elodie lefevre"]),  # an extra letter
    ("dupnot", ["jean dupont"]),  # two letters swapped
    ("ndiaye", ["anne sophie n diaye"]),  # "N'Diaye" typed without the apostrophe: one edit from "diaye"
    ("diaye", ["anne sophie n diaye"]),
    ("dup", ["jean dupont", "marie dupuis"]),  # prefix while typing (ties in alphabetical order)
    ("zzzz", []),
    ("petti", ["louis petit"]),
]


@pytest.fixture
def people(db: None) -> None:
    for first, last in PEOPLE:
        PersonFactory(first_name=first, last_name=last, search_name=normalize_text(f"{first} {last}"))
    search_index_invalidate()


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_search_finds_names_despite_accents_case_and_typos(people: None, query: str, expected: list[str]) -> None:
    from guichet.households.models import Person

    names = {p.pk: p.search_name for p in Person.objects.all()}
    found = [names[hit.person_id] for hit in search_people(query)]
    assert found[: len(expected)] == expected
    if not expected:
        assert found == []


def test_exact_match_ranks_before_typo(db: None) -> None:
    PersonFactory(first_name="Paul", last_name="Dupond", search_name="paul dupond")
    PersonFactory(first_name="Paul", last_name="Dupont", search_name="paul dupont")
    search_index_invalidate()
    assert [hit.score for hit in search_people("paul dupont")][0] == 1.0
    from guichet.households.models import Person

    best = Person.objects.get(pk=search_people("paul dupont")[0].person_id)
    assert best.last_name == "Dupont"


def test_index_follows_new_people_without_explicit_invalidation(people: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from guichet.households import search

    monkeypatch.setattr(search, "_DB_CHECK_SECONDS", 0.0)  # the table is checked every few seconds
    assert search_people("Zébulon") == []
    PersonFactory(first_name="Zébulon", last_name="Roux", search_name="zebulon roux")
    assert len(search_people("zebulon")) == 1


def test_households_are_listed_once_even_when_several_members_match(db: None) -> None:
    parent = PersonFactory(first_name="Karim", last_name="Haddad", search_name="karim haddad")
    PersonFactory(household=parent.household, first_name="Sami", last_name="Haddad", search_name="sami haddad")
    search_index_invalidate()
    assert search_household_ids("haddad") == [parent.household_id]


@pytest.mark.parametrize(("token", "budget"), [("li", 0), ("jean", 1), ("dupont", 1), ("lefebvre", 2)])
def test_typo_budget_grows_with_length(token: str, budget: int) -> None:
    assert typo_budget(token) == budget
