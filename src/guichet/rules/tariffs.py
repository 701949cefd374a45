"""Tariff rules of municipal services: brackets by quotient, linear effort rate with floor and
ceiling, the CNAF PSU barème for crèches, flat prices; sibling and residency modifiers; rounding.

A ``Grid`` is one service's tariff for a period, adopted by a deliberation. ``price(grid, facts, on)``
returns a ``Price``: the amount and the French lines that explain it. Grids are stored and exchanged
as plain dicts (``grid_from_dict`` / ``grid_to_dict``) validated with errors that say where and what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from guichet.rules.money import ROUNDING_MODES, round_money
from guichet.rules.parameters import DATA_DIR, Parameter, load_parameters

HUNDRED = Decimal(100)


class GridError(ValueError):
    """A malformed grid: ``path`` says where (``regle.tranches[2].prix``), the message says what."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path} : {message}" if path else message)
        self.path = path
        self.message = message


class TariffNotApplicable(ValueError):
    """The grid is not in force on the requested date."""


@dataclass(frozen=True)
class PricingFacts:
    """What a tariff may depend on, for one person using one service."""

    quotient: Decimal
    monthly_resources: Decimal = Decimal(0)  # PSU: resources of year N-2 ÷ 12
    dependent_children: int = 1
    has_disabled_child: bool = False
    child_rank: int = 1  # rank among the household's children using this service
    is_resident: bool = True


@dataclass(frozen=True)
class Price:
    amount: Decimal
    unit: str
    explanation: tuple[str, ...]


