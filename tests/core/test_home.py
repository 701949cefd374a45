"""The home page of each role: the right blocks, and nothing personal for direction / élus."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.core.home import blocks_for
from guichet.core.selectors import UNASSIGNED_LABEL, population_by_quartier
from tests.conftest import PERSONAS
from tests.factories import HouseholdFactory, PersonFactory, QuartierFactory

pytestmark = pytest.mark.django_db

SEARCH_FORM = 'action="/menages/"'


def home_html(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def population() -> dict[str, object]:
    """Two neighbourhoods, five households (one without a neighbourhood), named people."""
    centre = QuartierFactory(name="Centre", slug="centre")
    chateau = QuartierFactory(name="Château Blanc", slug="chateau-blanc", is_qpv=True)
    households = [
        HouseholdFactory(reference="REF-CENTRE-1", address__quartier=centre),
        HouseholdFactory(reference="REF-CHATEAU-1", address__quartier=chateau),
        HouseholdFactory(reference="REF-CHATEAU-2", address__quartier=chateau),
        HouseholdFactory(reference="REF-CHATEAU-3", address__quartier=chateau),
        HouseholdFactory(reference="REF-SANS-QUARTIER", address=None),
    ]
    names = ["Zéphyrine Quillard", "Anatole Brisebois", "Philomène Courtecuisse", "Séraphin Vautrin"]
    PersonFactory(household=households[0], first_name="Zéphyrine", last_name="Quillard")
    PersonFactory(household=households[1], first_name="Anatole", last_name="Brisebois")
    PersonFactory(household=households[1], first_name="Philomène", last_name="Courtecuisse")
    PersonFactory(household=households[4], first_name="Séraphin", last_name="Vautrin")
    return {"households": households, "names": names}


def test_blocks_follow_the_roles() -> None:
    assert blocks_for([]) == []
    assert "search" in blocks_for(PERSONAS["accueil"])
    assert blocks_for(PERSONAS["direction"]) == ["figures"]
    assert blocks_for(PERSONAS["admin"]) == ["administration"]
    # Several roles: the union, each block once, in a stable order.
    both = blocks_for([*PERSONAS["accueil"], *PERSONAS["social"]])
    assert both == ["search", "reception", "caseload"]


def test_accueil_home_has_the_household_search_and_quick_links(client: Client, accueil: User) -> None:
    html = home_html(client, accueil)
    assert "Rechercher un ménage" in html
    assert SEARCH_FORM in html and 'name="q"' in html and 'role="search"' in html
    assert "Accès rapides" in html
    assert "Chiffres clés" not in html and "Administration" not in html


def test_social_home_lists_the_households_they_follow(client: Client, social: User, accueil: User) -> None:
    mine = HouseholdFactory(reference="REF-SUIVI-1")
    PersonFactory(household=mine, first_name="Gaëtane", last_name="Morvillier")
    confidential = HouseholdFactory(reference="REF-SUIVI-CONF", confidential=True)
    PersonFactory(household=confidential, first_name="Ysolde", last_name="Karadec")
    for household in (mine, confidential):
        household.referents.add(social)
    someone_elses = HouseholdFactory(reference="REF-AUTRE")
    someone_elses.referents.add(accueil)
    PersonFactory(household=someone_elses, first_name="Ambroise", last_name="Lemarchand")

    html = home_html(client, social)
    assert SEARCH_FORM in html
    assert "Ménages dont je suis référent·e" in html
    assert f'href="{reverse("households:detail", kwargs={"pk": mine.pk})}"' in html
    assert "Gaëtane Morvillier" in html
    # A referent sees their confidential household, flagged as such.
    assert "Ysolde Karadec" in html and "Confidentiel" in html
    assert "REF-AUTRE" not in html and "Lemarchand" not in html


def test_social_home_without_followed_households(client: Client, social: User) -> None:
    assert "Vous n'êtes référent·e d'aucun ménage pour l'instant." in home_html(client, social)


def test_responsable_home_lists_recent_break_the_glass_accesses(
    client: Client, responsable: User, accueil: User
) -> None:
    audit_record(
        actor=accueil,
        action=Action.BREAK_GLASS,
        target_type="household",
        target_id=42,
        reason="Rendez-vous urgent, référente absente",
    )
    html = home_html(client, responsable)
    assert "Derniers accès motivés" in html
    assert "Rendez-vous urgent, référente absente" in html
    assert accueil.username in html
    assert reverse("audit:search") in html


def test_responsable_home_says_when_there_is_no_break_the_glass(client: Client, responsable: User) -> None:
    assert "Aucun accès motivé à un dossier confidentiel ces 30 derniers jours." in home_html(client, responsable)


def test_direction_home_shows_figures_by_quartier_and_no_personal_data(
    client: Client, direction: User, population: dict[str, object]
) -> None:
    html = home_html(client, direction)
    assert "Chiffres clés" in html
    assert "Château Blanc" in html and "QPV" in html
    assert UNASSIGNED_LABEL in html
    for name in population["names"]:  # type: ignore[attr-defined]
        for part in name.split():
            assert part not in html, f"{part} must not appear on the direction home page"
    for household in population["households"]:  # type: ignore[attr-defined]
        assert household.reference not in html
        assert f"/menages/{household.pk}/" not in html
    assert SEARCH_FORM not in html
    # Only links a direction user may open, and the one-stop desk's statistics (aggregates only).
    assert reverse("households:list") not in html
    assert reverse("audit:search") not in html
    assert reverse("desk:referral_stats") in html
    assert client.get(reverse("desk:referral_stats")).status_code == 200


def test_population_figures_are_exact(population: dict[str, object]) -> None:
    figures = population_by_quartier()
    rows = {row.name: (row.households, row.people, row.is_qpv) for row in figures.rows}
    assert rows == {
        "Centre": (1, 1, False),
        "Château Blanc": (3, 2, True),
        UNASSIGNED_LABEL: (1, 1, False),
    }
    assert (figures.quartiers, figures.households, figures.people) == (2, 5, 4)


def test_population_figures_of_an_empty_commune() -> None:
    figures = population_by_quartier()
    assert (figures.rows, figures.quartiers, figures.households, figures.people) == ([], 0, 0, 0)


def test_admin_home_links_to_users_and_settings(client: Client, admin_user: User) -> None:
    html = home_html(client, admin_user)
    assert "Administration" in html
    assert reverse("accounts:users") in html
    assert reverse("accounts:user_create") in html
    assert reverse("accounts:api_tokens") in html
    assert SEARCH_FORM not in html


def test_user_without_role_is_told_to_ask_for_one(client: Client, outsider: User) -> None:
    html = home_html(client, outsider)
    assert "Aucun rôle ne vous est attribué" in html
    assert "Rechercher un ménage" not in html


def test_home_requires_login(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
