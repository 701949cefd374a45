"""Correcting a request after intake: service (history, due date, audit, atomicity), page, htmx, API,
permissions for each persona."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import Channel, RequestStatus, Theme, Urgency, due_date_for
from guichet.desk.models import Request, RequestEvent
from guichet.desk.services import DeskError, request_create, request_update
from tests.conftest import make_persona
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(accueil) -> Request:
    household = HouseholdFactory()
    return request_create(
        user=accueil, household=household, theme=Theme.FOOD_AID, summary="Colis alimentaire", channel=Channel.DESK
    )


def _updates(demand: Request) -> list[tuple[str, str]]:
    events = RequestEvent.objects.filter(request=demand, kind=RequestEvent.Kind.UPDATED).order_by("pk")
    return [(event.from_value, event.to_value) for event in events]


def test_correction_is_saved_with_one_history_line_per_field_and_audited(accueil, demand) -> None:
    person = PersonFactory(household=demand.household, first_name="Zoé", last_name="Martin")
    request_update(
        user=accueil,
        demand=demand,
        theme=Theme.HOUSING_ACCESS,
        channel=Channel.PHONE,
        summary="  Recherche  de logement ",
        person=person,
        comment="Erreur de saisie",
    )
    demand.refresh_from_db()
    assert (demand.theme, demand.channel, demand.summary, demand.person) == (
        Theme.HOUSING_ACCESS,
        Channel.PHONE,
        "Recherche de logement",
        person,
    )
    start = timezone.localdate(demand.created_at)
    assert demand.due_on == due_date_for(Theme.HOUSING_ACCESS, Urgency.NORMAL, start) == start + dt.timedelta(days=15)
    assert _updates(demand) == [
        (f"Thème : {Theme.FOOD_AID.label}", f"Thème : {Theme.HOUSING_ACCESS.label}"),
        (f"Canal : {Channel.DESK.label}", f"Canal : {Channel.PHONE.label}"),
        ("Objet : Colis alimentaire", "Objet : Recherche de logement"),
        ("Personne : Le ménage", "Personne : Zoé Martin"),
        (
            f"Échéance : {start + dt.timedelta(days=2):%d/%m/%Y}",
            f"Échéance : {start + dt.timedelta(days=15):%d/%m/%Y}",
        ),
    ]
    assert set(RequestEvent.objects.filter(kind=RequestEvent.Kind.UPDATED).values_list("comment", flat=True)) == {
        "Erreur de saisie"
    }
    entry = AuditEntry.objects.filter(action=Action.UPDATE, target_type="request", target_id=str(demand.pk)).get()
    assert set(entry.fields) == {"theme", "channel", "summary", "person", "due_on"}


def test_urgency_moves_the_due_date_from_the_day_of_intake(social) -> None:
    demand = RequestFactory(theme=Theme.HOUSING_ACCESS, due_on=dt.date(2000, 1, 1))
    Request.objects.filter(pk=demand.pk).update(created_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC))
    demand.refresh_from_db()
    request_update(user=social, demand=demand, urgency=Urgency.PRIORITY)
    demand.refresh_from_db()
    assert demand.due_on == dt.date(2026, 11, 10)
    assert ("Urgence : Normale", "Urgence : Prioritaire") in _updates(demand)


def test_nothing_changed_writes_nothing(accueil, demand) -> None:
    request_update(user=accueil, demand=demand, theme=demand.theme, summary=" Colis  alimentaire ")
    assert not _updates(demand)
    assert not AuditEntry.objects.filter(action=Action.UPDATE, target_type="request").exists()


def test_person_of_another_household_is_refused_and_nothing_is_saved(accueil, demand) -> None:
    stranger = PersonFactory()
    with pytest.raises(DeskError, match="n'appartient pas au ménage"):
        request_update(user=accueil, demand=demand, theme=Theme.HOUSING_ACCESS, person=stranger)
    demand.refresh_from_db()
    assert demand.theme == Theme.FOOD_AID
    assert not _updates(demand)


@pytest.mark.parametrize(("field", "value"), [("summary", "   "), ("theme", "inconnu"), ("channel", "pigeon")])
def test_invalid_values_are_refused_in_french(accueil, demand, field, value) -> None:
    with pytest.raises(DeskError):
        request_update(user=accueil, demand=demand, **{field: value})
    assert not _updates(demand)


def test_a_closed_request_is_not_edited(accueil) -> None:
    demand = RequestFactory(closed=True)
    with pytest.raises(DeskError, match="clôturée"):
        request_update(user=accueil, demand=demand, summary="Autre chose")
    assert Request.objects.get(pk=demand.pk).summary != "Autre chose"


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("accueil", True), ("social", True), ("responsable", True), ("direction", False), ("admin", False)],
)
def test_service_permissions_per_persona(name, allowed) -> None:
    demand = RequestFactory()
    user = make_persona(name)
    if allowed:
        request_update(user=user, demand=demand, summary="Corrigée")
        assert Request.objects.get(pk=demand.pk).summary == "Corrigée"
    else:
        with pytest.raises(PermissionDenied):
            request_update(user=user, demand=demand, summary="Corrigée")
        assert Request.objects.get(pk=demand.pk).summary != "Corrigée"


def test_confidential_household_needs_the_glass_broken(social) -> None:
    from guichet.households.perms import BreakGlassRequired

    demand = RequestFactory(household=HouseholdFactory(confidential=True))
    with pytest.raises((BreakGlassRequired, PermissionDenied)):
        request_update(user=social, demand=demand, summary="Corrigée")


# --- Page -------------------------------------------------------------------------------------------------------


def test_request_page_offers_the_correction_and_the_form_is_prefilled(client, accueil, demand) -> None:
    client.force_login(accueil)
    url = reverse("desk:edit", args=[demand.pk])
    assert url in client.get(reverse("desk:detail", args=[demand.pk])).content.decode()
    reads = AuditEntry.objects.filter(action=Action.READ, target_type="request", target_id=str(demand.pk))
    before = reads.count()
    page = client.get(url).content.decode()
    assert reads.count() == before + 1  # the form page shows the whole request: an audited read
    assert "Modifier la demande" in page
    assert 'value="Colis alimentaire"' in page
    assert f'<option value="{Theme.FOOD_AID.value}" selected>' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Modifier la demande" in fragment and "autofocus" in fragment


def _form(demand: Request, **changes: object) -> dict[str, object]:
    data = {
        "theme": demand.theme,
        "channel": demand.channel,
        "urgency": demand.urgency,
        "summary": demand.summary,
        "person": "",
        "comment": "",
    }
    return {**data, **changes}


def test_page_saves_and_redirects_to_the_request(client, accueil, demand) -> None:
    client.force_login(accueil)
    response = client.post(reverse("desk:edit", args=[demand.pk]), _form(demand, urgency=Urgency.URGENT))
    assert response.status_code == 302 and response["Location"] == reverse("desk:detail", args=[demand.pk])
    demand.refresh_from_db()
    assert demand.urgency == Urgency.URGENT
    page = client.get(response["Location"]).content.decode()
    assert f"Demande n° {demand.pk} modifiée." in page
    assert "Urgence : Normale → Urgence : Urgente" in page


def test_htmx_save_returns_the_panel_with_the_history(client, accueil, demand) -> None:
    client.force_login(accueil)
    response = client.post(
        reverse("desk:edit", args=[demand.pk]), _form(demand, summary="Bons alimentaires"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Objet : Colis alimentaire → Objet : Bons alimentaires" in body
    assert "Modifier la demande" not in body


def test_page_error_keeps_the_input(client, accueil, demand) -> None:
    stranger_summary = "x" * 501
    client.force_login(accueil)
    response = client.post(
        reverse("desk:edit", args=[demand.pk]), _form(demand, summary=stranger_summary, channel=Channel.EMAIL)
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Le formulaire n'a pas été enregistré" in body
    assert f'<option value="{Channel.EMAIL.value}" selected>' in body
    demand.refresh_from_db()
    assert demand.channel == Channel.DESK


def test_closed_request_page_has_no_edit_button_and_refuses_in_french(client, accueil) -> None:
    demand = RequestFactory(closed=True)
    client.force_login(accueil)
    assert (
        reverse("desk:edit", args=[demand.pk])
        not in client.get(reverse("desk:detail", args=[demand.pk])).content.decode()
    )
    response = client.post(reverse("desk:edit", args=[demand.pk]), _form(demand, summary="Autre"))
    assert response.status_code == 422
    assert "rouvrez-la d'abord" in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("name", "status"),
    [("accueil", 200), ("social", 200), ("responsable", 200), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_page_permissions_per_persona(client, name, status) -> None:
    demand = RequestFactory()
    client.force_login(make_persona(name))
    url = reverse("desk:edit", args=[demand.pk])
    assert client.get(url).status_code == status
    response = client.post(url, _form(demand, summary="Corrigée"))
    assert response.status_code == (302 if status == 200 else status)
    assert (Request.objects.get(pk=demand.pk).summary == "Corrigée") is (status == 200)


def test_anonymous_is_sent_to_login(client) -> None:
    demand = RequestFactory()
    response = client.get(reverse("desk:edit", args=[demand.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- API --------------------------------------------------------------------------------------------------------


def _patch(client: Client, demand: Request, body: dict[str, object]):
    return client.patch(f"/api/v1/demandes/{demand.pk}", data=json.dumps(body), content_type="application/json")


def test_api_corrects_fields_and_reports_the_history(client, social) -> None:
    demand = RequestFactory(theme=Theme.FOOD_AID)
    person = PersonFactory(household=demand.household)
    client.force_login(social)
    response = _patch(
        client, demand, {"theme": Theme.HOUSING_ACCESS.value, "canal": "telephone", "personne": person.pk}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["theme"] == Theme.HOUSING_ACCESS.value and body["canal"] == "telephone" and body["personne"] == person.pk
    )
    assert [event["type"] for event in body["historique"]].count("Modification") == 4  # theme, canal, personne, due
    assert AuditEntry.objects.filter(action=Action.UPDATE, channel="api", target_id=str(demand.pk)).exists()
    back = _patch(client, demand, {"personne": None})
    assert back.status_code == 200 and back.json()["personne"] is None


def test_api_patch_of_status_still_works_and_both_go_together(client, accueil) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    response = _patch(client, demand, {"objet": "Colis pour quatre", "statut": "en_cours", "commentaire": "Vu"})
    assert response.status_code == 200, response.content
    demand.refresh_from_db()
    assert demand.summary == "Colis pour quatre" and demand.status == RequestStatus.IN_PROGRESS


def test_api_refused_status_rolls_back_the_correction(client, accueil) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    response = _patch(client, demand, {"objet": "Colis pour quatre", "statut": "cloturee"})
    assert response.status_code == 409
    assert "issue" in response.json()["title"]
    demand.refresh_from_db()
    assert demand.summary != "Colis pour quatre" and not _updates(demand)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "au moins un champ"),
        ({"commentaire": "seul"}, "au moins un champ"),
        ({"personne": 0}, "n'appartient pas au ménage"),
        ({"objet": "   "}, "objet"),
    ],
)
def test_api_bad_bodies_are_422_in_french(client, accueil, body, message) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    response = _patch(client, demand, body)
    assert response.status_code == 422
    assert message in response.json()["title"]


def test_api_person_of_another_household_is_422(client, accueil) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    response = _patch(client, demand, {"personne": PersonFactory().pk})
    assert response.status_code == 422 and "n'appartient pas au ménage" in response.json()["title"]


@pytest.mark.parametrize(
    ("name", "status"),
    [("accueil", 200), ("social", 200), ("responsable", 200), ("direction", 403), ("admin", 403), ("outsider", 403)],
)
def test_api_permissions_per_persona(client, name, status) -> None:
    demand = RequestFactory()
    client.force_login(make_persona(name))
    response = _patch(client, demand, {"objet": "Corrigée"})
    assert response.status_code == status
    assert (Request.objects.get(pk=demand.pk).summary == "Corrigée") is (status == 200)


# --- Request page: its appointments, and the dates the browser can read ----------------------------------------


def test_request_page_lists_its_appointments_with_a_convocation_link(client, accueil) -> None:
    from tests.agenda.factories import AppointmentFactory

    demand = RequestFactory()
    planned = AppointmentFactory(household=demand.household, request=demand)
    cancelled = AppointmentFactory(household=demand.household, request=demand, status="annule")
    AppointmentFactory(household=demand.household)  # another request's: not listed
    client.force_login(accueil)
    page = client.get(reverse("desk:detail", args=[demand.pk])).content.decode()
    letters = reverse("letters:new", args=[demand.household_id])
    assert reverse("agenda:detail", args=[planned.pk]) in page
    assert reverse("agenda:detail", args=[cancelled.pk]) in page
    assert f"{letters}?type=convocation&amp;demande={demand.pk}&amp;rendez_vous={planned.pk}" in page
    assert f"rendez_vous={cancelled.pk}" not in page
    assert len(re.findall(r'href="/agenda/\d+/"', page)) == 2


def test_referral_form_dates_are_iso_so_that_the_date_input_shows_them(client, social) -> None:
    demand = RequestFactory()
    client.force_login(social)
    page = client.get(reverse("desk:referral_new", args=[demand.pk])).content.decode()
    assert f'type="date" name="sent_on" value="{timezone.localdate():%Y-%m-%d}"' in page
