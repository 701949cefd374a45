"""The « bilan de droits » in a browser: the page answers at once, the assessment arrives through
htmx (real OpenFisca-France, warmed once), then an « et si… » comparison; axe-core on each state."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.rules.openfisca import warm_up
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.rights.factories import MONTH, single_parent_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rights_assessment_and_what_if(page: Page, live_server: Any) -> None:
    warm_up(MONTH)
    row = single_parent_file()
    log_in(page, live_server.url, make_persona("social"))
    page.goto(live_server.url + reverse("rights:household", args=[row.pk]) + f"?mois={MONTH:%Y-%m}")
    expect(page.get_by_role("heading", name="Détail des aides")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Que faire")).to_be_visible()
    assert page.locator("main h1").count() == 1
    # Screenshot and axe once both htmx swaps are done: a style attribute they leave behind would be
    # copied by htmx's settle onto the swapped elements, which the strict CSP refuses (a test artefact)
    page.get_by_label("Une naissance dans le foyer").check()
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", name="Une naissance dans le foyer — novembre 2026")).to_be_visible(
        timeout=30_000
    )
    failures = page_problems(page, "social-bilan-et-si")
    page.get_by_role("link", name="Bilan enregistré n°").click()
    expect(page.get_by_role("button", name="Rejouer ce bilan")).to_be_visible()
    failures += page_problems(page, "social-bilan-enregistre")
    assert failures == []
