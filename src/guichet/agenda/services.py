"""Writes of the agenda: booking, rescheduling, cancelling and marking appointments.

Every function checks the permission (HOUSEHOLD_EDIT and the household open to the user, through
``households.perms``), runs in a transaction and writes the audit entry with the fields changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.agenda.enums import AppointmentStatus, PlaceKind
from guichet.agenda.models import Appointment, Availability, CalendarToken, Place
from guichet.agenda.perms import (
    can_edit_availabilities_of,
    can_manage_appointments,
    can_manage_places,
    get_appointment_for_user,
)
from guichet.agenda.sms import send_sms
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.models import Request
from guichet.households.models import Household
from guichet.households.perms import check_household_access


class AgendaError(ValidationError):
    """A refused change of the agenda (overlap, invalid times or status), with a French message."""


def check_appointment_edit(user: Any, household: Household) -> None:
    if not can_manage_appointments(user):
        raise PermissionDenied("Vous ne pouvez pas gérer les rendez-vous.")
    check_household_access(user, household)


def _check_slot(*, agent: Any, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise AgendaError("Les horaires doivent être précisés avec leur fuseau horaire.")
    if ends_at <= starts_at:
        raise AgendaError("La fin du rendez-vous doit être après son début.")
    overlapping = Appointment.objects.filter(
        agent=agent, status=AppointmentStatus.PLANNED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    clash = overlapping.first()
    if clash is not None:
        raise AgendaError(
            f"{agent.get_full_name() or agent.get_username()} a déjà un rendez-vous sur ce créneau "
            f"(rendez-vous n° {clash.pk})."
        )


def _check_place(place: Place) -> None:
    if not place.is_active:
        raise AgendaError(f"Le lieu « {place.name} » n'accueille plus de rendez-vous.")


def appointment_open(*, user: Any, pk: int, request: HttpRequest | None = None, channel: str = "web") -> Appointment:
    """The appointment ``pk`` for ``user``, after the household policy check; the read is audited."""
    appointment = get_appointment_for_user(user, pk)
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="appointment",
        target_id=appointment.pk,
        fields=["household", "agent", "place", "starts_at", "reason"],
        request=request,
        channel=channel,
    )
    return appointment


@transaction.atomic
def appointment_book(
    *,
    user: Any,
    household: Household,
    agent: Any,
    place: Place,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
    demand: Request | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Appointment:
    check_appointment_edit(user, household)
    if demand is not None and demand.household_id != household.pk:
        raise AgendaError("La demande ne concerne pas ce ménage.")
    if not agent.is_active or not can_manage_appointments(agent):
        raise AgendaError("Cet agent ne peut pas recevoir de rendez-vous.")
    _check_place(place)
    _check_slot(agent=agent, starts_at=starts_at, ends_at=ends_at)
    appointment = Appointment.objects.create(
        agent=agent,
        household=household,
        request=demand,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=user,
    )
    audit_record(
        actor=user,
        action=Action.CREATE,
        target_type="appointment",
        target_id=appointment.pk,
        fields=["agent", "household", "request", "place", "starts_at", "ends_at", "reason"],
        request=request,
        channel=channel,
    )
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().select_related("household", "agent").get(pk=appointment.pk)


def _check_planned(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.PLANNED:
        raise AgendaError(f"Ce rendez-vous est déjà « {appointment.get_status_display()} ».")


@transaction.atomic
def appointment_reschedule(
    *,
    user: Any,
    appointment: Appointment,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: Place | None = None,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Appointment:
    appointment = _locked(appointment)
    check_appointment_edit(user, appointment.household)
    _check_planned(appointment)
    _check_slot(agent=appointment.agent, starts_at=starts_at, ends_at=ends_at, exclude=appointment.pk)
    fields = ["starts_at", "ends_at", "reminder_sent_at"]
    appointment.starts_at, appointment.ends_at, appointment.reminder_sent_at = starts_at, ends_at, None
    if place is not None and place.pk != appointment.place_id:
        _check_place(place)
        appointment.place = place
        fields.append("place")
    appointment.save(update_fields=fields)
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="appointment",
        target_id=appointment.pk,
        fields=fields,
        request=request,
        channel=channel,
    )
    return appointment


@transaction.atomic
def _set_status(
    *, user: Any, appointment: Appointment, status: str, request: HttpRequest | None, channel: str
) -> Appointment:
    appointment = _locked(appointment)
    check_appointment_edit(user, appointment.household)
    _check_planned(appointment)
    appointment.status = status
    appointment.save(update_fields=["status"])
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="appointment",
        target_id=appointment.pk,
        fields=["status"],
        request=request,
        channel=channel,
    )
    return appointment


def appointment_cancel(
    *, user: Any, appointment: Appointment, request: HttpRequest | None = None, channel: str = "web"
) -> Appointment:
    return _set_status(
        user=user, appointment=appointment, status=AppointmentStatus.CANCELLED, request=request, channel=channel
    )


def appointment_mark(
    *,
    user: Any,
    appointment: Appointment,
    status: str,
    request: HttpRequest | None = None,
    channel: str = "web",
) -> Appointment:
    """Mark a planned appointment as honoured or as a no-show."""
    if status not in (AppointmentStatus.HONOURED, AppointmentStatus.NO_SHOW):
        raise AgendaError("Un rendez-vous ne peut être marqué que « Honoré » ou « Absent ».")
    return _set_status(user=user, appointment=appointment, status=status, request=request, channel=channel)


def appointment_reminders(*, now: dt.datetime | None = None) -> int:
    """Send one reminder (e-mail and SMS, to the household's contacts) for each planned appointment
    starting within the next 24 hours; idempotent: an appointment is claimed by setting
    ``reminder_sent_at`` before anything is sent, so a second run (even concurrent) sends nothing."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.PLANNED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=24),
    ).select_related("household", "place")
    sent = 0
    for appointment in due:
        if not Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        ):
            continue
        local = timezone.localtime(appointment.starts_at)
        place = appointment.place.name + (f", {appointment.place.address}" if appointment.place.address else "")
        text = f"Rappel : rendez-vous le {local:%d/%m/%Y à %H:%M} — {place}. CCAS de Saint-Étienne-du-Rouvray."
        household = appointment.household
        if household.email:
            send_mail("Rappel de votre rendez-vous", text, settings.DEFAULT_FROM_EMAIL, [household.email])
        if household.phone:
            send_sms(household.phone, text)
        audit_record(
            actor=None,
            action=Action.UPDATE,
            target_type="appointment",
            target_id=appointment.pk,
            fields=["reminder_sent_at"],
            channel="task",
        )
        sent += 1
    return sent


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_token_regenerate(*, user: Any, request: HttpRequest | None = None) -> str:
    """A new secret for ``user``'s iCalendar feed (the previous URL stops working); returned once."""
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(user=user, defaults={"token_hash": token_digest(token)})
    audit_record(
        actor=user,
        action=Action.UPDATE,
        target_type="calendar_token",
        target_id=user.pk,
        fields=["token_hash"],
        request=request,
    )
    return token


