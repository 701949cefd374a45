"""« Nouveau ménage » with the keyboard alone: focus starts on the applicant's first name, Tab follows the
form, Enter saves; a possible duplicate is shown, then « Créer quand même » is reached by keyboard too.
axe-core runs on the intake page and on the duplicate warning."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from guichet.households.models import Household
from guichet.households.search import search_index_invalidate
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.factories import PersonFactory

DETAIL_URL = re.compile(r"/menages/\d+/$")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused_name(page: Page) -> str:
    return str(page.evaluate("() => document.activeElement.name || ''"))


def _type_applicant(page: Page, last_name: str) -> None:
    assert _focused_name(page) == "demandeur-first_name"
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-last_name"
    page.keyboard.type(last_name)
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-birth_name"
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-birth_date"
    page.keyboard.type("03/02/1988")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-sex"
    page.keyboard.press("F")
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-occupation"
    page.keyboard.press("Tab")
    assert _focused_name(page) == "demandeur-phone"
    page.keyboard.type("0611223344")


def test_keyboard_only_intake(page: Page, live_server: Any) -> None:
    log_in(page, live_server.url, make_persona("accueil"))
    page.goto(live_server.url + reverse("households:create"))
    failures = page_problems(page, "accueil-nouveau-menage")
    _type_applicant(page, "Benali")
    page.keyboard.press("Enter")
    page.wait_for_url(DETAIL_URL)
    household = Household.objects.get()
    assert page.locator("main h1").inner_text() == f"Ménage {household.reference}"
    person = household.people.get()
    assert (person.first_name, person.last_name, person.sex, str(person.birth_date)) == (
        "Amina",
        "Benali",
        "F",
        "1988-02-03",
    )
    assert failures == []


def test_keyboard_only_intake_with_a_possible_duplicate(page: Page, live_server: Any) -> None:
    PersonFactory(first_name="Amina", last_name="Benali", search_name="amina benali", birth_date=dt.date(1988, 2, 3))
    search_index_invalidate()
    log_in(page, live_server.url, make_persona("accueil"))
    page.goto(live_server.url + reverse("households:create"))
    _type_applicant(page, "Benalli")
    page.keyboard.press("Enter")
    page.wait_for_selector("#doublons")
    failures = page_problems(page, "accueil-nouveau-menage-doublons")
    assert Household.objects.count() == 1
    assert page.locator("#id_demandeur-last_name").input_value() == "Benalli"
    page.locator("button[name=forcer]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(DETAIL_URL)
    assert Household.objects.count() == 2
    assert failures == []
