"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

``make test`` installs Chromium (apt) and axe-core (npm) first (scripts/ensure-browser-deps.sh); when
either is missing these tests fail rather than skip, so a broken setup cannot pass unnoticed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from guichet.accounts.models import User
from guichet.accounts.roles import sync_role_groups
from guichet.households.enums import HouseholdRole, Sex
from guichet.households.models import Household
from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory, QuartierFactory

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PERSONA_PASSWORD = "motdepasse-de-test"  # tests.factories.UserFactory
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def _fresh_state(transactional_db: None) -> None:
    """Each browser test starts from its own data.

    Live-server tests are transactional: the database is flushed after each one, role groups included
    (created by a data migration), so they are put back here. The « données fictives » flag is cached
    for a minute: the cache is cleared too.
    """
    sync_role_groups(django_apps)
    cache.clear()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module.

    Playwright's sync API runs an event loop in the test thread while it is started; Django would then
    refuse the ORM calls that fixtures and assertions make from that thread, although they are plain
    synchronous code. DJANGO_ALLOW_ASYNC_UNSAFE is set only meanwhile (it must never leak into other
    tests: `check --deploy` rejects it).
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-browser-deps.sh` (make test does).")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@dataclass
class CspWatch:
    """Console errors about the Content-Security-Policy: any means a page relies on inline code."""

    violations: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def csp_watch() -> CspWatch:
    return CspWatch()


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = _new_context(browser, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, csp_watch: CspWatch) -> Iterator[Page]:
    page = context.new_page()
    page.on("console", csp_watch.on_console)
    yield page
    assert csp_watch.violations == [], f"Content-Security-Policy violations: {csp_watch.violations}"


@pytest.fixture
def phone_page(browser: Browser, csp_watch: CspWatch) -> Iterator[Page]:
    context = _new_context(browser, viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    page.on("console", csp_watch.on_console)
    yield page
    context.close()
    assert csp_watch.violations == [], f"Content-Security-Policy violations: {csp_watch.violations}"


def log_in(page: Page, base_url: str, user: User, password: str = PERSONA_PASSWORD) -> None:
    """Through the login form, as a person would."""
    page.goto(f"{base_url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"^(?!.*/comptes/connexion/).*$"))


@pytest.fixture
def logged_in_page(page: Page, live_server: Any) -> Any:
    """``logged_in_page("social")`` logs a fresh persona in through the form and returns the page."""

    def log_in_as(persona_name: str) -> Page:
        user = make_persona(persona_name)
        log_in(page, live_server.url, user)
        return page

    return log_in_as


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG under var/screenshots/, to look at the design (not compared: pages hold random data)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class SampleCommune:
    households: list[Household]
    dupont: Household


@pytest.fixture
def sample_commune(db: None) -> SampleCommune:
    """Two neighbourhoods (one QPV), a few synthetic households, one of them the Dupont family."""
    centre = QuartierFactory(name="Centre", slug="centre")
    chateau = QuartierFactory(name="Château Blanc", slug="chateau-blanc", is_qpv=True, qpv_code="QN07612M")
    dupont = HouseholdFactory(synthetic=True, address__quartier=chateau, phone="02 35 00 00 00")
    PersonFactory(household=dupont, first_name="Éloïse", last_name="Dupont", search_name="eloise dupont")
    PersonFactory(
        household=dupont,
        first_name="Marc",
        last_name="Dupont",
        search_name="marc dupont",
        household_role=HouseholdRole.SPOUSE,
        sex=Sex.MALE,
    )
    others = []
    for index, (first, last) in enumerate([("Nadia", "Benali"), ("Louis", "Martin"), ("Chantal", "Lefebvre")]):
        household = HouseholdFactory(synthetic=True, address__quartier=centre if index % 2 else chateau)
        PersonFactory(household=household, first_name=first, last_name=last, search_name=f"{first} {last}".lower())
        others.append(household)
    return SampleCommune(households=[dupont, *others], dupont=dupont)
