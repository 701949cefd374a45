"""The front-desk journey of the issue: log in, find a household despite a misspelt name, open it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.accounts.enums import Role
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.browser.conftest import PERSONA_PASSWORD, SampleCommune, log_in, save_screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("typed", ["Dupond", "eloise dupond", "ELOISE"])
def test_front_desk_finds_a_household_by_a_misspelt_name_and_opens_it(
    page: Page, live_server: Any, sample_commune: SampleCommune, typed: str
) -> None:
    agent = UserFactory(username="accueil", first_name="Camille", roles=[Role.ACCUEIL])
    dupont = sample_commune.dupont
    detail_url = reverse("households:detail", kwargs={"pk": dupont.pk})

    log_in(page, live_server.url, agent, PERSONA_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour Camille")

    # The search box of the home page sends ?q= to the household list.
    page.get_by_role("searchbox", name="Nom ou prénom d’une personne du ménage").fill(typed)
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(re.escape(reverse("households:list")) + r"\?q="))
    result = page.locator(f'main a[href="{detail_url}"]').first
    expect(result).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dupont")
    save_screenshot(page, f"parcours-recherche-{typed.replace(' ', '-').lower()}")

    result.click()
    page.wait_for_url(live_server.url + detail_url)
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Éloïse")
    expect(page.locator("main")).to_contain_text(dupont.reference)
    save_screenshot(page, "parcours-menage")

    # Opening a personal file is audited.
    assert AuditEntry.objects.filter(actor=agent, action=Action.READ, target_id=str(dupont.pk)).exists()


def test_search_does_not_return_unrelated_households(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    agent = UserFactory(username="accueil", roles=[Role.ACCUEIL])
    log_in(page, live_server.url, agent, PERSONA_PASSWORD)
    page.goto(live_server.url + reverse("households:list") + "?q=Dupond")
    expect(page.locator("main")).to_contain_text("Dupont")
    expect(page.locator("main")).not_to_contain_text("Benali")


def test_list_search_updates_results_as_you_type_under_the_csp(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    """htmx works with the strict CSP (no inline style, no eval): results change without a page load."""
    agent = UserFactory(username="accueil", roles=[Role.ACCUEIL])
    log_in(page, live_server.url, agent, PERSONA_PASSWORD)
    page.goto(live_server.url + reverse("households:list"))
    page.evaluate("() => { window.__sameDocument = true; }")
    page.locator("main form[role=search] input[name=q]").fill("benalli")
    results = page.locator("#resultats")
    expect(results).to_contain_text("Benali")
    expect(results).not_to_contain_text("Dupont")
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded instead of updated"
    expect(page.locator(".htmx-indicator").first).to_be_hidden()
