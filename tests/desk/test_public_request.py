"""« Faire une demande en ligne » (public, no login): a request for the CCAS only with the explicit consent;
without it, or with any error, not one row of any table changes and every answer comes back."""

from __future__ import annotations

import html as markup
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from guichet.audit.models import AuditChainHead, AuditEntry
from guichet.desk import public
from guichet.desk.enums import Channel, RequestStatus, Theme, Urgency
from guichet.desk.models import Request, RequestEvent
from guichet.desk.selectors import RequestFilters, request_rows, requests_for

pytestmark = pytest.mark.django_db
FORM = reverse("desk:public_request")
DONE = reverse("desk:public_request_done")
ANSWERS = {
    "first_name": "Jeanne",
    "last_name": "Martin",
    "phone": "06 12 34 56 78",
    "email": "",
    "preferred_time": "matin",
    "theme": "energie_eau",
    "message": "Ma facture d'électricité a doublé,\nje ne peux pas la payer ce mois-ci.",
    "address": "Quartier du Madrillet",
    "consent": "on",
}


def snapshot() -> dict[str, Any]:
    """Row counts of every table, and the audit chain's head (an update would not change a count)."""
    counts: dict[str, Any] = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    counts["audit head"] = list(AuditChainHead.objects.values_list("last_hash", flat=True))
    return counts


def test_the_form_is_open_to_anyone(client: Client) -> None:
    response = client.get(FORM)
    html = markup.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<h1>Faire une demande en ligne</h1>" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # the themes in plain words, under the axes of the projet social, « autre » last
    assert '<optgroup label="Logement et déplacements">' in html
    assert '<option value="impayes_loyer">Difficultés à payer le loyer, menace d\'expulsion</option>' in html
    assert html.index('<optgroup label="Autre">') > html.index('<optgroup label="Énergie, numérique, cadre de vie">')
    consent = re.search(r'<input type="checkbox" name="consent" id="([\w-]+)"', html)
    assert consent is not None and f'<label for="{consent.group(1)}">{public.CONSENT}</label>' in html
    assert "au plus deux ans après votre dernier contact" in html and "rien n'est enregistré" in html
    assert 'autocomplete="tel"' in html and 'type="tel"' in html
    assert f'maxlength="{public.MESSAGE_MAX_LENGTH}"' in html


def test_every_desk_theme_is_offered_once() -> None:
    offered = [value for _, group in public.theme_choices()[1:] for value, _ in group]
    assert sorted(offered) == sorted([*Theme.values, public.OTHER])


def test_linked_from_the_login_page_and_the_simulator_result(client: Client) -> None:
    assert f'href="{FORM}"' in client.get(reverse("accounts:login")).content.decode()
    assert f'href="{FORM}"' in render_to_string("rights/public/simulator_part.html", {"results": []})


def test_with_consent_a_request_reaches_the_desk(client: Client, accueil: Any) -> None:
    response = client.post(FORM, ANSWERS)
    assert response.status_code == 302 and response["Location"] == DONE
    demand = Request.objects.get()
    assert (demand.channel, demand.theme, demand.status, demand.urgency) == (
        Channel.ONLINE,
        Theme.ENERGY,
        RequestStatus.NEW,
        Urgency.NORMAL,
    )
    assert demand.assigned_to is None and demand.created_by is None
    assert demand.summary == (
        "Demande en ligne de Jeanne Martin (tél. 06 12 34 56 78), à contacter le matin : "
        "Ma facture d'électricité a doublé, je ne peux pas la payer ce mois-ci."
    )
    assert (demand.due_on - demand.created_at.date()).days == 5  # the theme's target delay
    household = demand.household
    assert (household.phone, household.email) == ("06 12 34 56 78", "")
    assert household.reference == f"G-{household.pk:07d}" and not household.people.exists()
    details = RequestEvent.objects.get(request=demand).comment
    assert f"avec l'accord de la personne (« {public.CONSENT} »)" in details
    for line in (
        "Prénom : Jeanne",
        "Nom : Martin",
        "Téléphone : 06 12 34 56 78",
        "Courriel : —",
        "Moment préféré : Le matin (9 h – 12 h)",
        "Quartier ou adresse : Quartier du Madrillet",
        "Thème choisi : Factures d'énergie ou d'eau",
        "Ma facture d'électricité a doublé,\nje ne peux pas la payer ce mois-ci.",
    ):
        assert line in details, line
    entries = AuditEntry.objects.filter(actor=None, channel="public")
    assert set(entries.values_list("target_type", "action")) == {("household", "create"), ("request", "create")}
    queue = requests_for(accueil, RequestFilters(queue="a_attribuer"))
    assert [row.request for row in request_rows(accueil, queue)] == [demand]


