"""Referral letters: each category the household agreed to share brings its values, nothing else is told."""

from __future__ import annotations

import io

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from pypdf import PdfReader

from guichet.desk.enums import SharedData
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter, LetterTemplate
from guichet.letters.services import letter_generate
from guichet.rules.quotient import month_label
from tests.desk.factories import ReferralFactory
from tests.letters.conftest import File, months_ago

pytestmark = pytest.mark.django_db

MIGRATION = "guichet.letters.migrations.0004_referral_letter_with_shared_information"


def _migration():  # the module name starts with a digit: no plain import
    return __import__(MIGRATION, fromlist=["forward"])


def _text(pdf: bytes) -> str:
    """The PDF's text, spaces normalised (non-breaking spaces of amounts, line wraps)."""
    reader = PdfReader(io.BytesIO(pdf))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(raw.replace("\u00a0", " ").replace("\u202f", " ").split())


def _letter(user, file: File, *shared: SharedData, **partner) -> Letter:
    referral = ReferralFactory(request=file.demand, shared_data=[s.value for s in shared], **partner)
    return letter_generate(user=user, household_id=file.household.pk, kind=LetterKind.REFERRAL, referral_id=referral.pk)


def test_default_referral_template_is_the_new_one():
    body = LetterTemplate.objects.get(kind=LetterKind.REFERRAL).body
    assert body == _migration().NEW_BODY
    assert "{{ informations_partagees }}" in body


def test_resources_only_gives_last_month_figures_and_no_address_nor_request(social, file):
    text = _text(bytes(_letter(social, file, SharedData.RESOURCES).pdf))
    assert f"Ressources et prestations ({month_label(months_ago(1))})" in text
    assert "– Salaire : 1 234 €" in text
    assert "– Aide au logement (APL, ALS, ALF) : 250,50 €" in text
    assert "– Allocations familiales : 70 €" in text
    assert "– Total : 1 554,50 €" in text
    assert "987" not in text  # an older month
    for absent in ("Coquelicots", "Dette de loyer", "Impayés", "Hélène", "Lefèvre", "02 35 00 11 22", "Habitat 76"):
        assert absent not in text
    assert "un ménage suivi par notre service" in text
    assert "Aucune autre information ne vous est communiquée." in text


def test_identity_gives_name_birth_date_and_address_only(social, file):
    text = _text(bytes(_letter(social, file, SharedData.IDENTITY).pdf))
    assert "Nous vous adressons Hélène Lefèvre, suivi(e) par notre service" in text
    assert "– Nom : Hélène Lefèvre" in text
    assert "– Date de naissance : 03/04/1980" in text
    assert "– Adresse : 12 rue des Coquelicots, 76800 Saint-Étienne-du-Rouvray" in text
    for absent in ("Salaire", "Dette de loyer", "02 35 00 11 22", "Noé", "RQTH", "Habitat 76"):
        assert absent not in text


def test_contact_gives_address_phone_and_email_but_no_name(social, file):
    text = _text(bytes(_letter(social, file, SharedData.CONTACT).pdf))
    assert "– Adresse : 12 rue des Coquelicots" in text
    assert "– Téléphone : 02 35 00 11 22" in text
    assert "– Courriel : famille.lefevre@example.org" in text
    assert "Lefèvre" not in text.replace("famille.lefevre", "")


def test_identity_and_contact_give_the_address_once(social, file):
    letter = _letter(social, file, SharedData.IDENTITY, SharedData.CONTACT)
    assert letter.text.count("rue des Coquelicots") == 1


def test_request_gives_theme_and_summary(social, file):
    text = _text(bytes(_letter(social, file, SharedData.REQUEST).pdf))
    assert "– Thème : Impayés de loyer, prévention des expulsions" in text
    assert "– Objet : Dette de loyer de trois mois" in text
    assert "Coquelicots" not in text and "Hélène" not in text


def test_composition_without_identity_names_nobody(social, file):
    letter = _letter(social, file, SharedData.COMPOSITION)
    assert "– 2 personnes au foyer" in letter.text
    assert "– Enfant, homme, 7 ans" in letter.text
    assert "– Demandeur, femme," in letter.text
    assert "Noé" not in letter.text and "Hélène" not in letter.text


