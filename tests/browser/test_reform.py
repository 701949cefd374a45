"""The reform simulator in a browser: a responsable creates a simulation, drafts the canteen at a flat
2 €, runs it, reads the results (charts and tables) and downloads the PDF; axe-core on each page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import Page

from guichet.pricing.models import ReformSimulation, ReformStatus
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.pricing.conftest import seed_migration
from tests.pricing.factories import known_family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_run_results_and_report(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    known_family()
    log_in(page, live_server.url, make_persona("responsable"))
    failures = []
    page.goto(live_server.url + reverse("pricing:catalogue"))
    page.get_by_role("link", name="Simulations de réforme tarifaire").click()
    failures += page_problems(page, "reforme-liste")
    page.get_by_role("link", name="Nouvelle simulation").click()
    failures += page_problems(page, "reforme-nouvelle")
    page.get_by_label("Intitulé de la simulation").fill("Cantine à 2 €")
    page.get_by_label("Ménages du fichier").check()
    page.get_by_role("button", name="Créer la simulation").click()
    failures += page_problems(page, "reforme-projet-vide")

    page.get_by_label("Service à réformer").select_option(label="Restauration scolaire (exemple)")
    page.get_by_role("button", name="Rédiger un projet pour ce service").click()
    page.get_by_label("Type de règle").select_option("forfait")
    page.get_by_label("Tarif unique (€)").fill("2,00")
    page.get_by_label("Unités par mois pour une personne qui fréquente le service").fill("10")
    page.get_by_label("Part des personnes concernées qui fréquentent le service (%)").fill("cent")
    page.get_by_role("button", name="Enregistrer le projet").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_label("Tarif unique (€)").input_value() == "2,00"  # kept after the error
    failures += page_problems(page, "reforme-projet-erreur")
    page.get_by_label("Part des personnes concernées qui fréquentent le service (%)").fill("100")
    page.get_by_role("button", name="Enregistrer le projet").click()
    assert page.get_by_text(re.compile(r"Tarif unique : 2,00\s€")).is_visible()
    failures += page_problems(page, "reforme-projet")

    page.get_by_role("button", name="Lancer la simulation").click()
    assert page.locator("#progression").get_by_text("Terminée").is_visible()
    simulation = ReformSimulation.objects.get()
    assert simulation.status == ReformStatus.DONE
    page.locator("#progression").get_by_role("link", name="Voir les résultats").click()
    page.wait_for_url(f"**{reverse('pricing:reform_results', args=[simulation.pk])}")
    assert page.locator("main svg[role=img]").count() >= 3
    assert page.get_by_role("table", name="Par décile de quotient familial").is_visible()
    failures += page_problems(page, "reforme-resultats")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le rapport (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"simulation-tarifaire-{simulation.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert failures == []
