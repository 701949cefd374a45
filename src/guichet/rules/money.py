"""Money: Decimal everywhere, one rounding helper."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal | int | float | str, quantum: Decimal = CENT) -> Decimal:
    """Round to the cent (or ``quantum``), half up as French administrations do.

    Floats (from vectorised simulations) go through ``repr`` so that 0.1 stays 0.1.
    """
    value = amount if isinstance(amount, Decimal) else Decimal(repr(amount) if isinstance(amount, float) else amount)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)
