import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.households.models import Household, Person
from guichet.rights import public
from guichet.rights.public import simulator_household
from guichet.rights.public_forms import SimulatorForm
from guichet.rules.openfisca.assessment import Assessment

pytestmark = pytest.mark.django_db
URL = reverse("rights:public_simulator")
MONTH = dt.date(2026, 11, 1)
ANSWERS = {
    "situation": "couple",
    "children_ages": "2, 9",
    "adulte1_salaire": "1200",
    "adulte2_chomage": "650,50",
    "housing_status": "locataire_social",
    "rent": "520",
    "postcode": "76800",
}


def test_questionnaire_is_public_and_mobile_friendly(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Votre logement</legend>" in html
    assert html.count('inputmode="decimal"') == 11
    assert "Calcul en cours…" in html and 'hx-post="' in html


def test_answers_map_to_the_rules_household() -> None:
    form = SimulatorForm(ANSWERS)
    assert form.is_valid(), form.errors
    household = simulator_household(form.cleaned_data, MONTH)
    applicant, spouse, eldest, youngest = household.people
    assert (applicant.role, applicant.occupation, applicant.resources) == (
        "demandeur",
        "salarie",
        {"salaire": {MONTH: Decimal(1200)}},
    )
    assert (spouse.role, spouse.occupation, spouse.resources) == (
        "conjoint",
        "demandeur_emploi",
        {"chomage": {MONTH: Decimal("650.50")}},
    )
    assert [(p.role, p.age_on(MONTH), p.occupation) for p in (eldest, youngest)] == [
        ("enfant", 9, "scolaire"),
        ("enfant", 2, "enfant"),
    ]
    assert (household.housing_status, household.rent, household.postcode) == ("locataire_social", Decimal(520), "76800")


def test_tenant_must_give_the_rent(client: Client) -> None:
    response = client.post(URL, {**ANSWERS, "rent": ""})
    html = response.content.decode()
    assert "Indiquez votre loyer mensuel" in html
    assert 'value="2, 9"' in html
    assert "Estimation de vos droits" not in html


def test_a_simulation_estimates_and_stores_nothing(client: Client) -> None:
    before = tuple(model.objects.count() for model in (AuditEntry, Household, Person))
    response = client.post(URL, ANSWERS, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Estimation indicative, sans valeur de décision" in html
    results = {result.key: result for result in response.context["results"]}
    assert {"ppa", "aide_logement", "af", "paje_base"} <= set(results)
    assert not {"rsa", "aah", "aspa"} & set(results)
    assert f"{results['af'].amount:.2f} €".replace(".", ",") in html
    assert tuple(model.objects.count() for model in (AuditEntry, Household, Person)) == before


def test_login_page_links_to_both_public_pages(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{URL}"' in html
    assert f'href="{reverse("pricing:public_calculator")}"' in html


def test_simulations_are_rate_limited_per_address(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    monkeypatch.setattr(public, "assess", lambda household, month: public_assessment_stub(month))
    assert client.post(URL, ANSWERS).status_code == 200
    limited = client.post(URL, ANSWERS)
    assert limited.status_code == 429
    assert "Trop de simulations" in limited.content.decode()
    htmx = client.post(URL, ANSWERS, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "Trop de simulations" in htmx.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(URL, ANSWERS).status_code == 200
    cache.clear()


def public_assessment_stub(month: dt.date) -> Assessment:
    return Assessment(
        household_id="simulation", month=month, results=(), inputs_summary=(), openfisca_france_version=""
    )
