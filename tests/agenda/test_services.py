"""Booking, overlap refusal, permissions per persona and status transitions of appointments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment, Place
from guichet.agenda.services import (
    AgendaError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
)
from guichet.audit.enums import Action
from guichet.audit.models import AuditEntry
from tests.agenda.factories import AppointmentFactory, next_slot
from tests.conftest import make_persona
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def _book(user, household, agent=None, start=None, minutes=30):
    start = start or next_slot()
    return appointment_book(
        user=user,
        household=household,
        agent=agent or user,
        place=Place.objects.get(name="CCAS"),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        reason="Dossier FSL",
    )


def test_example_places_are_seeded():
    assert set(Place.objects.filter(is_example=True).values_list("kind", flat=True)) == {
        "maison_citoyen",
        "ccas",
        "hotel_de_ville",
        "domicile",
    }


@pytest.mark.parametrize("name", ["accueil", "social", "responsable"])
def test_booking_allowed_and_audited(name):
    user = make_persona(name)
    appointment = _book(user, HouseholdFactory())
    assert appointment.status == AppointmentStatus.PLANNED
    entry = AuditEntry.objects.get(target_type="appointment", target_id=str(appointment.pk))
    assert entry.action == Action.CREATE


@pytest.mark.parametrize("name", ["direction", "admin", "outsider"])
def test_booking_refused(name):
    with pytest.raises(PermissionDenied):
        _book(make_persona(name), HouseholdFactory())
    assert not Appointment.objects.exists()


def test_confidential_household_refused_without_access(accueil):
    with pytest.raises(PermissionDenied):
        _book(accueil, HouseholdFactory(confidential=True))


def test_overlap_refused_in_french(accueil, social):
    household = HouseholdFactory()
    start = next_slot()
    _book(accueil, household, agent=social, start=start)
    with pytest.raises(AgendaError, match="déjà un rendez-vous sur ce créneau"):
        _book(accueil, household, agent=social, start=start + dt.timedelta(minutes=15))
    # back to back is fine, and another agent is free
    _book(accueil, household, agent=social, start=start + dt.timedelta(minutes=30))
    _book(accueil, household, agent=accueil, start=start)


def test_cancelled_slot_can_be_reused(accueil):
    household = HouseholdFactory()
    first = _book(accueil, household)
    appointment_cancel(user=accueil, appointment=first)
    _book(accueil, household)


def test_end_before_start_refused(accueil):
    with pytest.raises(AgendaError, match="après son début"):
        _book(accueil, HouseholdFactory(), minutes=-10)


def test_reschedule_checks_overlap_and_resets_reminder(accueil):
    household = HouseholdFactory()
    first = _book(accueil, household, start=next_slot(hour=9))
    second = _book(accueil, household, start=next_slot(hour=11))
    with pytest.raises(AgendaError):
        appointment_reschedule(user=accueil, appointment=second, starts_at=first.starts_at, ends_at=first.ends_at)
    Appointment.objects.filter(pk=second.pk).update(reminder_sent_at=second.starts_at)
    moved = appointment_reschedule(
        user=accueil, appointment=second, starts_at=next_slot(days=2), ends_at=next_slot(days=2, hour=11)
    )
    assert moved.starts_at == next_slot(days=2) and moved.reminder_sent_at is None


@pytest.mark.parametrize("status", [AppointmentStatus.HONOURED, AppointmentStatus.NO_SHOW])
def test_mark_then_no_further_transition(accueil, status):
    appointment = AppointmentFactory(agent=accueil)
    appointment_mark(user=accueil, appointment=appointment, status=status)
    appointment.refresh_from_db()
    assert appointment.status == status
    with pytest.raises(AgendaError, match="déjà"):
        appointment_cancel(user=accueil, appointment=appointment)


def test_mark_rejects_other_statuses(accueil):
    with pytest.raises(AgendaError):
        appointment_mark(user=accueil, appointment=AppointmentFactory(), status=AppointmentStatus.CANCELLED)


def test_mark_refused_for_direction(direction):
    with pytest.raises(PermissionDenied):
        appointment_mark(user=direction, appointment=AppointmentFactory(), status=AppointmentStatus.HONOURED)


def test_agent_must_be_able_to_receive(accueil, direction):
    with pytest.raises(AgendaError, match="ne peut pas recevoir"):
        _book(accueil, HouseholdFactory(), agent=direction)
