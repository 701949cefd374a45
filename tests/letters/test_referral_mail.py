"""Sending a referral to its partner by e-mail: the letter attached, a body limited to what was agreed,
refusals, history and audit."""

from __future__ import annotations

import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from pypdf import PdfReader

from guichet.audit.models import AuditEntry
from guichet.desk.enums import SharedData
from guichet.desk.models import RequestEvent
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter
from tests.desk.factories import ReferralFactory
from tests.factories import HouseholdFactory
from tests.letters.conftest import File

pytestmark = pytest.mark.django_db


def _referral(file: File, email: str = "orientation@caf-test.example", *shared: SharedData):
    return ReferralFactory(
        request=file.demand,
        shared_data=[s.value for s in shared or (SharedData.RESOURCES,)],
        partner__organisation="CAF de Seine-Maritime",
        partner__email=email,
    )


def _send(client, referral, **kwargs):
    return client.post(reverse("letters:referral_email", args=[referral.pk]), **kwargs)


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ").split())


def test_social_sends_the_letter_to_the_partner(client, social, file):
    referral = _referral(file)
    client.force_login(social)
    response = _send(client, referral, follow=True)
    assert response.redirect_chain[-1][0] == reverse("desk:referral", args=[referral.pk])
    assert "envoyé par courriel à orientation@caf-test.example" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["orientation@caf-test.example"]
    assert (
        message.subject
        == f"Orientation d'un ménage par le CCAS de Saint-Étienne-du-Rouvray (dossier n° {file.household.reference})"
    )
    assert "Le ménage a accepté que nous vous communiquions : ressources et prestations." in message.body
    for absent in ("Coquelicots", "Hélène", "Lefèvre", "Dette de loyer", "1 234"):
        assert absent not in message.body
    letter = Letter.objects.get(referral=referral)
    assert letter.kind == LetterKind.REFERRAL
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == (letter.filename, "application/pdf")
    text = _pdf_text(content)
    assert "Salaire : 1 234 €" in text and "Coquelicots" not in text
    event = RequestEvent.objects.get(request=file.demand, kind=RequestEvent.Kind.REFERRAL)
    assert event.actor == social
    assert event.comment == "Courrier d'orientation envoyé par courriel à orientation@caf-test.example."
    assert (event.from_value, event.to_value) == (str(referral.partner), "envoyée par courriel")  # not a new referral
    audit = AuditEntry.objects.get(target_type="referral", target_id=str(referral.pk), action="export")
    assert audit.actor == social and "ressources" in audit.fields and "courriel" in audit.fields
    assert AuditEntry.objects.filter(target_type="letter", target_id=str(letter.pk), action="create").exists()


def test_the_body_names_only_the_agreed_categories(client, social, file):
    referral = _referral(file, "contact@partenaire.example", SharedData.IDENTITY, SharedData.HOUSING)
    client.force_login(social)
    _send(client, referral)
    [message] = mail.outbox
    assert "identité, logement (statut, loyer, bailleur)." in message.body
    assert "ressources" not in message.body.lower() and "Hélène" not in message.body


def test_partner_without_email_is_refused_in_french(client, social, file):
    referral = _referral(file, "")
    client.force_login(social)
    response = _send(client, referral, follow=True)
    page = response.content.decode()
    assert "Ce partenaire n&#x27;a pas d&#x27;adresse de courriel dans l&#x27;annuaire" in page
    assert mail.outbox == []
    assert not Letter.objects.exists()
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.REFERRAL).exists()
    assert not AuditEntry.objects.filter(target_type="referral", action="export").exists()


def test_mail_server_failure_keeps_nothing(client, social, file, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"orientation@caf-test.example": (550, b"refused")})

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    referral = _referral(file)
    client.force_login(social)
    page = _send(client, referral, follow=True).content.decode()
    assert "Le courriel n&#x27;a pas pu être envoyé" in page
    assert not Letter.objects.exists()
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.REFERRAL).exists()
    assert not AuditEntry.objects.filter(target_type="referral", action="export").exists()


@pytest.mark.parametrize("name", ["accueil", "direction", "admin", "outsider"])
def test_others_may_not_send(client, persona, file, name):
    referral = _referral(file)
    client.force_login(persona(name))
    assert _send(client, referral).status_code == 403
    assert mail.outbox == [] and not Letter.objects.exists()


def test_anonymous_goes_to_login_and_get_is_refused(client, social, file):
    referral = _referral(file)
    response = _send(client, referral)
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    client.force_login(social)
    assert client.get(reverse("letters:referral_email", args=[referral.pk])).status_code == 405
    assert client.post(reverse("letters:referral_email", args=[999999])).status_code == 404
    assert mail.outbox == []


def test_confidential_household_asks_to_break_the_glass(client, social):
    household = HouseholdFactory(confidential=True)
    referral = ReferralFactory(request__household=household, partner__email="p@partenaire.example")
    client.force_login(social)
    response = _send(client, referral)
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])
    assert mail.outbox == [] and not Letter.objects.exists()


def test_referral_page_shows_the_email_button_only_with_an_address(client, social, file):
    with_email, without = _referral(file), _referral(file, "")
    client.force_login(social)
    page = client.get(reverse("desk:referral", args=[with_email.pk])).content.decode()
    assert f'action="{reverse("letters:referral_email", args=[with_email.pk])}"' in page
    assert "Envoyer par courriel au partenaire" in page
    page = client.get(reverse("desk:referral", args=[without.pk])).content.decode()
    assert "Envoyer par courriel au partenaire" not in page
    assert "Ce partenaire n'a pas d'adresse de courriel dans l'annuaire : envoyez le courrier par la poste." in page
