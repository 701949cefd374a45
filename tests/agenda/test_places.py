"""The « Lieux » page: responsables list, create, edit and deactivate places; a place with appointments
is never deleted; every change is audited; inactive places take no new booking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from guichet.agenda.forms import AvailabilityForm, SlotForm
from guichet.agenda.models import Appointment, Availability, Place
from guichet.agenda.services import AgendaError, appointment_book, place_delete, place_save
from guichet.audit.models import AuditEntry
from tests.agenda.factories import AppointmentFactory, next_slot
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [("responsable", 200), ("admin", 200), ("accueil", 403), ("social", 403), ("direction", 403), ("outsider", 403)],
)
def test_places_page_is_for_settings_managers(persona, persona_name, status):
    client = _client(persona(persona_name))
    assert client.get(reverse("agenda:places")).status_code == status
    assert client.get(reverse("agenda:place_new")).status_code == status


def test_places_page_lists_seeded_places_with_counts(responsable):
    AppointmentFactory(place=Place.objects.get(name="CCAS"))
    page = _client(responsable).get(reverse("agenda:places")).content.decode()
    for name in ("Maison du citoyen", "CCAS", "Hôtel de ville", "Visite à domicile"):
        assert name in page
    assert "exemple à vérifier" in page
    assert "4 lieux" in page


def test_create_edit_and_deactivate_a_place(responsable):
    client = _client(responsable)
    response = client.post(
        reverse("agenda:place_new"),
        {"name": "Antenne Château-Blanc", "kind": "maison_citoyen", "address": "", "is_active": "on"},
    )
    assert response.status_code == 302 and response.url == reverse("agenda:places")
    place = Place.objects.get(name="Antenne Château-Blanc")
    assert place.is_active and not place.is_example
    created = AuditEntry.objects.get(target_type="place", action="create")
    assert created.target_id == str(place.pk) and created.actor == responsable
    response = client.post(
        reverse("agenda:place_edit", args=[place.pk]),
        {"name": "Antenne Château-Blanc", "kind": "maison_citoyen", "address": "Rue de Paris"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.address == "Rue de Paris" and not place.is_active
    updated = AuditEntry.objects.get(target_type="place", action="update")
    assert updated.fields == ["address", "is_active"]
    assert "Inactif" in client.get(reverse("agenda:places")).content.decode()


def test_bad_input_keeps_values_and_names_the_error(responsable):
    response = _client(responsable).post(
        reverse("agenda:place_new"), {"name": "", "kind": "bureau", "address": "12 rue des Lilas"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "12 rue des Lilas" in content
    assert "Le formulaire n'a pas été enregistré" in content
    assert not Place.objects.filter(address="12 rue des Lilas").exists()


def test_a_place_with_appointments_is_never_deleted(responsable):
    place = Place.objects.get(name="CCAS")
    AppointmentFactory(place=place)
    response = _client(responsable).post(reverse("agenda:place_delete", args=[place.pk]), follow=True)
    assert "désactivez-le plutôt" in response.content.decode()
    assert Place.objects.filter(pk=place.pk).exists()
    with pytest.raises(AgendaError):
        place_delete(user=responsable, place=place)


def test_a_place_with_opening_slots_offers_no_deletion(responsable, social):
    place = Place.objects.create(name="Permanence", kind="ccas")
    Availability.objects.create(agent=social, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12))
    page = _client(responsable).get(reverse("agenda:place_edit", args=[place.pk])).content.decode()
    assert "Supprimer ce lieu" not in page  # the button would only lead to a refusal
    with pytest.raises(AgendaError):
        place_delete(user=responsable, place=place)


def test_an_unused_place_can_be_deleted_and_it_is_audited(responsable):
    place = Place.objects.create(name="Erreur de saisie", kind="ccas")
    assert (
        "Supprimer ce lieu" in _client(responsable).get(reverse("agenda:place_edit", args=[place.pk])).content.decode()
    )
    response = _client(responsable).post(reverse("agenda:place_delete", args=[place.pk]))
    assert response.status_code == 302 and not Place.objects.filter(pk=place.pk).exists()
    assert AuditEntry.objects.filter(target_type="place", action="delete", target_id=str(place.pk)).exists()


def test_place_services_refuse_other_roles(accueil):
    place = Place.objects.get(name="CCAS")
    with pytest.raises(PermissionDenied):
        place_save(user=accueil, place=place, changed=["name"])
    with pytest.raises(PermissionDenied):
        place_delete(user=accueil, place=place)
    assert _client(accueil).post(reverse("agenda:place_delete", args=[place.pk])).status_code == 403


def test_an_inactive_place_takes_no_new_appointment_but_keeps_its_own(accueil):
    place = Place.objects.get(name="Hôtel de ville")
    kept = AppointmentFactory(agent=accueil, place=place)
    place.is_active = False
    place.save()
    with pytest.raises(AgendaError, match="n'accueille plus de rendez-vous"):
        appointment_book(
            user=accueil,
            household=HouseholdFactory(),
            agent=accueil,
            place=place,
            starts_at=next_slot(days=5),
            ends_at=next_slot(days=5, hour=11),
        )
    client = _client(accueil)
    booking = client.get(f"{reverse('agenda:new')}?menage={kept.household.pk}").content.decode()
    assert f'<option value="{place.pk}"' not in booking
    # the appointment at the now inactive place can still be moved without changing its place
    detail = client.get(reverse("agenda:detail", args=[kept.pk])).content.decode()
    assert f'<option value="{place.pk}" selected' in detail
    day = next_slot(days=6).date().isoformat()
    response = client.post(
        reverse("agenda:reschedule", args=[kept.pk]),
        {"day": day, "start": "09:00", "duration": "30", "place": place.pk},
    )
    assert response.status_code == 302
    assert Appointment.objects.get(pk=kept.pk).place == place


def test_an_inactive_place_stays_offered_only_to_the_opening_slot_already_there(social):
    place = Place.objects.get(name="Hôtel de ville")
    slot = Availability.objects.create(
        agent=social, place=place, weekday=0, start_time=dt.time(9), end_time=dt.time(12)
    )
    place.is_active = False
    place.save()
    agents = [(social.pk, "Moi")]
    assert place in AvailabilityForm(instance=slot, agents=agents).fields["place"].queryset
    assert place not in AvailabilityForm(agents=agents).fields["place"].queryset
    assert set(AvailabilityForm(agents=agents).fields["place"].queryset) == set(SlotForm().fields["place"].queryset)
