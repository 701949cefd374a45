"""Tariff rules of municipal services: brackets, linear effort rate with floor and ceiling, the CNAF
PSU barème for crèches, flat prices; sibling and residency modulations; rounding per grid.

A ``Grid`` is one service's tariff for a period, adopted by a deliberation: a rule (and, if the
commune has one, a separate rule for non-residents), modulations and a rounding. ``price(grid,
facts, on=day)`` returns a ``Price``: the amount and the French lines that explain it. Grids are
stored and exchanged as plain dicts (``grid_from_dict`` / ``grid_to_dict``); every invariant is
checked when a grid is built, and a ``GridError`` lists every problem with where it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, TypeVar

from guichet.rules.money import CENT, ROUNDING_MODES, format_euros, format_euros_exact, format_number, round_money
from guichet.rules.parameters import Parameter, ParameterError, ParameterReader, Parameters, packaged_parameters
from guichet.rules.quotient import Quotient

HUNDRED = Decimal(100)
Basis = Literal["quotient", "ressources"]
BASIS_LABELS: dict[str, str] = {"quotient": "QF", "ressources": "Ressources mensuelles"}
T = TypeVar("T")


@dataclass(frozen=True)
class FieldError:
    path: str  # where, in the dict form: "regle.tranches[2].prix"
    message: str  # what, in French


class GridError(ValueError):
    """A malformed grid: ``errors`` lists every problem found, each with its path and message."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors) or (FieldError("", "grille invalide"),)
        super().__init__(" ; ".join(f"{e.path} : {e.message}" if e.path else e.message for e in self.errors))

    @property
    def path(self) -> str:
        return self.errors[0].path

    @property
    def message(self) -> str:
        return self.errors[0].message


def _raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise GridError(errors)


class TariffNotApplicable(ValueError):
    """No grid of the service is in force on the requested date."""


@dataclass(frozen=True)
class PricingFacts:
    """What a tariff may depend on, for one person using one service."""

    quotient: Decimal
    monthly_resources: Decimal = Decimal(0)  # resources of year N-2 ÷ 12 (PSU, grids on resources)
    dependent_children: int = 1
    has_disabled_child: bool = False  # a child of the family with AEEH (PSU: next rate down)
    child_rank: int = 1  # rank among the household's children using this service
    is_resident: bool = True

    def basis_value(self, basis: Basis) -> Decimal:
        return self.quotient if basis == "quotient" else self.monthly_resources


def pricing_facts(quotient: Quotient, *, child_rank: int = 1, is_resident: bool = True) -> PricingFacts:
    """Facts from a household's quotient; resources and children come from Guichet's computation
    even when the quotient itself is attested (the attestation gives only the quotient)."""
    computed = quotient.computed or quotient
    return PricingFacts(
        quotient=quotient.value,
        monthly_resources=computed.monthly_resources or Decimal(0),
        dependent_children=computed.dependent_children,
        has_disabled_child=computed.aeeh_children > 0,
        child_rank=child_rank,
        is_resident=is_resident,
    )


@dataclass(frozen=True)
class Price:
    amount: Decimal
    unit: str
    explanation: tuple[str, ...]  # "why this price", in French, one step per line
    warnings: tuple[str, ...] = ()  # parameters to verify or out of date


def _euros(amount: Decimal) -> str:
    """A price, always with its cents."""
    return format_euros(amount, cents=True)


# --- base rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bracket:
    lower: Decimal  # inclusive
    upper: Decimal | None  # exclusive; None for the last bracket
    price: Decimal

    def contains(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)

    def label(self) -> str:
        if self.upper is None:
            return f"{format_euros(self.lower)} et plus"
        return f"de {format_euros(self.lower)} à moins de {format_euros(self.upper)}"


