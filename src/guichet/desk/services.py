"""Writes of the guichet unique: requests and their workflow, partners, referrals and their reminders.

Every function checks the permission, records the change in the request history when it concerns a
request, and writes the audit entry (with the names of the fields changed)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.desk.enums import (
    TRANSITIONS,
    Channel,
    PartnerKind,
    ReferralOutcome,
    RequestOutcome,
    RequestStatus,
    SharedData,
    Theme,
    Urgency,
    due_date_for,
)
from guichet.desk.models import PARTNER_FIELDS, Partner, Referral, Request, RequestEvent
from guichet.desk.perms import (
    can_edit_requests,
    can_export_requests,
    can_manage_partners,
    check_refer,
    check_request_edit,
    get_request_for_user,
)
from guichet.desk.selectors import export_rows
from guichet.households.models import Household, Person
from guichet.households.perms import check_household_access
from guichet.households.services import save_new_household

logger = logging.getLogger(__name__)


class DeskError(ValidationError):
    """A refused change of the guichet (invalid transition, missing outcome…), with a French message."""


def _audit(
    user: Any, action: Action, target_type: str, target_id: int, fields: Iterable[str], request: Any, channel: str
) -> None:
    audit_record(
        actor=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        fields=list(fields),
        request=request,
        channel=channel,
    )


def _agent_label(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _check_assignable(agent: Any) -> None:
    """A request goes only to an active agent who handles requests (as the assignment list offers)."""
    if agent is not None and not (agent.is_active and can_edit_requests(agent)):
        raise DeskError("Cet agent ne traite pas les demandes : choisissez un autre agent.", code="not_assignable")


@transaction.atomic
def request_create(
    *,
    user: Any,
    household: Household,
    theme: Theme | str,
    summary: str,
    channel: Channel | str = Channel.DESK,
    urgency: Urgency | str = Urgency.NORMAL,
    person: Person | None = None,
    assigned_to: Any = None,
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Request:
    """Record a new request for ``household``; its due date follows the theme's target delay."""
    check_request_edit(user)
    check_household_access(user, household)
    _check_assignable(assigned_to)
    summary = " ".join(summary.split())
    if not summary:
        raise DeskError("Indiquez l'objet de la demande.", code="summary_required")
    if person is not None and person.household_id != household.pk:
        raise DeskError("Cette personne n'appartient pas au ménage.", code="person_not_in_household")
    theme, channel, urgency = Theme(theme), Channel(channel), Urgency(urgency)
    today = timezone.localdate()
    new = Request.objects.create(
        household=household,
        person=person,
        theme=theme,
        channel=channel,
        urgency=urgency,
        summary=summary,
        assigned_to=assigned_to,
        created_by=user,
        due_on=due_date_for(theme, urgency, today),
    )
    RequestEvent.objects.create(
        request=new, kind=RequestEvent.Kind.CREATED, actor=user, to_value=RequestStatus.NEW.label
    )
    if assigned_to is not None:
        RequestEvent.objects.create(
            request=new, kind=RequestEvent.Kind.ASSIGNED, actor=user, to_value=_agent_label(assigned_to)
        )
    fields = ["household", "theme", "channel", "urgency", "summary", "due_on"]
    fields += ["person"] if person else []
    fields += ["assigned_to"] if assigned_to else []
    _audit(user, Action.CREATE, "request", new.pk, fields, request, audit_channel)
    return new


@transaction.atomic
def request_create_public(
    *,
    theme: Theme | str,
    summary: str,
    details: str = "",
    phone: str = "",
    email: str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "public",
) -> Request:
    """A request a resident made on the public site, without an agent: the caller has collected the
    person's explicit consent. A request needs a household: a new file holds only the contact details
    given (the agent who calls back completes it, or merges it into the household's existing file).
    The request is « nouvelle », unassigned, channel « en ligne »; ``details`` (the answers given) is
    the comment of the first line of its history."""
    summary = " ".join(summary.split())
    if not summary:
        raise DeskError("Indiquez l'objet de la demande.", code="summary_required")
    phone, email = phone.strip(), email.strip()
    if not (phone or email):
        raise DeskError("Indiquez un téléphone ou un courriel pour être rappelé.", code="contact_required")
    household = save_new_household(Household(phone=phone, email=email))
    theme = Theme(theme)
    new = Request.objects.create(
        household=household,
        theme=theme,
        channel=Channel.ONLINE,
        urgency=Urgency.NORMAL,
        summary=summary,
        due_on=due_date_for(theme, Urgency.NORMAL, timezone.localdate()),
    )
    RequestEvent.objects.create(
        request=new,
        kind=RequestEvent.Kind.CREATED,
        actor=None,
        to_value=RequestStatus.NEW.label,
        comment=details.strip(),
    )
    contact = [name for name, value in (("phone", phone), ("email", email)) if value]
    _audit(None, Action.CREATE, "household", household.pk, contact, request, audit_channel)
    fields = ["household", "theme", "channel", "summary", "due_on"]
    _audit(None, Action.CREATE, "request", new.pk, fields, request, audit_channel)
    return new