def calendar_token_user(token: str) -> Any | None:
    """The active user owning the feed secret ``token``, or None."""
    found = CalendarToken.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    return found.user if found is not None and found.user.is_active else None


PLACE_FIELDS = ("name", "kind", "address", "is_active")
AVAILABILITY_FIELDS = ("agent", "place", "weekday", "start_time", "end_time", "valid_from", "valid_until")


def _check_places_manager(user: Any) -> None:
    if not can_manage_places(user):
        raise PermissionDenied("Vous ne pouvez pas gérer les lieux d'accueil.")


def _save_audited(
    user: Any, obj: Place | Availability, target_type: str, fields: list[str], request: HttpRequest | None
) -> None:
    """Save a setting of the agenda (a place, an opening slot) and audit its creation or change."""
    creating = obj.pk is None
    obj.save()
    audit_record(
        actor=user,
        action=Action.CREATE if creating else Action.UPDATE,
        target_type=target_type,
        target_id=obj.pk,
        fields=fields,
        request=request,
    )


@transaction.atomic
def place_save(*, user: Any, place: Place, changed: Iterable[str], request: HttpRequest | None = None) -> Place:
    """Create or update a place of reception (``changed``: the names of the fields edited); deactivating
    a place keeps its appointments and stops new bookings there."""
    _check_places_manager(user)
    if place.kind not in PlaceKind.values:
        raise AgendaError("Type de lieu inconnu.")
    if not place.name.strip():
        raise AgendaError("Donnez un nom au lieu.")
    _save_audited(user, place, "place", [name for name in changed if name in PLACE_FIELDS], request)
    return place


@transaction.atomic
def place_delete(*, user: Any, place: Place, request: HttpRequest | None = None) -> None:
    """Delete a place created by mistake: refused once it has appointments or opening slots
    (deactivate it instead)."""
    _check_places_manager(user)
    place = Place.objects.select_for_update().get(pk=place.pk)
    if place.appointments.exists() or place.availabilities.exists():
        raise AgendaError(
            f"Le lieu « {place.name} » a des rendez-vous ou des créneaux : désactivez-le plutôt que de le supprimer."
        )
    pk = place.pk
    place.delete()
    audit_record(actor=user, action=Action.DELETE, target_type="place", target_id=pk, request=request)


def _check_availability_edit(user: Any, agent: Any) -> None:
    if not can_edit_availabilities_of(user, agent):
        raise PermissionDenied("Vous ne pouvez modifier que vos propres créneaux.")


@transaction.atomic
def availability_save(
    *, user: Any, availability: Availability, changed: Iterable[str], request: HttpRequest | None = None
) -> Availability:
    """Create or update an opening slot of ``availability.agent`` (their own, or anyone's for a responsable)."""
    agent = availability.agent
    _check_availability_edit(user, agent)
    if availability.pk is not None:
        previous = Availability.objects.select_related("agent").get(pk=availability.pk)
        _check_availability_edit(user, previous.agent)
    if not agent.is_active or not can_manage_appointments(agent):
        raise AgendaError("Cet agent ne peut pas recevoir de rendez-vous.")
    if availability.end_time <= availability.start_time:
        raise AgendaError("La fin du créneau doit être après son début.")
    if availability.valid_from and availability.valid_until and availability.valid_until < availability.valid_from:
        raise AgendaError("La date de fin de validité doit être après la date de début.")
    _check_place(availability.place)
    _save_audited(
        user, availability, "availability", [name for name in changed if name in AVAILABILITY_FIELDS], request
    )
    return availability


@transaction.atomic
def availability_delete(*, user: Any, availability: Availability, request: HttpRequest | None = None) -> None:
    _check_availability_edit(user, availability.agent)
    pk = availability.pk
    availability.delete()
    audit_record(actor=user, action=Action.DELETE, target_type="availability", target_id=pk, request=request)
