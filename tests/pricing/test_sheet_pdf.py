"""The « vos tarifs » PDF sheet: its text for a known family (read back with pypdf), and the
download's permissions and audit, the same as the household prices page."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from guichet.audit.models import AuditEntry
from guichet.households.models import Household
from guichet.pricing.selectors import household_prices
from guichet.pricing.services import SHEET_REASON
from guichet.pricing.sheet_pdf import for_household, tariff_sheet_pdf
from guichet.rules.money import format_euros
from guichet.rules.parameters import STALE, TO_VERIFY, ParameterWarning
from tests.conftest import make_persona
from tests.factories import AddressFactory, HouseholdFactory
from tests.pricing.factories import ON, known_family

pytestmark = pytest.mark.django_db

COMMUNE = "Saint-Étienne-du-Rouvray"


def pdf_text(pdf: bytes) -> str:
    """The sheet's text on one line: no-break spaces as spaces, every run of blanks (line breaks
    of wrapped table cells, justified spaces) as one space."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _client(persona: str) -> Client:
    client = Client()
    client.force_login(make_persona(persona))
    return client


# --- the sheet's text ---------------------------------------------------------------------------


def test_sheet_of_the_known_family() -> None:
    household = known_family()
    text = pdf_text(tariff_sheet_pdf(household_prices(household, ON), commune=COMMUNE))
    assert text.startswith(f"Centre communal d'action sociale de {COMMUNE} Vos tarifs des services municipaux")
    assert f"Ménage {household.reference} — prix au 15/11/2026" in text
    # the quotient, computed, with its source, date and explanation (figures of ``known_family``)
    assert "Votre quotient familial : 785,50 €" in text
    assert "Quotient calculé par le CCAS — source : calcul Guichet du 15/11/2026." in text
    assert "1. Revenus 2024 du foyer (avant abattements) : 36 000 € ÷ 12 = 3 000 € par mois" in text
    assert "2. Prestations familiales d'octobre 2026 : AF 141,99 €" in text
    assert "3. Parts : 2 (couple) + 0,5 (1er enfant) + 0,5 (2e enfant) + 1 (3e enfant) = 4" in text
    assert "4. Quotient familial : (3 000 € + 141,99 €) ÷ 4 = 785,50 €" in text
    # the CCAS's notes about its parameter files are not for the family
    assert "à vérifier" not in text
    # each service with its deliberation, then each member concerned: price and why
    canteen = text.index("Restauration scolaire (exemple) Grille en vigueur depuis le 01/09/2026")
    assert "délibération EXEMPLE-2026-042 du 25/06/2026." in text[canteen : canteen + 200]
    noe = text[text.index("Noé", canteen) : text.index("Sami", canteen)]  # "Noé <last name> …"
    assert noe.split(" ", 2)[2].startswith(
        "9 ans, 1er enfant 3,05 € par repas QF 785,50 € → tranche de 600 € à moins de 1 000 € : 3,05 € "
        "Prix : 3,05 € par repas Grille adoptée par la délibération EXEMPLE-2026-042 du 25/06/2026"
    )
    leisure = text.index("Centre de loisirs (exemple)")
    assert "7 ans, 3e enfant 6,36 € par journée QF 785,50 € × 0,9 % = 7,0695 € 3e enfant : −10 %" in text[leisure:]
    holidays = text.index("Séjours de vacances (exemple)")
    assert "7 ans, 3e enfant 13,82 € par journée" in text[holidays:]
    # services that concern nobody in the household are named, with the reason
    assert "Crèche municipale (exemple) : aucune personne du ménage concernée (âge)." in text
    assert "tarifs de démonstration" in text


def test_every_price_and_why_line_of_the_page_is_on_the_sheet() -> None:
    prices = household_prices(known_family(), ON)
    text = pdf_text(tariff_sheet_pdf(prices, commune=COMMUNE))
    lines = [(entry, line) for entry in prices.services for line in entry.lines]
    assert len(lines) == 13
    for entry, line in lines:
        section = text[text.index(entry.service.name) :]
        assert plain(f"{format_euros(line.amount, cents=True)} par {line.unit}") in section
        for step in line.explanation:
            assert plain(step) in section