def euros(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# --- base rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bracket:
    lower: Decimal  # inclusive
    upper: Decimal | None  # exclusive; None for the last bracket
    price: Decimal

    def label(self) -> str:
        if self.upper is None:
            return f"{euros(self.lower)} et plus"
        return f"de {euros(self.lower)} à moins de {euros(self.upper)}"


@dataclass(frozen=True)
class Brackets:
    brackets: tuple[Bracket, ...]
    kind: str = "tranches"

    def base(self, facts: PricingFacts, on: dt.date) -> tuple[Decimal, str]:
        for bracket in self.brackets:
            if facts.quotient >= bracket.lower and (bracket.upper is None or facts.quotient < bracket.upper):
                return bracket.price, f"QF {euros(facts.quotient)} → tranche {bracket.label()} : {euros(bracket.price)}"
        raise GridError("regle.tranches", f"aucune tranche ne couvre le quotient {euros(facts.quotient)}")


@dataclass(frozen=True)
class EffortRate:
    rate_percent: Decimal  # price = quotient × rate / 100
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    kind: str = "taux_effort"

    def base(self, facts: PricingFacts, on: dt.date) -> tuple[Decimal, str]:
        raw = facts.quotient * self.rate_percent / HUNDRED
        line = f"QF {euros(facts.quotient)} × {_number(self.rate_percent)} % = {euros(round_money(raw))}"
        if self.floor is not None and raw < self.floor:
            return self.floor, f"{line}, porté au plancher de {euros(self.floor)}"
        if self.ceiling is not None and raw > self.ceiling:
            return self.ceiling, f"{line}, ramené au plafond de {euros(self.ceiling)}"
        return raw, line


@cache
def psu_parameters() -> dict[str, Parameter]:
    return load_parameters(DATA_DIR / "psu.toml")


@dataclass(frozen=True)
class PsuBareme:
    """CNAF PSU: hourly price = monthly resources clamped to [floor, ceiling] × effort rate by the
    number of dependent children; a disabled child in the family moves it to the next rate down."""

    kind: str = "psu"

    def base(self, facts: PricingFacts, on: dt.date) -> tuple[Decimal, str]:
        params = psu_parameters()
        floor = params["psu_floor"].decimal_at(on)
        ceiling = params["psu_ceiling"].decimal_at(on)
        rates: Mapping[str, Decimal] = params["psu_rates_collective"].at(on)
        children = max(facts.dependent_children, 1) + (1 if facts.has_disabled_child else 0)
        rate = rates[str(min(children, max(int(key) for key in rates)))]
        resources = min(max(facts.monthly_resources, floor), ceiling)
        clamp = ""
        if resources != facts.monthly_resources:
            clamp = f" (ressources {euros(facts.monthly_resources)} ramenées à {euros(resources)})"
        shift = " — enfant en situation de handicap : taux de la tranche suivante" if facts.has_disabled_child else ""
        line = (
            f"Barème CNAF : {euros(resources)}{clamp} × {_number(rate)} % "
            f"({facts.dependent_children} enfant{'s' if facts.dependent_children > 1 else ''} à charge{shift})"
        )
        return resources * rate / HUNDRED, line


@dataclass(frozen=True)
class Flat:
    amount: Decimal
    kind: str = "forfait"

    def base(self, facts: PricingFacts, on: dt.date) -> tuple[Decimal, str]:
        return self.amount, f"Tarif unique : {euros(self.amount)}"


Rule = Brackets | EffortRate | PsuBareme | Flat


# --- modifiers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiblingReduction:
    from_rank: int  # e.g. 3: from the third child using the service
    percent: Decimal

    def apply(self, amount: Decimal, facts: PricingFacts) -> tuple[Decimal, str | None]:
        if facts.child_rank < self.from_rank:
            return amount, None
        return amount * (HUNDRED - self.percent) / HUNDRED, f"{facts.child_rank}e enfant : −{_number(self.percent)} %"


@dataclass(frozen=True)
class NonResidentSurcharge:
    percent: Decimal

    def apply(self, amount: Decimal, facts: PricingFacts) -> tuple[Decimal, str | None]:
        if facts.is_resident:
            return amount, None
        return amount * (HUNDRED + self.percent) / HUNDRED, f"Hors commune : +{_number(self.percent)} %"


Modifier = SiblingReduction | NonResidentSurcharge


@dataclass(frozen=True)
class Grid:
    service: str
    unit: str  # "repas", "heure", "journée"…
    rule: Rule
    valid_from: dt.date
    valid_to: dt.date | None = None  # inclusive
    deliberation: str = ""
    deliberation_date: dt.date | None = None
    modifiers: tuple[Modifier, ...] = field(default_factory=tuple)
    rounding_quantum: Decimal = Decimal("0.01")
    rounding_mode: str = "half_up"

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


def price(grid: Grid, facts: PricingFacts, on: dt.date) -> Price:
    if not grid.in_force(on):
        raise TariffNotApplicable(f"La grille « {grid.service} » n'est pas en vigueur au {on:%d/%m/%Y}.")
    amount, line = grid.rule.base(facts, on)
    lines = [line]
    for modifier in grid.modifiers:
        amount, note = modifier.apply(amount, facts)
        if note:
            lines.append(note)
    rounded = round_money(amount, grid.rounding_quantum, grid.rounding_mode)
    if grid.rounding_quantum != Decimal("0.01") or rounded != round_money(amount):
        lines.append(f"Arrondi au {_number(grid.rounding_quantum)} € : {euros(rounded)}")
    lines.append(f"Prix : {euros(rounded)} par {grid.unit}")
    if grid.deliberation:
        when = f" du {grid.deliberation_date:%d/%m/%Y}" if grid.deliberation_date else ""
        lines.append(f"Grille adoptée par la délibération {grid.deliberation}{when}")
    return Price(amount=rounded, unit=grid.unit, explanation=tuple(lines))


# --- plain dict <-> Grid ---------------------------------------------------------------------


def _decimal(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Decimal | None:
    if key not in data or data[key] is None or data[key] == "":
        if required:
            raise GridError(f"{path}.{key}" if path else key, "valeur obligatoire")
        return None
    try:
        value = Decimal(str(data[key]))
    except InvalidOperation as error:
        raise GridError(f"{path}.{key}" if path else key, f"nombre attendu, reçu « {data[key]} »") from error
    if not value.is_finite() or value < 0:
        raise GridError(f"{path}.{key}" if path else key, "nombre positif attendu")
    return value


def _date(data: Mapping[str, Any], key: str, *, required: bool) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise GridError(key, "date obligatoire (AAAA-MM-JJ)")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise GridError(key, f"date AAAA-MM-JJ attendue, reçu « {value} »") from error


def _brackets(raw: Any) -> Brackets:
    if not isinstance(raw, list) or not raw:
        raise GridError("regle.tranches", "liste de tranches non vide attendue")
    brackets = []
    for index, item in enumerate(raw):
        path = f"regle.tranches[{index}]"
        if not isinstance(item, Mapping):
            raise GridError(path, "tranche attendue (min, max, prix)")
        lower = _decimal(item, "min", path)
        upper = _decimal(item, "max", path, required=False)
        amount = _decimal(item, "prix", path)
        assert lower is not None and amount is not None
        if upper is not None and upper <= lower:
            raise GridError(path, "le maximum doit être supérieur au minimum")
        brackets.append(Bracket(lower, upper, amount))
    if brackets[0].lower != 0:
        raise GridError("regle.tranches[0].min", "la première tranche doit commencer à 0")
    for index, (previous, current) in enumerate(zip(brackets, brackets[1:], strict=False), start=1):
        if previous.upper is None:
            raise GridError(f"regle.tranches[{index - 1}].max", "seule la dernière tranche peut être sans maximum")
        if current.lower < previous.upper:
            raise GridError(f"regle.tranches[{index}].min", "chevauchement avec la tranche précédente")
        if current.lower > previous.upper:
            raise GridError(
                f"regle.tranches[{index}].min", f"trou entre {euros(previous.upper)} et {euros(current.lower)}"
            )
    if brackets[-1].upper is not None:
        raise GridError(f"regle.tranches[{len(brackets) - 1}].max", "la dernière tranche doit être sans maximum")
    return Brackets(tuple(brackets))


def _rule(raw: Any) -> Rule:
    if not isinstance(raw, Mapping) or "type" not in raw:
        raise GridError("regle", "règle attendue avec un « type » (tranches, taux_effort, psu, forfait)")
    kind = raw["type"]
    if kind == "tranches":
        return _brackets(raw.get("tranches"))
    if kind == "taux_effort":
        rate = _decimal(raw, "taux", "regle")
        floor = _decimal(raw, "plancher", "regle", required=False)
        ceiling = _decimal(raw, "plafond", "regle", required=False)
        assert rate is not None
        if floor is not None and ceiling is not None and floor > ceiling:
            raise GridError("regle.plancher", "le plancher dépasse le plafond")
        return EffortRate(rate, floor, ceiling)
    if kind == "psu":
        return PsuBareme()
    if kind == "forfait":
        amount = _decimal(raw, "prix", "regle")
        assert amount is not None
        return Flat(amount)
    raise GridError("regle.type", f"type inconnu « {kind} » (tranches, taux_effort, psu, forfait)")


def _modifier(raw: Any, index: int) -> Modifier:
    path = f"modulations[{index}]"
    if not isinstance(raw, Mapping):
        raise GridError(path, "modulation attendue")
    kind = raw.get("type")
    percent = _decimal(raw, "pourcentage", path)
    assert percent is not None
    if kind == "fratrie":
        rank = raw.get("a_partir_du_rang")
        if not isinstance(rank, int) or rank < 2:
            raise GridError(f"{path}.a_partir_du_rang", "rang entier ≥ 2 attendu")
        if percent > HUNDRED:
            raise GridError(f"{path}.pourcentage", "une réduction ne peut dépasser 100 %")
        return SiblingReduction(rank, percent)
    if kind == "hors_commune":
        return NonResidentSurcharge(percent)
    raise GridError(f"{path}.type", f"type inconnu « {kind} » (fratrie, hors_commune)")


def grid_from_dict(data: Mapping[str, Any]) -> Grid:
    """Build and validate a grid from its stored/API form (French keys)."""
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        raise GridError("service", "nom du service obligatoire")
    unit = data.get("unite", "unité")
    mode = data.get("arrondi_mode", "half_up")
    if mode not in ROUNDING_MODES:
        raise GridError("arrondi_mode", f"mode inconnu « {mode} » ({', '.join(ROUNDING_MODES)})")
    quantum = _decimal(data, "arrondi", "", required=False) or Decimal("0.01")
    if quantum <= 0:
        raise GridError("arrondi", "pas d'arrondi strictement positif attendu")
    valid_from = _date(data, "debut", required=True)
    valid_to = _date(data, "fin", required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise GridError("fin", "la fin précède le début")
    modifiers = data.get("modulations", [])
    if not isinstance(modifiers, list):
        raise GridError("modulations", "liste attendue")
    return Grid(
        service=service.strip(),
        unit=str(unit),
        rule=_rule(data.get("regle")),
        valid_from=valid_from,
        valid_to=valid_to,
        deliberation=str(data.get("deliberation", "")),
        deliberation_date=_date(data, "deliberation_date", required=False),
        modifiers=tuple(_modifier(item, index) for index, item in enumerate(modifiers)),
        rounding_quantum=quantum,
        rounding_mode=str(mode),
    )


def _rule_to_dict(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, Brackets):
        return {
            "type": "tranches",
            "tranches": [
                {"min": str(b.lower), "max": None if b.upper is None else str(b.upper), "prix": str(b.price)}
                for b in rule.brackets
            ],
        }
    if isinstance(rule, EffortRate):
        return {
            "type": "taux_effort",
            "taux": str(rule.rate_percent),
            "plancher": None if rule.floor is None else str(rule.floor),
            "plafond": None if rule.ceiling is None else str(rule.ceiling),
        }
    if isinstance(rule, PsuBareme):
        return {"type": "psu"}
    return {"type": "forfait", "prix": str(rule.amount)}


def grid_to_dict(grid: Grid) -> dict[str, Any]:
    modifiers: list[dict[str, Any]] = []
    for modifier in grid.modifiers:
        if isinstance(modifier, SiblingReduction):
            modifiers.append(
                {"type": "fratrie", "a_partir_du_rang": modifier.from_rank, "pourcentage": str(modifier.percent)}
            )
        else:
            modifiers.append({"type": "hors_commune", "pourcentage": str(modifier.percent)})
    return {
        "service": grid.service,
        "unite": grid.unit,
        "regle": _rule_to_dict(grid.rule),
        "debut": grid.valid_from.isoformat(),
        "fin": None if grid.valid_to is None else grid.valid_to.isoformat(),
        "deliberation": grid.deliberation,
        "deliberation_date": None if grid.deliberation_date is None else grid.deliberation_date.isoformat(),
        "modulations": modifiers,
        "arrondi": str(grid.rounding_quantum),
        "arrondi_mode": grid.rounding_mode,
    }
