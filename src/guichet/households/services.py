"""Writes on the household file: opening a file (audited read) and breaking the glass."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from guichet.audit.enums import Action
from guichet.audit.services import audit_record
from guichet.households.models import BreakGlassGrant, Household
from guichet.households.perms import (
    BREAK_GLASS_DURATION,
    BREAK_GLASS_MIN_REASON,
    can_break_glass,
    can_see_social_situation,
    get_household_for_user,
)

CONTACT_FIELDS = ("reference", "address", "phone", "email", "people")
SOCIAL_FIELDS = ("resources", "taxable_incomes", "housing", "rent", "caf_quotient")


@transaction.atomic
def household_open(*, user: Any, pk: int, request: HttpRequest | None = None, channel: str = "web") -> Household:
    """The household ``pk`` for ``user``, after the policy check; the read is written to the audit log."""
    household = get_household_for_user(user, pk)
    fields = CONTACT_FIELDS + (SOCIAL_FIELDS if can_see_social_situation(user) else ())
    audit_record(
        actor=user,
        action=Action.READ,
        target_type="household",
        target_id=household.pk,
        fields=fields,
        request=request,
        channel=channel,
    )
    return household


@transaction.atomic
def household_break_glass(
    *, user: Any, household: Household, reason: str, request: HttpRequest | None = None, channel: str = "web"
) -> BreakGlassGrant:
    """Give ``user`` temporary access to a confidential household, with the reason logged."""
    if not can_break_glass(user):
        raise PermissionDenied("Vous ne pouvez pas accéder aux dossiers confidentiels.")
    reason = " ".join(reason.split())
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            f"Précisez le motif de l'accès (au moins {BREAK_GLASS_MIN_REASON} caractères).", code="reason_too_short"
        )
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user, household=household, reason=reason, granted_at=now, expires_at=now + BREAK_GLASS_DURATION
    )
    audit_record(
        actor=user,
        action=Action.BREAK_GLASS,
        target_type="household",
        target_id=household.pk,
        reason=reason,
        request=request,
        channel=channel,
    )
    return grant
