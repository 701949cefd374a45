"""The guichet in a browser: a request taken with the keyboard alone, and axe-core on the desk pages."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from guichet.desk.enums import ReferralOutcome, RequestStatus, Theme
from guichet.desk.models import Request
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import SampleCommune, log_in, save_screenshot
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory, ReferralFactory, RequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_intake_with_the_keyboard_alone_in_under_a_minute(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    user = make_persona("accueil")
    log_in(page, live_server.url, user)
    household = sample_commune.dupont
    started = time.monotonic()
    page.goto(f"{live_server.url}{reverse('desk:new')}?menage={household.pk}")
    # The theme has the focus: type to pick, Tab through channel and urgency, type the summary, Enter.
    assert page.evaluate("() => document.activeElement.name") == "theme"
    page.keyboard.type("Aide al")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("Colis alimentaire pour la semaine")
    page.keyboard.press("Enter")
    page.wait_for_url("**/guichet/demandes/*/")
    elapsed = time.monotonic() - started
    demand = Request.objects.get()
    assert (demand.theme, demand.household_id) == (Theme.FOOD_AID, household.pk)
    assert demand.summary == "Colis alimentaire pour la semaine"
    assert elapsed < 60
    save_screenshot(page, "accueil-demande")


def test_desk_pages_have_no_serious_violation(page: Page, live_server: Any, sample_commune: SampleCommune) -> None:
    user = make_persona("social")
    demand = RequestFactory(household=sample_commune.dupont, assigned_to=user, summary="Facture d'énergie")
    RequestFactory(household=sample_commune.households[1], overdue=True, status=RequestStatus.IN_PROGRESS)
    partner = PartnerFactory(organisation="CAF de démonstration", is_demo=True, phone="02 61 91 00 01")
    referral = ReferralFactory(request=demand, partner=partner, outcome=ReferralOutcome.ACCEPTED)
    long_ago = referral.sent_on - dt.timedelta(days=40)
    ReferralFactory(request=demand, partner=partner, sent_on=long_ago, reminder_due_on=long_ago)
    log_in(page, live_server.url, user)
    pages = [
        ("social-demandes", reverse("desk:queue") + "?file=toutes"),
        ("social-demande", reverse("desk:detail", args=[demand.pk])),
        ("social-nouvelle-demande", reverse("desk:new") + "?q=dupont"),
        ("social-orienter", reverse("desk:referral_new", args=[demand.pk])),
        ("social-orientation", reverse("desk:referral", args=[referral.pk])),
        ("social-statistiques-orientations", reverse("desk:referral_stats")),
        ("social-orientations-a-relancer", reverse("desk:referrals_to_chase")),
        ("social-partenaires", reverse("desk:partners")),
    ]
    failures = []
    for name, path in pages:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, f"{path} -> {response.status if response else None}"
        save_screenshot(page, name)
        if page.locator("main h1").count() != 1:
            failures.append(f"{name}: not exactly one <h1>")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert failures == [], "\n".join(failures)


def test_status_change_through_htmx(page: Page, live_server: Any, sample_commune: SampleCommune) -> None:
    user = make_persona("accueil")
    demand = RequestFactory(household=sample_commune.dupont)
    log_in(page, live_server.url, user)
    page.goto(live_server.url + reverse("desk:detail", args=[demand.pk]))
    page.get_by_label("Nouveau statut").select_option("en_cours")
    page.get_by_role("button", name="Changer le statut").click()
    page.locator("#demande").get_by_text("Nouvelle → En cours").wait_for()
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.IN_PROGRESS
