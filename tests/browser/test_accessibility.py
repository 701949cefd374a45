"""axe-core on every main page, for the role that uses it: no serious or critical violation.

Each page visited is also saved under var/screenshots/ to review the design.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from guichet.households.enums import ChargeKind
from guichet.households.models import Charge
from guichet.letters.models import LetterTemplate
from tests.agenda.factories import AppointmentFactory
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import SampleCommune, log_in, save_screenshot
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory, ReferralFactory, RequestFactory
from tests.letters.seeding import seed_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dupont_detail(commune: SampleCommune) -> str:
    return reverse("households:detail", kwargs={"pk": commune.dupont.pk})


def _dupont(name: str) -> Any:
    """The path of the Dupont household's page ``households:<name>``."""
    return lambda c: reverse(f"households:{name}", kwargs={"pk": c.dupont.pk})


def _dupont_person(name: str) -> Any:
    """The path of ``households:<name>`` for Éloïse Dupont."""
    return lambda c: reverse(
        f"households:{name}", kwargs={"pk": c.dupont.pk, "person_id": c.dupont.people.order_by("pk")[0].pk}
    )


def _dupont_charge(commune: SampleCommune) -> str:
    charge = Charge.objects.create(household=commune.dupont, kind=ChargeKind.RENT, amount=Decimal("512.30"))
    return reverse("households:charge_edit", kwargs={"pk": commune.dupont.pk, "charge_id": charge.pk})


# persona -> pages: (screenshot name, path builder)
PAGES: dict[str, list[tuple[str, Any]]] = {
    "accueil": [
        ("accueil-home", lambda c: reverse("core:home")),
        ("accueil-menages", lambda c: reverse("households:list")),
        ("accueil-recherche", lambda c: reverse("households:list") + "?q=dupond"),
        ("accueil-menage", _dupont_detail),
    ],
    "social": [
        ("social-home", lambda c: reverse("core:home")),
        ("social-menage", _dupont_detail),
        ("social-menage-modifier", _dupont("edit")),
        ("social-personne-ajouter", _dupont("person_add")),
        ("social-personne-modifier", _dupont_person("person_edit")),
        ("social-personne-retirer", _dupont_person("person_remove")),
        ("social-liens", _dupont("links")),
        ("social-ressources", _dupont("resources")),
        ("social-charge-modifier", _dupont_charge),
        ("social-consentements", _dupont("consents")),
    ],
    "responsable": [
        ("responsable-home", lambda c: reverse("core:home")),
        ("responsable-lieux", lambda c: reverse("agenda:places")),
        ("responsable-lieu-nouveau", lambda c: reverse("agenda:place_new")),
        ("responsable-creneaux", lambda c: reverse("agenda:availabilities")),
        ("responsable-creneau-nouveau", lambda c: reverse("agenda:availability_new")),
        ("responsable-agenda-absences", lambda c: reverse("agenda:stats")),
        ("responsable-audit", lambda c: reverse("audit:search")),
        ("responsable-quartiers", lambda c: reverse("territory:quartiers")),
        ("responsable-fusion-menages", _dupont("merge")),
        ("responsable-partenaire-nouveau", lambda c: reverse("desk:partner_new")),
        ("responsable-partenaire-modifier", lambda c: reverse("desk:partner_edit", args=[PartnerFactory().pk])),
        (
            "responsable-fusion-personnes",
            lambda c: (
                reverse("households:person_merge", kwargs={"pk": c.dupont.pk})
                + "?garder={}&retirer={}".format(*c.dupont.people.order_by("pk").values_list("pk", flat=True))
            ),
        ),
    ],
    "direction": [
        ("direction-home", lambda c: reverse("core:home")),
        ("direction-quartiers", lambda c: reverse("territory:quartiers")),
    ],
    "admin": [
        ("admin-home", lambda c: reverse("core:home")),
        ("admin-utilisateurs", lambda c: reverse("accounts:users")),
        ("admin-audit", lambda c: reverse("audit:search")),
    ],
}


def _check(page: Page, url: str, name: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} -> {response.status if response else None}"
    return _check_current(page, name)


def _check_current(page: Page, name: str) -> list[str]:
    """The page as it is now (after a click, an htmx swap...)."""
    url = page.url
    save_screenshot(page, name)
    failures = []
    headings = page.locator("main h1").count()
    if headings != 1:
        failures.append(f"{name} ({url}): {headings} <h1> in <main>, expected exactly one")
    violations = axe_violations(page)
    if violations:
        failures.append(f"{name} ({url}):\n{describe(violations)}")
    return failures


