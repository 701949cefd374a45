"""Gives the demo social worker a caseload: referent of some synthetic households, including half of
the confidential ones, so that the demo shows both sides of the confidentiality rule."""

from __future__ import annotations

from django.db import transaction

from guichet.accounts.models import User
from guichet.households.models import Household

CASELOAD = 40


@transaction.atomic
def demo_referents_assign(*, social_worker: User) -> int:
    """Idempotent: does nothing when the social worker already follows households."""
    if social_worker.referent_households.exists():
        return 0
    synthetic = Household.objects.filter(is_synthetic=True)
    confidential = list(synthetic.filter(is_confidential=True).order_by("pk").values_list("pk", flat=True)[::2])
    ordinary = list(synthetic.filter(is_confidential=False).order_by("pk").values_list("pk", flat=True)[:CASELOAD])
    through = Household.referents.through
    through.objects.bulk_create([through(household_id=pk, user_id=social_worker.pk) for pk in confidential + ordinary])
    return len(confidential) + len(ordinary)
