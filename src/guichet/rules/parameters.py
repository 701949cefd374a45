"""Dated parameters: every amount or rate the rules use has a validity date, a source and a
"to verify" flag, and comes from a data file a commune can correct — never a constant in a formula.

A parameter file is TOML: one table per parameter, with ``source``, ``to_verify`` and ``values``,
a list of ``{from = YYYY-MM-DD, value = ...}`` entries (values are read as ``Decimal`` when numeric
strings or numbers, kept as they are otherwise).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


class ParameterError(ValueError):
    """A parameter file is malformed, or a parameter has no value at the requested date."""


@dataclass(frozen=True)
class DatedValue:
    valid_from: dt.date
    value: Any


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[DatedValue, ...]  # sorted by valid_from
    source: str = ""
    to_verify: bool = False

    def at(self, day: dt.date) -> Any:
        return self.entry_at(day).value

    def entry_at(self, day: dt.date) -> DatedValue:
        current = None
        for entry in self.values:
            if entry.valid_from <= day:
                current = entry
        if current is None:
            raise ParameterError(f"Le paramètre « {self.name} » n'a pas de valeur au {day:%d/%m/%Y}.")
        return current

    def decimal_at(self, day: dt.date) -> Decimal:
        value = self.at(day)
        if not isinstance(value, Decimal):
            raise ParameterError(f"Le paramètre « {self.name} » n'est pas un nombre.")
        return value


def _convert(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, list):
        return tuple(_convert(item) for item in value)
    if isinstance(value, dict):
        return {key: _convert(item) for key, item in value.items()}
    return value


def parameters_from_mapping(data: Mapping[str, Any], *, origin: str = "") -> dict[str, Parameter]:
    parameters = {}
    for name, table in data.items():
        where = f"{origin} [{name}]" if origin else f"[{name}]"
        if not isinstance(table, Mapping) or not isinstance(table.get("values"), list) or not table["values"]:
            raise ParameterError(f"{where} : une liste « values » non vide est attendue.")
        values = []
        for index, entry in enumerate(table["values"], start=1):
            if not isinstance(entry, Mapping) or "from" not in entry or "value" not in entry:
                raise ParameterError(f"{where} valeur n° {index} : « from » et « value » sont obligatoires.")
            start = entry["from"]
            if not isinstance(start, dt.date):
                raise ParameterError(f"{where} valeur n° {index} : « from » doit être une date AAAA-MM-JJ.")
            values.append(DatedValue(start, _convert(entry["value"])))
        parameters[name] = Parameter(
            name=name,
            values=tuple(sorted(values, key=lambda v: v.valid_from)),
            source=str(table.get("source", "")),
            to_verify=bool(table.get("to_verify", False)),
        )
    return parameters


def load_parameters(path: Path) -> dict[str, Parameter]:
    """Read a TOML parameter file; errors name the file and the parameter."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{path.name} : {error}") from error
    return parameters_from_mapping(data, origin=path.name)
