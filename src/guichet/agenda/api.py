"""API of the agenda: the caller's own appointments, one appointment, and booking, moving, cancelling and
marking appointments through ``agenda.services`` (same permissions and audit as the pages).

Write operations read their JSON body after the permission check (``desk.api.read_body``), so that a
refused caller gets a 403 whatever it sent; the body schemas are published in the OpenAPI document."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.accounts.models import User
from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment, Place
from guichet.agenda.perms import get_appointment_for_user
from guichet.agenda.services import (
    AgendaError,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_open,
    appointment_reschedule,
)
from guichet.desk.api import body_doc, read_body
from guichet.desk.perms import get_request_for_user
from guichet.households.perms import get_household_for_user

router = Router(tags=["rendez-vous"])


class AppointmentFiltersIn(Schema):
    depuis: dt.date | None = Field(None, description="Premier jour (par défaut : aujourd'hui).")
    jours: int = Field(7, ge=1, le=92, description="Nombre de jours à partir de « depuis » (1 à 92).")


class AppointmentOut(Schema):
    id: int
    debut: dt.datetime = Field(description="Début, avec fuseau horaire.")
    fin: dt.datetime
    statut: AppointmentStatus
    menage_id: int
    menage_reference: str
    demande_id: int | None
    agent_id: int
    agent: str = Field(description="Nom de l'agent qui reçoit")
    lieu_id: int
    lieu: str
    motif: str


class AppointmentBookIn(Schema):
    """``menage`` or ``demande`` (or both, when the request concerns that household)."""

    menage: int | None = Field(None, description="Ménage reçu ; déduit de la demande si absent")
    demande: int | None = Field(None, description="Demande à l'origine du rendez-vous")
    agent: int | None = Field(None, description="Agent qui reçoit ; par défaut, vous")
    lieu: int = Field(description="Identifiant du lieu")
    debut: dt.datetime = Field(description="Début, avec fuseau horaire (ex. 2026-12-01T10:00:00+01:00)")
    fin: dt.datetime = Field(description="Fin, avec fuseau horaire")
    motif: str = Field("", max_length=200)


class AppointmentMoveIn(Schema):
    debut: dt.datetime = Field(description="Nouveau début, avec fuseau horaire")
    fin: dt.datetime = Field(description="Nouvelle fin, avec fuseau horaire")
    lieu: int | None = Field(None, description="Nouveau lieu ; par défaut, le même")


class AppointmentMarkIn(Schema):
    statut: AppointmentStatus = Field(description="« honore » (honoré) ou « absent »")


def _out(appointment: Appointment) -> dict[str, Any]:
    agent = appointment.agent
    return {
        "id": appointment.pk,
        "debut": appointment.starts_at,
        "fin": appointment.ends_at,
        "statut": appointment.status,
        "menage_id": appointment.household_id,
        "menage_reference": appointment.household.reference,
        "demande_id": appointment.request_id,
        "agent_id": appointment.agent_id,
        "agent": agent.get_full_name() or agent.get_username(),
        "lieu_id": appointment.place_id,
        "lieu": appointment.place.name,
        "motif": appointment.reason,
    }


def _write(write: Callable[[], Appointment]) -> Appointment:
    """Run an agenda service; its refusal (overlap, times, status) is a 422 problem with its French message."""
    try:
        return write()
    except AgendaError as error:
        raise HttpError(422, " ".join(error.messages)) from error


def _place(pk: int) -> Place:
    place = Place.objects.filter(pk=pk).first()
    if place is None:
        raise HttpError(422, "Lieu inconnu.")
    return place


@router.get("/rendez-vous", response=list[AppointmentOut], summary="Mes rendez-vous sur une période")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def my_appointments(request: HttpRequest, filters: Query[AppointmentFiltersIn]) -> list[dict[str, Any]]:
    first = filters.depuis or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        Appointment.objects.filter(
            agent_id=request.user.pk, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=filters.jours)
        )
        .select_related("household", "place", "agent")
        .order_by("starts_at")
    )
    return [_out(row) for row in rows]


@router.post(
    "/rendez-vous",
    response={201: AppointmentOut},
    summary="Fixer un rendez-vous à un ménage ou pour une demande",
    description=(
        "Indiquez le ménage (`menage`) ou la demande (`demande`) ; l'agent qui reçoit (par défaut, vous) ne doit "
        "pas avoir d'autre rendez-vous sur le créneau. Horaires avec fuseau horaire. Le rendez-vous est "
        "enregistré dans le journal d'audit."
    ),
    openapi_extra=body_doc(AppointmentBookIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def appointment_book_api(request: HttpRequest) -> Status[dict[str, Any]]:
    body = read_body(request, AppointmentBookIn)
    user = request.user
    demand_id, household_id = body.demande, body.menage
    demand = (get_request_for_user(user, demand_id)) if demand_id is not None else None
    if household_id is not None:
        household = get_household_for_user(user, household_id)
    elif demand is not None:
        household = demand.household
    else:
        raise HttpError(422, "Indiquez le ménage ou la demande du rendez-vous.")
    agent = user if body.agent is None else User.objects.filter(pk=body.agent, is_active=True).first()
    if agent is None:
        raise HttpError(422, "Agent inconnu.")
    place = _place(body.lieu)
    appointment = _write(
        lambda: appointment_book(
            user=user,
            household=household,
            agent=agent,
            place=place,
            starts_at=body.debut,
            ends_at=body.fin,
            reason=body.motif.strip(),
            demand=demand,
            request=request,
            channel="api",
        )
    )
    return Status(201, _out(appointment))


@router.get(
    "/rendez-vous/{appointment_id}",
    response=AppointmentOut,
    summary="Consulter un rendez-vous",
    description="Selon les droits sur le dossier du ménage ; la consultation est enregistrée dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def appointment_get(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    appointment = appointment_open(user=request.user, pk=appointment_id, request=request, channel="api")
    return _out(appointment)


@router.post(
    "/rendez-vous/{appointment_id}/deplacer",
    response=AppointmentOut,
    summary="Déplacer un rendez-vous",
    description=(
        "Nouveaux horaires (et, au besoin, nouveau lieu) d'un rendez-vous prévu ; le rappel sera renvoyé. "
        "Enregistré dans le journal d'audit."
    ),
    openapi_extra=body_doc(AppointmentMoveIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def appointment_move_api(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    appointment = get_appointment_for_user(request.user, appointment_id)
    body = read_body(request, AppointmentMoveIn)
    place = _place(body.lieu) if body.lieu is not None else None
    moved = _write(
        lambda: appointment_reschedule(
            user=request.user,
            appointment=appointment,
            starts_at=body.debut,
            ends_at=body.fin,
            place=place,
            request=request,
            channel="api",
        )
    )
    return _out(moved)


@router.post(
    "/rendez-vous/{appointment_id}/annuler",
    response=AppointmentOut,
    summary="Annuler un rendez-vous",
    description="Seul un rendez-vous prévu s'annule. Enregistré dans le journal d'audit.",
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def appointment_cancel_api(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    appointment = get_appointment_for_user(request.user, appointment_id)
    cancelled = _write(
        lambda: appointment_cancel(user=request.user, appointment=appointment, request=request, channel="api")
    )
    return _out(cancelled)


@router.post(
    "/rendez-vous/{appointment_id}/marquer",
    response=AppointmentOut,
    summary="Marquer un rendez-vous honoré ou l'absence du ménage",
    description="Seul un rendez-vous prévu se marque : « honore » ou « absent ». Enregistré dans le journal d'audit.",
    openapi_extra=body_doc(AppointmentMarkIn),
)
@api_require_perm(Perm.HOUSEHOLD_VIEW, Perm.HOUSEHOLD_EDIT)
def appointment_mark_api(request: HttpRequest, appointment_id: int) -> dict[str, Any]:
    appointment = get_appointment_for_user(request.user, appointment_id)
    body = read_body(request, AppointmentMarkIn)
    marked = _write(
        lambda: appointment_mark(
            user=request.user, appointment=appointment, status=body.statut, request=request, channel="api"
        )
    )
    return _out(marked)