def test_email_only_and_the_other_theme(client: Client) -> None:
    answers = {**ANSWERS, "phone": "", "email": "jeanne@example.org", "theme": "autre", "address": ""}
    assert client.post(FORM, answers).status_code == 302
    demand = Request.objects.get()
    assert demand.theme == Theme.RIGHTS  # « je ne sais pas » goes to access to rights
    assert demand.household.email == "jeanne@example.org" and demand.household.phone == ""
    assert demand.summary.startswith("Demande en ligne de Jeanne Martin (jeanne@example.org), à contacter le matin")
    details = RequestEvent.objects.get(request=demand).comment
    assert "Thème choisi : Autre demande, ou je ne sais pas" in details and "Quartier ou adresse : —" in details


def test_a_long_message_is_cut_in_the_summary_only(client: Client) -> None:
    message = "Bonjour. " + "x" * (public.MESSAGE_MAX_LENGTH - 9)
    assert client.post(FORM, {**ANSWERS, "message": message}).status_code == 302
    demand = Request.objects.get()
    assert len(demand.summary) < 500 and demand.summary.endswith("…")
    assert message in RequestEvent.objects.get(request=demand).comment


def test_confirmation_shows_the_reference_and_the_first_name_only(client: Client) -> None:
    response = client.post(FORM, ANSWERS, follow=True)
    demand = Request.objects.get()
    html = markup.unescape(response.content.decode())
    assert "<h1>Merci Jeanne, votre demande est enregistrée</h1>" in html
    assert f"Votre numéro de demande : {demand.pk}" in html
    assert "dans les 5 jours" in html
    for personal in ("Martin", "06 12 34 56 78", "Madrillet", "facture d'électricité"):
        assert personal not in html, personal


def test_confirmation_of_a_violence_request_promises_a_day() -> None:
    client = Client()
    client.post(FORM, {**ANSWERS, "theme": "violences"})
    assert "sous 24 heures" in client.get(DONE).content.decode()


def test_confirmation_without_a_request_sends_to_the_form(client: Client) -> None:
    response = client.get(DONE)
    assert response.status_code == 302 and response["Location"] == FORM


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"consent": ""}, "consent", "Cochez cette case pour que le CCAS puisse traiter votre demande"),
        ({"phone": "", "email": ""}, "phone", "Indiquez un téléphone ou un courriel"),
        ({"phone": "appelez-moi"}, "phone", "Indiquez un numéro de téléphone de 10 chiffres"),
        ({"phone": "06 12"}, "phone", "Indiquez un numéro de téléphone de 10 chiffres"),
        ({"email": "jeanne@", "phone": ""}, "email", "Indiquez une adresse de courriel complète"),
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire"),
        ({"theme": ""}, "theme", "Choisissez le thème de votre demande"),
        ({"theme": "piscine"}, "theme", "Sélectionnez un choix valide"),
        ({"message": "   "}, "message", "Décrivez votre demande en quelques mots"),
        ({"message": "x" * (public.MESSAGE_MAX_LENGTH + 1)}, "message", "au plus 2000 caractères"),
        ({"preferred_time": "minuit"}, "preferred_time_0", "Sélectionnez un choix valide"),
    ],
)
def test_without_consent_or_with_an_error_nothing_is_stored(
    client: Client, change: dict[str, str], field: str, message: str
) -> None:
    before = snapshot()
    response = client.post(FORM, {**ANSWERS, **change})
    html = markup.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Votre demande n'a pas été enregistrée" in html and message in html
    assert f'<a href="#id_{field}">' in html  # the summary of errors leads to the field (a radio: its first)
    # every answer comes back
    for name in ("first_name", "last_name", "address"):
        if name not in change:
            assert f'name="{name}" value="{ANSWERS[name]}"' in html, name
    if "message" not in change:
        assert ANSWERS["message"] in html
    if "theme" not in change:
        assert '<option value="energie_eau" selected>' in html
    if "consent" not in change:
        assert 'name="consent" id="id_consent" required checked' in html
    assert snapshot() == before


def test_requests_are_rate_limited(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(public, "RATE_LIMIT", 2)
    cache.clear()
    for _ in range(2):
        assert client.post(FORM, ANSWERS).status_code == 302
    before = snapshot()
    response = client.post(FORM, ANSWERS)
    html = markup.unescape(response.content.decode())
    assert response.status_code == 429 and "Trop de demandes depuis votre connexion" in html
    assert 'name="first_name" value="Jeanne"' in html
    assert snapshot() == before and Request.objects.count() == 2
    # an invalid form does not use the allowance, and the form itself still opens
    assert client.post(FORM, {**ANSWERS, "consent": ""}).status_code == 200
    assert client.get(FORM).status_code == 200


def test_csrf_is_required() -> None:
    before = snapshot()
    response = Client(enforce_csrf_checks=True).post(FORM, ANSWERS)
    assert response.status_code == 403
    assert snapshot() == before