class _Keep:
    """Marker of a field ``request_update`` leaves as it is (``person=None`` means « the household »)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()
EDITABLE_FIELDS = {"theme": "Thème", "channel": "Canal", "urgency": "Urgence", "summary": "Objet", "person": "Personne"}


def _event_value(label: str, value: str) -> str:
    text = f"{label} : {value}"
    return text if len(text) <= 200 else text[:199] + "…"


def _person_label(person: Person | None) -> str:
    return f"{person.first_name} {person.last_name}" if person is not None else "Le ménage"


@transaction.atomic
def request_update(
    *,
    user: Any,
    demand: Request,
    theme: Theme | str | None = None,
    summary: str | None = None,
    channel: Channel | str | None = None,
    urgency: Urgency | str | None = None,
    person: Person | None = KEEP,
    comment: str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Request:
    """Correct what was typed at intake (theme, summary, channel, urgency, person concerned); ``None`` (or
    ``KEEP`` for ``person``) leaves a field as it is. A new theme or urgency moves the due date, counted from
    the day of intake. Each corrected field is a line of the request's history; a closed request is not edited."""
    check_request_edit(user)
    check_household_access(user, demand.household)
    # Lock the row only (PostgreSQL refuses FOR UPDATE on the nullable side of the join to the person).
    locked = Request.objects.select_for_update(of=("self",)).select_related("person").get(pk=demand.pk)
    if locked.status == RequestStatus.CLOSED:
        raise DeskError("Une demande clôturée ne se modifie plus : rouvrez-la d'abord.", code="request_closed")
    values: dict[str, Any] = {}
    try:
        if theme is not None:
            values["theme"] = Theme(theme)
        if channel is not None:
            values["channel"] = Channel(channel)
        if urgency is not None:
            values["urgency"] = Urgency(urgency)
    except ValueError as error:
        raise DeskError("Thème, canal ou urgence inconnu.", code="unknown_choice") from error
    if summary is not None:
        values["summary"] = " ".join(summary.split())
        if not values["summary"]:
            raise DeskError("Indiquez l'objet de la demande.", code="summary_required")
    if person is not KEEP:
        if person is not None and person.household_id != locked.household_id:
            raise DeskError("Cette personne n'appartient pas au ménage.", code="person_not_in_household")
        values["person"] = person
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return demand
    history: list[tuple[str, str, str]] = []
    for name in changed:
        if name == "person":
            before, after = _person_label(locked.person), _person_label(values["person"])
        elif name == "summary":
            before, after = locked.summary, values["summary"]
        else:
            before, after = str(getattr(locked, f"get_{name}_display")()), str(values[name].label)
        history.append((EDITABLE_FIELDS[name], before, after))
        setattr(locked, name, values[name])
    if "theme" in changed or "urgency" in changed:
        due_on = due_date_for(Theme(locked.theme), Urgency(locked.urgency), timezone.localdate(locked.created_at))
        if due_on != locked.due_on:
            history.append(("Échéance", f"{locked.due_on:%d/%m/%Y}", f"{due_on:%d/%m/%Y}"))
            locked.due_on = due_on
            changed.append("due_on")
    locked.save(update_fields=changed)
    RequestEvent.objects.bulk_create(
        RequestEvent(
            request=locked,
            kind=RequestEvent.Kind.UPDATED,
            actor=user,
            from_value=_event_value(label, before),
            to_value=_event_value(label, after),
            comment=comment.strip(),
        )
        for label, before, after in history
    )
    _audit(user, Action.UPDATE, "request", locked.pk, changed, request, audit_channel)
    for name in changed:
        setattr(demand, name, getattr(locked, name))
    return demand


