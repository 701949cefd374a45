"""Dated parameters: every amount or rate the rules use has a validity period, a source and a
"to verify" flag, and comes from a data file a commune can correct — never a constant in a formula.

A parameter file is TOML, one table per parameter::

    [psu_floor]
    source = "CNAF — plancher de ressources mensuelles"
    to_verify = false                       # default for its values
    values = [
      { from = 2025-01-01, to = 2025-12-31, value = "801.00", to_verify = true },
    ]

A value holds from ``from`` to ``to`` (inclusive) or, without ``to``, until the next value starts.
Numbers (and numeric strings) are read as ``Decimal``; lists and tables are converted recursively.
A date past the last value's ``to`` still gets that value, marked *stale*, so that a forgotten
yearly update shows up as a warning instead of stopping every price.

A commune corrects a parameter without changing code with an override directory (setting
``GUICHET_PARAMETERS_DIR``): files named like the shipped ones, in the same format, whose parameters
replace the shipped ones by name (see ``use_parameters_dir``).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

Parameters = Mapping[str, "Parameter"]


class ParameterError(ValueError):
    """A parameter file is malformed, or a parameter has no value at the requested date."""


class ParameterWarning(str):
    """A line of ``ParameterReader.warnings``: the French sentence, and ``code`` (``STALE`` or
    ``TO_VERIFY``) saying what it is about, so that a screen leaves a kind out without reading the text."""

    code: str

    def __new__(cls, text: str, code: str = "") -> ParameterWarning:
        warning = super().__new__(cls, text)
        warning.code = code
        return warning


STALE = "stale"  # a value used past its validity
TO_VERIFY = "to_verify"  # the values the commune marked « à vérifier »


@dataclass(frozen=True)
class DatedValue:
    valid_from: dt.date
    value: Any
    valid_to: dt.date | None = None  # inclusive; None: until the next value, or open-ended
    to_verify: bool = False


@dataclass(frozen=True)
class ParameterValue:
    """The value of a parameter on a day, with what a screen needs to say where it comes from."""

    name: str
    value: Any
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    to_verify: bool
    stale: bool  # the day is past the value's validity and no later value is known

    def stale_warning(self) -> ParameterWarning | None:
        if not self.stale or self.valid_to is None:
            return None
        return ParameterWarning(
            f"Paramètre « {self.name} » valable jusqu'au {self.valid_to:%d/%m/%Y}, utilisé faute de valeur "
            f"plus récente : à mettre à jour ({self.source}).",
            STALE,
        )


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[DatedValue, ...]  # sorted by valid_from, periods not overlapping
    source: str = ""

    def lookup(self, day: dt.date, *, allow_stale: bool = True) -> ParameterValue:
        index = None
        for position, entry in enumerate(self.values):
            if entry.valid_from <= day:
                index = position
        if index is None:
            raise ParameterError(f"Le paramètre « {self.name} » n'a pas de valeur au {day:%d/%m/%Y}.")
        entry = self.values[index]
        following = self.values[index + 1] if index + 1 < len(self.values) else None
        end = entry.valid_to
        if end is None and following is not None:
            end = following.valid_from - dt.timedelta(days=1)
        stale = entry.valid_to is not None and day > entry.valid_to
        if stale and not allow_stale:
            raise ParameterError(
                f"Le paramètre « {self.name} » n'a plus de valeur au {day:%d/%m/%Y} "
                f"(dernière valeur valable jusqu'au {entry.valid_to:%d/%m/%Y})."
            )
        return ParameterValue(self.name, entry.value, entry.valid_from, end, self.source, entry.to_verify, stale)

    def at(self, day: dt.date) -> Any:
        return self.lookup(day).value

    def decimal_at(self, day: dt.date) -> Decimal:
        return _as_decimal(self.lookup(day))


def _as_decimal(found: ParameterValue) -> Decimal:
    if not isinstance(found.value, Decimal):
        raise ParameterError(f"Le paramètre « {found.name} » n'est pas un nombre.")
    return found.value


class ParameterReader:
    """Reads parameters on one day and remembers which values were used, so that a result can say
    which of them are to verify or out of date."""

    def __init__(self, parameters: Parameters, on: dt.date) -> None:
        self.parameters = parameters
        self.on = on
        self._used: dict[str, ParameterValue] = {}

    def lookup(self, name: str) -> ParameterValue:
        if name not in self.parameters:
            raise ParameterError(f"Paramètre inconnu « {name} ».")
        found = self.parameters[name].lookup(self.on)
        self._used[name] = found
        return found

    def value(self, name: str) -> Any:
        return self.lookup(name).value

    def decimal(self, name: str) -> Decimal:
        return _as_decimal(self.lookup(name))

    def integer(self, name: str) -> int:
        return int(self.decimal(name))

    def date(self, name: str) -> dt.date:
        value = self.value(name)
        if not isinstance(value, dt.date):
            raise ParameterError(f"Le paramètre « {name} » n'est pas une date.")
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.value(name)
        if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
            raise ParameterError(f"Le paramètre « {name} » n'est pas une liste de codes.")
        return value

    @property
    def used(self) -> tuple[ParameterValue, ...]:
        return tuple(self._used.values())

    def warnings(self) -> tuple[ParameterWarning, ...]:
        """One line per out-of-date value, then one line listing the values marked "to verify"."""
        lines = [warning for found in self.used if (warning := found.stale_warning())]
        to_verify = [found.source or found.name for found in self.used if found.to_verify]
        if to_verify:
            text = "Paramètres marqués « à vérifier » par la commune : " + " ; ".join(to_verify) + "."
            lines.append(ParameterWarning(text, TO_VERIFY))
        return tuple(lines)


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


def _date_field(entry: Mapping[str, Any], key: str, where: str) -> dt.date | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ParameterError(f"{where} : « {key} » doit être une date AAAA-MM-JJ.")
    date: dt.date = value
    return date


def _parameter(name: str, table: Any, where: str) -> Parameter:
    if not isinstance(table, Mapping) or not isinstance(table.get("values"), list) or not table["values"]:
        raise ParameterError(f"{where} : une liste « values » non vide est attendue.")
    default_to_verify = table.get("to_verify", False)
    values = []
    for index, entry in enumerate(table["values"], start=1):
        at = f"{where} valeur n° {index}"
        if not isinstance(entry, Mapping) or "from" not in entry or "value" not in entry:
            raise ParameterError(f"{at} : « from » et « value » sont obligatoires.")
        start = _date_field(entry, "from", at)
        end = _date_field(entry, "to", at)
        assert start is not None
        if end is not None and end < start:
            raise ParameterError(f"{at} : « to » ({end}) précède « from » ({start}).")
        to_verify = entry.get("to_verify", default_to_verify)
        if not isinstance(to_verify, bool):
            raise ParameterError(f"{at} : « to_verify » doit valoir true ou false.")
        values.append(DatedValue(start, _convert(entry["value"]), end, to_verify))
    values.sort(key=lambda v: v.valid_from)
    for previous, current in zip(values, values[1:], strict=False):
        if current.valid_from == previous.valid_from:
            raise ParameterError(f"{where} : deux valeurs commencent le {current.valid_from}.")
        if previous.valid_to is not None and previous.valid_to >= current.valid_from:
            raise ParameterError(
                f"{where} : la valeur du {previous.valid_from} (jusqu'au {previous.valid_to}) chevauche "
                f"celle du {current.valid_from}."
            )
    return Parameter(name=name, values=tuple(values), source=str(table.get("source", "")))


def parameters_from_mapping(data: Mapping[str, Any], *, origin: str = "") -> dict[str, Parameter]:
    """Parameters from the parsed form of a file (TOML, JSON or a database row); errors say where."""
    return {
        name: _parameter(name, table, f"{origin} [{name}]" if origin else f"[{name}]") for name, table in data.items()
    }


def load_parameters(path: Path) -> dict[str, Parameter]:
    """Read a TOML parameter file; errors name the file and the parameter."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ParameterError(f"{path.name} : {error}") from error
    return parameters_from_mapping(data, origin=path.name)


