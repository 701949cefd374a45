"""Vectorised pricing: the price of one grid for arrays of people, equal to the cent to
``rules.tariffs.price`` for each of them.

No floating point: amounts are integers over a power of ten. Values (quotients, resources) come in
as integer cents; each rule gives, element by element, an exact numerator over a scale ``10**s``
(brackets: the bracket's price; effort rates: value × rate; PSU: clamped resources × the rate for
the number of children; flat prices), the modulations multiply numerator and scale, and the exact
amounts are then rounded by the one rounding helper, ``rules.money.round_money``, called once per
distinct amount (a grid gives few distinct amounts; an effort rate about one per distinct value).
Numbers too large for 64-bit integers switch to Python integers (object arrays), still exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from guichet.rules.money import round_money
from guichet.rules.parameters import ParameterError, ParameterReader, Parameters
from guichet.rules.tariffs import (
    Brackets,
    EffortRate,
    Flat,
    Grid,
    NonResidentSurcharge,
    PsuBareme,
    Rule,
    SiblingReduction,
    TariffNotApplicable,
    tariff_parameters,
)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
SAFE = 2**62  # beyond this, exact integers leave int64 for Python integers


@dataclass(frozen=True)
class FactsBatch:
    """``PricingFacts`` for ``n`` people, one array each (integer cents for amounts)."""

    quotient_cents: IntArray
    resources_cents: IntArray
    dependent_children: IntArray
    has_disabled_child: BoolArray
    child_rank: IntArray
    is_resident: BoolArray

    def __len__(self) -> int:
        return len(self.quotient_cents)

    @classmethod
    def build(
        cls,
        *,
        quotient_cents: npt.ArrayLike,
        resources_cents: npt.ArrayLike | None = None,
        dependent_children: npt.ArrayLike | None = None,
        has_disabled_child: npt.ArrayLike | None = None,
        child_rank: npt.ArrayLike | None = None,
        is_resident: npt.ArrayLike | None = None,
    ) -> FactsBatch:
        """Arrays from anything array-like; missing ones take ``PricingFacts``' defaults."""
        quotient = np.asarray(quotient_cents, dtype=np.int64)
        n = len(quotient)

        def ints(values: npt.ArrayLike | None, default: int) -> IntArray:
            return np.full(n, default, dtype=np.int64) if values is None else np.asarray(values, dtype=np.int64)

        def bools(values: npt.ArrayLike | None, default: bool) -> BoolArray:
            return np.full(n, default, dtype=bool) if values is None else np.asarray(values, dtype=bool)

        return cls(
            quotient_cents=quotient,
            resources_cents=ints(resources_cents, 0),
            dependent_children=ints(dependent_children, 1),
            has_disabled_child=bools(has_disabled_child, False),
            child_rank=ints(child_rank, 1),
            is_resident=bools(is_resident, True),
        )


def to_cents(amount: Decimal) -> int:
    """An amount on the cent as integer cents; anything finer is refused (values are kept to the cent)."""
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"Montant au centime attendu, reçu {amount}.")
    return int(cents)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _scaled(value: Decimal, exponent: int) -> int:
    """``value × 10**exponent`` as an exact integer (``exponent`` ≥ the value's decimal places)."""
    return int(value.scaleb(exponent))


@dataclass
class _Exact:
    """Element-wise exact amounts ``numerator / 10**exponent`` euros."""

    numerator: npt.NDArray[Any]
    exponent: int

    def rescaled(self, exponent: int) -> npt.NDArray[Any]:
        return _times(self.numerator, 10 ** (exponent - self.exponent))