def test_composition_with_identity_names_the_members(social, file):
    letter = _letter(social, file, SharedData.IDENTITY, SharedData.COMPOSITION)
    assert "– Noé Lefèvre (enfant), homme, 7 ans" in letter.text


def test_housing_gives_status_landlord_and_rent(social, file):
    text = _text(bytes(_letter(social, file, SharedData.HOUSING).pdf))
    assert "– Statut : Locataire d'un bailleur social" in text
    assert "– Bailleur : Habitat 76" in text
    assert "– Loyer mensuel : 512,40 €" in text
    assert "Salaire" not in text and "Coquelicots" not in text


def test_health_gives_disability_facts(social, file):
    letter = _letter(social, file, SharedData.HEALTH)
    assert "taux d'incapacité 50 %, reconnaissance de la qualité de travailleur handicapé (RQTH)" in letter.text
    assert "Enfant" not in letter.text  # nothing recorded for the child
    assert "Hélène" not in letter.text


def test_sections_follow_the_order_of_the_categories(social, file):
    letter = _letter(social, file, SharedData.HOUSING, SharedData.IDENTITY, SharedData.RESOURCES)
    sections = [letter.text.index(f"\n{title}") for title in ("Identité\n", "Ressources et", "Logement (statut")]
    assert sections == sorted(sections)
    assert "(Identité, Ressources et prestations, Logement (statut, loyer, bailleur))" in letter.text


def test_an_edited_template_asking_for_more_gets_nothing_not_agreed(social, file):
    LetterTemplate.objects.filter(kind=LetterKind.REFERRAL).update(
        body="[{{ demandeur }}][{{ adresse }}][{{ demande_objet }}][{{ civilite }}]\n{{ informations_partagees }}"
    )
    letter = _letter(social, file, SharedData.RESOURCES)
    assert letter.text.startswith("[][][][Madame, Monsieur]\nRessources et prestations")


def test_convocation_still_speaks_to_the_household(accueil, file):
    ReferralFactory(request=file.demand, shared_data=[SharedData.RESOURCES.value])
    letter = letter_generate(
        user=accueil, household_id=file.household.pk, kind=LetterKind.CONVOCATION, request_id=file.demand.pk
    )
    assert "Hélène Lefèvre" in letter.text and "rue des Coquelicots" in letter.text
    assert "Dette de loyer de trois mois" in letter.text


def test_migration_updates_only_an_unedited_referral_template():
    migration = _migration()
    template = LetterTemplate.objects.get(kind=LetterKind.REFERRAL)
    template.body = migration.OLD_BODY
    template.save()
    migration.forward(django_apps, None)
    template.refresh_from_db()
    assert template.body == migration.NEW_BODY
    migration.backward(django_apps, None)
    template.refresh_from_db()
    assert template.body == migration.OLD_BODY
    template.body = "Texte du CCAS : {{ partenaire }}"
    template.save()
    migration.forward(django_apps, None)
    template.refresh_from_db()
    assert template.body == "Texte du CCAS : {{ partenaire }}"


def test_template_edit_page_documents_the_new_variable(client, responsable):
    template = LetterTemplate.objects.get(kind=LetterKind.REFERRAL)
    client.force_login(responsable)
    page = client.get(reverse("letters:template_edit", args=[template.pk])).content.decode()
    assert "<code>informations_partagees</code>" in page
    preview = client.post(
        reverse("letters:template_edit", args=[template.pk]),
        {"title": template.title, "body": template.body, "is_active": "on", "apercu": "1"},
    )
    assert "[Orientation : les informations que le ménage a accepté de partager" in preview.content.decode()


def test_referral_page_links_to_the_letter_with_the_referral_preselected(client, social, file):
    referral = ReferralFactory(request=file.demand, shared_data=[SharedData.RESOURCES.value])
    client.force_login(social)
    page = client.get(reverse("desk:referral", args=[referral.pk])).content.decode()
    url = reverse("letters:new", args=[file.household.pk])
    assert f'href="{url}?type=orientation&amp;orientation={referral.pk}"' in page
    assert "Rédiger le courrier d&#x27;orientation" in page or "Rédiger le courrier d'orientation" in page
    form = client.get(url, {"type": "orientation", "orientation": referral.pk}).content.decode()
    assert f'<option value="{referral.pk}" selected>' in form
