"""The household page reads a fixed number of queries, however long the file's history: every
timeline provider reads its events in one query (no query per event, request, author or place)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.agenda.models import Place
from guichet.agenda.services import appointment_book
from guichet.desk.enums import ReferralOutcome, RequestStatus, SharedData, Theme
from guichet.desk.services import referral_create, referral_record_answer, request_change_status, request_create
from guichet.households.models import Household
from guichet.households.timeline import TimelineEvent, render_line
from guichet.letters.enums import LetterKind
from guichet.letters.services import letter_generate
from guichet.rights.models import RightsAssessment
from tests.conftest import make_persona
from tests.desk.factories import PartnerFactory
from tests.factories import HouseholdFactory, PersonFactory
from tests.records.factories import make_document, make_note

pytestmark = pytest.mark.django_db

KINDS = ("Dossier", "Demande", "Orientation", "Rendez-vous", "Pièce", "Note", "Courrier", "Bilan de droits")


@pytest.fixture(autouse=True)
def _records_storage(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUICHET_NOTES_KEY = Fernet.generate_key().decode()


def add_history(household: Household, author: Any, rounds: int, start: int = 0) -> None:
    """``rounds`` times: a request moved along, referred to a partner who answers, an appointment, a
    document, a note, a letter and a stored rights assessment: 10 timeline events a round (the request
    is created, put in progress, referred, which moves its status, and the partner's answer comes)."""
    partner = PartnerFactory()
    place = Place.objects.order_by("pk").first()
    for number in range(start, start + rounds):
        demand = request_create(user=author, household=household, theme=Theme.FOOD_AID, summary=f"Demande {number}")
        request_change_status(user=author, demand=demand, to=RequestStatus.IN_PROGRESS)
        referral = referral_create(user=author, demand=demand, partner=partner, shared_data=[SharedData.IDENTITY])
        referral_record_answer(
            user=author,
            referral=referral,
            acknowledged_on=None,
            answer="Pris en charge.",
            answered_on=None,
            outcome=ReferralOutcome.ACCEPTED,
        )
        starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=number + 1)
        appointment_book(
            user=author,
            household=household,
            agent=author,
            place=place,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=30),
            demand=demand,
        )
        make_document(household, author)
        make_note(household, author, is_sensitive=number % 2 == 1)
        letter_generate(user=author, household_id=household.pk, kind=LetterKind.FOLLOW_UP)
        RightsAssessment.objects.create(
            household=household,
            month=dt.date(2026, 1 + number % 12, 1),
            created_by=author,
            inputs={"id": household.pk},
            results={"benefits": []},
            openfisca_france_version="0.0.test",
            catalogue_version="test",
        )


def page(client: Client, household: Household) -> tuple[int, str]:
    """The queries of one household page (the client has already opened it once) and its text."""
    url = reverse("households:detail", args=[household.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("persona", ["accueil", "social", "responsable"])
def test_household_page_queries_do_not_grow_with_the_timeline(persona: str) -> None:
    viewer = make_persona(persona)
    author = viewer if persona == "social" else make_persona("social")
    household = HouseholdFactory()
    PersonFactory(household=household)
    client = Client()
    client.force_login(viewer)
    add_history(household, author, rounds=1)
    short_queries, short_page = page(client, household)
    add_history(household, author, rounds=11, start=1)
    long_queries, long_page = page(client, household)
    assert long_page.count('<span class="badge">Rendez-vous</span>') == 12  # the history is there…
    assert long_queries == short_queries  # …for the same queries as with one event of each kind


def test_long_history_shows_every_kind_of_event_in_date_order() -> None:
    social = make_persona("social")
    household = HouseholdFactory()
    add_history(household, social, rounds=3)
    client = Client()
    client.force_login(social)
    _, body = page(client, household)
    timeline = body[body.index('<ol class="timeline">') :]
    assert all(f'<span class="badge">{kind}</span>' in timeline for kind in KINDS)
    stamps = [  # "dd/mm/YYYY HH:MM" as (YYYY, mm, dd, HH:MM), which sorts in date order
        line.split('<span class="muted nowrap">')[1][:16]
        for line in timeline.split("</ol>")[0].splitlines()
        if line.strip().startswith("<li>")
    ]
    shown = [(s[6:10], s[3:5], s[0:2], s[11:16]) for s in stamps]
    assert len(shown) == 1 + 3 * 10
    assert shown == sorted(shown, reverse=True)


def test_rendered_timeline_escapes_every_value() -> None:
    event = TimelineEvent(
        when=timezone.now(), kind="<i>Demande</i>", title="<b>Loyer</b> & charges", detail="<script>x</script>",
        url='/a?b=1&c="2"', actor="O'Brien <agent>",
    )  # fmt: skip
    html = render_line(event)
    assert "<b>" not in html and "<script>" not in html and "<i>" not in html
    assert "&lt;b&gt;Loyer&lt;/b&gt; &amp; charges" in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert 'href="/a?b=1&amp;c=&quot;2&quot;"' in html and "O&#x27;Brien &lt;agent&gt;" in html