@transaction.atomic
def request_assign(
    *,
    user: Any,
    demand: Request,
    assigned_to: Any,
    comment: str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Request:
    """Give the request to ``assigned_to`` (None: nobody)."""
    check_request_edit(user)
    check_household_access(user, demand.household)
    _check_assignable(assigned_to)
    if demand.assigned_to_id == (assigned_to.pk if assigned_to else None):
        return demand
    previous = _agent_label(demand.assigned_to)
    demand.assigned_to = assigned_to
    demand.save(update_fields=["assigned_to"])
    RequestEvent.objects.create(
        request=demand,
        kind=RequestEvent.Kind.ASSIGNED,
        actor=user,
        from_value=previous,
        to_value=_agent_label(assigned_to) or "Personne",
        comment=comment.strip(),
    )
    _audit(user, Action.UPDATE, "request", demand.pk, ["assigned_to"], request, audit_channel)
    return demand


@transaction.atomic
def request_change_status(
    *,
    user: Any,
    demand: Request,
    to: RequestStatus | str,
    comment: str = "",
    outcome: RequestOutcome | str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Request:
    """Move the request along its workflow (``enums.TRANSITIONS``); closing needs an outcome."""
    check_request_edit(user)
    check_household_access(user, demand.household)
    try:
        target = RequestStatus(to)
    except ValueError as error:
        raise DeskError("Statut inconnu.", code="unknown_status") from error
    current = RequestStatus(demand.status)
    if target not in TRANSITIONS[current]:
        raise DeskError(
            f"Une demande « {current.label.lower()} » ne peut pas passer au statut « {target.label.lower()} ».",
            code="invalid_transition",
        )
    fields = ["status"]
    if target == RequestStatus.CLOSED:
        if outcome not in RequestOutcome.values:
            raise DeskError("Indiquez l'issue de la demande pour la clôturer.", code="outcome_required")
        demand.outcome = RequestOutcome(outcome)
        demand.closed_at = timezone.now()
        fields += ["outcome", "closed_at"]
    elif current == RequestStatus.CLOSED:
        demand.outcome = ""
        demand.closed_at = None
        fields += ["outcome", "closed_at"]
    demand.status = target
    demand.save(update_fields=fields)
    to_label = target.label + (f" ({demand.get_outcome_display()})" if demand.outcome else "")
    RequestEvent.objects.create(
        request=demand,
        kind=RequestEvent.Kind.STATUS,
        actor=user,
        from_value=current.label,
        to_value=to_label,
        comment=comment.strip(),
    )
    _audit(user, Action.UPDATE, "request", demand.pk, fields, request, audit_channel)
    return demand


def request_close(
    *,
    user: Any,
    demand: Request,
    outcome: RequestOutcome | str,
    comment: str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Request:
    """Close the request with its outcome (required)."""
    if not outcome:
        raise DeskError("Indiquez l'issue de la demande pour la clôturer.", code="outcome_required")
    return request_change_status(
        user=user,
        demand=demand,
        to=RequestStatus.CLOSED,
        outcome=outcome,
        comment=comment,
        request=request,
        audit_channel=audit_channel,
    )


@transaction.atomic
def partner_save(
    *,
    user: Any,
    partner: Partner,
    changed: Iterable[str],
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Partner:
    """Create or update a directory entry (``changed``: the names of the fields edited)."""
    if not can_manage_partners(user):
        raise PermissionDenied("Vous ne pouvez pas modifier l'annuaire des partenaires.")
    if partner.kind not in PartnerKind.values:
        raise DeskError("Type de partenaire inconnu.", code="unknown_kind")
    if any(theme not in Theme.values for theme in partner.themes):
        raise DeskError("Thème inconnu.", code="unknown_theme")
    creating = partner.pk is None
    partner.save()
    fields = [name for name in changed if name in PARTNER_FIELDS]
    _audit(user, Action.CREATE if creating else Action.UPDATE, "partner", partner.pk, fields, request, audit_channel)
    return partner


@transaction.atomic
def referral_create(
    *,
    user: Any,
    demand: Request,
    partner: Partner,
    shared_data: Iterable[SharedData | str],
    sent_on: dt.date | None = None,
    comment: str = "",
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Referral:
    """Refer the request to ``partner`` with the data categories the household agreed to share; the
    request becomes « orientée » (unless closed) and a reminder falls due after the partner's delay."""
    check_refer(user)
    check_household_access(user, demand.household)
    if not partner.is_active:
        raise DeskError("Ce partenaire n'est plus actif dans l'annuaire.", code="partner_inactive")
    shared = sorted({SharedData(value) for value in shared_data})
    if not shared:
        raise DeskError(
            "Cochez au moins une catégorie de données que le ménage accepte de partager.", code="consent_required"
        )
    sent_on = sent_on or timezone.localdate()
    referral = Referral.objects.create(
        request=demand,
        partner=partner,
        shared_data=[value.value for value in shared],
        sent_on=sent_on,
        reminder_due_on=sent_on + dt.timedelta(days=partner.reminder_days),
        created_by=user,
    )
    RequestEvent.objects.create(
        request=demand, kind=RequestEvent.Kind.REFERRAL, actor=user, to_value=str(partner), comment=comment.strip()
    )
    _audit(user, Action.CREATE, "referral", referral.pk, ["partner", "shared_data", "sent_on"], request, audit_channel)
    if demand.status not in (RequestStatus.CLOSED, RequestStatus.REFERRED):
        request_change_status(
            user=user, demand=demand, to=RequestStatus.REFERRED, request=request, audit_channel=audit_channel
        )
    return referral


@transaction.atomic
def referral_record_answer(
    *,
    user: Any,
    referral: Referral,
    acknowledged_on: dt.date | None,
    answer: str,
    answered_on: dt.date | None,
    outcome: ReferralOutcome | str,
    request: HttpRequest | None = None,
    audit_channel: str = "web",
) -> Referral:
    """Record the partner's acknowledgement, answer and the outcome of the referral."""
    check_refer(user)
    check_household_access(user, referral.request.household)
    outcome = ReferralOutcome(outcome)
    answer = answer.strip()
    if outcome != ReferralOutcome.PENDING and answered_on is None:
        answered_on = timezone.localdate()
    for day in (acknowledged_on, answered_on):
        if day is not None and day < referral.sent_on:
            raise DeskError("Une date ne peut pas précéder l'envoi de l'orientation.", code="date_before_sent")
    values = {"acknowledged_on": acknowledged_on, "answer": answer, "answered_on": answered_on, "outcome": outcome}
    changed = [name for name, value in values.items() if getattr(referral, name) != value]
    if not changed:
        return referral
    for name in changed:
        setattr(referral, name, values[name])
    referral.save(update_fields=changed)
    if "outcome" in changed:
        RequestEvent.objects.create(
            request=referral.request,
            kind=RequestEvent.Kind.REFERRAL,
            actor=user,
            from_value=str(referral.partner),
            to_value=referral.get_outcome_display(),
        )
    _audit(user, Action.UPDATE, "referral", referral.pk, changed, request, audit_channel)
    return referral


def overdue_referrals(today: dt.date) -> list[Referral]:
    """Referrals without an answer past their reminder date, not yet flagged."""
    return list(
        Referral.objects.filter(
            outcome=ReferralOutcome.PENDING,
            answered_on__isnull=True,
            reminder_due_on__lt=today,
            reminder_sent_at__isnull=True,
        ).select_related("partner", "request__assigned_to", "created_by")
    )


def referral_reminders(*, today: dt.date | None = None) -> int:
    """Flag overdue referrals and e-mail the agent in charge; safe to run twice (flagged ones are skipped).
    Returns the number of referrals flagged."""
    today = today or timezone.localdate()
    flagged = 0
    for referral in overdue_referrals(today):
        with transaction.atomic():
            # Re-read under lock: two workers running at once flag each referral once.
            locked = Referral.objects.select_for_update().filter(pk=referral.pk, reminder_sent_at__isnull=True)
            if not locked.update(reminder_sent_at=timezone.now()):
                continue
            audit_record(
                actor=None,
                action=Action.UPDATE,
                target_type="referral",
                target_id=referral.pk,
                fields=["reminder_sent_at"],
                channel="task",
            )
        flagged += 1
        agent = referral.request.assigned_to or referral.created_by
        if agent is not None and agent.email:
            send_mail(
                subject=f"Orientation sans réponse : demande n° {referral.request_id}",
                message=(
                    f"L'orientation de la demande n° {referral.request_id} vers {referral.partner}, envoyée le "
                    f"{referral.sent_on:%d/%m/%Y}, n'a pas reçu de réponse dans le délai prévu "
                    f"({referral.partner.reminder_days} jours). Pensez à relancer le partenaire."
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[agent.email],
                fail_silently=True,
            )
    if flagged:
        logger.info("referral reminders: %s flagged", flagged)
    return flagged


def request_open(*, user: Any, pk: int, request: HttpRequest | None = None, audit_channel: str = "web") -> Request:
    """The request ``pk`` after the household policy check; the read is audited."""
    demand = get_request_for_user(user, pk)
    _audit(
        user, Action.READ, "request", demand.pk, ["summary", "status", "events", "referrals"], request, audit_channel
    )
    return demand


@transaction.atomic
def requests_export(
    *, user: Any, requests: Iterable[Request], description: str, request: HttpRequest | None = None
) -> list[list[str]]:
    """The rows of an export of ``requests``; the export itself is audited (with its filters)."""
    if not can_export_requests(user):
        raise PermissionDenied("Vous ne pouvez pas exporter de données personnelles.")
    rows = export_rows(user, requests)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        target_type="request",
        target_id="",
        fields=["household", "quartier", "theme", "channel", "urgency", "summary", "status", "outcome", "agent"],
        reason=f"{len(rows)} demande(s) ; {description}",
        request=request,
        channel="web",
    )
    return rows


def referral_note_sent(*, user: Any, referral: Referral, comment: str) -> None:
    """Record in the request's history that the referral was sent to the partner (by another app:
    letters sends it by e-mail). The caller has checked the user and audits what it sent."""
    check_refer(user)
    RequestEvent.objects.create(  # shown as « orientation vers <partenaire> : envoyée par courriel »
        request=referral.request,
        kind=RequestEvent.Kind.REFERRAL,
        actor=user,
        from_value=str(referral.partner)[:200],
        to_value="envoyée par courriel",
        comment=comment,
    )
