"""« Faire une demande en ligne » on a phone, with the keyboard alone: refused without consent (nothing
stored, every answer kept), then the confirmation with its reference; an agent then finds the request in
« Nouvelles à attribuer ». axe-core on each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.desk.enums import Channel, RequestStatus, Theme
from guichet.desk.models import Request
from guichet.desk.public import CONSENT
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MESSAGE = "Ma facture d'électricité a doublé, je ne peux pas la payer."


def _fill_with_the_keyboard(page: Page) -> None:
    """From the first field, Tab through the form as a keyboard user would."""
    page.get_by_label("Votre prénom").focus()
    keyboard = page.keyboard
    keyboard.type("Jeanne")
    keyboard.press("Tab")
    keyboard.type("Martin")
    keyboard.press("Tab")
    keyboard.type("06 12 34 56 78")
    keyboard.press("Tab")  # the e-mail, left empty
    keyboard.press("Tab")  # the radio group, on « Peu importe » (checked)
    keyboard.press("ArrowUp")
    keyboard.press("ArrowUp")  # « Le matin »
    keyboard.press("Tab")  # the theme: type the start of its label
    keyboard.type("Factures d")
    keyboard.press("Tab")
    keyboard.type(MESSAGE)
    keyboard.press("Tab")
    keyboard.type("Quartier du Madrillet")
    keyboard.press("Enter")  # submits, the consent not ticked


def test_public_request_then_the_agent_queue(phone_page: Page, live_server: Any) -> None:
    page = phone_page
    failures = []
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_role("link", name="faire une demande en ligne").click()
    expect(page.get_by_role("heading", name="Faire une demande en ligne", level=1)).to_be_visible()
    failures += page_problems(page, "public-demande")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the phone"

    _fill_with_the_keyboard(page)
    expect(page.get_by_role("alert")).to_contain_text("Votre demande n'a pas été enregistrée")
    expect(page.get_by_role("alert")).to_contain_text("Cochez cette case pour que le CCAS puisse traiter")
    expect(page.get_by_label("Votre prénom")).to_have_value("Jeanne")
    expect(page.get_by_label("Le matin (9 h – 12 h)")).to_be_checked()
    expect(page.get_by_label("Votre demande concerne")).to_have_value("energie_eau")
    expect(page.get_by_label("Votre message")).to_have_value(MESSAGE)
    failures += page_problems(page, "public-demande-sans-accord")
    assert not Request.objects.exists()

    page.get_by_label(CONSENT).focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # « Envoyer ma demande »
    expect(page.get_by_role("heading", name="Merci Jeanne, votre demande est enregistrée")).to_be_visible()
    demand = Request.objects.get()
    expect(page.get_by_role("heading", name=f"Votre numéro de demande : {demand.pk}")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Martin")
    failures += page_problems(page, "public-demande-merci")
    assert (demand.channel, demand.status, demand.theme, demand.assigned_to) == (
        Channel.ONLINE,
        RequestStatus.NEW,
        Theme.ENERGY,
        None,
    )

    log_in(page, live_server.url, make_persona("accueil"))
    page.goto(live_server.url + reverse("desk:queue") + "?file=a_attribuer")
    expect(page.get_by_role("link", name="Nouvelles à attribuer")).to_have_attribute("aria-current", "page")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"n° {demand.pk}"))
    expect(row).to_contain_text("Demande en ligne de Jeanne Martin (tél. 06 12 34 56 78)")
    expect(row).to_contain_text("Nouvelle")
    assert not failures, "\n".join(failures)