@cache
def shipped_parameters(name: str) -> Mapping[str, Parameter]:
    """The parameters shipped with Guichet (``data/<name>.toml``), read once per process."""
    return load_parameters(DATA_DIR / f"{name}.toml")


def with_overrides(base: Parameters, overrides: Parameters) -> dict[str, Parameter]:
    """A commune's corrections replace whole parameters (all their dated values) by name."""
    unknown = sorted(set(overrides) - set(base))
    if unknown:
        raise ParameterError(f"Paramètres inconnus : {', '.join(unknown)}.")
    return {**base, **overrides}


# --- a commune's corrections --------------------------------------------------------------------
#
# A directory (the ``GUICHET_PARAMETERS_DIR`` setting) may hold files named like the shipped ones
# (``psu.toml``, ``quotient_caf.toml``…), in the same format: each parameter it defines replaces the
# shipped parameter of that name, with all its dated values; the others stay as shipped. The
# directory is checked as a whole when it is set, so that a mistake stops the start with its file
# and line instead of surfacing in a price.

_override_dir: Path | None = None


def shipped_files() -> tuple[str, ...]:
    """Names of the shipped parameter files, without ``.toml``."""
    return tuple(sorted(path.stem for path in DATA_DIR.glob("*.toml")))


def _line_of(text: str, name: str) -> int | None:
    header = re.compile(rf"^[ \t]*\[[ \t]*(?:{re.escape(name)}|\"{re.escape(name)}\")[ \t]*\]", re.MULTILINE)
    found = header.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _override_file(path: Path, base: Parameters) -> dict[str, Parameter]:
    """One override file, every error naming the file and, when known, the line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        position = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        where = f"{path}, ligne {position[1]}, colonne {position[2]}" if position else str(path)
        raise ParameterError(f"{where} : syntaxe TOML invalide ({error}).") from error
    errors = []
    parameters = {}
    for name, table in data.items():
        where = f"{path}, ligne {line}" if (line := _line_of(text, name)) else str(path)
        if name not in base:
            errors.append(f"{where} : paramètre inconnu « {name} » (connus : {', '.join(sorted(base))}).")
            continue
        try:
            parameters[name] = _parameter(name, table, f"{where} [{name}]")
        except ParameterError as error:
            errors.append(str(error))
    if errors:
        raise ParameterError("\n".join(errors))
    return parameters


def check_parameters_dir(directory: Path) -> list[str]:
    """Every problem of an override directory, one French message each (empty: all is well)."""
    if not directory.is_dir():
        return [f"{directory} : le dossier des paramètres de la commune n'existe pas."]
    known = shipped_files()
    errors = []
    for path in sorted(directory.glob("*.toml")):
        if path.stem not in known:
            errors.append(f"{path} : fichier inconnu (attendus : {', '.join(f'{n}.toml' for n in known)}).")
            continue
        try:
            _override_file(path, shipped_parameters(path.stem))
        except ParameterError as error:
            errors.extend(str(error).splitlines())
        except (OSError, UnicodeDecodeError) as error:
            errors.append(f"{path} : lecture impossible ({error}).")
    return errors


def use_parameters_dir(directory: Path | None) -> None:
    """Use a commune's override directory from now on (``None``: the shipped parameters only).
    Raises ``ParameterError`` listing every problem, and then changes nothing."""
    global _override_dir  # noqa: PLW0603 — one process-wide choice, made at start-up
    if directory is not None:
        errors = check_parameters_dir(directory)
        if errors:
            raise ParameterError("\n".join(errors))
    _override_dir = directory
    packaged_parameters.cache_clear()
    for name in shipped_files():  # read now: later edits of the files need a restart
        packaged_parameters(name)


def parameters_dir() -> Path | None:
    """The override directory in use, if any."""
    return _override_dir


def override_file(name: str) -> Path | None:
    """The commune's file correcting ``<name>.toml``, if there is one."""
    if _override_dir is None:
        return None
    path = _override_dir / f"{name}.toml"
    return path if path.is_file() else None


def overridden_names(name: str) -> frozenset[str]:
    """The parameters of ``<name>.toml`` that the commune's file replaces (as read, not as on disk now)."""
    shipped = shipped_parameters(name)
    return frozenset(key for key, parameter in packaged_parameters(name).items() if parameter is not shipped[key])


@cache
def packaged_parameters(name: str) -> Mapping[str, Parameter]:
    """The parameters of ``<name>.toml`` in use: the shipped ones with the commune's corrections, if
    an override directory is set (see ``use_parameters_dir``), read once per process."""
    base = shipped_parameters(name)
    path = override_file(name)
    if path is None:
        return base
    return with_overrides(base, _override_file(path, base))


def parameters_report(parameters: Parameters, on: dt.date) -> tuple[ParameterValue, ...]:
    """Every parameter's value on ``on`` (those not yet in force are left out), for an
    administrator's "which rules are to verify or stale" screen."""
    return tuple(parameter.lookup(on) for parameter in parameters.values() if parameter.values[0].valid_from <= on)
