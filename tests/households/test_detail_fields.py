"""Household detail page: the MSA number, disability (rate, RQTH, card) and a pregnancy belong to the
social situation, shown to social workers and responsables, not to the front desk."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_persona
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

MSA_LINE = "<dt>N° MSA</dt><dd>MSA-0042</dd>"
CARD = "carte mobilité inclusion invalidité"
RATE = "taux d'incapacité 80 %"
PREGNANCY = "grossesse en cours"


@pytest.fixture
def household_url() -> str:
    household = HouseholdFactory(caf_number="1234567", msa_number="MSA-0042")
    PersonFactory(
        household=household,
        first_name="Inès",
        last_name="Morel",
        disability_rate=80,
        has_rqth=True,
        has_disability_card=True,
        is_pregnant=True,
    )
    return reverse("households:detail", kwargs={"pk": household.pk})


def _page(persona_name: str, url: str) -> str:
    client = Client()
    client.force_login(make_persona(persona_name))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona_name", ["social", "responsable"])
def test_social_follow_sees_msa_number_disability_card_and_pregnancy(persona_name: str, household_url: str) -> None:
    page = _page(persona_name, household_url)
    assert MSA_LINE in page
    assert f"— {CARD}" in page
    assert f"— {PREGNANCY}" in page
    assert f"— {RATE}" in page and "— RQTH" in page


def test_front_desk_sees_none_of_them(household_url: str) -> None:
    page = _page("accueil", household_url)
    assert "Inès Morel" in page
    assert "MSA-0042" not in page
    assert "N° MSA" not in page
    assert CARD not in page
    assert PREGNANCY not in page
    assert "incapacité" not in page and "RQTH" not in page


def test_unknown_msa_number_and_no_card_nor_pregnancy(household_url: str) -> None:
    household = HouseholdFactory(msa_number="")
    PersonFactory(household=household, first_name="Paul", last_name="Morel")
    page = _page("social", reverse("households:detail", kwargs={"pk": household.pk}))
    assert "<dt>N° MSA</dt><dd>—</dd>" in page
    assert CARD not in page
    assert PREGNANCY not in page
