"""Household list/search and detail pages, break the glass form, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.households import timeline
from guichet.households.enums import HouseholdRole, ResourceKind
from guichet.households.search import search_index_invalidate
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def logged_in(persona_name: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona_name))
    return client


@pytest.fixture
def family() -> PersonFactory:
    person = PersonFactory(first_name="Éloïse", last_name="Dupont", search_name="eloise dupont")
    PersonFactory(
        household=person.household,
        household_role=HouseholdRole.CHILD,
        first_name="Noé",
        last_name="Dupont",
        search_name="noe dupont",
        birth_date=dt.date(2015, 3, 2),
    )
    ResourceFactory(person=person, kind=ResourceKind.SALARY, amount=Decimal("1320.50"))
    ResourceFactory(person=person, kind=ResourceKind.RSA, amount=Decimal("210.00"))
    search_index_invalidate()
    return person


def test_search_with_a_typo_finds_the_household(family: PersonFactory) -> None:
    response = logged_in("accueil").get(reverse("households:list"), {"q": "eloise dupond"})
    assert response.status_code == 200
    body = response.content.decode()
    assert family.household.reference in body
    assert "Éloïse Dupont" in body


def test_htmx_search_returns_only_the_results_fragment(family: PersonFactory) -> None:
    response = logged_in("accueil").get(reverse("households:list"), {"q": "dupont"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert family.household.reference in body
    assert "<html" not in body


def test_confidential_household_is_masked_in_results(db: None) -> None:
    person = PersonFactory(
        household=HouseholdFactory(confidential=True), first_name="Inès", last_name="Moreau", search_name="ines moreau"
    )
    search_index_invalidate()
    body = logged_in("accueil").get(reverse("households:list"), {"q": "moreau"}).content.decode()
    assert person.household.reference in body
    assert "Dossier confidentiel" in body
    assert "Moreau" not in body.replace("« moreau »", "")
    body = logged_in("responsable").get(reverse("households:list"), {"q": "moreau"}).content.decode()
    assert "Inès Moreau" in body


def test_detail_shows_social_situation_to_social_worker_only(family: PersonFactory) -> None:
    url = reverse("households:detail", args=[family.household_id])
    social_page = logged_in("social").get(url).content.decode()
    accueil_page = logged_in("accueil").get(url).content.decode()
    assert "Noé Dupont" in social_page and "Noé Dupont" in accueil_page
    assert "1\xa0320,50 €" in social_page
    assert "Ressources et prestations" not in accueil_page
    assert "1 320,50" not in accueil_page


def test_detail_read_is_audited(family: PersonFactory) -> None:
    logged_in("social").get(reverse("households:detail", args=[family.household_id]))
    entry = AuditEntry.objects.get(action=Action.READ, target_type="household")
    assert entry.target_id == str(family.household_id)
    assert entry.actor.username == "persona-social"


def test_detail_query_count_does_not_grow_with_people(family: PersonFactory, django_assert_max_num_queries) -> None:
    for index in range(8):
        PersonFactory(household=family.household, household_role=HouseholdRole.CHILD, search_name=f"child {index}")
    client = logged_in("social")
    # The household's own reads, plus a couple of queries per timeline provider (other apps add theirs).
    budget = 20 + 2 * len(timeline._providers)
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("households:detail", args=[family.household_id])).status_code == 200


def test_list_query_count_does_not_grow_with_rows(django_assert_max_num_queries) -> None:
    for _ in range(30):
        PersonFactory()
    client = logged_in("accueil")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("households:list")).status_code == 200


def test_confidential_detail_redirects_to_break_glass_then_opens() -> None:
    household = HouseholdFactory(confidential=True)
    client = logged_in("accueil")
    detail = reverse("households:detail", args=[household.pk])
    response = client.get(detail)
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])
    short = client.post(response["Location"], {"reason": "urgent"})
    assert short.status_code == 200
    assert "au moins 15 caractères" in short.content.decode()
    assert "urgent" in short.content.decode()  # what was typed is kept
    ok = client.post(response["Location"], {"reason": "Signalement de violences, appel de la gendarmerie"})
    assert ok.status_code == 302 and ok["Location"] == detail
    assert client.get(detail).status_code == 200
    assert AuditEntry.objects.filter(action=Action.BREAK_GLASS, target_id=str(household.pk)).count() == 1


def test_direction_cannot_open_household_pages(family: PersonFactory) -> None:
    client = logged_in("direction")
    assert client.get(reverse("households:list")).status_code == 403
    assert client.get(reverse("households:detail", args=[family.household_id])).status_code == 403


def test_household_page_links_to_the_rest_of_the_file_by_role(family: PersonFactory) -> None:
    url = reverse("households:detail", args=[family.household_id])
    social = logged_in("social").get(url).content.decode()
    accueil = logged_in("accueil").get(url).content.decode()
    for link in (f"/dossier/menages/{family.household_id}/pieces/", f"/dossier/menages/{family.household_id}/notes/"):
        assert link in social
    assert f"/tarifs/menages/{family.household_id}/" in social
    assert f"/droits/menages/{family.household_id}/" in social
    assert f"/dossier/menages/{family.household_id}/pieces/" in accueil
    assert "/notes/" not in accueil and "/tarifs/menages/" not in accueil and "/droits/menages/" not in accueil