def test_attested_quotient_says_its_source_and_keeps_the_computation_for_information() -> None:
    household = known_family(
        caf_quotient=Decimal("612.00"), caf_quotient_date=dt.date(2026, 9, 12), caf_quotient_source="attestation_caf"
    )
    prices = household_prices(household, ON)
    assert prices.quotient.is_attested
    text = pdf_text(tariff_sheet_pdf(prices, commune=COMMUNE))
    assert "Votre quotient familial : 612,00 €" in text
    assert "Quotient attesté — source : attestation CAF du 12/09/2026." in text
    assert "Pour information, le calcul du CCAS à partir de vos ressources :" in text
    assert "Quotient familial : (3 000 € + 141,99 €) ÷ 4 = 785,50 €" in text
    canteen = text.index("Restauration scolaire (exemple)")
    assert "QF 612 € → tranche de 600 € à moins de 1 000 € : 3,05 €" in text[canteen:]
    assert "0,73 € par heure QF 612 € × 0,12 % = 0,7344 €" in text[canteen:]


def test_non_resident_household_is_told_why_its_prices_differ() -> None:
    household = known_family(address=AddressFactory(postcode="76300", city="Sotteville-lès-Rouen"))
    text = pdf_text(tariff_sheet_pdf(household_prices(household, ON), commune=COMMUNE))
    assert "Adresse hors de la commune : les tarifs hors commune s'appliquent." in text
    music = text.index("École de musique (exemple)")
    assert "48,00 € par trimestre" in text[music:] and "Hors commune : +50 %" in text[music:]


def test_household_without_anyone_concerned() -> None:
    household = HouseholdFactory()
    text = pdf_text(tariff_sheet_pdf(household_prices(household, ON), commune=COMMUNE))
    assert "Aucun service municipal ne concerne les personnes du ménage à cette date." in text


def test_agent_notes_are_left_out_and_family_warnings_kept() -> None:
    warnings = (
        "Revenus 2024 inconnus : quotient provisoire.",
        ParameterWarning("Paramètre « psu_floor » valable jusqu'au 31/12/2025, utilisé faute de valeur…", STALE),
        ParameterWarning("Paramètres marqués « à vérifier » par la commune : CAF.", TO_VERIFY),
    )
    assert for_household(warnings) == ["Revenus 2024 inconnus : quotient provisoire."]


# --- the download -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("social", 200), ("responsable", 200), ("accueil", 403), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_sheet_download_access_is_the_pages(persona: str, status: int) -> None:
    household = known_family()
    client = _client(persona)
    assert client.get(reverse("pricing:household", args=[household.pk])).status_code == status
    response = client.get(reverse("pricing:household_sheet", args=[household.pk]))
    assert response.status_code == status
    exported = AuditEntry.objects.filter(action="export", target_type="household", target_id=str(household.pk))
    assert exported.exists() == (status == 200)


def test_anonymous_is_sent_to_login() -> None:
    household = known_family()
    response = Client().get(reverse("pricing:household_sheet", args=[household.pk]))
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


def test_download_is_a_pdf_attachment_with_todays_prices_and_is_audited() -> None:
    household = known_family()
    client = _client("social")
    response = client.get(reverse("pricing:household_sheet", args=[household.pk]))
    today = timezone.localdate()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="vos-tarifs-{household.reference}-{today:%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    prices = household_prices(household, today)
    assert plain(f"Votre quotient familial : {format_euros(prices.quotient.value, cents=True)}") in text
    assert f"prix au {today:%d/%m/%Y}" in text
    entry = AuditEntry.objects.get(action="export", target_type="household", target_id=str(household.pk))
    assert entry.reason == SHEET_REASON and "tarifs" in entry.fields
    assert not AuditEntry.objects.filter(action="read", reason="tarifs du ménage").exists()


def test_page_offers_the_download() -> None:
    household = known_family()
    html = _client("social").get(reverse("pricing:household", args=[household.pk])).content.decode()
    assert f'href="{reverse("pricing:household_sheet", args=[household.pk])}"' in html
    assert "Télécharger la fiche « vos tarifs » (PDF)" in html


def test_confidential_household_asks_to_break_the_glass_first() -> None:
    household: Household = HouseholdFactory(confidential=True)
    response = _client("social").get(reverse("pricing:household_sheet", args=[household.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])
    assert not AuditEntry.objects.filter(action="export", target_id=str(household.pk)).exists()


def test_missing_household_is_404() -> None:
    assert _client("social").get(reverse("pricing:household_sheet", args=[999999])).status_code == 404