def _bracket_errors(brackets: Sequence[Bracket]) -> list[FieldError]:
    """Ordered, contiguous, from 0 to infinity: every value ≥ 0 falls in exactly one bracket."""
    if not brackets:
        return [FieldError("tranches", "au moins une tranche est attendue")]
    errors = []
    if brackets[0].lower != 0:
        errors.append(FieldError("tranches[0].min", "la première tranche doit commencer à 0"))
    for index, bracket in enumerate(brackets):
        if bracket.upper is not None and bracket.upper <= bracket.lower:
            errors.append(FieldError(f"tranches[{index}].max", "le maximum doit être supérieur au minimum"))
    for index, (previous, current) in enumerate(zip(brackets, brackets[1:], strict=False), start=1):
        if previous.upper is None:
            errors.append(FieldError(f"tranches[{index - 1}].max", "seule la dernière tranche peut être sans maximum"))
        elif current.lower < previous.upper:
            errors.append(
                FieldError(
                    f"tranches[{index}].min",
                    f"chevauchement avec la tranche précédente (qui va jusqu'à {format_euros(previous.upper)})",
                )
            )
        elif current.lower > previous.upper:
            errors.append(
                FieldError(
                    f"tranches[{index}].min",
                    f"trou entre {format_euros(previous.upper)} et {format_euros(current.lower)} : "
                    "ces valeurs n'auraient pas de prix",
                )
            )
    if brackets[-1].upper is not None:
        errors.append(
            FieldError(
                f"tranches[{len(brackets) - 1}].max",
                "la dernière tranche doit être sans maximum, pour couvrir toutes les valeurs",
            )
        )
    return errors


@dataclass(frozen=True)
class Brackets:
    brackets: tuple[Bracket, ...]
    basis: Basis = "quotient"

    def __post_init__(self) -> None:
        _raise_if(_bracket_errors(self.brackets))

    def base(self, facts: PricingFacts, reader: ParameterReader) -> tuple[Decimal, str]:
        value = facts.basis_value(self.basis)
        bracket = next(b for b in self.brackets if b.contains(max(value, Decimal(0))))
        return bracket.price, (
            f"{BASIS_LABELS[self.basis]} {format_euros(value)} → tranche {bracket.label()} : {_euros(bracket.price)}"
        )

    def decreasing_steps(self) -> list[int]:
        """Indexes of the brackets cheaper than the one before."""
        return [i for i in range(1, len(self.brackets)) if self.brackets[i].price < self.brackets[i - 1].price]


@dataclass(frozen=True)
class EffortRate:
    rate_percent: Decimal  # price = value × rate / 100
    floor: Decimal | None = None
    ceiling: Decimal | None = None
    basis: Basis = "quotient"

    def __post_init__(self) -> None:
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            raise GridError([FieldError("plancher", "le plancher dépasse le plafond")])

    def base(self, facts: PricingFacts, reader: ParameterReader) -> tuple[Decimal, str]:
        value = facts.basis_value(self.basis)
        raw = max(value, Decimal(0)) * self.rate_percent / HUNDRED
        line = (
            f"{BASIS_LABELS[self.basis]} {format_euros(value)} × {format_number(self.rate_percent)} % = "
            f"{format_euros_exact(raw)}"
        )
        if self.floor is not None and raw < self.floor:
            return self.floor, f"{line}, porté au plancher de {_euros(self.floor)}"
        if self.ceiling is not None and raw > self.ceiling:
            return self.ceiling, f"{line}, ramené au plafond de {_euros(self.ceiling)}"
        return raw, line


def tariff_parameters() -> Mapping[str, Parameter]:
    """National parameters of tariff rules (the PSU barème), read once per process."""
    return packaged_parameters("psu")


@dataclass(frozen=True)
class PsuBareme:
    """CNAF PSU: hourly price = monthly resources clamped to [floor, ceiling] × effort rate by the
    number of dependent children; a disabled child in the family moves it to the next rate down."""

    def base(self, facts: PricingFacts, reader: ParameterReader) -> tuple[Decimal, str]:
        floor = reader.decimal("psu_floor")
        ceiling = reader.decimal("psu_ceiling")
        rates = reader.value("psu_rates_collective")
        if not isinstance(rates, Mapping):
            raise ParameterError("Le paramètre « psu_rates_collective » doit être une table taux par nombre d'enfants.")
        children = max(facts.dependent_children, 1)
        rank = min(children + (1 if facts.has_disabled_child else 0), max(int(key) for key in rates))
        rate: Decimal = rates[str(rank)]
        resources = min(max(facts.monthly_resources, floor), ceiling)
        if facts.monthly_resources > ceiling:
            used = f"ressources {format_euros(facts.monthly_resources)} ramenées au plafond de {format_euros(ceiling)}"
        elif facts.monthly_resources < floor:
            used = f"ressources {format_euros(facts.monthly_resources)} portées au plancher de {format_euros(floor)}"
        else:
            used = f"ressources {format_euros(resources)}"
        who = f"{children} enfant{'s' if children > 1 else ''} à charge"
        if facts.has_disabled_child:
            who += f", enfant en situation de handicap : taux de {rank} enfants"
        raw = resources * rate / HUNDRED
        line = f"Barème CNAF (accueil collectif) : {used} × {format_number(rate)} % ({who}) = {format_euros_exact(raw)}"
        return raw, line


