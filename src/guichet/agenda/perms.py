"""Who may do what in the agenda.

Rules:
- Appointments belong to a household file: opening one goes through the household policy of
  ``households.perms``; booking, moving, cancelling and marking need ``Perm.HOUSEHOLD_EDIT``.
- Whoever may manage appointments (``HOUSEHOLD_EDIT``) books for any colleague, so they also see a
  colleague's week (confidential households they may not open are shown without reference).
- Opening slots (``Availability``): an agent (``HOUSEHOLD_EDIT``) edits their own; a responsable
  (``HOUSEHOLD_EDIT`` and ``SETTINGS_MANAGE``) edits anyone's.
- Places are settings: ``Perm.SETTINGS_MANAGE`` (responsable, administrateur).
- No-show statistics per agent and place name agents: ``STATS_VIEW`` with ``HOUSEHOLD_VIEW``
  (responsables; direction / élu see no names).
- A convocation letter is written by whoever may open the household (``HOUSEHOLD_VIEW``: the rule of
  ``letters.services.can_write_kind`` for this kind, which the agenda cannot import).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.agenda.models import Appointment, Availability
from guichet.households.perms import check_household_access


def can_manage_appointments(user: Any) -> bool:
    return bool(user.has_perm(Perm.HOUSEHOLD_EDIT.full))


def can_write_convocation(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_VIEW.full))


def can_manage_places(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.SETTINGS_MANAGE.full))


def can_manage_all_availabilities(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_EDIT.full) and user.has_perm(Perm.SETTINGS_MANAGE.full)
    )


def can_edit_availabilities_of(user: Any, agent: Any) -> bool:
    if not (user.is_authenticated and can_manage_appointments(user)):
        return False
    return bool(agent.pk == user.pk or can_manage_all_availabilities(user))


def can_view_agenda_stats(user: Any) -> bool:
    return bool(
        user.is_authenticated and user.has_perm(Perm.STATS_VIEW.full) and user.has_perm(Perm.HOUSEHOLD_VIEW.full)
    )


def get_availability_for_user(user: Any, pk: int) -> Availability:
    """The opening slot ``pk`` if ``user`` may edit it; Http404 if it does not exist, 403 otherwise."""
    availability = Availability.objects.select_related("agent", "place").filter(pk=pk).first()
    if availability is None:
        raise Http404("Créneau introuvable.")
    if not can_edit_availabilities_of(user, availability.agent):
        raise PermissionDenied("Vous ne pouvez modifier que vos propres créneaux.")
    return availability


def get_appointment_for_user(user: Any, pk: int) -> Appointment:
    """The appointment ``pk`` if ``user`` may open its household; Http404 if it does not exist."""
    appointment = Appointment.objects.select_related("household", "agent", "place", "request").filter(pk=pk).first()
    if appointment is None:
        raise Http404("Rendez-vous introuvable.")
    check_household_access(user, appointment.household)
    return appointment
