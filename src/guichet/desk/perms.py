"""Who may do what with requests, referrals and partners.

Rules:
- Requests belong to a household file: seeing one needs ``Perm.HOUSEHOLD_VIEW`` and the right to open
  its household (``households.perms.check_household_access``: confidential files, break the glass).
- Creating, assigning, changing the status of and closing a request needs ``Perm.HOUSEHOLD_EDIT``
  (accueil, travailleur social, responsable).
- Referring a request to a partner and recording the partner's answer needs ``Perm.HOUSEHOLD_FOLLOW``
  (travailleur social, responsable).
- Exports of request lists need ``Perm.HOUSEHOLD_EXPORT`` and are audited.
- The partners directory (no personal data) is open to ``HOUSEHOLD_VIEW`` and ``SETTINGS_MANAGE``;
  editing it needs ``Perm.SETTINGS_MANAGE``. Referral statistics (aggregates) need ``HOUSEHOLD_FOLLOW``
  or ``STATS_VIEW``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.desk.models import Referral, Request
from guichet.households.perms import check_household_access


def can_edit_requests(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_EDIT.full))


def can_refer(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def can_export_requests(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_EXPORT.full))


def can_manage_partners(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.SETTINGS_MANAGE.full))


def check_request_edit(user: Any) -> None:
    if not can_edit_requests(user):
        raise PermissionDenied("Vous ne pouvez pas créer ni modifier de demande.")


def check_refer(user: Any) -> None:
    if not can_refer(user):
        raise PermissionDenied("Vous ne pouvez pas orienter une demande vers un partenaire.")


def get_request_for_user(user: Any, pk: int) -> Request:
    """The request ``pk`` if ``user`` may open its household (``BreakGlassRequired`` for a confidential
    file that needs a reason); Http404 if it does not exist."""
    request = Request.objects.select_related("household", "person", "assigned_to", "created_by").filter(pk=pk).first()
    if request is None:
        raise Http404("Demande introuvable.")
    check_household_access(user, request.household)
    return request


def get_referral_for_user(user: Any, pk: int) -> Referral:
    referral = Referral.objects.select_related("request__household", "partner").filter(pk=pk).first()
    if referral is None:
        raise Http404("Orientation introuvable.")
    check_household_access(user, referral.request.household)
    return referral
