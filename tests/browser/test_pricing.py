"""Tariffs in a browser: the service page with its chart, the grid editor (an error kept, then a
new version), a household's prices with « pourquoi ce prix »; axe-core on each page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from guichet.pricing.models import MunicipalService
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import log_in, save_screenshot
from tests.conftest import make_persona
from tests.pricing.conftest import seed_migration
from tests.pricing.factories import known_family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page: Page, name: str) -> list[str]:
    save_screenshot(page, name)
    failures = []
    if page.locator("main h1").count() != 1:
        failures.append(f"{name}: not exactly one <h1>")
    violations = axe_violations(page)
    if violations:
        failures.append(f"{name}:\n{describe(violations)}")
    return failures


def test_grid_editor_and_service_page(page: Page, live_server: Any) -> None:
    seed_migration.seed(apps, None)
    log_in(page, live_server.url, make_persona("responsable"))
    failures = []
    page.goto(live_server.url + reverse("pricing:catalogue"))
    failures += _axe(page, "responsable-tarifs")
    page.get_by_role("link", name="Restauration scolaire (exemple)").click()
    assert page.locator("svg[role=img] path").count() == 1
    failures += _axe(page, "responsable-tarif-cantine")

    page.get_by_role("link", name="Nouvelle grille").click()
    start = timezone.localdate() + dt.timedelta(days=40)
    page.get_by_label("En vigueur à partir du").fill(start.isoformat())
    page.get_by_label("Tranche 2 : prix (€)").fill("0,50")
    page.get_by_role("button", name="Enregistrer la nouvelle grille").click()
    assert page.locator(".form-errors").is_visible()
    assert page.get_by_label("Tranche 2 : prix (€)").input_value() == "0,50"  # kept after the error
    failures += _axe(page, "responsable-grille-erreur")
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
    failures = _axe(page, "social-tarifs-menage")
    details = page.locator("details").filter(has_text="Pourquoi ce prix").first
    details.locator("summary").click()
    assert details.locator("li").filter(has_text="Prix :").is_visible()
    assert failures == []
