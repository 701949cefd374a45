"""What a rights assessment asks of the household file before mapping it to the rules core
(the mapping itself is ``guichet.households.rules_mapping``, shared with pricing)."""

from __future__ import annotations

from guichet.households.enums import HouseholdRole
from guichet.households.models import Household
from guichet.households.rules_mapping import rules_household

__all__ = ["IncompleteHousehold", "check_assessable", "rules_household"]


class IncompleteHousehold(ValueError):
    """The household file lacks what an assessment needs (the message says what, in French)."""


def check_assessable(household: Household) -> None:
    """An assessment needs exactly one applicant (demandeur) and at most one spouse."""
    roles = list(household.people.values_list("household_role", flat=True))
    if roles.count(HouseholdRole.APPLICANT) != 1:
        raise IncompleteHousehold(
            "Le bilan demande exactement un demandeur dans le ménage : complétez la composition du ménage."
        )
    if roles.count(HouseholdRole.SPOUSE) > 1:
        raise IncompleteHousehold("Le ménage compte plus d'un conjoint : corrigez la composition du ménage.")
