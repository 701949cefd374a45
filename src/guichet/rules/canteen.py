"""Does a canteen grid meet the conditions of the State's "cantine à 1 €" aid? With the reasons.

Conditions (``data/cantine_1_euro.toml``): at least 3 brackets based on income or quotient, one
priced at most 1 € covering CAF quotients up to 1,000 €, one above 1 €; the commune under 10,000
inhabitants (DSR péréquation); new applications closed on 26 July 2025, renewals until end 2027.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from guichet.rules.parameters import DATA_DIR, Parameter, load_parameters
from guichet.rules.tariffs import Bracket, Brackets, Grid, euros


@cache
def canteen_parameters() -> dict[str, Parameter]:
    return load_parameters(DATA_DIR / "cantine_1_euro.toml")


@dataclass(frozen=True)
class CanteenCheck:
    grid_conforms: bool
    commune_eligible: bool
    can_apply: bool
    reasons: tuple[str, ...]


def check_canteen_grid(grid: Grid, *, population: int, on: dt.date, already_beneficiary: bool = False) -> CanteenCheck:
    params = canteen_parameters()
    reasons: list[str] = []
    grid_ok = True
    brackets: tuple[Bracket, ...] = ()
    min_brackets = int(params["min_brackets"].decimal_at(on))
    low_max = params["low_price_max"].decimal_at(on)
    low_qf = params["low_price_quotient"].decimal_at(on)
    if not isinstance(grid.rule, Brackets):
        grid_ok = False
        reasons.append("La grille n'est pas une grille par tranches de quotient ou de revenus.")
    else:
        brackets = grid.rule.brackets
        if len(brackets) >= min_brackets:
            reasons.append(f"{len(brackets)} tranches (au moins {min_brackets} exigées) : conforme.")
        else:
            grid_ok = False
            reasons.append(f"{len(brackets)} tranche(s) seulement : au moins {min_brackets} sont exigées.")
        covering_low = [b for b in brackets if b.price <= low_max and b.lower == 0]
        low_limit = covering_low[0].upper if covering_low else None
        if covering_low and (low_limit is None or low_limit > low_qf):
            reasons.append(f"Tranche à {euros(covering_low[0].price)} pour les QF jusqu'à {euros(low_qf)} : conforme.")
        elif covering_low:
            grid_ok = False
            reasons.append(
                f"La tranche à {euros(covering_low[0].price)} s'arrête à {euros(low_limit or Decimal(0))} : "
                f"elle doit couvrir les QF jusqu'à {euros(low_qf)}."
            )
        else:
            grid_ok = False
            reasons.append(f"Aucune tranche à {euros(low_max)} au plus dès un QF de 0 €.")
        if any(b.price > low_max for b in brackets):
            reasons.append(f"Au moins une tranche au-dessus de {euros(low_max)} : conforme.")
        else:
            grid_ok = False
            reasons.append(f"Aucune tranche au-dessus de {euros(low_max)}.")
    max_population = int(params["max_population"].decimal_at(on))
    eligible = population < max_population
    if eligible:
        reasons.append(
            f"Commune de {population:,} habitants (moins de {max_population:,}) : éligible.".replace(",", " ")
        )
    else:
        reasons.append(
            f"Commune de {population:,} habitants : l'aide est réservée aux communes de moins de "
            f"{max_population:,} habitants éligibles à la DSR péréquation.".replace(",", " ")
        )
    new_until = dt.date.fromisoformat(params["new_applications_until"].at(on))
    renew_until = dt.date.fromisoformat(params["renewals_until"].at(on))
    if already_beneficiary:
        window = on <= renew_until
        reasons.append(
            f"Renouvellement possible jusqu'au {renew_until:%d/%m/%Y}."
            if window
            else f"Renouvellements clos depuis le {renew_until:%d/%m/%Y}."
        )
    else:
        window = on <= new_until
        reasons.append(
            f"Nouvelles demandes possibles jusqu'au {new_until:%d/%m/%Y}."
            if window
            else f"Nouvelles demandes closes depuis le {new_until:%d/%m/%Y}."
        )
    return CanteenCheck(grid_ok, eligible, grid_ok and eligible and window, tuple(reasons))