def test_login_page_has_no_serious_violation(page: Page, live_server: Any) -> None:
    failures = _check(page, live_server.url + reverse("accounts:login"), "login")
    assert failures == [], "\n".join(failures)


def test_public_request_pages_have_no_serious_violation(page: Page, live_server: Any) -> None:
    """« Faire une demande en ligne », without login: the form, the form with errors, the confirmation."""
    failures = _check(page, live_server.url + reverse("desk:public_request"), "public-demande-bureau")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.locator(".form-errors").wait_for()
    failures += _check_current(page, "public-demande-bureau-erreurs")
    page.get_by_label("Votre prénom").fill("Jeanne")
    page.get_by_label("Votre nom").fill("Martin")
    page.get_by_label("Courriel").fill("jeanne@example.org")
    page.get_by_label("Votre demande concerne").select_option("aide_alimentaire")
    page.get_by_label("Votre message").fill("Je n'ai plus de quoi faire les courses cette semaine.")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url("**" + reverse("desk:public_request_done"))
    failures += _check_current(page, "public-demande-bureau-merci")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("persona_name", list(PAGES))
def test_main_pages_have_no_serious_violation(
    persona_name: str, page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    user = make_persona(persona_name)
    if persona_name == "social":  # so that their home page lists a household they follow
        for household in sample_commune.households[:2]:
            household.referents.add(user)
    log_in(page, live_server.url, user)
    failures = []
    for name, path in PAGES[persona_name]:
        failures += _check(page, live_server.url + path(sample_commune), name)
    assert failures == [], "\n".join(failures)


def test_household_forms_after_a_submit_have_no_serious_violation(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    """States of the household writing pages reached by a submit: a person form with its errors, the
    two files side by side before a merge."""
    log_in(page, live_server.url, make_persona("responsable"))
    failures = []
    page.goto(live_server.url + reverse("households:person_add", kwargs={"pk": sample_commune.dupont.pk}))
    page.evaluate("() => { document.querySelector('main form.stack').noValidate = true; }")  # the server's errors
    page.get_by_role("button", name="Ajouter la personne").click()
    page.locator(".form-errors").wait_for()
    failures += _check_current(page, "responsable-personne-ajouter-erreurs")
    page.goto(live_server.url + reverse("households:merge", kwargs={"pk": sample_commune.dupont.pk}))
    page.get_by_label("Référence du dossier à fusionner dans celui-ci").fill(sample_commune.households[1].reference)
    page.get_by_role("button", name="Comparer les deux dossiers").click()
    page.get_by_role("button", name="Confirmer la fusion").wait_for()
    failures += _check_current(page, "responsable-fusion-menages-comparaison")
    assert failures == [], "\n".join(failures)


def _agenda_and_letters_data(commune: SampleCommune, social: Any) -> dict[str, int]:
    seed_reference_data()
    demand = RequestFactory(household=commune.dupont, assigned_to=social, summary="Facture d’énergie")
    ReferralFactory(request=demand, partner=PartnerFactory(organisation="Épicerie sociale de démonstration"))
    today = timezone.localdate()
    starts_at = timezone.make_aware(dt.datetime.combine(today, dt.time(14, 30)))
    appointment = AppointmentFactory(
        agent=social, household=commune.dupont, request=demand, starts_at=starts_at, reason="Point sur la facture"
    )
    return {"household": commune.dupont.pk, "demand": demand.pk, "appointment": appointment.pk}


def test_agenda_letters_and_request_edit_pages_have_no_serious_violation(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    """Every page of the agenda and the letters, in each state a person meets (filled week, form with a
    preview, form with an error, iCalendar address), and the correction of a request."""
    social = make_persona("social")
    ids = _agenda_and_letters_data(sample_commune, social)
    log_in(page, live_server.url, social)
    letter_url = reverse("letters:new", args=[ids["household"]])
    pages = [
        ("social-agenda", reverse("agenda:mine")),
        ("social-agenda-semaine-suivante", reverse("agenda:mine") + "?semaine=2031-01-06"),
        ("social-rdv-nouveau", reverse("agenda:new") + f"?menage={ids['household']}&demande={ids['demand']}"),
        ("social-rdv", reverse("agenda:detail", args=[ids["appointment"]])),
        ("social-courrier-nouveau", letter_url + f"?type=convocation&rendez_vous={ids['appointment']}"),
        ("social-demande-modifier", reverse("desk:edit", args=[ids["demand"]])),
    ]
    failures = []
    for name, path in pages:
        failures += _check(page, live_server.url + path, name)
    # States reached by a click: a letter preview, a form error, the correction fragment, the feed address.
    page.goto(live_server.url + letter_url + f"?type=convocation&rendez_vous={ids['appointment']}")
    page.get_by_role("button", name="Aperçu").click()
    page.locator("#titre-apercu").wait_for()
    failures += _check_current(page, "social-courrier-apercu")
    page.get_by_role("combobox", name="Type de courrier").select_option("reponse")
    page.get_by_role("combobox", name="Demande concernée").select_option("")
    page.get_by_role("button", name="Générer le PDF").click()
    page.locator(".form-errors").wait_for()
    failures += _check_current(page, "social-courrier-erreur")
    page.goto(live_server.url + reverse("desk:detail", args=[ids["demand"]]))
    page.locator("#demande").get_by_role("link", name="Modifier").click()
    page.locator("#demande").get_by_role("heading", name="Modifier la demande").wait_for()
    failures += _check_current(page, "social-demande-modifier-htmx")
    page.goto(live_server.url + reverse("agenda:mine"))
    page.get_by_role("button", name="Créer une nouvelle adresse d'agenda").click()
    page.wait_for_url("**" + reverse("agenda:calendar_token"))
    failures += _check_current(page, "social-agenda-flux")
    assert failures == [], "\n".join(failures)


def test_letter_templates_pages_have_no_serious_violation(page: Page, live_server: Any) -> None:
    seed_reference_data()
    template = LetterTemplate.objects.get(kind="convocation")
    log_in(page, live_server.url, make_persona("responsable"))
    failures = _check(page, live_server.url + reverse("letters:templates"), "responsable-modeles-courrier")
    edit_url = live_server.url + reverse("letters:template_edit", args=[template.pk])
    failures += _check(page, edit_url, "responsable-modele-courrier")
    page.get_by_role("button", name="Aperçu").click()
    page.locator("#titre-apercu").wait_for()
    failures += _check_current(page, "responsable-modele-courrier-apercu")
    page.get_by_role("textbox", name="Texte").fill("{% if civilite %} sans fin")
    page.get_by_role("button", name="Enregistrer").click()
    page.locator(".form-errors").wait_for()
    failures += _check_current(page, "responsable-modele-courrier-erreur")
    assert failures == [], "\n".join(failures)


def test_home_on_a_phone_has_no_serious_violation(
    phone_page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    log_in(phone_page, live_server.url, make_persona("accueil"))
    failures = _check(phone_page, live_server.url + reverse("core:home"), "phone-accueil-home")
    assert failures == [], "\n".join(failures)
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"


@pytest.mark.urls("tests.browser.gallery_urls")
def test_shared_components_have_no_serious_violation(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    failures = _check(page, live_server.url + "/test-composants/", "composants")
    assert failures == [], "\n".join(failures)


def test_axe_does_report_serious_violations(page: Page, live_server: Any) -> None:
    """The check above can fail: a page with unlabelled controls and low contrast is caught."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.evaluate(
        """() => {
            const main = document.getElementById('contenu');
            const input = document.createElement('input');
            main.appendChild(input);
            const faint = document.createElement('p');
            faint.textContent = 'Texte peu lisible';
            faint.className = 'test-faint';
            main.appendChild(faint);
            faint.animate([{color: '#bbbbbb'}, {color: '#bbbbbb'}], {duration: 100000, fill: 'forwards'});
        }"""
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert "label" in ids
    assert "color-contrast" in ids


def test_print_hides_the_menu_and_keeps_the_content(
    page: Page, live_server: Any, sample_commune: SampleCommune
) -> None:
    log_in(page, live_server.url, make_persona("social"))
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('.main-nav, .skip-link, .site-footer, .account')]
                 .every(el => getComputedStyle(el).display === 'none')"""
    )
    assert hidden
    assert page.locator("main h1").is_visible()
    assert page.locator(".banner-synthetic").is_visible(), "printed fictitious data must still say so"
