"""The household access policy: the one place that says who may open which household file.

Rules:
- Opening any household needs ``Perm.HOUSEHOLD_VIEW`` (accueil, travailleur social, responsable).
  Direction / élu and administrateur never open a household (aggregates only, no social content).
- A confidential household (violence, some health situations) is open to its referents and to holders
  of ``Perm.CONFIDENTIAL_VIEW_ALL`` (responsables). Anyone else holding ``Perm.BREAK_GLASS`` may
  "break the glass" with a written reason: the access is logged (audit ``break_glass``), shown to
  responsables, and lasts ``BREAK_GLASS_DURATION``.
- The social situation (resources, benefits, taxable income, rent, quotient) needs
  ``Perm.HOUSEHOLD_FOLLOW``: the front desk sees contact data and people, not the social situation.
- In lists and search results, a confidential household that the user may not open is shown as
  « Dossier confidentiel », without names.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from guichet.accounts.enums import Perm
from guichet.households.models import BreakGlassGrant, Household

BREAK_GLASS_DURATION = timedelta(hours=1)
BREAK_GLASS_MIN_REASON = 15


class BreakGlassRequired(PermissionDenied):
    """The household is confidential: the user may open it only by giving a reason."""

    def __init__(self, household: Household) -> None:
        super().__init__("Ce dossier est confidentiel : indiquez le motif de votre accès.")
        self.household = household


def can_view_households(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_VIEW.full))


def can_see_social_situation(user: Any) -> bool:
    """Resources, benefits, taxable income, housing costs and quotient: social workers and responsables."""
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def can_break_glass(user: Any) -> bool:
    return can_view_households(user) and bool(user.has_perm(Perm.BREAK_GLASS.full))


def has_standing_confidential_access(user: Any, household: Household) -> bool:
    """Referents and responsables see confidential households without breaking the glass."""
    if user.has_perm(Perm.CONFIDENTIAL_VIEW_ALL.full):
        return True
    return household.referents.filter(pk=user.pk).exists()


def has_active_grant(user: Any, household: Household) -> bool:
    return BreakGlassGrant.objects.filter(user=user, household=household, expires_at__gt=timezone.now()).exists()


def confidential_ids_open_to(user: Any, household_ids: list[int]) -> set[int]:
    """Among ``household_ids`` (confidential ones), those ``user`` may open right now (one query each kind)."""
    if user.has_perm(Perm.CONFIDENTIAL_VIEW_ALL.full):
        return set(household_ids)
    referent = Household.objects.filter(pk__in=household_ids, referents=user).values_list("pk", flat=True)
    granted = BreakGlassGrant.objects.filter(
        user=user, household_id__in=household_ids, expires_at__gt=timezone.now()
    ).values_list("household_id", flat=True)
    return set(referent) | set(granted)


def check_household_access(user: Any, household: Household) -> None:
    """Raise ``PermissionDenied`` or ``BreakGlassRequired`` when ``user`` may not open ``household``."""
    if not can_view_households(user):
        raise PermissionDenied("Vous n'avez pas accès aux dossiers des ménages.")
    if not household.is_confidential:
        return
    if has_standing_confidential_access(user, household) or has_active_grant(user, household):
        return
    if can_break_glass(user):
        raise BreakGlassRequired(household)
    raise PermissionDenied("Ce dossier est confidentiel.")


def get_household_for_user(user: Any, pk: int) -> Household:
    """The household ``pk`` if ``user`` may open it; Http404 if it does not exist."""
    households = Household.objects.select_related("address__quartier").defer("address__quartier__boundary")
    try:
        household = households.get(pk=pk)  # no ORDER BY, unlike ``first()``
    except Household.DoesNotExist:
        raise Http404("Ménage introuvable.") from None
    check_household_access(user, household)
    return household
