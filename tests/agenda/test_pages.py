"""Pages of the agenda: my week, booking form (errors keep values), detail and its POST actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment, Place
from tests.agenda.factories import AppointmentFactory, next_slot
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_agenda_lists_own_week_only(accueil, social):
    mine = AppointmentFactory(agent=accueil, reason="Mon rendez-vous FSL")
    AppointmentFactory(agent=social, starts_at=mine.starts_at, reason="Celui d'un collègue")
    week = mine.starts_at.date().isoformat()
    response = _client(accueil).get(reverse("agenda:mine"), {"semaine": week})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mon rendez-vous FSL" in content and "Celui d'un collègue" not in content
    assert mine.household.reference in content
    later = _client(accueil).get(reverse("agenda:mine"), {"semaine": "2099-01-05"}).content.decode()
    assert "Mon rendez-vous FSL" not in later
    for odd in ("n'importe quoi", "9999-12-31", "0001-01-01"):
        assert _client(accueil).get(reverse("agenda:mine"), {"semaine": odd}).status_code == 200


def test_booking_form_books_and_redirects(accueil):
    household = HouseholdFactory()
    day = next_slot(days=3).date()
    data = {
        "agent": accueil.pk,
        "day": day.isoformat(),
        "start": "14:00",
        "duration": "45",
        "place": Place.objects.get(name="CCAS").pk,
        "reason": "Dossier énergie",
    }
    response = _client(accueil).post(f"{reverse('agenda:new')}?menage={household.pk}", data)
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse("agenda:detail", args=[appointment.pk])
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=45)
    # the same slot again: refused, values kept
    again = _client(accueil).post(f"{reverse('agenda:new')}?menage={household.pk}", data)
    assert again.status_code == 200
    content = again.content.decode()
    assert "déjà un rendez-vous sur ce créneau" in content and "Dossier énergie" in content
    assert Appointment.objects.count() == 1


def test_booking_form_missing_household_redirects(accueil):
    assert _client(accueil).get(reverse("agenda:new")).status_code == 302


def test_booking_form_refused_for_direction(direction):
    household = HouseholdFactory()
    assert _client(direction).get(f"{reverse('agenda:new')}?menage={household.pk}").status_code == 403


def test_detail_and_actions(accueil):
    appointment = AppointmentFactory(agent=accueil)
    client = _client(accueil)
    assert client.get(reverse("agenda:detail", args=[appointment.pk])).status_code == 200
    response = client.post(reverse("agenda:mark", args=[appointment.pk]), {"status": "absent"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    # a second transition is refused with a message, nothing changes
    client.post(reverse("agenda:cancel", args=[appointment.pk]), follow=True)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


def test_cancel_and_reschedule_views(accueil):
    appointment = AppointmentFactory(agent=accueil)
    client = _client(accueil)
    day = next_slot(days=4).date().isoformat()
    bad = client.post(
        reverse("agenda:reschedule", args=[appointment.pk]),
        {"day": day, "start": "", "duration": "30", "place": appointment.place_id},
    )
    assert bad.status_code == 422 and day in bad.content.decode()
    ok = client.post(
        reverse("agenda:reschedule", args=[appointment.pk]),
        {"day": day, "start": "09:30", "duration": "30", "place": appointment.place_id},
    )
    assert ok.status_code == 302
    client.post(reverse("agenda:cancel", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.starts_at.date().isoformat() == day


def test_reschedule_form_shows_the_current_day_in_the_date_input(accueil):
    """A date input only reads ISO dates: the French format would show an empty day."""
    appointment = AppointmentFactory(agent=accueil)
    page = _client(accueil).get(reverse("agenda:detail", args=[appointment.pk])).content.decode()
    local_day = timezone.localtime(appointment.starts_at).date().isoformat()
    assert f'type="date" name="day" value="{local_day}"' in page


def test_confidential_detail_refused(accueil):
    appointment = AppointmentFactory(household=HouseholdFactory(confidential=True))
    response = _client(accueil).get(reverse("agenda:detail", args=[appointment.pk]))
    assert response.status_code == 302
    assert response.url == reverse("households:break_glass", args=[appointment.household.pk])