@dataclass(frozen=True)
class Flat:
    amount: Decimal

    def base(self, facts: PricingFacts, reader: ParameterReader) -> tuple[Decimal, str]:
        return self.amount, f"Tarif unique : {_euros(self.amount)}"


Rule = Brackets | EffortRate | PsuBareme | Flat


# --- modulations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SiblingReduction:
    from_rank: int  # e.g. 3: from the third child of the household using the service
    percent: Decimal

    def __post_init__(self) -> None:
        errors = []
        if self.from_rank < 2:
            errors.append(FieldError("a_partir_du_rang", "rang entier ≥ 2 attendu"))
        if not 0 <= self.percent <= HUNDRED:
            errors.append(FieldError("pourcentage", "une réduction va de 0 à 100 %"))
        _raise_if(errors)

    def apply(self, amount: Decimal, facts: PricingFacts) -> tuple[Decimal, str | None]:
        if facts.child_rank < self.from_rank:
            return amount, None
        reduced = amount * (HUNDRED - self.percent) / HUNDRED
        return reduced, f"{facts.child_rank}e enfant : −{format_number(self.percent)} %"


@dataclass(frozen=True)
class NonResidentSurcharge:
    percent: Decimal

    def __post_init__(self) -> None:
        if self.percent < 0:
            raise GridError([FieldError("pourcentage", "une majoration est positive ou nulle")])

    def apply(self, amount: Decimal, facts: PricingFacts) -> tuple[Decimal, str | None]:
        if facts.is_resident:
            return amount, None
        return amount * (HUNDRED + self.percent) / HUNDRED, f"Hors commune : +{format_number(self.percent)} %"


Modifier = SiblingReduction | NonResidentSurcharge


# --- the grid ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    service: str
    unit: str  # "repas", "heure", "journée"…
    rule: Rule
    valid_from: dt.date
    valid_to: dt.date | None = None  # inclusive
    deliberation: str = ""  # reference of the deliberation that adopted it
    deliberation_date: dt.date | None = None
    modifiers: tuple[Modifier, ...] = field(default_factory=tuple)
    non_resident_rule: Rule | None = None  # a separate grid for non-residents
    rounding_quantum: Decimal = CENT
    rounding_mode: str = "half_up"
    decreasing_allowed: bool = False  # the deliberation explicitly wants a price that drops somewhere

    def __post_init__(self) -> None:
        _raise_if(grid_errors(self))

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def period(self) -> str:
        end = f" au {self.valid_to:%d/%m/%Y}" if self.valid_to else ""
        return f"du {self.valid_from:%d/%m/%Y}{end}" if end else f"depuis le {self.valid_from:%d/%m/%Y}"


def grid_errors(grid: Grid) -> list[FieldError]:
    """Grid-level invariants (each rule checks its own when it is built)."""
    errors = []
    if not grid.service.strip():
        errors.append(FieldError("service", "nom du service obligatoire"))
    if grid.valid_to is not None and grid.valid_to < grid.valid_from:
        errors.append(FieldError("fin", "la fin précède le début"))
    if grid.rounding_quantum <= 0:
        errors.append(FieldError("arrondi", "pas d'arrondi strictement positif attendu"))
    if grid.rounding_mode not in ROUNDING_MODES:
        known = ", ".join(ROUNDING_MODES)
        errors.append(FieldError("arrondi_mode", f"mode inconnu « {grid.rounding_mode} » ({known})"))
    if grid.non_resident_rule is not None and any(isinstance(m, NonResidentSurcharge) for m in grid.modifiers):
        errors.append(
            FieldError("regle_hors_commune", "une grille hors commune et une majoration hors commune s'excluent")
        )
    if not grid.decreasing_allowed:
        for path, rule in (("regle", grid.rule), ("regle_hors_commune", grid.non_resident_rule)):
            if isinstance(rule, Brackets):
                errors.extend(
                    FieldError(
                        f"{path}.tranches[{index}].prix",
                        f"le prix baisse alors que le {BASIS_LABELS[rule.basis]} monte "
                        f"({_euros(rule.brackets[index - 1].price)} puis {_euros(rule.brackets[index].price)}) ; "
                        "cochez « prix décroissants autorisés » si la délibération le veut",
                    )
                    for index in rule.decreasing_steps()
                )
    return errors


