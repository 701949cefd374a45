"""Who may assess a household's rights.

Rules:
- A rights assessment reads and shows the social situation (resources, benefits, rent): it needs
  ``Perm.HOUSEHOLD_FOLLOW`` (travailleur social, responsable), and the household access policy of
  ``households.perms`` (confidential files: referents, responsables, or a broken glass).
- A stored assessment is open to whoever may open its household with that permission.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from guichet.accounts.enums import Perm
from guichet.households.perms import check_household_access
from guichet.rights.models import RightsAssessment


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
