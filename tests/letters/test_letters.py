"""Letters: sandboxed templates, PDF generation, storage, download and permissions per persona."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from pypdf import PdfReader

from guichet.audit.models import AuditEntry
from guichet.households.enums import HouseholdRole
from guichet.households.timeline import household_timeline
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter, LetterTemplate
from guichet.letters.rendering import LetterTemplateError, render_pdf, render_text
from guichet.letters.services import letter_generate
from tests.agenda.factories import AppointmentFactory
from tests.desk.factories import ReferralFactory, RequestFactory
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def household():
    household = HouseholdFactory()
    PersonFactory(
        household=household, household_role=HouseholdRole.APPLICANT, first_name="Hélène", last_name="Lefèvre", sex="F"
    )
    return household


def _ids(household, kind):
    if kind == LetterKind.REFERRAL:
        return {"referral_id": ReferralFactory(request=RequestFactory(household=household)).pk}
    return {"request_id": RequestFactory(household=household).pk}


@pytest.mark.parametrize("kind", list(LetterKind))
def test_each_default_template_renders_with_its_variables(social, household, kind):
    letter = letter_generate(user=social, household_id=household.pk, kind=kind, **_ids(household, kind))
    expected = "Madame," if kind in (LetterKind.CONVOCATION, LetterKind.ANSWER) else "Hélène Lefèvre"
    assert expected in letter.text
    assert household.reference in letter.text
    assert "{{" not in letter.text and "{%" not in letter.text
    assert bytes(letter.pdf).startswith(b"%PDF")
    assert AuditEntry.objects.filter(target_type="letter", target_id=letter.pk, action="create").exists()


def test_referral_letter_names_partner_and_shared_data(social, household):
    referral = ReferralFactory(request=RequestFactory(household=household))
    letter = letter_generate(user=social, household_id=household.pk, kind=LetterKind.REFERRAL, referral_id=referral.pk)
    assert referral.partner.organisation in letter.text
    assert "Identité" in letter.text or "identité" in letter.text


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_text_keeps_french_typography():
    text = "Madame Hélène Lefèvre, à Saint-Étienne-du-Rouvray : reçu « cœur » 12\u202f€ — l’Œuvre…"
    pdf = render_pdf(title="Réponse à votre demande", text=text, date="29 novembre 2026")
    assert pdf.startswith(b"%PDF")
    extracted = _pdf_text(pdf)
    assert "Hélène Lefèvre" in extracted
    assert "Saint-Étienne-du-Rouvray, le 29 novembre 2026" in extracted
    assert "« cœur »" in extracted and "€" in extracted
    assert "l’Œuvre…" in extracted and "—" in extracted
    assert "EUR" not in extracted and "coeur" not in extracted
    assert "Objet : Réponse à votre demande" in extracted
    assert "Page 1 / 1" in extracted


def test_long_letter_flows_onto_a_second_page():
    pdf = render_pdf(title="Long", text="Une ligne de texte.\n" * 120, date="1er décembre 2026")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert "Page 2 / " in reader.pages[1].extract_text()


def test_edited_template_with_ligatures_and_euro_reaches_the_pdf(client, social, household):
    LetterTemplate.objects.filter(kind=LetterKind.FOLLOW_UP).update(
        title="Attestation « suivi » de {{ demandeur }}",
        body="{{ civilite }}, votre sœur recevra l’aide de 150\u00a0€ « à domicile » (œuvre n° {{ reference }}).",
    )
    letter = letter_generate(user=social, household_id=household.pk, kind=LetterKind.FOLLOW_UP)
    extracted = _pdf_text(bytes(letter.pdf))
    assert "Attestation « suivi » de Hélène Lefèvre" in extracted
    assert "Madame, votre sœur recevra l’aide de 150" in extracted
    assert "€ « à domicile » (œuvre n° " + household.reference + ")" in extracted


def test_convocation_gives_date_place_and_partner_of_the_appointment(accueil, household):
    demand = RequestFactory(household=household, summary="Aide au paiement du loyer")
    partner = ReferralFactory(request=demand, partner__organisation="Association Entraide").partner
    when = dt.datetime(2031, 12, 2, 14, 30, tzinfo=PARIS)
    appointment = AppointmentFactory(household=household, request=demand, starts_at=when)
    letter = letter_generate(
        user=accueil, household_id=household.pk, kind=LetterKind.CONVOCATION, appointment_id=appointment.pk
    )
    extracted = _pdf_text(bytes(letter.pdf))
    assert "le mardi 2 décembre 2031 à 14 h 30" in " ".join(extracted.split())
    assert appointment.place.name in letter.text
    assert "Aide au paiement du loyer" in letter.text
    assert partner.organisation in letter.text
    assert letter.request == demand


def test_convocation_refuses_an_appointment_of_another_household_or_cancelled(accueil, household):
    other = AppointmentFactory()
    with pytest.raises(Http404):
        letter_generate(user=accueil, household_id=household.pk, kind=LetterKind.CONVOCATION, appointment_id=other.pk)
    cancelled = AppointmentFactory(household=household, status="annule")
    with pytest.raises(ValidationError):
        letter_generate(
            user=accueil, household_id=household.pk, kind=LetterKind.CONVOCATION, appointment_id=cancelled.pk
        )
    assert not Letter.objects.exists()


def test_letter_page_preselects_the_appointment(client, accueil, household):
    appointment = AppointmentFactory(household=household, starts_at=dt.datetime(2031, 1, 6, 9, tzinfo=PARIS))
    client.force_login(accueil)
    url = reverse("letters:new", args=[household.pk])
    page = client.get(url, {"type": "convocation", "rendez_vous": appointment.pk}).content.decode()
    assert f'<option value="{appointment.pk}" selected>06/01/2031 à 09:00' in page
    preview = client.post(url, {"kind": "convocation", "appointment": appointment.pk, "apercu": "1"})
    assert "lundi 6 janvier 2031 à 9 h" in preview.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "{{ household.delete }}",
        "{% load static %}{% static 'x' %}",
        "{% include 'base.html' %}",
        "{{ demandeur.__class__ }}",
    ],
)
def test_template_injection_is_refused(body):
    with pytest.raises(LetterTemplateError):
        render_text(body, {"demandeur": "Hélène"})


def test_filters_on_plain_strings_stay_inert():
    assert render_text("{{ demandeur|upper }}", {"demandeur": "Hélène"}) == "HÉLÈNE"


def test_accueil_may_convoke_but_not_refer(accueil, household):
    letter = letter_generate(user=accueil, household_id=household.pk, kind=LetterKind.CONVOCATION)
    assert letter.pk
    referral = ReferralFactory(request=RequestFactory(household=household))
    with pytest.raises(PermissionDenied):
        letter_generate(user=accueil, household_id=household.pk, kind=LetterKind.REFERRAL, referral_id=referral.pk)
    with pytest.raises(PermissionDenied):
        letter_generate(user=accueil, household_id=household.pk, kind=LetterKind.FOLLOW_UP)


@pytest.mark.parametrize("name", ["direction_user", "outsider_user", "admin_only"])
def test_others_may_not_generate(persona, household, name):
    user = {
        "direction_user": persona("direction"),
        "outsider_user": persona("outsider"),
        "admin_only": persona("admin"),
    }[name]
    with pytest.raises(PermissionDenied):
        letter_generate(user=user, household_id=household.pk, kind=LetterKind.CONVOCATION)


def test_pages_generate_and_download(client, social, household):
    client.force_login(social)
    url = reverse("letters:new", args=[household.pk])
    assert client.get(url).status_code == 200
    demand = RequestFactory(household=household)
    preview = client.post(url, {"kind": LetterKind.ANSWER, "request": demand.pk, "apercu": "1"})
    assert preview.status_code == 200 and demand.summary in preview.content.decode()
    assert not Letter.objects.exists()
    response = client.post(url, {"kind": LetterKind.ANSWER, "request": demand.pk, "generer": "1"})
    assert response.status_code == 302
    letter = Letter.objects.get()
    events = household_timeline(social, household)
    assert any(event.kind == "Courrier" for event in events)
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(target_type="letter", target_id=letter.pk, action="read").exists()


def test_answer_without_request_is_a_french_form_error(client, social, household):
    client.force_login(social)
    response = client.post(reverse("letters:new", args=[household.pk]), {"kind": LetterKind.ANSWER, "generer": "1"})
    assert response.status_code == 200
    assert "Choisissez la demande" in response.content.decode()


def test_accueil_cannot_download_a_referral_letter(client, social, accueil, household):
    referral = ReferralFactory(request=RequestFactory(household=household))
    letter = letter_generate(user=social, household_id=household.pk, kind=LetterKind.REFERRAL, referral_id=referral.pk)
    client.force_login(accueil)
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 403
    assert not any(event.kind == "Courrier" for event in household_timeline(accueil, household))


def test_template_edit_rejects_bad_syntax_and_keeps_input(client, responsable):
    template = LetterTemplate.objects.get(kind=LetterKind.CONVOCATION)
    client.force_login(responsable)
    url = reverse("letters:template_edit", args=[template.pk])
    bad = "Bonjour {% if civilite %} sans fin"
    response = client.post(url, {"title": "Convocation", "body": bad, "is_active": "on", "enregistrer": "1"})
    assert response.status_code == 200
    assert "erreur de syntaxe" in response.content.decode()
    assert "sans fin" in response.content.decode()
    template.refresh_from_db()
    assert "sans fin" not in template.body
    preview = client.post(
        url, {"title": "Convocation", "body": "{{ civilite }}, venez.", "is_active": "on", "apercu": "1"}
    )
    assert "venez." in preview.content.decode()
    saved = client.post(
        url, {"title": "Convocation", "body": "{{ civilite }}, venez.", "is_active": "on", "enregistrer": "1"}
    )
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.body == "{{ civilite }}, venez."


def test_social_may_not_edit_templates(client, social):
    client.force_login(social)
    assert client.get(reverse("letters:templates")).status_code == 403


def test_letters_follow_a_household_merge(social, household):
    from guichet.letters.merge import move_letters

    letter = letter_generate(user=social, household_id=household.pk, kind=LetterKind.CONVOCATION)
    target = HouseholdFactory()
    assert move_letters(household, target) == 1
    letter.refresh_from_db()
    assert letter.household_id == target.pk


def test_household_page_links_to_a_new_letter(client, accueil, household):
    client.force_login(accueil)
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("letters:new", args=[household.pk]) in page


def test_api_generates_and_downloads_a_letter(client, social, household):
    client.force_login(social)
    demand = RequestFactory(household=household)
    url = f"/api/v1/menages/{household.pk}/courriers"
    response = client.post(url, {"type": "reponse", "demande_id": demand.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert demand.summary in body["texte"]
    pdf = client.get(body["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    missing = client.post(url, {"type": "reponse"}, content_type="application/json")
    assert missing.status_code == 422
    assert "Choisissez la demande" in missing.content.decode()


def test_api_refuses_referral_letters_to_accueil(client, accueil, household):
    referral = ReferralFactory(request=RequestFactory(household=household))
    client.force_login(accueil)
    response = client.post(
        f"/api/v1/menages/{household.pk}/courriers",
        {"type": "orientation", "orientation_id": referral.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Letter.objects.exists()


def test_confidential_household_letter_download_asks_to_break_the_glass(client, social, responsable):
    household = HouseholdFactory(confidential=True)
    letter = letter_generate(user=responsable, household_id=household.pk, kind=LetterKind.CONVOCATION)
    client.force_login(social)
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])
    assert client.get(reverse("letters:new", args=[household.pk])).status_code == 302


def test_api_convocation_for_an_appointment(client, accueil, household):
    appointment = AppointmentFactory(household=household, starts_at=dt.datetime(2031, 3, 4, 10, 15, tzinfo=PARIS))
    client.force_login(accueil)
    url = f"/api/v1/menages/{household.pk}/courriers"
    response = client.post(
        url, {"type": "convocation", "rendez_vous_id": appointment.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert "mardi 4 mars 2031 à 10 h 15" in response.json()["texte"]
    other = AppointmentFactory()
    refused = client.post(url, {"type": "convocation", "rendez_vous_id": other.pk}, content_type="application/json")
    assert refused.status_code == 404
    assert Letter.objects.count() == 1
