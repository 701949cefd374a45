"""« Que faire » → action in a browser: the confirmation form opens in the line (htmx), pre-filled with
the partner of the benefit; the referral is created in one step; axe-core on each state."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from guichet.desk.enums import PartnerKind, RequestStatus
from guichet.desk.models import Partner, Referral, Request
from guichet.rights import services
from tests.browser.axe import page_problems
from tests.browser.conftest import log_in
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory
from tests.rights.factories import MONTH, made_up_assessment, single_parent_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_que_faire_to_referral_and_request(page: Page, live_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "assess", lambda h, m: made_up_assessment(h, m, rsa="412.30", aspa="300.00"))
    Partner.objects.all().delete()  # the seeded directory may or may not be there: this test's own
    caf = PartnerFactory(organisation="CAF de la Seine-Maritime", kind=PartnerKind.CAF, themes=["acces_droits"])
    PartnerFactory(organisation="Les Restos du Cœur")
    social = make_persona("social")
    stored = services.assessment_run(user=social, household_id=single_parent_file().pk, month=MONTH)
    log_in(page, live_server.url, social)
    page.goto(live_server.url + reverse("rights:assessment", args=[stored.pk]))

    page.get_by_role("link", name="Orienter vers un partenaire : Revenu de solidarité active (RSA)").click()
    line = page.locator(f"#action-{stored.pk}-rsa")
    expect(line.get_by_role("combobox", name="Partenaire")).to_have_value(str(caf.pk))
    expect(line.get_by_role("textbox", name="Objet de la demande")).to_have_value("Demande de RSA à accompagner")
    failures = page_problems(page, "social-que-faire-orientation")
    line.get_by_role("button", name="Créer la demande et l'orienter").click()
    expect(line.get_by_role("status")).to_contain_text("créée et orientée vers CAF de la Seine-Maritime")
    referral = Referral.objects.get()
    assert referral.partner == caf and referral.request.status == RequestStatus.REFERRED

    page.get_by_role("link", name="Créer une demande : Allocation de solidarité aux personnes âgées (ASPA)").click()
    aspa = page.locator(f"#action-{stored.pk}-aspa")
    aspa.get_by_role("textbox", name="Objet de la demande").fill("ASPA : dossier à monter avec la Carsat")
    aspa.get_by_role("button", name="Créer la demande").click()
    expect(aspa.get_by_role("status")).to_contain_text("créée")
    failures += page_problems(page, "social-que-faire-demande")
    created = Request.objects.exclude(pk=referral.request_id).get()
    assert created.summary.startswith("ASPA : dossier à monter avec la Carsat (bilan de droits n°")
    assert failures == []