_QUANTUM_LABELS = {Decimal("0.01"): "au centime", Decimal(1): "à l'euro"}
_MODE_LABELS = {"half_up": "le plus proche", "down": "inférieur", "up": "supérieur"}


def _rounding_line(grid: Grid, rounded: Decimal) -> str:
    quantum = grid.rounding_quantum
    label = _QUANTUM_LABELS.get(quantum.normalize()) or (
        f"aux {format_number(quantum * 100)} centimes" if quantum < 1 else f"à {format_euros(quantum)}"
    )
    return f"Arrondi {label} {_MODE_LABELS[grid.rounding_mode]} : {_euros(rounded)}"


def price(grid: Grid, facts: PricingFacts, on: dt.date, *, parameters: Parameters | None = None) -> Price:
    """The price of one unit of the service for ``facts`` on ``on``, with the reasons."""
    if not grid.in_force(on):
        raise TariffNotApplicable(
            f"La grille « {grid.service} » ({grid.period}) n'est pas en vigueur au {on:%d/%m/%Y}."
        )
    reader = ParameterReader(parameters or tariff_parameters(), on)
    lines = []
    rule = grid.rule
    if not facts.is_resident and grid.non_resident_rule is not None:
        rule = grid.non_resident_rule
        lines.append("Hors commune : grille des non-résidents")
    amount, line = rule.base(facts, reader)
    lines.append(line)
    for modifier in grid.modifiers:
        amount, note = modifier.apply(amount, facts)
        if note:
            lines.append(note)
    rounded = round_money(amount, grid.rounding_quantum, grid.rounding_mode)
    if rounded != amount:
        lines.append(_rounding_line(grid, rounded))
    lines.append(f"Prix : {_euros(rounded)} par {grid.unit}")
    if grid.deliberation:
        when = f" du {grid.deliberation_date:%d/%m/%Y}" if grid.deliberation_date else ""
        lines.append(f"Grille adoptée par la délibération {grid.deliberation}{when}, en vigueur {grid.period}")
    return Price(amount=rounded, unit=grid.unit, explanation=tuple(lines), warnings=reader.warnings())


# --- a service's successive grids -------------------------------------------------------------


def grid_history_errors(grids: Sequence[Grid]) -> list[FieldError]:
    """Successive grids of one service must not overlap in time (gaps are allowed: no tariff)."""
    ordered = sorted(enumerate(grids), key=lambda item: item[1].valid_from)
    errors = []
    for (_, previous), (index, current) in zip(ordered, ordered[1:], strict=False):
        if previous.valid_to is None or previous.valid_to >= current.valid_from:
            errors.append(
                FieldError(
                    f"grilles[{index}].debut",
                    f"la grille {current.period} chevauche celle {previous.period}",
                )
            )
    return errors


def grid_in_force(grids: Sequence[Grid], on: dt.date) -> Grid:
    """The grid of a service in force on ``on``, among its current and past grids."""
    _raise_if(grid_history_errors(grids))
    for grid in grids:
        if grid.in_force(on):
            return grid
    raise TariffNotApplicable(f"Aucune grille en vigueur au {on:%d/%m/%Y}.")


# --- plain dict <-> Grid (the form stored in the database and exchanged by the API) -----------

RULE_TYPES = ("tranches", "taux_effort", "psu", "forfait")
MODIFIER_TYPES = ("fratrie", "hors_commune")
BASES: tuple[Basis, ...] = ("quotient", "ressources")


