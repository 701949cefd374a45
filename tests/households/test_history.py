"""The whole history of a file: the household page shows the latest events and links to every one of
them, page by page, filtered by kind; the same access rules and audit as the household page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import User
from guichet.audit.models import AuditEntry
from guichet.households import timeline
from guichet.households.models import Household
from guichet.households.views import HISTORY_PAGE_SIZE, TIMELINE_SHOWN
from tests.conftest import make_persona
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)


def many_events(count: int) -> Any:
    """A provider of ``count`` events « Essai n » one hour apart (n = 0 is the oldest); even ones
    are « Demande », odd ones « Note »."""

    def provider(household: Household) -> Iterator[timeline.TimelineEvent]:
        for n in range(count):
            kind = "Demande" if n % 2 == 0 else "Note"
            yield timeline.TimelineEvent(when=START + dt.timedelta(hours=n), kind=kind, title=f"Essai {n}")

    return provider


@pytest.fixture
def long_file(monkeypatch: pytest.MonkeyPatch) -> Household:
    household = HouseholdFactory(created_at=timezone.now())
    monkeypatch.setitem(timeline._providers, "essai", many_events(TIMELINE_SHOWN + 50))
    return household


def client_for(persona: str) -> Client:
    client = Client()
    client.force_login(User.objects.filter(username=f"persona-{persona}").first() or make_persona(persona))
    return client


def titles(body: str) -> list[str]:
    return [
        part.split("</li>")[0].split("</span> ", 2)[-1] for part in body.split('<li><span class="muted nowrap">')[1:]
    ]


def test_household_page_shows_the_latest_events_and_links_to_the_rest(long_file: Household) -> None:
    body = client_for("social").get(reverse("households:detail", args=[long_file.pk])).content.decode()
    shown = titles(body)
    assert len(shown) == TIMELINE_SHOWN
    assert shown[0] == "Ouverture du dossier"  # created now: the most recent
    assert shown[1] == f"Essai {TIMELINE_SHOWN + 49}"
    assert "Essai 0" not in shown
    assert f"Voir tout l'historique ({TIMELINE_SHOWN + 51} événements, dont 51 plus anciens" in body
    assert reverse("households:history", args=[long_file.pk]) in body


def test_history_pages_through_every_event(long_file: Household) -> None:
    client = client_for("social")
    url = reverse("households:history", args=[long_file.pk])
    seen: list[str] = []
    page = 1
    while True:
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        seen += titles(response.content.decode())
        if 'rel="next"' not in response.content.decode():
            break
        page += 1
    assert page == -(-(TIMELINE_SHOWN + 51) // HISTORY_PAGE_SIZE)
    assert len(seen) == TIMELINE_SHOWN + 51
    assert seen[-1] == "Essai 0"
    assert seen[-2] == "Essai 1"


def test_history_filters_by_kind(long_file: Household) -> None:
    client = client_for("social")
    url = reverse("households:history", args=[long_file.pk])
    body = client.get(url, {"type": "Note"}).content.decode()
    assert f"{(TIMELINE_SHOWN + 50) // 2} événements de type « Note »" in body
    shown = titles(body)
    assert shown and all(int(title.split()[-1]) % 2 == 1 for title in shown)
    assert "type=Note&amp;page=2" in body  # the filter is kept from page to page
    unknown = client.get(url, {"type": "<script>"}).content.decode()  # an unknown kind: every event
    assert f"{TIMELINE_SHOWN + 51} événements," in unknown
    assert "<script>" not in unknown


def test_history_is_an_audited_read_with_the_household_rules(long_file: Household) -> None:
    url = reverse("households:history", args=[long_file.pk])
    before = AuditEntry.objects.filter(target_type="household", target_id=str(long_file.pk)).count()
    assert client_for("accueil").get(url).status_code == 200
    assert AuditEntry.objects.filter(target_type="household", target_id=str(long_file.pk)).count() == before + 1
    assert client_for("direction").get(url).status_code == 403  # aggregates only
    confidential = HouseholdFactory(is_confidential=True)
    for persona in ("accueil", "social", "responsable"):  # exactly the household page's rule
        client = client_for(persona)
        page = client.get(reverse("households:detail", args=[confidential.pk]))
        history = client.get(reverse("households:history", args=[confidential.pk]))
        assert (history.status_code, history.get("Location")) == (page.status_code, page.get("Location"))
        if history.status_code == 200:
            assert confidential.reference in history.content.decode()
        else:
            assert confidential.reference not in history.content.decode()
    assert client_for("social").get(reverse("households:history", args=[10**9])).status_code == 404
