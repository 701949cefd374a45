import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.pricing.selectors import household_prices
from tests.conftest import make_persona
from tests.factories import AddressFactory, HouseholdFactory
from tests.pricing.factories import ON, known_family

pytestmark = pytest.mark.django_db


def _client(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [("accueil", 200), ("direction", 200), ("responsable", 200), ("admin", 200), ("outsider", 403)],
)
def test_catalogue_access(persona: str, status: int) -> None:
    response = _client(persona).get(reverse("pricing:catalogue"))
    assert response.status_code == status
    if status == 200:
        assert "Restauration scolaire (exemple)" in response.content.decode()


def test_service_page_shows_chart_table_and_history() -> None:
    response = _client("direction").get(reverse("pricing:service", args=["restauration-scolaire"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html and re.search(r'<path d="M64\.0 ', html)
    assert "3,05 €" in html and "3,15 €" in html  # table beside the chart
    assert "passée" in html and "en vigueur" in html
    assert "exemple" in html
    assert "Nouvelle grille" not in html  # direction cannot edit


def test_unknown_service_is_404() -> None:
    assert _client("accueil").get(reverse("pricing:service", args=["inconnu"])).status_code == 404


@pytest.mark.parametrize("slug", ["creche", "teleassistance", "accueil-periscolaire", "portage-de-repas"])
def test_every_rule_type_previews(slug: str) -> None:
    response = _client("responsable").get(reverse("pricing:service", args=[slug]))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()


# --- household prices -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("social", 200), ("responsable", 200), ("accueil", 403), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_household_prices_access(persona: str, status: int) -> None:
    household = known_family()
    response = _client(persona).get(reverse("pricing:household", args=[household.pk]))
    assert response.status_code == status


def test_household_prices_page_explains_and_is_audited() -> None:
    household = known_family()
    client = _client("social")
    response = client.get(reverse("pricing:household", args=[household.pk]))
    html = response.content.decode()
    assert "Pourquoi ce prix" in html and "<details>" in html
    assert "Quotient familial" in html
    assert AuditEntry.objects.filter(
        action="read", target_type="household", target_id=str(household.pk), reason="tarifs du ménage"
    ).exists()


def test_confidential_household_asks_to_break_the_glass() -> None:
    household = HouseholdFactory(confidential=True)
    response = _client("social").get(reverse("pricing:household", args=[household.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])


def test_missing_household_is_404() -> None:
    assert _client("social").get(reverse("pricing:household", args=[999999])).status_code == 404


def test_catalogue_menu_entry() -> None:
    html = _client("direction").get(reverse("core:home")).content.decode()
    assert reverse("pricing:catalogue") in html


def test_household_prices_exact() -> None:
    prices = household_prices(known_family(), ON)
    assert prices.quotient.value == Decimal("785.50") and prices.is_resident
    found = {
        (entry.service.slug, line.name.split()[0]): (line.child_rank, line.amount)
        for entry in prices.services
        for line in entry.lines
    }
    assert found == {
        ("restauration-scolaire", "Noé"): (1, Decimal("3.05")),
        ("restauration-scolaire", "Sami"): (2, Decimal("3.05")),
        ("accueil-periscolaire", "Noé"): (1, Decimal("0.94")),
        ("accueil-periscolaire", "Sami"): (2, Decimal("0.94")),
        ("centre-de-loisirs", "Lina"): (1, Decimal("7.07")),
        ("centre-de-loisirs", "Noé"): (2, Decimal("6.36")),
        ("centre-de-loisirs", "Sami"): (3, Decimal("6.36")),
        ("ecole-de-musique", "Lina"): (1, Decimal("32.00")),
        ("ecole-de-musique", "Noé"): (2, Decimal("32.00")),
        ("ecole-de-musique", "Sami"): (3, Decimal("32.00")),
        ("sejours-vacances", "Lina"): (1, Decimal("17.28")),
        ("sejours-vacances", "Noé"): (2, Decimal("17.28")),
        ("sejours-vacances", "Sami"): (3, Decimal("13.82")),
    }
    canteen = next(e for e in prices.services if e.service.slug == "restauration-scolaire")
    assert "QF 785,50 € → tranche de 600 € à moins de 1 000 € : 3,05 €" in [
        line.replace("\u00a0", " ") for line in canteen.lines[0].explanation
    ]


def test_non_resident_pays_the_surcharge() -> None:
    household = known_family(address=AddressFactory(postcode="76300", city="Sotteville-lès-Rouen"))
    prices = household_prices(household, ON)
    music = next(e for e in prices.services if e.service.slug == "ecole-de-musique")
    assert not prices.is_resident
    assert music.lines[0].amount == Decimal("48.00")
    assert "Hors commune : +50 %" in music.lines[0].explanation
