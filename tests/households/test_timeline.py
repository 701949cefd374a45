"""The household timeline: providers registered by other apps, merged in date order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.households import timeline
from guichet.households.timeline import TimelineEvent, household_timeline, register_timeline_provider
from tests.conftest import make_persona
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_provider():
    def provider(household):
        yield TimelineEvent(when=timezone.now() + dt.timedelta(days=1), kind="Demande", title="Aide à l'énergie")

    register_timeline_provider("test", provider)
    yield
    timeline._providers.pop("test")


def test_events_of_all_providers_in_reverse_date_order(extra_provider: None) -> None:
    household = HouseholdFactory()
    events = household_timeline(make_persona("social"), household)
    assert [e.kind for e in events] == ["Demande", "Dossier"]


def test_household_page_shows_the_timeline(extra_provider: None) -> None:
    household = HouseholdFactory()
    client = Client()
    client.force_login(make_persona("accueil"))
    body = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Historique" in body and "Aide à l&#x27;énergie" in body and "Ouverture du dossier" in body
