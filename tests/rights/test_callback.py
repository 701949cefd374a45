"""« Être rappelé·e par le CCAS » at the end of the public simulation: a request for the CCAS only with
the explicit consent; without it, not one row of any table changes."""

from __future__ import annotations

import html as markup
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditChainHead, AuditEntry
from guichet.desk.enums import Channel, RequestStatus, Theme
from guichet.desk.models import Request, RequestEvent
from guichet.desk.selectors import RequestFilters, request_rows, requests_for
from guichet.rights import callback, public
from guichet.rights.public_forms import CALLBACK_CONSENT
from guichet.rules.money import NBSP
from tests.rights.factories import made_up_assessment

pytestmark = pytest.mark.django_db
SIMULATOR = reverse("rights:public_simulator")
CALLBACK = reverse("rights:public_callback")
DONE = reverse("rights:public_callback_done")
ANSWERS = {
    "situation": "seul",
    "children_ages": "3, 7",
    "adulte1_salaire": "900",
    "housing_status": "locataire_social",
    "rent": "520",
    "postcode": "76800",
}
CONTACT = {
    "rappel-name": "Jeanne Martin",
    "rappel-phone": "06 12 34 56 78",
    "rappel-email": "",
    "rappel-preferred_time": "matin",
    "rappel-precision": "pas le mercredi",
    "rappel-consent": "on",
}


@pytest.fixture
def assessed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """OpenFisca replaced by made-up results (RSA and housing aid), the households it was given kept."""
    calls: list[Any] = []

    def assess(household, month):  # type: ignore[no-untyped-def]
        calls.append(household)
        return made_up_assessment(household, month, rsa="412.30", aide_logement="251.00")

    monkeypatch.setattr(public, "assess", assess)
    monkeypatch.setattr(callback, "assess", assess)
    return calls


def snapshot() -> dict[str, Any]:
    """Row counts of every table, and the audit chain's head (an update would not change a count)."""
    counts: dict[str, Any] = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    counts["audit head"] = list(AuditChainHead.objects.values_list("last_hash", flat=True))
    return counts


def test_the_estimate_offers_the_callback_with_the_answers(client: Client, assessed: list[Any]) -> None:
    html = client.post(SIMULATOR, ANSWERS, headers={"HX-Request": "true"}).content.decode()
    assert "Être rappelé·e par le CCAS" in html
    form = html[html.index(f'action="{CALLBACK}"') :]
    assert 'name="csrfmiddlewaretoken"' in form
    for name, value in ANSWERS.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    assert CALLBACK_CONSENT in markup.unescape(form)
    consent = re.search(r'<input type="checkbox" name="rappel-consent" id="([\w-]+)"', form)
    assert consent is not None and f'<label for="{consent.group(1)}">' in form
    assert 'autocomplete="tel"' in form and 'type="tel"' in form


def test_with_consent_a_request_reaches_the_desk(client: Client, assessed: list[Any], accueil: Any) -> None:
    response = client.post(CALLBACK, {**ANSWERS, **CONTACT})
    assert response.status_code == 302 and response["Location"] == DONE
    demand = Request.objects.get()
    assert (demand.channel, demand.theme, demand.status) == (Channel.ONLINE, Theme.RIGHTS, RequestStatus.NEW)
    assert demand.assigned_to is None and demand.created_by is None
    assert demand.summary.replace(NBSP, " ") == (  # amounts written with no-break spaces
        "Rappel demandé en ligne par Jeanne Martin (tél. 06 12 34 56 78), le matin (pas le mercredi). "
        "Simulation : Revenu de solidarité active (RSA) : 412,30 € par mois; "
        "Aide au logement (APL, ALF ou ALS) : 251,00 € par mois."
    )
    household = demand.household
    assert household.phone == "06 12 34 56 78" and household.reference == f"G-{household.pk:07d}"
    assert not household.people.exists()
    details = RequestEvent.objects.get(request=demand).comment.replace(NBSP, " ")
    assert CALLBACK_CONSENT in details
    for line in (
        "Nom : Jeanne Martin",
        "Moment préféré : Le matin (9 h – 12 h) ; pas le mercredi",
        "- Situation : seul·e",
        "- Enfants à charge : 7 ans, 3 ans",
        "- Logement : Locataire d'un logement social (HLM), loyer 520,00 € par mois",
        "- Revenus nets par mois (vous) : salaire net 900,00 €",
        "- Revenu de solidarité active (RSA) : 412,30 € par mois",
    ):
        assert line in details, line
    assert "Aides étudiées sans droit estimé : " in details and "Allocations familiales" in details
    # the estimate was computed again from the answers, not taken from the page
    (household_assessed,) = assessed
    assert [p.role for p in household_assessed.people] == ["demandeur", "enfant", "enfant"]
    entries = AuditEntry.objects.filter(actor=None, channel="public")
    assert set(entries.values_list("target_type", "action")) == {("household", "create"), ("request", "create")}
    queue = requests_for(accueil, RequestFilters(queue="a_attribuer"))
    assert [row.request for row in request_rows(accueil, queue)] == [demand]


def test_confirmation_page(client: Client) -> None:
    html = client.get(DONE).content.decode()
    assert "<h1>Votre demande de rappel est enregistrée</h1>" in html
    assert "dans les 10 jours" in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rappel-consent": ""}, "Cochez cette case pour que le CCAS puisse vous rappeler"),
        ({"rappel-phone": "", "rappel-email": ""}, "Indiquez un téléphone ou un courriel"),
        ({"rappel-phone": "appelez-moi"}, "Indiquez un numéro de téléphone de 10 chiffres"),
        ({"rappel-email": "jeanne@", "rappel-phone": ""}, "adresse de courriel complète"),
        ({"rappel-name": ""}, "Ce champ est obligatoire"),
    ],
)
def test_without_consent_or_contact_nothing_is_stored(
    client: Client, assessed: list[Any], change: dict[str, str], message: str
) -> None:
    before = snapshot()
    response = client.post(CALLBACK, {**ANSWERS, **CONTACT, **change})
    html = markup.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Votre demande de rappel n'a pas été enregistrée" in html and message in html
    assert 'value="Jeanne Martin"' in html or change == {"rappel-name": ""}
    assert '<input type="hidden" name="rent" value="520">' in html  # the answers are kept
    assert snapshot() == before
    assert assessed == []  # nothing was even computed


def test_incomplete_answers_store_nothing(client: Client, assessed: list[Any]) -> None:
    before = snapshot()
    response = client.post(CALLBACK, {**ANSWERS, "rent": "", **CONTACT})
    assert response.status_code == 400
    assert "Les réponses de la simulation sont incomplètes" in response.content.decode()
    assert snapshot() == before


def test_callbacks_are_rate_limited(client: Client, assessed: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(callback, "CALLBACK_RATE_LIMIT", 2)
    cache.clear()
    for _ in range(2):
        assert client.post(CALLBACK, {**ANSWERS, **CONTACT}).status_code == 302
    before = snapshot()
    response = client.post(CALLBACK, {**ANSWERS, **CONTACT})
    assert response.status_code == 429 and "Trop de demandes de rappel" in response.content.decode()
    assert snapshot() == before and Request.objects.count() == 2
    # the simulations have their own allowance
    assert client.post(SIMULATOR, ANSWERS).status_code == 200


def test_csrf_is_required(assessed: list[Any]) -> None:
    before = snapshot()
    response = Client(enforce_csrf_checks=True).post(CALLBACK, {**ANSWERS, **CONTACT})
    assert response.status_code == 403
    assert snapshot() == before


def test_only_post(client: Client) -> None:
    assert client.get(CALLBACK).status_code == 405
