"""Personas for every role plus an outsider, shared by the whole suite."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from guichet.accounts.enums import Role
from guichet.accounts.models import User
from guichet.households.search import search_index_invalidate
from tests.factories import UserFactory

PERSONAS: dict[str, list[Role]] = {
    "accueil": [Role.ACCUEIL],
    "social": [Role.TRAVAILLEUR_SOCIAL],
    "responsable": [Role.RESPONSABLE],
    "direction": [Role.DIRECTION],
    "admin": [Role.ADMINISTRATEUR],
    "outsider": [],
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Ids are reused after a rolled-back test: cached permissions and the name-search index must
    not outlive their test."""
    cache.clear()
    search_index_invalidate()


def make_persona(name: str) -> User:
    user: User = UserFactory(username=f"persona-{name}", roles=PERSONAS[name])
    return user


@pytest.fixture
def persona(db: None) -> type:
    """``persona("social")`` returns a saved user holding that persona's roles."""
    return make_persona  # type: ignore[return-value]


@pytest.fixture
def accueil(db: None) -> User:
    return make_persona("accueil")


@pytest.fixture
def social(db: None) -> User:
    return make_persona("social")


@pytest.fixture
def responsable(db: None) -> User:
    return make_persona("responsable")


@pytest.fixture
def direction(db: None) -> User:
    return make_persona("direction")


@pytest.fixture
def admin_user(db: None) -> User:
    return make_persona("admin")


@pytest.fixture
def outsider(db: None) -> User:
    return make_persona("outsider")
