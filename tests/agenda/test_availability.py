"""Opening slots: edited by the agent for themselves and by a responsable for anyone; the booking form
proposes the chosen agent's free slots and warns (without refusing) outside them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.enums import Role
from guichet.agenda.models import Appointment, Availability, Place
from guichet.agenda.selectors import agent_free_slots, is_within_opening_slots
from guichet.agenda.services import AgendaError, availability_delete, availability_save
from guichet.audit.models import AuditEntry
from tests.agenda.factories import AppointmentFactory
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _every_day(agent, place: Place, start: int = 9, end: int = 12) -> None:
    for weekday in range(7):
        Availability.objects.create(
            agent=agent, place=place, weekday=weekday, start_time=dt.time(start), end_time=dt.time(end)
        )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _form(place: Place, **overrides: str) -> dict[str, str]:
    data = {"weekday": "1", "start_time": "09:00", "end_time": "12:00", "place": str(place.pk)}
    data.update(overrides)
    return data


def test_agent_adds_edits_and_deletes_own_slot(accueil):
    place = Place.objects.get(name="Maison du citoyen")
    client = _client(accueil)
    assert client.get(reverse("agenda:availabilities")).status_code == 200
    response = client.post(reverse("agenda:availability_new"), {**_form(place), "agent_id": str(accueil.pk)})
    assert response.status_code == 302 and response.url == reverse("agenda:availabilities")
    slot = Availability.objects.get()
    assert (slot.agent, slot.weekday, slot.start_time, slot.end_time) == (accueil, 1, dt.time(9), dt.time(12))
    assert AuditEntry.objects.filter(target_type="availability", action="create", target_id=str(slot.pk)).exists()
    page = client.get(reverse("agenda:availabilities")).content.decode()
    assert "Mardi" in page and "09:00 – 12:00" in page
    client.post(
        reverse("agenda:availability_edit", args=[slot.pk]),
        {**_form(place, end_time="11:30"), "agent_id": str(accueil.pk)},
    )
    slot.refresh_from_db()
    assert slot.end_time == dt.time(11, 30)
    assert AuditEntry.objects.get(target_type="availability", action="update").fields == ["end_time"]
    client.post(reverse("agenda:availability_delete", args=[slot.pk]))
    assert not Availability.objects.exists()
    assert AuditEntry.objects.filter(target_type="availability", action="delete").exists()


def test_end_before_start_is_refused_with_values_kept(accueil):
    place = Place.objects.get(name="CCAS")
    response = _client(accueil).post(
        reverse("agenda:availability_new"),
        {**_form(place, start_time="14:00", end_time="13:00"), "agent_id": accueil.pk},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "La fin du créneau doit être après son début." in content
    assert 'value="14:00"' in content and not Availability.objects.exists()


def test_agent_cannot_touch_a_colleague_slot(accueil, social):
    place = Place.objects.get(name="CCAS")
    theirs = Availability.objects.create(
        agent=social, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(10)
    )
    client = _client(accueil)
    assert client.get(reverse("agenda:availability_edit", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("agenda:availability_delete", args=[theirs.pk])).status_code == 403
    # an agent who forges the colleague's id gets a form error: only themselves are offered
    response = client.post(reverse("agenda:availability_new"), {**_form(place), "agent_id": str(social.pk)})
    assert response.status_code == 200 and Availability.objects.count() == 1
    # the colleague's slots are not listed to them (the agent parameter is ignored)
    page = client.get(reverse("agenda:availabilities"), {"agent": social.pk}).content.decode()
    assert "Mes créneaux d'ouverture" in page and "Lundi" not in page
    with pytest.raises(PermissionDenied):
        availability_delete(user=accueil, availability=theirs)
    theirs.agent = accueil
    with pytest.raises(PermissionDenied):  # moving a colleague's slot to oneself is refused too
        availability_save(user=accueil, availability=theirs, changed=["agent"])


def test_responsable_edits_anyone_slots(responsable, social):
    place = Place.objects.get(name="CCAS")
    client = _client(responsable)
    response = client.post(reverse("agenda:availability_new"), {**_form(place), "agent_id": str(social.pk)})
    assert response.status_code == 302 and response.url == f"{reverse('agenda:availabilities')}?agent={social.pk}"
    slot = Availability.objects.get(agent=social)
    page = client.get(reverse("agenda:availabilities"), {"agent": social.pk}).content.decode()
    assert "Créneaux d'ouverture de" in page and "Mardi" in page
    assert client.get(reverse("agenda:availability_edit", args=[slot.pk])).status_code == 200


@pytest.mark.parametrize("persona_name", ["direction", "admin", "outsider"])
def test_slot_pages_refused_without_household_edit(persona, persona_name):
    client = _client(persona(persona_name))
    assert client.get(reverse("agenda:availabilities")).status_code == 403
    assert client.get(reverse("agenda:availability_new")).status_code == 403


def test_slot_for_someone_who_cannot_receive_appointments_is_refused(responsable, direction):
    slot = Availability(
        agent=direction, place=Place.objects.get(name="CCAS"), weekday=0, start_time=dt.time(9), end_time=dt.time(10)
    )
    with pytest.raises(AgendaError, match="ne peut pas recevoir"):
        availability_save(user=responsable, availability=slot, changed=[])


def test_free_slots_skip_existing_appointments(accueil):
    place = Place.objects.get(name="CCAS")
    _every_day(accueil, place)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    AppointmentFactory(agent=accueil, starts_at=_at(tomorrow, 10), ends_at=_at(tomorrow, 10, 45))
    AppointmentFactory(
        agent=accueil, starts_at=_at(tomorrow, 9), ends_at=_at(tomorrow, 9, 30), status="annule"
    )  # a cancelled appointment frees its slot
    slots = [
        (timezone.localtime(slot.starts_at).time(), slot.place)
        for slot in agent_free_slots(accueil.pk, duration=dt.timedelta(minutes=30))
        if timezone.localtime(slot.starts_at).date() == tomorrow
    ]
    assert slots == [(dt.time(9), place), (dt.time(9, 30), place), (dt.time(10, 45), place), (dt.time(11, 15), place)]


def test_free_slots_never_start_in_the_past():
    agent = UserFactory(roles=[Role.ACCUEIL])
    _every_day(agent, Place.objects.get(name="CCAS"), start=0, end=23)
    now = timezone.now()
    slots = agent_free_slots(agent.pk, duration=dt.timedelta(minutes=60), now=now)
    assert slots and all(slot.starts_at >= now for slot in slots)
    assert len(slots) == 24  # the list is capped


def test_booking_form_offers_the_chosen_agent_free_slots_as_links(accueil, social):
    place = Place.objects.get(name="Maison du citoyen")
    _every_day(social, place, start=14, end=15)
    household = HouseholdFactory()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    AppointmentFactory(agent=social, starts_at=_at(tomorrow, 14), ends_at=_at(tomorrow, 14, 30))
    client = _client(accueil)
    own = client.get(reverse("agenda:new"), {"menage": household.pk}).content.decode()
    assert "Aucun créneau libre" in own  # accueil declared none
    page = client.get(reverse("agenda:new"), {"menage": household.pk, "agent": social.pk}).content.decode()
    assert f"jour={tomorrow.isoformat()}&amp;heure=14%3A30&amp;lieu={place.pk}" in page
    assert f"jour={tomorrow.isoformat()}&amp;heure=14%3A00" not in page
    # following the link pre-fills the booking form
    prefilled = client.get(
        reverse("agenda:new"),
        {"menage": household.pk, "agent": social.pk, "jour": tomorrow.isoformat(), "heure": "14:30", "lieu": place.pk},
    ).content.decode()
    assert f'type="date" name="day" value="{tomorrow.isoformat()}"' in prefilled
    assert 'value="14:30"' in prefilled
    assert f'<option value="{place.pk}" selected' in prefilled
    assert f'<option value="{social.pk}" selected' in prefilled


def test_booking_outside_slots_is_accepted_with_a_warning(accueil):
    place = Place.objects.get(name="CCAS")
    _every_day(accueil, place, start=9, end=12)
    household = HouseholdFactory()
    day = timezone.localdate() + dt.timedelta(days=2)
    data = {"agent": accueil.pk, "day": day.isoformat(), "duration": "30", "place": place.pk, "reason": ""}
    client = _client(accueil)
    outside = client.post(f"{reverse('agenda:new')}?menage={household.pk}", {**data, "start": "16:00"}, follow=True)
    assert "en dehors des créneaux d&#x27;ouverture de" in outside.content.decode()
    inside = client.post(f"{reverse('agenda:new')}?menage={household.pk}", {**data, "start": "10:00"}, follow=True)
    assert "en dehors des créneaux" not in inside.content.decode()
    assert Appointment.objects.count() == 2


def test_within_opening_slots_is_unknown_without_slots(accueil):
    start = _at(timezone.localdate() + dt.timedelta(days=1), 10)
    place = Place.objects.get(name="CCAS")
    kwargs = {"agent_id": accueil.pk, "starts_at": start, "ends_at": start + dt.timedelta(minutes=30)}
    assert is_within_opening_slots(**kwargs, place_id=place.pk) is None
    _every_day(accueil, place)
    assert is_within_opening_slots(**kwargs, place_id=place.pk) is True
    assert is_within_opening_slots(**kwargs, place_id=Place.objects.get(name="Hôtel de ville").pk) is False
