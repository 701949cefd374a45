"""Requests: creation per persona, due dates, workflow transitions, closing, assignment, audit, intake page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from guichet.desk.enums import THEMES, RequestOutcome, RequestStatus, Theme, Urgency, due_date_for
from guichet.desk.models import Request, RequestEvent
from guichet.desk.services import (
    DeskError,
    request_assign,
    request_change_status,
    request_close,
    request_create,
)
from tests.desk.factories import RequestFactory
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("theme", "urgency", "days"),
    [
        (Theme.FOOD_AID, Urgency.NORMAL, 2),
        (Theme.HOUSING_ACCESS, Urgency.NORMAL, 15),
        (Theme.HOUSING_ACCESS, Urgency.PRIORITY, 8),
        (Theme.RENT_ARREARS, Urgency.PRIORITY, 4),
        (Theme.LIVING_ENVIRONMENT, Urgency.URGENT, 1),
        (Theme.VIOLENCE, Urgency.NORMAL, 1),
    ],
)
def test_due_date_follows_theme_delay_and_urgency(theme: Theme, urgency: Urgency, days: int) -> None:
    start = dt.date(2026, 11, 2)
    assert due_date_for(theme, urgency, start) == start + dt.timedelta(days=days)


@given(
    theme=st.sampled_from(list(Theme)),
    urgency=st.sampled_from(list(Urgency)),
    start=st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)),
)
def test_due_date_is_within_the_target_delay_and_urgency_never_delays(
    theme: Theme, urgency: Urgency, start: dt.date
) -> None:
    due = due_date_for(theme, urgency, start)
    assert start + dt.timedelta(days=1) <= due <= start + dt.timedelta(days=THEMES[theme].target_days)
    assert due <= due_date_for(theme, Urgency.NORMAL, start)
    assert due_date_for(theme, Urgency.URGENT, start) <= due


def test_every_theme_has_an_axis_and_a_delay() -> None:
    assert set(THEMES) == set(Theme)
    assert all(info.target_days >= 1 for info in THEMES.values())


def test_accueil_creates_a_request_with_history_and_audit(accueil) -> None:
    household = HouseholdFactory()
    person = PersonFactory(household=household)
    demand = request_create(
        user=accueil,
        household=household,
        theme=Theme.FINANCIAL_AID,
        summary="  Facture  d'électricité impayée ",
        person=person,
        assigned_to=accueil,
    )
    assert demand.status == RequestStatus.NEW
    assert demand.summary == "Facture d'électricité impayée"
    assert demand.due_on == timezone.localdate() + dt.timedelta(days=7)
    assert demand.created_by == accueil
    assert list(demand.events.values_list("kind", flat=True)) == [RequestEvent.Kind.CREATED, RequestEvent.Kind.ASSIGNED]
    entry = AuditEntry.objects.get(action=Action.CREATE, target_type="request", target_id=str(demand.pk))
    assert "person" in entry.fields and "assigned_to" in entry.fields


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_other_personas_cannot_create(persona, persona_name: str) -> None:
    with pytest.raises(PermissionDenied):
        request_create(user=persona(persona_name), household=HouseholdFactory(), theme=Theme.FOOD_AID, summary="x")
    assert not Request.objects.exists()


def test_confidential_household_refused_without_access(accueil) -> None:
    with pytest.raises(PermissionDenied):
        request_create(user=accueil, household=HouseholdFactory(confidential=True), theme=Theme.HEALTH, summary="x")


def test_person_of_another_household_refused(accueil) -> None:
    with pytest.raises(DeskError, match="n'appartient pas"):
        request_create(
            user=accueil, household=HouseholdFactory(), theme=Theme.HEALTH, summary="x", person=PersonFactory()
        )


def test_valid_transitions_are_recorded(social) -> None:
    demand = RequestFactory()
    request_change_status(user=social, demand=demand, to=RequestStatus.IN_PROGRESS, comment="RDV pris")
    request_change_status(user=social, demand=demand, to=RequestStatus.WAITING)
    demand.refresh_from_db()
    assert demand.status == RequestStatus.WAITING
    events = list(demand.events.filter(kind=RequestEvent.Kind.STATUS).values_list("from_value", "to_value", "comment"))
    assert events == [("Nouvelle", "En cours", "RDV pris"), ("En cours", "En attente du ménage", "")]
    assert AuditEntry.objects.filter(action=Action.UPDATE, target_id=str(demand.pk), fields=["status"]).count() == 2


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (RequestStatus.IN_PROGRESS, RequestStatus.NEW),
        (RequestStatus.WAITING, RequestStatus.WAITING),
        (RequestStatus.CLOSED, RequestStatus.REFERRED),
        (RequestStatus.CLOSED, RequestStatus.NEW),
    ],
)
def test_invalid_transitions_are_refused_in_french(accueil, start: RequestStatus, to: RequestStatus) -> None:
    demand = RequestFactory(status=start)
    with pytest.raises(DeskError, match="ne peut pas passer au statut"):
        request_change_status(user=accueil, demand=demand, to=to)
    demand.refresh_from_db()
    assert demand.status == start
    assert not demand.events.exists()


def test_closing_needs_an_outcome_and_reopening_clears_it(accueil) -> None:
    demand = RequestFactory()
    with pytest.raises(DeskError, match="issue"):
        request_change_status(user=accueil, demand=demand, to=RequestStatus.CLOSED)
    with pytest.raises(DeskError, match="issue"):
        request_close(user=accueil, demand=demand, outcome="")
    request_close(user=accueil, demand=demand, outcome=RequestOutcome.AID_GRANTED)
    demand.refresh_from_db()
    assert demand.status == RequestStatus.CLOSED and demand.outcome == RequestOutcome.AID_GRANTED
    assert demand.closed_at is not None
    request_change_status(user=accueil, demand=demand, to=RequestStatus.IN_PROGRESS)
    demand.refresh_from_db()
    assert (demand.outcome, demand.closed_at) == ("", None)


def test_direction_cannot_change_status(direction) -> None:
    demand = RequestFactory()
    with pytest.raises(PermissionDenied):
        request_change_status(user=direction, demand=demand, to=RequestStatus.IN_PROGRESS)


def test_assignment_is_recorded_once(accueil, social) -> None:
    demand = RequestFactory()
    request_assign(user=accueil, demand=demand, assigned_to=social)
    request_assign(user=accueil, demand=demand, assigned_to=social)
    assert demand.events.filter(kind=RequestEvent.Kind.ASSIGNED).count() == 1
    assert Request.objects.get(pk=demand.pk).assigned_to == social


# --- intake page -----------------------------------------------------------------------------------


def test_intake_form_fields_in_keyboard_order_with_autofocus(client, accueil) -> None:
    household = HouseholdFactory()
    client.force_login(accueil)
    response = client.get(reverse("desk:new") + f"?menage={household.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields)[:5] == ["theme", "channel", "urgency", "summary", "assigned_to"]
    html = response.content.decode()
    assert 'name="theme"' in html and "autofocus" in html
    assert html.index('name="theme"') < html.index('name="summary"') < html.index('name="assigned_to"')
    # A single-line summary: Enter submits the form.
    assert '<input type="text" name="summary"' in html


def test_intake_creates_and_redirects_to_the_request(client, accueil) -> None:
    household = HouseholdFactory()
    client.force_login(accueil)
    url = reverse("desk:new") + f"?menage={household.pk}"
    response = client.post(
        url,
        {"theme": Theme.FOOD_AID, "channel": "telephone", "urgency": "normale", "summary": "Colis", "assigned_to": ""},
    )
    demand = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:detail", args=[demand.pk])
    assert demand.channel == "telephone" and demand.household == household


def test_intake_errors_keep_what_was_typed(client, accueil) -> None:
    household = HouseholdFactory()
    client.force_login(accueil)
    response = client.post(
        reverse("desk:new") + f"?menage={household.pk}",
        {"theme": "", "channel": "courriel", "urgency": "urgente", "summary": "Texte déjà saisi"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "form-errors" in html and 'value="Texte déjà saisi"' in html
    assert not Request.objects.exists()


def test_standalone_intake_searches_households(client, accueil) -> None:
    person = PersonFactory(first_name="Josiane", last_name="Dubreuil", search_name="josiane dubreuil")
    client.force_login(accueil)
    response = client.get(reverse("desk:new"), {"q": "dubreuil"})
    assert response.status_code == 200
    assert f"?menage={person.household_id}" in response.content.decode()


def test_intake_for_confidential_household_goes_to_break_glass(client, accueil) -> None:
    household = HouseholdFactory(confidential=True)
    client.force_login(accueil)
    response = client.get(reverse("desk:new") + f"?menage={household.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("households:break_glass", args=[household.pk])


def test_intake_for_missing_household_is_404(client, accueil) -> None:
    client.force_login(accueil)
    assert client.get(reverse("desk:new") + "?menage=999999").status_code == 404


def test_detail_page_is_audited_and_shows_history(client, accueil) -> None:
    demand = request_create(user=accueil, household=HouseholdFactory(), theme=Theme.HEALTH, summary="Mutuelle")
    client.force_login(accueil)
    response = client.get(reverse("desk:detail", args=[demand.pk]))
    assert response.status_code == 200
    assert "Mutuelle" in response.content.decode() and "Création" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.READ, target_type="request", target_id=str(demand.pk)).exists()


def test_status_action_via_htmx_returns_the_panel(client, accueil) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    url = reverse("desk:status", args=[demand.pk])
    response = client.post(url, {"to": "en_cours", "comment": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.IN_PROGRESS
    # Invalid transition: the form comes back with the French message, nothing changes.
    response = client.post(url, {"to": "nouvelle"}, HTTP_HX_REQUEST="true")
    assert "ne peut pas passer au statut" in response.content.decode()
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.IN_PROGRESS


def test_close_action_without_outcome_is_refused(client, accueil) -> None:
    demand = RequestFactory()
    client.force_login(accueil)
    response = client.post(reverse("desk:close", args=[demand.pk]), {"outcome": ""})
    assert response.status_code == 422
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.NEW
    response = client.post(reverse("desk:close", args=[demand.pk]), {"outcome": "sans_suite"})
    assert response.status_code == 302
    assert Request.objects.get(pk=demand.pk).status == RequestStatus.CLOSED


@pytest.mark.parametrize("persona_name", ["direction", "outsider", "admin"])
def test_other_personas_see_no_request_page(client, persona, persona_name: str) -> None:
    demand = RequestFactory()
    client.force_login(persona(persona_name))
    for url in (reverse("desk:queue"), reverse("desk:detail", args=[demand.pk]), reverse("desk:new")):
        assert client.get(url).status_code == 403


def test_household_page_links_to_intake(client, accueil) -> None:
    household = HouseholdFactory()
    client.force_login(accueil)
    html = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert f"{reverse('desk:new')}?menage={household.pk}" in html


def test_request_page_offers_to_book_an_appointment(db: None) -> None:
    from django.test import Client

    from tests.conftest import make_persona
    from tests.desk.factories import RequestFactory

    demand = RequestFactory()
    client = Client()
    client.force_login(make_persona("accueil"))
    body = client.get(f"/guichet/demandes/{demand.pk}/").content.decode()
    assert f"/agenda/nouveau/?menage={demand.household_id}&amp;demande={demand.pk}" in body
