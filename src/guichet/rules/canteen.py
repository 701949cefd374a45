"""Does a canteen grid meet the conditions of the State's "cantine à 1 €" aid? With the reasons.

Conditions (``data/cantine_1_euro.toml``): a progressive grid of at least 3 brackets based on
income or quotient, fixed by a deliberation; at least one bracket at 1 € or less, reserved to CAF
quotients up to 1,000 €, and one above 1 €. Only communes under 10,000 inhabitants eligible for the
DSR péréquation (or their groupings) may apply; new applications closed on 26 July 2025, renewals
run until the end of 2027. Saint-Étienne-du-Rouvray is not eligible; the check serves other communes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from guichet.rules.money import CENT, format_euros, format_number
from guichet.rules.parameters import Parameter, ParameterReader, Parameters, packaged_parameters
from guichet.rules.tariffs import BASIS_LABELS, Bracket, Brackets, Grid


def canteen_parameters() -> Mapping[str, Parameter]:
    return packaged_parameters("cantine_1_euro")


@dataclass(frozen=True)
class CanteenCheck:
    grid_conforms: bool
    commune_eligible: bool
    window_open: bool
    state_aid_per_meal: Decimal  # per meal billed at most 1 €, EgAlim bonus included when committed
    reasons: tuple[str, ...]  # French lines, one per condition, saying whether and why it holds
    warnings: tuple[str, ...] = ()  # parameters to verify or out of date

    @property
    def can_apply(self) -> bool:
        return self.grid_conforms and self.commune_eligible and self.window_open


def _price_levels(brackets: tuple[Bracket, ...]) -> int:
    """Consecutive brackets at the same price make one tariff level."""
    return 1 + sum(
        1 for previous, current in zip(brackets, brackets[1:], strict=False) if current.price != previous.price
    )


def _grid_reasons(grid: Grid, reader: ParameterReader, quotient_step: Decimal) -> tuple[bool, list[str]]:
    if not isinstance(grid.rule, Brackets):
        return False, ["La grille n'a pas de tranches : l'aide demande une grille progressive par tranches."]
    brackets = grid.rule.brackets
    basis = BASIS_LABELS[grid.rule.basis]
    min_levels = reader.integer("min_brackets")
    low_max = reader.decimal("low_price_max")
    low_qf = reader.decimal("low_price_quotient_max")
    checks: list[tuple[bool, str]] = []
    levels = _price_levels(brackets)
    same = f" ({len(brackets)} tranches, certaines au même prix)" if levels < len(brackets) else ""
    checks.append((levels >= min_levels, f"{levels} tranches de prix différents{same}, au moins {min_levels} exigées"))
    cheap = [bracket for bracket in brackets if bracket.price <= low_max]
    if not cheap:
        checks.append((False, f"Aucune tranche à {format_euros(low_max, cents=True)} au plus"))
    for bracket in cheap:
        described = f"Tranche à {format_euros(bracket.price, cents=True)} ({basis} {bracket.label()})"
        if grid.rule.basis != "quotient":
            checks.append(
                (True, f"{described} : vérifiez qu'elle correspond à un QF CAF d'au plus {format_euros(low_qf)}")
            )
        elif bracket.upper is None or bracket.upper - quotient_step > low_qf:
            checks.append(
                (False, f"{described} : le tarif à 1 € au plus est réservé aux QF d'au plus {format_euros(low_qf)}")
            )
        else:
            checks.append((True, f"{described}, réservée aux QF d'au plus {format_euros(low_qf)}"))
    above = [bracket for bracket in brackets if bracket.price > low_max]
    checks.append(
        (bool(above), f"{len(above)} tranche(s) au-dessus de {format_euros(low_max, cents=True)}, au moins une exigée")
    )
    steps = grid.rule.decreasing_steps()
    checks.append((not steps, "Grille progressive" if not steps else "Grille non progressive : un prix baisse"))
    checks.append(
        (True, f"Fixée par la délibération {grid.deliberation}")
        if grid.deliberation
        else (False, "Aucune délibération renseignée : la tarification sociale doit être fixée par délibération")
    )
    return all(ok for ok, _ in checks), [f"{text} : {'conforme' if ok else 'non conforme'}." for ok, text in checks]


def _commune_reason(
    commune: str, population: int, dsr_perequation: bool | None, reader: ParameterReader
) -> tuple[bool, str]:
    limit = reader.integer("max_population")
    who = f"{commune or 'La commune'} ({format_number(Decimal(population))} habitants)"
    if population >= limit:
        return False, (
            f"{who} n'est pas éligible : l'aide est réservée aux communes de moins de "
            f"{format_number(Decimal(limit))} habitants éligibles à la DSR péréquation (ou à leurs RPI et EPCI)."
        )
    if dsr_perequation is False:
        return False, f"{who} n'est pas éligible : elle ne perçoit pas la fraction péréquation de la DSR."
    if dsr_perequation is None:
        return True, f"{who} : éligible si elle perçoit la fraction péréquation de la DSR (à vérifier)."
    return True, f"{who}, éligible à la DSR péréquation : éligible."


def _window_reason(on: dt.date, already_beneficiary: bool, reader: ParameterReader) -> tuple[bool, str]:
    if already_beneficiary:
        until = reader.date("renewals_until")
        if on <= until:
            return True, f"Renouvellement de la convention possible jusqu'au {until:%d/%m/%Y}."
        return False, f"Renouvellements clos depuis le {until + dt.timedelta(days=1):%d/%m/%Y}."
    closed = reader.date("new_applications_closed_on")
    if on < closed:
        return True, f"Nouvelles demandes possibles jusqu'au {closed - dt.timedelta(days=1):%d/%m/%Y}."
    return (
        False,
        f"Nouvelles demandes closes depuis le {closed:%d/%m/%Y} (seuls les renouvellements restent possibles).",
    )


def check_canteen_grid(
    grid: Grid,
    *,
    population: int,
    on: dt.date,
    commune: str = "",
    dsr_perequation: bool | None = None,
    already_beneficiary: bool = False,
    egalim: bool = False,
    quotient_step: Decimal = CENT,
    parameters: Parameters | None = None,
) -> CanteenCheck:
    """Check ``grid`` against the "cantine à 1 €" conditions on ``on``.

    ``quotient_step`` is the smallest step of the commune's quotients (1 € when they are whole
    euros): a bracket "from 0 to less than 1,001 €" then stops at 1,000 €."""
    reader = ParameterReader(parameters or canteen_parameters(), on)
    grid_ok, reasons = _grid_reasons(grid, reader, quotient_step)
    eligible, commune_line = _commune_reason(commune, population, dsr_perequation, reader)
    window, window_line = _window_reason(on, already_beneficiary, reader)
    aid = reader.decimal("state_aid_per_meal")
    aid_line = f"Aide de l'État : {format_euros(aid, cents=True)} par repas facturé 1 € au plus"
    bonus = reader.decimal("egalim_bonus_per_meal") if egalim else Decimal(0)
    if bonus:
        aid += bonus
        aid_line += f", plus {format_euros(bonus, cents=True)} avec les objectifs EgAlim"
    return CanteenCheck(
        grid_conforms=grid_ok,
        commune_eligible=eligible,
        window_open=window,
        state_aid_per_meal=aid,
        reasons=(*reasons, commune_line, window_line, aid_line + "."),
        warnings=reader.warnings(),
    )
