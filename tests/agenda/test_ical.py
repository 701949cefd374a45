"""iCalendar feed: secret token required, RFC 5545 text (CRLF, escaping, UTC), no personal data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from guichet.agenda.ical import escape_text, fold
from guichet.agenda.models import CalendarToken, Place
from guichet.agenda.services import calendar_token_regenerate, token_digest
from tests.agenda.factories import AppointmentFactory
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_token_stored_hashed_and_regenerated(accueil):
    first = calendar_token_regenerate(user=accueil)
    assert len(first) >= 40
    stored = CalendarToken.objects.get(user=accueil)
    assert stored.token_hash == token_digest(first) and first not in stored.token_hash
    second = calendar_token_regenerate(user=accueil)
    client = Client()
    assert client.get(reverse("agenda:ical", kwargs={"token": first})).status_code == 404
    assert client.get(reverse("agenda:ical", kwargs={"token": second})).status_code == 200


def test_wrong_token_404():
    assert Client().get(reverse("agenda:ical", kwargs={"token": "pas-le-bon"})).status_code == 404


def test_feed_format_and_privacy(accueil):
    household = HouseholdFactory(phone="0612345678", email="secret@example.org")
    PersonFactory(household=household, last_name="Dupontel")
    place = Place.objects.create(name="Salle 2; étage", kind="ccas", address="1, rue de la Paix")
    AppointmentFactory(agent=accueil, household=household, place=place, reason="Dettes de loyer")
    AppointmentFactory(household=household)  # another agent's: not in this feed
    token = calendar_token_regenerate(user=accueil)
    response = Client().get(reverse("agenda:ical", kwargs={"token": token}))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    assert "LOCATION:Salle 2\\; étage\\, 1\\, rue de la Paix" in lines
    assert f"SUMMARY:Rendez-vous\\, ménage {household.reference}" in lines
    start_line = next(line for line in lines if line.startswith("DTSTART:"))
    assert re.fullmatch(r"DTSTART:\d{8}T\d{6}Z", start_line)
    for secret in ("Dupontel", "Dettes", "0612345678", "secret@example.org"):
        assert secret not in text
    assert all(len(raw.encode()) <= 75 for raw in text.split("\r\n"))


def test_feed_closed_when_user_loses_access(accueil):
    token = calendar_token_regenerate(user=accueil)
    accueil.is_active = False
    accueil.save()
    assert Client().get(reverse("agenda:ical", kwargs={"token": token})).status_code == 404


def test_escape_and_fold():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long = "SUMMARY:" + "é" * 100
    folded = fold(long)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long


def test_regenerate_page(accueil, direction):
    client = Client()
    client.force_login(accueil)
    response = client.post(reverse("agenda:calendar_token"))
    assert response.status_code == 200 and ".ics" in response.content.decode()
    other = Client()
    other.force_login(direction)
    assert other.post(reverse("agenda:calendar_token")).status_code == 403
