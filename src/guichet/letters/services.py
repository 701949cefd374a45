"""Generation of letters from a household file: permission-checked, stored as PDF, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone

from guichet.accounts.enums import Perm
from guichet.agenda.enums import AppointmentStatus
from guichet.agenda.models import Appointment
from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.models import Referral, Request
from guichet.households.models import Household
from guichet.households.perms import get_household_for_user
from guichet.letters.enums import LetterKind
from guichet.letters.models import Letter, LetterTemplate
from guichet.letters.rendering import CCAS_ADDRESS, COMMUNE, render_pdf, render_text
from guichet.letters.shared_data import applicant_of, full_name, referral_values, shared_label

# Referral letters and proofs of follow-up speak of the social situation: social workers only.
FOLLOW_KINDS = frozenset({LetterKind.REFERRAL, LetterKind.FOLLOW_UP})
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def french_date(day: dt.date) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def french_datetime(moment: dt.datetime) -> str:
    """« mardi 1er décembre 2026 à 14 h 30 » in the local time zone."""
    local = timezone.localtime(moment)
    day = WEEKDAYS[local.weekday()]
    minutes = f" {local.minute:02d}" if local.minute else ""
    return f"{day} {french_date(local.date())} à {local.hour} h{minutes}"


def can_write_kind(user: Any, kind: str) -> bool:
    perm = Perm.HOUSEHOLD_FOLLOW if kind in FOLLOW_KINDS else Perm.HOUSEHOLD_VIEW
    return bool(user.is_authenticated and user.has_perm(perm.full))


def _applicant_values(household: Household) -> dict[str, str]:
    applicant = applicant_of(list(household.people.all()))
    if applicant is None:
        return {"civilite": "Madame, Monsieur", "demandeur": ""}
    civility = {"F": "Madame", "M": "Monsieur"}.get(applicant.sex, "Madame, Monsieur")
    return {"civilite": civility, "demandeur": full_name(applicant)}


def _partner_values(referral: Referral) -> dict[str, str]:
    partner = referral.partner
    return {
        "partenaire": " — ".join(part for part in (partner.organisation, partner.service) if part),
        "partenaire_adresse": partner.address,
    }


def _appointment_values(appointment: Appointment) -> dict[str, str]:
    place = appointment.place
    agent = appointment.agent
    return {
        "rdv_date": french_datetime(appointment.starts_at),
        "rdv_lieu": f"{place.name}, {place.address}" if place.address else place.name,
        "rdv_agent": agent.get_full_name() or agent.get_username(),
    }


def letter_context(
    *,
    user: Any,
    household: Household,
    request: Request | None,
    referral: Referral | None,
    appointment: Appointment | None = None,
    kind: str = "",
) -> dict[str, str]:
    """Plain strings only: the template never sees a model object. A referral letter goes to a partner:
    it holds only what the household agreed to share (``shared_data``), whatever the template asks for."""
    values = {
        "commune": COMMUNE,
        "ccas_adresse": CCAS_ADDRESS,
        "date": french_date(timezone.localdate()),
        "agent": user.get_full_name() or user.get_username(),
        "reference": household.reference,
    }
    if kind == LetterKind.REFERRAL and referral is not None:
        values["civilite"] = "Madame, Monsieur"  # the partner is the addressee
        values.update(_partner_values(referral))
        values.update(referral_values(household=household, referral=referral, today=timezone.localdate()))
        return values
    values["adresse"] = str(household.address) if household.address else ""
    values.update(_applicant_values(household))
    if request is not None:
        values["demande_theme"] = request.get_theme_display()
        values["demande_objet"] = request.summary
    if referral is not None:
        values.update(_partner_values(referral))
        values["donnees_partagees"] = ", ".join(shared_label(item) for item in referral.shared_data) or "aucune donnée"
    if appointment is not None:
        values.update(_appointment_values(appointment))
    return values


class Links(NamedTuple):
    """What a letter speaks of, each checked to belong to the household."""

    request: Request | None = None
    referral: Referral | None = None
    appointment: Appointment | None = None


def _appointment_links(household: Household, appointment_id: int, request_id: int | None) -> Links:
    appointment = (
        Appointment.objects.select_related("place", "agent", "request")
        .filter(pk=appointment_id, household=household)
        .first()
    )
    if appointment is None:
        raise Http404("Rendez-vous introuvable pour ce ménage.")
    if appointment.status != AppointmentStatus.PLANNED:
        raise ValidationError({"appointment": "Ce rendez-vous n'est plus prévu : choisissez un rendez-vous à venir."})
    demand = appointment.request
    if request_id is not None:
        demand = Request.objects.filter(pk=request_id, household=household).first()
        if demand is None:
            raise Http404("Demande introuvable pour ce ménage.")
    # The latest referral of the request, so that the letter can name the partner the household was sent to.
    referral = demand.referrals.select_related("partner").order_by("-sent_on", "-pk").first() if demand else None
    return Links(request=demand, referral=referral, appointment=appointment)


def _links(
    household: Household, kind: str, request_id: int | None, referral_id: int | None, appointment_id: int | None
) -> Links:
    if kind == LetterKind.REFERRAL:
        if referral_id is None:
            raise ValidationError({"referral": "Choisissez l'orientation concernée."})
        referral = Referral.objects.select_related("partner", "request").filter(pk=referral_id).first()
        if referral is None or referral.request.household_id != household.pk:
            raise Http404("Orientation introuvable pour ce ménage.")
        return Links(request=referral.request, referral=referral)
    if kind == LetterKind.CONVOCATION and appointment_id is not None:
        return _appointment_links(household, appointment_id, request_id)
    if request_id is None:
        if kind == LetterKind.ANSWER:
            raise ValidationError({"request": "Choisissez la demande à laquelle vous répondez."})
        return Links()
    demand = Request.objects.filter(pk=request_id, household=household).first()
    if demand is None:
        raise Http404("Demande introuvable pour ce ménage.")
    return Links(request=demand)


def letter_preview(
    *,
    user: Any,
    household: Household,
    kind: str,
    request_id: int | None = None,
    referral_id: int | None = None,
    appointment_id: int | None = None,
) -> tuple[str, str]:
    """``(title, text)`` of the letter, without storing anything (the household is already checked)."""
    if not can_write_kind(user, kind):
        raise PermissionDenied("Vous ne pouvez pas rédiger ce type de courrier.")
    template = LetterTemplate.objects.filter(kind=kind, is_active=True).first()
    if template is None:
        raise ValidationError({"kind": "Aucun modèle actif pour ce type de courrier."})
    links = _links(household, kind, request_id, referral_id, appointment_id)
    values = letter_context(
        user=user, household=household, request=links.request, referral=links.referral,
        appointment=links.appointment, kind=kind,
    )  # fmt: skip
    return render_text(template.title, values), render_text(template.body, values)


@transaction.atomic
def letter_generate(
    *,
    user: Any,
    household_id: int,
    kind: str,
    request_id: int | None = None,
    referral_id: int | None = None,
    appointment_id: int | None = None,
    http_request: HttpRequest | None = None,
    channel: str = "web",
) -> Letter:
    household = get_household_for_user(user, household_id)
    title, text = letter_preview(
        user=user, household=household, kind=kind, request_id=request_id, referral_id=referral_id,
        appointment_id=appointment_id,
    )  # fmt: skip
    links = _links(household, kind, request_id, referral_id, appointment_id)
    pdf = render_pdf(title=title, text=text, date=french_date(timezone.localdate()))
    letter = Letter.objects.create(
        household=household, kind=kind, title=title, text=text, pdf=pdf,
        request=links.request, referral=links.referral, created_by=user,
    )  # fmt: skip
    audit_record(
        actor=user, action=Action.CREATE, target_type="letter", target_id=letter.pk,
        fields=["kind", "text", "pdf"], request=http_request, channel=channel,
    )  # fmt: skip
    return letter


@transaction.atomic
def letter_download(
    *, user: Any, letter_id: int, http_request: HttpRequest | None = None, channel: str = "web"
) -> Letter:
    letter = Letter.objects.select_related("household").filter(pk=letter_id).first()
    if letter is None:
        raise Http404("Courrier introuvable.")
    get_household_for_user(user, letter.household_id)
    if not can_write_kind(user, letter.kind):
        raise PermissionDenied("Vous ne pouvez pas consulter ce type de courrier.")
    audit_record(
        actor=user, action=Action.READ, target_type="letter", target_id=letter.pk,
        fields=["pdf"], request=http_request, channel=channel,
    )  # fmt: skip
    return letter
