"""API of the agenda: the caller's own appointments."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from guichet.accounts.api_access import api_require_perm
from guichet.accounts.enums import Perm
from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment

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
    lieu: str
    motif: str


def _out(appointment: Appointment) -> dict[str, Any]:
    return {
        "id": appointment.pk,
        "debut": appointment.starts_at,
        "fin": appointment.ends_at,
        "statut": appointment.status,
        "menage_id": appointment.household_id,
        "menage_reference": appointment.household.reference,
        "demande_id": appointment.request_id,
        "lieu": appointment.place.name,
        "motif": appointment.reason,
    }


@router.get("/rendez-vous", response=list[AppointmentOut], summary="Mes rendez-vous sur une période")
@api_require_perm(Perm.HOUSEHOLD_VIEW)
def my_appointments(request: HttpRequest, filters: Query[AppointmentFiltersIn]) -> list[dict[str, Any]]:
    first = filters.depuis or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    rows = (
        Appointment.objects.filter(
            agent_id=request.user.pk, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=filters.jours)
        )
        .select_related("household", "place")
        .order_by("starts_at")
    )
    return [_out(row) for row in rows]
