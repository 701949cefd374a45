"""Keyboard use: the skip link comes first and takes focus to the main content; focus is visible."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import log_in
from tests.conftest import make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _active_element(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, id: el.id, text: el.textContent.trim(), href: el.getAttribute('href'),
                    outline: style.outlineStyle, outlineWidth: style.outlineWidth, top: el.getBoundingClientRect().top};
        }"""
    )


FIRST_FOCUSABLE = """() => {
    const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]';
    const focusable = [...document.querySelectorAll(selector)].filter(el => el.tabIndex >= 0 && !el.disabled);
    return focusable[0].outerHTML;
}"""


@pytest.mark.parametrize("logged_in", [False, True], ids=["login-page", "home"])
def test_skip_link_is_the_first_focusable_element(page: Page, live_server: Any, logged_in: bool) -> None:
    if logged_in:
        log_in(page, live_server.url, make_persona("social"))
    else:
        page.goto(live_server.url + reverse("accounts:login"))
    assert 'class="skip-link"' in page.evaluate(FIRST_FOCUSABLE)


def test_skip_link_shows_on_focus_and_moves_focus_to_main(page: Page, live_server: Any) -> None:
    log_in(page, live_server.url, make_persona("accueil"))
    page.goto(live_server.url + reverse("core:home"))

    page.keyboard.press("Tab")
    first = _active_element(page)
    assert first["text"] == "Aller au contenu" and first["href"] == "#contenu"
    assert first["top"] >= 0, "the skip link must become visible when focused"
    assert first["outline"] != "none" and first["outlineWidth"] != "0px", "focus must be visible"

    page.keyboard.press("Enter")
    assert _active_element(page)["id"] == "contenu"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"

    # The next Tab goes into the main content, not back to the header.
    page.keyboard.press("Tab")
    inside = page.evaluate("() => document.getElementById('contenu').contains(document.activeElement)")
    assert inside, (_active_element(page), page.inner_text("main"))


def test_login_form_works_with_the_keyboard_alone(page: Page, live_server: Any) -> None:
    user = make_persona("accueil")
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Identifiant").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type("motdepasse-de-test")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("core:home"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