class _Parser:
    """Reads a grid's dict form and collects every error instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def build(self, prefix: str, factory: Callable[[], T]) -> T | None:
        """Build a dataclass whose own checks raise ``GridError``; its paths get ``prefix``."""
        try:
            return factory()
        except GridError as error:
            self.errors.extend(FieldError(_join(prefix, e.path), e.message) for e in error.errors)
            return None

    def decimal(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> Decimal | None:
        where = _join(path, key)
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(where, "valeur obligatoire")
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
            self.fail(where, f"nombre attendu, reçu « {raw} »")
            return None
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except InvalidOperation:
            self.fail(where, f"nombre attendu, reçu « {raw} »")
            return None
        if not value.is_finite() or value < 0:
            self.fail(where, "nombre positif ou nul attendu")
            return None
        return value

    def date(self, data: Mapping[str, Any], key: str, *, required: bool) -> dt.date | None:
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(key, "date obligatoire (AAAA-MM-JJ)")
            return None
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(key, f"date AAAA-MM-JJ attendue, reçu « {raw} »")
            return None

    def basis(self, data: Mapping[str, Any], path: str) -> Basis:
        raw = data.get("base", "quotient")
        for basis in BASES:
            if raw == basis:
                return basis
        self.fail(_join(path, "base"), f"base inconnue « {raw} » ({', '.join(BASES)})")
        return "quotient"

    def brackets(self, data: Mapping[str, Any], path: str) -> Brackets | None:
        raw = data.get("tranches")
        if not isinstance(raw, list) or not raw:
            self.fail(_join(path, "tranches"), "liste de tranches non vide attendue")
            return None
        brackets = []
        for index, item in enumerate(raw):
            where = f"{path}.tranches[{index}]"
            if not isinstance(item, Mapping):
                self.fail(where, "tranche attendue (min, max, prix)")
                continue
            lower = self.decimal(item, "min", where)
            upper = self.decimal(item, "max", where, required=False)
            amount = self.decimal(item, "prix", where)
            if lower is not None and amount is not None:
                brackets.append(Bracket(lower, upper, amount))
        basis = self.basis(data, path)
        if len(brackets) < len(raw):
            return None
        return self.build(path, lambda: Brackets(tuple(brackets), basis))

    def rule(self, raw: Any, path: str) -> Rule | None:
        if not isinstance(raw, Mapping) or "type" not in raw:
            self.fail(path, f"règle attendue avec un « type » ({', '.join(RULE_TYPES)})")
            return None
        kind = raw["type"]
        if kind == "tranches":
            return self.brackets(raw, path)
        if kind == "taux_effort":
            rate = self.decimal(raw, "taux", path)
            floor = self.decimal(raw, "plancher", path, required=False)
            ceiling = self.decimal(raw, "plafond", path, required=False)
            basis = self.basis(raw, path)
            if rate is None:
                return None
            return self.build(path, lambda: EffortRate(rate, floor, ceiling, basis))
        if kind == "psu":
            return PsuBareme()
        if kind == "forfait":
            amount = self.decimal(raw, "prix", path)
            return None if amount is None else Flat(amount)
        self.fail(_join(path, "type"), f"type inconnu « {kind} » ({', '.join(RULE_TYPES)})")
        return None

    def modifier(self, raw: Any, index: int) -> Modifier | None:
        path = f"modulations[{index}]"
        if not isinstance(raw, Mapping):
            self.fail(path, "modulation attendue (type, pourcentage)")
            return None
        kind = raw.get("type")
        if kind not in MODIFIER_TYPES:
            self.fail(_join(path, "type"), f"type inconnu « {kind} » ({', '.join(MODIFIER_TYPES)})")
            return None
        percent = self.decimal(raw, "pourcentage", path)
        if kind == "hors_commune":
            return None if percent is None else NonResidentSurcharge(percent)
        rank = raw.get("a_partir_du_rang")
        if isinstance(rank, bool) or not isinstance(rank, int):
            self.fail(_join(path, "a_partir_du_rang"), "rang entier ≥ 2 attendu")
            return None
        if percent is None:
            return None
        return self.build(path, lambda: SiblingReduction(rank, percent))


def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix and path else prefix or path


def grid_from_dict(data: Mapping[str, Any]) -> Grid:
    """Build and validate a grid from its dict form; ``GridError`` lists every problem. Keys::

        service, unite ("repas", "heure"…), debut, fin (AAAA-MM-JJ, fin incluse, facultative),
        deliberation, deliberation_date,
        regle: {"type": "tranches", "base": "quotient"|"ressources",
                "tranches": [{"min": 0, "max": 600, "prix": "1.00"}, …, {"min": 1500, "max": null, …}]}
             | {"type": "taux_effort", "base": …, "taux": "0.36" (%), "plancher": "2.60", "plafond": "4.50"}
             | {"type": "psu"} | {"type": "forfait", "prix": "1.20"},
        regle_hors_commune: a rule for non-residents (facultative),
        modulations: [{"type": "fratrie", "a_partir_du_rang": 3, "pourcentage": "50"},
                      {"type": "hors_commune", "pourcentage": "30"}],
        arrondi ("0.01", "0.05", "1"), arrondi_mode ("half_up", "down", "up"),
        prix_decroissants_autorises (false unless a price may drop when the quotient rises)

    Brackets include their ``min`` and exclude their ``max``; numbers may be strings with a decimal
    comma."""
    parser = _Parser()
    service = data.get("service")
    if not isinstance(service, str) or not service.strip():
        parser.fail("service", "nom du service obligatoire")
    rule = parser.rule(data.get("regle"), "regle")
    raw_non_resident = data.get("regle_hors_commune")
    non_resident = None if raw_non_resident is None else parser.rule(raw_non_resident, "regle_hors_commune")
    raw_modifiers = data.get("modulations") or []
    if not isinstance(raw_modifiers, list):
        parser.fail("modulations", "liste attendue")
        raw_modifiers = []
    modifiers = [parser.modifier(item, index) for index, item in enumerate(raw_modifiers)]
    quantum = parser.decimal(data, "arrondi", "", required=False)
    decreasing = data.get("prix_decroissants_autorises", False)
    if not isinstance(decreasing, bool):
        parser.fail("prix_decroissants_autorises", "vrai ou faux attendu")
    valid_from = parser.date(data, "debut", required=True)
    valid_to = parser.date(data, "fin", required=False)
    deliberation_date = parser.date(data, "deliberation_date", required=False)
    if parser.errors or rule is None or valid_from is None:
        raise GridError(parser.errors)
    grid = parser.build(
        "",
        lambda: Grid(
            service=str(service).strip(),
            unit=str(data.get("unite") or "unité"),
            rule=rule,
            valid_from=valid_from,
            valid_to=valid_to,
            deliberation=str(data.get("deliberation") or ""),
            deliberation_date=deliberation_date,
            modifiers=tuple(m for m in modifiers if m is not None),
            non_resident_rule=non_resident,
            rounding_quantum=CENT if quantum is None else quantum,
            rounding_mode=str(data.get("arrondi_mode", "half_up")),
            decreasing_allowed=bool(decreasing),
        ),
    )
    if grid is None:
        raise GridError(parser.errors)
    return grid


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, Brackets):
        return {
            "type": "tranches",
            "base": rule.basis,
            "tranches": [{"min": str(b.lower), "max": _optional(b.upper), "prix": str(b.price)} for b in rule.brackets],
        }
    if isinstance(rule, EffortRate):
        return {
            "type": "taux_effort",
            "base": rule.basis,
            "taux": str(rule.rate_percent),
            "plancher": _optional(rule.floor),
            "plafond": _optional(rule.ceiling),
        }
    if isinstance(rule, PsuBareme):
        return {"type": "psu"}
    return {"type": "forfait", "prix": str(rule.amount)}


def _modifier_to_dict(modifier: Modifier) -> dict[str, Any]:
    if isinstance(modifier, SiblingReduction):
        return {"type": "fratrie", "a_partir_du_rang": modifier.from_rank, "pourcentage": str(modifier.percent)}
    return {"type": "hors_commune", "pourcentage": str(modifier.percent)}


def grid_to_dict(grid: Grid) -> dict[str, Any]:
    """The dict form of a grid (JSON-ready: amounts as strings, dates ISO)."""
    return {
        "service": grid.service,
        "unite": grid.unit,
        "regle": rule_to_dict(grid.rule),
        "regle_hors_commune": None if grid.non_resident_rule is None else rule_to_dict(grid.non_resident_rule),
        "debut": grid.valid_from.isoformat(),
        "fin": None if grid.valid_to is None else grid.valid_to.isoformat(),
        "deliberation": grid.deliberation,
        "deliberation_date": None if grid.deliberation_date is None else grid.deliberation_date.isoformat(),
        "modulations": [_modifier_to_dict(modifier) for modifier in grid.modifiers],
        "arrondi": str(grid.rounding_quantum),
        "arrondi_mode": grid.rounding_mode,
        "prix_decroissants_autorises": grid.decreasing_allowed,
    }
