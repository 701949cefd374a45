import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.households.models import Household, Person
from guichet.pricing.models import TariffGrid

pytestmark = pytest.mark.django_db
URL = reverse("pricing:public_calculator")


def _rows() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (AuditEntry, Household, Person, TariffGrid))


def test_page_is_public_and_mobile_friendly(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Vos ressources</legend>" in html
    assert 'inputmode="decimal"' in html
    assert "Votre quotient familial" not in html


def test_attested_quotient_gives_the_canteen_prices_by_rank(client: Client) -> None:
    before = _rows()
    response = client.get(URL, {"situation": "couple", "children_ages": "4, 7, 9", "caf_quotient": "700"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre quotient familial : 700,00 €" in html
    canteen = html.split("Restauration scolaire", 1)[1]
    assert "1er enfant" in canteen and "3e enfant" in canteen
    amounts = re.findall(r"<td class=\"number nowrap\">([\d,]+) €", canteen)
    assert amounts[:3] == ["3,05", "3,05", "1,53"]
    assert _rows() == before  # nothing stored, not even an audit entry


def test_computed_quotient_with_its_explanation(client: Client) -> None:
    response = client.get(
        URL, {"situation": "seul", "children_ages": "7", "annual_income": "24000", "family_benefits": "0"}
    )
    html = response.content.decode()
    assert "÷ 12 = 2 000 €" in html.replace("\u202f", " ").replace("\xa0", " ")
    quotient = response.context["quotient"]
    assert quotient.value == Decimal(2000) / quotient.parts
    assert "Pourquoi ce prix" in html


@pytest.mark.parametrize("income", ["24 000", "24\u00a0000,00", "24 000 €"])
def test_incomes_written_the_french_way_are_read(client: Client, income: str) -> None:
    typed = client.get(URL, {"situation": "seul", "children_ages": "7", "annual_income": income})
    plain = client.get(URL, {"situation": "seul", "children_ages": "7", "annual_income": "24000"})
    assert typed.context["form"].errors == {}
    assert typed.context["quotient"].value == plain.context["quotient"].value


def test_bad_ages_rerender_with_values(client: Client) -> None:
    response = client.get(URL, {"situation": "seul", "children_ages": "3, douze", "annual_income": "1000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "« douze » n'est pas un âge valide" in unescape(html)
    assert 'value="3, douze"' in html
    assert "Votre quotient familial" not in html
