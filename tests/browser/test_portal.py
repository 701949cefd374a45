"""The two public pages on a phone, without login: axe-core on each, and a simulation through htmx."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.axe import page_problems
from tests.portal.conftest import seed_migration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPENFISCA_TIMEOUT_MS = 90_000  # the first simulation of the live server loads OpenFisca-France


def test_public_pages_on_a_phone(phone_page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    page = phone_page
    failures = []
    page.goto(live_server.url + reverse("pricing:public_calculator"))
    failures += page_problems(page, "public-calculateur")
    page.get_by_label("Ou directement votre quotient familial CAF").fill("700")
    page.get_by_label("Âge des enfants à charge").fill("4, 7")
    page.get_by_role("button", name="Calculer").click()
    expect(page.get_by_role("heading", name="Votre quotient familial : 700,00 €")).to_be_visible()
    failures += page_problems(page, "public-calculateur-resultat")

    page.goto(live_server.url + reverse("rights:public_simulator"))
    failures += page_problems(page, "public-simulateur")
    page.get_by_label("Locataire d'un logement social (HLM)").check()
    page.get_by_label("Loyer mensuel, charges comprises (si vous êtes locataire)").fill("450")
    page.locator("#id_adulte1_salaire").fill("900")
    page.get_by_role("button", name="Estimer mes droits").click()
    expect(page.get_by_role("heading", name="Estimation de vos droits")).to_be_visible(timeout=OPENFISCA_TIMEOUT_MS)
    failures += page_problems(page, "public-simulateur-resultat")
    assert not failures, "\n".join(failures)