def _times(values: npt.NDArray[Any], factor: int | npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values × factor``, leaving int64 for Python integers when the product could overflow."""
    biggest = int(np.max(np.abs(factor))) if np.size(factor) else 0
    top = int(np.max(np.abs(values))) if np.size(values) and values.dtype != object else SAFE
    if values.dtype == object or top * biggest >= SAFE:
        objects = values.astype(object)
        return objects * (factor.astype(object) if isinstance(factor, np.ndarray) else factor)
    return values * factor


def _value_cents(rule: Brackets | EffortRate, facts: FactsBatch) -> IntArray:
    values = facts.quotient_cents if rule.basis == "quotient" else facts.resources_cents
    return np.maximum(values, 0)


def _brackets(rule: Brackets, facts: FactsBatch) -> _Exact:
    value = _value_cents(rule, facts)
    # value ≥ lower  ⇔  cents ≥ ceil(lower × 100) for whole cents
    lowers = np.array([int((b.lower * 100).to_integral_value(rounding="ROUND_CEILING")) for b in rule.brackets])
    index = np.searchsorted(lowers, value, side="right") - 1
    exponent = max(_places(b.price) for b in rule.brackets)
    prices = np.array([_scaled(b.price, exponent) for b in rule.brackets], dtype=np.int64)
    return _Exact(prices[index], exponent)


def _clamp(raw: _Exact, floor: Decimal | None, ceiling: Decimal | None) -> _Exact:
    exponent = max([raw.exponent, *(_places(v) for v in (floor, ceiling) if v is not None)])
    numerator = raw.rescaled(exponent)
    if floor is not None:
        numerator = np.maximum(numerator, _scaled(floor, exponent))
    if ceiling is not None:
        numerator = np.minimum(numerator, _scaled(ceiling, exponent))
    return _Exact(numerator, exponent)


def _effort_rate(rule: EffortRate, facts: FactsBatch) -> _Exact:
    # value/100 × rate/100: exponent 2 (cents) + the rate's places + 2 (percent)
    rate_places = _places(rule.rate_percent)
    raw = _Exact(_times(_value_cents(rule, facts), _scaled(rule.rate_percent, rate_places)), 2 + rate_places + 2)
    return _clamp(raw, rule.floor, rule.ceiling)


def _psu(facts: FactsBatch, reader: ParameterReader) -> _Exact:
    floor = reader.decimal("psu_floor")
    ceiling = reader.decimal("psu_ceiling")
    rates = reader.value("psu_rates_collective")
    if not isinstance(rates, Mapping):
        raise ParameterError("Le paramètre « psu_rates_collective » doit être une table taux par nombre d'enfants.")
    top = max(int(key) for key in rates)
    rate_places = max(_places(Decimal(rate)) for rate in rates.values())
    table = np.zeros(top + 1, dtype=np.int64)
    for key, rate in rates.items():
        table[int(key)] = _scaled(Decimal(rate), rate_places)
    children = np.maximum(facts.dependent_children, 1)
    rank = np.minimum(children + facts.has_disabled_child.astype(np.int64), top)
    resources = np.minimum(np.maximum(facts.resources_cents, to_cents(floor)), to_cents(ceiling))
    return _Exact(_times(resources, table[rank]), 2 + rate_places + 2)


def _base(rule: Rule, facts: FactsBatch, reader: ParameterReader) -> _Exact:
    if isinstance(rule, Brackets):
        return _brackets(rule, facts)
    if isinstance(rule, EffortRate):
        return _effort_rate(rule, facts)
    if isinstance(rule, PsuBareme):
        return _psu(facts, reader)
    if isinstance(rule, Flat):
        exponent = _places(rule.amount)
        return _Exact(np.full(len(facts), _scaled(rule.amount, exponent), dtype=np.int64), exponent)
    raise TypeError(f"règle inconnue : {rule!r}")


def _modulate(amount: _Exact, percent: Decimal, applies: BoolArray) -> _Exact:
    """``amount × percent / 100`` where ``applies``, unchanged elsewhere (same scale for both)."""
    places = _places(percent)
    unit = 10 ** (places + 2)  # 100 % at this scale
    factor = np.where(applies, _scaled(percent, places), unit).astype(np.int64)
    return _Exact(_times(amount.numerator, factor), amount.exponent + places + 2)


def _round(amount: _Exact, grid: Grid) -> IntArray:
    """Integer cents, each distinct exact amount rounded once by ``round_money``."""
    distinct, inverse = np.unique(amount.numerator, return_inverse=True)
    quantum, mode, exponent = grid.rounding_quantum, grid.rounding_mode, amount.exponent
    rounded = np.array(
        [to_cents(round_money(Decimal(int(value)).scaleb(-exponent), quantum, mode)) for value in distinct],
        dtype=np.int64,
    )
    return rounded[inverse.reshape(-1)]


def prices_cents(grid: Grid, facts: FactsBatch, on: dt.date, *, parameters: Parameters | None = None) -> IntArray:
    """The price of one unit of the service for each element of ``facts``, in integer cents: the
    same amount, to the cent, as ``rules.tariffs.price(grid, facts[i], on).amount``."""
    if not grid.in_force(on):
        raise TariffNotApplicable(
            f"La grille « {grid.service} » ({grid.period}) n'est pas en vigueur au {on:%d/%m/%Y}."
        )
    if len(facts) == 0:
        return np.zeros(0, dtype=np.int64)
    reader = ParameterReader(parameters or tariff_parameters(), on)
    amount = _base(grid.rule, facts, reader)
    if grid.non_resident_rule is not None and not facts.is_resident.all():
        other = _base(grid.non_resident_rule, facts, reader)
        exponent = max(amount.exponent, other.exponent)
        amount = _Exact(
            np.where(facts.is_resident, amount.rescaled(exponent), other.rescaled(exponent)),
            exponent,
        )
    for modifier in grid.modifiers:
        if isinstance(modifier, SiblingReduction):
            amount = _modulate(amount, 100 - modifier.percent, facts.child_rank >= modifier.from_rank)
        elif isinstance(modifier, NonResidentSurcharge):
            amount = _modulate(amount, 100 + modifier.percent, ~facts.is_resident)
    return _round(amount, grid)
