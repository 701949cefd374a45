"""No-show tracking: per household on the booking form, per agent and place for responsables."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Place
from guichet.agenda.selectors import Attendance, attendance_stats, household_attendance
from guichet.agenda.settings_views import STATS_DEFAULT_DAYS
from tests.agenda.factories import AppointmentFactory
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _past(days: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days), dt.time(hour)))


def _history(household, agent, place, statuses: list[str]) -> None:
    for index, status in enumerate(statuses):
        AppointmentFactory(household=household, agent=agent, place=place, starts_at=_past(10 + index), status=status)


@pytest.mark.parametrize(
    ("no_shows", "total", "summary"),
    [
        (2, 5, "2 absences non excusées sur 5 rendez-vous."),
        (1, 3, "1 absence non excusée sur 3 rendez-vous."),
        (0, 4, "0 absence non excusée sur 4 rendez-vous."),
        (0, 0, "Aucun rendez-vous passé noté."),
    ],
)
def test_attendance_summary(no_shows, total, summary):
    assert Attendance(no_shows=no_shows, total=total).summary == summary


def test_attendance_rate():
    assert Attendance(no_shows=1, total=3).rate == 33
    assert Attendance(no_shows=2, total=3).rate == 67
    assert Attendance(no_shows=0, total=0).rate is None


def test_household_counts_ignore_cancelled_and_planned(accueil):
    household = HouseholdFactory()
    place = Place.objects.get(name="CCAS")
    _history(household, accueil, place, ["absent", "honore", "absent", "honore", "honore", "annule"])
    AppointmentFactory(household=household, agent=accueil)  # planned, in the future
    AppointmentFactory(agent=accueil, starts_at=_past(3), status="absent")  # another household
    assert household_attendance(household.pk) == Attendance(no_shows=2, total=5)
    page = _client(accueil).get(reverse("agenda:new"), {"menage": household.pk}).content.decode()
    assert "2 absences non excusées sur 5 rendez-vous." in page


def test_stats_per_agent_and_place():
    household = HouseholdFactory()
    alice = UserFactory(first_name="Alice", last_name="Martin")
    bruno = UserFactory(first_name="Bruno", last_name="Petit")
    ccas, mairie = Place.objects.get(name="CCAS"), Place.objects.get(name="Hôtel de ville")
    _history(household, alice, ccas, ["absent", "honore", "honore", "annule"])
    _history(household, bruno, mairie, ["absent", "absent"])
    AppointmentFactory(agent=bruno, place=mairie, starts_at=_past(400), status="absent")  # before the period
    today = timezone.localdate()
    stats = attendance_stats(since=today - dt.timedelta(days=365), until=today)
    assert stats.overall == Attendance(no_shows=3, total=5)
    assert [(line.label, line.attendance) for line in stats.by_agent] == [
        ("Alice Martin", Attendance(no_shows=1, total=3)),
        ("Bruno Petit", Attendance(no_shows=2, total=2)),
    ]
    assert [(line.label, line.attendance) for line in stats.by_place] == [
        ("CCAS", Attendance(no_shows=1, total=3)),
        ("Hôtel de ville", Attendance(no_shows=2, total=2)),
    ]


def test_stats_page_for_responsables_only(persona):
    AppointmentFactory(
        agent=UserFactory(first_name="Alice", last_name="Martin"), starts_at=_past(5), status=AppointmentStatus.NO_SHOW
    )
    page = _client(persona("responsable")).get(reverse("agenda:stats"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Alice Martin" in content and "1 absence non excusée sur 1 rendez-vous." in content
    assert "100 %" in content
    for name in ("accueil", "social", "direction", "admin"):
        assert _client(persona(name)).get(reverse("agenda:stats")).status_code == 403


def test_stats_page_tolerates_odd_dates(responsable):
    client = _client(responsable)
    today = timezone.localdate()
    default_since = today - dt.timedelta(days=STATS_DEFAULT_DAYS)
    for params, period in (
        ({"du": "n'importe quoi"}, f"Du {default_since:%d/%m/%Y} au {today:%d/%m/%Y}"),  # unreadable: default
        ({"du": "2030-01-01", "au": "2020-01-01"}, "Du 01/01/2020 au 01/01/2030"),  # reversed: swapped
        ({"au": "0001-01-01"}, f"Du {default_since:%d/%m/%Y} au {today:%d/%m/%Y}"),  # out of range: default
    ):
        response = client.get(reverse("agenda:stats"), params)
        assert response.status_code == 200
        assert period in response.content.decode()
