"""Who may do what with tariffs.

Rules:
- The catalogue and the grids are public information of the commune: agents (``HOUSEHOLD_VIEW``),
  direction (``STATS_VIEW``) and those who manage settings see them.
- Creating a grid version, adding or editing a service of the catalogue, and reading the dated
  parameters page need ``SETTINGS_MANAGE`` (responsable, administrateur).
- A household's quotient and prices are social data: ``HOUSEHOLD_FOLLOW`` (travailleur social,
  responsable), and the household access policy (confidential files) of ``households.perms``; the
  « vos tarifs » PDF sheet follows the same rule (its download is audited as an export).
"""

from __future__ import annotations

from typing import Any

from guichet.accounts.enums import Perm

CATALOGUE_PERMS = (Perm.HOUSEHOLD_VIEW, Perm.STATS_VIEW, Perm.SETTINGS_MANAGE)


def can_manage_grids(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.SETTINGS_MANAGE.full))


def can_see_household_prices(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(Perm.HOUSEHOLD_FOLLOW.full))
