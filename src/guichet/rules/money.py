"""Money: Decimal everywhere, one rounding helper."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def round_money(amount: Decimal | int | float | str, quantum: Decimal = CENT, mode: str = "half_up") -> Decimal:
    """Round to the cent (or ``quantum``, e.g. 0.05 €), half up as French administrations do unless
    a tariff says otherwise (``down``/``up``). Floats (from vectorised simulations) go through
    ``repr`` so that 0.1 stays 0.1."""
    value = amount if isinstance(amount, Decimal) else Decimal(repr(amount) if isinstance(amount, float) else amount)
    steps = (value / quantum).quantize(Decimal(1), rounding=ROUNDING_MODES[mode])
    return (steps * quantum).quantize(CENT)
