"""The intake round trip stays cheap: selects written in one pass with Django's exact HTML, the agents
list queried only when needed, the people of the household read without a server-side cursor."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.desk.enums import Channel, Theme, Urgency
from guichet.desk.forms import AssignForm, CloseForm, RequestEditForm, RequestForm, StatusForm
from guichet.desk.models import Request
from guichet.households.models import Person
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

AGENTS = [(3, "Zoé O'Brien & <Cie>"), (7, 'Agent "sept"')]


def _selects(form: forms.Form) -> list[forms.BoundField]:
    return [field for field in form if isinstance(field.field.widget, forms.Select)]


@pytest.mark.parametrize("data", [None, {"theme": Theme.FOOD_AID, "channel": Channel.PHONE, "assigned_to": "7"}])
def test_selects_render_as_django_select(data) -> None:
    household = HouseholdFactory()
    PersonFactory(household=household, first_name="Léa <b>", last_name="D'Arc")
    people = Person.objects.filter(household=household)
    bound = [
        RequestForm(data, agents=AGENTS, people=people),
        RequestEditForm(data, people=people),
        StatusForm(current="nouvelle"),
        CloseForm(),
        AssignForm(data, agents=lambda: AGENTS, initial={"assigned_to": 3}),
    ]
    checked = 0
    for form in bound:
        for field in _selects(form):
            widget = field.field.widget
            assert type(widget) is not forms.Select  # the one-pass select is in use
            django_select = forms.Select(attrs=widget.attrs, choices=widget.choices)
            assert field.as_widget() == field.as_widget(widget=django_select)
            checked += 1
    assert checked == 12


def test_unassigned_intake_does_not_query_the_agents(client, accueil) -> None:
    household = HouseholdFactory()
    client.force_login(accueil)
    url = reverse("desk:new") + f"?menage={household.pk}"
    data = {"theme": Theme.FOOD_AID, "channel": Channel.DESK, "urgency": Urgency.NORMAL, "summary": "Colis"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**data, "assigned_to": "", "person": ""})
    assert response.status_code == 302
    agents_query = [q for q in queries.captured_queries if q["sql"].startswith('SELECT DISTINCT "accounts_user"')]
    assert not agents_query
    # An agent chosen is still checked against the list (an unknown id is refused).
    response = client.post(url, {**data, "assigned_to": "999999", "person": ""})
    assert response.status_code == 200 and "assigned_to" in response.context["form"].errors
    assert Request.objects.count() == 1


def test_intake_form_reads_the_people_without_a_server_side_cursor(client, accueil) -> None:
    household = HouseholdFactory()
    PersonFactory(household=household, first_name="Inès")
    client.force_login(accueil)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("desk:new") + f"?menage={household.pk}")
    assert "Inès" in response.content.decode()
    assert not [q for q in queries.captured_queries if "DECLARE" in q["sql"]]
    assert len([q for q in queries.captured_queries if "households_person" in q["sql"]]) == 1
