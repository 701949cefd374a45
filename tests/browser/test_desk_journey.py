"""The whole desk journey of the issue, in one browser session and through the screens only.

`accueil` looks a person up and finds she is not known yet, creates the household with the keyboard,
registers her request (keyboard too), corrects its urgency and hands it to `social`. `social` finds it in
« Mes demandes », refers it to a partner, books an appointment, writes the convocation, downloads the PDF
and reads it: the person's name, the date and place of the appointment and the partner are in its text.
axe-core runs on every page visited (no serious or critical violation) and each one has a single <h1>.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from guichet.accounts.enums import Role
from guichet.agenda.models import Appointment
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import RequestStatus, Theme, Urgency
from guichet.desk.models import Referral, Request
from guichet.households.models import Household
from guichet.letters.models import Letter
from tests.browser.axe import page_problems
from tests.browser.conftest import PERSONA_PASSWORD, log_in
from tests.desk.factories import PartnerFactory
from tests.factories import UserFactory
from tests.letters.seeding import seed_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DETAIL_URL = re.compile(r"/menages/\d+/$")
REQUEST_URL = re.compile(r"/guichet/demandes/\d+/$")
APPOINTMENT_URL = re.compile(r"/agenda/\d+/$")
# Written out here rather than imported: the test must not share the code that formats the letter.
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


class Visit:
    """Runs axe and counts the <h1> on every page of the journey; failures are reported all together."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.failures: list[str] = []
        self.seen: list[str] = []

    def check(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.seen.append(name)
        problems = page_problems(self.page, f"parcours-guichet-{len(self.seen):02d}-{name}")
        self.failures += [f"{problem} ({self.page.url})" for problem in problems]


def _expect_focus(page: Page, name: str) -> None:
    """The field ``name`` has the keyboard focus (waited for: htmx focuses ``autofocus`` after its swap)."""
    expect(page.locator(f"main [name='{name}']")).to_be_focused()


def _next_weekday(start: dt.date, weekday: int) -> dt.date:
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7 or 7)


