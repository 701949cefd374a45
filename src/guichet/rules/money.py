"""Money: Decimal everywhere, one rounding helper, one way to write amounts in French."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
NBSP = "\u00a0"  # thousands separator and before "€", so that amounts never wrap

# half_up is what French administrations do unless a deliberation says otherwise
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def round_money(amount: Decimal | int | float | str, quantum: Decimal = CENT, mode: str = "half_up") -> Decimal:
    """Round to the cent (or ``quantum``: 0.05 €, 1 €…) with ``mode`` (``half_up``, ``down``, ``up``).

    The result always has two decimals (``3.00``). Floats (from vectorised simulations) go through
    ``repr`` so that 0.1 stays 0.1."""
    if mode not in ROUNDING_MODES:
        raise ValueError(f"Mode d'arrondi inconnu « {mode} » ({', '.join(ROUNDING_MODES)}).")
    value = amount if isinstance(amount, Decimal) else Decimal(repr(amount) if isinstance(amount, float) else amount)
    steps = (value / quantum).quantize(Decimal(1), rounding=ROUNDING_MODES[mode])
    return (steps * quantum).quantize(CENT)


def format_number(value: Decimal) -> str:
    """``Decimal("0.0619")`` -> ``"0,0619"``; ``Decimal("2.50")`` -> ``"2,5"``: no useless zeros."""
    return _french(f"{value.normalize():,f}")


def format_euros(amount: Decimal, *, cents: bool | None = None) -> str:
    """French amount: ``1 049,51 €``. ``cents=None`` drops ``,00`` on whole amounts (``24 000 €``),
    ``cents=True`` always writes them (prices: ``1,00 €``)."""
    rounded = round_money(amount)
    if cents is None:
        cents = rounded != rounded.to_integral_value()
    return _french(f"{rounded:,.2f}" if cents else f"{rounded:,.0f}") + NBSP + "€"


def format_euros_exact(amount: Decimal, places: int = 4) -> str:
    """An intermediate amount before rounding, with up to ``places`` decimals: ``1,857 €``, ``7,20 €``."""
    exact = amount.quantize(Decimal(1).scaleb(-places)).normalize()
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        exact = exact.quantize(CENT)
    return _french(f"{exact:,f}") + NBSP + "€"


def _french(text: str) -> str:
    return text.replace(",", NBSP).replace(".", ",")
