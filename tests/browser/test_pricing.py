"""Tariffs in a browser: the service page with its chart, the grid editor (an error kept, then a
new version), the service editor (add, then edit a service), a household's prices with « pourquoi
ce prix » and its « vos tarifs » PDF sheet (downloaded, then read with pypdf), the parameters page;
axe-core on each page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page
from pypdf import PdfReader

from guichet.audit.models import AuditEntry
from guichet.pricing.models import MunicipalService
from guichet.pricing.selectors import household_prices
from guichet.rules.money import format_euros
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.pricing.conftest import seed_migration
from tests.pricing.factories import known_family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_editor_and_service_page(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    log_in(page, live_server.url, make_persona("responsable"))
    failures = []
    page.goto(live_server.url + reverse("pricing:catalogue"))
    failures += page_problems(page, "responsable-tarifs")
    page.get_by_role("link", name="Restauration scolaire (exemple)").click()
    assert page.locator("svg[role=img] path").count() == 1
    failures += page_problems(page, "responsable-tarif-cantine")

    page.get_by_role("link", name="Nouvelle grille").click()
    start = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("En vigueur à partir du").fill(start.isoformat())
    page.get_by_label("Tranche 2 : prix (€)").fill("0,50")
    page.get_by_role("button", name="Enregistrer la nouvelle grille").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_label("Tranche 2 : prix (€)").input_value() == "0,50"  # kept after the error
    failures += page_problems(page, "responsable-grille-erreur")
    page.get_by_label("Tranche 2 : prix (€)").fill("3,08")
    page.get_by_role("button", name="Enregistrer la nouvelle grille").click()
    page.wait_for_url(f"**{reverse('pricing:service', args=['restauration-scolaire'])}")
    assert page.get_by_text("à venir").is_visible()
    assert MunicipalService.objects.get(slug="restauration-scolaire").grids.count() == 3
    assert failures == []


def test_household_prices_sheet(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    household = known_family()
    log_in(page, live_server.url, make_persona("social"))
    page.goto(live_server.url + reverse("pricing:household", args=[household.pk]))
    failures = page_problems(page, "social-tarifs-menage")
    details = page.locator("details").filter(has_text="Pourquoi ce prix").first
    details.locator("summary").click()
    assert details.locator("li").filter(has_text="Prix :").is_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche « vos tarifs » (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"vos-tarifs-{household.reference}-")
    text = _pdf_text(Path(download.path()))
    prices = household_prices(household, timezone.localdate())
    assert _plain(f"Votre quotient familial : {format_euros(prices.quotient.value, cents=True)}") in text
    canteen = next(entry for entry in prices.services if entry.service.slug == "restauration-scolaire")
    assert "Restauration scolaire (exemple) Grille en vigueur" in text
    for line in canteen.lines:
        assert _plain(f"{format_euros(line.amount, cents=True)} par repas {line.explanation[0]}") in text
    assert AuditEntry.objects.filter(action="export", target_type="household", target_id=str(household.pk)).exists()
    assert failures == []


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _pdf_text(path: Path) -> str:
    return _plain(" ".join(page.extract_text() for page in PdfReader(path).pages))


def test_service_editor(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    log_in(page, live_server.url, make_persona("responsable"))
    page.goto(live_server.url + reverse("pricing:catalogue"))
    page.get_by_role("link", name="Nouveau service").click()
    failures = page_problems(page, "responsable-nouveau-service")
    page.get_by_label("Nom du service").fill("Ludothèque")
    page.get_by_label("Nature").select_option(label="Autre service")
    page.get_by_label("Unité facturée").fill("trimestre")
    page.get_by_label("Description").fill("Prêt de jeux pour les familles.")
    page.get_by_label("Âge minimum").fill("12")
    page.get_by_label("Âge maximum (inclus)").fill("6")
    page.get_by_role("button", name="Ajouter le service").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_text("L'âge maximum doit être supérieur ou égal à l'âge minimum.").is_visible()
    assert page.get_by_label("Description").input_value() == "Prêt de jeux pour les familles."  # kept
    failures += page_problems(page, "responsable-nouveau-service-erreur")
    page.get_by_label("Âge maximum (inclus)").fill("17")
    page.get_by_role("button", name="Ajouter le service").click()
    page.wait_for_url(f"**{reverse('pricing:service', args=['ludotheque'])}")
    assert page.get_by_role("heading", name="Ludothèque", level=1).is_visible()
    assert page.get_by_text("Aucune grille en vigueur").first.is_visible()

    page.get_by_role("link", name="Modifier le service").click()
    assert page.get_by_label("Nom du service").input_value() == "Ludothèque"
    failures += page_problems(page, "responsable-modifier-service")
    page.get_by_label("Description").fill("Prêt de jeux et soirées jeux en famille.")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_url(f"**{reverse('pricing:service', args=['ludotheque'])}")
    assert page.get_by_text("Prêt de jeux et soirées jeux en famille.").is_visible()
    service = MunicipalService.objects.get(slug="ludotheque")
    assert (service.min_age, service.max_age, service.grids.count()) == (12, 17, 0)
    assert failures == []


def test_parameters_page(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    log_in(page, live_server.url, make_persona("responsable"))
    page.goto(live_server.url + reverse("pricing:catalogue"))
    page.get_by_role("link", name="Paramètres des tarifs").click()
    assert page.get_by_role("heading", name="Barème national des crèches (CNAF, PSU)").is_visible()
    assert page.get_by_role("rowheader", name="psu_ceiling").is_visible()
    assert page_problems(page, "responsable-parametres-tarifs") == []
