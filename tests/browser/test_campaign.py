"""A non-take-up campaign in a browser, with the real OpenFisca-France (warmed once): a responsable
starts a small campaign, watches the progress bar until the results (chart, map, tables) arrive,
assigns a household to a social worker and records the outcome; axe-core on each page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from guichet.households.enums import ConsentScope
from guichet.households.models import Consent
from guichet.rights.campaigns import campaign_start
from guichet.rights.models import CampaignTarget
from guichet.rules.openfisca import warm_up
from guichet.territory.models import Quartier
from guichet.territory.services import quartiers_seed_illustrative
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.rights.factories import single_parent_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_from_start_to_outcome(page: Page, live_server: Any) -> None:
    month = timezone.localdate().replace(day=1)
    warm_up(month)
    quartiers_seed_illustrative()
    hoods = list(Quartier.objects.exclude(boundary=None).order_by("name")[:2])
    for index in range(3):
        row = single_parent_file(address__quartier=hoods[index % 2], is_synthetic=True)
        Consent.objects.create(
            household=row, scope=ConsentScope.PROACTIVE_CONTACT, given_at=timezone.now() - dt.timedelta(days=3)
        )
    social = make_persona("social")
    log_in(page, live_server.url, make_persona("responsable"))
    failures = []

    page.goto(live_server.url + reverse("rights:campaigns"))
    expect(page.get_by_role("heading", name="Campagnes « aller vers »")).to_be_visible()
    failures += page_problems(page, "campagnes-liste-vide")
    page.get_by_role("link", name="Nouvelle campagne").click()
    failures += page_problems(page, "campagne-nouvelle")
    page.get_by_label("Nom de la campagne").fill("Aller vers — test")
    page.get_by_role("button", name="Lancer la campagne").click()

    expect(page.get_by_text("Avancement :")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    # the fragment is polled until the campaign ends, then the page reloads with the results
    expect(
        page.get_by_role("heading", name="Par prestation", exact=False).or_(page.get_by_text("Aucun ménage repéré"))
    ).to_be_visible(timeout=120_000)
    expect(page.get_by_text("État : Terminée")).to_be_visible()
    failures += page_problems(page, "campagne-resultats")
    assert CampaignTarget.objects.exists(), "the sample single mothers should be flagged for at least one benefit"
    expect(page.locator("svg[role=img]").first).to_be_visible()

    page.get_by_role("link", name="Ménages à contacter").click()
    failures += page_problems(page, "campagne-menages")
    page.locator("input[name=cibles]").first.check()
    page.get_by_label("Attribuer les ménages cochés à").select_option(str(social.pk))
    page.get_by_role("button", name="Attribuer").click()
    expect(page.get_by_text("1 ménage(s) attribué(s).")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Suite du contact")).first.click()
    failures += page_problems(page, "campagne-suite")
    page.get_by_label("Suite du contact").select_option("demande_faite")
    page.get_by_label("Notes").fill("Dossier CAF déposé avec le ménage.")
    page.get_by_role("button", name="Enregistrer la suite").click()
    expect(page.get_by_text("Suite du contact enregistrée.")).to_be_visible()
    expect(page.locator("td .badge-success", has_text="Demande faite")).to_be_visible()
    assert (
        CampaignTarget.objects.filter(outcome="demande_faite", outcome_by__username="persona-responsable").count() == 1
    )

    # a campaign left unfinished (server restarted): the page polls, a responsable resumes it
    stalled = campaign_start(user=None, name="Interrompue", month=month)
    page.goto(live_server.url + reverse("rights:campaign", args=[stalled.pk]))
    expect(page.get_by_text("État : En attente")).to_be_visible()
    failures += page_problems(page, "campagne-en-attente")
    page.get_by_role("button", name="Reprendre la simulation").click()
    expect(page.get_by_text("État : Terminée")).to_be_visible(timeout=120_000)
    assert failures == []
