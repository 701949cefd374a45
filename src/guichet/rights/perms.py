"""Who may assess a household's rights.

Rules:
- A rights assessment reads and shows the social situation (resources, benefits, rent): it needs
  ``Perm.HOUSEHOLD_FOLLOW`` (travailleur social, responsable), and the household access policy of
  ``households.perms`` (confidential files: referents, responsables, or a broken glass).
- A stored assessment is open to whoever may open its household with that permission.
- Turning a line of its « que faire » list into a request also needs ``Perm.HOUSEHOLD_EDIT``, and into
  a referral ``Perm.HOUSEHOLD_FOLLOW`` (the desk's own rules, checked again by its services).
- The public simulator and its callback offer need no login; the callback stores a request only with
  the person's explicit consent, and is rate-limited per address.
- Non-take-up campaigns: a responsable (``Perm.DECIDE`` with ``Perm.HOUSEHOLD_FOLLOW``) starts them,
  assigns their households and sees every list; a social worker (``HOUSEHOLD_FOLLOW``) sees and works
  the households assigned to them; direction (``Perm.STATS_VIEW``) sees the campaigns' aggregate
  results only, never a name.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.households.perms import check_household_access
from guichet.rights.models import Campaign, CampaignTarget, RightsAssessment


def can_assess(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def check_can_assess(user: Any) -> None:
    if not can_assess(user):
        raise PermissionDenied("Le bilan de droits est réservé au suivi social.")


def get_assessment_for_user(user: Any, pk: int) -> RightsAssessment:
    """The stored assessment ``pk`` if ``user`` may see it; Http404 if it does not exist."""
    check_can_assess(user)
    assessment = RightsAssessment.objects.select_related("household", "created_by").filter(pk=pk).first()
    if assessment is None:
        raise Http404("Bilan introuvable.")
    check_household_access(user, assessment.household)
    return assessment


def can_view_campaigns(user: Any) -> bool:
    """The campaigns and their aggregate results: followers and holders of the statistics."""
    return bool(
        user.is_authenticated and (user.has_perm(Perm.HOUSEHOLD_FOLLOW.full) or user.has_perm(Perm.STATS_VIEW.full))
    )


def can_manage_campaigns(user: Any) -> bool:
    """Start campaigns, assign their households, see every list: responsables."""
    return bool(user.is_authenticated and user.has_perm(Perm.DECIDE.full) and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def can_work_targets(user: Any) -> bool:
    """See named households of a campaign (those assigned to oneself, or all for a manager)."""
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))


def check_can_manage_campaigns(user: Any) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied("Seuls les responsables lancent les campagnes et attribuent les ménages.")


def get_campaign_for_user(user: Any, pk: int) -> Campaign:
    """The campaign ``pk`` if ``user`` may see campaigns; Http404 if it does not exist."""
    if not can_view_campaigns(user):
        raise PermissionDenied("Les campagnes sont réservées au suivi social et au pilotage.")
    campaign = Campaign.objects.select_related("quartier", "created_by").filter(pk=pk).first()
    if campaign is None:
        raise Http404("Campagne introuvable.")
    return campaign


def get_target_for_user(user: Any, pk: int) -> CampaignTarget:
    """The campaign household ``pk`` if ``user`` may work it: assigned to them, or a manager."""
    if not can_work_targets(user):
        raise PermissionDenied("Les ménages d'une campagne sont réservés au suivi social.")
    target = (
        CampaignTarget.objects.select_related("campaign", "household", "assigned_to", "quartier").filter(pk=pk).first()
    )
    if target is None:
        raise Http404("Ménage de campagne introuvable.")
    if target.assigned_to_id != user.pk and not can_manage_campaigns(user):
        raise PermissionDenied("Ce ménage n'est pas attribué à vous.")
    check_household_access(user, target.household)  # a file made confidential after the campaign ran
    return target
