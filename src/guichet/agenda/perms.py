"""Access to appointments: through the household policy of ``households.perms``."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.agenda.models import Appointment
from guichet.households.perms import check_household_access


def can_manage_appointments(user: Any) -> bool:
    return bool(user.has_perm(Perm.HOUSEHOLD_EDIT.full))


def get_appointment_for_user(user: Any, pk: int) -> Appointment:
    """The appointment ``pk`` if ``user`` may open its household; Http404 if it does not exist."""
    appointment = Appointment.objects.select_related("household", "agent", "place", "request").filter(pk=pk).first()
    if appointment is None:
        raise Http404("Rendez-vous introuvable.")
    check_household_access(user, appointment.household)
    return appointment