def test_the_whole_desk_journey(page: Page, live_server: Any) -> None:
    seed_reference_data()
    accueil = UserFactory(username="accueil", first_name="Camille", last_name="Morel", roles=[Role.ACCUEIL])
    social = UserFactory(username="social", first_name="Sophie", last_name="Lambert", roles=[Role.TRAVAILLEUR_SOCIAL])
    partner = PartnerFactory(
        organisation="Les Restos du Cœur (démonstration)",
        service="Antenne de Saint-Étienne-du-Rouvray",
        themes=[Theme.FOOD_AID.value],
        is_demo=True,
    )
    visit = Visit(page)
    base = live_server.url

    # --- accueil: the person is not known yet ----------------------------------------------------------------
    log_in(page, base, accueil, PERSONA_PASSWORD)
    visit.check("accueil-accueil")
    page.get_by_role("searchbox", name="Nom ou prénom d’une personne du ménage").fill("Léonie Marchand")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(re.escape(reverse("households:list")) + r"\?q="))
    expect(page.locator("main")).to_contain_text("Aucun ménage ne correspond.")
    visit.check("recherche-sans-resultat")

    # --- accueil: the household, with the keyboard alone -------------------------------------------------------
    page.get_by_role("link", name="Nouveau ménage").click()
    page.wait_for_url("**" + reverse("households:create"))
    visit.check("nouveau-menage")
    _expect_focus(page, "demandeur-first_name")
    page.keyboard.type("Léonie")
    page.keyboard.press("Tab")
    page.keyboard.type("Marchand")
    page.keyboard.press("Tab")  # birth name
    page.keyboard.press("Tab")
    _expect_focus(page, "demandeur-birth_date")
    page.keyboard.type("14/09/1979")
    page.keyboard.press("Tab")
    page.keyboard.press("F")
    page.keyboard.press("Tab")  # occupation
    page.keyboard.press("Tab")
    _expect_focus(page, "demandeur-phone")
    page.keyboard.type("0611223344")
    page.keyboard.press("Enter")
    page.wait_for_url(DETAIL_URL)
    household = Household.objects.get()
    person = household.people.get()
    assert (person.first_name, person.last_name, str(person.birth_date)) == ("Léonie", "Marchand", "1979-09-14")
    expect(page.locator("main h1")).to_have_text(f"Ménage {household.reference}")
    visit.check("menage")

    # --- accueil: the request, with the keyboard alone ---------------------------------------------------------
    page.get_by_role("link", name="Nouvelle demande").click()
    page.wait_for_url(re.compile(r"/guichet/demandes/nouvelle/\?menage=\d+"))
    visit.check("nouvelle-demande")
    _expect_focus(page, "theme")
    page.keyboard.type("Aide al")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    _expect_focus(page, "summary")
    page.keyboard.type("Colis alimentaire en attendant le versement du RSA")
    page.keyboard.press("Enter")
    page.wait_for_url(REQUEST_URL)
    demand = Request.objects.get()
    assert (demand.theme, demand.household_id, demand.urgency) == (Theme.FOOD_AID, household.pk, Urgency.NORMAL)
    visit.check("demande")

    # --- accueil: a correction (the urgency was wrong), keyboard again, then the hand-over to social ---------
    panel = page.locator("#demande")
    panel.get_by_role("link", name="Modifier").click()
    panel.get_by_role("heading", name="Modifier la demande").wait_for()
    _expect_focus(page, "theme")
    visit.check("demande-modifier")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    _expect_focus(page, "urgency")
    page.keyboard.press("P")  # « Prioritaire »
    page.keyboard.press("Tab")
    _expect_focus(page, "summary")
    page.keyboard.press("Enter")
    expect(panel).to_contain_text("Urgence : Normale → Urgence : Prioritaire")
    assert Request.objects.get().urgency == Urgency.PRIORITY
    panel.get_by_label("Agent chargé").select_option(label="Sophie Lambert")
    panel.get_by_role("button", name="Attribuer").click()
    expect(panel.locator("table")).to_contain_text(re.compile(r"Attribution\s*Sophie Lambert"))
    assert Request.objects.get().assigned_to == social
    visit.check("demande-attribuee")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**" + reverse("accounts:login") + "**")
    visit.check("deconnexion")

    # --- social: « Mes demandes », referral to the partner ---------------------------------------------------
    log_in(page, base, social, PERSONA_PASSWORD)
    visit.check("social-accueil")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Demandes").click()
    page.wait_for_url("**" + reverse("desk:queue"))
    expect(page.locator("main caption")).to_contain_text("Mes demandes")
    visit.check("mes-demandes")
    page.locator("main").get_by_role("link", name=f"n° {demand.pk}", exact=True).click()
    page.wait_for_url(REQUEST_URL)
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    page.wait_for_url("**" + reverse("desk:referral_new", args=[demand.pk]))
    visit.check("orienter")
    page.get_by_label("Partenaire ou service").select_option(label=str(partner))
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    page.wait_for_url(REQUEST_URL)
    expect(page.locator("main")).to_contain_text(f"Demande orientée vers {partner}")
    referral = Referral.objects.get()
    assert (referral.partner, Request.objects.get().status) == (partner, RequestStatus.REFERRED)
    visit.check("demande-orientee")

    # --- social: the appointment -------------------------------------------------------------------------------
    day = _next_weekday(timezone.localdate(), 1)  # next Tuesday
    page.get_by_role("link", name="Fixer un rendez-vous").first.click()
    page.wait_for_url(re.compile(r"/agenda/nouveau/\?menage=\d+&demande=\d+"))
    visit.check("nouveau-rendez-vous")
    page.get_by_role("textbox", name=re.compile(r"^Jour")).fill(day.isoformat())
    page.get_by_label("Heure de début").fill("14:30")
    page.get_by_label("Lieu").select_option(label="Maison du citoyen")
    page.get_by_label("Motif").fill("Point sur l'aide alimentaire")
    page.get_by_role("button", name="Fixer le rendez-vous").click()
    page.wait_for_url(APPOINTMENT_URL)
    appointment = Appointment.objects.get()
    assert (appointment.request_id, appointment.agent) == (demand.pk, social)
    assert timezone.localtime(appointment.starts_at).time() == dt.time(14, 30)
    visit.check("rendez-vous")
    page.get_by_role("link", name=f"n° {demand.pk}").click()
    page.wait_for_url(REQUEST_URL)
    visit.check("demande-avec-rendez-vous")

    # --- social: the convocation, as a PDF ---------------------------------------------------------------------
    page.get_by_role("link", name=re.compile("Rédiger la convocation")).click()
    page.wait_for_url(re.compile(r"/courriers/menages/\d+/nouveau/\?type=convocation"))
    expect(page.get_by_label("Rendez-vous concerné")).to_have_value(str(appointment.pk))
    page.get_by_role("button", name="Aperçu").click()
    page.locator("#titre-apercu").wait_for()
    visit.check("courrier-apercu")
    page.get_by_role("button", name="Générer le PDF").click()
    page.wait_for_url(DETAIL_URL)
    expect(page.locator("main")).to_contain_text("Le courrier a été généré")
    visit.check("menage-avec-courrier")
    letter = Letter.objects.get()
    with page.expect_download() as download_info:
        page.locator(f'main a[href="{reverse("letters:download", args=[letter.pk])}"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = download.path()
    assert path is not None
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(page_.extract_text() for page_ in reader.pages).split())

    expected_date = f"{WEEKDAYS[day.weekday()]} {'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"
    assert "Madame," in text
    assert "Léonie Marchand" in text and household.reference in text
    assert f"le {expected_date} à 14 h 30" in text, text
    assert "Maison du citoyen" in text
    assert "Les Restos du Cœur (démonstration)" in text
    assert "Colis alimentaire en attendant le versement du RSA" in text
    assert AuditEntry.objects.filter(actor=social, action=Action.READ, target_type="letter").exists()

    assert len(visit.seen) == 18  # every page of the journey went through axe
    assert visit.failures == [], "\n".join(visit.failures)
