"""The public simulator's callback offer on a phone: refused without consent (nothing stored), then a
request for the CCAS and the confirmation page; axe-core on each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.desk.enums import Channel, RequestStatus
from guichet.desk.models import Request
from tests.browser.axe import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPENFISCA_TIMEOUT_MS = 90_000  # the first simulation of the live server loads OpenFisca-France


def test_callback_after_a_simulation(phone_page: Page, live_server: Any) -> None:
    page = phone_page
    failures = []
    page.goto(live_server.url + reverse("rights:public_simulator"))
    page.get_by_label("Âge de chaque enfant à charge").fill("4")
    page.get_by_label("Locataire d'un logement social (HLM)").check()
    page.get_by_label("Loyer mensuel, charges comprises (si vous êtes locataire)").fill("450")
    page.locator("#id_adulte1_salaire").fill("900")
    page.get_by_role("button", name="Estimer mes droits").click()
    expect(page.get_by_role("heading", name="Être rappelé·e par le CCAS")).to_be_visible(timeout=OPENFISCA_TIMEOUT_MS)
    failures += page_problems(page, "public-simulateur-rappel")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "wider than the phone"

    page.get_by_label("Votre nom et prénom").fill("Jeanne Martin")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Le matin (9 h – 12 h)").check()
    page.get_by_role("button", name="Demander à être rappelé·e").click()
    expect(page.get_by_role("alert")).to_contain_text("Votre demande de rappel n'a pas été enregistrée")
    expect(page.get_by_label("Votre nom et prénom")).to_have_value("Jeanne Martin")
    failures += page_problems(page, "public-rappel-sans-accord")
    assert not Request.objects.exists()

    page.get_by_label("J'accepte que le CCAS conserve ces informations pour me rappeler").check()
    page.get_by_role("button", name="Demander à être rappelé·e").click()
    expect(page.get_by_role("heading", name="Votre demande de rappel est enregistrée")).to_be_visible(
        timeout=OPENFISCA_TIMEOUT_MS
    )
    failures += page_problems(page, "public-rappel-merci")
    demand = Request.objects.get()
    assert (demand.channel, demand.status, demand.assigned_to) == (Channel.ONLINE, RequestStatus.NEW, None)
    assert "Jeanne Martin" in demand.summary and "06 12 34 56 78" in demand.summary
    assert not failures, "\n".join(failures)
